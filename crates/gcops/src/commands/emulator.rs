//! `gcops emulator serve`.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use gcops_emulator::{Emulator, OverLimit, PageLimits, RateLimits, SeedSize};

#[derive(Debug, Subcommand)]
pub enum EmulatorCommand {
    /// Serve the emulated API until interrupted (Ctrl-C or SIGTERM).
    ///
    /// Prints the base URL (the API and OAuth host) and each org's client id and secret.
    /// State persists in --data across restarts; without --data it lives in memory.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind. Keep the default unless other machines must reach it.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Directory for the persistent state (SQLite). Created if missing.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Orgs to emulate, each with its own OAuth client. The first receives the seed.
    #[arg(long, value_delimiter = ',', default_value = "dev,stage,prod")]
    orgs: Vec<String>,
    /// Seed data for the first org: empty (built-ins only), small (~50 objects) or large.
    #[arg(long, default_value = "empty")]
    seed: SeedSize,
    /// Seed number: the same number gives the same seed data.
    #[arg(long, default_value_t = 1)]
    seed_number: u64,
    /// Write {"base_url", "orgs": {name: {client_id, client_secret, org_id}}} here once
    /// connections are accepted.
    #[arg(long, value_name = "PATH")]
    ready_file: Option<PathBuf>,
    /// Requests per token per minute (the platform default is 300).
    #[arg(long, default_value_t = 300)]
    token_rate: u32,
    /// Requests per OAuth client per minute (the platform default is 3,000).
    #[arg(long, default_value_t = 3000)]
    client_rate: u32,
    /// Emulated minutes per real minute for the rate limits (60: a "minute" lasts a second).
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Turn the rate limits off.
    #[arg(long)]
    no_rate_limits: bool,
    /// Largest pageSize where the real maximum is undocumented.
    #[arg(long, default_value_t = 500)]
    max_page_size: u32,
    /// Serve the maximum instead of answering 400 when pageSize is above it.
    #[arg(long)]
    clamp_page_size: bool,
}

pub fn run(cmd: EmulatorCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        EmulatorCommand::Serve(args) => serve(args),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let mut builder = Emulator::builder()
            .addr(SocketAddr::new(args.bind, args.port))
            .orgs(
                args.orgs
                    .iter()
                    .map(|o| o.trim().to_string())
                    .filter(|o| !o.is_empty()),
            )
            .seed(args.seed)
            .seed_number(args.seed_number)
            .rate_limits(RateLimits {
                token_per_minute: args.token_rate,
                client_per_minute: args.client_rate,
                time_scale: args.time_scale,
                enabled: !args.no_rate_limits,
            })
            .page_limits(PageLimits {
                default_max: args.max_page_size,
                over_limit: if args.clamp_page_size {
                    OverLimit::Clamp
                } else {
                    OverLimit::Reject
                },
                ..PageLimits::default()
            });
        if let Some(dir) = &args.data {
            builder = builder.data_dir(dir);
        }
        let emu = builder.start().await.context("cannot start the emulator")?;
        let info = emu.ready_info();
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Genesys Cloud API emulator listening on {}",
            emu.base_url()
        )?;
        for (name, creds) in info["orgs"].as_object().into_iter().flatten() {
            writeln!(
                out,
                "  org {name}: client_id={} client_secret={}",
                creds["client_id"].as_str().unwrap_or_default(),
                creds["client_secret"].as_str().unwrap_or_default()
            )?;
        }
        writeln!(
            out,
            "Admin API: {}/_emulator/info  (Ctrl-C stops)",
            emu.base_url()
        )?;
        out.flush()?;
        drop(out);
        if let Some(path) = &args.ready_file {
            write_atomically(path, &format!("{:#}\n", info))
                .with_context(|| format!("cannot write the ready file {}", path.display()))?;
        }
        shutdown_signal().await;
        emu.shutdown().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// Writes via a temporary file and a rename, so readers never see half a file.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
