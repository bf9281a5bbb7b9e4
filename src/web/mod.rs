//! The web application: one `app()` used by `main` and by the tests.

pub mod api;
pub mod assets;
pub mod error;
pub mod pages;
pub mod params;
pub mod server;
pub mod state;
pub mod views;

use axum::routing::get;
use axum::Router;

pub use state::AppState;

/// The whole router with its middleware.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/dispositifs", get(api::list))
        .route("/dispositifs/{id}", get(api::one))
        .route("/suggestions", get(api::suggestions))
        .fallback(api::not_found);
    Router::new()
        .route("/", get(pages::home))
        .route("/recherche", get(pages::search))
        .route("/dispositifs/{id}", get(pages::scheme))
        .route("/thematiques/{slug}", get(pages::theme))
        .route("/publics/{slug}", get(pages::public))
        .route("/healthz", get(api::health))
        .route("/static/{name}", get(assets::serve))
        .nest("/api", api)
        .fallback(pages::not_found)
        .with_state(state)
}
