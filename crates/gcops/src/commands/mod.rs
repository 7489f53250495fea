//! One module per command; each has its clap `Args` next to the code that runs it.

mod emulator;

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the embedded Genesys Cloud API emulator (for demos and tests; no Genesys org needed).
    #[command(subcommand)]
    Emulator(emulator::EmulatorCommand),
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Emulator(cmd) => emulator::run(cmd),
    }
}
