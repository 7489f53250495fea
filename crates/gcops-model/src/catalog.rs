//! The kinds catalog (DESIGN.md §3): every kind described once — its file, endpoints, natural
//! key, paging, fields to strip, references, set-like arrays, built-in objects and
//! sub-resources. Normalize, export (and later validate, graph, plan, apply, drift) are all
//! driven by this table. Facts and unknowns per kind are in `shared/design/KINDS.md`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a list endpoint pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `pageSize`/`pageNumber` with the full envelope. `max` is the documented maximum; `None`
    /// means undocumented, in which case the client tries the largest of
    /// [`PROBE_PAGE_SIZES`] the server accepts.
    Offset { max: Option<u32> },
    /// `pageSize` + `after` cursor (`nextUri`).
    Cursor { max: u32 },
    /// One response holds every entity (no paging parameters).
    Single,
    /// A single object, not a list.
    Singleton,
}

/// Page sizes tried, largest first, where the maximum is undocumented (KINDS.md §18.1).
pub const PROBE_PAGE_SIZES: &[u32] = &[500, 100];

/// The natural key of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySpec {
    Name,
    /// `TYPE/name` (flows: names are unique per type and cannot contain `/`).
    TypeName,
    Singleton,
}

/// The shape of a reference holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// `{id, name, selfUri}` -> `{"name": K}` (`{"name", "type"}` for flows).
    Obj,
    /// A bare id string -> `"K"`.
    Id,
    /// An array of bare ids -> `["K", …]`.
    Ids,
}

/// A reference: the holder at `path` points at an object of `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefRule {
    /// JSON Pointer pattern of the holder (`*` = every element or key).
    pub path: String,
    /// A kind id, or `ext:<name>` for objects gcops looks up but never manages.
    pub target: String,
    pub shape: Shape,
    /// Optional references can be deferred (apply's second phase); required ones cannot.
    #[serde(default = "yes")]
    pub optional: bool,
}

fn yes() -> bool {
    true
}

impl RefRule {
    pub fn is_external(&self) -> bool {
        self.target.starts_with("ext:")
    }
}

/// An array that is a set: sorted by `by` (fields of its items; empty = the items themselves).
#[derive(Debug, Clone, Copy)]
pub struct SetRule {
    pub path: &'static str,
    pub by: &'static [&'static str],
}

/// A per-parent sub-resource, stored in the repository inside the parent.
#[derive(Debug, Clone, Copy)]
pub struct SubSpec {
    /// The virtual field in the parent (never sent in the parent's body).
    pub field: &'static str,
    /// The sub-resource's own kind id (its entry describes the items).
    pub kind: &'static str,
    /// List path, `{id}` = the parent's id.
    pub list_path: &'static str,
    pub paging: Paging,
    /// `true`: the items are references to `kind`'s target (queue wrap-up codes), kept as
    /// `{"name"}`; `false`: the items are objects normalized by `kind`'s entry (outbound routes).
    pub as_refs: bool,
}

/// How a kind is written (DESIGN.md §3 write semantics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// POST creates; an update is a full PUT of the live object overlaid with the desired one
    /// (which carries the live `version` where the kind has one).
    Put,
    /// No PUT: created with `{name, divisionId}`, only the division moves (PATCH `{divisionId}`);
    /// a rename is a create plus a delete (skills).
    CreateOnlyDivision,
    /// No update at all: a change is a create plus a delete (languages).
    CreateOnly,
    /// PUT needs the caller's lock: checkout, PUT, unlock (flows).
    Locked,
    /// Created from the metabase's template (`…/template?trunkMetabaseId=`), then PUT (trunks).
    FromTemplate,
}

