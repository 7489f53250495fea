//! `gcops.toml`. Secrets are never stored here: each environment names the environment
//! variables that hold its OAuth client id and secret.

use std::collections::BTreeMap;

use gcops_model::IgnoreRule;
use gcops_model::catalog::{RefRule, Shape};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    #[serde(default)]
    pub export: ExportSettings,
    #[serde(default)]
    pub client: ClientSettings,
    #[serde(default)]
    pub ignore: Vec<IgnoreRule>,
    /// Extra references (for example trunk properties that hold certificate-authority ids).
    #[serde(default)]
    pub references: Vec<ReferenceRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// A Genesys Cloud region (`us-east-1`, `eu-west-1`, …); or give `api_base`.
    #[serde(default)]
    pub region: Option<String>,
    /// The API base URL (an emulator, or a region not listed yet).
    #[serde(default)]
    pub api_base: Option<String>,
    /// Environment variable holding the OAuth client id (default `GCOPS_<ENV>_CLIENT_ID`).
    #[serde(default)]
    pub client_id_env: Option<String>,
    /// Environment variable holding the OAuth client secret (default `GCOPS_<ENV>_CLIENT_SECRET`).
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// The Git branch holding this environment's configuration (default: the environment name).
    #[serde(default)]
    pub branch: Option<String>,
    /// The platform release this environment is pinned to (compatibility matrix).
    #[serde(default)]
    pub platform_release: Option<String>,
    /// For an emulator: its `--ready-file`, read for the credentials when the environment
    /// variables are not set.
    #[serde(default)]
    pub emulator_ready_file: Option<String>,
    /// For an emulator: the org of the ready file (default: the environment name).
    #[serde(default)]
    pub emulator_org: Option<String>,
}

impl Environment {
    pub fn client_id_var(&self, env: &str) -> String {
        self.client_id_env
            .clone()
            .unwrap_or_else(|| format!("GCOPS_{}_CLIENT_ID", env_var_part(env)))
    }
    pub fn client_secret_var(&self, env: &str) -> String {
        self.client_secret_env
            .clone()
            .unwrap_or_else(|| format!("GCOPS_{}_CLIENT_SECRET", env_var_part(env)))
    }
    pub fn branch(&self, env: &str) -> String {
        self.branch.clone().unwrap_or_else(|| env.to_string())
    }
}

fn env_var_part(env: &str) -> String {
    env.to_uppercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSettings {
    /// Kinds in scope (default: every kind).
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
    /// Keep fields that belong to one org (its name and domain, …). Off by default.
    #[serde(default)]
    pub include_org_specific: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    /// OAuth tokens used in rotation (per-token limits multiply, up to the client limit).
    #[serde(default = "default_pool")]
    pub token_pool: usize,
    #[serde(default = "default_token_rate")]
    pub token_rate_per_minute: u32,
    #[serde(default = "default_client_rate")]
    pub client_rate_per_minute: u32,
    /// Only for emulators started with `--time-scale`.
    #[serde(default = "default_scale")]
    pub time_scale: f64,
    #[serde(default = "default_retries")]
    pub max_retries: u32,
}

fn default_pool() -> usize {
    10
}
fn default_token_rate() -> u32 {
    300
}
fn default_client_rate() -> u32 {
    3000
}
fn default_scale() -> f64 {
    1.0
}
fn default_retries() -> u32 {
    6
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            token_pool: default_pool(),
            token_rate_per_minute: default_token_rate(),
            client_rate_per_minute: default_client_rate(),
            time_scale: default_scale(),
            max_retries: default_retries(),
        }
    }
}

/// `[[references]]`: a user-defined reference rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRule {
    pub kind: String,
    /// JSON Pointer pattern of the holder (`*` = any element or key).
    pub path: String,
    pub target: String,
    #[serde(default = "default_shape")]
    pub shape: Shape,
    #[serde(default = "yes")]
    pub optional: bool,
}

fn default_shape() -> Shape {
    Shape::Id
}
fn yes() -> bool {
    true
}

impl Config {
    /// Parses and checks `gcops.toml`; errors name the line and what to change.
    pub fn parse(text: &str) -> Result<Config, String> {
        let c: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        for (name, env) in &c.environments {
            match (&env.region, &env.api_base) {
                (Some(r), None) if gcops_model::regions::bases(r).is_none() => {
                    let known: Vec<&str> = gcops_model::regions::REGIONS
                        .iter()
                        .map(|(r, _)| *r)
                        .collect();
                    return Err(format!(
                        "environments.{name}.region: unknown region '{r}' (known: {})",
                        known.join(", ")
                    ));
                }
                (None, None) => {
                    return Err(format!(
                        "environments.{name}: give a region (e.g. \"us-east-1\") or an api_base URL"
                    ));
                }
                (Some(_), Some(_)) => {
                    return Err(format!(
                        "environments.{name}: give either region or api_base, not both"
                    ));
                }
                _ => {}
            }
        }
        for (i, r) in c.ignore.iter().enumerate() {
            r.check().map_err(|e| format!("ignore[{i}]: {e}"))?;
        }
        Ok(c)
    }

    /// The user's reference rules in catalog form.
    pub fn reference_rules(&self) -> Vec<(String, RefRule)> {
        self.references
            .iter()
            .map(|r| {
                (
                    r.kind.clone(),
                    RefRule {
                        path: r.path.clone(),
                        target: r.target.clone(),
                        shape: r.shape,
                        optional: r.optional,
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_explains_mistakes() {
        let c = Config::parse(
            r#"
[environments.dev]
region = "eu-west-1"
[environments.stage]
api_base = "http://127.0.0.1:8080"
client_id_env = "STAGE_ID"
[[ignore]]
kind = "routing/queues"
pointer = "/mediaSettings"
[[references]]
kind = "telephony/trunks"
path = "/properties/x/value/instance/*"
target = "telephony/certificate-authorities"
"#,
        )
        .unwrap();
        assert_eq!(
            c.environments["dev"].client_secret_var("dev"),
            "GCOPS_DEV_CLIENT_SECRET"
        );
        assert_eq!(c.environments["stage"].client_id_var("stage"), "STAGE_ID");
        assert_eq!(c.reference_rules()[0].1.shape, Shape::Id);
        let e = Config::parse("[environments.dev]\nregion = \"mars-1\"\n").unwrap_err();
        assert!(
            e.contains("unknown region 'mars-1'") && e.contains("eu-west-1"),
            "{e}"
        );
        let e = Config::parse("[environments.dev]\nregoin = \"us-east-1\"\n").unwrap_err();
        assert!(e.contains("regoin"), "{e}");
        assert!(Config::parse("[[ignore]]\npointer = \"nope\"\n").is_err());
    }
}
