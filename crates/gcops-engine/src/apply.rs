//! `gcops apply`: carry out a plan level by level (concurrently inside a level, paced by the
//! client), resolving names to the target org's UUIDs — including objects created earlier in the
//! same run — with a journal entry before and after every write. If anything fails, everything
//! done so far is undone in reverse order (DESIGN.md §6).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use gcops_model::canonical::drop_nulls;
use gcops_model::catalog::{BASE_STRIP, Catalog, KeySpec, KindSpec, Shape, Write, child_key};
use gcops_model::{Remote, pointer};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::export::ExportResult;
use crate::plan::{Action, Operation, Report};

/// Where apply records what it does (a file in the CLI). Written before and after every write.
pub trait Journal: Send + Sync {
    fn record(&self, entry: &Value) -> Result<(), String>;
}

#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    pub allow_delete: bool,
    pub max_deletes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Done,
    Failed,
    RolledBack,
    RollbackFailed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub action: Action,
    pub kind: String,
    pub key: String,
    pub status: StepStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub steps: Vec<Step>,
    /// Refused before any write (deletes not allowed, too many deletes, …).
    pub refused: Option<String>,
    pub failed: bool,
    /// After a failure: whether every completed step was undone.
    pub rolled_back: bool,
    /// kind -> key -> UUID in the target after the run.
    #[serde(skip)]
    pub ids: BTreeMap<String, BTreeMap<String, String>>,
}

type Ids = Arc<Mutex<BTreeMap<String, BTreeMap<String, String>>>>;

/// What undoing a completed step takes.
#[derive(Debug, Clone)]
enum Undo {
    Delete {
        path: String,
    },
    Restore {
        kind: String,
        path: String,
        before: Value,
        wrapups: Option<Vec<String>>,
    },
    Recreate {
        kind: String,
        key: String,
        list_path: String,
        before: Value,
    },
}

fn item_path(spec: &KindSpec, id: &str) -> String {
    match spec.key {
        KeySpec::Singleton => spec.list_path.to_string(),
        _ => format!("{}/{id}", spec.write_path()),
    }
}

/// Repository form -> API body: names become the target's ids. Optional references whose
/// target does not exist yet are left out (`deferred` = true: a second pass sets them).
fn denormalize(
    catalog: &Catalog,
    spec: &KindSpec,
    v: &Value,
    ids: &Ids,
) -> Result<(Value, bool), String> {
    let mut body = v.clone();
    if let (Some(sub), Value::Object(m)) = (spec.sub, &mut body) {
        m.remove(sub.field);
    }
    let ids = ids.lock().expect("ids lock");
    let mut deferred = false;
    let mut missing = None;
    for rule in &spec.refs {
        let flow_target = catalog
            .get(&rule.target)
            .is_some_and(|t| t.key == KeySpec::TypeName);
        let lookup = |key: &str| ids.get(&rule.target).and_then(|m| m.get(key)).cloned();
        pointer::for_each_mut(&mut body, &rule.path, &mut |holder| {
            let resolve = |key: String| -> Option<String> { lookup(&key) };
            let (key, to_value): (Option<String>, fn(String) -> Value) = match rule.shape {
                Shape::Obj => {
                    let name = holder
                        .get("name")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    let key = match (
                        flow_target,
                        holder.get("type").and_then(Value::as_str),
                        name,
                    ) {
                        (true, Some(t), Some(n)) => Some(format!("{t}/{n}")),
                        (_, _, n) => n,
                    };
                    (key, |id| json!({ "id": id }))
                }
                Shape::Id => (holder.as_str().map(str::to_string), Value::String),
                Shape::Ids => (None, Value::String),
            };
            if rule.shape == Shape::Ids {
                for item in holder.as_array_mut().into_iter().flatten() {
                    match item.as_str().map(str::to_string).and_then(resolve) {
                        Some(id) => *item = Value::String(id),
                        None if rule.optional => {
                            *item = Value::Null;
                            deferred = true;
                        }
                        None => missing = Some(format!("{} '{}'", rule.target, item)),
                    }
                }
                return;
            }
            let Some(key) = key else { return };
            match resolve(key.clone()) {
                Some(id) => *holder = to_value(id),
                // A lookup-only target is never created by gcops: waiting cannot help.
                None if rule.optional && !rule.is_external() => {
                    *holder = Value::Null;
                    deferred = true;
                }
                None => missing = Some(format!("{} '{key}'", rule.target)),
            }
        });
    }
    if let Some(m) = missing {
        return Err(format!("{m} does not exist in the target org"));
    }
    drop_nulls(&mut body);
    Ok((body, deferred))
}

