//! The admin API under `/_emulator/` (never under `/api/v2/`): counters, fault injection, the
//! clock, rate limits, permissions, and "UI edits" that change an org the way a person in the
//! Genesys Cloud UI would (the source of drift).

use axum::body::Body;
use axum::http::Response;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::config::RateLimits;
use crate::crud::{self, Actor, RenderOpts};
use crate::error::{ApiError, ApiResult};
use crate::faults::Fault;
use crate::kinds::{self, Kind};
use crate::query::Query;
use crate::resources::{flows, organization};
use crate::server::{Counters, Shared, json_response};
use crate::state::State;
use crate::time::{iso, parse_iso};

pub fn handle(
    shared: &Shared,
    method: &str,
    path: &str,
    _q: &Query,
    body: &Bytes,
    ctx: &str,
) -> Response<Body> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(2).collect();
    let parsed: Result<Value, ApiError> = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Null)
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
    };
    let result = parsed.and_then(|b| route(shared, method, &segs, &b));
    match result {
        Ok(v) => json_response(200, &v, ctx),
        Err(e) => json_response(e.status, &e.body(ctx), ctx),
    }
}

fn route(shared: &Shared, method: &str, segs: &[&str], body: &Value) -> ApiResult<Value> {
    match (method, segs) {
        ("GET", ["info"]) => Ok(info(shared)),
        ("GET", ["counters"]) => Ok(serde_json::to_value(
            shared.counters.lock().expect("counters").clone(),
        )
        .unwrap_or_default()),
        ("DELETE", ["counters"]) => {
            *shared.counters.lock().expect("counters") = Counters::default();
            Ok(json!({"reset": true}))
        }
        ("GET", ["faults"]) => Ok(json!(shared.faults.list())),
        ("POST", ["faults"]) => {
            let f: Fault = serde_json::from_value(body.clone())
                .map_err(|e| ApiError::bad_request(format!("invalid fault: {e}")))?;
            Ok(json!(shared.faults.add(f)))
        }
        ("DELETE", ["faults"]) => {
            shared.faults.clear();
            Ok(json!({"cleared": true}))
        }
        ("GET", ["clock"]) => Ok(clock(shared)),
        ("PUT", ["clock"]) => {
            if let Some(now) = body.get("now").and_then(Value::as_str) {
                let at = parse_iso(now)
                    .ok_or_else(|| ApiError::bad_request("now must be an ISO-8601 date-time"))?;
                shared.clock.set_now(at);
            } else if let Some(off) = body.get("offset_seconds").and_then(Value::as_i64) {
                shared.clock.set_offset_ms(off * 1000);
            } else if let Some(adv) = body.get("advance_seconds").and_then(Value::as_i64) {
                shared
                    .clock
                    .set_offset_ms(shared.clock.offset_ms() + adv * 1000);
            } else {
                return Err(ApiError::bad_request(
                    "give now, offset_seconds or advance_seconds",
                ));
            }
            Ok(clock(shared))
        }
        ("DELETE", ["clock"]) => {
            shared.clock.set_offset_ms(0);
            Ok(clock(shared))
        }
        ("GET", ["rate-limits"]) => Ok(json!(shared.limiter.limits())),
        ("PUT", ["rate-limits"]) => {
            let mut l = serde_json::to_value(shared.limiter.limits()).unwrap_or_default();
            merge_patch(&mut l, body);
            let l: RateLimits = serde_json::from_value(l)
                .map_err(|e| ApiError::bad_request(format!("invalid rate limits: {e}")))?;
            shared.limiter.set_limits(l);
            shared.update_config(|c| c.rate_limits = l);
            Ok(json!(l))
        }
        ("PUT", ["orgs", org, "permissions"]) => {
            let perms: Option<Vec<String>> = serde_json::from_value(body["permissions"].clone())
                .map_err(|e| {
                    ApiError::bad_request(format!(
                        "permissions must be a list of strings or null: {e}"
                    ))
                })?;
            let mut st = shared.lock();
            let o = st.orgs.get_mut(*org).ok_or_else(ApiError::not_found)?;
            o.permissions = perms.clone();
            st.commit(org, vec![])?;
            Ok(json!({"permissions": perms}))
        }
        ("POST", ["orgs", org, "edits"]) => ui_edit(shared, org, body),
        _ => Err(ApiError::not_found()),
    }
}

