//! JSON API handlers: the same search and filters as the pages, one error format.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Serialize;

use super::error::{AppError, Format};
use super::params;
use super::AppState;
use crate::scheme::Scheme;
use crate::search::SearchRequest;

/// One scheme in a list.
#[derive(Serialize)]
pub struct SchemeSummary {
    pub id: String,
    pub nom: String,
    pub resume: String,
    pub thematiques: Vec<String>,
    pub publics: Vec<String>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    pub statut: &'static str,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

impl SchemeSummary {
    pub fn new(s: &Scheme, base_url: &str, score: Option<f32>) -> SchemeSummary {
        SchemeSummary {
            id: s.id.to_string(),
            nom: s.nom.clone(),
            resume: s.resume.clone(),
            thematiques: s.thematiques.iter().map(|t| t.to_string()).collect(),
            publics: s.publics.iter().map(|t| t.to_string()).collect(),
            age_min: s.ages.min,
            age_max: s.ages.max,
            statut: s.statut.slug(),
            url: format!("{base_url}{}", s.path()),
            score,
        }
    }
}

#[derive(Serialize)]
pub struct SchemeList {
    pub total: usize,
    pub page: usize,
    pub par_page: usize,
    pub dispositifs: Vec<SchemeSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vouliez_vous_dire: Option<String>,
    pub thematiques: Vec<ThemeCount>,
}

#[derive(Serialize)]
pub struct ThemeCount {
    pub slug: String,
    pub nombre: u64,
}

fn bad(e: Box<params::ParamError>) -> AppError {
    let mut msg = e.message.clone();
    if !e.choices.is_empty() {
        let list: Vec<String> = e
            .choices
            .iter()
            .map(|(c, n)| format!("{n} ({c})"))
            .collect();
        msg.push_str(&format!(" Communes possibles : {}.", list.join(", ")));
    }
    AppError::BadRequest(Format::Json, msg)
}

/// `GET /api/dispositifs`: search and list, ordered by relevance (by name without `q`).
pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SchemeList>, AppError> {
    let engine = state.engine();
    let mut p = params::search(raw.as_deref(), &engine.data).map_err(bad)?;
    if !params::pairs(raw.as_deref())
        .iter()
        .any(|(k, _)| k == "par_page")
    {
        p.per_page = params::MAX_PER_PAGE;
    }
    let req = SearchRequest {
        text: p.q.clone(),
        filters: p.filters(),
        sort: p.sort,
        offset: p.offset(),
        limit: p.per_page,
        snippets: false,
    };
    let r = engine
        .search(&req)
        .map_err(|e| AppError::internal(Format::Json, e))?;
    let with_scores = !p.q.is_empty();
    Ok(Json(SchemeList {
        total: r.total,
        page: p.page,
        par_page: p.per_page,
        dispositifs: r
            .hits
            .iter()
            .map(|h| SchemeSummary::new(h.scheme, state.base_url(), with_scores.then_some(h.score)))
            .collect(),
        vouliez_vous_dire: r.did_you_mean,
        thematiques: r
            .theme_counts
            .into_iter()
            .map(|(slug, nombre)| ThemeCount { slug, nombre })
            .collect(),
    }))
}

/// `GET /api/dispositifs/{id}`: the whole scheme.
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let engine = state.engine();
    let scheme = engine
        .data
        .scheme(&id)
        .ok_or(AppError::NotFound(Format::Json))?;
    let mut value =
        serde_json::to_value(scheme).map_err(|e| AppError::internal(Format::Json, e))?;
    if let Some(obj) = value.as_object_mut() {
        obj.remove("ages");
        obj.insert("age_min".into(), serde_json::json!(scheme.ages.min));
        obj.insert("age_max".into(), serde_json::json!(scheme.ages.max));
        obj.insert(
            "url".into(),
            serde_json::json!(format!("{}{}", state.base_url(), scheme.path())),
        );
    }
    Ok(Json(value))
}

#[derive(Serialize)]
pub struct Suggestion {
    pub id: String,
    pub nom: String,
    pub url: String,
}

/// `GET /api/suggestions?q=`: up to 8 schemes for the text being typed.
pub async fn suggestions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<Suggestion>>, AppError> {
    let q = params::pairs(raw.as_deref())
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
        .unwrap_or_default();
    if q.chars().count() > params::MAX_Q_CHARS {
        return Err(AppError::BadRequest(
            Format::Json,
            format!(
                "Ta recherche est trop longue : {} caractères au plus.",
                params::MAX_Q_CHARS
            ),
        ));
    }
    let engine = state.engine();
    let found = engine
        .suggest(&q, 8)
        .map_err(|e| AppError::internal(Format::Json, e))?;
    Ok(Json(
        found
            .into_iter()
            .map(|s| Suggestion {
                id: s.id.to_string(),
                nom: s.nom.clone(),
                url: s.path(),
            })
            .collect(),
    ))
}

#[derive(Serialize)]
pub struct HealthBody {
    pub statut: &'static str,
    pub version_donnees: String,
    pub dispositifs: usize,
    pub derniere_mise_a_jour: String,
    pub derniere_erreur: Option<String>,
    pub fichiers_en_erreur: Vec<String>,
}

/// `GET /healthz`: the data version served and the last reload's outcome.
pub async fn health(State(state): State<AppState>) -> Json<HealthBody> {
    let engine = state.engine();
    let h = state.health();
    Json(HealthBody {
        statut: if h.last_error.is_some() {
            "degrade"
        } else {
            "ok"
        },
        version_donnees: engine.data.fingerprint[..16].to_owned(),
        dispositifs: engine.data.schemes.len(),
        derniere_mise_a_jour: h.last_reload,
        derniere_erreur: h.last_error,
        fichiers_en_erreur: h.error_files,
    })
}

/// API paths that do not exist answer in JSON too.
pub async fn not_found() -> AppError {
    AppError::NotFound(Format::Json)
}
