//! `gcops apply --env ENV [PLAN_FILE] [--allow-delete] [--max-deletes N] [--yes]`.
//!
//! Exit codes: 0 applied (or nothing to do), 1 error before any write, 3 failed and rolled
//! back, 4 failed and not fully rolled back (the journal says what is left).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use clap::Args;
use gcops_engine::apply::{self, ApplyOptions, Journal, StepStatus};
use gcops_engine::plan::{self, Action};
use gcops_model::canonical::to_canonical_string;
use serde_json::{Value, json};

use super::RepoArgs;
use super::plan::{Prepared, prepare};

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The environment to change.
    #[arg(long)]
    env: String,
    /// A plan saved with `gcops plan -o`: apply exactly it, refusing every operation whose object
    /// changed in the org since the plan was made. Without it, apply plans afresh.
    plan_file: Option<PathBuf>,
    /// Let the plan delete objects that are in the org but not in Git.
    #[arg(long)]
    allow_delete: bool,
    /// Refuse plans that delete more than this many objects.
    #[arg(long, default_value_t = 10)]
    max_deletes: usize,
    /// Finish a run that was interrupted (killed, machine lost): re-plans against the org as it
    /// is now, so what the interrupted run did is not repeated, and records into its journal.
    #[arg(long, value_name = "JOURNAL", conflicts_with = "plan_file")]
    resume: Option<PathBuf>,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long)]
    yes: bool,
    #[arg(long)]
    json: bool,
    #[arg(long, default_value_t = 30)]
    cert_warn_days: i64,
    #[command(flatten)]
    repo: RepoArgs,
}

/// The run's journal: JSON lines, each flushed and fsynced before apply goes on.
struct FileJournal {
    file: Mutex<std::fs::File>,
}

impl Journal for FileJournal {
    fn record(&self, entry: &Value) -> Result<(), String> {
        let mut f = self
            .file
            .lock()
            .map_err(|_| "journal lock poisoned".to_string())?;
        writeln!(f, "{entry}").map_err(|e| e.to_string())?;
        f.sync_data().map_err(|e| e.to_string())
    }
}

fn journal_path(root: &Path, env: &str) -> PathBuf {
    let ts = super::validate::now_ms();
    root.join(".gcops/journal")
        .join(format!("{env}-{ts}.jsonl"))
}

