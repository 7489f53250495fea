//! `gcops plan`: the dry run (DESIGN.md §6). The platform has no server-side dry run, so gcops
//! computes one: desired (the repository with the environment's substitutions) against live
//! (an in-memory export of the target org), per object create / update (field-level) / delete /
//! no-op, in apply order, with every validation finding and an estimate of the requests and time.

use std::collections::{BTreeMap, BTreeSet};

use gcops_model::canonical::to_canonical_string;
use gcops_model::catalog::{Catalog, KeySpec, KindSpec, Write};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::export::ExportResult;
use crate::graph::Graph;
use crate::validate::{Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Delete,
}

/// One field-level difference (JSON Pointer into the repository form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub pointer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub action: Action,
    pub kind: String,
    pub key: String,
    /// Apply level: everything in a level depends only on earlier levels.
    pub level: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// Hash of the live object the plan saw (an apply of a saved plan refuses the operation if
    /// the object changed since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precondition: Option<String>,
    /// Requests the operation is expected to take.
    pub requests: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub delete: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// `dry_run_report.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub env: String,
    pub summary: Summary,
    pub operations: Vec<Operation>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub estimated_requests: u64,
    pub estimated_seconds: f64,
    /// FNV-1a of the canonical operations: two plans with the same hash do the same thing.
    pub plan_hash: String,
}

impl Report {
    pub fn has_changes(&self) -> bool {
        !self.operations.is_empty()
    }
}

pub fn fnv_hex(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Replaces `{{key}}` with the environment's value: a string that is exactly `{{key}}` takes
/// the value as it is (any JSON type); inside longer text the value is inserted as text.
pub fn substitute(v: &mut Value, values: &Value) {
    match v {
        Value::String(s) => {
            let keys = crate::validate::substitutions(s);
            if keys.is_empty() {
                return;
            }
            let trimmed = s.trim();
            if keys.len() == 1 && trimmed == format!("{{{{{}}}}}", keys[0]) {
                if let Some(x) = values.get(&keys[0]) {
                    *v = x.clone();
                }
                return;
            }
            let mut out = s.clone();
            for k in keys {
                if let Some(x) = values.get(&k) {
                    let text = x
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string());
                    out = out
                        .replace(&format!("{{{{{k}}}}}"), &text)
                        .replace(&format!("{{{{ {k} }}}}"), &text);
                }
            }
            *s = out;
        }
        Value::Array(a) => a.iter_mut().for_each(|x| substitute(x, values)),
        Value::Object(m) => m.values_mut().for_each(|x| substitute(x, values)),
        _ => {}
    }
}

/// Field-level differences between two repository objects.
pub fn diff(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk_diff(before, after, String::new(), &mut out);
    out
}

fn walk_diff(a: &Value, b: &Value, at: String, out: &mut Vec<FieldChange>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{at}/{}", gcops_model::pointer::escape(k));
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => walk_diff(u, v, p, out),
                    (Some(u), None) => out.push(FieldChange {
                        pointer: p,
                        before: Some(u.clone()),
                        after: None,
                    }),
                    (None, Some(v)) => out.push(FieldChange {
                        pointer: p,
                        before: None,
                        after: Some(v.clone()),
                    }),
                    (None, None) => {}
                }
            }
        }
        _ if a == b => {}
        _ => out.push(FieldChange {
            pointer: at,
            before: Some(a.clone()),
            after: Some(b.clone()),
        }),
    }
}

/// Requests an operation is expected to take, from the kind's write semantics and
/// sub-resource in the catalog (the model apply follows).
fn requests_for(
    action: Action,
    spec: &KindSpec,
    desired: Option<&Value>,
    changes: &[FieldChange],
) -> (u64, Option<String>) {
    let items = |v: Option<&Value>, field: &str| {
        v.and_then(|v| v[field].as_array()).map_or(0, Vec::len) as u64
    };
    // A new parent's sub-resources: one call per 100 references, or one per embedded item.
    let sub_create = spec.sub.map_or(0, |sub| {
        let n = items(desired, sub.field);
        if sub.as_refs { n.div_ceil(100) } else { n }
    });
    // A changed parent's sub-resources: one list, then one call per changed entry.
    let sub_update = spec.sub.map_or(0, |sub| {
        let prefix = format!("/{}", sub.field);
        let changed = changes
            .iter()
            .filter(|c| c.pointer.starts_with(&prefix))
            .count() as u64;
        if changed == 0 { 0 } else { 1 + changed }
    });
    match (action, spec.write) {
        (Action::Delete, _) => (1, None),
        (Action::Create, Write::FromTemplate) => (2 + sub_create, Some("created from its metabase template".into())),
        (Action::Create, _) => (1 + sub_create, None),
        (Action::Update, Write::CreateOnlyDivision) if changes.iter().all(|c| c.pointer.starts_with("/division")) => {
            (2, Some("division moved with PATCH".into()))
        }
        (Action::Update, Write::CreateOnly | Write::CreateOnlyDivision) => (
            0,
            Some("this kind has no update: apply refuses the change; rename it instead (a create plus a delete)".into()),
        ),
        // Every update reads the live object first (its version, and the fields gcops leaves alone).
        (Action::Update, Write::Locked) => (4 + sub_update, Some("checkout, PUT, unlock".into())),
        (Action::Update, _) => (2 + sub_update, None),
    }
}

