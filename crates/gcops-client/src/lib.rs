//! The Genesys Cloud API client gcops uses for every environment, real or emulated.
//!
//! - OAuth client credentials, with a pool of tokens (the platform limits requests per token,
//!   so several tokens raise throughput up to the per-client limit) renewed on 401 or expiry;
//! - one pacer shared by every worker that keeps each token and the client under their
//!   per-minute limits, and pauses *every* worker for the full `Retry-After` of a 429;
//! - retries with backoff for 5xx, timeouts and dropped connections — for idempotent requests
//!   only: a POST is never repeated blindly;
//! - paging at the largest page size the server accepts, pages 2..N fetched concurrently once
//!   page 1 gives the count.
//!
//! Requests are logged at `debug` level with method, path, status and time — never a token or
//! secret.

// `ClientError::Api` carries the platform's whole error body for callers that report it; errors
// are on the cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

mod auth;
mod error;
mod pacer;
mod paging;
mod secret;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

pub use error::ClientError;
pub use paging::with_query;
pub use secret::Secret;

use auth::TokenPool;
use pacer::Pacer;

/// Installs rustls' ring crypto provider (once per process; later calls are no-ops).
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The platform's per-minute request limits the client paces itself under.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// `client.credentials.token.rate.per.minute` (default 300).
    pub token_per_minute: u32,
    /// `org.app.user.rate.per.minute` (default 3,000).
    pub client_per_minute: u32,
    /// Emulated minutes per real minute (only for emulators started with a time scale).
    pub time_scale: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            token_per_minute: 300,
            client_per_minute: 3000,
            time_scale: 1.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `https://api.mypurecloud.com` or an emulator's base URL.
    pub api_base: String,
    /// The OAuth host: `https://login.mypurecloud.com`, or the same URL as `api_base` for an emulator.
    pub login_base: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// Tokens to request and rotate (the per-token limit multiplied by this, up to the client limit).
    pub token_pool: usize,
    pub limits: Limits,
    /// Retries for a failed idempotent request (5xx, timeout, dropped connection).
    pub max_retries: u32,
    pub timeout: Duration,
}

