//! Telephony (Edges provider): trunk base settings built from metabase templates, certificate
//! authorities parsed from their PEM, managed sites, outbound routes and their classifications.

use serde_json::{Map, Value, json};

use crate::crud::Actor;
use crate::error::{ApiError, ApiResult};
use crate::kinds::Kind;
use crate::state::Org;
use crate::x509;

/// The trunk metabases every org offers: (id, name, trunkType).
pub const METABASES: &[(&str, &str, &str)] = &[
    (
        "external_sip_pcv_byoc_carrier.json",
        "Generic BYOC Carrier",
        "EXTERNAL",
    ),
    (
        "external_sip_pcv_byoc_pbx.json",
        "Generic BYOC PBX",
        "EXTERNAL",
    ),
    ("external_sip.json", "Generic SIP", "EXTERNAL"),
    (
        "inin_webrtc_softphone.json",
        "Genesys Cloud WebRTC Phone",
        "PHONE",
    ),
    ("inin_edge.json", "Edge to Edge", "EDGE"),
];

/// The number-plan classifications every site has (outbound routes must use these).
pub const CLASSIFICATIONS: &[&str] = &[
    "Emergency",
    "Extension",
    "International",
    "National",
    "Network",
    "Operator Services",
    "Suspicious",
    "Toll Free",
];

fn metabase(id: &str) -> Option<(&'static str, &'static str, &'static str)> {
    METABASES.iter().copied().find(|(m, _, _)| *m == id)
}

/// `GET …/trunkbasesettings/availablemetabases?type=`.
pub fn available_metabases(trunk_type: Option<&str>) -> Vec<Value> {
    METABASES
        .iter()
        .filter(|(_, _, t)| trunk_type.is_none_or(|want| want.eq_ignore_ascii_case(t)))
        .map(|(id, name, t)| {
            json!({"id": id, "name": name, "type": t, "version": 1, "state": "active",
                   "selfUri": format!("/api/v2/telephony/providers/edges/trunkbasesettings/availablemetabases/{id}")})
        })
        .collect()
}

fn prop(ty: &str, default: Value) -> Value {
    json!({"type": ty, "value": {"default": default}})
}

/// The properties a new trunk base of this metabase starts from.
fn template_properties(trunk_type: &str) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("trunk_label".into(), prop("string", json!("")));
    p.insert("trunk_enabled".into(), prop("boolean", json!(true)));
    p.insert("trunk_max_dial_timeout".into(), prop("string", json!("1m")));
    p.insert(
        "trunk_media_codec".into(),
        prop("array", json!(["audio/opus", "audio/PCMU", "audio/PCMA"])),
    );
    p.insert(
        "trunk_media_disconnect_on_idle_rtp".into(),
        prop("boolean", json!(false)),
    );
    if trunk_type == "EXTERNAL" {
        p.insert(
            "trunk_transport_sip_dscp_value".into(),
            prop("integer", json!(24)),
        );
        p.insert(
            "trunk_transport_serverProxyList".into(),
            prop("array", json!([])),
        );
        p.insert(
            "trunk_transport_tls_caCertificateIds".into(),
            prop("array", json!([])),
        );
        p.insert(
            "trunk_outboundIdentity_callingName".into(),
            prop("string", json!("")),
        );
    }
    p
}

/// `GET …/trunkbasesettings/template?trunkMetabaseId=`.
pub fn template(metabase_id: Option<&str>) -> ApiResult<Value> {
    let Some(id) = metabase_id.filter(|m| !m.is_empty()) else {
        return Err(ApiError::required("trunkMetabaseId"));
    };
    let Some((id, name, t)) = metabase(id) else {
        return Err(ApiError::new(
            404,
            "entity.not.found",
            "Unable to find a trunk metabase with that id.",
        ));
    };
    Ok(json!({
        "name": "", "state": "active", "trunkType": t, "managed": false,
        "trunkMetabase": {"id": id, "name": name},
        "properties": Value::Object(template_properties(t)),
    }))
}

