//! Shared state: the current engine (swapped whole on reload) and the health report.

use std::sync::{Arc, OnceLock, RwLock};

use arc_swap::ArcSwap;
use serde::Serialize;

use crate::clock::Clock;
use crate::search::Engine;

/// The state of the data behind `/healthz`.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// RFC 3339 time of the last successful (re)load.
    pub last_reload: String,
    /// The last refused reload's whole report, if the last attempt failed. It quotes the
    /// files' contents: it goes to the log (and later the editor area), never to `/healthz`.
    pub last_error: Option<String>,
    /// Files named by the last error (relative to the data folder): public.
    pub error_files: Vec<String>,
}

impl Health {
    /// What `/healthz` may say about the last error: that there is one, and how many files it
    /// names, never what the report quotes.
    pub fn public_error(&self) -> Option<String> {
        self.last_error.as_ref()?;
        Some(match self.error_files.len() {
            0 => "Le dernier rechargement a échoué ; le détail est dans le journal du serveur."
                .to_owned(),
            1 => "Données refusées : 1 fichier en erreur ; le détail est dans le journal du serveur."
                .to_owned(),
            n => format!(
                "Données refusées : {n} fichiers en erreur ; le détail est dans le journal du serveur."
            ),
        })
    }
}

/// The engine being served and when it was installed, published together so that a request
/// never sees a new engine with the old time (or the reverse).
pub struct Current {
    pub engine: Engine,
    /// When this engine was installed (for Last-Modified).
    pub loaded_at: std::time::SystemTime,
}

impl std::ops::Deref for Current {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.engine
    }
}

pub struct Shared {
    pub current: ArcSwap<Current>,
    /// Rendered answers by data version and address.
    pub cache: super::cache::ResponseCache,
    pub health: RwLock<Health>,
    pub base_url: String,
    /// Where today's date comes from.
    pub clock: Clock,
    /// How many engines were installed with an in-memory index because `index/` failed.
    pub memory_fallbacks: std::sync::atomic::AtomicU64,
    /// Slots for CPU-heavy work (`AppState::blocking`), one per core.
    pub cpu: Arc<tokio::sync::Semaphore>,
    /// The espace rédaction's services (state database, data folder), set once by `serve`.
    pub editor: OnceLock<crate::editor::Services>,
    /// The reload worker, set once it is spawned (editor publishes wait on it).
    pub reloader: OnceLock<super::reload::Reloader>,
}

