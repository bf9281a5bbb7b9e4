//! Live data updates through ONE reload worker: SIGHUP, file events (`--watch`) and, later,
//! editor publishes only send a message; the worker coalesces bursts and does one reload at a
//! time off the async threads (load, validate, build the index aside, swap the whole engine).
//! Invalid data is refused and reported while the last good data keeps serving.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::AppState;
use crate::data::{self, LoadError};
use crate::search::Engine;

/// How long file events are gathered before one reload (editors save several files at once).
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Where the data and the index live.
#[derive(Debug, Clone)]
pub struct Paths {
    pub data: PathBuf,
    pub index: PathBuf,
}

/// Outcome of one reload attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new data version is now served.
    Swapped,
    /// The data did not change.
    Unchanged,
    /// The data is invalid (or the index failed, or the build panicked): the previous
    /// version keeps serving.
    Refused,
}

/// Loads and validates the data, builds its index and swaps it in (blocking work: call it
/// from the worker, never from an async thread).
pub fn reload(state: &AppState, paths: &Paths) -> Outcome {
    match data::load(&paths.data, state.today()) {
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

/// Why a reload is asked for (logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Hangup,
    FileChange,
    Publish,
}

struct Request {
    cause: Cause,
    done: Option<oneshot::Sender<Outcome>>,
}

/// A cheap handle to the reload worker: every trigger goes through it.
#[derive(Clone)]
pub struct Reloader {
    tx: mpsc::UnboundedSender<Request>,
}

impl Reloader {
    /// Asks for a reload without waiting (signals, file events).
    pub fn trigger(&self, cause: Cause) {
        let _ = self.tx.send(Request { cause, done: None });
    }

    /// Asks for a reload and waits until one that started after this call has finished.
    pub async fn reload_and_wait(&self, cause: Cause) -> Outcome {
        let (done, rx) = oneshot::channel();
        if self
            .tx
            .send(Request {
                cause,
                done: Some(done),
            })
            .is_err()
        {
            return Outcome::Refused;
        }
        rx.await.unwrap_or(Outcome::Refused)
    }
}

/// Starts the worker on the current runtime; it stops when every `Reloader` is dropped.
pub fn spawn(state: AppState, paths: Paths) -> Reloader {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(worker(state, paths, rx));
    Reloader { tx }
}

async fn worker(state: AppState, paths: Paths, mut rx: mpsc::UnboundedReceiver<Request>) {
    while let Some(first) = rx.recv().await {
        // Coalesce: everything already queued is answered by this one reload, which reads
        // the data after all of those requests were made.
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        let causes: Vec<Cause> = batch.iter().map(|r| r.cause).collect();
        tracing::debug!(?causes, "rechargement");
        let (s, p) = (state.clone(), paths.clone());
        let outcome = match tokio::task::spawn_blocking(move || reload(&s, &p)).await {
            Ok(outcome) => outcome,
            Err(e) => {
                let what = if e.is_panic() {
                    "panique pendant le rechargement"
                } else {
                    "rechargement interrompu"
                };
                tracing::error!(error = %e, "{what}, anciennes données conservées");
                state.record_error(format!("{what} : {e}"), Vec::new());
                Outcome::Refused
            }
        };
        for r in batch {
            if let Some(done) = r.done {
                let _ = done.send(outcome);
            }
        }
    }
}

/// Watches the data folder with the system's file notifications, debounced; each burst of
/// events becomes one reload request. The watcher lives as long as the returned guard.
pub fn watch(reloader: Reloader, dir: &std::path::Path) -> notify::Result<impl Drop> {
    use notify_debouncer_mini::{new_debouncer, DebounceEventResult};
    let mut debouncer = new_debouncer(DEBOUNCE, move |events: DebounceEventResult| match events {
        Ok(events) if !events.is_empty() => reloader.trigger(Cause::FileChange),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "surveillance des données : erreur"),
    })?;
    debouncer
        .watcher()
        .watch(dir, notify::RecursiveMode::Recursive)?;
    Ok(debouncer)
}

/// Sends a reload request on every SIGHUP.
#[cfg(unix)]
pub async fn on_hangup(reloader: Reloader) {
    let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else {
        return;
    };
    while hup.recv().await.is_some() {
        tracing::info!("SIGHUP reçu : rechargement des données");
        reloader.trigger(Cause::Hangup);
    }
}
