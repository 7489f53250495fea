//! Seed data: the built-in objects every new org has, and a contact center that looks real
//! (names with spaces, punctuation, slashes and non-ASCII; every kind and kind of reference),
//! deterministic for a seed number and the day it is created on.
//!
//! Everything is created through the same validation as API writes, so seeds can never hold
//! an object the API would refuse.

use serde_json::{Value, json};

use crate::config::SeedSize;
use crate::crud::{self, Actor};
use crate::error::ApiResult;
use crate::ids::SplitMix64;
use crate::kinds::Kind;
use crate::resources::{flows, telephony::CLASSIFICATIONS};
use crate::state::Org;
use crate::store::Change;
use crate::time::Millis;
use crate::x509;

const DAY: Millis = 86_400_000;

struct Seeder<'a> {
    org: &'a mut Org,
    actor: Actor,
    now: Millis,
    changes: Vec<Change>,
    rng: SplitMix64,
}

impl Seeder<'_> {
    fn create(&mut self, kind: Kind, body: Value) -> ApiResult<String> {
        let (id, ch) = match kind {
            Kind::Flows => flows::create(self.org, &body, &self.actor, self.now)?,
            _ => crud::create(self.org, kind, &body, &self.actor, self.now)?,
        };
        self.org.apply(ch.clone());
        self.changes.extend(ch);
        Ok(id)
    }

    fn put(&mut self, kind: Kind, id: &str, value: Value) {
        let ch = vec![Change::put(kind, id, value)];
        self.org.apply(ch.clone());
        self.changes.extend(ch);
    }

    fn patch(&mut self, kind: Kind, id: &str, f: impl FnOnce(&mut Value)) {
        if let Some(mut v) = self.org.get(kind, id).cloned() {
            f(&mut v);
            self.put(kind, id, v);
        }
    }

    fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.rng.below(items.len())]
    }

    fn ca(&mut self, name: &str, from_days: i64, to_days: i64) -> ApiResult<String> {
        let today = self.now.div_euclid(DAY) * DAY;
        let mut key = [0u8; 32];
        for chunk in key.chunks_mut(8) {
            chunk.copy_from_slice(&self.rng.next_u64().to_le_bytes());
        }
        let serial = self.rng.next_u64() >> 1;
        let org_name = name.split(" CA").next().unwrap_or(name);
        let pem = x509::self_signed_ca(
            key,
            serial,
            name,
            org_name,
            "US",
            today + from_days * DAY,
            today + to_days * DAY,
        );
        self.create(
            Kind::CertificateAuthorities,
            json!({"name": name, "description": format!("Trust anchor for {org_name}"),
                   "certificate": pem, "type": "REMOTE", "services": ["SIP"]}),
        )
    }
}

