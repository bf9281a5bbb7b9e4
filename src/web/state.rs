//! Shared state: the current engine (swapped whole on reload) and the health report.

use std::sync::{Arc, RwLock};

use arc_swap::ArcSwap;
use serde::Serialize;

use crate::search::Engine;

/// What `/healthz` reports about the data.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// RFC 3339 time of the last successful (re)load.
    pub last_reload: String,
    /// The last refused reload's report, naming the files, if the last attempt failed.
    pub last_error: Option<String>,
    /// Files named by the last error.
    pub error_files: Vec<String>,
}

pub struct Shared {
    pub engine: ArcSwap<Engine>,
    /// Rendered answers by data version and address.
    pub cache: super::cache::ResponseCache,
    /// When the current engine was installed (for Last-Modified).
    pub loaded_at: RwLock<std::time::SystemTime>,
    pub health: RwLock<Health>,
    pub base_url: String,
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
        AppState(Arc::new(Shared {
            engine: ArcSwap::from_pointee(engine),
            cache: super::cache::new_cache(),
            loaded_at: RwLock::new(std::time::SystemTime::now()),
            health: RwLock::new(Health {
                last_reload: now_rfc3339(),
                last_error: None,
                error_files: Vec::new(),
            }),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }))
    }

    /// The engine of this request; a reload swapping it meanwhile does not affect it.
    pub fn engine(&self) -> Arc<Engine> {
        self.0.engine.load_full()
    }

    pub fn cache(&self) -> &super::cache::ResponseCache {
        &self.0.cache
    }

    pub fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// Installs a new engine and clears the last error.
    pub fn swap(&self, engine: Engine) {
        self.0.engine.store(Arc::new(engine));
        if let Ok(mut t) = self.0.loaded_at.write() {
            *t = std::time::SystemTime::now();
        }
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
        let t = self
            .0
            .loaded_at
            .read()
            .map(|t| *t)
            .unwrap_or_else(|e| *e.into_inner());
        httpdate::fmt_http_date(t)
    }

    pub fn health(&self) -> Health {
        self.0
            .health
            .read()
            .map(|h| h.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }
}
