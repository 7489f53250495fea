use gcops_emulator::{Emulator, EmulatorBuilder, EmulatorHandle, SeedSize};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

pub struct Env {
    pub emu: EmulatorHandle,
    pub http: Client,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    #[track_caller]
    pub fn ok(self) -> Value {
        assert!(
            self.status.is_success(),
            "expected success, got {} {}",
            self.status,
            self.body
        );
        self.body
    }
    /// Asserts an error body with this status and code, in the platform's shape.
    #[track_caller]
    pub fn err(self, status: u16, code: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.body["code"], code, "body: {}", self.body);
        assert_eq!(self.body["status"], status);
        assert!(self.body["message"].as_str().is_some_and(|m| !m.is_empty()));
        let ctx = self.headers["ININ-Correlation-Id"].to_str().unwrap();
        assert_eq!(self.body["contextId"], ctx);
        assert!(self.body["details"].is_array() && self.body["errors"].is_array());
        self.body
    }
}

/// A reqwest client (reqwest is built with rustls and no default crypto provider).
pub fn http() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::new()
}

impl Env {
    pub async fn start() -> Env {
        Env::with(Emulator::builder().unlimited()).await
    }
    pub async fn small() -> Env {
        Env::with(Emulator::builder().unlimited().seed(SeedSize::Small)).await
    }
    pub async fn with(b: EmulatorBuilder) -> Env {
        let emu = b.start().await.expect("emulator starts");
        Env { emu, http: http() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    pub async fn token(&self, org: &str) -> String {
        let c = self.emu.credentials(org).unwrap();
        let r = self
            .http
            .post(self.url("/oauth/token"))
            .basic_auth(&c.client_id, Some(&c.client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    pub async fn req(&self, token: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut r = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        Resp {
            status,
            headers,
            body,
        }
    }
}

/// A client for one org.
pub struct Api<'a> {
    pub env: &'a Env,
    pub token: String,
}

impl<'a> Api<'a> {
    pub async fn new(env: &'a Env, org: &str) -> Api<'a> {
        Api {
            env,
            token: env.token(org).await,
        }
    }
    pub async fn get(&self, path: &str) -> Resp {
        self.env.req(&self.token, Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.env
            .req(&self.token, Method::POST, path, Some(body))
            .await
    }
    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.env
            .req(&self.token, Method::PUT, path, Some(body))
            .await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.env
            .req(&self.token, Method::PATCH, path, Some(body))
            .await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        self.env.req(&self.token, Method::DELETE, path, None).await
    }
    /// Creates and returns the new object's id.
    pub async fn create(&self, path: &str, body: Value) -> String {
        let v = self.post(path, body).await.ok();
        v["id"].as_str().unwrap().to_string()
    }
    pub async fn home(&self) -> String {
        self.get("/api/v2/authorization/divisions/home").await.ok()["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
    /// Every entity of a list, following pages.
    pub async fn all(&self, path: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut n = 1;
        loop {
            let v = self
                .get(&format!("{path}{sep}pageSize=100&pageNumber={n}"))
                .await
                .ok();
            out.extend(v["entities"].as_array().unwrap().iter().cloned());
            if v.get("nextUri").is_none() {
                return out;
            }
            n += 1;
        }
    }
}

pub fn names(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

pub fn find<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in list"))
}

pub fn json_has_no_nulls(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Array(a) => a.iter().all(json_has_no_nulls),
        Value::Object(m) => m.values().all(json_has_no_nulls),
        _ => true,
    }
}

#[allow(dead_code)]
pub fn obj(id: &str) -> Value {
    json!({ "id": id })
}
