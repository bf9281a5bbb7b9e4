//! Handlers of the places (« structures »): `/structures`, `/structures/{id}`, the API and
//! the exports, with their OpenAPI description (`PlacesDoc`, merged into the main one).

pub mod api_types;
pub mod export;
pub mod query;
pub mod views;

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa::OpenApi;

use self::api_types::{PlaceDetail, PlaceExport, PlaceList, PlaceSummary};
use self::query::{PlacesQuery, Problem, Understood};
use self::views::{PlaceView, StructurePage, StructuresPage};
use super::error::{ApiError, AppError};
use super::html::Page;
use super::params::contract::{Contract, API, FORM};
use super::views::Layout;
use super::AppState;
use crate::places;

/// The OpenAPI description of the place endpoints.
#[derive(OpenApi)]
#[openapi(
    paths(api_list, api_one, export_json),
    components(schemas(
        api_types::PlaceList,
        api_types::PlaceSummary,
        api_types::PlaceCommune,
        api_types::PlaceDetail,
        api_types::ServedBody,
        api_types::PlaceExport,
        super::api_types::SourceBody,
        super::api_types::ErrorBody,
        super::api_types::ErrorDetail
    ))
)]
pub struct PlacesDoc;

/// `GET /structures`: every place, filtered by type (and scheme, and text), the places that
/// serve the commune first. A filter that cannot be used is dropped with a one-line note.
pub async fn list_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<impl IntoResponse, AppError> {
    let engine = state.engine();
    let data = &engine.data;
    let (q, refused) = PlacesQuery::parse_or_partial(raw.as_deref(), data, &FORM);
    let mut u = Understood::new(&q, data);
    u.problems.extend(refused.map(Problem::Refused));
    let found = places::find(data, &u.filter());
    Ok(Page(StructuresPage::new(
        &u,
        &found,
        data,
        state.base_url(),
    )))
}

/// `GET /structures/{id}`: one place. An archived place still answers 200 with a line saying
/// it has closed and a link to the others of its commune: a young person following an old
/// flyer or a partner's link learns where to go instead of hitting a dead end.
pub async fn one_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let engine = state.engine();
    let place = engine.data.place(&id).ok_or(AppError::NotFound)?;
    let view = PlaceView::new(place, &engine.data);
    let description = format!("{} : {}.", view.kind_label, view.adresse);
    let mut layout = Layout::new(&view.nom, &description, state.base_url(), &place.path());
    // A closed place keeps its address (flyers, partners' links) but leaves search engines.
    layout.noindex = place.closed;
    Ok(Page(StructurePage { layout, p: view }))
}

/// The places, those serving the commune first, then those of its EPCI, then the others
/// (the order is by served territory, not by distance).
#[utoipa::path(get, path = "/api/structures", tag = "structures",
    params(PlacesQuery),
    responses(
        (status = 200, description = "Les lieux, les plus proches en tête", body = PlaceList),
        (status = 304, description = "Inchangé depuis l’ETag envoyé dans If-None-Match"),
        (status = 500, description = "Erreur interne", body = super::api_types::ErrorBody),
        (status = 400, description = "Commune introuvable ou ambiguë (le message liste les communes possibles), type ou dispositif inconnu", body = super::api_types::ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PlaceList>, ApiError> {
    let engine = state.engine();
    let data = &engine.data;
    let (q, refused) = PlacesQuery::parse_or_partial(raw.as_deref(), data, &API);
    if let Some(message) = refused {
        return Err(ApiError::bad_request(message));
    }
    let u = Understood::new(&q, data);
    if !u.problems.is_empty() {
        let msg: Vec<String> = u.problems.iter().map(Problem::api_message).collect();
        return Err(ApiError::bad_request(msg.join(" ")));
    }
    let found = places::find(data, &u.filter());
    Ok(Json(PlaceList {
        total: found.len(),
        structures: found
            .iter()
            .map(|f| {
                let serves = u.near.iter().any(|c| f.place.serves(c));
                PlaceSummary::new(f.place, data, serves)
            })
            .collect(),
    }))
}

/// One whole place; an archived one still answers, with `fermee: true`.
#[utoipa::path(get, path = "/api/structures/{id}", tag = "structures",
    params(("id" = String, Path, description = "Identifiant du lieu", example = "mission-locale-ternois-montreuillois")),
    responses(
        (status = 200, description = "Le lieu", body = PlaceDetail),
        (status = 304, description = "Inchangé depuis l’ETag envoyé dans If-None-Match"),
        (status = 500, description = "Erreur interne", body = super::api_types::ErrorBody),
        (status = 404, description = "Lieu inconnu", body = super::api_types::ErrorBody),
    )
)]
pub async fn api_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PlaceDetail>, ApiError> {
    let engine = state.engine();
    let place = engine.data.place(&id).ok_or(ApiError(AppError::NotFound))?;
    Ok(Json(PlaceDetail::new(
        place,
        &engine.data,
        state.base_url(),
    )))
}

/// Every place, whole (open data, Licence Ouverte 2.0).
#[utoipa::path(get, path = "/donnees/structures.json", tag = "données ouvertes",
    responses(
        (status = 200, description = "Tous les lieux", body = PlaceExport),
        (status = 304, description = "Inchangé depuis l’ETag envoyé dans If-None-Match"),
    ))]
pub async fn export_json(State(state): State<AppState>) -> Json<PlaceExport> {
    let engine = state.engine();
    let data = &engine.data;
    Json(PlaceExport {
        licence: "Licence Ouverte 2.0 (Etalab)".to_owned(),
        version_donnees: data.fingerprint[..16].to_owned(),
        total: data.open_places().count(),
        structures: data
            .open_places()
            .map(|p| PlaceDetail::new(p, data, state.base_url()))
            .collect(),
    })
}

/// `GET /donnees/structures.csv`: every place, one row each.
pub async fn export_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let engine = state.engine();
    let body = export::csv_of(&engine.data, state.base_url()).map_err(AppError::internal)?;
    Ok(super::pro::csv_response(body, "structures-jeunesse-62.csv"))
}
