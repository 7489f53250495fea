//! `gcops fmt [--check]`: every file under domains/ in canonical form — sorted keys, 2-space
//! indent, trailing newline, objects sorted by natural key, set-like arrays sorted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::RepoArgs;
use crate::settings;

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Only report the files that are not canonical (exit 1 if any), change nothing.
    #[arg(long)]
    check: bool,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    repo: RepoArgs,
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            json_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    Ok(())
}

pub fn run(args: FmtArgs) -> anyhow::Result<ExitCode> {
    let repo = args.repo.open()?;
    let catalog = settings::catalog(&repo)?;
    let mut files = Vec::new();
    json_files(&repo.path("domains"), &mut files).context("cannot read domains/")?;
    files.sort();
    let mut not_canonical = Vec::new();
    let mut errors = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(&repo.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {rel}"))?;
        match gcops_engine::format::canonical_text(&catalog, &rel, &text) {
            Err(e) => errors.push(format!("{rel}: {e}")),
            Ok(c) if c != text => {
                if !args.check {
                    gcops_repo::files::write_atomic(path, &c)?;
                }
                not_canonical.push(rel);
            }
            Ok(_) => {}
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::json!({"checked": files.len(), "not_canonical": not_canonical, "rewritten": !args.check, "errors": errors})
        );
    } else {
        for f in &not_canonical {
            println!(
                "{} {f}",
                if args.check {
                    "not canonical:"
                } else {
                    "formatted"
                }
            );
        }
        for e in &errors {
            eprintln!("error: {e}");
        }
    }
    let bad = !errors.is_empty() || (args.check && !not_canonical.is_empty());
    Ok(if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