/// The plan. `desired`: repository objects (substitutions applied) per kind id and natural key;
/// `live`: an export of the target restricted to the same kinds; `allowed_per_second`: the
/// client's request budget.
pub fn plan(
    catalog: &Catalog,
    env: &str,
    desired: &BTreeMap<String, BTreeMap<String, Value>>,
    live: &ExportResult,
    diagnostics: Vec<Diagnostic>,
    allowed_per_second: f64,
) -> Report {
    let desired_graph = Graph::build(
        catalog,
        desired.iter().flat_map(|(k, objs)| {
            objs.iter()
                .map(move |(key, v)| (k.as_str(), key.as_str(), v))
        }),
    );
    let live_graph = Graph::build(
        catalog,
        live.kinds.iter().flat_map(|k| {
            k.normalized
                .iter()
                .map(move |(key, v)| (k.kind.as_str(), key.as_str(), v))
        }),
    );
    let level_of = |g: &Graph| -> BTreeMap<(String, String), usize> {
        let (levels, stuck) = g.levels();
        let mut m = BTreeMap::new();
        for (i, l) in levels.iter().enumerate() {
            for n in l {
                m.insert((g.nodes[*n].kind.clone(), g.nodes[*n].key.clone()), i);
            }
        }
        for n in stuck {
            m.insert(
                (g.nodes[n].kind.clone(), g.nodes[n].key.clone()),
                levels.len(),
            );
        }
        m
    };
    let desired_levels = level_of(&desired_graph);
    let live_levels = level_of(&live_graph);
    let mut ops = Vec::new();
    let mut unchanged = 0;
    for report in &live.kinds {
        let kind = report.kind.as_str();
        let Some(spec) = catalog.get(kind) else {
            continue;
        };
        let live_objs: BTreeMap<&str, &Value> = report
            .normalized
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        let empty = BTreeMap::new();
        let want = desired.get(kind).unwrap_or(&empty);
        for (key, d) in want {
            let level = desired_levels
                .get(&(kind.to_string(), key.clone()))
                .copied()
                .unwrap_or(0);
            match live_objs.get(key.as_str()) {
                None if report.live_keys.contains(key) => {
                    // A built-in in the org: looked up, never created.
                    unchanged += 1;
                }
                None => {
                    let (requests, note) = requests_for(Action::Create, spec, Some(d), &[]);
                    ops.push(Operation {
                        action: Action::Create,
                        kind: kind.into(),
                        key: key.clone(),
                        level,
                        changes: Vec::new(),
                        precondition: None,
                        requests,
                        note,
                    });
                }
                Some(l) => {
                    let changes = diff(l, d);
                    if changes.is_empty() {
                        unchanged += 1;
                        continue;
                    }
                    let (requests, note) = requests_for(Action::Update, spec, Some(d), &changes);
                    let precondition = Some(fnv_hex(&to_canonical_string(l)));
                    ops.push(Operation {
                        action: Action::Update,
                        kind: kind.into(),
                        key: key.clone(),
                        level,
                        changes,
                        precondition,
                        requests,
                        note,
                    });
                }
            }
        }
        let singleton = catalog
            .get(kind)
            .is_some_and(|s| s.key == KeySpec::Singleton);
        for (key, l) in &live_objs {
            if want.contains_key(*key) || singleton {
                continue;
            }
            let level = live_levels
                .get(&(kind.to_string(), key.to_string()))
                .copied()
                .unwrap_or(0);
            let precondition = Some(fnv_hex(&to_canonical_string(l)));
            ops.push(Operation {
                action: Action::Delete,
                kind: kind.into(),
                key: key.to_string(),
                level,
                changes: Vec::new(),
                precondition,
                requests: 1,
                note: Some("deleted only with --allow-delete".into()),
            });
        }
    }
    // Apply order: creates and updates by level; deletes afterwards, dependents first.
    let kind_rank = |k: &str| {
        catalog
            .kinds
            .iter()
            .position(|s| s.id == k)
            .unwrap_or(usize::MAX)
    };
    ops.sort_by(|a, b| {
        let ka = (
            a.action == Action::Delete,
            if a.action == Action::Delete {
                usize::MAX - a.level
            } else {
                a.level
            },
            kind_rank(&a.kind),
            &a.key,
        );
        let kb = (
            b.action == Action::Delete,
            if b.action == Action::Delete {
                usize::MAX - b.level
            } else {
                b.level
            },
            kind_rank(&b.kind),
            &b.key,
        );
        ka.cmp(&kb)
    });
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    let estimated_requests: u64 = ops.iter().map(|o| o.requests).sum();
    let hash = fnv_hex(&to_canonical_string(
        &serde_json::to_value(&ops).expect("operations serialize"),
    ));
    Report {
        env: env.to_string(),
        summary: Summary {
            create: ops.iter().filter(|o| o.action == Action::Create).count(),
            update: ops.iter().filter(|o| o.action == Action::Update).count(),
            delete: ops.iter().filter(|o| o.action == Action::Delete).count(),
            unchanged,
            errors: errors.len(),
            warnings: warnings.len(),
        },
        estimated_seconds: if allowed_per_second > 0.0 {
            (estimated_requests as f64 / allowed_per_second * 10.0).round() / 10.0
        } else {
            0.0
        },
        estimated_requests,
        operations: ops,
        errors,
        warnings,
        plan_hash: hash,
    }
}

