use crate::common::*;
use serde_json::json;

const TEL: &str = "/api/v2/telephony/providers/edges";

#[tokio::test]
async fn certificate_authorities_parse_and_expire_with_the_clock() {
    let env = Env::small().await;
    let dev = Api::new(&env, "dev").await;
    let list = dev.get(&format!("{TEL}/certificateauthorities")).await.ok();
    let cas = list["entities"].as_array().unwrap();
    assert_eq!(list["total"].as_u64().unwrap() as usize, cas.len());
    assert_eq!(list["pageCount"], 1);
    assert!(cas.iter().any(|c| c["type"] == "MANAGED"));
    let near = find(cas, "Partner PBX CA");
    let details = &near["certificateDetails"][0];
    assert_eq!(details["subject"], "CN=Partner PBX CA,O=Partner PBX,C=US");
    assert_eq!(
        (
            details["expired"].as_bool(),
            details["signatureValid"].as_bool()
        ),
        (Some(false), Some(true))
    );
    env.emu.advance_clock(30 * 86_400);
    let dev = Api::new(&env, "dev").await; // the old token expired with the clock
    let later = dev
        .get(&format!(
            "{TEL}/certificateauthorities/{}",
            near["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(later["certificateDetails"][0]["expired"], true);

    // Create: the PEM must parse; MANAGED is the platform's; version on PUT.
    let pem = near["certificate"].as_str().unwrap();
    dev.post(&format!("{TEL}/certificateauthorities"), json!({"name": "Bad", "type": "REMOTE", "services": ["SIP"], "certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"}))
        .await.err(400, "bad.request");
    dev.post(
        &format!("{TEL}/certificateauthorities"),
        json!({"name": "M", "type": "MANAGED", "services": ["SIP"], "certificate": pem}),
    )
    .await
    .err(400, "bad.request");
    let c = dev
        .post(
            &format!("{TEL}/certificateauthorities"),
            json!({"name": "Copy", "type": "REMOTE", "services": ["SIP"], "certificate": pem}),
        )
        .await
        .ok();
    let mut stale = c.clone();
    stale["version"] = json!(0);
    dev.put(
        &format!("{TEL}/certificateauthorities/{}", c["id"].as_str().unwrap()),
        stale,
    )
    .await
    .err(409, "general.conflict");
    let managed = cas.iter().find(|c| c["type"] == "MANAGED").unwrap();
    dev.delete(&format!(
        "{TEL}/certificateauthorities/{}",
        managed["id"].as_str().unwrap()
    ))
    .await
    .err(403, "managed.property.not.allowed");
}

#[tokio::test]
async fn trunk_base_settings_from_templates() {
    let env = Env::small().await;
    let dev = Api::new(&env, "dev").await;
    let mbs = dev
        .get(&format!(
            "{TEL}/trunkbasesettings/availablemetabases?type=EXTERNAL"
        ))
        .await
        .ok();
    assert!(
        mbs["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["type"] == "EXTERNAL")
    );
    let t = dev
        .get(&format!(
            "{TEL}/trunkbasesettings/template?trunkMetabaseId=external_sip.json"
        ))
        .await
        .ok();
    assert_eq!(t["trunkType"], "EXTERNAL");
    assert!(
        t["properties"]["trunk_label"]["value"]
            .get("default")
            .is_some()
    );
    let sites = dev.all(&format!("{TEL}/sites")).await;
    let site = find(&sites, "Indianapolis HQ");
    let mut body = t.clone();
    body["name"] = json!("Carrier C");
    body["site"] = json!({"id": site["id"]});
    body["properties"]["trunk_label"]["value"]["instance"] = json!("carrier-c");
    let created = dev
        .post(&format!("{TEL}/trunkbasesettings"), body.clone())
        .await
        .ok();
    assert_eq!(created["site"]["name"], "Indianapolis HQ");
    assert_eq!(
        created["properties"]["trunk_label"]["value"]["instance"],
        "carrier-c"
    );
    assert_eq!(created["version"], 1);
    dev.post(&format!("{TEL}/trunkbasesettings"), body.clone())
        .await
        .err(400, "duplicate.value");
    body["name"] = json!("Orphan");
    body["site"] = json!({"id": "00000000-0000-4000-8000-000000000000"});
    dev.post(&format!("{TEL}/trunkbasesettings"), body)
        .await
        .err(400, "referenced.key.does.not.exist");
    // Lists carry properties only with expand=properties.
    let plain = dev
        .get(&format!("{TEL}/trunkbasesettings?pageSize=100"))
        .await
        .ok();
    assert!(plain["entities"][0].get("properties").is_none());
    assert!(plain["totalNumberOfEntities"].is_u64());
    let expanded = dev
        .get(&format!(
            "{TEL}/trunkbasesettings?pageSize=100&expand=properties"
        ))
        .await
        .ok();
    assert!(expanded["entities"][0]["properties"].is_object());
    // A trunk used by an outbound route cannot be deleted.
    let trunks = expanded["entities"].as_array().unwrap();
    let used = find(trunks, "Carrier A – BYOC");
    dev.delete(&format!(
        "{TEL}/trunkbasesettings/{}",
        used["id"].as_str().unwrap()
    ))
    .await
    .err(400, "delete.referenced.entity");
    dev.get(&format!("{TEL}/trunkbasesettings/nope"))
        .await
        .err(404, "entity.not.found");
}

#[tokio::test]
async fn sites_and_outbound_routes() {
    let env = Env::small().await;
    let dev = Api::new(&env, "dev").await;
    let sites = dev.all(&format!("{TEL}/sites")).await;
    let indy = find(&sites, "Indianapolis HQ");
    let managed = find(&sites, "PureCloud Voice - AWS");
    assert_eq!(managed["managed"], true);
    assert_eq!(indy["location"]["name"], "Indianapolis HQ");
    assert_eq!(indy["secondarySites"][0]["name"], "Dublin / Cloud");
    let iid = indy["id"].as_str().unwrap();
    dev.post(
        &format!("{TEL}/sites"),
        json!({"name": "Nowhere", "location": {"id": "missing"}}),
    )
    .await
    .err(400, "referenced.key.does.not.exist");
    dev.post(&format!("{TEL}/sites"), json!({"name": "No location"}))
        .await
        .err(400, "required.field.missing");
    dev.delete(&format!("{TEL}/sites/{iid}"))
        .await
        .err(409, "resource.referenced.by.another");
    dev.delete(&format!("{TEL}/sites/{}", managed["id"].as_str().unwrap()))
        .await
        .err(403, "managed.property.not.allowed");
    dev.put(
        &format!("{TEL}/sites/{}", managed["id"].as_str().unwrap()),
        managed.clone(),
    )
    .await
    .err(400, "managed.property.not.allowed");

    let routes = dev
        .get(&format!("{TEL}/sites/{iid}/outboundroutes"))
        .await
        .ok();
    assert_eq!(
        names(routes["entities"].as_array().unwrap()),
        vec!["Domestic Outbound", "Emergency (911)"]
    );
    let r0 = &routes["entities"][0];
    assert_eq!(r0["externalTrunkBases"][0]["name"], "Carrier A – BYOC");
    assert!(
        r0["selfUri"]
            .as_str()
            .unwrap()
            .contains(&format!("/sites/{iid}/outboundroutes/"))
    );
    dev.post(
        &format!("{TEL}/sites/{iid}/outboundroutes"),
        json!({"name": "Fax", "classificationTypes": ["Fax"]}),
    )
    .await
    .err(400, "address.classification.type.does.not.exist");
    dev.post(
        &format!("{TEL}/sites/{iid}/outboundroutes"),
        json!({"name": "Domestic Outbound", "classificationTypes": ["National"]}),
    )
    .await
    .err(400, "duplicate.value");
    let route = dev
        .post(
            &format!("{TEL}/sites/{iid}/outboundroutes"),
            json!({"name": "Premium", "classificationTypes": ["National"], "enabled": false}),
        )
        .await
        .ok();
    let rid = route["id"].as_str().unwrap();
    let mut next = route.clone();
    next["enabled"] = json!(true);
    assert_eq!(
        dev.put(&format!("{TEL}/sites/{iid}/outboundroutes/{rid}"), next)
            .await
            .ok()["version"],
        2
    );
    assert_eq!(
        dev.delete(&format!("{TEL}/sites/{iid}/outboundroutes/{rid}"))
            .await
            .status,
        204
    );
    dev.get(&format!("{TEL}/sites/{iid}/outboundroutes/{rid}"))
        .await
        .err(404, "entity.not.found");
}
