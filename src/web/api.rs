//! JSON API handlers: the same search and filters as the pages, one error format, each
//! documented for the OpenAPI description.

use axum::extract::{Path, RawQuery, State};
use axum::Json;

use super::api_types::{
    CategoryBody, CommuneBody, ErrorBody, ExportBody, HealthBody, SchemeDetail, SchemeList,
    SchemeSummary, Suggestion, ThemeCount,
};
use super::error::{AppError, Format};
use super::params;
use super::AppState;
use crate::scheme::{Category, Scheme, Slug};
use crate::territory::{Commune, LookupError};

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

fn param(raw: Option<&str>, key: &str) -> String {
    params::pairs(raw)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

/// Search and list schemes, by relevance (by name without `q`).
#[utoipa::path(get, path = "/api/dispositifs", tag = "dispositifs",
    params(
        ("q" = Option<String>, Query, description = "Texte cherché, tel qu’on le tape (1 000 caractères au plus)", example = "aide pour le permis"),
        ("age" = Option<u8>, Query, description = "Âge (0 à 120) : dispositifs qui l’incluent ou sans limite d’âge", example = 17),
        ("commune" = Option<String>, Query, description = "Nom, code postal ou code INSEE d’une commune du Pas-de-Calais", example = "Liévin"),
        ("theme" = Option<Vec<String>>, Query, description = "Thématique (répétable)", example = "permis-mobilite"),
        ("public" = Option<Vec<String>>, Query, description = "Public (répétable)", example = "lyceens"),
        ("tri" = Option<String>, Query, description = "`pertinence` (défaut) ou `nom`"),
        ("page" = Option<usize>, Query, description = "Page, à partir de 1 (1 000 au plus)"),
        ("par_page" = Option<usize>, Query, description = "Résultats par page (1 à 100, défaut 100)"),
    ),
    responses(
        (status = 200, description = "Une page de résultats", body = SchemeList),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
    )
)]
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
    let req = p.request(false, state.today());
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

/// One whole scheme.
#[utoipa::path(get, path = "/api/dispositifs/{id}", tag = "dispositifs",
    params(("id" = String, Path, description = "Identifiant du dispositif", example = "sac-ados")),
    responses(
        (status = 200, description = "Le dispositif", body = SchemeDetail),
        (status = 404, description = "Dispositif inconnu", body = ErrorBody),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SchemeDetail>, AppError> {
    let engine = state.engine();
    let scheme = engine
        .data
        .scheme(&id)
        .ok_or(AppError::NotFound(Format::Json))?;
    Ok(Json(SchemeDetail::new(scheme, state.base_url())))
}

/// Each entry of a closed list with the number of schemes whose `slugs_of` holds it.
fn categories(
    list: &[Category],
    schemes: &[Scheme],
    slugs_of: fn(&Scheme) -> &[Slug],
) -> Vec<CategoryBody> {
    list.iter()
        .map(|c| CategoryBody {
            slug: c.slug.to_string(),
            libelle: c.libelle.clone(),
            description: c.description.clone(),
            nombre: schemes
                .iter()
                .filter(|s| slugs_of(s).contains(&c.slug))
                .count(),
        })
        .collect()
}

/// The themes, with their number of schemes.
#[utoipa::path(get, path = "/api/thematiques", tag = "listes",
    responses((status = 200, description = "Les thématiques", body = Vec<CategoryBody>)))]
pub async fn themes(State(state): State<AppState>) -> Json<Vec<CategoryBody>> {
    let engine = state.engine();
    let d = &engine.data;
    Json(categories(&d.themes, &d.schemes, |s| &s.thematiques))
}

/// The publics, with their number of schemes.
#[utoipa::path(get, path = "/api/publics", tag = "listes",
    responses((status = 200, description = "Les publics", body = Vec<CategoryBody>)))]
pub async fn publics(State(state): State<AppState>) -> Json<Vec<CategoryBody>> {
    let engine = state.engine();
    let d = &engine.data;
    Json(categories(&d.publics, &d.schemes, |s| &s.publics))
}

