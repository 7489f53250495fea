use crate::common::*;
use gcops_emulator::{Emulator, Fault, RateLimits};
use serde_json::json;
use std::time::{Duration, Instant};

fn fault(v: serde_json::Value) -> Fault {
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn per_token_limit_gives_429_with_retry_after() {
    // 5 requests per token per "minute", a minute lasting one second.
    let limits = RateLimits {
        token_per_minute: 5,
        client_per_minute: 8,
        time_scale: 60.0,
        enabled: true,
    };
    let env = Env::with(Emulator::builder().rate_limits(limits)).await;
    let dev = Api::new(&env, "dev").await;
    // Within 12 back-to-back requests one window must see a sixth request, whatever the
    // window boundaries; the first 429 comes only after a window admitted its five.
    let mut passed = 0;
    let mut limited = None;
    for _ in 0..12 {
        let r = dev.get("/api/v2/routing/skills").await;
        if r.status == 429 {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, 200);
        passed += 1;
    }
    let r = limited.expect("the sixth request of a window must be refused");
    assert!(
        (5..=10).contains(&passed),
        "{passed} requests passed before the first 429"
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    let body = r.err(429, "too.many.requests.retry.after");
    assert_eq!(
        body["limit"]["key"],
        "client.credentials.token.rate.per.minute"
    );
    tokio::time::sleep(Duration::from_secs(retry)).await;
    dev.get("/api/v2/routing/skills").await.ok();
    // The client limit spans tokens: a second token shares the 8 per window.
    env.emu.set_rate_limits(RateLimits {
        token_per_minute: 100,
        client_per_minute: 3,
        time_scale: 1.0,
        enabled: true,
    });
    let a = Api::new(&env, "dev").await;
    let b = Api::new(&env, "dev").await;
    a.get("/api/v2/routing/skills").await.ok();
    b.get("/api/v2/routing/skills").await.ok();
    a.get("/api/v2/routing/skills").await.ok();
    let body = b
        .get("/api/v2/routing/skills")
        .await
        .err(429, "too.many.requests.retry.after");
    assert_eq!(body["limit"]["key"], "org.app.user.rate.per.minute");
    // Another org's client is unaffected.
    Api::new(&env, "stage")
        .await
        .get("/api/v2/routing/skills")
        .await
        .ok();
}

#[tokio::test]
async fn faults_status_latency_drop_and_counters() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    env.emu.reset_counters();
    env.emu.inject(fault(
        json!({"route": "GET /api/v2/routing/queues", "count": 2, "status": 503}),
    ));
    dev.get("/api/v2/routing/queues")
        .await
        .err(503, "service.unavailable");
    dev.get("/api/v2/routing/skills").await.ok();
    dev.get("/api/v2/routing/queues")
        .await
        .err(503, "service.unavailable");
    dev.get("/api/v2/routing/queues").await.ok();

    env.emu.inject(fault(
        json!({"route": "*", "count": 1, "status": 429, "retry_after": 3}),
    ));
    let r = dev.get("/api/v2/flows").await;
    assert_eq!(r.headers["retry-after"], "3");
    r.err(429, "too.many.requests.retry.after");

    env.emu.inject(fault(
        json!({"route": "GET /api/v2/routing/wrapupcodes", "count": 1, "latency_ms": 300}),
    ));
    let t = Instant::now();
    dev.get("/api/v2/routing/wrapupcodes").await.ok();
    assert!(t.elapsed() >= Duration::from_millis(300));

    env.emu.inject(fault(
        json!({"route": "GET /api/v2/routing/languages", "count": 1, "drop": true}),
    ));
    let r = env
        .http
        .get(env.url("/api/v2/routing/languages"))
        .bearer_auth(&dev.token)
        .send()
        .await;
    let failed = match r {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(
        failed,
        "a dropped connection must surface as a transport error"
    );
    dev.get("/api/v2/routing/languages").await.ok();

    // Throttling on the token endpoint looks like the platform's: OAuth-style 400.
    env.emu.inject(fault(
        json!({"route": "POST /oauth/token", "count": 1, "status": 429}),
    ));
    let c = env.emu.credentials("dev").unwrap();
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .basic_auth(&c.client_id, Some(&c.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("rate limit exceeded;")
    );

    // Faults scoped to one org; next N after the first M.
    env.emu.inject(fault(json!({"route": "GET /api/v2/routing/skills", "org": "stage", "after": 1, "count": 1, "status": 500})));
    let stage = Api::new(&env, "stage").await;
    dev.get("/api/v2/routing/skills").await.ok();
    stage.get("/api/v2/routing/skills").await.ok();
    stage
        .get("/api/v2/routing/skills")
        .await
        .err(500, "internal.server.error");
    stage.get("/api/v2/routing/skills").await.ok();

    let c = env.emu.counters();
    let q = &c.routes["GET /api/v2/routing/queues"];
    assert_eq!((q.count, q.statuses[&503], q.statuses[&200]), (3, 2, 1));
    assert_eq!(c.routes["GET /api/v2/routing/skills"].count, 5);
    assert_eq!(c.routes["POST /oauth/token"].count, 2);
    let dev_client = env.emu.credentials("dev").unwrap().client_id;
    assert_eq!(c.clients[&dev_client], 3 + 1 + 1 + 1 + 2 + 1);
    assert_eq!(
        c.tokens.values().sum::<u64>(),
        c.clients.values().sum::<u64>()
    );

    // The same over the admin API, and reset.
    let admin: serde_json::Value = env
        .http
        .get(env.url("/_emulator/counters"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(admin["routes"]["GET /api/v2/routing/queues"]["count"], 3);
    env.http
        .delete(env.url("/_emulator/counters"))
        .send()
        .await
        .unwrap();
    assert_eq!(env.emu.counters().total, 0);
}

#[tokio::test]
async fn admin_api_clock_faults_rate_limits_permissions_and_ui_edits() {
    let env = Env::small().await;
    let http = &env.http;
    let info: serde_json::Value = http
        .get(env.url("/_emulator/info"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["base_url"], env.emu.base_url());
    assert_eq!(
        info["orgs"]["dev"]["client_id"],
        env.emu.credentials("dev").unwrap().client_id
    );
    let clock: serde_json::Value = http
        .put(env.url("/_emulator/clock"))
        .json(&json!({"now": "2031-01-01T00:00:00.000Z"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        clock["now"]
            .as_str()
            .unwrap()
            .starts_with("2031-01-01T00:00")
    );
    let f: serde_json::Value = http
        .post(env.url("/_emulator/faults"))
        .json(&json!({"route": "*", "status": 502}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(f["id"], 1);
    let listed: serde_json::Value = http
        .get(env.url("/_emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    http.delete(env.url("/_emulator/faults"))
        .send()
        .await
        .unwrap();
    let rl: serde_json::Value = http
        .put(env.url("/_emulator/rate-limits"))
        .json(&json!({"token_per_minute": 7}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            rl["token_per_minute"].as_u64(),
            rl["client_per_minute"].as_u64()
        ),
        (Some(7), Some(3000))
    );
    http.put(env.url("/_emulator/rate-limits"))
        .json(&json!({"enabled": false}))
        .send()
        .await
        .unwrap();

    // A person edits a queue in the UI: drift with a new modifier.
    let dev = Api::new(&env, "dev").await;
    let before = find(&dev.all("/api/v2/routing/queues").await, "Callbacks").clone();
    let edited: serde_json::Value = http
        .post(env.url("/_emulator/orgs/dev/edits"))
        .json(&json!({"op": "update", "kind": "routing/queues", "name": "Callbacks",
                      "set": {"description": "Changed in the UI", "acwSettings": {"timeoutMs": 45000}}}))
        .send().await.unwrap().json().await.unwrap();
    assert_eq!(edited["description"], "Changed in the UI");
    let after = dev
        .get(&format!(
            "/api/v2/routing/queues/{}",
            before["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(
        after["acwSettings"],
        json!({"timeoutMs": 45000, "wrapupPrompt": "MANDATORY_TIMEOUT"})
    );
    assert_ne!(after["modifiedBy"], before["modifiedBy"]);
    assert_eq!(after["queueFlow"], before["queueFlow"]);
    // UI edits of other kinds, and invalid ones are refused like API writes.
    let r = http.post(env.url("/_emulator/orgs/dev/edits"))
        .json(&json!({"op": "update", "kind": "routing/queues", "name": "Callbacks", "set": {"skillEvaluationMethod": "SOMETIMES"}}))
        .send().await.unwrap();
    assert_eq!(r.status(), 400);
    let org: serde_json::Value = http
        .post(env.url("/_emulator/orgs/dev/edits"))
        .json(&json!({"kind": "administration/org-settings", "set": {"defaultLanguage": "de"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (org["defaultLanguage"].as_str(), org["version"].as_i64()),
        (Some("de"), Some(2))
    );
    let created: serde_json::Value = http
        .post(env.url("/_emulator/orgs/dev/edits"))
        .json(&json!({"op": "create", "kind": "routing/skills", "body": {"name": "Added by hand"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["name"], "Added by hand");
    let del: serde_json::Value = http
        .post(env.url("/_emulator/orgs/dev/edits"))
        .json(&json!({"op": "delete", "kind": "routing/skills", "name": "Added by hand"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(del["deleted"].is_string());
    let perms: serde_json::Value = http
        .put(env.url("/_emulator/orgs/dev/permissions"))
        .json(&json!({"permissions": ["routing:queue:view"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(perms["permissions"][0], "routing:queue:view");
    dev.get("/api/v2/routing/skills")
        .await
        .err(403, "missing.any.permissions");
}
