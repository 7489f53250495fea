use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn malformed_json_oversized_bodies_and_unknown_routes() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let r = env
        .http
        .post(env.url("/api/v2/routing/queues"))
        .bearer_auth(&dev.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let headers = r.headers().clone();
    let status = r.status();
    Resp {
        status,
        headers,
        body: r.json().await.unwrap(),
    }
    .err(400, "bad.request");

    let big = "x".repeat(520_000);
    let r = env
        .http
        .post(env.url("/api/v2/routing/queues"))
        .bearer_auth(&dev.token)
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{big}\"}}"))
        .send()
        .await
        .unwrap();
    let headers = r.headers().clone();
    let status = r.status();
    Resp {
        status,
        headers,
        body: r.json().await.unwrap(),
    }
    .err(413, "request.entity.too.large");

    dev.get("/api/v2/configuration").await.err(404, "not.found");
    dev.put("/api/v2/routing/skills/abc", json!({"name": "x"}))
        .await
        .err(405, "method.not.allowed");
}

#[tokio::test]
async fn bad_enum_missing_field_wrong_type_and_bad_date() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let e = dev
        .post(
            "/api/v2/routing/queues",
            json!({"name": "Q", "mediaSettings": {"callback": {"mode": ""}}}),
        )
        .await
        .err(400, "invalid.value");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("AgentFirst, CustomerFirst"),
        "{e}"
    );
    dev.post("/api/v2/routing/queues", json!({"description": "no name"}))
        .await
        .err(400, "required.field.missing");
    dev.post("/api/v2/routing/queues", json!({"name": 12}))
        .await
        .err(400, "bad.request");
    dev.post(
        "/api/v2/architect/schedules",
        json!({"name": "S", "start": "tomorrow", "end": "2024-01-01T10:00:00.000"}),
    )
    .await
    .err(400, "invalid.date");
    let e = dev
        .post(
            "/api/v2/telephony/providers/edges/certificateauthorities",
            json!({"name": "C", "type": "REMOTE", "services": ["SIP", "FAX"], "certificate": "x"}),
        )
        .await
        .err(400, "invalid.value");
    assert!(e["message"].as_str().unwrap().contains("PROVISION_PHONE"));
}

#[tokio::test]
async fn body_limit_is_exactly_512000_bytes() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let send = |len: usize| {
        // {"name":"x","description":"…"} padded to exactly `len` bytes.
        let fixed = r#"{"name":"x","description":""}"#.len();
        let body = format!(
            r#"{{"name":"x","description":"{}"}}"#,
            "d".repeat(len - fixed)
        );
        assert_eq!(body.len(), len);
        env.http
            .post(env.url("/api/v2/routing/wrapupcodes"))
            .bearer_auth(&dev.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_eq!(send(512_000).await.unwrap().status(), 200);
    assert_eq!(send(512_001).await.unwrap().status(), 413);
}

#[tokio::test]
async fn request_only_fields_malformed_codes_and_auth_before_method() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let q = dev
        .post(
            "/api/v2/routing/queues",
            json!({"name": "Copy", "sourceQueueId": "x"}),
        )
        .await
        .ok();
    assert!(
        q.get("sourceQueueId").is_none(),
        "sourceQueueId is request-only: {q}"
    );
    let r = env
        .http
        .post(env.url("/api/v2/architect/schedules"))
        .bearer_auth(&dev.token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "general.bad.request"
    );
    // Authentication comes before everything but routing.
    let r = env
        .http
        .put(env.url("/api/v2/routing/skills/abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Dates with offsets are accepted.
    dev.post(
        "/api/v2/architect/schedules",
        json!({"name": "Offset", "start": "2024-01-01T08:00:00.000+01:00",
        "end": "2024-01-01T17:00:00.000+01:00"}),
    )
    .await
    .ok();
    // A missing skill division names the field the caller sent.
    let e = dev
        .post(
            "/api/v2/routing/skills",
            json!({"name": "S", "divisionId": "nope"}),
        )
        .await
        .err(400, "bad.request");
    assert_eq!(e["details"][0]["fieldName"], "divisionId");
}
