//! The HTTP front: one handler that routes every request, applies faults, OAuth, rate limits,
//! the body limit and permissions in the platform's order, counts it, and answers with the
//! platform's headers (`ININ-Correlation-Id`, `Retry-After`).

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{HeaderMap, Request, Response, StatusCode};
use base64::Engine;
use bytes::Bytes;
use serde::Serialize;
use serde_json::{Value, json};

use crate::config::EmulatorConfig;
use crate::crud::Actor;
use crate::error::ApiError;
use crate::faults::Faults;
use crate::ids::{random_token, uuid_from};
use crate::query::Query;
use crate::ratelimit::RateLimiter;
use crate::routes::{self, Reply};
use crate::state::{State, TokenInfo};
use crate::time::Clock;

/// Request counts, per route template, token, client and status.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Counters {
    pub total: u64,
    pub routes: BTreeMap<String, RouteCount>,
    /// Per token label (`<org>#<n>`, n = the emulator's nth token).
    pub tokens: BTreeMap<String, u64>,
    /// Per OAuth client id.
    pub clients: BTreeMap<String, u64>,
    pub statuses: BTreeMap<u16, u64>,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct RouteCount {
    pub count: u64,
    pub statuses: BTreeMap<u16, u64>,
}

/// Everything the request handler shares.
pub struct Shared {
    pub state: Mutex<State>,
    config: RwLock<EmulatorConfig>,
    pub clock: Clock,
    pub limiter: RateLimiter,
    pub faults: Faults,
    pub counters: Mutex<Counters>,
    pub base_url: OnceLock<String>,
    ctx_seq: AtomicU64,
    ctx_seed: u64,
}

impl Shared {
    pub fn new(state: State, config: EmulatorConfig, clock: Clock) -> Shared {
        Shared {
            state: Mutex::new(state),
            limiter: RateLimiter::new(config.rate_limits),
            config: RwLock::new(config),
            clock,
            faults: Faults::default(),
            counters: Mutex::new(Counters::default()),
            base_url: OnceLock::new(),
            ctx_seq: AtomicU64::new(0),
            ctx_seed: u64::from_le_bytes(crate::ids::random_bytes(8).try_into().unwrap_or([7; 8])),
        }
    }

    pub fn config(&self) -> EmulatorConfig {
        self.config.read().expect("config lock").clone()
    }

    pub fn update_config(&self, f: impl FnOnce(&mut EmulatorConfig)) {
        f(&mut self.config.write().expect("config lock"));
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn context_id(&self) -> String {
        uuid_from(self.ctx_seed, self.ctx_seq.fetch_add(1, Ordering::Relaxed))
    }

    fn count(&self, route: &str, token: Option<&str>, client: Option<&str>, status: u16) {
        let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        c.total += 1;
        let r = c.routes.entry(route.to_string()).or_default();
        r.count += 1;
        *r.statuses.entry(status).or_default() += 1;
        *c.statuses.entry(status).or_default() += 1;
        if let Some(t) = token {
            *c.tokens.entry(t.to_string()).or_default() += 1;
        }
        if let Some(cl) = client {
            *c.clients.entry(cl.to_string()).or_default() += 1;
        }
    }
}

/// A response body that fails mid-way, so the client sees the connection drop.
struct Dropped;

impl http_body::Body for Dropped {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injection: connection dropped",
        ))))
    }
}

pub(crate) fn json_response(status: u16, body: &Value, ctx: &str) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json")
        .header("ININ-Correlation-Id", ctx)
        .body(Body::from(body.to_string()))
        .expect("static response parts are valid")
}

fn error_response(e: &ApiError, ctx: &str) -> Response<Body> {
    let mut r = json_response(e.status, &e.body(ctx), ctx);
    if let Some(s) = e.retry_after {
        r.headers_mut()
            .insert("Retry-After", s.to_string().parse().expect("digits"));
    }
    r
}

fn oauth_error(status: u16, error: &str, description: &str, ctx: &str) -> Response<Body> {
    json_response(
        status,
        &json!({"error": error, "description": description, "error_description": description}),
        ctx,
    )
}

