//! Command line: `serve` (default), `check`, `index`; every option has an environment name.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Référentiel des dispositifs jeunesse du Pas-de-Calais.
#[derive(Debug, Parser)]
#[command(name = "referentiel", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (default).
    Serve(ServeArgs),
    /// Validate the data, print every problem and a summary; non-zero exit when invalid.
    Check(DataArgs),
    /// Build the on-disk search index and exit.
    Index(IndexArgs),
}

#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Folder of the JSON data.
    #[arg(long, env = "REFERENTIEL_DATA", default_value = "data")]
    pub data: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Folder of the on-disk search index.
    #[arg(long, env = "REFERENTIEL_INDEX", default_value = "index")]
    pub index: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REFERENTIEL_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Public base URL, used in canonical links, sitemap and QR codes.
    #[arg(
        long,
        env = "REFERENTIEL_BASE_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub base_url: String,
    /// Watch `data/` and reload when a file changes.
    #[arg(long, env = "REFERENTIEL_WATCH")]
    pub watch: bool,
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            addr: ([127, 0, 0, 1], 3000).into(),
            index: IndexArgs {
                data: DataArgs {
                    data: "data".into(),
                },
                index: "index".into(),
            },
            base_url: "http://127.0.0.1:3000".into(),
            watch: false,
        }
    }
}