/// The update body: the live object as read, every managed field replaced by the desired value
/// (absent in the repository -> absent in the body); stripped fields keep their live values.
fn overlay(spec: &KindSpec, live: &Value, desired: &Value) -> Value {
    let mut body = live.clone();
    let managed = |k: &str| {
        let p = format!("/{}", pointer::escape(k));
        !BASE_STRIP.contains(&p.as_str())
            && !spec.strip.contains(&p.as_str())
            && !spec.org_specific.contains(&p.as_str())
    };
    if let (Value::Object(b), Value::Object(d)) = (&mut body, desired) {
        b.retain(|k, _| !managed(k) || d.contains_key(k));
        for (k, v) in d {
            b.insert(k.clone(), v.clone());
        }
    }
    body
}

/// Request-only cleanup of a live object used as a body (rollback, recreate).
fn writable(spec: &KindSpec, raw: &Value) -> Value {
    let mut v = raw.clone();
    for p in BASE_STRIP.iter().filter(|p| **p != "/version") {
        pointer::remove(&mut v, p);
    }
    if spec.key != KeySpec::Singleton {
        pointer::remove(&mut v, "/version");
    }
    v
}

struct Ctx<R: Remote> {
    remote: R,
    catalog: Arc<Catalog>,
    ids: Ids,
}

impl<R: Remote> Clone for Ctx<R> {
    fn clone(&self) -> Self {
        Ctx {
            remote: self.remote.clone(),
            catalog: self.catalog.clone(),
            ids: self.ids.clone(),
        }
    }
}

fn err(e: gcops_model::RemoteError) -> String {
    e.message
}

impl<R: Remote> Ctx<R> {
    fn id_of(&self, kind: &str, key: &str) -> Option<String> {
        self.ids
            .lock()
            .expect("ids lock")
            .get(kind)
            .and_then(|m| m.get(key))
            .cloned()
    }
    fn set_id(&self, kind: &str, key: &str, id: &str) {
        self.ids
            .lock()
            .expect("ids lock")
            .entry(kind.to_string())
            .or_default()
            .insert(key.to_string(), id.to_string());
    }
    fn forget(&self, kind: &str, key: &str) {
        if let Some(m) = self.ids.lock().expect("ids lock").get_mut(kind) {
            m.remove(key);
        }
    }

