//! Generic list / get / create / update / delete over the kinds table, plus rendering
//! (references filled with `name` and `selfUri`, derived fields computed).
//!
//! Functions here read an [`Org`] and return the changes to commit; they never touch the
//! database themselves, so a failed validation changes nothing.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use crate::config::{EmulatorConfig, OverLimit};
use crate::error::{ApiError, ApiResult};
use crate::kinds::{Audit, Kind, KindDef, Listing, NameFilter, RefShape, Versioning, def, refs_of};
use crate::models;
use crate::query::Query;
use crate::refs;
use crate::state::Org;
use crate::store::Change;
use crate::time::{Millis, iso};
use crate::x509;

/// Who is writing: the OAuth client through the API, or a person in the UI (admin "edits").
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub client_id: String,
    /// UI edits bypass flow locks and version checks, as a person in the UI would.
    pub ui: bool,
}

/// The `selfUri` of an object.
pub fn self_uri(org: &Org, kind: Kind, id: &str) -> String {
    match kind {
        Kind::Organization => "/api/v2/organizations/me".into(),
        Kind::Users => format!("/api/v2/users/{id}"),
        Kind::OutboundRoutes => {
            let site = org
                .get(kind, id)
                .and_then(|r| r["__site"].as_str())
                .unwrap_or_default()
                .to_string();
            format!("{}/{id}", def(kind).path.replace("{parent}", &site))
        }
        k => format!("{}/{id}", def(k).path),
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RenderOpts {
    /// Trunk base settings: include `properties` (lists need `expand=properties`).
    pub properties: bool,
    /// Divisions: include `objectCounts`.
    pub object_counts: bool,
}

/// The API representation of a stored object.
pub fn render(org: &Org, kind: Kind, stored: &Value, now: Millis, opts: RenderOpts) -> Value {
    let mut v = stored.clone();
    let id = stored["id"].as_str().unwrap_or_default().to_string();
    for spec in refs_of(kind) {
        if spec.shape != RefShape::Obj {
            continue;
        }
        refs::each_mut(&mut v, spec.path, &mut |holder| {
            let Some(tid) = holder.get("id").and_then(Value::as_str).map(str::to_string) else {
                return;
            };
            if let Some(target) = org.get(spec.target, &tid) {
                if let Some(name) = target.get("name") {
                    holder["name"] = name.clone();
                }
                holder["selfUri"] = json!(self_uri(org, spec.target, &tid));
            }
        });
    }
    let Value::Object(m) = &mut v else { return v };
    m.retain(|k, _| !k.starts_with("__"));
    match kind {
        Kind::Queues => {
            let members = org.get(Kind::QueueMembers, &id).and_then(Value::as_array);
            let total = members.map(|a| a.len()).unwrap_or(0);
            let users = members
                .map(|a| a.iter().filter(|m| m["memberBy"] == "user").count())
                .unwrap_or(0);
            let joined = members
                .map(|a| a.iter().filter(|m| m["joined"] == json!(true)).count())
                .unwrap_or(0);
            m.insert("memberCount".into(), json!(total));
            m.insert("userMemberCount".into(), json!(users));
            m.insert("joinedMemberCount".into(), json!(joined));
        }
        Kind::CertificateAuthorities => {
            if let Some(details) = stored["certificate"].as_str().and_then(x509::parse_pem) {
                let list: Vec<Value> = details
                    .iter()
                    .map(|d| {
                        let mut o = json!({
                            "issuer": d.issuer, "subject": d.subject,
                            "issueDate": iso(d.issue_date), "expirationDate": iso(d.expiration_date),
                            "expired": now >= d.expiration_date,
                            "valid": now >= d.issue_date && now < d.expiration_date,
                        });
                        if let Some(s) = d.signature_valid {
                            o["signatureValid"] = json!(s);
                        }
                        o
                    })
                    .collect();
                m.insert("certificateDetails".into(), Value::Array(list));
            }
        }
        Kind::TrunkBaseSettings if !opts.properties => {
            m.remove("properties");
        }
        Kind::Divisions if opts.object_counts => {
            m.insert(
                "objectCounts".into(),
                Value::Object(object_counts(org, &id)),
            );
        }
        Kind::Flows => {
            if let Some(client) = stored["__lockedClient"].as_str() {
                let name = org.name.clone();
                m.insert(
                    "lockedClient".into(),
                    json!({"id": client, "name": format!("gcops emulator ({name})"),
                           "selfUri": format!("/api/v2/oauth/clients/{client}")}),
                );
            }
        }
        _ => {}
    }
    if kind != Kind::Users {
        m.insert("selfUri".into(), json!(self_uri(org, kind, &id)));
    }
    v
}

fn object_counts(org: &Org, division: &str) -> Map<String, Value> {
    let mut counts = Map::new();
    for (kind, label) in [
        (Kind::Queues, "QUEUE"),
        (Kind::Flows, "FLOW"),
        (Kind::Schedules, "ROUTINGSCHEDULES"),
        (Kind::ScheduleGroups, "ROUTINGSCHEDULEGROUPS"),
        (Kind::Skills, "ROUTINGSKILL"),
        (Kind::WrapupCodes, "ROUTINGWRAPUPCODE"),
    ] {
        let n = org
            .coll(kind)
            .values()
            .filter(|o| o["division"]["id"] == division)
            .count();
        if n > 0 {
            counts.insert(label.into(), json!(n));
        }
    }
    counts
}

/// Whether `name` passes the `filter` for pattern `pattern`.
pub fn name_matches(filter: NameFilter, pattern: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    let pat = pattern.to_lowercase();
    match filter {
        NameFilter::None => true,
        NameFilter::Prefix => name.starts_with(&pat),
        NameFilter::Contains => name.contains(&pat),
        NameFilter::ExactWildcard => {
            let lead = pat.starts_with('*');
            let trail = pat.ends_with('*') && pat.len() > 1;
            let core = pat.trim_matches('*');
            match (lead, trail) {
                (true, true) => name.contains(core),
                (true, false) => name.ends_with(core),
                (false, true) => name.starts_with(core),
                (false, false) => name == core,
            }
        }
    }
}

pub fn page_params(
    q: &Query,
    kind_name: &str,
    documented_max: Option<u32>,
    cfg: &EmulatorConfig,
) -> ApiResult<(u32, u32)> {
    let max = documented_max
        .or_else(|| cfg.page_limits.per_kind.get(kind_name).copied())
        .unwrap_or(cfg.page_limits.default_max);
    let size = q.int("pageSize", 25)?;
    let number = q.int("pageNumber", 1)?;
    if size < 1 {
        return Err(
            ApiError::new(400, "invalid.value", "pageSize must be at least 1.").with_detail(
                "invalid.value",
                "pageSize",
                None,
            ),
        );
    }
    if number < 1 {
        return Err(
            ApiError::new(400, "invalid.value", "pageNumber must be at least 1.").with_detail(
                "invalid.value",
                "pageNumber",
                None,
            ),
        );
    }
    let size = if size > max as i64 {
        match cfg.page_limits.over_limit {
            OverLimit::Clamp => max as i64,
            OverLimit::Reject => {
                return Err(ApiError::new(
                    400,
                    "invalid.value",
                    format!("Value [{size}] is not valid for field type [pageSize]. The maximum page size is {max}."),
                )
                .with_detail("invalid.value", "pageSize", None));
            }
        }
    } else {
        size
    };
    Ok((size as u32, number.min(u32::MAX as i64) as u32))
}

/// The offset-paging envelope.
pub fn envelope(
    path: &str,
    extra: &str,
    entities: Vec<Value>,
    size: u32,
    number: u32,
    total: usize,
    listing: Listing,
) -> Value {
    let page_count = total.div_ceil(size as usize);
    let uri = |n: usize| format!("{path}?pageSize={size}&pageNumber={n}{extra}");
    let mut m = Map::new();
    m.insert("entities".into(), Value::Array(entities));
    m.insert("pageSize".into(), json!(size));
    m.insert("pageNumber".into(), json!(number));
    m.insert("total".into(), json!(total));
    if listing == Listing::WithTotalNumberOfEntities {
        m.insert("totalNumberOfEntities".into(), json!(total));
    }
    m.insert("pageCount".into(), json!(page_count));
    m.insert("firstUri".into(), json!(uri(1)));
    m.insert("selfUri".into(), json!(uri(number as usize)));
    m.insert("lastUri".into(), json!(uri(page_count.max(1))));
    if (number as usize) < page_count {
        m.insert("nextUri".into(), json!(uri(number as usize + 1)));
    }
    if number > 1 {
        m.insert("previousUri".into(), json!(uri(number as usize - 1)));
    }
    Value::Object(m)
}

fn by_name(a: &Value, b: &Value) -> Ordering {
    let an = a["name"].as_str().unwrap_or_default().to_lowercase();
    let bn = b["name"].as_str().unwrap_or_default().to_lowercase();
    an.cmp(&bn)
        .then_with(|| a["id"].as_str().cmp(&b["id"].as_str()))
}

/// GET on a collection.
pub fn list(
    org: &Org,
    kind: Kind,
    q: &Query,
    now: Millis,
    cfg: &EmulatorConfig,
    parent: Option<&str>,
) -> ApiResult<Value> {
    let d = def(kind);
    let filter = cfg
        .name_filters
        .get(d.name)
        .copied()
        .unwrap_or(d.name_filter);
    let name = q
        .get("name")
        .filter(|n| !n.is_empty() && filter != NameFilter::None);
    let ids = q.all("id");
    let divisions = q.all("divisionId");
    let types: Vec<String> = q.all("type").iter().map(|t| t.to_uppercase()).collect();
    let managed = q.bool("managed")?;
    let include_deleted = kind == Kind::Flows && q.bool("deleted")?.unwrap_or(false);
    let mut items: Vec<&Value> = org
        .coll(kind)
        .values()
        .filter(|o| parent.is_none_or(|p| o["__site"] == p))
        .filter(|o| {
            name.is_none_or(|n| name_matches(filter, n, o["name"].as_str().unwrap_or_default()))
        })
        .filter(|o| ids.is_empty() || ids.iter().any(|i| o["id"] == i.as_str()))
        .filter(|o| {
            divisions.is_empty() || divisions.iter().any(|i| o["division"]["id"] == i.as_str())
        })
        .filter(|o| {
            kind != Kind::Flows || types.is_empty() || types.iter().any(|t| o["type"] == t.as_str())
        })
        .filter(|o| managed.is_none_or(|m| o["managed"].as_bool().unwrap_or(false) == m))
        .filter(|o| !is_gone(o) || (kind == Kind::Flows && include_deleted))
        .filter(|o| extra_filters(kind, o, q))
        .collect();
    let sort_by_id = q
        .get("sortBy")
        .map(|s| s == "id")
        .unwrap_or(d.default_sort_by_id);
    if sort_by_id {
        items.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    } else {
        items.sort_by(|a, b| by_name(a, b));
    }
    if matches!(q.get("sortOrder"), Some("desc" | "descending" | "DESC")) {
        items.reverse();
    }
    let opts = RenderOpts {
        properties: q.all("expand").iter().any(|e| e == "properties"),
        object_counts: q.bool("objectCount")?.unwrap_or(false),
    };
    let total = items.len();
    let path = match parent {
        Some(p) => d.path.replace("{parent}", p),
        None => d.path.to_string(),
    };
    if d.listing == Listing::SinglePage {
        let entities = items
            .iter()
            .map(|o| render(org, kind, o, now, opts))
            .collect();
        let size = total.max(1) as u32;
        return Ok(envelope(
            &path,
            "",
            entities,
            size,
            1,
            total,
            Listing::Standard,
        ));
    }
    let (size, number) = page_params(q, d.name, None, cfg)?;
    let start = (number as usize - 1).saturating_mul(size as usize);
    let entities = items
        .iter()
        .skip(start)
        .take(size as usize)
        .map(|o| render(org, kind, o, now, opts))
        .collect();
    let extra = q.passthrough(&["pageSize", "pageNumber"]);
    let mut v = envelope(&path, &extra, entities, size, number, total, d.listing);
    if d.listing == Listing::WithTotalNumberOfEntities {
        // "The total organization-wide number of entities", whatever the filters.
        let all = org
            .coll(kind)
            .values()
            .filter(|o| parent.is_none_or(|p| o["__site"] == p) && o["state"] != "deleted")
            .count();
        v["totalNumberOfEntities"] = json!(all);
    }
    Ok(v)
}

/// Kind-specific list filters (documented query parameters).
fn extra_filters(kind: Kind, o: &Value, q: &Query) -> bool {
    let any_id = |param: &str, ids: Vec<&Value>| {
        let wanted = q.all(param);
        wanted.is_empty()
            || wanted
                .iter()
                .any(|w| ids.iter().any(|i| i["id"] == w.as_str()))
    };
    let list = |field: &str| -> Vec<&Value> {
        o[field]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    };
    match kind {
        Kind::ScheduleGroups => {
            let mut all = list("openSchedules");
            all.extend(list("closedSchedules"));
            all.extend(list("holidaySchedules"));
            any_id("scheduleIds", all)
        }
        Kind::Sites => any_id("location.id", vec![&o["location"]]),
        Kind::OutboundRoutes => any_id("externalTrunkBases.ids", list("externalTrunkBases")),
        _ => true,
    }
}

/// The stored object or the kind's not-found error.
/// Deleted objects: `state: deleted` (skills, telephony) or a flow's `deleted` flag.
pub fn is_gone(o: &Value) -> bool {
    o["state"] == "deleted" || o["deleted"] == json!(true)
}

pub fn find<'a>(org: &'a Org, kind: Kind, id: &str) -> ApiResult<&'a Value> {
    if kind == Kind::Flows
        && org
            .get(kind, id)
            .is_some_and(|f| f["deleted"] == json!(true))
    {
        return Err(
            ApiError::new(410, "architect.flow.deleted", "The flow has been deleted.")
                .with_entity(id, None),
        );
    }
    org.get(kind, id).filter(|o| !is_gone(o)).ok_or_else(|| {
        let nf = def(kind).not_found;
        ApiError::new(nf.status, nf.code, nf.message).with_entity(id, None)
    })
}