fn fault_error(status: u16, retry_after: Option<u64>) -> ApiError {
    let mut e = match status {
        429 => {
            let s = retry_after.unwrap_or(1);
            let mut e = ApiError::new(
                429,
                "too.many.requests.retry.after",
                format!("Rate limit exceeded the maximum. Retry the request in [{s}] seconds"),
            );
            e.retry_after = Some(s);
            e
        }
        502 => ApiError::new(502, "bad.gateway", "Bad Gateway"),
        503 => ApiError::new(
            503,
            "service.unavailable",
            "Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).",
        ),
        504 => ApiError::new(504, "request.timeout", "The request timed out."),
        s if s >= 500 => ApiError::internal(),
        s => ApiError::new(s, "bad.request", "Injected fault."),
    };
    e.status = status;
    e
}

/// Entry point for every request.
pub async fn handle(shared: Arc<Shared>, req: Request<Body>) -> Response<Body> {
    let ctx = shared.context_id();
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = Query::parse(req.uri().query());
    let headers = req.headers().clone();
    let max = shared.config().max_body_bytes;
    let body = axum::body::to_bytes(req.into_body(), max).await;

    if path.starts_with("/_emulator") {
        let body = body.unwrap_or_default();
        return crate::admin::handle(&shared, &method, &path, &query, &body, &ctx);
    }
    if path == "/oauth/token" {
        let effect = shared.faults.check("POST /oauth/token", None);
        if effect.latency_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(effect.latency_ms)).await;
        }
        let resp = if let Some((429, _)) = effect.status {
            // Token-endpoint throttling is OAuth-style: 400 invalid_request "rate limit exceeded; …".
            oauth_error(
                400,
                "invalid_request",
                "rate limit exceeded; try again later",
                &ctx,
            )
        } else if let Some((s, ra)) = effect.status {
            error_response(&fault_error(s, ra), &ctx)
        } else if method != "POST" {
            error_response(&routes::method_not_allowed(), &ctx)
        } else {
            token(&shared, &headers, &body.unwrap_or_default(), &ctx)
        };
        shared.count("POST /oauth/token", None, None, resp.status().as_u16());
        return resp;
    }
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let matched = match segs.as_slice() {
        ["api", "v2", rest @ ..] => routes::match_path(rest),
        _ => None,
    };
    let Some((route, template)) = matched else {
        shared.count("(unknown)", None, None, 404);
        return error_response(&ApiError::not_found(), &ctx);
    };
    let key = format!("{method} {template}");
    // Identify the caller first (without failing) so that faults can be scoped to an org and
    // every request, injected failures included, is counted against its token and client.
    let caller = bearer(&headers).and_then(|t| shared.lock().tokens.get(t).cloned());
    let mut token_label = caller.as_ref().map(|i| format!("{}#{}", i.org, i.ordinal));
    let mut client = caller.as_ref().map(|i| i.client_id.clone());
    let org_for_faults = caller.as_ref().map(|i| i.org.clone());
    let effect = shared.faults.check(&key, org_for_faults.as_deref());
    if effect.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(effect.latency_ms)).await;
    }
    let outcome: Result<Reply, ApiError> = if let Some((s, ra)) = effect.status {
        Err(fault_error(s, ra))
    } else {
        (|| {
            let (info, token) = authenticate(&shared, &headers)?;
            let perm =
                routes::permission(&method, &route).ok_or_else(routes::method_not_allowed)?;
            token_label = Some(format!("{}#{}", info.org, info.ordinal));
            client = Some(info.client_id.clone());
            shared.limiter.admit(&token, &info.client_id)?;
            let body = body.map_err(|_| {
                ApiError::new(
                    413,
                    "request.entity.too.large",
                    format!("The request is larger than the maximum of {max} bytes."),
                )
            })?;
            let mut st = shared.lock();
            let org = st.org(&info.org)?;
            routes::check_permissions(org.permissions.as_ref(), perm)?;
            let actor = Actor {
                user_id: org.client_user_id.clone(),
                client_id: org.client_id.clone(),
                ui: false,
            };
            let json =
                parse_body(&headers, &body, &method).map_err(|e| malformed_for(&route, e))?;
            routes::handle(
                &shared,
                &mut st,
                routes::Call {
                    org: &info.org,
                    method: &method,
                    route: &route,
                    query: &query,
                    body: &json,
                    actor: &actor,
                },
            )
        })()
    };
    let resp = match &outcome {
        Ok(Reply::Json(s, v)) => json_response(*s, v, &ctx),
        Ok(Reply::Empty(s)) => Response::builder()
            .status(*s)
            .header("ININ-Correlation-Id", &ctx)
            .body(Body::empty())
            .expect("static response parts are valid"),
        Err(e) => error_response(e, &ctx),
    };
    shared.count(
        &key,
        token_label.as_deref(),
        client.as_deref(),
        resp.status().as_u16(),
    );
    if effect.drop {
        let (parts, _) = resp.into_parts();
        let mut parts = parts;
        parts.headers.remove("content-length");
        return Response::from_parts(parts, Body::new(Dropped));
    }
    resp
}