/// A commune name or postal code → the commune(s), INSEE code and EPCI.
#[utoipa::path(get, path = "/api/communes", tag = "listes",
    params(("q" = String, Query, description = "Nom ou code postal", example = "62800")),
    responses(
        (status = 200, description = "La ou les communes (plusieurs si le code postal est partagé)", body = Vec<CommuneBody>),
        (status = 400, description = "Paramètre absent ou trop long", body = ErrorBody),
        (status = 404, description = "Aucune commune", body = ErrorBody),
    )
)]
pub async fn communes(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<CommuneBody>>, AppError> {
    let q = param(raw.as_deref(), "q");
    if q.is_empty() || q.chars().count() > 100 {
        return Err(AppError::BadRequest(
            Format::Json,
            "Indique une commune ou un code postal (100 caractères au plus) dans « q ».".to_owned(),
        ));
    }
    let engine = state.engine();
    let c = &engine.data.communes;
    let found: Vec<&Commune> = match c.lookup(&q) {
        Ok(one) => vec![one],
        Err(LookupError::Ambiguous(list)) => list
            .iter()
            .filter_map(|(code, _)| c.commune(code))
            .collect(),
        Err(LookupError::NotFound) => {
            let shown: String = q.chars().take(40).collect();
            return Err(AppError::NotFoundWith(
                Format::Json,
                format!("Aucune commune du Pas-de-Calais ne correspond à « {shown} »."),
            ));
        }
    };
    Ok(Json(
        found
            .into_iter()
            .map(|x| CommuneBody {
                code: x.code.clone(),
                nom: x.nom.clone(),
                codes_postaux: x.codes_postaux.clone(),
                epci: x.epci.clone(),
                epci_nom: x
                    .epci
                    .as_ref()
                    .and_then(|e| c.epci(e))
                    .map(|e| e.nom.clone()),
            })
            .collect(),
    ))
}

/// Up to 8 schemes for the text being typed (the last word counts as a prefix).
#[utoipa::path(get, path = "/api/suggestions", tag = "dispositifs",
    params(("q" = String, Query, description = "Début de recherche", example = "servi")),
    responses(
        (status = 200, description = "Suggestions", body = Vec<Suggestion>),
        (status = 400, description = "Texte trop long", body = ErrorBody),
    )
)]
pub async fn suggestions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<Suggestion>>, AppError> {
    let q = param(raw.as_deref(), "q");
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
        .suggest(&q, 8, state.today())
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

/// Every scheme, whole (open data, Licence Ouverte 2.0).
#[utoipa::path(get, path = "/donnees/dispositifs.json", tag = "données ouvertes",
    responses((status = 200, description = "Le référentiel complet", body = ExportBody)))]
pub async fn export(State(state): State<AppState>) -> Json<ExportBody> {
    let engine = state.engine();
    Json(ExportBody {
        licence: "Licence Ouverte 2.0 (Etalab)".to_owned(),
        version_donnees: engine.data.fingerprint[..16].to_owned(),
        total: engine.data.schemes.len(),
        dispositifs: engine
            .data
            .schemes
            .iter()
            .map(|s| SchemeDetail::new(s, state.base_url()))
            .collect(),
    })
}

/// The data version served and the last reload's outcome.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "État du service", body = HealthBody)))]
pub async fn health(State(state): State<AppState>) -> Json<HealthBody> {
    let engine = state.engine();
    let h = state.health();
    Json(HealthBody {
        statut: if h.last_error.is_some() {
            "degrade"
        } else {
            "ok"
        }
        .to_owned(),
        version_donnees: engine.data.fingerprint[..16].to_owned(),
        dispositifs: engine.data.schemes.len(),
        derniere_mise_a_jour: h.last_reload,
        derniere_erreur: h.last_error,
        fichiers_en_erreur: h.error_files,
        redaction: crate::editor::health(&state),
    })
}

/// API paths that do not exist answer in JSON too.
pub async fn not_found() -> AppError {
    AppError::NotFound(Format::Json)
}
