//! Settings resolution: gcops.toml + environment variables + flags -> what a command needs.
//! The only place that reads environment variables.

use anyhow::{Context, bail};
use gcops_client::{ClientConfig, Limits, Secret};
use gcops_model::Catalog;
use gcops_repo::{Environment, Repo};

/// Everything needed to talk to one environment's org.
pub fn client_config(repo: &Repo, env: &str) -> anyhow::Result<ClientConfig> {
    let e = environment(repo, env)?;
    let (api_base, login_base) = match (&e.region, &e.api_base) {
        (Some(region), None) => gcops_model::regions::bases(region)
            .with_context(|| format!("environments.{env}.region: unknown region '{region}'"))?,
        (_, Some(base)) => (base.clone(), gcops_model::regions::login_base_for(base)),
        (None, None) => bail!("environments.{env} in gcops.toml has neither region nor api_base"),
    };
    let (id, secret) = credentials(repo, env, e)?;
    let mut cfg = ClientConfig::new(&api_base, &login_base, &id, secret);
    let c = &repo.config.client;
    cfg.token_pool = c.token_pool.max(1);
    cfg.limits = Limits {
        token_per_minute: c.token_rate_per_minute,
        client_per_minute: c.client_rate_per_minute,
        time_scale: c.time_scale,
    };
    cfg.max_retries = c.max_retries;
    Ok(cfg)
}

pub fn environment<'a>(repo: &'a Repo, env: &str) -> anyhow::Result<&'a Environment> {
    repo.config.environments.get(env).with_context(|| {
        let known: Vec<&str> = repo
            .config
            .environments
            .keys()
            .map(String::as_str)
            .collect();
        format!(
            "no environment '{env}' in {} (defined: {})",
            repo.root.join("gcops.toml").display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )
    })
}

/// Client id and secret from the environment variables the config names, or (for an emulator)
/// from its ready file. The secret is never logged or written anywhere.
fn credentials(repo: &Repo, env: &str, e: &Environment) -> anyhow::Result<(String, Secret)> {
    let id_var = e.client_id_var(env);
    let secret_var = e.client_secret_var(env);
    let id = std::env::var(&id_var).ok().filter(|v| !v.is_empty());
    let secret = std::env::var(&secret_var).ok().filter(|v| !v.is_empty());
    if let (Some(id), Some(secret)) = (id, secret) {
        return Ok((id, Secret::new(secret)));
    }
    if let Some(ready) = &e.emulator_ready_file {
        let path = repo.root.join(ready);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "environment {env}: {id_var}/{secret_var} are not set and the emulator ready file {} cannot be read (is the emulator running?)",
                path.display()
            )
        })?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: not an emulator ready file", path.display()))?;
        let org = e.emulator_org.clone().unwrap_or_else(|| env.to_string());
        let o = &v["orgs"][&org];
        if let (Some(id), Some(secret)) = (o["client_id"].as_str(), o["client_secret"].as_str()) {
            return Ok((id.to_string(), Secret::new(secret)));
        }
        bail!(
            "{}: no org '{org}' in the emulator ready file",
            path.display()
        );
    }
    bail!(
        "environment {env} needs OAuth client credentials: set the environment variables {id_var} and {secret_var} \
         (their names come from environments.{env} in gcops.toml)"
    )
}

/// The catalog with the user's reference rules.
pub fn catalog(repo: &Repo) -> anyhow::Result<Catalog> {
    Catalog::builtin()
        .with_rules(&repo.config.reference_rules())
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: [[references]]: {e}",
                repo.root.join("gcops.toml").display()
            )
        })
}

/// Kind ids from a comma list, checked against the catalog.
pub fn kinds(catalog: &Catalog, given: &[String]) -> anyhow::Result<Vec<String>> {
    let known: Vec<&str> = catalog.top_level().map(|k| k.id).collect();
    for k in given {
        if !known.contains(&k.as_str()) {
            bail!("unknown kind '{k}' (kinds: {})", known.join(", "));
        }
    }
    Ok(given.to_vec())
}