fn ref_error(kind: Kind, field: &str, id: &str, target: Kind) -> ApiError {
    let telephony = matches!(
        kind,
        Kind::TrunkBaseSettings
            | Kind::Sites
            | Kind::OutboundRoutes
            | Kind::CertificateAuthorities
            | Kind::Organization
    );
    let field = field.trim_start_matches('/').replace('/', ".");
    if telephony {
        ApiError::new(
            400,
            "referenced.key.does.not.exist",
            "Unable to find entity that matches the key.",
        )
        .with_detail("referenced.key.does.not.exist", &field, Some(id))
        .with_entity(id, None)
    } else {
        ApiError::bad_request(format!(
            "The {} referenced by field '{field}' ({id}) does not exist.",
            target_label(target)
        ))
        .with_detail("invalid.reference", &format!("{field}.id"), Some(id))
        .with_entity(id, None)
    }
}

fn target_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Divisions => "division",
        Kind::Skills => "skill",
        Kind::Flows => "flow",
        Kind::Queues => "queue",
        Kind::Sites => "site",
        Kind::Schedules => "schedule",
        Kind::Locations => "location",
        Kind::TrunkBaseSettings => "trunk base settings",
        _ => "object",
    }
}

/// Reduces every reference to `{id}` and checks that each target exists.
pub fn check_refs(org: &Org, kind: Kind, body: &mut Value, self_id: Option<&str>) -> ApiResult<()> {
    for spec in refs_of(kind) {
        let mut err = None;
        let mut ptrs = Vec::new();
        refs::each(body, spec.path, &mut |ptr, _| ptrs.push(ptr));
        for ptr in ptrs {
            let Some(holder) = body.pointer_mut(&ptr) else {
                continue;
            };
            let id = match spec.shape {
                RefShape::Obj => {
                    let Some(id) = holder.get("id").and_then(Value::as_str).map(str::to_string)
                    else {
                        err = Some(ApiError::required(&format!(
                            "{}.id",
                            ptr.trim_start_matches('/').replace('/', ".")
                        )));
                        break;
                    };
                    *holder = json!({ "id": id });
                    id
                }
                RefShape::Id => holder.as_str().unwrap_or_default().to_string(),
            };
            if Some(id.as_str()) == self_id && spec.target == kind {
                continue;
            }
            let exists = org
                .get(spec.target, &id)
                .is_some_and(|t| t["state"] != "deleted");
            if !exists {
                err = Some(ref_error(kind, &ptr, &id, spec.target));
                break;
            }
        }
        if let Some(e) = err {
            return Err(e);
        }
    }
    Ok(())
}