/// One kind.
#[derive(Debug, Clone)]
pub struct KindSpec {
    pub id: &'static str,
    /// Repository file (relative to the repo root); `None` for sub-resources.
    pub file: Option<&'static str>,
    pub list_path: &'static str,
    /// Where objects are created (`POST`) and addressed (`/{id}`) when that is not the list
    /// path (divisions are listed through `/query`).
    pub write_path: Option<&'static str>,
    pub list_query: &'static [(&'static str, &'static str)],
    pub paging: Paging,
    pub key: KeySpec,
    /// Fields removed besides [`BASE_STRIP`] (JSON Pointer patterns).
    pub strip: &'static [&'static str],
    /// Fields that belong to one org and are never copied to another (left out by default).
    pub org_specific: &'static [&'static str],
    pub refs: Vec<RefRule>,
    pub sets: &'static [SetRule],
    /// Built-in objects: looked up by name, never created, updated or deleted.
    pub builtin: fn(&Value) -> bool,
    /// Objects the API lists but that are gone (deleted skills, …).
    pub skip: fn(&Value) -> bool,
    pub sub: Option<SubSpec>,
    /// Kind-specific normalization after stripping (trunk properties).
    pub hook: Option<fn(&mut Value)>,
    /// The SDK model of the object (`Queue`, …): the repository form is this model minus the
    /// stripped fields, with references as natural keys.
    pub model: &'static str,
    /// Natural keys of built-in objects every org has (looked up, never in the repository).
    pub builtin_keys: &'static [&'static str],
    pub write: Write,
}

/// Lookup-only targets (`ext:…`) that apply resolves by listing them: (target, list path).
/// Others (prompts, scripts, groups, …) have no list endpoint in this catalog yet, so a
/// reference to them cannot be applied (KINDS.md §15).
pub const EXT_LISTS: &[(&str, &str)] = &[("ext:locations", "/api/v2/locations")];

/// Volatile and read-only fields of every kind (top level).
pub const BASE_STRIP: &[&str] = &[
    "/id",
    "/selfUri",
    "/dateCreated",
    "/dateModified",
    "/createdBy",
    "/modifiedBy",
    "/createdByApp",
    "/modifiedByApp",
    "/version",
    "/state",
];

fn never(_: &Value) -> bool {
    false
}
fn deleted(v: &Value) -> bool {
    v["state"] == "deleted"
}
fn home_division(v: &Value) -> bool {
    v["homeDivision"] == true
}
fn system_flow(v: &Value) -> bool {
    v["system"] == true || v["deleted"] == true
}
fn managed_site(v: &Value) -> bool {
    v["managed"] == true
}
fn builtin_trunk(v: &Value) -> bool {
    v["managed"] == true || v["trunkType"].as_str().is_some_and(|t| t != "EXTERNAL")
}
fn managed_ca(v: &Value) -> bool {
    v["type"] == "MANAGED"
}

/// Trunk properties: only `value.instance` is configuration (the rest comes from the metabase
/// template); properties without an instance are left at their default and dropped.
fn trunk_properties(v: &mut Value) {
    let Some(props) = v.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    let kept: serde_json::Map<String, Value> = props
        .iter()
        .filter_map(|(k, p)| {
            let inst = p.pointer("/value/instance").filter(|i| !i.is_null())?;
            Some((k.clone(), serde_json::json!({"value": {"instance": inst}})))
        })
        .collect();
    *props = kept;
}

fn r(path: &str, target: &str, shape: Shape) -> RefRule {
    RefRule {
        path: path.into(),
        target: target.into(),
        shape,
        optional: true,
    }
}
fn req(path: &str, target: &str, shape: Shape) -> RefRule {
    RefRule {
        path: path.into(),
        target: target.into(),
        shape,
        optional: false,
    }
}

const DIVISIONS: &str = "administration/divisions";
const SKILLS: &str = "routing/skills";
const QUEUES: &str = "routing/queues";
const FLOWS: &str = "architect/flows";
const SITES: &str = "telephony/sip-domains";

/// The catalog: the built-in kinds plus the user's reference rules from `gcops.toml`.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub kinds: Vec<KindSpec>,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog::builtin()
    }
}

