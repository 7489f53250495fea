//! The API's routes: path matching, the permissions each route needs, and the call into the
//! generic or family-specific handler.

use serde_json::{Value, json};

use crate::crud::{self, Actor, RenderOpts};
use crate::error::{ApiError, ApiResult};
use crate::kinds::{self, Kind, NONE, Perm, PermMode, def};
use crate::query::Query;
use crate::resources::{divisions, flows, organization, queues, telephony};
use crate::server::Shared;
use crate::state::State;

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    TokensMe,
    OrgMe,
    Coll(Kind),
    Item(Kind, String),
    DivisionsHome,
    DivisionsLimit,
    DivisionsQuery,
    QueueWrapups(String),
    QueueWrapup(String, String),
    QueueMembers(String),
    FlowAction(String),
    Metabases,
    TrunkTemplate,
    OutboundRouteList(String),
    OutboundRouteItem(String, String),
}

const TELEPHONY_BASE: &[&str] = &["telephony", "providers", "edges"];

/// Matches a path under `/api/v2/` to a route and its template (for counters and faults).
pub fn match_path(segs: &[&str]) -> Option<(Route, String)> {
    use Route::*;
    let t = |s: &str| format!("/api/v2/{s}");
    Some(match segs {
        ["tokens", "me"] => (TokensMe, t("tokens/me")),
        ["organizations", "me"] => (OrgMe, t("organizations/me")),
        ["authorization", "divisions", "home"] => {
            (DivisionsHome, t("authorization/divisions/home"))
        }
        ["authorization", "divisions", "limit"] => {
            (DivisionsLimit, t("authorization/divisions/limit"))
        }
        ["authorization", "divisions", "query"] => {
            (DivisionsQuery, t("authorization/divisions/query"))
        }
        ["routing", "queues", q, "wrapupcodes"] => (
            QueueWrapups(q.to_string()),
            t("routing/queues/{id}/wrapupcodes"),
        ),
        ["routing", "queues", q, "wrapupcodes", c] => (
            QueueWrapup(q.to_string(), c.to_string()),
            t("routing/queues/{id}/wrapupcodes/{codeId}"),
        ),
        ["routing", "queues", q, "members"] => (
            QueueMembers(q.to_string()),
            t("routing/queues/{id}/members"),
        ),
        ["flows", "actions", a] => (FlowAction(a.to_string()), t(&format!("flows/actions/{a}"))),
        [a, b, c, "trunkbasesettings", "availablemetabases"] if [*a, *b, *c] == TELEPHONY_BASE => (
            Metabases,
            t("telephony/providers/edges/trunkbasesettings/availablemetabases"),
        ),
        [a, b, c, "trunkbasesettings", "template"] if [*a, *b, *c] == TELEPHONY_BASE => (
            TrunkTemplate,
            t("telephony/providers/edges/trunkbasesettings/template"),
        ),
        [a, b, c, "sites", s, "outboundroutes"] if [*a, *b, *c] == TELEPHONY_BASE => (
            OutboundRouteList(s.to_string()),
            t("telephony/providers/edges/sites/{id}/outboundroutes"),
        ),
        [a, b, c, "sites", s, "outboundroutes", r] if [*a, *b, *c] == TELEPHONY_BASE => (
            OutboundRouteItem(s.to_string(), r.to_string()),
            t("telephony/providers/edges/sites/{id}/outboundroutes/{routeId}"),
        ),
        _ => {
            for d in kinds::DEFS.iter().filter(|d| !d.path.contains("{parent}")) {
                let base: Vec<&str> = d.path.trim_start_matches("/api/v2/").split('/').collect();
                if segs.len() == base.len() && segs == base.as_slice() {
                    return Some((Coll(d.kind), d.path.to_string()));
                }
                if segs.len() == base.len() + 1 && segs[..base.len()] == base[..] {
                    return Some((
                        Item(d.kind, segs[base.len()].to_string()),
                        format!("{}/{{id}}", d.path),
                    ));
                }
            }
            return None;
        }
    })
}

fn any(list: &'static [&'static str]) -> Perm {
    Perm {
        mode: PermMode::Any,
        list,
    }
}
fn all(list: &'static [&'static str]) -> Perm {
    Perm {
        mode: PermMode::All,
        list,
    }
}

