//! `gcops init [DIR] [--emulator READY_FILE]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use gcops_repo::scaffold::{EmulatorTarget, scaffold};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory of the new config repository (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Point dev, stage and prod at a running emulator (its `gcops emulator serve --ready-file`).
    #[arg(long, value_name = "READY_FILE")]
    emulator: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let emulator = match &args.emulator {
        None => None,
        Some(path) => {
            let abs = std::path::absolute(path)?;
            let text = std::fs::read_to_string(&abs).with_context(|| {
                format!("cannot read the emulator ready file {}", abs.display())
            })?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not an emulator ready file", abs.display()))?;
            let base_url = v["base_url"]
                .as_str()
                .with_context(|| format!("{}: no base_url", abs.display()))?
                .to_string();
            let orgs: Vec<String> = v["orgs"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            anyhow::ensure!(!orgs.is_empty(), "{}: no orgs", abs.display());
            let l = &v["rate_limits"];
            let limits = match (
                l["token_per_minute"].as_u64(),
                l["client_per_minute"].as_u64(),
                l["time_scale"].as_f64(),
            ) {
                (Some(t), Some(c), Some(s)) if l["enabled"] != false => {
                    Some((t as u32, c as u32, s))
                }
                _ => None,
            };
            Some(EmulatorTarget {
                base_url,
                ready_file: abs.display().to_string(),
                orgs,
                limits,
            })
        }
    };
    let mut created = scaffold(&args.dir, emulator.as_ref())?;
    // JSON Schemas for editors (generated; rewritten by `gcops schema --out schemas`).
    for path in
        super::schema::write_schemas(&gcops_model::Catalog::builtin(), &args.dir.join("schemas"))?
    {
        created.push(
            path.strip_prefix(&args.dir)
                .unwrap_or(&path)
                .display()
                .to_string(),
        );
    }
    let git_initialized = gcops_repo::git::init(&args.dir)?;
    if args.json {
        println!(
            "{}",
            serde_json::json!({"dir": args.dir.display().to_string(), "created": created, "git_init": git_initialized})
        );
    } else {
        for f in &created {
            println!("created {f}");
        }
        if git_initialized {
            println!("initialized a git repository in {}", args.dir.display());
        }
        println!(
            "next: set GCOPS_DEV_CLIENT_ID and GCOPS_DEV_CLIENT_SECRET (or use --emulator), then `gcops export --env dev`"
        );
    }
    Ok(ExitCode::SUCCESS)
}