    async fn create(
        &self,
        spec: &KindSpec,
        key: &str,
        desired: &Value,
    ) -> Result<(Undo, bool), String> {
        let (mut body, deferred) = denormalize(&self.catalog, spec, desired, &self.ids)?;
        let created = match spec.write {
            Write::CreateOnlyDivision => {
                let div = body.pointer("/division/id").cloned();
                let mut b = json!({"name": body["name"]});
                if let Some(d) = div {
                    b["divisionId"] = d;
                }
                self.remote
                    .send("POST", spec.write_path(), Some(&b))
                    .await
                    .map_err(err)?
            }
            Write::FromTemplate => {
                // Trunks are made from their metabase's template, then given our instances.
                let mb = body
                    .pointer("/trunkMetabase/id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let path = format!("{}/template?trunkMetabaseId={mb}", spec.list_path);
                let mut template = self.remote.send("GET", &path, None).await.map_err(err)?;
                let props = body.get("properties").cloned();
                for (k, v) in body.as_object().into_iter().flatten() {
                    if k != "properties" {
                        template[k] = v.clone();
                    }
                }
                for (name, p) in props
                    .as_ref()
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if let Some(inst) = p.pointer("/value/instance") {
                        template["properties"][name]["value"]["instance"] = inst.clone();
                    }
                }
                body = template;
                self.remote
                    .send("POST", spec.write_path(), Some(&body))
                    .await
                    .map_err(err)?
            }
            _ => self
                .remote
                .send("POST", spec.write_path(), Some(&body))
                .await
                .map_err(err)?,
        };
        let id = created["id"]
            .as_str()
            .ok_or("the create response has no id")?
            .to_string();
        self.set_id(spec.id, key, &id);
        let undo = Undo::Delete {
            path: item_path(spec, &id),
        };
        // A failure half-way leaves nothing behind: the new object is removed again.
        let sub_deferred = match self.sync_subresources(spec, key, &id, desired, true).await {
            Ok(d) => d,
            Err(e) => {
                let _ = self.undo(&undo).await;
                self.forget(spec.id, key);
                return Err(format!("{e} (the new {} was removed again)", spec.id));
            }
        };
        Ok((undo, deferred || sub_deferred))
    }

    /// Returns what undoing it takes, and whether references were left for the second phase.
    async fn update(
        &self,
        spec: &KindSpec,
        key: &str,
        desired: &Value,
    ) -> Result<(Undo, bool), String> {
        let id = self
            .id_of(spec.id, key)
            .ok_or_else(|| format!("{} '{key}' has no id in the target", spec.id))?;
        let path = item_path(spec, &id);
        let before = self.remote.send("GET", &path, None).await.map_err(err)?;
        let wrapups = if spec.sub.is_some_and(|sub| sub.as_refs) {
            Some(self.queue_wrapups(&id).await?)
        } else {
            None
        };
        let (body, _) = denormalize(&self.catalog, spec, desired, &self.ids)?;
        match spec.write {
            Write::CreateOnly | Write::CreateOnlyDivision => {
                let division = body.pointer("/division/id").cloned();
                let changed_name = before["name"] != body["name"];
                if changed_name || spec.write == Write::CreateOnly {
                    return Err(format!(
                        "{} cannot be edited in place (the API has no update); rename it by creating a new one",
                        spec.id
                    ));
                }
                if let Some(d) = division {
                    self.remote
                        .send("PATCH", &path, Some(&json!({"divisionId": d})))
                        .await
                        .map_err(err)?;
                }
            }
            Write::Locked => {
                let put = overlay(spec, &before, &body);
                self.put_flow(&id, &path, &put).await?;
            }
            _ => {
                let put = overlay(spec, &before, &body);
                self.remote
                    .send("PUT", &path, Some(&put))
                    .await
                    .map_err(err)?;
            }
        }
        let undo = Undo::Restore {
            kind: spec.id.into(),
            path,
            before,
            wrapups,
        };
        match self.sync_subresources(spec, key, &id, desired, false).await {
            Ok(deferred) => Ok((undo, deferred)),
            Err(e) => {
                let _ = self.undo(&undo).await;
                Err(format!("{e} (the {} was restored)", spec.id))
            }
        }
    }

    async fn delete(&self, spec: &KindSpec, key: &str) -> Result<Undo, String> {
        let id = self
            .id_of(spec.id, key)
            .ok_or_else(|| format!("{} '{key}' has no id in the target", spec.id))?;
        let path = item_path(spec, &id);
        let before = self.remote.send("GET", &path, None).await.map_err(err)?;
        self.remote.send("DELETE", &path, None).await.map_err(err)?;
        self.forget(spec.id, key);
        Ok(Undo::Recreate {
            kind: spec.id.into(),
            key: key.into(),
            list_path: spec.write_path().into(),
            before,
        })
    }