/// Everything that refers to `(kind, id)`, as (referrer kind, referrer id).
pub fn referrers(org: &Org, kind: Kind, id: &str) -> Vec<(Kind, String)> {
    let mut out = Vec::new();
    for (k, coll) in &org.colls {
        let specs = refs_of(*k);
        if specs.is_empty() {
            continue;
        }
        for (oid, obj) in coll {
            if (*k == kind && oid == id) || is_gone(obj) {
                continue;
            }
            if refs::all_ids(specs, obj)
                .iter()
                .any(|(s, _, t)| s.target == kind && t == id)
            {
                out.push((*k, oid.clone()));
            }
        }
    }
    if kind == Kind::WrapupCodes {
        for (qid, codes) in org.coll(Kind::QueueWrapupCodes) {
            if codes.as_array().is_some_and(|a| a.iter().any(|c| c == id)) {
                out.push((Kind::QueueWrapupCodes, qid.clone()));
            }
        }
    }
    out
}

fn duplicate(d: &KindDef) -> ApiError {
    ApiError::new(d.duplicate.status, d.duplicate.code, d.duplicate.message)
}

/// Name uniqueness within the kind (per site for outbound routes, per type for flows).
fn check_unique(org: &Org, kind: Kind, body: &Value, self_id: Option<&str>) -> ApiResult<()> {
    let Some(name) = body["name"].as_str() else {
        return Ok(());
    };
    let clash = org.coll(kind).values().any(|o| {
        o["id"].as_str() != self_id
            && !is_gone(o)
            && o["name"]
                .as_str()
                .is_some_and(|n| n.to_lowercase() == name.to_lowercase())
            && (kind != Kind::Flows || o["type"] == body["type"])
            && (kind != Kind::OutboundRoutes || o["__site"] == body["__site"])
    });
    if clash {
        Err(duplicate(def(kind)))
    } else {
        Ok(())
    }
}