/// Creates the org singleton and the built-in objects of a new org. Returns the changes.
pub fn init_org(org: &mut Org, now: Millis, label: &str) -> ApiResult<Vec<Change>> {
    let actor = Actor {
        user_id: org.client_user_id.clone(),
        client_id: org.client_id.clone(),
        ui: false,
    };
    let seed = org.id_seed;
    let mut s = Seeder {
        org,
        actor,
        now,
        changes: Vec::new(),
        rng: SplitMix64(seed),
    };
    let short = label
        .to_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let org_id = s.org.id.clone();
    s.put(
        Kind::Organization,
        "me",
        json!({
            "id": org_id, "name": format!("Acme Contact Center ({label})"),
            "defaultLanguage": "en-us", "defaultCountryCode": "US",
            "thirdPartyOrgName": format!("acme-{short}"), "domain": format!("acme-{short}"),
            "features": {"contactCenter": true, "directory": true, "purecloudVoice": true, "chat": true},
            "version": 1, "state": "active", "voicemailEnabled": true, "productPlatform": "GenesysCloud",
            "supportURI": "support@acme.example",
        }),
    );
    let home = s.org.new_id();
    s.put(
        Kind::Divisions,
        &home,
        json!({"id": home, "name": "Home", "description": "Home Division", "homeDivision": true}),
    );
    for (name, ty) in [
        ("Default In-Queue Flow", "INQUEUECALL"),
        ("Default Voicemail Flow", "VOICEMAIL"),
    ] {
        let id = s.create(
            Kind::Flows,
            json!({"name": name, "type": ty, "description": "Built-in flow"}),
        )?;
        s.patch(Kind::Flows, &id, |f| {
            f["system"] = json!(true);
            f["active"] = json!(true);
        });
    }
    let mut locations = Vec::new();
    for (name, city, country) in [
        ("Indianapolis HQ", "Indianapolis", "US"),
        ("Dublin Office", "Dublin", "IE"),
        ("São Paulo Centro", "São Paulo", "BR"),
        ("München Süd", "München", "DE"),
    ] {
        let id = s.org.new_id();
        s.put(
            Kind::Locations,
            &id,
            json!({"id": id, "name": name, "state": "active", "version": 1,
                   "address": {"city": city, "country": country, "countryName": country}}),
        );
        locations.push(id);
    }
    let site = s.create(
        Kind::Sites,
        json!({"name": "PureCloud Voice - AWS", "description": "Genesys-managed cloud site",
               "location": {"id": locations[0]}, "mediaModel": "Cloud", "coreSite": false,
               "edgeAutoUpdateConfig": {"timeZone": "America/New_York", "rrule": "FREQ=WEEKLY;BYDAY=SU",
                                        "start": "2024-01-07T02:00:00.000", "end": "2024-01-07T05:00:00.000"},
               "mediaRegions": ["us-east-1", "us-west-2"]}),
    )?;
    s.patch(Kind::Sites, &site, |v| v["managed"] = json!(true));
    let phone = s.create(
        Kind::TrunkBaseSettings,
        json!({"name": "Genesys Cloud WebRTC Phone Trunk", "trunkType": "PHONE",
               "trunkMetabase": {"id": "inin_webrtc_softphone.json"}, "site": {"id": site}}),
    )?;
    s.patch(Kind::TrunkBaseSettings, &phone, |v| {
        v["managed"] = json!(true)
    });
    let managed_ca = s.ca("Genesys Cloud Edge CA", -365, 3650)?;
    s.patch(Kind::CertificateAuthorities, &managed_ca, |v| {
        v["type"] = json!("MANAGED");
        v["services"] = json!(["PROVISION", "PROVISION_PHONE"]);
    });
    Ok(s.changes)
}

/// Fills `org` (already initialized) with seed data of the given size.
pub fn populate(
    org: &mut Org,
    size: SeedSize,
    seed_number: u64,
    now: Millis,
) -> ApiResult<Vec<Change>> {
    let actor = Actor {
        user_id: org.client_user_id.clone(),
        client_id: org.client_id.clone(),
        ui: false,
    };
    let mut s = Seeder {
        org,
        actor,
        now,
        changes: Vec::new(),
        rng: SplitMix64(seed_number ^ 0x5EED),
    };
    match size {
        SeedSize::Empty => {}
        SeedSize::Small => small(&mut s)?,
        SeedSize::Large => large(&mut s)?,
    }
    Ok(s.changes)
}

fn location_ids(s: &Seeder) -> Vec<String> {
    s.org.coll(Kind::Locations).keys().cloned().collect()
}

fn edge_config() -> Value {
    json!({"timeZone": "Europe/Dublin", "rrule": "FREQ=WEEKLY;BYDAY=SA",
           "start": "2024-01-06T01:00:00.000", "end": "2024-01-06T04:00:00.000"})
}

fn media(call_timeout: i64, sl_pct: f64) -> Value {
    json!({
        "call": {"alertingTimeoutSeconds": call_timeout, "enableAutoAnswer": false,
                 "serviceLevel": {"percentage": sl_pct, "durationMs": 20000}},
        "callback": {"alertingTimeoutSeconds": 30, "enableAutoAnswer": false, "mode": "AgentFirst",
                     "serviceLevel": {"percentage": 0.8, "durationMs": 20000},
                     "enableAutoDialAndEnd": false, "autoEndDelaySeconds": 300, "autoDialDelaySeconds": 300},
        "chat": {"alertingTimeoutSeconds": 30, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}},
        "email": {"alertingTimeoutSeconds": 300, "serviceLevel": {"percentage": 0.8, "durationMs": 86_400_000}},
        "message": {"alertingTimeoutSeconds": 30, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}}
    })
}

