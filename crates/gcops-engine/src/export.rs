//! `gcops export`: read an org through the catalog and produce the repository files.
//!
//! Every list is fetched concurrently (the client paces them under the rate limits); then the
//! per-parent sub-resources (one call per queue for its wrap-up codes, one per site for its
//! outbound routes — the API has no bulk endpoint for them). Objects are normalized, sorted by
//! natural key and rendered as canonical JSON. A kind whose requests failed is reported and
//! produces no text, so its file is left as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use gcops_model::canonical::to_canonical_string;
use gcops_model::catalog::{
    Catalog, KeySpec, KindSpec, PROBE_PAGE_SIZES, Paging, child_key, natural_key,
};
use gcops_model::idmap::Rename;
use gcops_model::{IdMap, Remote, contains_uuid};
use serde::Serialize;
use serde_json::Value;
use tokio::task::JoinSet;

use crate::Progress;
use crate::normalize::{Index, normalize};
use gcops_model::ignore::{self, IgnoreRule};

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The environment whose ids are recorded in the id map.
    pub env: String,
    /// Kinds to export (top-level kind ids); empty: every kind.
    pub kinds: Vec<String>,
    /// Keep fields that belong to one org (the org's name and domain, …).
    pub include_org_specific: bool,
    pub ignore: Vec<IgnoreRule>,
}