impl ClientConfig {
    pub fn new(api_base: &str, login_base: &str, client_id: &str, client_secret: Secret) -> Self {
        ClientConfig {
            api_base: api_base.trim_end_matches('/').to_string(),
            login_base: login_base.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            client_secret,
            token_pool: 10,
            limits: Limits::default(),
            max_retries: 6,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Request counts for summaries and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Every request sent to the API (retries included, token requests excluded).
    pub requests: u64,
    pub token_requests: u64,
    pub retries: u64,
    /// 429 answers received (each paused every worker for its `Retry-After`).
    pub throttled: u64,
    /// Requests that failed for good.
    pub failed: u64,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    token_requests: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
    failed: AtomicU64,
}

/// A response with a JSON (or empty) body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: Value,
}

/// A cheap-to-clone handle on one environment's API.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    tokens: TokenPool,
    pacer: Pacer,
    counters: Counters,
    page_sizes: std::sync::Mutex<std::collections::HashMap<String, u32>>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, ClientError> {
        install_crypto();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("gcops/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Setup(e.to_string()))?;
        let pool = config.token_pool.max(1);
        Ok(Client {
            inner: Arc::new(Inner {
                tokens: TokenPool::new(pool),
                pacer: Pacer::new(pool, config.limits),
                http,
                config,
                counters: Counters::default(),
                page_sizes: Default::default(),
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub fn stats(&self) -> Stats {
        let c = &self.inner.counters;
        Stats {
            requests: c.requests.load(Ordering::Relaxed),
            token_requests: c.token_requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
        }
    }

    /// GET that expects a JSON body.
    pub async fn get(&self, path: &str) -> Result<Value, ClientError> {
        Ok(self.send(Method::GET, path, None).await?.body)
    }

    /// One API request, paced, authenticated and (when idempotent) retried. `path` includes
    /// the query string. Non-2xx answers are returned as [`ClientError::Api`].
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, ClientError> {
        let idempotent = method != Method::POST && method != Method::PATCH;
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            let slot = self.inner.pacer.acquire().await;
            let token = match self.inner.tokens.get(slot, self).await {
                Ok(t) => t,
                Err(e) => {
                    self.inner.counters.failed.fetch_add(1, Ordering::Relaxed);
                    return Err(e);
                }
            };
            let url = format!("{}{path}", self.inner.config.api_base);
            let mut req = self
                .inner
                .http
                .request(method.clone(), &url)
                .bearer_auth(token.expose());
            if let Some(b) = body {
                req = req.json(b);
            }
            self.inner.counters.requests.fetch_add(1, Ordering::Relaxed);
            let started = Instant::now();
            let outcome = match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<f64>().ok());
                    let context = resp
                        .headers()
                        .get("inin-correlation-id")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    match resp.bytes().await {
                        Ok(bytes) => Ok((status, retry_after, context, bytes)),
                        Err(e) => Err(ClientError::transport(&method, path, &e)),
                    }
                }
                Err(e) => Err(ClientError::transport(&method, path, &e)),
            };
            let elapsed = started.elapsed().as_millis();
            match outcome {
                Ok((status, retry_after, context, bytes)) => {
                    tracing::debug!("{method} {path} -> {status} ({elapsed} ms, slot {slot})");
                    if (200..300).contains(&status) {
                        let body = if bytes.iter().all(u8::is_ascii_whitespace) {
                            Value::Null
                        } else {
                            serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
                                method: method.to_string(),
                                path: path.to_string(),
                                message: e.to_string(),
                            })?
                        };
                        return Ok(Response { status, body });
                    }
                    let err = ClientError::api(&method, path, status, context, &bytes);
                    if status == 429 {
                        // Not processed: safe to repeat, whatever the method. Pause everyone.
                        self.inner
                            .counters
                            .throttled
                            .fetch_add(1, Ordering::Relaxed);
                        let wait = Duration::from_secs_f64(retry_after.unwrap_or(3.0).max(0.0));
                        tracing::debug!("429 on {path}: every worker pauses {wait:?}");
                        self.inner.pacer.pause(wait).await;
                        self.inner.counters.retries.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    if status == 401 && !renewed {
                        renewed = true;
                        self.inner.tokens.invalidate(slot).await;
                        self.inner.counters.retries.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    if idempotent
                        && matches!(status, 500 | 502 | 503 | 504)
                        && attempt < self.inner.config.max_retries
                    {
                        attempt += 1;
                        self.inner.counters.retries.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(backoff(attempt)).await;
                        continue;
                    }
                    self.inner.counters.failed.fetch_add(1, Ordering::Relaxed);
                    return Err(err);
                }
                Err(err) => {
                    tracing::debug!("{method} {path} -> {err} ({elapsed} ms)");
                    if idempotent && attempt < self.inner.config.max_retries {
                        attempt += 1;
                        self.inner.counters.retries.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(backoff(attempt)).await;
                        continue;
                    }
                    self.inner.counters.failed.fetch_add(1, Ordering::Relaxed);
                    return Err(err);
                }
            }
        }
    }

    fn count_token_request(&self) {
        self.inner
            .counters
            .token_requests
            .fetch_add(1, Ordering::Relaxed);
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((200u64 << attempt.min(6)).min(10_000))
}

impl gcops_model::Remote for Client {
    async fn list(
        &self,
        path: &str,
        query: &[(String, String)],
        paging: gcops_model::Paging,
        size_key: &str,
    ) -> Result<Vec<Value>, gcops_model::RemoteError> {
        self.list_all(path, query, paging, size_key)
            .await
            .map_err(remote_error)
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, gcops_model::RemoteError> {
        let m = Method::from_bytes(method.as_bytes()).map_err(|_| gcops_model::RemoteError {
            status: None,
            code: None,
            message: format!("invalid method {method}"),
        })?;
        Client::send(self, m, path, body)
            .await
            .map(|r| r.body)
            .map_err(remote_error)
    }
}

fn remote_error(e: ClientError) -> gcops_model::RemoteError {
    gcops_model::RemoteError {
        status: e.status(),
        code: e.code().map(str::to_string),
        message: e.to_string(),
    }
}