    /// PUT on a flow: the platform requires the caller's lock (checkout), released afterwards
    /// whatever the outcome (unlock: flows without a configuration cannot be checked in).
    async fn put_flow(&self, id: &str, path: &str, body: &Value) -> Result<(), String> {
        self.remote
            .send(
                "POST",
                &format!("/api/v2/flows/actions/checkout?flow={id}"),
                None,
            )
            .await
            .map_err(err)?;
        let res = self.remote.send("PUT", path, Some(body)).await.map_err(err);
        let _ = self
            .remote
            .send(
                "POST",
                &format!("/api/v2/flows/actions/unlock?flow={id}"),
                None,
            )
            .await;
        res.map(|_| ())
    }

    async fn queue_wrapups(&self, queue: &str) -> Result<Vec<String>, String> {
        let items = self
            .remote
            .list(
                &format!("/api/v2/routing/queues/{queue}/wrapupcodes"),
                &[],
                gcops_model::Paging::Offset { max: None },
                "routing/queues#wrapup-codes",
            )
            .await
            .map_err(err)?;
        Ok(items
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_string))
            .collect())
    }

    /// `fresh`: the queue was just created, so it has no codes yet (saves a read per queue).
    async fn set_queue_wrapups(
        &self,
        queue: &str,
        want: &[String],
        fresh: bool,
    ) -> Result<(), String> {
        let have = if fresh {
            Vec::new()
        } else {
            self.queue_wrapups(queue).await?
        };
        let add: Vec<Value> = want
            .iter()
            .filter(|w| !have.contains(w))
            .map(|w| json!({"id": w}))
            .collect();
        for chunk in add.chunks(100) {
            self.remote
                .send(
                    "POST",
                    &format!("/api/v2/routing/queues/{queue}/wrapupcodes"),
                    Some(&Value::Array(chunk.to_vec())),
                )
                .await
                .map_err(err)?;
        }
        for h in have.iter().filter(|h| !want.contains(h)) {
            self.remote
                .send(
                    "DELETE",
                    &format!("/api/v2/routing/queues/{queue}/wrapupcodes/{h}"),
                    None,
                )
                .await
                .map_err(err)?;
        }
        Ok(())
    }

    /// Queue wrap-up codes and site outbound routes, from the parent's virtual field.
    /// `fresh`: the parent was just created and has no sub-resources yet (no read needed).
    async fn sync_subresources(
        &self,
        spec: &KindSpec,
        key: &str,
        id: &str,
        desired: &Value,
        fresh: bool,
    ) -> Result<bool, String> {
        let Some(sub) = spec.sub else {
            return Ok(false);
        };
        let items = desired
            .get(sub.field)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if sub.as_refs {
            let mut want = Vec::new();
            for i in &items {
                let name = i["name"].as_str().unwrap_or_default();
                let code = self
                    .id_of("routing/wrapup-codes", name)
                    .ok_or_else(|| format!("wrap-up code '{name}' does not exist in the target"))?;
                want.push(code);
            }
            return self
                .set_queue_wrapups(id, &want, fresh)
                .await
                .map(|_| false);
        }
        let child = self
            .catalog
            .get(sub.kind)
            .ok_or("unknown sub-resource kind")?
            .clone();
        let path = sub.list_path.replace("{id}", id);
        let live = if fresh {
            Vec::new()
        } else {
            self.remote
                .list(&path, &[], sub.paging, sub.kind)
                .await
                .map_err(err)?
        };
        let by_name: BTreeMap<String, Value> = live
            .into_iter()
            .filter_map(|r| Some((r["name"].as_str()?.to_string(), r)))
            .collect();
        let mut any_deferred = false;
        for item in &items {
            let name = item["name"].as_str().unwrap_or_default().to_string();
            let (body, deferred) = denormalize(&self.catalog, &child, item, &self.ids)?;
            any_deferred |= deferred;
            match by_name.get(&name) {
                Some(l) => {
                    let rid = l["id"].as_str().unwrap_or_default();
                    let put = overlay(&child, l, &body);
                    if put != *l {
                        self.remote
                            .send("PUT", &format!("{path}/{rid}"), Some(&put))
                            .await
                            .map_err(err)?;
                    }
                    self.set_id(sub.kind, &child_key(key, &name), rid);
                }
                None => {
                    let created = self
                        .remote
                        .send("POST", &path, Some(&body))
                        .await
                        .map_err(err)?;
                    if let Some(rid) = created["id"].as_str() {
                        self.set_id(sub.kind, &child_key(key, &name), rid);
                    }
                }
            }
        }
        for (name, l) in &by_name {
            if !items.iter().any(|i| i["name"] == name.as_str()) {
                let rid = l["id"].as_str().unwrap_or_default();
                self.remote
                    .send("DELETE", &format!("{path}/{rid}"), None)
                    .await
                    .map_err(err)?;
            }
        }
        Ok(any_deferred)
    }

    async fn undo(&self, undo: &Undo) -> Result<(), String> {
        match undo {
            Undo::Delete { path } => match self.remote.send("DELETE", path, None).await {
                Ok(_) => Ok(()),
                Err(e) if e.status == Some(404) => Ok(()),
                Err(e) => Err(e.message),
            },
            Undo::Restore {
                kind,
                path,
                before,
                wrapups,
            } => {
                let spec = self.catalog.get(kind).ok_or("unknown kind")?.clone();
                let current = self.remote.send("GET", path, None).await.map_err(err)?;
                let mut body = writable(&spec, before);
                if let Some(v) = current.get("version") {
                    body["version"] = v.clone();
                }
                let id = before["id"].as_str().unwrap_or_default().to_string();
                match spec.write {
                    Write::CreateOnly | Write::CreateOnlyDivision => {
                        if let Some(d) = before.pointer("/division/id") {
                            self.remote
                                .send("PATCH", path, Some(&json!({"divisionId": d})))
                                .await
                                .map_err(err)?;
                        }
                    }
                    Write::Locked => self.put_flow(&id, path, &body).await?,
                    _ => {
                        self.remote
                            .send("PUT", path, Some(&body))
                            .await
                            .map_err(err)?;
                    }
                }
                if let Some(w) = wrapups {
                    self.set_queue_wrapups(&id, w, false).await?;
                }
                Ok(())
            }
            Undo::Recreate {
                kind,
                key,
                list_path,
                before,
            } => {
                let spec = self.catalog.get(kind).ok_or("unknown kind")?.clone();
                let created = self
                    .remote
                    .send("POST", list_path, Some(&writable(&spec, before)))
                    .await
                    .map_err(err)?;
                if let Some(id) = created["id"].as_str() {
                    self.set_id(kind, key, id);
                }
                Ok(())
            }
        }
    }
}