/// A warning about one object (an id that stayed an id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub kind: String,
    pub key: String,
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindReport {
    pub kind: String,
    pub file: String,
    /// Objects written (built-ins excluded).
    pub objects: usize,
    /// The canonical file content; `None` when the kind failed.
    #[serde(skip)]
    pub text: Option<String>,
    pub error: Option<String>,
    /// The fewest requests that could have read this kind (lists at the largest page size,
    /// plus one call per parent for sub-resources).
    pub min_requests: u64,
    /// The normalized objects by natural key, in file order (plan compares them with the
    /// repository).
    #[serde(skip)]
    pub normalized: Vec<(String, Value)>,
    /// Natural keys of every object of the kind in the org, built-ins included.
    #[serde(skip)]
    pub live_keys: BTreeSet<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportResult {
    /// Kinds in scope, in catalog order.
    pub kinds: Vec<KindReport>,
    /// Minimum requests of lists read only to resolve references (kinds out of scope).
    pub lookup_min_requests: u64,
    #[serde(skip)]
    pub idmap: IdMap,
    pub renames: Vec<Rename>,
    pub warnings: Vec<Warning>,
    /// Certificate authorities as the org reports them: (name, expiry of each certificate, ms).
    #[serde(skip)]
    pub certificates: Vec<(String, Vec<i64>)>,
    /// Natural keys of every kind read (in scope or read for references), built-ins included.
    #[serde(skip)]
    pub live_keys: BTreeMap<String, BTreeSet<String>>,
    /// kind -> natural key -> UUID in this org, for every kind read (built-ins and embedded
    /// sub-resource items included): what apply resolves names with.
    #[serde(skip)]
    pub live_ids: BTreeMap<String, BTreeMap<String, String>>,
}

impl ExportResult {
    pub fn min_requests(&self) -> u64 {
        self.lookup_min_requests + self.kinds.iter().map(|k| k.min_requests).sum::<u64>()
    }
    pub fn failed(&self) -> bool {
        self.kinds.iter().any(|k| k.error.is_some())
    }
}

fn pages(n: usize, paging: Paging) -> u64 {
    match paging {
        Paging::Singleton | Paging::Single => 1,
        Paging::Cursor { max } => (n as u64).div_ceil(max as u64).max(1),
        Paging::Offset { max } => (n as u64)
            .div_ceil(max.unwrap_or(PROBE_PAGE_SIZES[0]) as u64)
            .max(1),
    }
}

fn query(spec: &KindSpec) -> Vec<(String, String)> {
    spec.list_query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Which top-level kinds `scope` needs read: itself plus the targets of its references.
fn needed(catalog: &Catalog, scope: &[&KindSpec]) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for spec in scope {
        out.insert(spec.id);
        let mut rules: Vec<_> = spec.refs.iter().collect();
        if let Some(child) = spec.sub.and_then(|s| catalog.get(s.kind)) {
            rules.extend(child.refs.iter());
        }
        for r in rules.into_iter().filter(|r| !r.is_external()) {
            if let Some(t) = catalog.get(&r.target).filter(|t| t.file.is_some()) {
                out.insert(t.id);
            }
        }
    }
    out
}

pub async fn export<R: Remote>(
    remote: &R,
    catalog: &Catalog,
    idmap: &IdMap,
    opts: &ExportOptions,
    progress: Arc<dyn Progress>,
) -> ExportResult {
    let scope: Vec<&KindSpec> = catalog
        .top_level()
        .filter(|k| opts.kinds.is_empty() || opts.kinds.iter().any(|s| s == k.id))
        .collect();
    let needed = needed(catalog, &scope);

    // 1. Every list, concurrently.
    let mut set = JoinSet::new();
    for id in &needed {
        let spec = catalog
            .get(id)
            .expect("needed kinds come from the catalog")
            .clone();
        let r = remote.clone();
        let p = progress.clone();
        let in_scope = scope.iter().any(|s| s.id == spec.id);
        set.spawn(async move {
            if in_scope {
                p.start(spec.id, None);
            }
            let res = r
                .list(spec.list_path, &query(&spec), spec.paging, spec.id)
                .await;
            (spec.id, res)
        });
    }
    let mut lists: BTreeMap<&str, Result<Vec<Value>, String>> = BTreeMap::new();
    while let Some(joined) = set.join_next().await {
        let (id, res) = joined.expect("list tasks do not panic");
        lists.insert(id, res.map_err(|e| e.to_string()));
    }

    // 2. Sub-resources, one call per parent.
    let mut subs: BTreeMap<&str, Result<BTreeMap<String, Vec<Value>>, String>> = BTreeMap::new();
    for spec in &scope {
        let (Some(sub), Some(Ok(parents))) = (spec.sub, lists.get(spec.id)) else {
            continue;
        };
        let parents: Vec<String> = parents
            .iter()
            .filter(|o| !(spec.builtin)(o) && !(spec.skip)(o))
            .filter_map(|o| o["id"].as_str().map(str::to_string))
            .collect();
        progress.start(spec.id, Some(parents.len() as u64));
        let mut set = JoinSet::new();
        for pid in parents {
            let r = remote.clone();
            let p = progress.clone();
            let kind = spec.id;
            let path = sub.list_path.replace("{id}", &pid);
            set.spawn(async move {
                let res = r.list(&path, &[], sub.paging, sub.kind).await;
                p.advance(kind, 1);
                (pid, res)
            });
        }
        let mut got = BTreeMap::new();
        let mut err = None;
        while let Some(joined) = set.join_next().await {
            let (pid, res) = joined.expect("sub-resource tasks do not panic");
            match res {
                Ok(items) => {
                    got.insert(pid, items);
                }
                Err(e) => {
                    err.get_or_insert(e.to_string());
                }
            }
        }
        subs.insert(
            spec.id,
            match err {
                Some(e) => Err(e),
                None => Ok(got),
            },
        );
    }

    // 3. Index every object references may point at.
    let mut index = Index::default();
    for (id, list) in &lists {
        let spec = catalog.get(id).expect("catalog kind");
        for o in list.iter().flatten().filter(|o| !(spec.skip)(o)) {
            index.add(spec, o);
        }
    }

    let live_keys: BTreeMap<String, BTreeSet<String>> = lists
        .iter()
        .filter_map(|(id, l)| {
            let spec = catalog.get(id)?;
            let items = l.as_ref().ok()?;
            Some((
                id.to_string(),
                items
                    .iter()
                    .filter(|o| !(spec.skip)(o))
                    .filter_map(|o| natural_key(spec, o))
                    .collect(),
            ))
        })
        .collect();
    let mut live_ids: BTreeMap<String, BTreeMap<String, String>> = lists
        .iter()
        .filter_map(|(id, l)| {
            let spec = catalog.get(id)?;
            let items = l.as_ref().ok()?;
            let ids = items
                .iter()
                .filter(|o| !(spec.skip)(o))
                .filter_map(|o| Some((natural_key(spec, o)?, o["id"].as_str()?.to_string())))
                .collect();
            Some((id.to_string(), ids))
        })
        .collect();
    // Certificate expiry as the org reports it (plan and validate --env check it).
    let certificates = lists
        .get("telephony/certificate-authorities")
        .and_then(|l| l.as_ref().ok())
        .map(|items| crate::live::certificate_expiries(items))
        .unwrap_or_default();

    // 4. Normalize, sort, render; sync the id map.
    let mut idmap = idmap.clone();
    let mut renames = Vec::new();
    let mut warnings = Vec::new();
    let mut reports = Vec::new();
    let mut lookup_min = 0;
    for id in &needed {
        if !scope.iter().any(|s| s.id == *id) {
            let n = lists
                .get(id)
                .and_then(|l| l.as_ref().ok())
                .map_or(0, Vec::len);
            lookup_min += pages(n, catalog.get(id).expect("catalog kind").paging);
        }
    }
    for spec in &scope {
        let file = spec.file.expect("top-level kinds have a file").to_string();
        let failed = |e: String| {
            progress.finish(spec.id, 0, Some(&e));
            KindReport {
                kind: spec.id.into(),
                file: file.clone(),
                objects: 0,
                text: None,
                error: Some(e),
                min_requests: 0,
                normalized: Vec::new(),
                live_keys: BTreeSet::new(),
            }
        };
        let list = match lists.remove(spec.id).expect("every needed kind was listed") {
            Ok(l) => l,
            Err(e) => {
                reports.push(failed(e));
                continue;
            }
        };
        let sub_items = match spec.sub.map(|_| subs.remove(spec.id)) {
            Some(Some(Err(e))) => {
                reports.push(failed(e));
                continue;
            }
            Some(Some(Ok(m))) => m,
            _ => BTreeMap::new(),
        };
        let mut min = pages(list.len(), spec.paging);
        let mut live = BTreeMap::new();
        let mut child_live = BTreeMap::new();
        let mut objects: Vec<(String, Value)> = Vec::new();
        for raw in list.iter().filter(|o| !(spec.skip)(o)) {
            let Some(key) = natural_key(spec, raw) else {
                continue;
            };
            if let Some(uuid) = raw["id"].as_str() {
                live.insert(key.clone(), uuid.to_string());
            }
            if (spec.builtin)(raw) {
                continue;
            }
            let mut raw = raw.clone();
            if let Some(sub) = spec.sub {
                let items = raw["id"]
                    .as_str()
                    .and_then(|pid| sub_items.get(pid))
                    .cloned()
                    .unwrap_or_default();
                min += pages(items.len(), sub.paging);
                let child = catalog.get(sub.kind).expect("sub kinds are in the catalog");
                let embedded: Vec<Value> = if sub.as_refs {
                    items
                        .iter()
                        .map(|i| serde_json::json!({"id": i["id"], "name": i["name"]}))
                        .collect()
                } else {
                    items
                        .iter()
                        .filter(|i| !(child.skip)(i))
                        .map(|i| {
                            if let (Some(ck), Some(u)) = (natural_key(child, i), i["id"].as_str()) {
                                child_live.insert(child_key(&key, &ck), u.to_string());
                            }
                            let (v, unresolved) =
                                normalize(child, i, &index, opts.include_org_specific);
                            for u in unresolved {
                                warnings.push(unresolved_warning(
                                    spec.id,
                                    &key,
                                    &format!(
                                        "/{}/{}",
                                        sub.field,
                                        u.pointer.trim_start_matches('/')
                                    ),
                                    &u.target,
                                    &u.id,
                                ));
                            }
                            v
                        })
                        .collect()
                };
                raw[sub.field] = Value::Array(embedded);
            }
            let (mut v, unresolved) = normalize(spec, &raw, &index, opts.include_org_specific);
            for u in unresolved {
                warnings.push(unresolved_warning(
                    spec.id, &key, &u.pointer, &u.target, &u.id,
                ));
            }
            ignore::apply(&opts.ignore, spec.id, &key, &mut v);
            for (ptr, s) in uuid_strings(&v) {
                if !warnings
                    .iter()
                    .any(|w| w.kind == spec.id && w.key == key && w.pointer == ptr)
                {
                    warnings.push(Warning {
                        code: "UNRESOLVED_ID",
                        kind: spec.id.into(),
                        key: key.clone(),
                        pointer: ptr,
                        message: format!(
                            "'{s}' looks like a platform id; add a [[references]] rule for it in gcops.toml (or an [[ignore]] rule) so the file stays portable"
                        ),
                    });
                }
            }
            objects.push((key, v));
        }
        objects.sort_by(|a, b| a.0.cmp(&b.0));
        let text = if spec.key == KeySpec::Singleton {
            to_canonical_string(objects.first().map(|(_, v)| v).unwrap_or(&Value::Null))
        } else {
            to_canonical_string(&Value::Array(
                objects.iter().map(|(_, v)| v.clone()).collect(),
            ))
        };
        renames.extend(idmap.sync_kind(spec.id, &opts.env, &live));
        if let Some(sub) = spec.sub.filter(|s| !s.as_refs) {
            renames.extend(idmap.sync_kind(sub.kind, &opts.env, &child_live));
            live_ids.insert(sub.kind.to_string(), child_live.clone());
        }
        progress.finish(spec.id, objects.len(), None);
        reports.push(KindReport {
            kind: spec.id.into(),
            file,
            objects: objects.len(),
            text: Some(text),
            error: None,
            min_requests: min,
            live_keys: live.keys().cloned().collect(),
            normalized: objects,
        });
    }
    ExportResult {
        live_ids,
        live_keys,
        certificates,
        kinds: reports,
        lookup_min_requests: lookup_min,
        idmap,
        renames,
        warnings,
    }
}

fn unresolved_warning(kind: &str, key: &str, pointer: &str, target: &str, id: &str) -> Warning {
    Warning {
        code: "UNRESOLVED_REFERENCE",
        kind: kind.into(),
        key: key.into(),
        pointer: pointer.into(),
        message: format!(
            "the {target} with id {id} was not found in the org, so the reference keeps its id"
        ),
    }
}

/// Every string value that contains a UUID, with its pointer.
fn uuid_strings(v: &Value) -> Vec<(String, String)> {
    fn walk(v: &Value, at: String, out: &mut Vec<(String, String)>) {
        match v {
            Value::String(s) if contains_uuid(s) => out.push((at, s.clone())),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| walk(x, format!("{at}/{i}"), out)),
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                walk(x, format!("{at}/{}", gcops_model::pointer::escape(k)), out)
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}
