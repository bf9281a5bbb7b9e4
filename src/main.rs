//! Entry point: logging, command line, then the library does the work.

use std::io::IsTerminal;

use clap::Parser;
use referentiel_jeunesse::{commands, config::Cli};

/// mimalloc instead of glibc's allocator: a page or a search allocates many small short-lived
/// values, and glibc's `malloc`/`free`/`malloc_consolidate` took a quarter of the server's
/// time under load (`scripts/load/profile.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Colours only for a terminal: a journal or a log file gets plain lines.
    tracing_subscriber::fmt()
        .with_ansi(std::io::stdout().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tantivy=warn".into()),
        )
        .init();
    commands::run(Cli::parse())
}