fn journal(j: &dyn Journal, entry: Value) -> Result<(), String> {
    j.record(&entry)
        .map_err(|e| format!("cannot write the journal: {e}"))
}

/// Applies `report` (a plan). `desired`: repository objects with substitutions, by kind and key.
pub async fn apply<R: Remote>(
    remote: &R,
    catalog: &Catalog,
    report: &Report,
    desired: &BTreeMap<String, BTreeMap<String, Value>>,
    live: &ExportResult,
    opts: &ApplyOptions,
    journal_sink: Arc<dyn Journal>,
) -> Outcome {
    let mut known = live.live_ids.clone();
    // Lookup-only targets (locations, …) are resolved by name with one list each.
    for (target, path) in gcops_model::catalog::EXT_LISTS {
        let used = catalog
            .kinds
            .iter()
            .any(|k| k.refs.iter().any(|r| r.target == *target));
        if !used {
            continue;
        }
        if let Ok(items) = remote
            .list(path, &[], gcops_model::Paging::Offset { max: None }, target)
            .await
        {
            let m = items
                .iter()
                .filter_map(|o| {
                    Some((
                        o["name"].as_str()?.to_string(),
                        o["id"].as_str()?.to_string(),
                    ))
                })
                .collect();
            known.insert(target.to_string(), m);
        }
    }
    let ids: Ids = Arc::new(Mutex::new(known));
    let mut outcome = Outcome {
        steps: Vec::new(),
        refused: None,
        failed: false,
        rolled_back: false,
        ids: BTreeMap::new(),
    };
    let deletes = report
        .operations
        .iter()
        .filter(|o| o.action == Action::Delete)
        .count();
    if deletes > 0 && !opts.allow_delete {
        outcome.refused = Some(format!(
            "the plan deletes {deletes} objects; pass --allow-delete to let it (nothing was changed)"
        ));
        outcome.ids = live.live_ids.clone();
        return outcome;
    }
    if deletes > opts.max_deletes {
        outcome.refused = Some(format!(
            "the plan deletes {deletes} objects, more than --max-deletes {} (nothing was changed)",
            opts.max_deletes
        ));
        outcome.ids = live.live_ids.clone();
        return outcome;
    }
    let cx = Ctx {
        remote: remote.clone(),
        catalog: Arc::new(catalog.clone()),
        ids: ids.clone(),
    };
    // Waves: creates/updates by level, then deletes (the plan lists them in that order).
    let mut waves: Vec<Vec<&Operation>> = Vec::new();
    for op in &report.operations {
        let same = waves
            .last()
            .and_then(|w| w.first())
            .is_some_and(|f: &&Operation| {
                (f.action == Action::Delete) == (op.action == Action::Delete) && f.level == op.level
            });
        if same {
            waves.last_mut().expect("non-empty").push(op);
        } else {
            waves.push(vec![op]);
        }
    }
    let mut done: Vec<(usize, Undo)> = Vec::new();
    let mut deferred: Vec<(String, String)> = Vec::new();
    let mut seq = 0usize;
    'waves: for wave in waves {
        let mut set = JoinSet::new();
        for op in wave {
            seq += 1;
            let (kind, key, action) = (op.kind.clone(), op.key.clone(), op.action);
            if let Err(e) = journal(
                journal_sink.as_ref(),
                json!({"seq": seq, "phase": "begin", "action": action, "kind": kind, "key": key}),
            ) {
                outcome.failed = true;
                outcome.steps.push(Step {
                    action,
                    kind,
                    key,
                    status: StepStatus::Failed,
                    error: Some(e),
                });
                break 'waves;
            }
            let cx = cx.clone();
            let value = desired.get(&kind).and_then(|m| m.get(&key)).cloned();
            set.spawn(async move {
                let Some(spec) = cx.catalog.get(&kind).cloned() else {
                    return (
                        seq,
                        action,
                        kind,
                        key,
                        Err("unknown kind".to_string()),
                        false,
                    );
                };
                let res = match (action, &value) {
                    (Action::Create, Some(v)) => cx.create(&spec, &key, v).await,
                    (Action::Update, Some(v)) => cx.update(&spec, &key, v).await,
                    (Action::Delete, _) => cx.delete(&spec, &key).await.map(|u| (u, false)),
                    _ => Err("the desired object is missing".to_string()),
                };
                let deferred = res.as_ref().map(|(_, d)| *d).unwrap_or(false);
                (seq, action, kind, key, res.map(|(u, _)| u), deferred)
            });
        }
        let mut wave_failed = false;
        while let Some(joined) = set.join_next().await {
            let (seq, action, kind, key, res, was_deferred) =
                joined.expect("apply tasks do not panic");
            match res {
                Ok(undo) => {
                    let id = cx.id_of(&kind, &key);
                    let (before, wrapups) = match &undo {
                        Undo::Restore {
                            before, wrapups, ..
                        } => (Some(before.clone()), wrapups.clone()),
                        Undo::Recreate { before, .. } => (Some(before.clone()), None),
                        Undo::Delete { .. } => (None, None),
                    };
                    let _ = journal(
                        journal_sink.as_ref(),
                        json!({"seq": seq, "phase": "done", "action": action, "kind": kind, "key": key, "id": id, "before": before, "wrapups": wrapups}),
                    );
                    if was_deferred {
                        deferred.push((kind.clone(), key.clone()));
                    }
                    outcome.steps.push(Step {
                        action,
                        kind,
                        key,
                        status: StepStatus::Done,
                        error: None,
                    });
                    done.push((outcome.steps.len() - 1, undo));
                }
                Err(e) => {
                    let _ = journal(
                        journal_sink.as_ref(),
                        json!({"seq": seq, "phase": "failed", "action": action, "kind": kind, "key": key, "error": e}),
                    );
                    outcome.steps.push(Step {
                        action,
                        kind,
                        key,
                        status: StepStatus::Failed,
                        error: Some(e),
                    });
                    wave_failed = true;
                }
            }
        }
        if wave_failed {
            outcome.failed = true;
            break;
        }
    }
    // Second phase: references that could only be set once their targets existed.
    if !outcome.failed {
        for (kind, key) in deferred {
            seq += 1;
            let spec = cx.catalog.get(&kind).cloned().expect("known kind");
            let v = desired
                .get(&kind)
                .and_then(|m| m.get(&key))
                .cloned()
                .expect("created from desired");
            let _ = journal(
                journal_sink.as_ref(),
                json!({"seq": seq, "phase": "begin", "action": "update", "kind": kind, "key": key, "deferred": true}),
            );
            match cx.update(&spec, &key, &v).await {
                Ok(_) => {
                    let _ = journal(
                        journal_sink.as_ref(),
                        json!({"seq": seq, "phase": "done", "action": "update", "kind": kind, "key": key, "deferred": true}),
                    );
                }
                Err(e) => {
                    outcome.steps.push(Step {
                        action: Action::Update,
                        kind,
                        key,
                        status: StepStatus::Failed,
                        error: Some(e),
                    });
                    outcome.failed = true;
                    break;
                }
            }
        }
    }
    if outcome.failed {
        // Undo in reverse order of completion.
        let mut all_undone = true;
        for (idx, undo) in done.iter().rev() {
            let step = &mut outcome.steps[*idx];
            match cx.undo(undo).await {
                Ok(()) => {
                    step.status = StepStatus::RolledBack;
                    let _ = journal(
                        journal_sink.as_ref(),
                        json!({"phase": "rolled_back", "kind": step.kind, "key": step.key}),
                    );
                    if step.action == Action::Create {
                        cx.forget(&step.kind, &step.key);
                    }
                }
                Err(e) => {
                    step.status = StepStatus::RollbackFailed;
                    step.error = Some(e);
                    all_undone = false;
                }
            }
        }
        outcome.rolled_back = all_undone;
    }
    outcome.ids = ids.lock().expect("ids lock").clone();
    outcome
}

