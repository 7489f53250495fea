//! `GET/PUT /api/v2/organizations/me`: the org singleton, with its required `version`.

use serde_json::{Value, json};

use crate::crud::{self, Actor};
use crate::error::{ApiError, ApiResult};
use crate::kinds::Kind;
use crate::models;
use crate::state::Org;
use crate::store::Change;

pub fn get(org: &Org) -> Value {
    let mut v = org.organization().clone();
    v["selfUri"] = json!("/api/v2/organizations/me");
    v
}

/// Full replacement of the writable fields; read-only fields and the org's identity stay.
pub fn put(org: &Org, raw: &Value, actor: &Actor) -> ApiResult<Vec<Change>> {
    if !raw.is_object() {
        return Err(ApiError::malformed());
    }
    let current = org.organization();
    let mut body = models::sanitize("Organization", raw)?;
    match raw.get("version") {
        None | Some(Value::Null) => return Err(ApiError::required("version")),
        Some(v) if !actor.ui && v.as_i64() != current["version"].as_i64() => {
            return Err(ApiError::version_mismatch());
        }
        _ => {}
    }
    crud::check_refs(org, Kind::Organization, &mut body, None)?;
    for k in [
        "id",
        "thirdPartyOrgName",
        "features",
        "productPlatform",
        "state",
    ] {
        if let Some(v) = current.get(k) {
            body[k] = v.clone();
        }
    }
    for k in ["name", "domain"] {
        if body.get(k).is_none()
            && let Some(v) = current.get(k)
        {
            body[k] = v.clone();
        }
    }
    body["version"] = json!(current["version"].as_i64().unwrap_or(0) + 1);
    Ok(vec![Change::put(Kind::Organization, "me", body)])
}
