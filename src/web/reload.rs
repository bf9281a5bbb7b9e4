//! Live data updates: reload `data/` on SIGHUP or when a file changes (`--watch`), build
//! the new index aside and swap the whole engine; invalid data is refused and reported
//! while the last good data keeps serving.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::AppState;
use crate::data::{self, LoadError};
use crate::search::Engine;

/// How often `--watch` looks at the data folder.
const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// Where the data and the index live.
#[derive(Debug, Clone)]
pub struct Paths {
    pub data: PathBuf,
    pub index: PathBuf,
}

/// Outcome of one reload attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new data version is now served.
    Swapped,
    /// The data did not change.
    Unchanged,
    /// The data is invalid (or the index failed): the previous version keeps serving.
    Refused,
}

/// Loads and validates the data, builds its index and swaps it in (blocking work).
pub fn reload(state: &AppState, paths: &Paths) -> Outcome {
    match data::load(&paths.data, crate::today()) {
        Ok(new) => {
            if new.fingerprint == state.engine().data.fingerprint {
                state.swap_health_ok();
                return Outcome::Unchanged;
            }
            match Engine::on_disk(new, &paths.index) {
                Ok(engine) => {
                    tracing::info!(
                        dispositifs = engine.data.schemes.len(),
                        version = &engine.data.fingerprint[..16],
                        "données rechargées"
                    );
                    state.swap(engine);
                    Outcome::Swapped
                }
                Err(e) => {
                    tracing::error!(error = %e, "index impossible, anciennes données conservées");
                    state.record_error(format!("index : {e}"), Vec::new());
                    Outcome::Refused
                }
            }
        }
        Err(LoadError::Invalid(report)) => {
            let mut files: Vec<String> = report.errors().map(|p| p.file.clone()).collect();
            files.dedup();
            tracing::error!(report = %report, "données invalides refusées, anciennes données conservées");
            state.record_error(report.to_string(), files);
            Outcome::Refused
        }
        Err(e) => {
            tracing::error!(error = %e, "lecture des données impossible, anciennes données conservées");
            state.record_error(e.to_string(), Vec::new());
            Outcome::Refused
        }
    }
}

/// Runs `reload` off the async threads.
pub async fn reload_async(state: AppState, paths: Paths) -> Outcome {
    tokio::task::spawn_blocking(move || reload(&state, &paths))
        .await
        .unwrap_or(Outcome::Refused)
}

/// A cheap signature of the data folder: names, sizes and modification times.
fn signature(dir: &Path) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut entries: Vec<(PathBuf, u64, Option<SystemTime>)> = Vec::new();
    for d in [dir.to_path_buf(), dir.join("dispositifs")] {
        if let Ok(read) = std::fs::read_dir(&d) {
            for e in read.flatten() {
                if let Ok(meta) = e.metadata() {
                    if meta.is_file() {
                        entries.push((e.path(), meta.len(), meta.modified().ok()));
                    }
                }
            }
        }
    }
    entries.sort();
    entries.hash(&mut hasher);
    hasher.finish()
}

/// Watches the data folder and reloads when it changes.
pub async fn watch(state: AppState, paths: Paths) {
    let mut last = signature(&paths.data);
    let mut ticker = tokio::time::interval(WATCH_INTERVAL);
    loop {
        ticker.tick().await;
        let now = signature(&paths.data);
        if now != last {
            last = now;
            reload_async(state.clone(), paths.clone()).await;
        }
    }
}

/// Reloads on every SIGHUP.
#[cfg(unix)]
pub async fn on_hangup(state: AppState, paths: Paths) {
    let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else {
        return;
    };
    while hup.recv().await.is_some() {
        tracing::info!("SIGHUP reçu : rechargement des données");
        reload_async(state.clone(), paths.clone()).await;
    }
}
