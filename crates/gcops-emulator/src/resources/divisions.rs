//! Authorization divisions: the Home division, the cursor listing, the division limit.

use serde_json::{Value, json};

use crate::crud::{self, RenderOpts};
use crate::error::{ApiError, ApiResult};
use crate::kinds::Kind;
use crate::query::{Query, encode};
use crate::state::Org;
use crate::store::Change;
use crate::time::Millis;

/// The documented maximum of `GET /authorization/divisions/query`.
pub const QUERY_MAX_PAGE: u32 = 200;
/// `GET /authorization/divisions/limit`.
pub const DIVISION_LIMIT: u64 = 50;

/// `GET /api/v2/authorization/divisions/query`: cursor paging by id.
pub fn query(
    org: &Org,
    q: &Query,
    now: Millis,
    cfg: &crate::config::EmulatorConfig,
) -> ApiResult<Value> {
    let (size, _) = crud::page_params(q, "administration/divisions", Some(QUERY_MAX_PAGE), cfg)?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let ids = q.all("id");
    let mut items: Vec<&Value> = org
        .coll(Kind::Divisions)
        .values()
        .filter(|d| {
            name.is_none_or(|n| {
                crud::name_matches(
                    crate::kinds::NameFilter::ExactWildcard,
                    n,
                    d["name"].as_str().unwrap_or_default(),
                )
            })
        })
        .filter(|d| ids.is_empty() || ids.iter().any(|i| d["id"] == i.as_str()))
        .collect();
    items.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let after = q.get("after").filter(|a| !a.is_empty());
    let before = q.get("before").filter(|b| !b.is_empty());
    let window: Vec<&Value> = match (after, before) {
        (Some(a), _) => items
            .into_iter()
            .filter(|d| d["id"].as_str().unwrap_or_default() > a)
            .collect(),
        (None, Some(b)) => {
            let mut w: Vec<&Value> = items
                .into_iter()
                .filter(|d| d["id"].as_str().unwrap_or_default() < b)
                .collect();
            let skip = w.len().saturating_sub(size as usize);
            w.drain(..skip);
            w
        }
        _ => items,
    };
    let more = window.len() > size as usize;
    let page: Vec<&Value> = window.into_iter().take(size as usize).collect();
    let base = "/api/v2/authorization/divisions/query";
    let mut m = serde_json::Map::new();
    let extra = q.passthrough(&["pageSize", "after", "before"]);
    let cursor = |k: &str, id: &Value| {
        format!(
            "{base}?pageSize={size}&{k}={}{extra}",
            encode(id.as_str().unwrap_or_default())
        )
    };
    if more && let Some(last) = page.last() {
        m.insert("nextUri".into(), json!(cursor("after", &last["id"])));
    }
    if after.is_some()
        && let Some(first) = page.first()
    {
        m.insert("previousUri".into(), json!(cursor("before", &first["id"])));
    }
    m.insert(
        "selfUri".into(),
        json!(format!(
            "{base}?pageSize={size}{}",
            q.passthrough(&["pageSize"])
        )),
    );
    m.insert(
        "entities".into(),
        Value::Array(
            page.iter()
                .map(|d| crud::render(org, Kind::Divisions, d, now, RenderOpts::default()))
                .collect(),
        ),
    );
    Ok(Value::Object(m))
}

pub fn home(org: &Org, now: Millis) -> ApiResult<Value> {
    let id = org.home_division_id().ok_or_else(ApiError::not_found)?;
    let d = crud::find(org, Kind::Divisions, &id)?;
    Ok(crud::render(
        org,
        Kind::Divisions,
        d,
        now,
        RenderOpts::default(),
    ))
}

pub fn delete(org: &Org, id: &str) -> ApiResult<Vec<Change>> {
    let d = crud::find(org, Kind::Divisions, id)?;
    if d["homeDivision"] == json!(true) {
        return Err(ApiError::bad_request(
            "The home division cannot be deleted.",
        ));
    }
    crud::delete(org, Kind::Divisions, id)
}

/// Keeps the read-only `homeDivision` flag as the server has it.
pub fn keep_home_flag(changes: &mut [Change], existing: Option<&Value>) {
    let home = existing
        .map(|e| e["homeDivision"] == json!(true))
        .unwrap_or(false);
    for c in changes {
        if let Some(v) = c.value.as_mut() {
            v["homeDivision"] = json!(home);
        }
    }
}