fn short(v: &Option<Value>) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 80 {
                format!("{}…", s.chars().take(80).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// Terraform-like text: `+ create`, `~ update` with field changes, `- delete`.
pub fn render_human(r: &Report) -> String {
    let mut s = String::new();
    for op in &r.operations {
        let sign = match op.action {
            Action::Create => "+",
            Action::Update => "~",
            Action::Delete => "-",
        };
        s.push_str(&format!(
            "{sign} {} '{}' (level {})",
            op.kind, op.key, op.level
        ));
        if let Some(n) = &op.note {
            s.push_str(&format!("  [{n}]"));
        }
        s.push('\n');
        for c in &op.changes {
            s.push_str(&format!(
                "    {}: {} -> {}\n",
                c.pointer,
                short(&c.before),
                short(&c.after)
            ));
        }
    }
    for d in r.errors.iter().chain(&r.warnings) {
        let sev = if d.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        s.push_str(&format!(
            "{sev}[{}] {}:{}:{}: {}\n",
            d.code, d.file, d.line, d.column, d.message
        ));
    }
    let sm = &r.summary;
    s.push_str(&format!(
        "Plan for {}: {} to create, {} to update, {} to delete, {} unchanged; {} errors, {} warnings; about {} requests (~{} s). Plan {}.\n",
        r.env, sm.create, sm.update, sm.delete, sm.unchanged, sm.errors, sm.warnings, r.estimated_requests, r.estimated_seconds, r.plan_hash
    ));
    s
}

/// Markdown for a pull request.
pub fn render_markdown(r: &Report) -> String {
    let sm = &r.summary;
    let mut s = format!(
        "### gcops plan for `{}`\n\n| create | update | delete | unchanged | errors | warnings |\n|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} |\n\n",
        r.env, sm.create, sm.update, sm.delete, sm.unchanged, sm.errors, sm.warnings
    );
    if !r.operations.is_empty() {
        s.push_str("| | kind | object | changes |\n|---|---|---|---|\n");
        for op in &r.operations {
            let sign = match op.action {
                Action::Create => "➕ create",
                Action::Update => "✏️ update",
                Action::Delete => "🗑️ delete",
            };
            let changes: Vec<String> = op
                .changes
                .iter()
                .map(|c| format!("`{}`", c.pointer))
                .collect();
            s.push_str(&format!(
                "| {sign} | `{}` | {} | {} |\n",
                op.kind,
                op.key.replace('|', "\\|"),
                changes.join(", ")
            ));
        }
        s.push('\n');
    }
    for d in r.errors.iter().chain(&r.warnings) {
        let sev = if d.severity == Severity::Error {
            "❌"
        } else {
            "⚠️"
        };
        s.push_str(&format!(
            "- {sev} `{}` {}:{}: {}\n",
            d.code, d.file, d.line, d.message
        ));
    }
    s.push_str(&format!(
        "\nAbout {} requests (~{} s). Plan `{}`.\n",
        r.estimated_requests, r.estimated_seconds, r.plan_hash
    ));
    s
}

/// The report as JSON (`dry_run_report.json`).
pub fn to_json(r: &Report) -> Value {
    let mut v = serde_json::to_value(r).expect("reports serialize");
    if let Value::Object(m) = &mut v {
        m.insert("format".into(), json!("gcops-plan/1"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_and_substitutions() {
        let a =
            json!({"name": "Q", "description": "old", "acwSettings": {"timeoutMs": 1}, "x": [1]});
        let b = json!({"name": "Q", "acwSettings": {"timeoutMs": 2}, "x": [1], "y": true});
        let d = diff(&a, &b);
        assert_eq!(
            d.iter().map(|c| c.pointer.as_str()).collect::<Vec<_>>(),
            ["/acwSettings/timeoutMs", "/description", "/y"]
        );
        let mut v = json!({"n": "{{num}}", "t": "Call {{brand}} now", "k": "{{missing}}"});
        substitute(&mut v, &json!({"num": 5, "brand": "ACME"}));
        assert_eq!(v, json!({"n": 5, "t": "Call ACME now", "k": "{{missing}}"}));
    }
}
