//! The resource families the emulator serves, described once: paths, models, permissions,
//! name filters, version semantics, error codes and the references each holds.
//!
//! Generic handlers (`crud.rs`) read this table; only genuinely special behaviour (flow locks,
//! trunk templates, the org singleton) lives in per-family code.

use serde::{Deserialize, Serialize};

/// A collection of stored objects in one org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Organization,
    Divisions,
    Skills,
    Languages,
    WrapupCodes,
    Queues,
    Schedules,
    ScheduleGroups,
    Flows,
    CertificateAuthorities,
    TrunkBaseSettings,
    Sites,
    OutboundRoutes,
    Locations,
    Users,
    /// Per queue: the ids of its assigned wrap-up codes (id = queue id).
    QueueWrapupCodes,
    /// Per queue: its members (id = queue id).
    QueueMembers,
}

pub const ALL_KINDS: &[Kind] = &[
    Kind::Organization,
    Kind::Divisions,
    Kind::Skills,
    Kind::Languages,
    Kind::WrapupCodes,
    Kind::Queues,
    Kind::Schedules,
    Kind::ScheduleGroups,
    Kind::Flows,
    Kind::CertificateAuthorities,
    Kind::TrunkBaseSettings,
    Kind::Sites,
    Kind::OutboundRoutes,
    Kind::Locations,
    Kind::Users,
    Kind::QueueWrapupCodes,
    Kind::QueueMembers,
];

/// How the `name` query parameter filters a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameFilter {
    /// Exact match, case-insensitive, with leading/trailing `*` wildcards (queues).
    ExactWildcard,
    /// Starts with (skills).
    Prefix,
    /// Contains (queue members).
    Contains,
    /// The endpoint has no name filter.
    None,
}

/// The list envelope variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Standard,
    /// Telephony and Architect schedule listings add `totalNumberOfEntities`.
    WithTotalNumberOfEntities,
    /// Certificate authorities: full envelope, but no paging parameters (one page).
    SinglePage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioning {
    None,
    /// Integer `version`, incremented on every write; a stale value on PUT is a 409.
    Integer,
    /// String `version` that only the system assigns (skills, languages).
    ReadOnlyString,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermMode {
    Any,
    All,
}

#[derive(Debug, Clone, Copy)]
pub struct Perm {
    pub mode: PermMode,
    pub list: &'static [&'static str],
}

