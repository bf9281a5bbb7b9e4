//! The OpenAPI 3 description, generated from the handlers' annotations and the query
//! structs (with the data's closed lists added), and the human page at `/api`.

use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use utoipa::OpenApi;

use super::api;
use super::api_types;
use super::error::AppError;
use super::html::Page;
use super::params;
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
        api::health,
        super::pour_moi::api
    ),
    components(schemas(
        api_types::SchemeList,
        api_types::UrgenceBody,
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
        api_types::HealthBody,
        super::pour_moi::PourMoiBody,
        super::pour_moi::FitBody,
        super::pour_moi::ExcludedBody
    ))
)]
pub struct ApiDoc;

/// The document for the data being served: each parameter that takes its values from a
/// closed list of the data (themes, publics…) lists them, as the parser enforces them.
pub fn document(data: &crate::data::Dataset) -> serde_json::Value {
    let full = ApiDoc::openapi().merge_from(super::places::PlacesDoc::openapi());
    let mut doc = serde_json::to_value(full).unwrap_or_default();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut() {
            let Some(operations) = item.as_object_mut() else {
                continue;
            };
            for operation in operations.values_mut() {
                if let Some(list) = operation
                    .get_mut("parameters")
                    .and_then(|l| l.as_array_mut())
                {
                    for param in list {
                        params::lists::document(param, data);
                    }
                }
            }
        }
    }
    doc
}

/// `GET /api/openapi.json`.
pub async fn spec(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    Ok(Json(document(&state.engine().data)))
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

/// Asks the application for `uri` and returns the start of its JSON answer.
async fn live_example(app: &axum::Router, uri: &str) -> String {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let Ok(req) = axum::http::Request::builder()
        .uri(uri)
        .body(axum::body::Body::empty())
    else {
        return String::new();
    };
    let Ok(resp) = app.clone().oneshot(req).await;
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

/// The example answers last computed, and for which data version, day and base URL: they
/// change only with those, so the router is built and the examples run once per change.
type Memo = Option<(String, Arc<Vec<String>>)>;
static EXAMPLE_ANSWERS: Mutex<Memo> = Mutex::new(None);

/// The real answers to `uris`, from the memo or computed through one router.
async fn live_examples(state: &AppState, uris: &[String]) -> Arc<Vec<String>> {
    let key = format!(
        "{}|{}|{}|{}",
        state.engine().data.fingerprint,
        state.today(),
        state.base_url(),
        uris.join(" ")
    );
    let memo = EXAMPLE_ANSWERS
        .lock()
        .map(|m| m.clone())
        .unwrap_or_default();
    if let Some((k, answers)) = memo {
        if k == key {
            return answers;
        }
    }
    let app = super::app(state.clone());
    let mut answers = Vec::with_capacity(uris.len());
    for uri in uris {
        answers.push(live_example(&app, uri).await);
    }
    let answers = Arc::new(answers);
    if let Ok(mut m) = EXAMPLE_ANSWERS.lock() {
        *m = Some((key, answers.clone()));
    }
    answers
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
    (
        "/api/pour-moi",
        "/api/pour-moi?age=17&commune=62041&situation=lyceen&situation=boursier",
    ),
];

/// `GET /api`: the endpoints with example requests.
pub async fn page(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
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
    let uris: Vec<String> = endpoints.iter().map(|e| e.example.clone()).collect();
    let answers = live_examples(&state, &uris).await;
    for (e, answer) in endpoints.iter_mut().zip(answers.iter()) {
        e.response = answer.clone();
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
    Ok(Page(page))
}