/// Validates a create or update body and returns the object to store.
pub fn prepare(
    org: &Org,
    kind: Kind,
    raw: &Value,
    existing: Option<&Value>,
    actor: &Actor,
    now: Millis,
) -> ApiResult<Value> {
    let d = def(kind);
    let model = if existing.is_some() {
        d.update_model
    } else {
        d.create_model
    }
    .unwrap_or(d.model);
    if !raw.is_object() {
        return Err(ApiError::malformed());
    }
    let mut raw = raw.clone();
    if kind == Kind::Skills {
        // CreateRoutingSkill carries the division as a bare id.
        if let Some(div) = raw
            .get("divisionId")
            .and_then(Value::as_str)
            .map(str::to_string)
        {
            raw["division"] = json!({ "id": div });
        }
    }
    let mut body = models::sanitize(model, &raw)?;
    // Request-only fields (CreateQueueRequest.sourceQueueId, …) are not part of the object.
    if let (Some(stored), Value::Object(m)) = (models::model(d.model), &mut body) {
        m.retain(|k, _| stored.contains_key(k) || (kind == Kind::Skills && k == "divisionId"));
    }
    if kind == Kind::Skills
        && let (Some(div), Value::Object(m)) = (raw.get("division").cloned(), &mut body)
    {
        m.remove("divisionId");
        m.insert("division".into(), div);
    }
    if kind == Kind::Flows {
        crate::resources::flows::validate(&body, existing)?;
    } else if let Some(field) = models::missing_required(model, &body) {
        return Err(ApiError::required(&field));
    }
    let self_id = existing.and_then(|e| e["id"].as_str());
    if d.has_division && body.get("division").is_none() {
        let home = match existing {
            Some(e) => e["division"]["id"].as_str().map(str::to_string),
            None => org.home_division_id(),
        };
        if let Some(home) = home {
            body["division"] = json!({ "id": home });
        }
    }
    if kind == Kind::OutboundRoutes {
        if let Some(e) = existing {
            body["__site"] = e["__site"].clone();
        } else if let Some(site) = raw.get("__site") {
            body["__site"] = site.clone();
        }
    }
    check_refs(org, kind, &mut body, self_id).map_err(|mut e| {
        // CreateRoutingSkill names the division `divisionId`: report the field the caller sent.
        if kind == Kind::Skills && raw.get("divisionId").is_some() {
            for d in e.details.iter_mut() {
                if d["fieldName"] == "division.id" {
                    d["fieldName"] = json!("divisionId");
                }
            }
        }
        e
    })?;
    check_unique(org, kind, &body, self_id)?;
    match kind {
        Kind::TrunkBaseSettings => crate::resources::telephony::prepare_trunk(&mut body, existing)?,
        Kind::CertificateAuthorities => crate::resources::telephony::prepare_ca(&body, existing)?,
        Kind::Sites => crate::resources::telephony::prepare_site(&mut body, existing, actor)?,
        Kind::OutboundRoutes => crate::resources::telephony::prepare_route(org, &body)?,
        _ => {}
    }
    stamp(&mut body, d, existing, actor, now);
    Ok(body)
}

