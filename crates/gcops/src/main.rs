//! `gcops`: GitOps for Genesys Cloud CX configuration.

mod commands;

use std::process::ExitCode;

use clap::Parser;

/// GitOps for Genesys Cloud CX configuration: export an org into Git as clean JSON, validate
/// it, plan and apply changes in dependency order, detect drift, promote between environments.
#[derive(Debug, Parser)]
#[command(name = "gcops", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