fn user(s: &mut Seeder, name: &str) -> String {
    let id = s.org.new_id();
    let email = format!(
        "{}@acme.example",
        name.to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), ".")
    );
    s.put(
        Kind::Users,
        &id,
        json!({"id": id, "name": name, "email": email, "state": "active"}),
    );
    id
}

fn members(s: &mut Seeder, queue: &str, users: &[(String, String)], n: usize) {
    let mut list = Vec::new();
    for i in 0..n.min(users.len()) {
        let (uid, name) = &users[(s.rng.below(users.len()) + i) % users.len()];
        if list.iter().any(|m: &Value| m["id"] == uid.as_str()) {
            continue;
        }
        list.push(json!({"id": uid, "name": name, "user": {"id": uid, "name": name},
                         "ringNumber": 1 + (i % 3), "joined": s.rng.chance(70), "memberBy": "user"}));
    }
    s.put(Kind::QueueMembers, queue, Value::Array(list));
}

fn small(s: &mut Seeder) -> ApiResult<()> {
    let home = s.org.home_division_id().unwrap_or_default();
    let mut divs = vec![home.clone()];
    for (name, desc) in [
        ("Customer Care", "Inbound service teams"),
        ("Sales & Retention", "Revenue teams"),
        (
            "Back Office / Nordics",
            "Back-office work in the Nordic region",
        ),
    ] {
        divs.push(s.create(Kind::Divisions, json!({"name": name, "description": desc}))?);
    }
    let mut skills = Vec::new();
    for (i, name) in [
        "Billing",
        "Technical Support",
        "Español",
        "Deutsch",
        "VIP Handling",
        "Retention: Save Desk",
        "Français (Québec)",
        "Network / Fiber",
    ]
    .iter()
    .enumerate()
    {
        skills.push(s.create(
            Kind::Skills,
            json!({"name": name, "divisionId": divs[i % 2 + 1]}),
        )?);
    }
    for name in ["English", "Spanish", "German", "Portuguese (Brazil)"] {
        s.create(Kind::Languages, json!({"name": name}))?;
    }
    let mut codes = Vec::new();
    for (i, name) in [
        "Resolved",
        "Escalated to Tier 2",
        "Callback Scheduled",
        "Billing – Refund Issued",
        "No Answer / Voicemail",
        "Sale Closed ✓",
        "Wrong Number",
        "Complaint: Logged",
    ]
    .iter()
    .enumerate()
    {
        codes.push(s.create(
            Kind::WrapupCodes,
            json!({"name": name, "description": format!("Wrap-up: {name}"), "division": {"id": divs[i % 3]}}),
        )?);
    }
    let weekdays = s.create(
        Kind::Schedules,
        json!({"name": "Weekdays 08:00–18:00", "start": "2024-01-01T08:00:00.000",
        "end": "2024-01-01T18:00:00.000", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}),
    )?;
    let saturday = s.create(Kind::Schedules, json!({"name": "Saturday Half Day", "start": "2024-01-06T09:00:00.000",
        "end": "2024-01-06T13:00:00.000", "rrule": "FREQ=WEEKLY;BYDAY=SA", "division": {"id": divs[1]}}))?;
    let xmas = s.create(
        Kind::Schedules,
        json!({"name": "Christmas Day", "start": "2024-12-25T00:00:00.000",
        "end": "2024-12-25T23:59:59.000", "rrule": "FREQ=YEARLY"}),
    )?;
    let new_year = s.create(
        Kind::Schedules,
        json!({"name": "New Year's Day", "start": "2025-01-01T00:00:00.000",
        "end": "2025-01-01T23:59:59.000", "rrule": "FREQ=YEARLY"}),
    )?;
    s.create(Kind::ScheduleGroups, json!({"name": "Main Office Hours", "timeZone": "America/Indiana/Indianapolis",
        "openSchedules": [{"id": weekdays}, {"id": saturday}], "holidaySchedules": [{"id": xmas}, {"id": new_year}]}))?;
    s.create(Kind::ScheduleGroups, json!({"name": "Support / Extended Hours", "timeZone": "Europe/Dublin",
        "openSchedules": [{"id": weekdays}], "closedSchedules": [{"id": saturday}], "division": {"id": divs[1]}}))?;
    let flow = |s: &mut Seeder, name: &str, ty: &str, div: &str| {
        s.create(Kind::Flows, json!({"name": name, "type": ty, "description": format!("{name} ({ty})"), "division": {"id": div}}))
    };
    let main_ivr = flow(s, "Main IVR", "INBOUNDCALL", &home)?;
    let after_hours = flow(s, "After Hours", "INBOUNDCALL", &home)?;
    let support_iq = flow(s, "Support In-Queue", "INQUEUECALL", &divs[1])?;
    let sales_iq = flow(s, "Sales In-Queue", "INQUEUECALL", &divs[2])?;
    let email_iq = flow(s, "Email Triage", "INQUEUEEMAIL", &divs[1])?;
    let msg_iq = flow(
        s,
        "Chat & Messaging In-Queue",
        "INQUEUESHORTMESSAGE",
        &divs[1],
    )?;
    flow(s, "Common: Authenticate Caller", "COMMONMODULE", &home)?;
    let carrier_ca = s.ca("Carrier Root CA", -400, 3000)?;
    let pbx_ca = s.ca("Partner PBX CA", -345, 20)?;
    s.ca("Legacy SBC CA", -800, 200)?;
    let locs = location_ids(s);
    let indy = s.create(
        Kind::Sites,
        json!({"name": "Indianapolis HQ", "description": "Primary premises site",
        "location": {"id": locs[0]}, "mediaModel": "Cloud", "edgeAutoUpdateConfig": edge_config(),
        "mediaRegions": ["us-east-1"], "callerId": "+13175550100", "callerName": "ACME Support"}),
    )?;
    let dublin = s.create(Kind::Sites, json!({"name": "Dublin / Cloud", "location": {"id": locs[1]},
        "mediaModel": "Cloud", "edgeAutoUpdateConfig": edge_config(), "mediaRegions": ["eu-west-1", "eu-central-1"],
        "primarySites": [{"id": indy}]}))?;
    s.patch(Kind::Sites, &indy, |v| {
        v["secondarySites"] = json!([{"id": dublin}])
    });
    let trunk = |s: &mut Seeder,
                 name: &str,
                 mb: &str,
                 site: &str,
                 label: &str,
                 cas: Vec<String>| {
        s.create(Kind::TrunkBaseSettings, json!({"name": name, "description": format!("{name} (BYOC)"),
            "trunkType": "EXTERNAL", "trunkMetabase": {"id": mb}, "site": {"id": site}, "inboundSite": {"id": site},
            "properties": {"trunk_label": {"value": {"instance": label}},
                           "trunk_max_dial_timeout": {"value": {"instance": "2m"}},
                           "trunk_transport_tls_caCertificateIds": {"value": {"instance": cas}}}}))
    };
    let carrier_a = trunk(
        s,
        "Carrier A – BYOC",
        "external_sip_pcv_byoc_carrier.json",
        &indy,
        "Carrier A",
        vec![carrier_ca.clone()],
    )?;
    let carrier_b = trunk(
        s,
        "Carrier B (Backup)",
        "external_sip_pcv_byoc_carrier.json",
        &dublin,
        "Carrier B",
        vec![carrier_ca],
    )?;
    trunk(
        s,
        "Partner PBX Trunk",
        "external_sip_pcv_byoc_pbx.json",
        &indy,
        "Partner PBX",
        vec![pbx_ca],
    )?;
    s.create(Kind::OutboundRoutes, json!({"__site": indy, "name": "Domestic Outbound", "classificationTypes": ["National", "Toll Free"],
        "enabled": true, "distribution": "SEQUENTIAL", "externalTrunkBases": [{"id": carrier_a}, {"id": carrier_b}]}))?;
    s.create(
        Kind::OutboundRoutes,
        json!({"__site": dublin, "name": "International", "classificationTypes": ["International"],
        "enabled": true, "distribution": "RANDOM", "externalTrunkBases": [{"id": carrier_b}]}),
    )?;
    s.create(
        Kind::OutboundRoutes,
        json!({"__site": indy, "name": "Emergency (911)", "classificationTypes": ["Emergency"],
        "enabled": true, "distribution": "SEQUENTIAL", "externalTrunkBases": [{"id": carrier_a}]}),
    )?;
    s.patch(Kind::Organization, "me", |o| {
        o["defaultSiteId"] = json!(indy)
    });

    let users: Vec<(String, String)> = [
        "Ann Agent",
        "Bruno Díaz",
        "Chloé Martin",
        "Dmitri Ivanov",
        "Eva Müller",
        "Fatima Zahra",
    ]
    .iter()
    .map(|n| (user(s, n), n.to_string()))
    .collect();
    let names = [
        "Support – Tier 1",
        "Support – Tier 2",
        "Sales / Inbound",
        "Billing & Payments",
        "VIP: Platinum",
        "Retención (ES)",
        "Kundenservice DE",
        "Callbacks",
        "Email Support",
        "Chat & Messaging",
    ];
    let mut queues: Vec<String> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let mut q = json!({
            "name": name, "description": format!("{name} queue"), "division": {"id": divs[i % 3]},
            "mediaSettings": media(8 + i as i64, 0.8),
            "routingRules": [{"operator": "MEETS_THRESHOLD", "threshold": 9, "waitSeconds": 300}],
            "bullseye": {"rings": [
                {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}],
                 "actions": {"skillsToRemove": [{"id": skills[i % skills.len()]}, {"id": skills[(i + 3) % skills.len()]}]}},
                {"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 30}]}]},
            "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 30000},
            "skillEvaluationMethod": (["BEST", "ALL", "NONE"][i % 3]),
            "scoringMethod": "TimestampAndPriority", "lastAgentRoutingMode": "Disabled",
            "queueFlow": {"id": if i % 2 == 0 { &support_iq } else { &sales_iq }},
            "enableTranscription": i % 2 == 0, "enableManualAssignment": false, "suppressInQueueCallRecording": true,
            "callingPartyName": "ACME", "callingPartyNumber": format!("+1317555{:04}", 100 + i),
        });
        if name.contains("Email") {
            q["emailInQueueFlow"] = json!({"id": email_iq});
        }
        if name.contains("Chat") {
            q["messageInQueueFlow"] = json!({"id": msg_iq});
        }
        if name == &"Callbacks" {
            let cb = &mut q["mediaSettings"]["callback"];
            cb["site"] = json!({"id": indy});
            cb["mode"] = json!("CustomerFirst");
            cb["liveVoiceReactionType"] = json!("TransferToFlow");
            cb["liveVoiceFlow"] = json!({"id": main_ivr});
            cb["answeringMachineReactionType"] = json!("TransferToFlow");
            cb["answeringMachineFlow"] = json!({"id": after_hours});
        }
        if name.contains("Chat") {
            q["mediaSettings"]["message"]["enableInactivityTimeout"] = json!(true);
            q["mediaSettings"]["message"]["inactivityTimeoutSettings"] = json!({"actionType": "SEND_TO_ARCHITECT_FLOW", "timeoutSeconds": 900, "flowId": {"id": msg_iq}});
        }
        if let (Some(first), true) = (queues.first(), i >= 2) {
            q["conditionalGroupActivation"] = json!({
                "pilotRule": {"conditionExpression": "C1",
                    "conditions": [{"simpleMetric": {"metric": "EstimatedWaitTime", "queue": {"id": first}},
                                    "operator": "GreaterThan", "value": 60}]},
                "rules": [{"conditionExpression": "C1 and C2",
                    "conditions": [{"simpleMetric": {"metric": "IdleAgentCount"}, "operator": "LessThan", "value": 2},
                                   {"simpleMetric": {"metric": "ServiceLevel", "queue": {"id": queues[1]}},
                                    "operator": "LessThan", "value": 0.6}]}]});
        }
        if let Some(prev) = queues.last() {
            q["conditionalGroupRouting"] = json!({"rules": [
                {"metric": "EstimatedWaitTime", "operator": "GreaterThan", "conditionValue": 120, "waitSeconds": 2},
                {"queue": {"id": prev}, "metric": "ServiceLevel", "operator": "LessThan", "conditionValue": 0.7, "waitSeconds": 20}]});
            q["directRouting"] = json!({"backupQueueId": prev, "waitForAgent": true, "agentWaitSeconds": 60,
                "callMediaSettings": {"enabled": true, "useAgentAddressOutbound": false}});
        }
        let id = s.create(Kind::Queues, q)?;
        let mut assigned: Vec<String> = (0..3)
            .map(|k| codes[(i + k * 3) % codes.len()].clone())
            .collect();
        assigned.sort();
        assigned.dedup();
        s.put(Kind::QueueWrapupCodes, &id, json!(assigned));
        members(s, &id, &users, 2 + i % 4);
        queues.push(id);
    }
    Ok(())
}