impl KindSpec {
    /// The collection path for writes.
    pub fn write_path(&self) -> &'static str {
        self.write_path.unwrap_or(self.list_path)
    }
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&KindSpec> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// Kinds stored in their own file (not sub-resources), in catalog order.
    pub fn top_level(&self) -> impl Iterator<Item = &KindSpec> {
        self.kinds.iter().filter(|k| k.file.is_some())
    }

    /// Adds user reference rules. Unknown kinds are an error naming the valid ones.
    pub fn with_rules(mut self, rules: &[(String, RefRule)]) -> Result<Catalog, String> {
        for (kind, rule) in rules {
            let known = self
                .kinds
                .iter()
                .map(|k| k.id)
                .collect::<Vec<_>>()
                .join(", ");
            if !rule.is_external() && self.get(&rule.target).is_none() {
                return Err(format!(
                    "reference target '{}' is not a kind (known: {known})",
                    rule.target
                ));
            }
            let Some(spec) = self.kinds.iter_mut().find(|k| k.id == kind) else {
                return Err(format!("unknown kind '{kind}' (known: {known})"));
            };
            spec.refs.push(rule.clone());
        }
        Ok(self)
    }

    pub fn builtin() -> Catalog {
        let division = || r("/division", DIVISIONS, Shape::Obj);
        let kinds = vec![
            KindSpec {
                id: "administration/org-settings",
                file: Some("domains/administration/org-settings.json"),
                list_path: "/api/v2/organizations/me",
                list_query: &[],
                write_path: None,
                paging: Paging::Singleton,
                key: KeySpec::Singleton,
                strip: &["/features", "/productPlatform", "/thirdPartyOrgName"],
                org_specific: &["/name", "/domain"],
                refs: vec![r("/defaultSiteId", SITES, Shape::Id)],
                sets: &[],
                builtin: never,
                skip: never,
                sub: None,
                hook: None,
                model: "Organization",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: DIVISIONS,
                file: Some("domains/administration/divisions.json"),
                list_path: "/api/v2/authorization/divisions/query",
                list_query: &[],
                write_path: Some("/api/v2/authorization/divisions"),
                paging: Paging::Cursor { max: 200 },
                key: KeySpec::Name,
                strip: &["/objectCounts", "/homeDivision"],
                org_specific: &[],
                refs: vec![],
                sets: &[],
                builtin: home_division,
                skip: never,
                sub: None,
                hook: None,
                model: "AuthzDivision",
                builtin_keys: &["Home"],
                write: Write::Put,
            },
            KindSpec {
                id: SKILLS,
                file: Some("domains/routing/skills.json"),
                list_path: "/api/v2/routing/skills",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[],
                org_specific: &[],
                refs: vec![division()],
                sets: &[],
                builtin: never,
                skip: deleted,
                sub: None,
                hook: None,
                model: "RoutingSkill",
                builtin_keys: &[],
                write: Write::CreateOnlyDivision,
            },
            KindSpec {
                id: "routing/languages",
                file: Some("domains/routing/languages.json"),
                list_path: "/api/v2/routing/languages",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[],
                org_specific: &[],
                refs: vec![],
                sets: &[],
                builtin: never,
                skip: deleted,
                sub: None,
                hook: None,
                model: "Language",
                builtin_keys: &[],
                write: Write::CreateOnly,
            },
            KindSpec {
                id: "routing/wrapup-codes",
                file: Some("domains/routing/wrapup-codes.json"),
                list_path: "/api/v2/routing/wrapupcodes",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[],
                org_specific: &[],
                refs: vec![division()],
                sets: &[],
                builtin: never,
                skip: never,
                sub: None,
                hook: None,
                model: "WrapupCode",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: "architect/schedules",
                file: Some("domains/architect/schedules.json"),
                list_path: "/api/v2/architect/schedules",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[],
                org_specific: &[],
                refs: vec![division()],
                sets: &[],
                builtin: never,
                skip: deleted,
                sub: None,
                hook: None,
                model: "Schedule",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: "architect/schedule-groups",
                file: Some("domains/architect/schedule-groups.json"),
                list_path: "/api/v2/architect/schedulegroups",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[],
                org_specific: &[],
                refs: vec![
                    division(),
                    r("/openSchedules/*", "architect/schedules", Shape::Obj),
                    r("/closedSchedules/*", "architect/schedules", Shape::Obj),
                    r("/holidaySchedules/*", "architect/schedules", Shape::Obj),
                ],
                sets: &[
                    SetRule {
                        path: "/openSchedules",
                        by: &["name"],
                    },
                    SetRule {
                        path: "/closedSchedules",
                        by: &["name"],
                    },
                    SetRule {
                        path: "/holidaySchedules",
                        by: &["name"],
                    },
                ],
                builtin: never,
                skip: deleted,
                sub: None,
                hook: None,
                model: "ScheduleGroup",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: FLOWS,
                file: Some("domains/architect/flows.json"),
                list_path: "/api/v2/flows",
                list_query: &[("deleted", "false"), ("includeSchemas", "false")],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::TypeName,
                strip: &[
                    "/lockedUser",
                    "/lockedClient",
                    "/publishedVersion",
                    "/savedVersion",
                    "/checkedInVersion",
                    "/debugVersion",
                    "/publishedBy",
                    "/currentOperation",
                    "/nluInfo",
                    "/supportedLanguages",
                    "/compatibleFlowTypes",
                    "/inputSchema",
                    "/outputSchema",
                    "/active",
                    "/deleted",
                    "/system",
                    "/virtualAgentEnabled",
                    "/worktypeId",
                ],
                org_specific: &[],
                refs: vec![division()],
                sets: &[],
                builtin: system_flow,
                skip: never,
                sub: None,
                hook: None,
                model: "Flow",
                builtin_keys: &[
                    "INQUEUECALL/Default In-Queue Flow",
                    "VOICEMAIL/Default Voicemail Flow",
                ],
                write: Write::Locked,
            },
            KindSpec {
                id: "telephony/certificate-authorities",
                file: Some("domains/telephony/certificate-authorities.json"),
                list_path: "/api/v2/telephony/providers/edges/certificateauthorities",
                list_query: &[],
                write_path: None,
                paging: Paging::Single,
                key: KeySpec::Name,
                strip: &["/certificateDetails"],
                org_specific: &[],
                refs: vec![division()],
                sets: &[SetRule {
                    path: "/services",
                    by: &[],
                }],
                builtin: managed_ca,
                skip: deleted,
                sub: None,
                hook: None,
                model: "DomainCertificateAuthority",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: SITES,
                file: Some("domains/telephony/sip-domains.json"),
                list_path: "/api/v2/telephony/providers/edges/sites",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[
                    "/edges",
                    "/managed",
                    "/addresses/*/display",
                    "/siteConnections/*/mediaModel",
                    "/siteConnections/*/edgeList",
                    "/siteConnections/*/coreSite",
                    "/siteConnections/*/primaryCoreSites",
                    "/siteConnections/*/secondaryCoreSites",
                ],
                org_specific: &["/primaryEdges", "/secondaryEdges"],
                refs: vec![
                    division(),
                    req("/location", "ext:locations", Shape::Obj),
                    r("/primarySites/*", SITES, Shape::Obj),
                    r("/secondarySites/*", SITES, Shape::Obj),
                ],
                sets: &[SetRule {
                    path: "/outboundRoutes",
                    by: &["name"],
                }],
                builtin: managed_site,
                skip: deleted,
                sub: Some(SubSpec {
                    field: "outboundRoutes",
                    kind: "telephony/sip-domains#outbound-routes",
                    list_path: "/api/v2/telephony/providers/edges/sites/{id}/outboundroutes",
                    paging: Paging::Offset { max: None },
                    as_refs: false,
                }),
                hook: None,
                model: "Site",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: "telephony/sip-domains#outbound-routes",
                file: None,
                list_path: "/api/v2/telephony/providers/edges/sites/{id}/outboundroutes",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[],
                org_specific: &[],
                refs: vec![
                    division(),
                    r("/externalTrunkBases/*", "telephony/trunks", Shape::Obj),
                ],
                sets: &[SetRule {
                    path: "/classificationTypes",
                    by: &[],
                }],
                builtin: never,
                skip: deleted,
                sub: None,
                hook: None,
                model: "OutboundRouteBase",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: "telephony/trunks",
                file: Some("domains/telephony/trunks.json"),
                list_path: "/api/v2/telephony/providers/edges/trunkbasesettings",
                list_query: &[("expand", "properties"), ("ignoreHidden", "true")],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &["/managed", "/trunkMetabase/name", "/trunkMetabase/selfUri"],
                org_specific: &[],
                refs: vec![
                    division(),
                    r("/site", SITES, Shape::Obj),
                    r("/inboundSite", SITES, Shape::Obj),
                ],
                sets: &[],
                builtin: builtin_trunk,
                skip: deleted,
                sub: None,
                hook: Some(trunk_properties),
                model: "TrunkBase",
                builtin_keys: &[],
                write: Write::FromTemplate,
            },
            KindSpec {
                id: QUEUES,
                file: Some("domains/routing/queues.json"),
                list_path: "/api/v2/routing/queues",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[
                    "/memberCount",
                    "/userMemberCount",
                    "/joinedMemberCount",
                    "/sourceQueueId",
                    "/memberGroups/*/memberCount",
                    "/memberGroups/*/division",
                    "/bullseye/rings/*/memberGroups/*/memberCount",
                    "/bullseye/rings/*/memberGroups/*/division",
                    "/conditionalGroupRouting/rules/*/groups/*/memberCount",
                    "/conditionalGroupRouting/rules/*/groups/*/division",
                    "/conditionalGroupActivation/rules/*/groups/*/memberCount",
                    "/conditionalGroupActivation/rules/*/groups/*/division",
                    "/outboundEmailAddress/route/pattern",
                    "/outboundEmailAddress/route/fromName",
                    "/defaultMediaLanguage",
                    "/mediaSettings/email/allOutboundEmailAddresses",
                ],
                org_specific: &["/peerId"],
                refs: vec![
                    division(),
                    r(
                        "/bullseye/rings/*/actions/skillsToRemove/*",
                        SKILLS,
                        Shape::Obj,
                    ),
                    r("/queueFlow", FLOWS, Shape::Obj),
                    r("/emailInQueueFlow", FLOWS, Shape::Obj),
                    r("/messageInQueueFlow", FLOWS, Shape::Obj),
                    r("/mediaSettings/callback/liveVoiceFlow", FLOWS, Shape::Obj),
                    r(
                        "/mediaSettings/callback/answeringMachineFlow",
                        FLOWS,
                        Shape::Obj,
                    ),
                    r(
                        "/mediaSettings/message/inactivityTimeoutSettings/flowId",
                        FLOWS,
                        Shape::Obj,
                    ),
                    r("/mediaSettings/callback/site", SITES, Shape::Obj),
                    r(
                        "/mediaSettings/callback/edgeGroup",
                        "ext:edge-groups",
                        Shape::Obj,
                    ),
                    r("/conditionalGroupRouting/rules/*/queue", QUEUES, Shape::Obj),
                    r(
                        "/conditionalGroupActivation/pilotRule/conditions/*/simpleMetric/queue",
                        QUEUES,
                        Shape::Obj,
                    ),
                    r(
                        "/conditionalGroupActivation/rules/*/conditions/*/simpleMetric/queue",
                        QUEUES,
                        Shape::Obj,
                    ),
                    r("/directRouting/backupQueueId", QUEUES, Shape::Id),
                    r("/whisperPrompt", "ext:prompts", Shape::Obj),
                    r("/onHoldPrompt", "ext:prompts", Shape::Obj),
                    r("/defaultScripts/*", "ext:scripts", Shape::Obj),
                    r("/memberGroups/*", "ext:groups", Shape::Obj),
                    r("/bullseye/rings/*/memberGroups/*", "ext:groups", Shape::Obj),
                    r(
                        "/conditionalGroupRouting/rules/*/groups/*",
                        "ext:groups",
                        Shape::Obj,
                    ),
                    r(
                        "/conditionalGroupActivation/rules/*/groups/*",
                        "ext:groups",
                        Shape::Obj,
                    ),
                    r(
                        "/outboundEmailAddress/domain",
                        "ext:email-domains",
                        Shape::Obj,
                    ),
                    r(
                        "/outboundEmailAddress/route",
                        "ext:email-routes",
                        Shape::Obj,
                    ),
                    r(
                        "/outboundMessagingAddresses/smsAddress",
                        "ext:messaging-addresses",
                        Shape::Obj,
                    ),
                    r(
                        "/outboundMessagingAddresses/openMessagingRecipient",
                        "ext:messaging-addresses",
                        Shape::Obj,
                    ),
                    r(
                        "/outboundMessagingAddresses/whatsAppRecipient",
                        "ext:messaging-addresses",
                        Shape::Obj,
                    ),
                    r(
                        "/cannedResponseLibraries/libraryIds/*",
                        "ext:canned-response-libraries",
                        Shape::Id,
                    ),
                    r("/wrapupCodes/*", "routing/wrapup-codes", Shape::Obj),
                ],
                sets: &[
                    SetRule {
                        path: "/bullseye/rings/*/actions/skillsToRemove",
                        by: &["name"],
                    },
                    SetRule {
                        path: "/memberGroups",
                        by: &["type", "name"],
                    },
                    SetRule {
                        path: "/bullseye/rings/*/memberGroups",
                        by: &["type", "name"],
                    },
                    SetRule {
                        path: "/conditionalGroupRouting/rules/*/groups",
                        by: &["type", "name"],
                    },
                    SetRule {
                        path: "/conditionalGroupActivation/rules/*/groups",
                        by: &["type", "name"],
                    },
                    SetRule {
                        path: "/cannedResponseLibraries/libraryIds",
                        by: &[],
                    },
                    SetRule {
                        path: "/wrapupCodes",
                        by: &["name"],
                    },
                ],
                builtin: never,
                skip: never,
                sub: Some(SubSpec {
                    field: "wrapupCodes",
                    kind: "routing/queues#wrapup-codes",
                    list_path: "/api/v2/routing/queues/{id}/wrapupcodes",
                    paging: Paging::Offset { max: None },
                    as_refs: true,
                }),
                hook: None,
                model: "Queue",
                builtin_keys: &[],
                write: Write::Put,
            },
            KindSpec {
                id: "routing/queues#wrapup-codes",
                file: None,
                list_path: "/api/v2/routing/queues/{id}/wrapupcodes",
                list_query: &[],
                write_path: None,
                paging: Paging::Offset { max: None },
                key: KeySpec::Name,
                strip: &[],
                org_specific: &[],
                refs: vec![],
                sets: &[],
                builtin: never,
                skip: never,
                sub: None,
                hook: None,
                model: "WrapupCode",
                builtin_keys: &[],
                write: Write::Put,
            },
        ];
        Catalog { kinds }
    }
}