pub const NONE: Perm = Perm {
    mode: PermMode::Any,
    list: &[],
};
const fn any(list: &'static [&'static str]) -> Perm {
    Perm {
        mode: PermMode::Any,
        list,
    }
}
const fn all(list: &'static [&'static str]) -> Perm {
    Perm {
        mode: PermMode::All,
        list,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Perms {
    pub list: Perm,
    pub get: Perm,
    pub create: Perm,
    pub update: Perm,
    pub delete: Perm,
}

/// The shape of a reference in a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefShape {
    /// `{id, name, selfUri}`; `name` and `selfUri` are filled in on output.
    Obj,
    /// A bare id string.
    Id,
}

#[derive(Debug, Clone, Copy)]
pub struct RefSpec {
    /// JSON Pointer to the reference holder; `*` matches every array element or map key.
    pub path: &'static str,
    pub target: Kind,
    pub shape: RefShape,
}

const fn obj(path: &'static str, target: Kind) -> RefSpec {
    RefSpec {
        path,
        target,
        shape: RefShape::Obj,
    }
}
const fn id(path: &'static str, target: Kind) -> RefSpec {
    RefSpec {
        path,
        target,
        shape: RefShape::Id,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ErrSpec {
    pub status: u16,
    pub code: &'static str,
    pub message: &'static str,
}
const fn err(status: u16, code: &'static str, message: &'static str) -> ErrSpec {
    ErrSpec {
        status,
        code,
        message,
    }
}

/// A resource family's contract.
#[derive(Debug, Clone, Copy)]
pub struct KindDef {
    pub kind: Kind,
    /// The id used in admin requests and seed descriptions (the gcops kind id where one exists).
    pub name: &'static str,
    /// Path of the collection, e.g. `/api/v2/routing/queues` (sub-resources: `{parent}` placeholder).
    pub path: &'static str,
    pub model: &'static str,
    pub create_model: Option<&'static str>,
    pub update_model: Option<&'static str>,
    pub perms: Perms,
    pub name_filter: NameFilter,
    pub listing: Listing,
    pub default_sort_by_id: bool,
    pub versioning: Versioning,
    /// Sets `dateCreated/dateModified/createdBy/modifiedBy` (and for telephony-style bases
    /// `state` and `*ByApp`).
    pub audit: Audit,
    pub has_division: bool,
    pub duplicate: ErrSpec,
    pub not_found: ErrSpec,
    pub in_use: ErrSpec,
    pub refs: &'static [RefSpec],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    None,
    /// `dateCreated dateModified createdBy modifiedBy` (queues, wrap-up codes).
    Routing,
    /// `dateModified state` (skills, languages).
    Skill,
    /// Telephony-style base: dates, by, `*ByApp`, `state`.
    Base,
}

const TELEPHONY: Perms = Perms {
    list: any(&["telephony:plugin:all"]),
    get: any(&["telephony:plugin:all"]),
    create: any(&["telephony:plugin:all"]),
    update: any(&["telephony:plugin:all"]),
    delete: any(&["telephony:plugin:all"]),
};
const NOT_FOUND: ErrSpec = err(404, "not.found", "The requested resource was not found.");
const TEL_NOT_FOUND: ErrSpec = err(
    404,
    "entity.not.found",
    "Unable to find an entity with that id.",
);
const IN_USE: ErrSpec = err(
    409,
    "general.conflict",
    "The object is in use and cannot be deleted.",
);

pub static DEFS: &[KindDef] = &[
    KindDef {
        kind: Kind::Divisions,
        name: "administration/divisions",
        path: "/api/v2/authorization/divisions",
        model: "AuthzDivision",
        create_model: Some("AuthzDivision"),
        update_model: Some("AuthzDivision"),
        perms: Perms {
            list: NONE,
            get: NONE,
            create: all(&["authorization:division:add", "authorization:grant:add"]),
            update: any(&["authorization:division:edit"]),
            delete: any(&["authorization:division:delete"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::Standard,
        default_sort_by_id: false,
        versioning: Versioning::None,
        audit: Audit::None,
        has_division: false,
        duplicate: err(
            400,
            "duplicate.name",
            "A division with that name already exists.",
        ),
        not_found: NOT_FOUND,
        in_use: err(
            409,
            "general.conflict",
            "The division is not empty: move or delete its objects first.",
        ),
        refs: &[],
    },
    KindDef {
        kind: Kind::Skills,
        name: "routing/skills",
        path: "/api/v2/routing/skills",
        model: "RoutingSkill",
        create_model: Some("CreateRoutingSkill"),
        update_model: None,
        perms: Perms {
            list: any(&["routing:skill:view"]),
            get: any(&["routing:skill:view"]),
            create: any(&["routing:skill:manage", "routing:skill:create"]),
            update: any(&["routing:skill:update"]),
            delete: any(&["routing:skill:manage", "routing:skill:delete"]),
        },
        name_filter: NameFilter::Prefix,
        listing: Listing::Standard,
        default_sort_by_id: false,
        versioning: Versioning::ReadOnlyString,
        audit: Audit::Skill,
        has_division: true,
        duplicate: err(
            409,
            "general.conflict",
            "The request could not be completed by the server due to a conflict.",
        ),
        not_found: NOT_FOUND,
        in_use: err(
            409,
            "general.conflict",
            "The skill is in use by one or more queues.",
        ),
        refs: &[obj("/division", Kind::Divisions)],
    },
    KindDef {
        kind: Kind::Languages,
        name: "routing/languages",
        path: "/api/v2/routing/languages",
        model: "Language",
        create_model: Some("Language"),
        update_model: None,
        perms: Perms {
            list: NONE,
            get: NONE,
            create: any(&["routing:skill:manage"]),
            update: any(&["routing:skill:manage"]),
            delete: any(&["routing:skill:manage"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::Standard,
        default_sort_by_id: false,
        versioning: Versioning::ReadOnlyString,
        audit: Audit::Skill,
        has_division: false,
        duplicate: err(
            409,
            "general.conflict",
            "The request could not be completed by the server due to a conflict.",
        ),
        not_found: NOT_FOUND,
        in_use: IN_USE,
        refs: &[],
    },
    KindDef {
        kind: Kind::WrapupCodes,
        name: "routing/wrapup-codes",
        path: "/api/v2/routing/wrapupcodes",
        model: "WrapupCode",
        create_model: Some("WrapupCodeRequest"),
        update_model: Some("WrapupCodeRequest"),
        perms: Perms {
            list: all(&["routing:wrapupCode:view"]),
            get: all(&["routing:wrapupCode:view"]),
            create: all(&["routing:wrapupCode:add"]),
            update: all(&["routing:wrapupCode:edit"]),
            delete: all(&["routing:wrapupCode:delete"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::Standard,
        default_sort_by_id: false,
        versioning: Versioning::None,
        audit: Audit::Routing,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.name",
            "A wrapup code with this name already exists.",
        ),
        not_found: err(
            404,
            "resource.not.found",
            "The resource could not be found.",
        ),
        in_use: err(
            409,
            "general.conflict",
            "The wrap-up code is assigned to one or more queues.",
        ),
        refs: &[obj("/division", Kind::Divisions)],
    },
    KindDef {
        kind: Kind::Queues,
        name: "routing/queues",
        path: "/api/v2/routing/queues",
        model: "Queue",
        create_model: Some("CreateQueueRequest"),
        update_model: Some("QueueRequest"),
        perms: Perms {
            list: any(&["routing:queue:view"]),
            get: all(&["routing:queue:view"]),
            create: any(&["routing:queue:add"]),
            update: any(&["routing:queue:edit"]),
            delete: all(&["routing:queue:delete"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::Standard,
        default_sort_by_id: false,
        versioning: Versioning::None,
        audit: Audit::Routing,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.name",
            "A queue with that name already exists.",
        ),
        not_found: NOT_FOUND,
        in_use: err(
            409,
            "general.conflict",
            "The queue is referenced by another queue.",
        ),
        refs: &[
            obj("/division", Kind::Divisions),
            obj("/bullseye/rings/*/actions/skillsToRemove/*", Kind::Skills),
            obj("/queueFlow", Kind::Flows),
            obj("/emailInQueueFlow", Kind::Flows),
            obj("/messageInQueueFlow", Kind::Flows),
            obj("/mediaSettings/callback/liveVoiceFlow", Kind::Flows),
            obj("/mediaSettings/callback/answeringMachineFlow", Kind::Flows),
            obj(
                "/mediaSettings/message/inactivityTimeoutSettings/flowId",
                Kind::Flows,
            ),
            obj("/mediaSettings/callback/site", Kind::Sites),
            obj("/conditionalGroupRouting/rules/*/queue", Kind::Queues),
            obj(
                "/conditionalGroupActivation/pilotRule/conditions/*/simpleMetric/queue",
                Kind::Queues,
            ),
            obj(
                "/conditionalGroupActivation/rules/*/conditions/*/simpleMetric/queue",
                Kind::Queues,
            ),
            id("/directRouting/backupQueueId", Kind::Queues),
        ],
    },
    KindDef {
        kind: Kind::Schedules,
        name: "architect/schedules",
        path: "/api/v2/architect/schedules",
        model: "Schedule",
        create_model: Some("Schedule"),
        update_model: Some("Schedule"),
        perms: Perms {
            list: all(&["routing:schedule:view"]),
            get: all(&["routing:schedule:view"]),
            create: all(&["routing:schedule:add"]),
            update: all(&["routing:schedule:edit"]),
            delete: all(&["routing:schedule:delete"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::WithTotalNumberOfEntities,
        default_sort_by_id: false,
        versioning: Versioning::Integer,
        audit: Audit::Base,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.name",
            "A schedule with that name already exists.",
        ),
        not_found: NOT_FOUND,
        in_use: err(
            409,
            "general.conflict",
            "The schedule could not be completed because it is assigned to one or more schedule groups.",
        ),
        refs: &[obj("/division", Kind::Divisions)],
    },
    KindDef {
        kind: Kind::ScheduleGroups,
        name: "architect/schedule-groups",
        path: "/api/v2/architect/schedulegroups",
        model: "ScheduleGroup",
        create_model: Some("ScheduleGroup"),
        update_model: Some("ScheduleGroup"),
        perms: Perms {
            list: all(&["routing:scheduleGroup:view"]),
            get: all(&["routing:scheduleGroup:view"]),
            create: all(&["routing:scheduleGroup:add"]),
            update: all(&["routing:scheduleGroup:edit"]),
            delete: all(&["routing:scheduleGroup:delete"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::WithTotalNumberOfEntities,
        default_sort_by_id: false,
        versioning: Versioning::Integer,
        audit: Audit::Base,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.name",
            "A schedule group with that name already exists.",
        ),
        not_found: NOT_FOUND,
        in_use: err(
            409,
            "general.conflict",
            "The schedule group could not be deleted because it is assigned to one or more IVRs or Sites.",
        ),
        refs: &[
            obj("/division", Kind::Divisions),
            obj("/openSchedules/*", Kind::Schedules),
            obj("/closedSchedules/*", Kind::Schedules),
            obj("/holidaySchedules/*", Kind::Schedules),
        ],
    },
    KindDef {
        kind: Kind::Flows,
        name: "architect/flows",
        path: "/api/v2/flows",
        model: "Flow",
        create_model: Some("Flow"),
        update_model: Some("Flow"),
        perms: Perms {
            list: any(&["architect:flow:view"]),
            get: any(&["architect:flow:view"]),
            create: any(&["architect:flow:add"]),
            update: any(&["architect:flow:edit"]),
            delete: any(&["architect:flow:delete"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::Standard,
        default_sort_by_id: true,
        versioning: Versioning::None,
        audit: Audit::None,
        has_division: true,
        duplicate: err(
            409,
            "architect.flow.already.exists",
            "A flow of the specified type with the specified name already exists.",
        ),
        not_found: err(
            404,
            "architect.flow.not.found",
            "Could not find flow with specified ID.",
        ),
        in_use: err(
            409,
            "architect.flow.cannot.delete.used.in.queues",
            "The flow cannot be deleted because it is used in one or more queues.",
        ),
        refs: &[obj("/division", Kind::Divisions)],
    },
    KindDef {
        kind: Kind::CertificateAuthorities,
        name: "telephony/certificate-authorities",
        path: "/api/v2/telephony/providers/edges/certificateauthorities",
        model: "DomainCertificateAuthority",
        create_model: Some("DomainCertificateAuthority"),
        update_model: Some("DomainCertificateAuthority"),
        perms: TELEPHONY,
        name_filter: NameFilter::None,
        listing: Listing::SinglePage,
        default_sort_by_id: false,
        versioning: Versioning::Integer,
        audit: Audit::Base,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.value",
            "A certificate authority with that name already exists.",
        ),
        not_found: TEL_NOT_FOUND,
        in_use: IN_USE,
        refs: &[obj("/division", Kind::Divisions)],
    },
    KindDef {
        kind: Kind::TrunkBaseSettings,
        name: "telephony/trunks",
        path: "/api/v2/telephony/providers/edges/trunkbasesettings",
        model: "TrunkBase",
        create_model: Some("TrunkBase"),
        update_model: Some("TrunkBase"),
        perms: TELEPHONY,
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::WithTotalNumberOfEntities,
        default_sort_by_id: false,
        versioning: Versioning::Integer,
        audit: Audit::Base,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.value",
            "A trunk with that name already exists.",
        ),
        not_found: TEL_NOT_FOUND,
        in_use: err(
            400,
            "delete.referenced.entity",
            "The trunk is being referenced.",
        ),
        refs: &[
            obj("/division", Kind::Divisions),
            obj("/site", Kind::Sites),
            obj("/inboundSite", Kind::Sites),
        ],
    },
    KindDef {
        kind: Kind::Sites,
        name: "telephony/sip-domains",
        path: "/api/v2/telephony/providers/edges/sites",
        model: "Site",
        create_model: Some("Site"),
        update_model: Some("Site"),
        perms: Perms {
            list: NONE,
            get: any(&["telephony:plugin:all", "telephony:sites:view"]),
            create: any(&["telephony:plugin:all"]),
            update: any(&["telephony:plugin:all"]),
            delete: any(&["telephony:plugin:all"]),
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::WithTotalNumberOfEntities,
        default_sort_by_id: false,
        versioning: Versioning::Integer,
        audit: Audit::Base,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.value",
            "At least one of the values in the request were a duplicate.",
        ),
        not_found: err(
            404,
            "entity.not.found",
            "Unable to find a site with that id",
        ),
        in_use: err(
            409,
            "resource.referenced.by.another",
            "The site is being referenced or is set as the default site.",
        ),
        refs: &[
            obj("/division", Kind::Divisions),
            obj("/location", Kind::Locations),
            obj("/primarySites/*", Kind::Sites),
            obj("/secondarySites/*", Kind::Sites),
        ],
    },
    KindDef {
        kind: Kind::OutboundRoutes,
        name: "telephony/sip-domains#outbound-routes",
        path: "/api/v2/telephony/providers/edges/sites/{parent}/outboundroutes",
        model: "OutboundRouteBase",
        create_model: Some("OutboundRouteBase"),
        update_model: Some("OutboundRouteBase"),
        perms: TELEPHONY,
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::WithTotalNumberOfEntities,
        default_sort_by_id: false,
        versioning: Versioning::Integer,
        audit: Audit::Base,
        has_division: true,
        duplicate: err(
            400,
            "duplicate.value",
            "An outbound route with this name already exists.",
        ),
        not_found: TEL_NOT_FOUND,
        in_use: IN_USE,
        refs: &[
            obj("/division", Kind::Divisions),
            obj("/externalTrunkBases/*", Kind::TrunkBaseSettings),
        ],
    },
    KindDef {
        kind: Kind::Locations,
        name: "locations",
        path: "/api/v2/locations",
        model: "LocationDefinition",
        create_model: None,
        update_model: None,
        perms: Perms {
            list: NONE,
            get: NONE,
            create: NONE,
            update: NONE,
            delete: NONE,
        },
        name_filter: NameFilter::ExactWildcard,
        listing: Listing::Standard,
        default_sort_by_id: false,
        versioning: Versioning::Integer,
        audit: Audit::None,
        has_division: false,
        duplicate: err(
            400,
            "duplicate.value",
            "A location with that name already exists.",
        ),
        not_found: NOT_FOUND,
        in_use: IN_USE,
        refs: &[],
    },
];

/// References held by the organization singleton.
pub static ORG_REFS: &[RefSpec] = &[id("/defaultSiteId", Kind::Sites)];

pub fn def(kind: Kind) -> &'static KindDef {
    DEFS.iter()
        .find(|d| d.kind == kind)
        .unwrap_or_else(|| panic!("no definition for {kind:?}"))
}

pub fn by_name(name: &str) -> Option<&'static KindDef> {
    DEFS.iter()
        .find(|d| d.name == name || d.path.ends_with(&format!("/{name}")))
}

impl Kind {
    /// Stable storage key.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::Users => "users",
            Kind::QueueWrapupCodes => "queue-wrapupcodes",
            Kind::QueueMembers => "queue-members",
            k => def(k).name,
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        ALL_KINDS.iter().copied().find(|k| k.as_str() == s)
    }
}

/// All references held by objects of `kind`.
pub fn refs_of(kind: Kind) -> &'static [RefSpec] {
    match kind {
        Kind::Organization => ORG_REFS,
        k if DEFS.iter().any(|d| d.kind == k) => def(k).refs,
        _ => &[],
    }
}
