use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn client_credentials_token_and_bearer_errors() {
    let env = Env::start().await;
    let c = env.emu.credentials("dev").unwrap();
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .basic_auth(&c.client_id, Some(&c.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["expires_in"], 86399);
    assert!(v["access_token"].as_str().unwrap().len() > 40);

    // Wrong secret, unknown client, wrong grant: OAuth-style errors.
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .basic_auth(&c.client_id, Some("nope"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "invalid_client"
    );
    let r = env
        .http
        .post(env.url("/oauth/token"))
        .basic_auth(&c.client_id, Some(&c.client_secret))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // Missing, unknown and expired bearer tokens.
    let r = env
        .http
        .get(env.url("/api/v2/routing/queues"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    env.req(
        "not-a-token",
        reqwest::Method::GET,
        "/api/v2/routing/queues",
        None,
    )
    .await
    .err(401, "bad.credentials");
    let token = env.token("dev").await;
    env.req(&token, reqwest::Method::GET, "/api/v2/routing/queues", None)
        .await
        .ok();
    env.emu.advance_clock(86_400);
    env.req(&token, reqwest::Method::GET, "/api/v2/routing/queues", None)
        .await
        .err(401, "credentials.expired");
    let fresh = env.token("dev").await;
    env.req(&fresh, reqwest::Method::GET, "/api/v2/routing/queues", None)
        .await
        .ok();
}

#[tokio::test]
async fn missing_bearer_is_authentication_required() {
    let env = Env::start().await;
    let r = env
        .http
        .get(env.url("/api/v2/organizations/me"))
        .send()
        .await
        .unwrap();
    let headers = r.headers().clone();
    let body: serde_json::Value = r.json().await.unwrap();
    Resp {
        status: reqwest::StatusCode::UNAUTHORIZED,
        headers,
        body,
    }
    .err(401, "authentication.required");
}

#[tokio::test]
async fn each_token_belongs_to_one_org() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let stage = Api::new(&env, "stage").await;
    dev.create("/api/v2/routing/skills", json!({"name": "Only In Dev"}))
        .await;
    assert_eq!(dev.get("/api/v2/routing/skills").await.ok()["total"], 1);
    assert_eq!(stage.get("/api/v2/routing/skills").await.ok()["total"], 0);
    let me = dev.get("/api/v2/tokens/me").await.ok();
    assert_eq!(
        me["organization"]["id"],
        env.emu.credentials("dev").unwrap().org_id
    );
}

#[tokio::test]
async fn permissions_are_per_client_and_name_what_is_missing() {
    let env = Env::start().await;
    env.emu
        .set_permissions(
            "dev",
            Some(vec![
                "routing:queue:view".into(),
                "routing:wrapupCode:view".into(),
            ]),
        )
        .unwrap();
    let dev = Api::new(&env, "dev").await;
    dev.get("/api/v2/routing/queues").await.ok();
    dev.get("/api/v2/routing/wrapupcodes").await.ok();
    let e = dev
        .post("/api/v2/routing/wrapupcodes", json!({"name": "x"}))
        .await
        .err(403, "missing.permissions");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("routing:wrapupCode:add"),
        "{e}"
    );
    let e = dev
        .post("/api/v2/routing/skills", json!({"name": "x"}))
        .await
        .err(403, "missing.any.permissions");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("routing:skill:manage")
    );
    // Other orgs keep every permission; wildcards grant families.
    Api::new(&env, "stage")
        .await
        .post("/api/v2/routing/wrapupcodes", json!({"name": "x"}))
        .await
        .ok();
    env.emu
        .set_permissions("dev", Some(vec!["routing:*".into()]))
        .unwrap();
    dev.post("/api/v2/routing/wrapupcodes", json!({"name": "x"}))
        .await
        .ok();
    dev.get("/api/v2/telephony/providers/edges/trunkbasesettings")
        .await
        .err(403, "missing.any.permissions");
}