/// The permissions a request needs, or `None` if the method is not allowed on the route.
pub fn permission(method: &str, route: &Route) -> Option<Perm> {
    use Route::*;
    Some(match (method, route) {
        ("GET", TokensMe | DivisionsHome | DivisionsLimit | DivisionsQuery) => NONE,
        ("GET", OrgMe) => NONE,
        ("PUT", OrgMe) => any(&["directory:organization:admin"]),
        ("GET", Coll(k)) => def(*k).perms.list,
        ("POST", Coll(k)) if def(*k).create_model.is_some() => def(*k).perms.create,
        ("GET", Item(k, _)) => def(*k).perms.get,
        ("PUT", Item(k, _)) if def(*k).update_model.is_some() => def(*k).perms.update,
        ("PATCH", Item(Kind::Skills, _)) => def(Kind::Skills).perms.update,
        ("DELETE", Item(k, _)) if def(*k).create_model.is_some() => def(*k).perms.delete,
        ("GET", QueueWrapups(_)) => all(&["routing:queue:view"]),
        ("POST", QueueWrapups(_)) | ("DELETE", QueueWrapup(..)) => all(&["routing:queue:edit"]),
        ("GET", QueueMembers(_)) => any(&[
            "routing:queue:view",
            "routing:queue:edit",
            "routing:queue:readonly",
            "routing:queueMember:manage",
        ]),
        ("POST", FlowAction(a)) => match a.as_str() {
            "checkout" => any(&["architect:flow:edit"]),
            "checkin" => any(&["architect:flow:edit", "architect:flow:unlock"]),
            "unlock" => any(&["architect:flow:unlock"]),
            _ => return None,
        },
        ("GET", Metabases | TrunkTemplate) => def(Kind::TrunkBaseSettings).perms.list,
        ("GET", OutboundRouteList(_) | OutboundRouteItem(..)) => {
            def(Kind::OutboundRoutes).perms.get
        }
        ("POST", OutboundRouteList(_)) => def(Kind::OutboundRoutes).perms.create,
        ("PUT", OutboundRouteItem(..)) => def(Kind::OutboundRoutes).perms.update,
        ("DELETE", OutboundRouteItem(..)) => def(Kind::OutboundRoutes).perms.delete,
        _ => return None,
    })
}

/// Whether `granted` (with `*` segments as wildcards) covers `needed`.
pub fn grants(granted: &str, needed: &str) -> bool {
    let g: Vec<&str> = granted.split(':').collect();
    let n: Vec<&str> = needed.split(':').collect();
    for (i, seg) in g.iter().enumerate() {
        if *seg == "*" {
            return true;
        }
        if n.get(i) != Some(seg) {
            return false;
        }
    }
    g.len() == n.len()
}

pub fn check_permissions(granted: Option<&Vec<String>>, perm: Perm) -> ApiResult<()> {
    let Some(granted) = granted else {
        return Ok(());
    };
    if perm.list.is_empty() {
        return Ok(());
    }
    let has = |p: &&str| granted.iter().any(|g| grants(g, p));
    match perm.mode {
        PermMode::All => {
            let missing: Vec<&str> = perm.list.iter().filter(|p| !has(p)).copied().collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(ApiError::missing_permissions(true, &missing))
            }
        }
        PermMode::Any => {
            if perm.list.iter().any(has) {
                Ok(())
            } else {
                Err(ApiError::missing_permissions(false, perm.list))
            }
        }
    }
}

/// A handler's answer.
pub enum Reply {
    Json(u16, Value),
    Empty(u16),
}

/// One authorized API request.
pub struct Call<'a> {
    pub org: &'a str,
    pub method: &'a str,
    pub route: &'a Route,
    pub query: &'a Query,
    pub body: &'a Value,
    pub actor: &'a Actor,
}

