use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn organization_put_needs_the_current_version() {
    let env = Env::small().await;
    let dev = Api::new(&env, "dev").await;
    let org = dev.get("/api/v2/organizations/me").await.ok();
    assert_eq!(org["selfUri"], "/api/v2/organizations/me");
    assert_eq!(org["version"], 1);
    assert!(org["features"].is_object() && org["defaultSiteId"].is_string());
    let mut next = org.clone();
    next["voicemailEnabled"] = json!(false);
    next["features"] = json!({"hipaa": true}); // read-only: ignored
    let after = dev.put("/api/v2/organizations/me", next.clone()).await.ok();
    assert_eq!(after["version"], 2);
    assert_eq!(after["voicemailEnabled"], false);
    assert_eq!(after["features"], org["features"]);
    // The same (now stale) version again is a conflict.
    let e = dev
        .put("/api/v2/organizations/me", next.clone())
        .await
        .err(409, "general.conflict");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("does not match the current version")
    );
    let mut no_version = after.clone();
    no_version.as_object_mut().unwrap().remove("version");
    dev.put("/api/v2/organizations/me", no_version)
        .await
        .err(400, "required.field.missing");
    let mut bad_site = after.clone();
    bad_site["defaultSiteId"] = json!("00000000-0000-4000-8000-000000000000");
    dev.put("/api/v2/organizations/me", bad_site)
        .await
        .err(400, "referenced.key.does.not.exist");
}

#[tokio::test]
async fn divisions_crud_home_query_and_limits() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let home = dev.get("/api/v2/authorization/divisions/home").await.ok();
    assert_eq!(home["homeDivision"], true);
    assert_eq!(home["name"], "Home");
    assert_eq!(
        dev.get("/api/v2/authorization/divisions/limit").await.ok(),
        json!(50)
    );
    dev.post(
        "/api/v2/authorization/divisions",
        json!({"name": "No description"}),
    )
    .await
    .err(400, "required.field.missing");
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            dev.create(
                "/api/v2/authorization/divisions",
                json!({"name": format!("Division {i}"), "description": "d"}),
            )
            .await,
        );
    }
    dev.post(
        "/api/v2/authorization/divisions",
        json!({"name": "division 0", "description": "d"}),
    )
    .await
    .err(400, "duplicate.name");
    let renamed = dev
        .put(
            &format!("/api/v2/authorization/divisions/{}", ids[0]),
            json!({"name": "Renamed", "description": "e", "homeDivision": true}),
        )
        .await
        .ok();
    assert_eq!(
        (renamed["name"].as_str(), renamed["homeDivision"].as_bool()),
        (Some("Renamed"), Some(false))
    );
    // Cursor paging: 6 divisions, pages of 4.
    let p1 = dev
        .get("/api/v2/authorization/divisions/query?pageSize=4")
        .await
        .ok();
    assert_eq!(p1["entities"].as_array().unwrap().len(), 4);
    let next = p1["nextUri"].as_str().unwrap().to_string();
    let p2 = dev.get(&next).await.ok();
    assert_eq!(p2["entities"].as_array().unwrap().len(), 2);
    assert!(p2.get("nextUri").is_none());
    dev.get("/api/v2/authorization/divisions/query?pageSize=201")
        .await
        .err(400, "invalid.value");
    dev.get("/api/v2/authorization/divisions/query?pageSize=200")
        .await
        .ok();
    // Delete: not the home division, not while it holds objects.
    dev.delete(&format!(
        "/api/v2/authorization/divisions/{}",
        home["id"].as_str().unwrap()
    ))
    .await
    .err(400, "bad.request");
    dev.create(
        "/api/v2/routing/wrapupcodes",
        json!({"name": "W", "division": {"id": ids[1]}}),
    )
    .await;
    dev.delete(&format!("/api/v2/authorization/divisions/{}", ids[1]))
        .await
        .err(409, "general.conflict");
    let counted = dev
        .get(&format!(
            "/api/v2/authorization/divisions/{}?objectCount=true",
            ids[1]
        ))
        .await
        .ok();
    assert_eq!(counted["objectCounts"]["ROUTINGWRAPUPCODE"], 1);
    assert_eq!(
        dev.delete(&format!("/api/v2/authorization/divisions/{}", ids[2]))
            .await
            .status,
        204
    );
    dev.get(&format!("/api/v2/authorization/divisions/{}", ids[2]))
        .await
        .err(404, "not.found");
}
