//! API object -> repository form (DESIGN.md §4–§5): volatile and read-only fields stripped,
//! references turned into natural keys, set-like arrays sorted, nulls dropped. The output holds
//! no platform UUID unless a reference could not be resolved (reported, never hidden).

use std::collections::HashMap;

use gcops_model::canonical::drop_nulls;
use gcops_model::catalog::{BASE_STRIP, Catalog, KeySpec, KindSpec, RefRule, Shape, natural_key};
use gcops_model::pointer;
use serde_json::{Value, json};

/// What a reference resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub key: String,
    pub name: String,
    /// Flow type, for flow references (`{"name", "type"}`).
    pub ty: Option<String>,
}

impl Target {
    /// The repository form of an object reference.
    pub fn reference(&self) -> Value {
        match &self.ty {
            Some(t) => json!({"name": self.name, "type": t}),
            None => json!({"name": self.name}),
        }
    }
}

/// Every object of the org that references may point at, by kind and UUID.
#[derive(Debug, Default)]
pub struct Index {
    /// kind -> UUID -> target (nested so a lookup allocates nothing).
    map: HashMap<String, HashMap<String, Target>>,
}

impl Index {
    pub fn add(&mut self, spec: &KindSpec, obj: &Value) {
        let (Some(id), Some(key)) = (obj["id"].as_str(), natural_key(spec, obj)) else {
            return;
        };
        let ty = (spec.key == KeySpec::TypeName)
            .then(|| obj["type"].as_str().unwrap_or_default().to_string());
        let name = obj["name"].as_str().unwrap_or(&key).to_string();
        self.map
            .entry(spec.id.to_string())
            .or_default()
            .insert(id.to_string(), Target { key, name, ty });
    }

    pub fn get(&self, kind: &str, id: &str) -> Option<&Target> {
        self.map.get(kind)?.get(id)
    }

