//! Command line: `serve` (default), `check`, `index`; every option has an environment name.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Référentiel des dispositifs jeunesse du Pas-de-Calais.
///
/// Without a subcommand, serves the site: the `serve` options and their environment names apply
/// exactly as with `serve` (they are the same struct, flattened here).
#[derive(Debug, Parser)]
#[command(
    name = "referentiel",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

impl Cli {
    /// The command to run: `serve` with the top-level options when none is named.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }
}

fn parse_day(raw: &str) -> Result<time::Date, String> {
    crate::data::validate::parse_date(raw)
        .ok_or_else(|| format!("« {raw} » : date AAAA-MM-JJ attendue"))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (default).
    Serve(ServeArgs),
    /// Validate the data, print every problem and a summary; non-zero exit when invalid.
    Check(DataArgs),
    /// Build the on-disk search index and exit.
    Index(IndexArgs),
    /// Manage the accounts of the espace rédaction.
    #[command(subcommand)]
    Comptes(AccountCommand),
    /// Places (« structures »): import the Département's spreadsheet.
    #[command(subcommand)]
    Structures(PlaceCommand),
}

/// `referentiel structures …`.
#[derive(Debug, Subcommand)]
pub enum PlaceCommand {
    /// Import a CSV (columns of data/modele-structures.csv): every row is validated like
    /// `check`, and nothing is written if any row is invalid.
    Importer {
        /// The CSV file (UTF-8, comma or semicolon separated).
        fichier: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// Where the state database lives (accounts, sessions, journal, search counts).
#[derive(Debug, Clone, Args)]
pub struct StateArgs {
    /// State folder (created on first start): the editor's SQLite database.
    #[arg(long, env = "REFERENTIEL_ETAT", default_value = "etat")]
    pub etat: PathBuf,
}

/// `referentiel comptes …`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account; the password is read from standard input (one line) or prompted.
    Ajouter {
        /// Login identifier (a-z, 0-9, « . », « - », « _ », « @ »).
        identifiant: String,
        /// `redaction` (every record) or `structure` (one structure, proposals only).
        #[arg(long, value_parser = ["redaction", "structure"])]
        role: String,
        /// The structure id, required with `--role structure`.
        #[arg(long)]
        structure: Option<String>,
        #[command(flatten)]
        state: StateArgs,
    },
    /// List the accounts.
    Lister {
        #[command(flatten)]
        state: StateArgs,
    },
    /// Disable an account and end its sessions.
    Desactiver {
        identifiant: String,
        #[command(flatten)]
        state: StateArgs,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Folder of the JSON data.
    #[arg(long, env = "REFERENTIEL_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Fix today's date (AAAA-MM-JJ) instead of the system clock: tests, demonstrations.
    #[arg(long, env = "REFERENTIEL_AUJOURDHUI", value_parser = parse_day)]
    pub aujourdhui: Option<time::Date>,
}

impl DataArgs {
    pub fn clock(&self) -> crate::clock::Clock {
        self.aujourdhui
            .map_or(crate::clock::Clock::System, crate::clock::Clock::Fixed)
    }
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
    #[command(flatten)]
    pub state: StateArgs,
}
