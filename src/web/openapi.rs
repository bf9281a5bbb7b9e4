//! The OpenAPI 3 description, generated from the handlers' annotations, and the human
//! page at `/api`.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::Json;
use utoipa::OpenApi;

use super::api;
use super::api_types;
use super::error::{AppError, Format};
use super::views::Layout;
use super::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "API du référentiel des dispositifs jeunesse du Pas-de-Calais",
        description = "Les dispositifs ouverts aux jeunes du Pas-de-Calais, avec la même recherche et les mêmes filtres que le site. Données sous Licence Ouverte 2.0. Toutes les réponses portent ETag et Last-Modified ; If-None-Match donne 304.",
        version = "1.0.0",
        license(
            name = "Licence Ouverte 2.0",
            url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        )
    ),
    paths(
        api::list,
        api::one,
        api::themes,
        api::publics,
        api::communes,
        api::suggestions,
        api::export,
        api::health
    ),
    components(schemas(
        api_types::SchemeList,
        api_types::SchemeSummary,
        api_types::ThemeCount,
        api_types::SchemeDetail,
        api_types::TerritoryBody,
        api_types::ContactBody,
        api_types::KeyFigureBody,
        api_types::CalendarBody,
        api_types::SourceBody,
        api_types::CategoryBody,
        api_types::CommuneBody,
        api_types::Suggestion,
        api_types::ErrorBody,
        api_types::ErrorDetail,
        api_types::ExportBody,
        api_types::HealthBody
    ))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi().merge_from(super::places::PlacesDoc::openapi()))
}

/// One endpoint on the human page.
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub example: String,
    /// The start of the real answer to the example, pretty-printed.
    pub response: String,
}

/// Longest example answer shown on the page, in characters.
const EXAMPLE_CHARS: usize = 600;

/// Asks the application itself for `uri` and returns the start of its JSON answer.
async fn live_example(state: &AppState, uri: &str) -> String {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let Ok(req) = axum::http::Request::builder()
        .uri(uri)
        .body(axum::body::Body::empty())
    else {
        return String::new();
    };
    let Ok(resp) = super::app(state.clone()).oneshot(req).await;
    let Ok(body) = resp.into_body().collect().await else {
        return String::new();
    };
    let bytes = body.to_bytes();
    let pretty = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_default();
    if pretty.chars().count() > EXAMPLE_CHARS {
        let cut: String = pretty.chars().take(EXAMPLE_CHARS).collect();
        format!("{cut}\n…")
    } else {
        pretty
    }
}

#[derive(Template)]
#[template(path = "api.html")]
pub struct ApiPage {
    pub layout: Layout,
    pub endpoints: Vec<Endpoint>,
    pub base_url: String,
}

/// Example requests shown on the page (each is also called by the tests).
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "/api/dispositifs",
        "/api/dispositifs?q=aide%20pour%20le%20permis&age=17&commune=Li%C3%A9vin&par_page=5",
    ),
    ("/api/dispositifs/{id}", "/api/dispositifs/sac-ados"),
    ("/api/thematiques", "/api/thematiques"),
    ("/api/publics", "/api/publics"),
    ("/api/communes", "/api/communes?q=62800"),
    ("/api/suggestions", "/api/suggestions?q=servi"),
    ("/donnees/dispositifs.json", "/donnees/dispositifs.json"),
    (
        "/api/structures",
        "/api/structures?commune=Lens&type=mission-locale",
    ),
    (
        "/api/structures/{id}",
        "/api/structures/mission-locale-ternois-montreuillois",
    ),
    ("/donnees/structures.json", "/donnees/structures.json"),
    ("/healthz", "/healthz"),
];

/// `GET /api`: the endpoints with example requests.
pub async fn page(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let doc = ApiDoc::openapi().merge_from(super::places::PlacesDoc::openapi());
    let mut endpoints: Vec<Endpoint> = doc
        .paths
        .paths
        .iter()
        .map(|(path, item)| Endpoint {
            method: "GET".to_owned(),
            path: path.clone(),
            summary: item
                .get
                .as_ref()
                .and_then(|op| op.description.clone().or_else(|| op.summary.clone()))
                .unwrap_or_default(),
            example: EXAMPLES
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, e)| (*e).to_owned())
                .unwrap_or_else(|| path.clone()),
            response: String::new(),
        })
        .collect();
    for e in &mut endpoints {
        e.response = live_example(&state, &e.example).await;
    }
    let page = ApiPage {
        layout: Layout::new(
            "API et réutilisation",
            "Documentation de l’API JSON du référentiel des dispositifs jeunesse.",
            state.base_url(),
            "/api",
        ),
        endpoints,
        base_url: state.base_url().to_owned(),
    };
    page.render()
        .map(Html)
        .map_err(|e| AppError::internal(Format::Html, e))
}