/// Server-generated fields: id, dates, authors, state, version.
fn stamp(body: &mut Value, d: &KindDef, existing: Option<&Value>, actor: &Actor, now: Millis) {
    let Value::Object(m) = body else { return };
    let keep = |m: &mut Map<String, Value>, k: &str| {
        if let Some(v) = existing.and_then(|e| e.get(k)) {
            m.insert(k.into(), v.clone());
        }
    };
    keep(m, "id");
    let ts = json!(iso(now));
    match d.audit {
        Audit::None => {}
        Audit::Routing => {
            m.insert(
                "dateCreated".into(),
                existing.map_or(ts.clone(), |e| e["dateCreated"].clone()),
            );
            m.insert("dateModified".into(), ts);
            m.insert(
                "createdBy".into(),
                existing.map_or(json!(actor.user_id), |e| e["createdBy"].clone()),
            );
            m.insert("modifiedBy".into(), json!(actor.user_id));
        }
        Audit::Skill => {
            m.insert("dateModified".into(), ts);
            m.insert("state".into(), json!("active"));
        }
        Audit::Base => {
            m.insert(
                "dateCreated".into(),
                existing.map_or(ts.clone(), |e| e["dateCreated"].clone()),
            );
            m.insert("dateModified".into(), ts);
            m.insert(
                "createdBy".into(),
                existing.map_or(json!(actor.user_id), |e| e["createdBy"].clone()),
            );
            m.insert("modifiedBy".into(), json!(actor.user_id));
            let app = if actor.ui {
                "Genesys Cloud Admin UI"
            } else {
                actor.client_id.as_str()
            };
            m.insert(
                "createdByApp".into(),
                existing.map_or(json!(app), |e| e["createdByApp"].clone()),
            );
            m.insert("modifiedByApp".into(), json!(app));
            m.insert("state".into(), json!("active"));
        }
    }
    let prev = existing.and_then(|e| e.get("version"));
    match d.versioning {
        Versioning::None => {
            m.remove("version");
        }
        Versioning::Integer => {
            let v = prev.and_then(Value::as_i64).unwrap_or(0) + 1;
            m.insert("version".into(), json!(v));
        }
        Versioning::ReadOnlyString => {
            let v = prev
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0)
                + 1;
            m.insert("version".into(), json!(v.to_string()));
        }
    }
}

