//! One module per command; each has its clap `Args` next to the code that runs it.

mod apply;
mod emulator;
mod export;
mod fmt;
mod graph;
mod init;
mod plan;
mod schema;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a config repository (gcops.toml, id-mapping.json, environments/, domains/, scripts/) and git init it.
    Init(init::InitArgs),
    /// Export an environment's org into domains/ as canonical JSON, and update id-mapping.json.
    Export(export::ExportArgs),
    /// Rewrite every file under domains/ in canonical form, or check that it is (--check).
    Fmt(fmt::FmtArgs),
    /// Check the repository: schema, duplicates, dangling references, hard-coded ids,
    /// substitutions, compatibility, certificates, cycles. Exit 1 on any error.
    Validate(validate::ValidateArgs),
    /// The dry run: what apply would create, change and delete in an environment, in order,
    /// with every validation finding. Writes dry_run_report.json. Exit 0 no changes, 2 changes,
    /// 1 errors.
    Plan(plan::PlanArgs),
    /// Apply the repository (or a saved plan) to an environment: in dependency order, with a
    /// journal, rolling everything back if any step fails. Exit 0 applied, 1 error before any
    /// write, 3 failed and rolled back, 4 failed and not fully rolled back.
    Apply(apply::ApplyArgs),
    /// Undo what an apply run did, from its journal (also a run that was killed).
    Rollback(apply::RollbackArgs),
    /// Print the resource dependency graph (dot, mermaid or json).
    Graph(graph::GraphArgs),
    /// Write the JSON Schemas of every kind's file (for editor completion and checks).
    Schema(schema::SchemaArgs),
    /// Certificate checks for scheduled jobs.
    #[command(subcommand)]
    Certs(CertsCommand),
    /// Run the embedded Genesys Cloud API emulator (for demos and tests; no Genesys org needed).
    #[command(subcommand)]
    Emulator(emulator::EmulatorCommand),
}

#[derive(Debug, Subcommand)]
pub enum CertsCommand {
    /// Report certificate authorities (in the repository and the live org) that are expired or
    /// expire soon, and the trunks that use them. Exit 1 if any has expired.
    Check(validate::CertsCheckArgs),
}

/// Where the config repository is.
#[derive(Debug, Clone, Args)]
pub struct RepoArgs {
    /// The config repository (default: the current directory or the nearest parent with a gcops.toml).
    #[arg(long, value_name = "DIR", global = true)]
    pub repo: Option<PathBuf>,
}

impl RepoArgs {
    pub fn open(&self) -> anyhow::Result<gcops_repo::Repo> {
        let start = match &self.repo {
            Some(p) => p.clone(),
            None => std::env::current_dir()?,
        };
        Ok(gcops_repo::Repo::discover(&start)?)
    }
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Init(args) => init::run(args),
        Command::Export(args) => export::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Rollback(args) => apply::run_rollback(args),
        Command::Schema(args) => schema::run(args),
        Command::Certs(CertsCommand::Check(args)) => validate::run_certs(args),
        Command::Emulator(cmd) => emulator::run(cmd),
    }
}