/// Schedules and the telephony provider report malformed bodies as `general.bad.request`.
fn malformed_for(route: &routes::Route, mut e: ApiError) -> ApiError {
    use crate::kinds::Kind;
    use routes::Route::*;
    let kind = match route {
        Coll(k) | Item(k, _) => Some(*k),
        OutboundRouteList(_) | OutboundRouteItem(..) | Metabases | TrunkTemplate => {
            Some(Kind::OutboundRoutes)
        }
        _ => None,
    };
    if e.code == "bad.request"
        && matches!(
            kind,
            Some(
                Kind::Schedules
                    | Kind::ScheduleGroups
                    | Kind::Sites
                    | Kind::OutboundRoutes
                    | Kind::TrunkBaseSettings
                    | Kind::CertificateAuthorities
            )
        )
    {
        e.code = "general.bad.request".into();
    }
    e
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<(TokenInfo, String), ApiError> {
    let Some(token) = bearer(headers).filter(|t| !t.is_empty()) else {
        return Err(ApiError::new(
            401,
            "authentication.required",
            "No authentication bearer token specified in authorization header.",
        ));
    };
    let st = shared.lock();
    let Some(info) = st.tokens.get(token) else {
        return Err(ApiError::new(
            401,
            "bad.credentials",
            "Invalid login credentials.",
        ));
    };
    if shared.clock.now_ms() >= info.expires_at {
        return Err(ApiError::new(
            401,
            "credentials.expired",
            "The supplied credentials are expired and cannot be used.",
        ));
    }
    Ok((info.clone(), token.to_string()))
}

fn parse_body(headers: &HeaderMap, body: &Bytes, method: &str) -> Result<Value, ApiError> {
    if !matches!(method, "POST" | "PUT" | "PATCH") || body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    if let Some(ct) = headers.get("content-type").and_then(|v| v.to_str().ok())
        && !ct.to_ascii_lowercase().contains("json")
    {
        return Err(ApiError::new(
            415,
            "unsupported.media.type",
            "Unsupported Media Type - Unsupported or incorrect media type, such as an incorrect Content-Type value in the header.",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::malformed().with_detail(
            "bad.request",
            &format!("line {} column {}", e.line(), e.column()),
            None,
        )
    })
}

/// `POST /oauth/token` (client credentials, HTTP Basic or form credentials).
fn token(shared: &Shared, headers: &HeaderMap, body: &Bytes, ctx: &str) -> Response<Body> {
    let form = Query::parse(Some(&String::from_utf8_lossy(body)));
    if form.get("grant_type") != Some("client_credentials") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "grant type must be client_credentials",
            ctx,
        );
    }
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        })
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        });
    let creds = basic.or_else(|| {
        Some((
            form.get("client_id")?.to_string(),
            form.get("client_secret")?.to_string(),
        ))
    });
    let Some((id, secret)) = creds else {
        return oauth_error(
            401,
            "invalid_client",
            "client authentication failed: no credentials",
            ctx,
        );
    };
    let ttl = shared.config().token_ttl_secs;
    let mut st = shared.lock();
    let Some(org) = st.org_by_client(&id).filter(|o| o.client_secret == secret) else {
        return oauth_error(401, "invalid_client", "client authentication failed", ctx);
    };
    let org_name = org.name.clone();
    st.token_seq += 1;
    let info = TokenInfo {
        org: org_name,
        client_id: id,
        expires_at: shared.clock.now_ms() + ttl as i64 * 1000,
        ordinal: st.token_seq,
    };
    let token = random_token(86);
    let persisted = json!({"org": info.org, "client_id": info.client_id,
                           "expires_at": info.expires_at, "ordinal": info.ordinal});
    if let Err(e) = st.db.put_token(&token, &persisted) {
        tracing::error!("{e}");
        return error_response(&ApiError::internal(), ctx);
    }
    st.tokens.insert(token.clone(), info);
    json_response(
        200,
        &json!({"access_token": token, "token_type": "bearer", "expires_in": ttl}),
        ctx,
    )
}
