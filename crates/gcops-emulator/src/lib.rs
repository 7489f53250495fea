//! An emulator of the Genesys Cloud Platform API v2 for the endpoints gcops manages.
//!
//! It speaks the real wire format (paths, list envelopes, error bodies, OAuth client
//! credentials, rate limits with `Retry-After`), keeps several orgs with their own credentials,
//! persists every acknowledged write in SQLite, and has an admin API under `/_emulator/` for
//! tests and demos (request counters, fault injection, a settable clock, UI edits).
//!
//! ```no_run
//! # async fn demo() -> Result<(), gcops_emulator::Error> {
//! let emu = gcops_emulator::Emulator::builder().seed(gcops_emulator::SeedSize::Small).start().await?;
//! let dev = emu.credentials("dev").unwrap();
//! println!("{} {}", emu.base_url(), dev.client_id);
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

// `ApiError` mirrors the platform's full error body; it is built on the cold path of a request,
// so its size does not matter here.
#![allow(clippy::result_large_err)]

mod admin;
pub mod config;
mod crud;
pub mod error;
pub mod faults;
mod ids;
pub mod kinds;
mod models;
mod query;
mod ratelimit;
mod refs;
mod resources;
mod routes;
mod seed;
mod server;
mod state;
mod store;
mod time;
mod x509;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use config::{EmulatorConfig, OverLimit, PageLimits, RateLimits, SeedSize};
pub use faults::Fault;
pub use server::Counters;

use server::Shared;
use state::{Org, State, TokenInfo};
use store::Db;
use time::Clock;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot create the seed data: {0}")]
    Seed(error::ApiError),
    #[error("{0}")]
    Config(String),
}

/// One org's OAuth client, as `--ready-file` and the admin API report it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrgCredentials {
    pub client_id: String,
    pub client_secret: String,
    pub org_id: String,
}

pub struct Emulator;

/// A self-signed CA certificate (PEM) valid between two instants (ms since the epoch) — for
/// tests and fixtures that need certificates with chosen expiry dates.
pub fn ca_certificate_pem(common_name: &str, not_before_ms: i64, not_after_ms: i64) -> String {
    let seed = ids::fnv1a(common_name.as_bytes());
    let mut key = [0u8; 32];
    for (i, chunk) in key.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(seed.rotate_left(i as u32 * 13) ^ i as u64).to_le_bytes());
    }
    x509::self_signed_ca(
        key,
        seed >> 1,
        common_name,
        common_name,
        "US",
        not_before_ms,
        not_after_ms,
    )
}