    pub fn len(&self) -> usize {
        self.map.values().map(HashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// A reference that could not be turned into a natural key (its UUID stays in the output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub pointer: String,
    pub target: String,
    pub id: String,
}

/// Normalizes one API object of `spec` (with any virtual sub-resource field already attached).
pub fn normalize(
    spec: &KindSpec,
    obj: &Value,
    index: &Index,
    include_org_specific: bool,
) -> (Value, Vec<Unresolved>) {
    let mut v = obj.clone();
    drop_nulls(&mut v);
    for p in BASE_STRIP.iter().chain(spec.strip) {
        pointer::remove(&mut v, p);
    }
    if !include_org_specific {
        for p in spec.org_specific {
            pointer::remove(&mut v, p);
        }
    }
    if let Some(hook) = spec.hook {
        hook(&mut v);
    }
    let mut unresolved = Vec::new();
    for rule in &spec.refs {
        resolve_rule(rule, &mut v, index, &mut unresolved);
    }
    sort_sets(spec, &mut v);
    (v, unresolved)
}

fn resolve_rule(rule: &RefRule, v: &mut Value, index: &Index, unresolved: &mut Vec<Unresolved>) {
    let holders: Vec<String> = pointer::matches(v, &rule.path)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    for ptr in holders {
        let Some(holder) = v.pointer_mut(&ptr) else {
            continue;
        };
        match rule.shape {
            Shape::Obj => {
                let Some(id) = holder.get("id").and_then(Value::as_str).map(str::to_string) else {
                    continue;
                };
                let resolved = if rule.is_external() {
                    holder
                        .get("name")
                        .and_then(Value::as_str)
                        .map(|n| json!({"name": n}))
                } else {
                    index.get(&rule.target, &id).map(Target::reference)
                };
                match resolved {
                    Some(r) => *holder = r,
                    None => unresolved.push(Unresolved {
                        pointer: ptr,
                        target: rule.target.clone(),
                        id,
                    }),
                }
            }
            Shape::Id => {
                let Some(id) = holder.as_str().map(str::to_string) else {
                    continue;
                };
                match index.get(&rule.target, &id) {
                    Some(t) => *holder = json!(t.key),
                    None => unresolved.push(Unresolved {
                        pointer: ptr,
                        target: rule.target.clone(),
                        id,
                    }),
                }
            }
            Shape::Ids => {
                let Some(items) = holder.as_array_mut() else {
                    continue;
                };
                for (i, item) in items.iter_mut().enumerate() {
                    let Some(id) = item.as_str().map(str::to_string) else {
                        continue;
                    };
                    match index.get(&rule.target, &id) {
                        Some(t) => *item = json!(t.key),
                        None => unresolved.push(Unresolved {
                            pointer: format!("{ptr}/{i}"),
                            target: rule.target.clone(),
                            id,
                        }),
                    }
                }
            }
        }
    }
}

/// Sorts the kind's set-like arrays by their key fields (or by value).
pub fn sort_sets(spec: &KindSpec, v: &mut Value) {
    for set in spec.sets {
        pointer::for_each_mut(v, set.path, &mut |arr| {
            if let Value::Array(items) = arr {
                items.sort_by_cached_key(|item| set_key(item, set.by));
            }
        });
    }
}

/// The sort key of a set item (its `by` fields, or itself).
pub fn set_key(item: &Value, by: &[&str]) -> Vec<String> {
    if by.is_empty() {
        return vec![
            item.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| item.to_string()),
        ];
    }
    by.iter()
        .map(|f| match &item[*f] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect()
}

/// The repository key of an object (natural key), for sorting files and the id map.
pub fn key_of(spec: &KindSpec, obj: &Value) -> Option<String> {
    natural_key(spec, obj)
}

/// Calls `f(rule, holder)` for every reference holder in a repository object of `spec`,
/// including those inside embedded sub-resource items (outbound routes).
pub fn for_each_ref_mut(
    catalog: &Catalog,
    spec: &KindSpec,
    v: &mut Value,
    f: &mut dyn FnMut(&RefRule, &mut Value),
) {
    for rule in &spec.refs {
        pointer::for_each_mut(v, &rule.path, &mut |h| f(rule, h));
    }
    if let Some(sub) = spec.sub.filter(|s| !s.as_refs)
        && let (Some(child), Some(Value::Array(items))) =
            (catalog.get(sub.kind), v.get_mut(sub.field))
    {
        for item in items {
            for rule in &child.refs {
                pointer::for_each_mut(item, &rule.path, &mut |h| f(rule, h));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queue_normalizes_to_names() {
        let c = Catalog::builtin();
        let mut index = Index::default();
        index.add(
            c.get("architect/flows").unwrap(),
            &json!({"id": "f1", "name": "IQ", "type": "INQUEUECALL"}),
        );
        index.add(
            c.get("routing/skills").unwrap(),
            &json!({"id": "s1", "name": "Billing"}),
        );
        index.add(
            c.get("routing/skills").unwrap(),
            &json!({"id": "s0", "name": "Alpha"}),
        );
        index.add(
            c.get("administration/divisions").unwrap(),
            &json!({"id": "d1", "name": "Home"}),
        );
        index.add(
            c.get("routing/queues").unwrap(),
            &json!({"id": "q0", "name": "Backup"}),
        );
        let raw = json!({
            "id": "q1", "name": "Support", "selfUri": "/x", "dateCreated": "d", "memberCount": 3, "peerId": "p",
            "division": {"id": "d1", "name": "Home", "selfUri": "/d"},
            "queueFlow": {"id": "f1", "name": "IQ", "selfUri": "/f"},
            "bullseye": {"rings": [{"actions": {"skillsToRemove": [{"id": "s1", "name": "Billing"}, {"id": "s0"}]}}]},
            "directRouting": {"backupQueueId": "q0"},
            "whisperPrompt": {"id": "p1", "name": "Hello"},
            "description": null,
            "conditionalGroupRouting": {"rules": [{"queue": {"id": "gone"}}]},
        });
        let (v, unresolved) = normalize(c.get("routing/queues").unwrap(), &raw, &index, false);
        assert_eq!(
            v,
            json!({
                "name": "Support", "division": {"name": "Home"},
                "queueFlow": {"name": "IQ", "type": "INQUEUECALL"},
                "bullseye": {"rings": [{"actions": {"skillsToRemove": [{"name": "Alpha"}, {"name": "Billing"}]}}]},
                "directRouting": {"backupQueueId": "Backup"},
                "whisperPrompt": {"name": "Hello"},
                "conditionalGroupRouting": {"rules": [{"queue": {"id": "gone"}}]},
            })
        );
        assert_eq!(
            unresolved,
            vec![Unresolved {
                pointer: "/conditionalGroupRouting/rules/0/queue".into(),
                target: "routing/queues".into(),
                id: "gone".into()
            }]
        );
    }

    #[test]
    fn trunk_properties_keep_instances_only() {
        let c = Catalog::builtin();
        let raw = json!({"name": "T", "managed": false, "trunkMetabase": {"id": "external_sip.json", "name": "Generic SIP"},
            "properties": {"a": {"type": "string", "value": {"default": "", "instance": "x"}}, "b": {"value": {"default": 1}}}});
        let (v, _) = normalize(
            c.get("telephony/trunks").unwrap(),
            &raw,
            &Index::default(),
            false,
        );
        assert_eq!(
            v,
            json!({"name": "T", "trunkMetabase": {"id": "external_sip.json"},
            "properties": {"a": {"value": {"instance": "x"}}}})
        );
    }
}