fn info(shared: &Shared) -> Value {
    let st = shared.lock();
    let orgs: serde_json::Map<String, Value> = st
        .orgs
        .values()
        .map(|o| {
            (
                o.name.clone(),
                json!({"client_id": o.client_id, "client_secret": o.client_secret, "org_id": o.id}),
            )
        })
        .collect();
    json!({"base_url": shared.base_url.get(), "orgs": orgs})
}

fn clock(shared: &Shared) -> Value {
    json!({"now": iso(shared.clock.now_ms()), "offset_seconds": shared.clock.offset_ms() / 1000})
}

/// RFC 7396 JSON merge patch.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let t = target.as_object_mut().expect("made an object above");
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// `POST /_emulator/orgs/{org}/edits`:
/// `{"op": "update", "kind": "routing/queues", "name": "Sales", "set": {…merge patch…}}`,
/// `{"op": "create", "kind": …, "body": {…}}` or `{"op": "delete", "kind": …, "name": …}`.
/// `id` may replace `name`. Edits bypass permissions, rate limits, locks and version checks
/// but not validation, and they bump versions and `modifiedBy` as a UI change does.
fn ui_edit(shared: &Shared, org_name: &str, edit: &Value) -> ApiResult<Value> {
    let now = shared.clock.now_ms();
    let mut st = shared.lock();
    let org = st.org(org_name)?;
    let actor = Actor {
        user_id: org.ui_user_id.clone(),
        client_id: "genesys-cloud-ui".into(),
        ui: true,
    };
    let op = edit["op"].as_str().unwrap_or("update");
    let kind_name = edit["kind"].as_str().unwrap_or_default();
    if kind_name == "administration/org-settings" {
        let mut next = organization::get(org);
        merge_patch(&mut next, &edit["set"]);
        let changes = organization::put(org, &next, &actor)?;
        st.commit(org_name, changes)?;
        return Ok(organization::get(st.org(org_name)?));
    }
    let def = kinds::by_name(kind_name)
        .ok_or_else(|| ApiError::bad_request(format!("unknown kind '{kind_name}'")))?;
    let kind = def.kind;
    match op {
        "create" => {
            let o = st.orgs.get_mut(org_name).ok_or_else(ApiError::not_found)?;
            let (id, changes) = match kind {
                Kind::Flows => flows::create(o, &edit["body"], &actor, now)?,
                _ => crud::create(o, kind, &edit["body"], &actor, now)?,
            };
            st.commit(org_name, changes)?;
            rendered(&st, org_name, kind, &id, now)
        }
        "update" | "delete" => {
            let id = target(st.org(org_name)?, kind, edit)?;
            let org = st.org(org_name)?;
            if op == "delete" {
                let changes = match kind {
                    Kind::Flows => flows::delete(org, &id, &actor)?,
                    _ => crud::delete(org, kind, &id)?,
                };
                st.commit(org_name, changes)?;
                return Ok(json!({"deleted": id}));
            }
            let opts = RenderOpts {
                properties: true,
                object_counts: false,
            };
            let mut next = crud::render(org, kind, crud::find(org, kind, &id)?, now, opts);
            merge_patch(&mut next, &edit["set"]);
            let changes = match kind {
                Kind::Flows => flows::update(org, &id, &next, &actor, now)?,
                _ => crud::update(org, kind, &id, &next, &actor, now)?,
            };
            st.commit(org_name, changes)?;
            rendered(&st, org_name, kind, &id, now)
        }
        other => Err(ApiError::bad_request(format!(
            "unknown op '{other}' (create, update or delete)"
        ))),
    }
}

fn target(org: &crate::state::Org, kind: Kind, edit: &Value) -> ApiResult<String> {
    if let Some(id) = edit["id"].as_str() {
        return Ok(id.to_string());
    }
    let name = edit["name"]
        .as_str()
        .ok_or_else(|| ApiError::bad_request("give the object's id or name"))?;
    let matches: Vec<&Value> = org
        .coll(kind)
        .values()
        .filter(|o| o["name"] == name && edit.get("type").is_none_or(|t| &o["type"] == t))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one["id"].as_str().unwrap_or_default().to_string()),
        [] => Err(ApiError::not_found().with_entity("", Some(name))),
        _ => Err(ApiError::bad_request(format!(
            "'{name}' is ambiguous: give its id or type"
        ))),
    }
}

fn rendered(st: &State, org: &str, kind: Kind, id: &str, now: i64) -> ApiResult<Value> {
    let org = st.org(org)?;
    let opts = RenderOpts {
        properties: true,
        object_counts: false,
    };
    Ok(crud::render(
        org,
        kind,
        crud::find(org, kind, id)?,
        now,
        opts,
    ))
}