/// The natural key of an API object under `spec`.
pub fn natural_key(spec: &KindSpec, obj: &Value) -> Option<String> {
    match spec.key {
        KeySpec::Singleton => Some("organization".into()),
        KeySpec::Name => obj["name"].as_str().map(str::to_string),
        KeySpec::TypeName => Some(format!(
            "{}/{}",
            obj["type"].as_str()?,
            obj["name"].as_str()?
        )),
    }
}

/// The id-map key of a sub-resource item: the JSON array `[parent key, item key]`.
pub fn child_key(parent: &str, child: &str) -> String {
    serde_json::to_string(&[parent, child]).expect("strings serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_consistent() {
        let c = Catalog::builtin();
        for k in &c.kinds {
            for r in &k.refs {
                assert!(
                    r.is_external() || c.get(&r.target).is_some(),
                    "{} -> {}",
                    k.id,
                    r.target
                );
                assert!(r.path.starts_with('/'));
            }
            if let Some(sub) = k.sub {
                assert!(c.get(sub.kind).is_some(), "{}", sub.kind);
            }
        }
        let files: Vec<_> = c.top_level().filter_map(|k| k.file).collect();
        let mut dedup = files.clone();
        dedup.dedup();
        assert_eq!(files.len(), dedup.len());
        let rule = RefRule {
            path: "/p".into(),
            target: "nope".into(),
            shape: Shape::Id,
            optional: true,
        };
        assert!(
            Catalog::builtin()
                .with_rules(&[("routing/queues".into(), rule)])
                .is_err()
        );
    }
}