/// POST on a collection. Returns the new id and the changes.
pub fn create(
    org: &mut Org,
    kind: Kind,
    raw: &Value,
    actor: &Actor,
    now: Millis,
) -> ApiResult<(String, Vec<Change>)> {
    let mut body = prepare(org, kind, raw, None, actor, now)?;
    let id = org.new_id();
    body["id"] = json!(id);
    Ok((id.clone(), vec![Change::put(kind, &id, body)]))
}

/// PUT on an object: full replacement, with the version check where the kind has one.
pub fn update(
    org: &Org,
    kind: Kind,
    id: &str,
    raw: &Value,
    actor: &Actor,
    now: Millis,
) -> ApiResult<Vec<Change>> {
    let existing = find(org, kind, id)?;
    let d = def(kind);
    if d.versioning == Versioning::Integer
        && !actor.ui
        && let Some(v) = raw.get("version").filter(|v| !v.is_null())
        && v.as_i64() != existing["version"].as_i64()
    {
        return Err(ApiError::version_mismatch());
    }
    let body = prepare(org, kind, raw, Some(existing), actor, now)?;
    Ok(vec![Change::put(kind, id, body)])
}

/// DELETE on an object, refused while something refers to it.
pub fn delete(org: &Org, kind: Kind, id: &str) -> ApiResult<Vec<Change>> {
    find(org, kind, id)?;
    let d = def(kind);
    let users = referrers(org, kind, id);
    if let Some((rk, rid)) = users.first() {
        let what = match rk {
            Kind::QueueWrapupCodes => format!("queue {rid}"),
            k => format!("{} {rid}", target_label(*k)),
        };
        return Err(
            ApiError::new(d.in_use.status, d.in_use.code, d.in_use.message)
                .with_entity(id, None)
                .with_detail(d.in_use.code, &what, Some(rid)),
        );
    }
    let mut changes = vec![Change::delete(kind, id)];
    match kind {
        Kind::Queues => {
            changes.push(Change::delete(Kind::QueueWrapupCodes, id));
            changes.push(Change::delete(Kind::QueueMembers, id));
        }
        Kind::Sites => {
            for (rid, r) in org.coll(Kind::OutboundRoutes) {
                if r["__site"] == id {
                    changes.push(Change::delete(Kind::OutboundRoutes, rid));
                }
            }
        }
        _ => {}
    }
    Ok(changes)
}
