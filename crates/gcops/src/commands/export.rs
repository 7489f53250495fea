//! `gcops export --env ENV [--kinds …]`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use gcops_engine::{ExportOptions, refs::rewrite_renames};
use gcops_model::canonical::to_canonical_string;
use gcops_repo::files::{read_idmap, read_json, write_atomic, write_idmap};
use serde_json::{Value, json};

use super::RepoArgs;
use crate::printer::KindProgress;
use crate::settings;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The environment to export (a name under [environments] in gcops.toml).
    #[arg(long)]
    env: String,
    /// Only these kinds (comma-separated, e.g. routing/queues,routing/skills).
    #[arg(long, value_delimiter = ',')]
    kinds: Vec<String>,
    /// Print a machine-readable summary on stdout (no progress output).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    repo: RepoArgs,
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let repo = args.repo.open()?;
    let catalog = settings::catalog(&repo)?;
    let given = if args.kinds.is_empty() {
        repo.config.export.kinds.clone().unwrap_or_default()
    } else {
        args.kinds.clone()
    };
    let kinds = settings::kinds(&catalog, &given)?;
    let client = gcops_client::Client::new(settings::client_config(&repo, &args.env)?)?;
    let idmap = read_idmap(&repo.root)?;
    let opts = ExportOptions {
        env: args.env.clone(),
        kinds,
        include_org_specific: repo.config.export.include_org_specific,
        ignore: repo.config.ignore.clone(),
    };
    let started = Instant::now();
    let progress = Arc::new(KindProgress::new(args.json));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = rt.block_on(gcops_engine::export(
        &client, &catalog, &idmap, &opts, progress,
    ));
    let elapsed = started.elapsed();

    // Files: only kinds that succeeded are written; a failed kind keeps its file.
    let mut changed = Vec::new();
    for k in &result.kinds {
        let Some(text) = &k.text else { continue };
        let path = repo.path(&k.file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            write_atomic(&path, text)?;
            changed.push(k.file.clone());
        }
    }
    // Renames: rewrite references in the files of kinds this run did not export.
    let mut rewritten = Vec::new();
    if !result.renames.is_empty() {
        for spec in catalog
            .top_level()
            .filter(|s| !result.kinds.iter().any(|k| k.kind == s.id))
        {
            let file = spec.file.expect("top-level kinds have a file");
            let path = repo.path(file);
            let Some(mut v) = read_json(&path)? else {
                continue;
            };
            let mut n = 0;
            match &mut v {
                Value::Array(items) => {
                    for item in items {
                        n += rewrite_renames(&catalog, spec, item, &result.renames);
                    }
                }
                obj => n += rewrite_renames(&catalog, spec, obj, &result.renames),
            }
            if n > 0 {
                write_atomic(&path, &to_canonical_string(&v))?;
                rewritten.push(file.to_string());
            }
        }
    }
    write_idmap(&repo.root, &result.idmap)?;

    let stats = client.stats();
    let failed: Vec<&str> = result
        .kinds
        .iter()
        .filter(|k| k.error.is_some())
        .map(|k| k.kind.as_str())
        .collect();
    if args.json {
        let summary = json!({
            "env": args.env,
            "kinds": result.kinds,
            "changed_files": changed,
            "rewritten_files": rewritten,
            "renames": result.renames,
            "warnings": result.warnings,
            "requests": stats,
            "min_requests": result.min_requests(),
            "seconds": (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
            "ok": failed.is_empty(),
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        for w in &result.warnings {
            eprintln!(
                "warning: {} {} '{}' {}: {}",
                w.code, w.kind, w.key, w.pointer, w.message
            );
        }
        for r in &result.renames {
            println!("renamed {}: '{}' -> '{}'", r.kind, r.from, r.to);
        }
        let objects: usize = result.kinds.iter().map(|k| k.objects).sum();
        println!(
            "exported {objects} objects of {} kinds from {} in {:.1}s: {} requests (minimum {}), {} retried, {} throttled; {} files changed",
            result.kinds.len() - failed.len(),
            args.env,
            elapsed.as_secs_f64(),
            stats.requests,
            result.min_requests(),
            stats.retries,
            stats.throttled,
            changed.len() + rewritten.len(),
        );
        for k in result.kinds.iter().filter(|k| k.error.is_some()) {
            eprintln!(
                "error: {} was not exported (its file is unchanged): {}",
                k.kind,
                k.error.as_deref().unwrap_or("")
            );
        }
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