/// Cheap to clone; handed to every handler.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl AppState {
    pub fn new(engine: Engine, base_url: String) -> AppState {
        AppState::with_clock(engine, base_url, Clock::System)
    }

    /// A state whose « today » comes from `clock` (tests fix the date this way).
    pub fn with_clock(engine: Engine, base_url: String, clock: Clock) -> AppState {
        AppState(Arc::new(Shared {
            current: ArcSwap::from_pointee(Current {
                engine,
                loaded_at: std::time::SystemTime::now(),
            }),
            cache: super::cache::new_cache(),
            health: RwLock::new(Health {
                last_reload: now_rfc3339(),
                last_error: None,
                error_files: Vec::new(),
            }),
            base_url: base_url.trim_end_matches('/').to_owned(),
            clock,
            memory_fallbacks: std::sync::atomic::AtomicU64::new(0),
            cpu: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            editor: OnceLock::new(),
            reloader: OnceLock::new(),
        }))
    }

    /// Installs the editor's services (once; later calls are ignored).
    pub fn install_editor(&self, services: crate::editor::Services) {
        let _ = self.0.editor.set(services);
    }

    pub fn editor(&self) -> Option<&crate::editor::Services> {
        self.0.editor.get()
    }

    /// Hands the reload worker to the editor (once).
    pub fn set_reloader(&self, reloader: super::reload::Reloader) {
        let _ = self.0.reloader.set(reloader);
    }

    pub fn reloader(&self) -> Option<&super::reload::Reloader> {
        self.0.reloader.get()
    }

    /// Counts a public search anonymously (text only, per day) when the editor is set up.
    pub fn log_search(&self, query: &str) {
        if let Some(log) = self.editor().and_then(|e| e.search_log()) {
            log.record(self.today(), query);
        }
    }

    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    /// How many reloads had to fall back to an in-memory index.
    pub fn memory_fallbacks(&self) -> u64 {
        self.0
            .memory_fallbacks
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Today's date for this request: pages, ranking, cache keys and ETags depend on it.
    pub fn today(&self) -> time::Date {
        self.0.clock.today()
    }

    /// The engine of this request; a reload swapping it meanwhile does not affect it.
    pub fn engine(&self) -> Arc<Current> {
        self.0.current.load_full()
    }

    /// Runs CPU-heavy work (a search, a page, an export) with `engine`, at most one job per
    /// core at once (the others wait without holding a thread). On a large catalogue the work
    /// goes to tokio's blocking threads, so that the async workers keep answering: four slow
    /// searches no longer stall `/healthz`. On a small one (see [`runs_inline`]) a whole page
    /// takes well under a millisecond and is run where it is, because handing it to another
    /// thread and back (two wake-ups, two context switches) cost more than the work itself
    /// (measured: 14 % of the server's CPU under the cache-proof load). A panic in `work`
    /// reaches the panic layer either way, which turns it into the 500 page.
    pub async fn blocking<R, F>(&self, engine: Arc<Current>, work: F) -> R
    where
        F: FnOnce(&AppState, &Current) -> R + Send + 'static,
        R: Send + 'static,
    {
        // The semaphore is never closed; if it were, running without a slot beats failing.
        let slot = self.0.cpu.clone().acquire_owned().await.ok();
        if runs_inline(engine.data.schemes.len()) {
            let _slot = slot;
            return work(self, &engine);
        }
        let state = self.clone();
        let job = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work(&state, &engine)
        });
        match job.await {
            Ok(r) => r,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("travail interrompu : {e}"),
        }
    }

    pub fn cache(&self) -> &super::cache::ResponseCache {
        &self.0.cache
    }

    pub fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// Installs a new engine and clears the last error.
    pub fn swap(&self, engine: Engine) {
        if engine.memory_fallback {
            self.0
                .memory_fallbacks
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.0.current.store(Arc::new(Current {
            engine,
            loaded_at: std::time::SystemTime::now(),
        }));
        if let Ok(mut h) = self.0.health.write() {
            h.last_reload = now_rfc3339();
            h.last_error = None;
            h.error_files.clear();
        }
    }

    /// Clears the last error after a reload found the data valid again but unchanged.
    pub fn swap_health_ok(&self) {
        if let Ok(mut h) = self.0.health.write() {
            h.last_error = None;
            h.error_files.clear();
        }
    }

    /// Records a refused reload; the current engine keeps serving.
    pub fn record_error(&self, report: String, files: Vec<String>) {
        if let Ok(mut h) = self.0.health.write() {
            h.last_error = Some(report);
            h.error_files = files;
        }
    }

    /// The install time of the current data, as an HTTP date.
    pub fn loaded_at_http(&self) -> String {
        httpdate::fmt_http_date(self.engine().loaded_at)
    }

    pub fn health(&self) -> Health {
        self.0
            .health
            .read()
            .map(|h| h.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }
}

/// Catalogues up to this many schemes are searched on the async worker itself: measured on
/// this 2-core machine, a search over 2 000 generated schemes takes 0.37 ms on average (5 000:
/// 0.73 ms), from `cargo run --release --example engine_loop 300 2000`, so a whole page stays
/// well under a millisecond; above it, the work goes to the blocking threads.
pub const INLINE_MAX_SCHEMES: usize = 2_000;

/// Whether CPU work over a catalogue of `schemes` schemes runs on the async worker.
pub fn runs_inline(schemes: usize) -> bool {
    schemes <= INLINE_MAX_SCHEMES
}