impl Emulator {
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            config: EmulatorConfig::default(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

/// Configures and starts an emulator (on 127.0.0.1 and a free port unless told otherwise).
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    config: EmulatorConfig,
    addr: SocketAddr,
}

impl EmulatorBuilder {
    pub fn config(mut self, config: EmulatorConfig) -> Self {
        self.config = config;
        self
    }
    pub fn orgs<S: Into<String>>(mut self, orgs: impl IntoIterator<Item = S>) -> Self {
        self.config.orgs = orgs.into_iter().map(Into::into).collect();
        self
    }
    pub fn seed(mut self, size: SeedSize) -> Self {
        self.config.seed = size;
        self
    }
    pub fn seed_number(mut self, n: u64) -> Self {
        self.config.seed_number = n;
        self
    }
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.data_dir = Some(dir.into());
        self
    }
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.config.rate_limits = limits;
        self
    }
    /// Turns the per-minute limits off (tests that are not about rate limiting).
    pub fn unlimited(mut self) -> Self {
        self.config.rate_limits.enabled = false;
        self
    }
    pub fn page_limits(mut self, limits: PageLimits) -> Self {
        self.config.page_limits = limits;
        self
    }
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Opens (or creates and seeds) the state, binds, and serves in the background.
    pub async fn start(self) -> Result<EmulatorHandle, Error> {
        let config = self.config;
        if config.orgs.is_empty() {
            return Err(Error::Config(
                "at least one org is needed (--orgs dev,stage,prod)".into(),
            ));
        }
        let clock = Clock::default();
        let state = open_state(&config, &clock)?;
        let shared = Arc::new(Shared::new(state, config, clock));
        let listener = TcpListener::bind(self.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: self.addr,
                source,
            })?;
        let local = listener.local_addr().map_err(|source| Error::Bind {
            addr: self.addr,
            source,
        })?;
        let base_url = format!("http://{local}");
        let _ = shared.base_url.set(base_url.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let app_shared = shared.clone();
        let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
            let s = app_shared.clone();
            async move { server::handle(s, req).await }
        });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(EmulatorHandle {
            base_url,
            shared,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

fn open_state(config: &EmulatorConfig, clock: &Clock) -> Result<State, Error> {
    let mut db = Db::open(config.data_dir.as_deref())?;
    let mut orgs = BTreeMap::new();
    let now = clock.now_ms();
    for (i, name) in config.orgs.iter().enumerate() {
        if let Some(meta) = db.org_meta(name)? {
            let mut org = Org::from_meta(name, &meta)
                .ok_or_else(|| Error::Config(format!("the stored org '{name}' is unreadable")))?;
            for (kind, id, v) in db.entities(name)? {
                org.colls.entry(kind).or_default().insert(id, v);
            }
            orgs.insert(name.clone(), org);
            continue;
        }
        let mut org = Org::new(name, config.seed_number, ids::random_token(40));
        let mut changes = seed::init_org(&mut org, now, name).map_err(Error::Seed)?;
        if i == 0 {
            changes.extend(
                seed::populate(&mut org, config.seed, config.seed_number, now)
                    .map_err(Error::Seed)?,
            );
        }
        db.commit(name, &org.meta(), &changes)?;
        orgs.insert(name.clone(), org);
    }
    let mut tokens = HashMap::new();
    let mut token_seq = 0;
    for (t, info) in db.tokens()? {
        let (Some(org), Some(client_id), Some(expires_at), Some(ordinal)) = (
            info["org"].as_str(),
            info["client_id"].as_str(),
            info["expires_at"].as_i64(),
            info["ordinal"].as_u64(),
        ) else {
            continue;
        };
        token_seq = token_seq.max(ordinal);
        tokens.insert(
            t,
            TokenInfo {
                org: org.to_string(),
                client_id: client_id.to_string(),
                expires_at,
                ordinal,
            },
        );
    }
    Ok(State {
        orgs,
        tokens,
        token_seq,
        db,
    })
}

/// A running emulator. Dropping it stops the server too; [`shutdown`](Self::shutdown) waits.
pub struct EmulatorHandle {
    base_url: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT`: both the API base and the OAuth host.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn org_names(&self) -> Vec<String> {
        self.shared.lock().orgs.keys().cloned().collect()
    }

    pub fn credentials(&self, org: &str) -> Option<OrgCredentials> {
        let st = self.shared.lock();
        st.orgs.get(org).map(|o| OrgCredentials {
            client_id: o.client_id.clone(),
            client_secret: o.client_secret.clone(),
            org_id: o.id.clone(),
        })
    }

    /// The `--ready-file` document: base URL and every org's credentials.
    pub fn ready_info(&self) -> Value {
        let st = self.shared.lock();
        let orgs: serde_json::Map<String, Value> = st
            .orgs
            .values()
            .map(|o| (o.name.clone(), json!({"client_id": o.client_id, "client_secret": o.client_secret, "org_id": o.id})))
            .collect();
        let limits = self.shared.limiter.limits();
        json!({"base_url": self.base_url, "orgs": orgs, "rate_limits": limits})
    }

    pub fn inject(&self, fault: Fault) -> Fault {
        self.shared.faults.add(fault)
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    pub fn counters(&self) -> Counters {
        self.shared.counters.lock().expect("counters lock").clone()
    }

    pub fn reset_counters(&self) {
        *self.shared.counters.lock().expect("counters lock") = Counters::default();
    }

    pub fn set_rate_limits(&self, limits: RateLimits) {
        self.shared.limiter.set_limits(limits);
        self.shared.update_config(|c| c.rate_limits = limits);
    }

    pub fn set_page_limits(&self, limits: PageLimits) {
        self.shared.update_config(|c| c.page_limits = limits);
    }

    /// Moves the emulator's clock by `seconds` (tokens and certificates see the new time).
    pub fn advance_clock(&self, seconds: i64) {
        let c = &self.shared.clock;
        c.set_offset_ms(c.offset_ms() + seconds * 1000);
    }

    /// Restricts an org's OAuth client to `permissions` (`None`: everything).
    pub fn set_permissions(
        &self,
        org: &str,
        permissions: Option<Vec<String>>,
    ) -> Result<(), Error> {
        let mut st = self.shared.lock();
        let o = st
            .orgs
            .get_mut(org)
            .ok_or_else(|| Error::Config(format!("no org named '{org}'")))?;
        o.permissions = permissions;
        st.commit(org, vec![])
            .map_err(|e| Error::Config(e.to_string()))
    }

    /// Stops accepting connections and waits for the server to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Waits until the server stops (for `gcops emulator serve`).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
