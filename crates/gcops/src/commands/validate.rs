//! `gcops validate [--env ENV] [--json]` and `gcops certs check --env ENV`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use gcops_engine::validate::{self, Diagnostic, LiveOrg, Options, Severity, SourceFile};
use gcops_repo::Repo;

use super::RepoArgs;
use crate::settings;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Also check against this environment's live org (references to objects that exist only
    /// there, certificates as the platform reports them) and only its substitutions and release.
    #[arg(long)]
    env: Option<String>,
    /// Warn about certificate authorities that expire within this many days.
    #[arg(long, default_value_t = 30)]
    cert_warn_days: i64,
    /// Print the diagnostics as JSON on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    repo: RepoArgs,
}

#[derive(Debug, Args)]
pub struct CertsCheckArgs {
    /// The environment whose repository and live certificate authorities are checked.
    #[arg(long)]
    env: String,
    #[arg(long, default_value_t = 30)]
    cert_warn_days: i64,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    repo: RepoArgs,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    let repo = args.repo.open()?;
    let diags = check(&repo, args.env.as_deref(), args.cert_warn_days)?;
    report(&repo, &diags, args.json)
}

pub fn run_certs(args: CertsCheckArgs) -> anyhow::Result<ExitCode> {
    let repo = args.repo.open()?;
    let diags: Vec<Diagnostic> = check(&repo, Some(&args.env), args.cert_warn_days)?
        .into_iter()
        .filter(|d| d.code.starts_with("CERT_"))
        .collect();
    report(&repo, &diags, args.json)
}

/// Every JSON file under `domains/`, in path order.
pub fn read_domain_files(repo: &Repo) -> anyhow::Result<Vec<SourceFile>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> anyhow::Result<()> {
        if !dir.is_dir() {
            return Ok(());
        }
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out)?;
            } else if p.extension().is_some_and(|x| x == "json") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&p).with_context(|| format!("cannot read {rel}"))?;
                let text = String::from_utf8(bytes).map_err(|e| {
                    anyhow::anyhow!("{rel}: not UTF-8 (byte {})", e.utf8_error().valid_up_to())
                })?;
                out.push(SourceFile { rel, text });
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(&repo.root, &repo.path("domains"), &mut files)?;
    Ok(files)
}

fn check(repo: &Repo, env: Option<&str>, cert_warn_days: i64) -> anyhow::Result<Vec<Diagnostic>> {
    let catalog = settings::catalog(repo)?;
    let files = read_domain_files(repo)?;
    let envs: Vec<String> = match env {
        Some(e) => {
            settings::environment(repo, e)?;
            vec![e.to_string()]
        }
        None => repo.config.environments.keys().cloned().collect(),
    };
    let mut environments = Vec::new();
    for e in &envs {
        let values = gcops_repo::files::read_json(&repo.path(&format!("environments/{e}.json")))?;
        let release = repo
            .config
            .environments
            .get(e)
            .and_then(|x| x.platform_release.clone());
        environments.push((e.clone(), values, release));
    }
    let compat = gcops_repo::files::read_json(&repo.path("compat/platform-versions.json"))?;
    let live: Option<LiveOrg> = match env {
        None => None,
        Some(e) => {
            let client = gcops_client::Client::new(settings::client_config(repo, e)?)?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let live = rt
                .block_on(gcops_engine::live::fetch(&client, &catalog, e))
                .map_err(|(kind, err)| {
                    anyhow::anyhow!("cannot read {kind} from the {e} org: {err}")
                })?;
            Some(live)
        }
    };
    let opts = Options {
        environments,
        compat,
        include_org_specific: repo.config.export.include_org_specific,
        cert_warn_days,
        now_ms: now_ms(),
        live: live.as_ref(),
    };
    Ok(validate::validate(&catalog, &files, &opts))
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn report(repo: &Repo, diags: &[Diagnostic], json: bool) -> anyhow::Result<ExitCode> {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"errors": errors, "warnings": warnings, "diagnostics": diags})
            )?
        );
    } else {
        let mut texts: BTreeMap<&str, Option<String>> = BTreeMap::new();
        for d in diags {
            let text = texts
                .entry(d.file.as_str())
                .or_insert_with(|| std::fs::read_to_string(repo.path(&d.file)).ok());
            eprint!("{}", validate::render(d, text.as_deref()));
        }
        if errors == 0 && warnings == 0 {
            println!("valid: no errors, no warnings");
        } else {
            println!("{errors} errors, {warnings} warnings");
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
