//! Emulator settings. Everything the real API leaves unknown (page-size maxima, name-filter
//! semantics) is a setting here, with a documented default.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::kinds::NameFilter;

/// Which seed data to load into the first org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SeedSize {
    /// Only the built-in objects every new org has.
    #[default]
    Empty,
    /// About 50 objects: every kind and every kind of reference.
    Small,
    /// 2,000 queues, 500 skills, 300 wrap-up codes, 200 flows, 50 trunks, 20 sites, 20 CAs, 10 divisions.
    Large,
}

impl std::str::FromStr for SeedSize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "empty" => Ok(SeedSize::Empty),
            "small" => Ok(SeedSize::Small),
            "large" => Ok(SeedSize::Large),
            other => Err(format!(
                "unknown seed size '{other}' (expected empty, small or large)"
            )),
        }
    }
}

/// The platform's per-minute request limits (namespace `platform.api`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateLimits {
    /// `client.credentials.token.rate.per.minute` (default 300).
    pub token_per_minute: u32,
    /// `org.app.user.rate.per.minute`, per OAuth client (default 3,000).
    pub client_per_minute: u32,
    /// How many emulated minutes pass per real minute: 60 makes a "minute" last one second,
    /// so tests keep the real ratios at a fraction of the time.
    pub time_scale: f64,
    pub enabled: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            token_per_minute: 300,
            client_per_minute: 3000,
            time_scale: 1.0,
            enabled: true,
        }
    }
}

/// What happens when `pageSize` is above the endpoint's maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OverLimit {
    /// 400 `invalid.value` naming the maximum.
    #[default]
    Reject,
    /// Serve the maximum instead (the envelope's `pageSize` says so).
    Clamp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageLimits {
    /// Maximum page size where the API documents none (the real maximum is unknown).
    pub default_max: u32,
    /// Per kind (`routing/queues`, …) overrides.
    pub per_kind: BTreeMap<String, u32>,
    pub over_limit: OverLimit,
}

impl Default for PageLimits {
    fn default() -> Self {
        PageLimits {
            default_max: 500,
            per_kind: BTreeMap::new(),
            over_limit: OverLimit::Reject,
        }
    }
}

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Org names; the first one receives the seed.
    pub orgs: Vec<String>,
    pub seed: SeedSize,
    pub seed_number: u64,
    /// Where state persists (SQLite). `None` keeps it in memory.
    pub data_dir: Option<PathBuf>,
    pub rate_limits: RateLimits,
    pub token_ttl_secs: u64,
    pub max_body_bytes: usize,
    pub page_limits: PageLimits,
    /// Per kind overrides of the `name` filter semantics.
    pub name_filters: BTreeMap<String, NameFilter>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            orgs: vec!["dev".into(), "stage".into(), "prod".into()],
            seed: SeedSize::Empty,
            seed_number: 1,
            data_dir: None,
            rate_limits: RateLimits::default(),
            token_ttl_secs: 86_399,
            max_body_bytes: 512_000,
            page_limits: PageLimits::default(),
            name_filters: BTreeMap::new(),
        }
    }
}
