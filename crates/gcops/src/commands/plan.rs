//! `gcops plan --env ENV [-o plan.json] [--format human|json|markdown]`: the dry run.
//!
//! Exit codes (like `terraform plan -detailed-exitcode`): 0 no changes, 2 changes, 1 errors.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use gcops_engine::plan::{self, Report};
use gcops_engine::validate::{self, LiveOrg, Options};
use gcops_engine::{ExportOptions, NoProgress};
use gcops_model::canonical::to_canonical_string;
use gcops_model::catalog::natural_key;
use serde_json::Value;

use super::RepoArgs;
use super::validate::{now_ms, read_domain_files};
use crate::settings;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The environment to plan against (its org is read, never written).
    #[arg(long)]
    env: String,
    /// Also save the plan here (for `gcops apply PLAN_FILE`).
    #[arg(short = 'o', long = "out", value_name = "PLAN_FILE")]
    out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Warn about certificate authorities that expire within this many days.
    #[arg(long, default_value_t = 30)]
    cert_warn_days: i64,
    #[command(flatten)]
    repo: RepoArgs,
}

/// Everything plan and apply need: the live export, the desired objects and the plan.
pub struct Prepared {
    pub repo: gcops_repo::Repo,
    pub catalog: gcops_model::Catalog,
    pub client: gcops_client::Client,
    pub live: gcops_engine::ExportResult,
    pub desired: BTreeMap<String, BTreeMap<String, Value>>,
    pub report: Report,
}

pub fn prepare(
    repo_args: &RepoArgs,
    env_name: &str,
    cert_warn_days: i64,
    rt: &tokio::runtime::Runtime,
) -> anyhow::Result<Prepared> {
    let repo = repo_args.open()?;
    let catalog = settings::catalog(&repo)?;
    let env = settings::environment(&repo, env_name)?.clone();
    let files = read_domain_files(&repo)?;
    // Scope: the kinds the repository has files for (or gcops.toml's export.kinds).
    let kinds: Vec<String> = match &repo.config.export.kinds {
        Some(k) => settings::kinds(&catalog, k)?,
        None => catalog
            .top_level()
            .filter(|k| files.iter().any(|f| Some(f.rel.as_str()) == k.file))
            .map(|k| k.id.to_string())
            .collect(),
    };
    let client_config = settings::client_config(&repo, env_name)?;
    let limits = client_config.limits;
    let pool = client_config.token_pool as f64;
    let client = gcops_client::Client::new(client_config)?;
    let idmap = gcops_repo::files::read_idmap(&repo.root)?;
    let opts = ExportOptions {
        env: env_name.to_string(),
        kinds: kinds.clone(),
        include_org_specific: repo.config.export.include_org_specific,
        ignore: repo.config.ignore.clone(),
    };
    let live = rt.block_on(gcops_engine::export(
        &client,
        &catalog,
        &idmap,
        &opts,
        Arc::new(NoProgress),
    ));
    if let Some(k) = live.kinds.iter().find(|k| k.error.is_some()) {
        anyhow::bail!(
            "cannot read {} from the {env_name} org: {}",
            k.kind,
            k.error.as_deref().unwrap_or("")
        );
    }

    let values =
        gcops_repo::files::read_json(&repo.path(&format!("environments/{env_name}.json")))?;
    let live_org = LiveOrg {
        env: env_name.to_string(),
        keys: live.live_keys.clone(),
        certificates: live.certificates.clone(),
    };
    let diagnostics = validate::validate(
        &catalog,
        &files,
        &Options {
            environments: vec![(
                env_name.to_string(),
                values.clone(),
                env.platform_release.clone(),
            )],
            compat: gcops_repo::files::read_json(&repo.path("compat/platform-versions.json"))?,
            include_org_specific: repo.config.export.include_org_specific,
            cert_warn_days,
            now_ms: now_ms(),
            live: Some(&live_org),
        },
    );

    // Desired state: the repository's objects with the environment's values substituted.
    let mut desired: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    let subst = values.unwrap_or(Value::Object(Default::default()));
    for spec in catalog
        .top_level()
        .filter(|k| kinds.iter().any(|s| s == k.id))
    {
        let Some(f) = files.iter().find(|f| Some(f.rel.as_str()) == spec.file) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(&f.text) else {
            continue;
        }; // reported by validate
        let items = match v {
            Value::Array(a) => a,
            o => vec![o],
        };
        let objs = desired.entry(spec.id.to_string()).or_default();
        for mut item in items {
            plan::substitute(&mut item, &subst);
            gcops_model::ignore::apply(
                &repo.config.ignore,
                spec.id,
                &natural_key(spec, &item).unwrap_or_default(),
                &mut item,
            );
            if let Some(key) = natural_key(spec, &item) {
                objs.insert(key, item);
            }
        }
    }
    let allowed =
        (pool * limits.token_per_minute as f64).min(limits.client_per_minute as f64) / 60.0 * 0.9;
    let report: Report = plan::plan(&catalog, env_name, &desired, &live, diagnostics, allowed);
    Ok(Prepared {
        repo,
        catalog,
        client,
        live,
        desired,
        report,
    })
}

pub fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let Prepared { repo, report, .. } = prepare(&args.repo, &args.env, args.cert_warn_days, &rt)?;
    let json = to_canonical_string(&plan::to_json(&report));
    gcops_repo::files::write_atomic(&repo.path("dry_run_report.json"), &json)?;
    if let Some(out) = &args.out {
        gcops_repo::files::write_atomic(out, &json)?;
    }
    match args.format {
        Format::Human => print!("{}", plan::render_human(&report)),
        Format::Json => print!("{json}"),
        Format::Markdown => print!("{}", plan::render_markdown(&report)),
    }
    Ok(if report.summary.errors > 0 {
        ExitCode::from(1)
    } else if report.has_changes() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
