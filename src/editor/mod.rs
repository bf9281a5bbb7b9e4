//! The espace rédaction: `/connexion`, `/deconnexion` and everything under `/redaction`.
//! Authentication, sessions and CSRF are layers (`layers`); handlers read a `User` and call
//! one service (`publish`, the store). The public site never passes through here.

pub mod diff;
pub mod error;
pub mod fiche;
pub mod form;
pub mod history;
pub mod layers;
pub mod login;
pub mod preview;
pub mod public;
pub mod publish;
pub mod records;
pub mod review;
pub mod views;

use std::path::PathBuf;

use axum::routing::{get, post};
use axum::Router;

use crate::store::searches::SearchLog;
use crate::store::{Store, StoreError};
use crate::web::AppState;

/// What the editor needs besides the public state: the state database (or why it is not
/// there) and the data folder it writes through `data::writer`.
pub struct Services {
    store: Result<Store, String>,
    pub data_dir: PathBuf,
    /// `Secure` cookies, whenever the public base URL is https.
    pub secure_cookies: bool,
    /// One publish at a time: validate, compare versions, write, reload.
    pub publish_lock: tokio::sync::Mutex<()>,
}

impl Services {
    pub fn new(store: Result<Store, StoreError>, data_dir: PathBuf, base_url: &str) -> Services {
        Services {
            store: store.map_err(|e| e.to_string()),
            data_dir,
            secure_cookies: base_url.starts_with("https://"),
            publish_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// The state database, when it could be opened.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref().ok()
    }

    /// Why the editor is unavailable, if it is.
    pub fn unavailable(&self) -> Option<&str> {
        self.store.as_ref().err().map(String::as_str)
    }

    pub fn search_log(&self) -> Option<&dyn SearchLog> {
        self.store().map(|s| s as &dyn SearchLog)
    }
}

/// What `/healthz` says of the editor.
pub fn health(state: &AppState) -> String {
    match state.editor() {
        None => "non configure".into(),
        Some(s) => match s.unavailable() {
            None => "disponible".into(),
            Some(why) => format!("indisponible : {why}"),
        },
    }
}

/// The editor's routes with their own layers (sessions, CSRF, no caching, larger forms).
pub fn router(state: AppState) -> Router {
    let redaction_only = Router::new()
        .route(
            "/dispositifs/nouveau",
            get(records::scheme_new).post(records::scheme_create),
        )
        .route(
            "/dispositifs/{id}",
            get(records::scheme_edit).post(records::scheme_submit),
        )
        .route("/dispositifs/{id}/archiver", post(records::scheme_archive))
        .route("/dispositifs/{id}/historique", get(history::scheme_history))
        .route("/dispositifs/{id}/restaurer", post(history::scheme_restore))
        .route("/structures/{id}/archiver", post(records::place_archive))
        .route("/structures/{id}/restaurer", post(history::place_restore))
        .route("/journal", get(history::journal))
        .route("/propositions", get(history::proposals))
        .route("/propositions/{n}", post(history::decide))
        .route("/a-revoir", get(review::to_review))
        .route("/recherches", get(review::searches))
        .route("/recherches/synonyme", post(review::add_synonym))
        .route(
            "/structures/nouvelle",
            get(records::place_new).post(records::place_create),
        )
        .route_layer(axum::middleware::from_fn(layers::require_redaction));
    // Structure accounts reach these for their own structure (checked in the handlers).
    let places = Router::new()
        .route(
            "/structures/{id}",
            get(records::place_edit).post(records::place_submit),
        )
        .route("/structures/{id}/historique", get(history::place_history));
    let protected = Router::new()
        .route("/", get(views::dashboard))
        .merge(redaction_only)
        .merge(places)
        .route_layer(axum::middleware::from_fn(layers::require_login));
    let routes = Router::new()
        .route("/connexion", get(login::form).post(login::submit))
        .route("/deconnexion", axum::routing::post(login::logout))
        .route("/redaction/style.css", get(views::stylesheet))
        .nest("/redaction", protected)
        .layer(axum::middleware::from_fn(layers::csrf))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::load_session,
        ))
        .with_state(state);
    layers::stack(routes)
}