pub fn run(args: ApplyArgs) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let Prepared {
        repo,
        catalog,
        client,
        live,
        desired,
        report: fresh,
    } = prepare(&args.repo, &args.env, args.cert_warn_days, &rt)?;
    if !fresh.errors.is_empty() {
        for d in &fresh.errors {
            eprintln!(
                "error[{}] {}:{}:{}: {}",
                d.code, d.file, d.line, d.column, d.message
            );
        }
        eprintln!(
            "error: the repository has {} errors (see `gcops validate --env {}`); nothing was changed",
            fresh.errors.len(),
            args.env
        );
        return Ok(ExitCode::from(1));
    }
    // With a saved plan: its operations, minus those whose object changed since.
    let mut refused = Vec::new();
    let report = match &args.plan_file {
        None => fresh.clone(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the plan {}", path.display()))?;
            let saved: Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a gcops plan", path.display()))?;
            anyhow::ensure!(
                saved["env"] == args.env.as_str(),
                "{} was made for environment {}, not {}",
                path.display(),
                saved["env"],
                args.env
            );
            let saved_ops: Vec<plan::Operation> =
                serde_json::from_value(saved["operations"].clone())
                    .with_context(|| format!("{}: unreadable operations", path.display()))?;
            let live_hash: BTreeMap<(&str, &str), String> = live
                .kinds
                .iter()
                .flat_map(|k| {
                    k.normalized.iter().map(move |(key, v)| {
                        (
                            (k.kind.as_str(), key.as_str()),
                            plan::fnv_hex(&to_canonical_string(v)),
                        )
                    })
                })
                .collect();
            let mut keep = Vec::new();
            for op in saved_ops {
                let now = live_hash.get(&(op.kind.as_str(), op.key.as_str()));
                let stale = match (&op.action, &op.precondition, now) {
                    (Action::Create, _, Some(_)) => Some("it exists in the org now"),
                    (_, Some(p), Some(n)) if p != n => Some("it changed in the org since the plan"),
                    (Action::Update | Action::Delete, _, None) => Some("it is gone from the org"),
                    _ => None,
                };
                match stale {
                    Some(why) => {
                        let action = format!("{:?}", op.action).to_lowercase();
                        refused.push(format!("{action} {} '{}': {why}", op.kind, op.key));
                    }
                    None => keep.push(op),
                }
            }
            let mut r = fresh.clone();
            r.operations = keep;
            r
        }
    };
    for r in &refused {
        eprintln!("refused: {r}");
    }
    if report.operations.is_empty() {
        println!(
            "{}",
            if refused.is_empty() {
                "nothing to apply: the org matches the repository"
            } else {
                "nothing left to apply"
            }
        );
        return Ok(if refused.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "apply changes {}: pass --yes to confirm when not running in a terminal",
                args.env
            );
        }
        print!("{}", plan::render_human(&report));
        print!(
            "Apply these {} operations to {}? [y/N] ",
            report.operations.len(),
            args.env
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "yes") {
            println!("nothing was changed");
            return Ok(ExitCode::from(1));
        }
    }
    let path = match &args.resume {
        Some(j) => {
            let entries = read_journal(j)?;
            let env = entries
                .iter()
                .find(|e| e["phase"] == "start")
                .and_then(|e| e["env"].as_str())
                .unwrap_or_default();
            anyhow::ensure!(
                env == args.env,
                "{} is a journal of environment '{env}', not {}",
                j.display(),
                args.env
            );
            j.clone()
        }
        None => journal_path(&repo.root, &args.env),
    };
    std::fs::create_dir_all(path.parent().expect("journal dir"))?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open the journal {}", path.display()))?;
    let journal = Arc::new(FileJournal {
        file: Mutex::new(file),
    });
    journal
        .record(&json!({"phase": "start", "env": args.env, "plan_hash": report.plan_hash}))
        .map_err(anyhow::Error::msg)?;
    let opts = ApplyOptions {
        allow_delete: args.allow_delete,
        max_deletes: args.max_deletes,
    };
    let outcome = rt.block_on(apply::apply(
        &client,
        &catalog,
        &report,
        &desired,
        &live,
        &opts,
        journal.clone(),
    ));

    // The id map learns the environment's ids (also after a rollback: it then matches the org).
    let mut idmap = gcops_repo::files::read_idmap(&repo.root)?;
    for (kind, ids) in &outcome.ids {
        if catalog.get(kind).is_some() {
            idmap.sync_kind(kind, &args.env, ids);
        }
    }
    gcops_repo::files::write_idmap(&repo.root, &idmap)?;

    let code = if let Some(why) = &outcome.refused {
        eprintln!("error: {why}");
        1
    } else if !outcome.failed {
        0
    } else if outcome.rolled_back {
        3
    } else {
        4
    };
    let _ = journal.record(&json!({"phase": "end", "exit": code}));
    let stats = client.stats();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "env": args.env, "exit": code, "outcome": outcome, "refused": refused,
                "journal": path.display().to_string(), "requests": stats,
            }))?
        );
    } else {
        for s in &outcome.steps {
            let status = match s.status {
                StepStatus::Done => "done",
                StepStatus::Failed => "FAILED",
                StepStatus::RolledBack => "rolled back",
                StepStatus::RollbackFailed => "ROLLBACK FAILED",
            };
            println!(
                "{status:>15}  {:?} {} '{}'{}",
                s.action,
                s.kind,
                s.key,
                s.error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            );
        }
        match code {
            0 => println!(
                "applied {} operations to {} ({} requests); journal {}",
                outcome.steps.len(),
                args.env,
                stats.requests,
                path.display()
            ),
            3 => eprintln!(
                "error: apply failed; everything it had done was rolled back (journal {})",
                path.display()
            ),
            4 => eprintln!(
                "error: apply failed and could not undo everything: see the journal {}",
                path.display()
            ),
            _ => {}
        }
    }
    Ok(ExitCode::from(code))
}

/// Reads a journal (JSON lines; a torn last line from a crash is ignored).
pub fn read_journal(path: &Path) -> anyhow::Result<Vec<Value>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the journal {}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The journal of the run to undo (`.gcops/journal/<env>-<time>.jsonl`).
    journal: PathBuf,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long)]
    yes: bool,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    repo: RepoArgs,
}

/// `gcops rollback JOURNAL`: undo what a run did, newest first (exit 0 done, 4 if something
/// could not be undone).
pub fn run_rollback(args: RollbackArgs) -> anyhow::Result<ExitCode> {
    let repo = args.repo.open()?;
    let catalog = crate::settings::catalog(&repo)?;
    let entries = read_journal(&args.journal)?;
    let env = entries
        .iter()
        .find(|e| e["phase"] == "start")
        .and_then(|e| e["env"].as_str())
        .with_context(|| {
            format!(
                "{} has no start entry: not a gcops journal",
                args.journal.display()
            )
        })?
        .to_string();
    if !args.yes && !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "rollback changes {env}: pass --yes to confirm when not running in a terminal"
        );
    }
    let client = gcops_client::Client::new(crate::settings::client_config(&repo, &env)?)?;
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&args.journal)?;
    let journal = Arc::new(FileJournal {
        file: Mutex::new(file),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let outcome = rt.block_on(apply::rollback(&client, &catalog, &entries, journal));
    let code = if outcome.rolled_back { 0 } else { 4 };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"env": env, "exit": code, "outcome": outcome}))?
        );
    } else {
        for s in &outcome.steps {
            println!(
                "{:?} {} '{}': {:?}{}",
                s.action,
                s.kind,
                s.key,
                s.status,
                s.error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            );
        }
        println!(
            "{} steps undone in {env}{}",
            outcome.steps.len(),
            if code == 0 {
                ""
            } else {
                "; some could not be undone (see above)"
            }
        );
    }
    Ok(ExitCode::from(code))
}