/// Runs one authorized API request against the state.
pub fn handle(shared: &Shared, st: &mut State, call: Call<'_>) -> ApiResult<Reply> {
    use Route::*;
    let Call {
        org: org_name,
        method,
        route,
        query: q,
        body,
        actor,
    } = call;
    let now = shared.clock.now_ms();
    let cfg = shared.config();
    let org = st.org(org_name)?;
    let ok = |v: Value| Ok(Reply::Json(200, v));
    let render = |st: &State, kind: Kind, id: &str, opts: RenderOpts| -> ApiResult<Reply> {
        let org = st.org(org_name)?;
        let obj = crud::find(org, kind, id)?;
        Ok(Reply::Json(200, crud::render(org, kind, obj, now, opts)))
    };
    let full = RenderOpts {
        properties: true,
        object_counts: false,
    };
    match (method, route) {
        ("GET", TokensMe) => ok(json!({
            "organization": {"id": org.id, "name": org.organization()["name"]},
            "homeOrganization": {"id": org.id, "name": org.organization()["name"]},
            "OAuthClient": {"id": org.client_id, "name": format!("gcops emulator ({})", org.name),
                             "authorizedGrantType": "CLIENT-CREDENTIALS"},
        })),
        ("GET", OrgMe) => ok(organization::get(org)),
        ("PUT", OrgMe) => {
            let changes = organization::put(org, body, actor)?;
            st.commit(org_name, changes)?;
            ok(organization::get(st.org(org_name)?))
        }
        ("GET", DivisionsHome) => ok(divisions::home(org, now)?),
        ("GET", DivisionsLimit) => ok(json!(divisions::DIVISION_LIMIT)),
        ("GET", DivisionsQuery) => ok(divisions::query(org, q, now, &cfg)?),
        ("GET", Coll(kind)) => ok(crud::list(org, *kind, q, now, &cfg, None)?),
        ("GET", Item(Kind::TrunkBaseSettings, id)) => render(st, Kind::TrunkBaseSettings, id, full),
        ("GET", Item(Kind::Divisions, id)) => {
            let counts = q.bool("objectCount")?.unwrap_or(false);
            render(
                st,
                Kind::Divisions,
                id,
                RenderOpts {
                    properties: false,
                    object_counts: counts,
                },
            )
        }
        ("GET", Item(kind, id)) => render(st, *kind, id, full),
        ("POST", Coll(kind)) => {
            let org = st.orgs.get_mut(org_name).ok_or_else(ApiError::not_found)?;
            let (id, mut changes) = match kind {
                Kind::Flows => flows::create(org, body, actor, now)?,
                _ => crud::create(org, *kind, body, actor, now)?,
            };
            if *kind == Kind::Divisions {
                divisions::keep_home_flag(&mut changes, None);
            }
            st.commit(org_name, changes)?;
            render(st, *kind, &id, full)
        }
        ("PUT", Item(kind, id)) => {
            let mut changes = match kind {
                Kind::Flows => flows::update(org, id, body, actor, now)?,
                _ => crud::update(org, *kind, id, body, actor, now)?,
            };
            if *kind == Kind::Divisions {
                divisions::keep_home_flag(&mut changes, org.get(Kind::Divisions, id));
            }
            st.commit(org_name, changes)?;
            render(st, *kind, id, full)
        }
        ("PATCH", Item(Kind::Skills, id)) => {
            let existing = crud::find(org, Kind::Skills, id)?.clone();
            let req = crate::models::sanitize("UpdateSkillDivisionRequest", body)?;
            let Some(div) = req["divisionId"].as_str() else {
                return Err(ApiError::required("divisionId"));
            };
            let mut next = existing.clone();
            next["division"] = json!({"id": div});
            crud::check_refs(org, Kind::Skills, &mut next, Some(id))?;
            let v = existing["version"]
                .as_str()
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0)
                + 1;
            next["version"] = json!(v.to_string());
            next["dateModified"] = json!(crate::time::iso(now));
            st.commit(
                org_name,
                vec![crate::store::Change::put(Kind::Skills, id, next)],
            )?;
            render(st, Kind::Skills, id, full)
        }
        ("DELETE", Item(kind, id)) => {
            let changes = match kind {
                Kind::Flows => flows::delete(org, id, actor)?,
                Kind::Divisions => divisions::delete(org, id)?,
                k => {
                    telephony::check_deletable(*k, crud::find(org, *k, id)?)?;
                    crud::delete(org, *k, id)?
                }
            };
            st.commit(org_name, changes)?;
            Ok(Reply::Empty(204))
        }
        ("GET", QueueWrapups(qid)) => ok(queues::list_wrapups(org, qid, q, now, &cfg)?),
        ("POST", QueueWrapups(qid)) => {
            let (changes, added) = queues::add_wrapups(org, qid, body, now)?;
            st.commit(org_name, changes)?;
            ok(added)
        }
        ("DELETE", QueueWrapup(qid, cid)) => {
            let changes = queues::remove_wrapup(org, qid, cid)?;
            st.commit(org_name, changes)?;
            Ok(Reply::Empty(204))
        }
        ("GET", QueueMembers(qid)) => ok(queues::list_members(org, qid, q, &cfg)?),
        ("POST", FlowAction(action)) => {
            let (changes, _) = flows::action(org, action, q.get("flow"), actor)?;
            st.commit(org_name, changes)?;
            render(st, Kind::Flows, q.get("flow").unwrap_or_default(), full)
        }
        ("GET", Metabases) => {
            let items = telephony::available_metabases(q.get("type"));
            let (size, number) = crud::page_params(q, "availablemetabases", None, &cfg)?;
            let total = items.len();
            let page = items
                .into_iter()
                .skip((number as usize - 1) * size as usize)
                .take(size as usize)
                .collect();
            ok(crud::envelope(
                "/api/v2/telephony/providers/edges/trunkbasesettings/availablemetabases",
                &q.passthrough(&["pageSize", "pageNumber"]),
                page,
                size,
                number,
                total,
                kinds::Listing::WithTotalNumberOfEntities,
            ))
        }
        ("GET", TrunkTemplate) => ok(telephony::template(q.get("trunkMetabaseId"))?),
        ("GET", OutboundRouteList(site)) => {
            crud::find(org, Kind::Sites, site)?;
            ok(crud::list(
                org,
                Kind::OutboundRoutes,
                q,
                now,
                &cfg,
                Some(site),
            )?)
        }
        ("GET", OutboundRouteItem(site, rid)) => {
            route_of(st, org_name, site, rid)?;
            render(st, Kind::OutboundRoutes, rid, full)
        }
        ("POST", OutboundRouteList(site)) => {
            crud::find(org, Kind::Sites, site)?;
            let mut raw = body.clone();
            if raw.is_object() {
                raw["__site"] = json!(site);
            }
            let org = st.orgs.get_mut(org_name).ok_or_else(ApiError::not_found)?;
            let (id, changes) = crud::create(org, Kind::OutboundRoutes, &raw, actor, now)?;
            st.commit(org_name, changes)?;
            render(st, Kind::OutboundRoutes, &id, full)
        }
        ("PUT", OutboundRouteItem(site, rid)) => {
            route_of(st, org_name, site, rid)?;
            let changes = crud::update(org, Kind::OutboundRoutes, rid, body, actor, now)?;
            st.commit(org_name, changes)?;
            render(st, Kind::OutboundRoutes, rid, full)
        }
        ("DELETE", OutboundRouteItem(site, rid)) => {
            route_of(st, org_name, site, rid)?;
            let changes = crud::delete(st.org(org_name)?, Kind::OutboundRoutes, rid)?;
            st.commit(org_name, changes)?;
            Ok(Reply::Empty(204))
        }
        _ => Err(method_not_allowed()),
    }
}

