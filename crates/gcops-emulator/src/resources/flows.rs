//! Architect flow metadata: name rules, system flows and the checkout lock that PUT requires.

use serde_json::{Value, json};

use crate::crud::{self, Actor};
use crate::error::{ApiError, ApiResult};
use crate::kinds::Kind;
use crate::state::Org;
use crate::store::Change;

fn invalid(code: &str, message: &str) -> ApiError {
    ApiError::new(400, code, message)
}

/// The name and type rules of `POST/PUT /api/v2/flows`.
pub fn validate(body: &Value, existing: Option<&Value>) -> ApiResult<()> {
    let name = body["name"].as_str().unwrap_or_default();
    if name.trim().is_empty() {
        return Err(invalid(
            "architect.flow.validate.failed.missing.name",
            "The flow name is missing.",
        ));
    }
    if name.contains('/') {
        return Err(invalid(
            "architect.flow.validate.failed.invalid.name.contains.slash",
            "Flow names cannot contain a slash.",
        ));
    }
    if name.to_lowercase().ends_with("-debug") {
        return Err(invalid(
            "architect.flow.validate.failed.invalid.name.contains.debug",
            "Flow names cannot end with -debug.",
        ));
    }
    if !name.chars().any(char::is_alphanumeric) {
        return Err(invalid(
            "architect.flow.validate.failed.invalid.name.no.alpha",
            "Flow names must contain at least one alphanumeric character.",
        ));
    }
    if body["type"].as_str().is_none() {
        return Err(invalid(
            "architect.flow.validate.failed.missing.type",
            "The flow type is missing.",
        ));
    }
    match existing {
        None if body["system"] == json!(true) => Err(ApiError::new(
            405,
            "architect.system.flow.cannot.create",
            "System flows cannot be created.",
        )),
        Some(e) if e["type"] != body["type"] => Err(invalid(
            "architect.object.validate.failed.value",
            "The type of an existing flow cannot be changed.",
        )),
        Some(e)
            if e["system"] == json!(true)
                && (e["name"] != body["name"] || e["description"] != body["description"]) =>
        {
            Err(invalid(
                "architect.system.flow.name.or.description.error",
                "The name or description of a system flow cannot be changed.",
            ))
        }
        _ => Ok(()),
    }
}

/// Fields a client cannot set through POST/PUT; the server keeps its own values.
fn keep_server_fields(stored: &mut Value, existing: Option<&Value>) {
    for k in ["system", "active", "deleted"] {
        let v = existing
            .and_then(|e| e.get(k))
            .cloned()
            .unwrap_or(json!(false));
        stored[k] = v;
    }
    if let Some(lock) = existing.and_then(|e| e.get("__lockedClient")) {
        stored["__lockedClient"] = lock.clone();
    }
    if let Value::Object(m) = stored {
        for k in [
            "lockedUser",
            "lockedClient",
            "publishedVersion",
            "savedVersion",
            "checkedInVersion",
            "debugVersion",
            "publishedBy",
            "currentOperation",
            "inputSchema",
            "outputSchema",
        ] {
            m.remove(k);
        }
    }
}

pub fn create(
    org: &mut Org,
    raw: &Value,
    actor: &Actor,
    now: i64,
) -> ApiResult<(String, Vec<Change>)> {
    let (id, mut changes) = crud::create(org, Kind::Flows, raw, actor, now)?;
    if let Some(v) = changes[0].value.as_mut() {
        keep_server_fields(v, None);
    }
    Ok((id, changes))
}

pub fn update(org: &Org, id: &str, raw: &Value, actor: &Actor, now: i64) -> ApiResult<Vec<Change>> {
    let existing = crud::find(org, Kind::Flows, id)?;
    if !actor.ui && existing["__lockedClient"].as_str() != Some(actor.client_id.as_str()) {
        return Err(ApiError::new(
            409,
            "architect.flow.not.locked.by.user",
            "The flow must be checked out (locked) by the caller before it can be updated.",
        ));
    }
    let mut changes = crud::update(org, Kind::Flows, id, raw, actor, now)?;
    if let Some(v) = changes[0].value.as_mut() {
        keep_server_fields(v, Some(existing));
    }
    Ok(changes)
}

pub fn delete(org: &Org, id: &str, actor: &Actor) -> ApiResult<Vec<Change>> {
    let existing = crud::find(org, Kind::Flows, id)?;
    if existing["system"] == json!(true) {
        return Err(ApiError::new(
            405,
            "architect.default.flow.cannot.delete",
            "The default flow cannot be deleted.",
        ));
    }
    if let Some(holder) = existing["__lockedClient"].as_str()
        && holder != actor.client_id
        && !actor.ui
    {
        return Err(ApiError::new(
            405,
            "architect.flow.cannot.delete.user.does.not.have.lock",
            "The flow is locked by another user or client.",
        ));
    }
    crud::delete(org, Kind::Flows, id)?;
    // Flows are soft-deleted: GET answers 410 afterwards, lists hide them unless `deleted=true`.
    let mut gone = existing.clone();
    gone["deleted"] = json!(true);
    gone["active"] = json!(false);
    if let Value::Object(m) = &mut gone {
        m.remove("__lockedClient");
    }
    Ok(vec![Change::put(Kind::Flows, id, gone)])
}

/// `POST /api/v2/flows/actions/{checkout|checkin|unlock}?flow=`.
pub fn action(
    org: &Org,
    action: &str,
    flow: Option<&str>,
    actor: &Actor,
) -> ApiResult<(Vec<Change>, Value)> {
    let Some(flow) = flow.filter(|f| !f.is_empty()) else {
        return Err(ApiError::new(
            400,
            "architect.query.parameter.missing",
            "The query parameter 'flow' is missing.",
        ));
    };
    let existing = crud::find(org, Kind::Flows, flow)?;
    let holder = existing["__lockedClient"].as_str();
    let mut next = existing.clone();
    match action {
        "checkout" => {
            if holder.is_some_and(|h| h != actor.client_id) {
                return Err(ApiError::new(
                    409,
                    "architect.flow.locked.by.user",
                    "The flow is locked by another user or client.",
                ));
            }
            next["__lockedClient"] = json!(actor.client_id);
        }
        "checkin" => {
            if holder != Some(actor.client_id.as_str()) {
                return Err(ApiError::new(
                    409,
                    "architect.flow.not.locked.by.user",
                    "The flow is not checked out by the caller.",
                ));
            }
            // Flow definitions (configurations) arrive with the flow jobs; until then there is
            // nothing to check in, exactly as for a metadata-only flow on the real platform.
            return Err(ApiError::new(
                409,
                "architect.flow.cannot.checkin.missing.config",
                "The flow has no configuration to check in; use unlock instead.",
            ));
        }
        "unlock" => {
            if let Value::Object(m) = &mut next {
                m.remove("__lockedClient");
            }
        }
        other => {
            return Err(ApiError::not_found().with_detail("not.found", other, None));
        }
    }
    Ok((vec![Change::put(Kind::Flows, flow, next)], Value::Null))
}
