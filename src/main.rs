//! Entry point: logging, command line, then the library does the work.

use clap::Parser;
use referentiel_jeunesse::{commands, config::Cli};

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tantivy=warn".into()),
        )
        .init();
    commands::run(Cli::parse())
}
