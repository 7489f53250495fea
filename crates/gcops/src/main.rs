//! `gcops`: GitOps for Genesys Cloud CX configuration.

mod commands;
mod printer;
mod settings;

use std::process::ExitCode;

use clap::Parser;

/// GitOps for Genesys Cloud CX configuration: export an org into Git as clean, deterministic
/// JSON, validate it, plan and apply changes in dependency order, detect drift, promote between
/// environments.
///
/// Exit codes: 0 success, 1 error (nothing or only part of the work was done; the message says
/// which), 2 usage error.
#[derive(Debug, Parser)]
#[command(name = "gcops", version, propagate_version = true)]
struct Cli {
    /// Log every API request (method, path, status, time; never a token or secret) to stderr.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = if cli.verbose {
        tracing::Level::DEBUG
    } else {
        tracing::Level::WARN
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_max_level(level)
        .init();
    match commands::run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