const DEPARTMENTS: &[&str] = &[
    "Support",
    "Sales",
    "Billing",
    "Retention",
    "Technical Support",
    "Collections",
    "Claims",
    "Onboarding",
    "Returns & Refunds",
    "VIP Care",
    "Fraud / Disputes",
    "Field Service",
    "Warranty",
    "Bookings",
    "Loyalty",
    "Reservations",
    "Escalations",
    "Back Office",
    "Partner Desk",
    "Logistics",
    "Órdenes",
    "Kundendienst",
    "Service Client",
    "Atención al Cliente",
    "Help Desk",
];
const REGIONS: &[&str] = &[
    "EMEA",
    "APAC",
    "NA East",
    "NA West",
    "LATAM",
    "Zürich",
    "São Paulo",
    "Montréal",
    "Kraków",
    "東京",
    "München",
    "Dublin",
    "Toronto",
    "Sydney",
    "Mumbai",
    "Paris",
    "Madrid",
    "Chicago",
    "Austin",
    "Oslo",
];
const CHANNELS: &[&str] = &["Voice", "Chat", "Email", "Callback", "Messaging"];
const SKILL_AREAS: &[&str] = &[
    "Billing",
    "Tech",
    "Sales",
    "Retention",
    "Claims",
    "Fiber",
    "Mobile",
    "TV",
    "Broadband",
    "Insurance",
    "Mortgages",
    "Payments",
    "Cards",
    "Travel",
    "Returns",
    "Warranty",
    "Fraud",
    "KYC",
    "Hardware",
    "Software",
    "Cloud",
    "Security",
    "Onboarding",
    "Loyalty",
    "VIP",
];
const SKILL_LEVELS: &[&str] = &[
    "Tier 1",
    "Tier 2",
    "Tier 3",
    "Expert",
    "Trainee",
    "Español",
    "Deutsch",
    "Français",
    "Português",
    "Italiano",
    "日本語",
    "Nederlands",
    "Polski",
    "Svenska",
    "Türkçe",
    "Backup",
    "Night Shift",
    "Weekend",
    "Escalation",
    "Supervisor",
];
const OUTCOMES: &[&str] = &[
    "Resolved",
    "Escalated",
    "Callback Scheduled",
    "Refund Issued",
    "No Answer",
    "Voicemail Left",
    "Sale Closed",
    "Wrong Number",
    "Complaint Logged",
    "Transferred",
    "Duplicate Contact",
    "Follow-up Needed",
    "Order Placed",
    "Order Cancelled",
    "Payment Taken",
    "Ticket Created",
    "Info Provided",
    "Abandoned",
    "Spam / Test",
    "Cliente satisfecho",
];
const CONTEXTS: &[&str] = &[
    "Billing",
    "Sales",
    "Support",
    "Claims",
    "Retention",
    "VIP",
    "Returns",
    "Collections",
    "Fraud",
    "Onboarding",
    "Logistics",
    "Warranty",
    "Bookings",
    "Loyalty",
    "Partners",
];

