//! Queue sub-resources: wrap-up code assignments (managed) and members (read-only here).

use serde_json::{Value, json};

use crate::config::EmulatorConfig;
use crate::crud::{self, RenderOpts};
use crate::error::{ApiError, ApiResult};
use crate::kinds::{Kind, Listing, NameFilter};
use crate::query::Query;
use crate::state::Org;
use crate::store::Change;
use crate::time::Millis;

/// The documented maximum of `GET /routing/queues/{id}/members`.
pub const MEMBERS_MAX_PAGE: u32 = 100;
/// "Add up to 100 wrap-up codes to a queue."
pub const WRAPUP_BATCH_MAX: usize = 100;

fn assigned(org: &Org, queue: &str) -> Vec<String> {
    org.get(Kind::QueueWrapupCodes, queue)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn list_wrapups(
    org: &Org,
    queue: &str,
    q: &Query,
    now: Millis,
    cfg: &EmulatorConfig,
) -> ApiResult<Value> {
    crud::find(org, Kind::Queues, queue)?;
    let (size, number) = crud::page_params(q, "routing/queues#wrapup-codes", None, cfg)?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let mut codes: Vec<&Value> = assigned(org, queue)
        .iter()
        .filter_map(|id| org.get(Kind::WrapupCodes, id))
        .filter(|c| {
            name.is_none_or(|n| {
                crud::name_matches(
                    NameFilter::ExactWildcard,
                    n,
                    c["name"].as_str().unwrap_or_default(),
                )
            })
        })
        .collect();
    codes.sort_by_key(|c| {
        (
            c["name"].as_str().unwrap_or_default().to_lowercase(),
            c["id"].as_str().unwrap_or_default().to_string(),
        )
    });
    let total = codes.len();
    let entities = codes
        .iter()
        .skip((number as usize - 1) * size as usize)
        .take(size as usize)
        .map(|c| crud::render(org, Kind::WrapupCodes, c, now, RenderOpts::default()))
        .collect();
    let extra = q.passthrough(&["pageSize", "pageNumber"]);
    let path = format!("/api/v2/routing/queues/{queue}/wrapupcodes");
    Ok(crud::envelope(
        &path,
        &extra,
        entities,
        size,
        number,
        total,
        Listing::Standard,
    ))
}

/// `POST …/wrapupcodes` with `[{id}, …]`: adds (idempotently) and returns the added codes.
pub fn add_wrapups(
    org: &Org,
    queue: &str,
    body: &Value,
    now: Millis,
) -> ApiResult<(Vec<Change>, Value)> {
    crud::find(org, Kind::Queues, queue)?;
    let Some(items) = body.as_array() else {
        return Err(ApiError::bad_request(
            "The request body must be an array of wrap-up code references.",
        ));
    };
    if items.len() > WRAPUP_BATCH_MAX {
        return Err(ApiError::bad_request(format!(
            "A maximum of {WRAPUP_BATCH_MAX} wrap-up codes can be added at a time."
        )));
    }
    let mut ids = assigned(org, queue);
    let mut added = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(id) = item.get("id").and_then(Value::as_str) else {
            return Err(ApiError::required(&format!("[{i}].id")));
        };
        let Some(code) = org.get(Kind::WrapupCodes, id) else {
            return Err(
                ApiError::bad_request(format!("The wrap-up code {id} does not exist."))
                    .with_detail("invalid.reference", &format!("[{i}].id"), Some(id)),
            );
        };
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
        }
        added.push(crud::render(
            org,
            Kind::WrapupCodes,
            code,
            now,
            RenderOpts::default(),
        ));
    }
    ids.sort();
    Ok((
        vec![Change::put(Kind::QueueWrapupCodes, queue, json!(ids))],
        Value::Array(added),
    ))
}

pub fn remove_wrapup(org: &Org, queue: &str, code: &str) -> ApiResult<Vec<Change>> {
    crud::find(org, Kind::Queues, queue)?;
    let mut ids = assigned(org, queue);
    let before = ids.len();
    ids.retain(|x| x != code);
    if ids.len() == before {
        return Err(ApiError::not_found().with_entity(code, None));
    }
    Ok(vec![Change::put(Kind::QueueWrapupCodes, queue, json!(ids))])
}

/// `GET …/members`: its envelope has no `total`, `pageCount` or `lastUri`.
pub fn list_members(org: &Org, queue: &str, q: &Query, cfg: &EmulatorConfig) -> ApiResult<Value> {
    crud::find(org, Kind::Queues, queue)?;
    let (size, number) =
        crud::page_params(q, "routing/queues#members", Some(MEMBERS_MAX_PAGE), cfg)?;
    let name = q.get("name").filter(|n| !n.is_empty());
    let joined = q.bool("joined")?;
    let member_by = q.get("memberBy");
    let mut members: Vec<&Value> = org
        .get(Kind::QueueMembers, queue)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    members.retain(|m| {
        name.is_none_or(|n| {
            crud::name_matches(
                NameFilter::Contains,
                n,
                m["name"].as_str().unwrap_or_default(),
            )
        }) && joined.is_none_or(|j| m["joined"] == json!(j))
            && member_by.is_none_or(|b| m["memberBy"] == b)
    });
    members.sort_by_key(|m| {
        (
            m["name"].as_str().unwrap_or_default().to_lowercase(),
            m["id"].as_str().unwrap_or_default().to_string(),
        )
    });
    if matches!(q.get("sortOrder"), Some("desc")) {
        members.reverse();
    }
    let start = (number as usize - 1) * size as usize;
    let page: Vec<Value> = members
        .iter()
        .skip(start)
        .take(size as usize)
        .map(|m| {
            let mut m = (*m).clone();
            let uid = m["id"].as_str().unwrap_or_default().to_string();
            m["user"]["selfUri"] = json!(format!("/api/v2/users/{uid}"));
            m["selfUri"] = json!(format!("/api/v2/users/{uid}"));
            m
        })
        .collect();
    let base = format!("/api/v2/routing/queues/{queue}/members");
    let extra = q.passthrough(&["pageSize", "pageNumber"]);
    let uri = |n: u32| format!("{base}?pageSize={size}&pageNumber={n}{extra}");
    let mut out = serde_json::Map::new();
    out.insert("entities".into(), Value::Array(page));
    out.insert("pageSize".into(), json!(size));
    out.insert("pageNumber".into(), json!(number));
    out.insert("firstUri".into(), json!(uri(1)));
    out.insert("selfUri".into(), json!(uri(number)));
    if start + (size as usize) < members.len() {
        out.insert("nextUri".into(), json!(uri(number + 1)));
    }
    if number > 1 {
        out.insert("previousUri".into(), json!(uri(number - 1)));
    }
    Ok(Value::Object(out))
}
