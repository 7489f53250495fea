use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn skills_are_create_only_with_division_patch() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let div = dev
        .create(
            "/api/v2/authorization/divisions",
            json!({"name": "Care", "description": "d"}),
        )
        .await;
    let s = dev
        .post(
            "/api/v2/routing/skills",
            json!({"name": "Español", "divisionId": div}),
        )
        .await
        .ok();
    assert_eq!(
        (s["state"].as_str(), s["version"].as_str()),
        (Some("active"), Some("1"))
    );
    assert_eq!(s["division"]["name"], "Care");
    assert!(
        s["selfUri"]
            .as_str()
            .unwrap()
            .ends_with(s["id"].as_str().unwrap())
    );
    dev.post("/api/v2/routing/skills", json!({"name": "español"}))
        .await
        .err(409, "general.conflict");
    dev.post("/api/v2/routing/skills", json!({"name": "Espresso"}))
        .await
        .ok();
    let id = s["id"].as_str().unwrap();
    dev.put(
        &format!("/api/v2/routing/skills/{id}"),
        json!({"name": "Spanish"}),
    )
    .await
    .err(405, "method.not.allowed");
    let home = dev.home().await;
    let moved = dev
        .patch(
            &format!("/api/v2/routing/skills/{id}"),
            json!({"divisionId": home}),
        )
        .await
        .ok();
    assert_eq!(
        (moved["division"]["id"].as_str(), moved["version"].as_str()),
        (Some(home.as_str()), Some("2"))
    );
    // `name` on skills is "starts with".
    let found = dev.get("/api/v2/routing/skills?name=Esp").await.ok();
    assert_eq!(
        names(found["entities"].as_array().unwrap()),
        vec!["Español", "Espresso"]
    );
    assert_eq!(
        dev.delete(&format!("/api/v2/routing/skills/{id}"))
            .await
            .status,
        204
    );
    dev.get(&format!("/api/v2/routing/skills/{id}"))
        .await
        .err(404, "not.found");
}

#[tokio::test]
async fn languages_have_no_update() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let id = dev
        .create("/api/v2/routing/languages", json!({"name": "Deutsch"}))
        .await;
    let l = dev
        .get(&format!("/api/v2/routing/languages/{id}"))
        .await
        .ok();
    assert_eq!(
        (l["name"].as_str(), l["state"].as_str()),
        (Some("Deutsch"), Some("active"))
    );
    dev.put(
        &format!("/api/v2/routing/languages/{id}"),
        json!({"name": "German"}),
    )
    .await
    .err(405, "method.not.allowed");
    assert_eq!(
        dev.delete(&format!("/api/v2/routing/languages/{id}"))
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn wrapup_codes_crud_and_errors() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let w = dev
        .post(
            "/api/v2/routing/wrapupcodes",
            json!({"name": "Resolved", "description": "ok"}),
        )
        .await
        .ok();
    assert_eq!(w["division"]["name"], "Home");
    assert!(w["dateCreated"].is_string() && w["createdBy"].is_string());
    assert!(w.get("version").is_none());
    dev.post("/api/v2/routing/wrapupcodes", json!({"name": "Resolved"}))
        .await
        .err(400, "duplicate.name");
    dev.post(
        "/api/v2/routing/wrapupcodes",
        json!({"description": "nameless"}),
    )
    .await
    .err(400, "required.field.missing");
    let id = w["id"].as_str().unwrap();
    let r = dev
        .put(
            &format!("/api/v2/routing/wrapupcodes/{id}"),
            json!({"name": "Resolved ✓"}),
        )
        .await
        .ok();
    assert_eq!(r["name"], "Resolved ✓");
    assert!(
        r.get("description").is_none(),
        "PUT replaces the whole object"
    );
    dev.get("/api/v2/routing/wrapupcodes/00000000-0000-4000-8000-000000000000")
        .await
        .err(404, "resource.not.found");
}

