//! The web application: one `app()` used by `main` and by the tests.

pub mod api;
pub mod api_types;
pub mod assets;
pub mod cache;
pub mod conditional;
pub mod embed;
pub mod error;
pub mod explain;
pub mod html;
pub mod middleware;
pub mod next_step;
pub mod openapi;
pub mod pages;
pub mod params;
pub mod places;
pub mod pour_moi;
pub mod pro;
pub mod reload;
pub mod selection;
pub mod server;
pub mod site;
pub mod state;
pub mod views;

use axum::http::Method;
use axum::routing::get;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

pub use state::AppState;

/// The whole router with its middleware.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/dispositifs", get(api::list))
        .route("/dispositifs/{id}", get(api::one))
        .route("/thematiques", get(api::themes))
        .route("/publics", get(api::publics))
        .route("/communes", get(api::communes))
        .route("/suggestions", get(api::suggestions))
        .route("/pour-moi", get(pour_moi::api))
        .route("/structures", get(places::api_list))
        .route("/structures/{id}", get(places::api_one))
        .route("/openapi.json", get(openapi::spec))
        .fallback(api::not_found)
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD]),
        );
    let downloads = Router::new()
        .route("/dispositifs.json", get(api::export))
        .route("/dispositifs.csv", get(site::export_csv))
        .route("/structures.json", get(places::export_json))
        .route("/structures.csv", get(places::export_csv));
    let conditional = axum::middleware::from_fn_with_state(state.clone(), conditional::conditional);
    let base_url = state.base_url().to_owned();
    let routes = Router::new()
        .route("/", get(pages::home))
        .route("/recherche", get(pages::search))
        .route("/dispositifs/{id}", get(pages::scheme))
        .route("/thematiques/{slug}", get(pages::theme))
        .route("/publics/{slug}", get(pages::public))
        .route("/pour-moi", get(pour_moi::page))
        .route("/structures", get(places::list_page))
        .route("/structures/{id}", get(places::one_page))
        .route("/selection", get(selection::page))
        .route("/pro", get(pro::page))
        .route("/pro/export.csv", get(pro::export_csv))
        .route("/api", get(openapi::page))
        .route("/donnees", get(site::open_data))
        .route("/accessibilite", get(site::accessibility))
        .route("/integrer", get(embed::integrate))
        .route("/embed", get(embed::embed))
        .route("/sitemap.xml", get(site::sitemap))
        .route("/robots.txt", get(site::robots))
        .route("/healthz", get(api::health))
        .route(
            "/donnees-personnelles",
            get(crate::editor::public::personal_data),
        )
        .route("/nouveautes", get(crate::editor::public::news))
        .route("/nouveautes.atom", get(crate::editor::public::news_feed))
        .route("/static/{name}", get(assets::serve))
        .nest("/api", api.layer(conditional.clone()))
        .nest("/donnees", downloads.layer(conditional))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::cache,
        ))
        // Outside the cache, so that searches answered from memory are counted too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::editor::review::count_searches,
        ))
        .with_state(state.clone());
    // The editor has its own stack (sessions, CSRF, no cache); the public site sets no cookie.
    crate::editor::router(state).merge(middleware::layers(routes, &base_url))
}