pub fn prepare_trunk(body: &mut Value, existing: Option<&Value>) -> ApiResult<()> {
    let mb_id = body["trunkMetabase"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some((mb_id, mb_name, mb_type)) = metabase(&mb_id) else {
        return Err(ApiError::new(
            400,
            "referenced.key.does.not.exist",
            "Unable to find entity that matches the key.",
        )
        .with_detail(
            "referenced.key.does.not.exist",
            "trunkMetabase.id",
            Some(&mb_id),
        ));
    };
    if body["trunkType"] != mb_type {
        return Err(ApiError::new(
            400,
            "validation.error",
            format!("The trunkType must be {mb_type} for the trunk metabase {mb_id}."),
        ));
    }
    body["trunkMetabase"] = json!({"id": mb_id, "name": mb_name});
    let mut props = match existing.and_then(|e| e["properties"].as_object()) {
        Some(p) if existing.is_some_and(|e| e["trunkMetabase"]["id"] == mb_id) => p.clone(),
        _ => template_properties(mb_type),
    };
    if let Some(given) = body.get("properties").and_then(Value::as_object) {
        for (name, p) in given {
            match props.get_mut(name) {
                Some(base) => match p.pointer("/value/instance") {
                    Some(Value::Null) | None => {
                        if let Some(v) = base.get_mut("value").and_then(Value::as_object_mut) {
                            v.remove("instance");
                        }
                    }
                    Some(inst) => base["value"]["instance"] = inst.clone(),
                },
                None => {
                    props.insert(name.clone(), p.clone());
                }
            }
        }
    }
    body["properties"] = Value::Object(props);
    body["managed"] = existing.map_or(json!(false), |e| e["managed"].clone());
    Ok(())
}

pub fn prepare_ca(body: &Value, existing: Option<&Value>) -> ApiResult<()> {
    if existing.is_some_and(|e| e["type"] == "MANAGED") {
        return Err(ApiError::new(
            403,
            "managed.property.not.allowed",
            "Managed certificate authorities are read-only.",
        ));
    }
    if existing.is_none() && body["type"] == "MANAGED" {
        return Err(ApiError::bad_request(
            "Managed certificate authorities are generated by the platform and cannot be created.",
        ));
    }
    let pem = body["certificate"].as_str().unwrap_or_default();
    if x509::parse_pem(pem).is_none() {
        return Err(ApiError::bad_request(
            "The certificate is not a valid X.509 PEM-encoded certificate.",
        )
        .with_detail("bad.request", "certificate", None));
    }
    Ok(())
}

pub fn prepare_site(body: &mut Value, existing: Option<&Value>, actor: &Actor) -> ApiResult<()> {
    if existing.is_some_and(|e| e["managed"] == json!(true)) && !actor.ui {
        return Err(ApiError::new(
            400,
            "managed.property.not.allowed",
            "Managed sites cannot be modified.",
        ));
    }
    body["managed"] = existing.map_or(json!(false), |e| e["managed"].clone());
    Ok(())
}

pub fn prepare_route(org: &Org, body: &Value) -> ApiResult<()> {
    for c in body["classificationTypes"].as_array().into_iter().flatten() {
        let c = c.as_str().unwrap_or_default();
        if !CLASSIFICATIONS.contains(&c) {
            return Err(ApiError::new(
                400,
                "address.classification.type.does.not.exist",
                format!("The classification type '{c}' does not exist in the site's number plans."),
            ));
        }
    }
    for t in body["externalTrunkBases"].as_array().into_iter().flatten() {
        let id = t["id"].as_str().unwrap_or_default();
        if org
            .get(Kind::TrunkBaseSettings, id)
            .is_some_and(|tb| tb["trunkType"] != "EXTERNAL")
        {
            return Err(ApiError::new(
                400,
                "validation.error",
                "Outbound routes can only use trunk base settings of trunkType EXTERNAL.",
            ));
        }
    }
    Ok(())
}

/// Managed objects are refused on DELETE with 403.
pub fn check_deletable(kind: Kind, obj: &Value) -> ApiResult<()> {
    let managed = match kind {
        Kind::Sites => obj["managed"] == json!(true),
        Kind::CertificateAuthorities => obj["type"] == "MANAGED",
        Kind::TrunkBaseSettings => obj["managed"] == json!(true),
        _ => false,
    };
    if managed {
        return Err(ApiError::new(
            403,
            "managed.property.not.allowed",
            "Managed objects cannot be deleted.",
        ));
    }
    Ok(())
}