/// Undoes the completed writes a journal records (a run that was killed, or one to revert),
/// newest first. Entries already rolled back are skipped.
pub async fn rollback<R: Remote>(
    remote: &R,
    catalog: &Catalog,
    entries: &[Value],
    journal_sink: Arc<dyn Journal>,
) -> Outcome {
    let cx = Ctx {
        remote: remote.clone(),
        catalog: Arc::new(catalog.clone()),
        ids: Arc::new(Mutex::new(BTreeMap::new())),
    };
    let mut outcome = Outcome {
        steps: Vec::new(),
        refused: None,
        failed: false,
        rolled_back: true,
        ids: BTreeMap::new(),
    };
    let undone: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e["phase"] == "rolled_back")
        .filter_map(|e| {
            Some((
                e["kind"].as_str()?.to_string(),
                e["key"].as_str()?.to_string(),
            ))
        })
        .collect();
    // Creates that were in flight when the run died may have happened without a "done":
    // look them up by natural key (never assume) and remove them first.
    let finished: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e["phase"] == "done" || e["phase"] == "failed")
        .filter_map(|e| {
            Some((
                e["kind"].as_str()?.to_string(),
                e["key"].as_str()?.to_string(),
            ))
        })
        .collect();
    for e in entries
        .iter()
        .rev()
        .filter(|e| e["phase"] == "begin" && e["action"] == "create")
    {
        let (Some(kind), Some(key)) = (e["kind"].as_str(), e["key"].as_str()) else {
            continue;
        };
        if finished.iter().any(|(k, x)| k == kind && x == key) {
            continue;
        }
        let Some(spec) = catalog.get(kind) else {
            continue;
        };
        let query: Vec<(String, String)> = spec
            .list_query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let Ok(items) = remote
            .list(spec.list_path, &query, spec.paging, spec.id)
            .await
        else {
            outcome.failed = true;
            outcome.rolled_back = false;
            continue;
        };
        let found = items
            .iter()
            .find(|o| gcops_model::catalog::natural_key(spec, o).as_deref() == Some(key));
        if let Some(id) = found.and_then(|o| o["id"].as_str()) {
            let mut step = Step {
                action: Action::Create,
                kind: kind.into(),
                key: key.into(),
                status: StepStatus::RolledBack,
                error: None,
            };
            if let Err(err) = cx
                .undo(&Undo::Delete {
                    path: item_path(spec, id),
                })
                .await
            {
                step.status = StepStatus::RollbackFailed;
                step.error = Some(err);
                outcome.rolled_back = false;
                outcome.failed = true;
            }
            outcome.steps.push(step);
        }
    }
    for e in entries.iter().rev().filter(|e| e["phase"] == "done") {
        let (Some(kind), Some(key)) = (e["kind"].as_str(), e["key"].as_str()) else {
            continue;
        };
        if undone.iter().any(|(k, x)| k == kind && x == key) {
            continue;
        }
        let Ok(action) = serde_json::from_value::<Action>(e["action"].clone()) else {
            continue;
        };
        let Some(spec) = catalog.get(kind) else {
            continue;
        };
        let undo = match action {
            Action::Create => match e["id"].as_str() {
                Some(id) => Undo::Delete {
                    path: item_path(spec, id),
                },
                None => continue,
            },
            Action::Update => {
                if e.get("deferred").is_some() || e["before"].is_null() {
                    continue; // a second-phase update: undone with its create
                }
                let id = e["before"]["id"].as_str().unwrap_or_default();
                let wrapups = serde_json::from_value(e["wrapups"].clone()).ok();
                Undo::Restore {
                    kind: kind.into(),
                    path: item_path(spec, id),
                    before: e["before"].clone(),
                    wrapups,
                }
            }
            Action::Delete => Undo::Recreate {
                kind: kind.into(),
                key: key.into(),
                list_path: spec.write_path().into(),
                before: e["before"].clone(),
            },
        };
        let mut step = Step {
            action,
            kind: kind.into(),
            key: key.into(),
            status: StepStatus::RolledBack,
            error: None,
        };
        match cx.undo(&undo).await {
            Ok(()) => {
                let _ = journal(
                    journal_sink.as_ref(),
                    json!({"phase": "rolled_back", "kind": kind, "key": key}),
                );
            }
            Err(err) => {
                step.status = StepStatus::RollbackFailed;
                step.error = Some(err);
                outcome.rolled_back = false;
                outcome.failed = true;
            }
        }
        outcome.steps.push(step);
    }
    outcome
}