fn route_of(st: &State, org: &str, site: &str, rid: &str) -> ApiResult<()> {
    let org = st.org(org)?;
    crud::find(org, Kind::Sites, site)?;
    let r = crud::find(org, Kind::OutboundRoutes, rid)?;
    if r["__site"] != site {
        let nf = def(Kind::OutboundRoutes).not_found;
        return Err(ApiError::new(nf.status, nf.code, nf.message));
    }
    Ok(())
}

pub fn method_not_allowed() -> ApiError {
    ApiError::new(
        405,
        "method.not.allowed",
        "The requested method is not supported for this resource.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_templates() {
        let (r, t) = match_path(&["routing", "queues", "abc"]).unwrap();
        assert_eq!(r, Route::Item(Kind::Queues, "abc".into()));
        assert_eq!(t, "/api/v2/routing/queues/{id}");
        let (r, _) = match_path(&[
            "telephony",
            "providers",
            "edges",
            "sites",
            "s1",
            "outboundroutes",
        ])
        .unwrap();
        assert_eq!(r, Route::OutboundRouteList("s1".into()));
        assert!(match_path(&["configuration"]).is_none());
    }

    #[test]
    fn permission_wildcards() {
        assert!(grants("routing:queue:view", "routing:queue:view"));
        assert!(grants("routing:*", "routing:queue:view"));
        assert!(grants("*", "telephony:plugin:all"));
        assert!(!grants("routing:queue:view", "routing:queue:edit"));
        let e = check_permissions(
            Some(&vec!["routing:queue:view".into()]),
            all(&["routing:wrapupCode:add"]),
        )
        .unwrap_err();
        assert_eq!(e.code, "missing.permissions");
        assert!(e.message.contains("routing:wrapupCode:add"));
    }
}