fn large(s: &mut Seeder) -> ApiResult<()> {
    let home = s.org.home_division_id().unwrap_or_default();
    let mut divs = vec![home];
    for name in [
        "Customer Care",
        "Sales & Retention",
        "Back Office / Nordics",
        "EMEA Operations",
        "APAC Operations",
        "Américas",
        "Partners (BPO)",
        "Digital Channels",
        "Collections & Recovery",
    ] {
        divs.push(s.create(
            Kind::Divisions,
            json!({"name": name, "description": format!("{name} division")}),
        )?);
    }
    let mut skills = Vec::new();
    'skills: for a in SKILL_AREAS {
        for l in SKILL_LEVELS {
            if skills.len() == 500 {
                break 'skills;
            }
            let div = s.pick(&divs).clone();
            skills.push(s.create(
                Kind::Skills,
                json!({"name": format!("{a} – {l}"), "divisionId": div}),
            )?);
        }
    }
    for name in [
        "English",
        "Spanish",
        "German",
        "French",
        "Portuguese (Brazil)",
        "Italian",
        "Japanese",
        "Dutch",
        "Polish",
        "Swedish",
        "Turkish",
        "Norwegian",
        "Danish",
        "Finnish",
        "Czech",
        "Greek",
        "Hebrew",
        "Arabic",
        "Hindi",
        "Mandarin (简体中文)",
    ] {
        s.create(Kind::Languages, json!({"name": name}))?;
    }
    let mut codes = Vec::new();
    'codes: for c in CONTEXTS {
        for o in OUTCOMES {
            if codes.len() == 300 {
                break 'codes;
            }
            let div = s.pick(&divs).clone();
            codes.push(s.create(
                Kind::WrapupCodes,
                json!({"name": format!("{c}: {o}"), "division": {"id": div}}),
            )?);
        }
    }
    let mut schedules = Vec::new();
    for (i, r) in REGIONS.iter().enumerate() {
        schedules.push(s.create(Kind::Schedules, json!({"name": format!("{r} – Weekdays"), "start": "2024-01-01T08:00:00.000",
            "end": "2024-01-01T18:00:00.000", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "division": {"id": divs[i % divs.len()]}}))?);
        schedules.push(s.create(Kind::Schedules, json!({"name": format!("{r} – Holidays {}", 2025 + i % 2),
            "start": "2025-12-24T00:00:00.000", "end": "2025-12-26T23:59:59.000", "rrule": "FREQ=YEARLY"}))?);
    }
    for (i, r) in REGIONS.iter().take(15).enumerate() {
        s.create(Kind::ScheduleGroups, json!({"name": format!("{r} Hours"), "timeZone": "Etc/UTC",
            "openSchedules": [{"id": schedules[i * 2]}], "holidaySchedules": [{"id": schedules[i * 2 + 1]}]}))?;
    }
    let types = [
        "INBOUNDCALL",
        "INQUEUECALL",
        "INBOUNDEMAIL",
        "INQUEUEEMAIL",
        "INBOUNDSHORTMESSAGE",
        "INQUEUESHORTMESSAGE",
        "COMMONMODULE",
        "OUTBOUNDCALL",
        "BOT",
        "WORKFLOW",
    ];
    let mut inqueue = Vec::new();
    let mut n = 0;
    'flows: for d in DEPARTMENTS {
        for (k, t) in types.iter().enumerate() {
            if n == 200 {
                break 'flows;
            }
            if (k + d.len()) % 5 == 4 && *t != "INQUEUECALL" {
                continue;
            }
            // Flow names cannot contain a slash.
            let name = format!(
                "{} – {}",
                d.replace(" / ", " & "),
                [
                    "Main",
                    "In-Queue",
                    "Email",
                    "Email Queue",
                    "SMS",
                    "Messaging Queue",
                    "Shared Module",
                    "Outbound",
                    "Bot",
                    "Workflow"
                ][k]
            );
            let div = s.pick(&divs).clone();
            let id = s.create(
                Kind::Flows,
                json!({"name": name, "type": t, "division": {"id": div}}),
            )?;
            if *t == "INQUEUECALL" {
                inqueue.push(id);
            }
            n += 1;
        }
    }
    let mut cas = Vec::new();
    for (i, region) in REGIONS.iter().enumerate().take(20) {
        let (from, to) = match i {
            0 => (-700, 3),
            1..=3 => (-360, 5 + i as i64 * 7),
            _ => (-200, 365 * (1 + i as i64 % 9)),
        };
        cas.push(s.ca(&format!("{region} CA {:02}", i + 1), from, to)?);
    }
    let locs = location_ids(s);
    let mut sites = Vec::new();
    for (i, r) in REGIONS.iter().enumerate() {
        let mut body = json!({"name": format!("{r} Site"), "location": {"id": locs[i % locs.len()]}, "mediaModel": "Cloud",
            "edgeAutoUpdateConfig": edge_config(), "mediaRegions": ["us-east-1", "eu-west-1"]});
        if let Some(prev) = sites.last() {
            body["primarySites"] = json!([{"id": prev}]);
        }
        sites.push(s.create(Kind::Sites, body)?);
    }
    let mut trunks = Vec::new();
    for i in 0..50 {
        let site = sites[i % sites.len()].clone();
        let ca = cas[i % cas.len()].clone();
        trunks.push(s.create(Kind::TrunkBaseSettings, json!({"name": format!("Carrier {:02} – {}", i + 1, REGIONS[i % REGIONS.len()]),
            "trunkType": "EXTERNAL", "trunkMetabase": {"id": "external_sip_pcv_byoc_carrier.json"},
            "site": {"id": site}, "properties": {"trunk_label": {"value": {"instance": format!("carrier-{}", i + 1)}},
            "trunk_transport_tls_caCertificateIds": {"value": {"instance": [ca]}}}}))?);
    }
    for (i, site) in sites.clone().iter().enumerate() {
        let class = s.pick(CLASSIFICATIONS).to_string();
        s.create(Kind::OutboundRoutes, json!({"__site": site, "name": "Default Outbound", "classificationTypes": ["National", class],
            "enabled": true, "distribution": "SEQUENTIAL",
            "externalTrunkBases": [{"id": trunks[i]}, {"id": trunks[(i + 20) % trunks.len()]}]}))?;
    }
    let users: Vec<(String, String)> = (0..200)
        .map(|i| {
            let name = format!(
                "{} {}",
                [
                    "Ann", "Bruno", "Chloé", "Dmitri", "Eva", "Fatima", "Gustavo", "Hana", "Ivan",
                    "Jürgen"
                ][i % 10],
                [
                    "Agent", "Díaz", "Martin", "Ivanov", "Müller", "Zahra", "Silva", "Sato",
                    "Petrov", "Schmidt"
                ][(i / 10) % 10]
            );
            (format!("{name} {}", i / 100 + 1), i)
        })
        .map(|(n, _)| (user(s, &n), n))
        .collect();
    let mut combos = Vec::new();
    for d in DEPARTMENTS {
        for r in REGIONS {
            for c in CHANNELS {
                combos.push((d, r, c));
            }
        }
    }
    // Deterministic shuffle, then the first 2,000.
    for i in (1..combos.len()).rev() {
        let j = s.rng.below(i + 1);
        combos.swap(i, j);
    }
    let mut queues: Vec<String> = Vec::new();
    for (i, (d, r, c)) in combos.into_iter().take(2000).enumerate() {
        let name = match i % 4 {
            0 => format!("{d} – {r} ({c})"),
            1 => format!("{d} / {r} / {c}"),
            2 => format!("{r}: {d} [{c}]"),
            _ => format!("{d} - {r} - {c}"),
        };
        let div = s.pick(&divs).clone();
        let flow = s.pick(&inqueue).clone();
        let sk1 = s.pick(&skills).clone();
        let sk2 = s.pick(&skills).clone();
        let mut q = json!({"name": name, "division": {"id": div}, "mediaSettings": media(8 + (i % 20) as i64, 0.8),
            "bullseye": {"rings": [{"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}],
                "actions": {"skillsToRemove": [{"id": sk1}, {"id": sk2}]}}]},
            "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 60000}, "skillEvaluationMethod": "BEST",
            "queueFlow": {"id": flow}, "enableTranscription": i % 3 == 0});
        if i % 7 == 0 && !queues.is_empty() {
            let other = s.pick(&queues).clone();
            q["conditionalGroupRouting"] = json!({"rules": [{"queue": {"id": other}, "metric": "EstimatedWaitTime",
                "operator": "GreaterThan", "conditionValue": 60, "waitSeconds": 10}]});
        }
        if *c == "Callback" {
            let site = s.pick(&sites).clone();
            q["mediaSettings"]["callback"]["site"] = json!({"id": site});
        }
        let id = s.create(Kind::Queues, q)?;
        let k = 3 + s.rng.below(6);
        let mut assigned: Vec<String> = (0..k).map(|_| s.pick(&codes).clone()).collect();
        assigned.sort();
        assigned.dedup();
        s.put(Kind::QueueWrapupCodes, &id, json!(assigned));
        let m = s.rng.below(16);
        members(s, &id, &users, m);
        queues.push(id);
    }
    let first_site = sites[0].clone();
    s.patch(Kind::Organization, "me", |o| {
        o["defaultSiteId"] = json!(first_site)
    });
    Ok(())
}