#[tokio::test]
async fn queues_with_references_wrapup_codes_and_members() {
    let env = Env::small().await;
    let dev = Api::new(&env, "dev").await;
    let skills = dev.all("/api/v2/routing/skills").await;
    let flows = dev.all("/api/v2/flows?type=inqueuecall").await;
    let codes = dev.all("/api/v2/routing/wrapupcodes").await;
    let flow = find(&flows, "Support In-Queue");
    let skill = find(&skills, "Billing");
    let q = dev
        .post("/api/v2/routing/queues", json!({
            "name": "New / Queue – Ünïcode", "description": null,
            "queueFlow": {"id": flow["id"]},
            "bullseye": {"rings": [{"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 5}],
                                    "actions": {"skillsToRemove": [{"id": skill["id"]}]}}]},
            "skillEvaluationMethod": "ALL"}))
        .await
        .ok();
    assert!(json_has_no_nulls(&q));
    assert_eq!(q["queueFlow"]["name"], "Support In-Queue");
    assert_eq!(
        q["queueFlow"]["selfUri"],
        format!("/api/v2/flows/{}", flow["id"].as_str().unwrap())
    );
    assert_eq!(
        q["bullseye"]["rings"][0]["actions"]["skillsToRemove"][0]["name"],
        "Billing"
    );
    assert_eq!(q["memberCount"], 0);
    let qid = q["id"].as_str().unwrap().to_string();

    // Dangling references are refused and say which field.
    let e = dev
        .post("/api/v2/routing/queues", json!({"name": "Dangling", "queueFlow": {"id": "00000000-0000-4000-8000-000000000000"}}))
        .await
        .err(400, "bad.request");
    assert_eq!(e["details"][0]["fieldName"], "queueFlow.id");
    dev.post(
        "/api/v2/routing/queues",
        json!({"name": "Dangling skill",
        "bullseye": {"rings": [{"actions": {"skillsToRemove": [{"id": "nope"}]}}]}}),
    )
    .await
    .err(400, "bad.request");
    // Name lookups: exact (case-insensitive) with * wildcards.
    let by_name = dev
        .get("/api/v2/routing/queues?name=new%20/%20queue%20%E2%80%93%20%C3%9Cn%C3%AFcode")
        .await
        .ok();
    assert_eq!(by_name["total"], 1);
    assert_eq!(
        dev.get("/api/v2/routing/queues?name=Support*").await.ok()["total"],
        2
    );
    assert_eq!(
        dev.get("/api/v2/routing/queues?name=Support").await.ok()["total"],
        0
    );
    // PUT replaces; a duplicate name is refused.
    let e = dev
        .put(
            &format!("/api/v2/routing/queues/{qid}"),
            json!({"name": "Callbacks"}),
        )
        .await;
    e.err(400, "duplicate.name");
    let put = dev
        .put(
            &format!("/api/v2/routing/queues/{qid}"),
            json!({"name": "Renamed queue"}),
        )
        .await
        .ok();
    assert!(put.get("queueFlow").is_none());

    // Wrap-up code assignment.
    let refs: Vec<_> = codes
        .iter()
        .take(3)
        .map(|c| json!({"id": c["id"]}))
        .collect();
    let added = dev
        .post(
            &format!("/api/v2/routing/queues/{qid}/wrapupcodes"),
            json!(refs),
        )
        .await
        .ok();
    assert_eq!(added.as_array().unwrap().len(), 3);
    let listed = dev
        .get(&format!(
            "/api/v2/routing/queues/{qid}/wrapupcodes?pageSize=2"
        ))
        .await
        .ok();
    assert_eq!(
        (listed["total"].as_u64(), listed["pageCount"].as_u64()),
        (Some(3), Some(2))
    );
    let too_many: Vec<_> = (0..101).map(|_| json!({"id": codes[0]["id"]})).collect();
    dev.post(
        &format!("/api/v2/routing/queues/{qid}/wrapupcodes"),
        json!(too_many),
    )
    .await
    .err(400, "bad.request");
    dev.post(
        &format!("/api/v2/routing/queues/{qid}/wrapupcodes"),
        json!([{"id": "missing"}]),
    )
    .await
    .err(400, "bad.request");
    let code = codes[0]["id"].as_str().unwrap();
    dev.delete(&format!("/api/v2/routing/wrapupcodes/{code}"))
        .await
        .err(409, "general.conflict");
    assert_eq!(
        dev.delete(&format!("/api/v2/routing/queues/{qid}/wrapupcodes/{code}"))
            .await
            .status,
        204
    );
    dev.delete(&format!("/api/v2/routing/queues/{qid}/wrapupcodes/{code}"))
        .await
        .err(404, "not.found");

    // Members: read-only, with the short envelope.
    let queues = dev.all("/api/v2/routing/queues").await;
    let seeded = find(&queues, "Callbacks");
    assert!(seeded["memberCount"].as_u64().unwrap() > 0);
    let m = dev
        .get(&format!(
            "/api/v2/routing/queues/{}/members?pageSize=100",
            seeded["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert!(m.get("total").is_none() && m.get("pageCount").is_none() && m.get("lastUri").is_none());
    assert_eq!(
        m["entities"].as_array().unwrap().len() as u64,
        seeded["memberCount"].as_u64().unwrap()
    );
    assert!(m["entities"][0]["user"]["id"].is_string());
    dev.get(&format!(
        "/api/v2/routing/queues/{}/members?pageSize=101",
        seeded["id"].as_str().unwrap()
    ))
    .await
    .err(400, "invalid.value");

    assert_eq!(
        dev.delete(&format!("/api/v2/routing/queues/{qid}"))
            .await
            .status,
        204
    );
    dev.get(&format!("/api/v2/routing/queues/{qid}"))
        .await
        .err(404, "not.found");
}
