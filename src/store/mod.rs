//! The state database (SQLite in `--etat`): accounts, sessions, failed logins, journal,
//! proposals and anonymous search counts. `data/` stays the source of truth for the records.

pub mod accounts;
pub mod cli;
pub mod journal;
pub mod searches;
pub mod sessions;
pub mod throttle;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

pub use accounts::{Account, Role};

/// The database file inside the state folder.
pub const DB_FILE: &str = "etat.sqlite3";

/// Schema migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_comptes_sessions",
        include_str!("../../migrations/0001_comptes_sessions.sql"),
    ),
    (
        "0002_journal_propositions",
        include_str!("../../migrations/0002_journal_propositions.sql"),
    ),
    (
        "0003_recherches",
        include_str!("../../migrations/0003_recherches.sql"),
    ),
];

/// What can go wrong in the state database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The state folder cannot be created or is not writable.
    #[error("dossier d’état {path} inutilisable : {source}")]
    Folder {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused an operation (file locked, read-only, corrupt…).
    #[error("base d’état : {0}")]
    Database(#[from] rusqlite::Error),
    /// A migration failed; the database is left at the previous version.
    #[error("migration {name} impossible : {source}")]
    Migration {
        name: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    /// The password does not meet the policy; the message says why, in French.
    #[error("{0}")]
    WeakPassword(String),
    /// The identifier or structure id is not acceptable; the message says why.
    #[error("{0}")]
    InvalidAccount(String),
    /// An account with this identifier already exists.
    #[error("le compte « {0} » existe déjà")]
    AccountExists(String),
    /// No account has this identifier.
    #[error("aucun compte « {0} »")]
    UnknownAccount(String),
    /// Hashing failed (should not happen with valid parameters).
    #[error("hachage du mot de passe impossible : {0}")]
    Hash(String),
    /// The operating system's random generator failed.
    #[error("générateur aléatoire indisponible : {0}")]
    Random(String),
}

/// Where the store's time (Unix seconds) comes from: sessions, throttling and the journal
/// need the time of day, which the site's date `Clock` does not give.
#[derive(Debug, Clone, Default)]
pub enum Now {
    #[default]
    System,
    /// A time that tests set and move (session expiry, throttling windows).
    Settable(Arc<AtomicI64>),
}

impl Now {
    pub fn settable(unix: i64) -> Now {
        Now::Settable(Arc::new(AtomicI64::new(unix)))
    }

    pub fn unix(&self) -> i64 {
        match self {
            Now::System => time::OffsetDateTime::now_utc().unix_timestamp(),
            Now::Settable(t) => t.load(Ordering::Relaxed),
        }
    }

    /// Moves a settable time forward by `seconds` (others ignore it).
    pub fn advance(&self, seconds: i64) {
        if let Now::Settable(t) = self {
            t.fetch_add(seconds, Ordering::Relaxed);
        }
    }
}

/// A handle to the state database; cheap to clone, one connection behind a mutex (every
/// query is short; password hashing happens outside the lock).
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    now: Now,
    dir: PathBuf,
    /// Search counts gathered in memory between two writes (see `searches`).
    pub(crate) pending: Arc<Mutex<searches::Pending>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish()
    }
}

impl Store {
    /// Opens (creating the folder and the database on first start) and migrates.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, Now::System)
    }

    /// Same as `open`, with the time taken from `now`.
    pub fn open_with(dir: &Path, now: Now) -> Result<Store, StoreError> {
        let folder = |source| StoreError::Folder {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(folder)?;
        let mut conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        // Fails now, not at the first login, when the database is read-only.
        conn.execute(
            "DELETE FROM sessions WHERE last_seen < ?1",
            [now.unix() - sessions::IDLE_SECONDS],
        )?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            now,
            dir: dir.to_owned(),
            pending: Arc::default(),
        })
    }

    pub fn now(&self) -> i64 {
        self.now.unix()
    }

    pub fn clock(&self) -> &Now {
        &self.now
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let applied: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (n, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied.max(0) as usize) {
        let tx = conn.transaction()?;
        let run = tx
            .execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", (n + 1) as i64))
            .and_then(|()| tx.commit());
        run.map_err(|source| StoreError::Migration { name, source })?;
    }
    Ok(())
}

/// `n` random bytes from the operating system, as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, StoreError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(hex(&buf))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 of `text`, as lowercase hex.
pub fn sha256_hex(text: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(text))
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
