//! JSON API handlers: the same search and filters as the pages, one error format, each
//! documented for the OpenAPI description (the handlers' doc comments are the operations'
//! published descriptions, in French).

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;

use super::api_types::{
    CategoryBody, CommuneBody, ErrorBody, ExportBody, HealthBody, SchemeDetail, SchemeList,
    SchemeSummary, Suggestion, ThemeCount,
};
use super::error::{ApiError, AppError};
use super::params::extract::ApiQuery;
use super::params::{rule, CommuneParams, SearchParams, SuggestParams};
use super::AppState;
use crate::scheme::{Category, Scheme, Slug};
use crate::territory::{Commune, Resolved};

/// Cherche et liste les dispositifs, par pertinence (par nom sans `q`).
#[utoipa::path(get, path = "/api/dispositifs", tag = "dispositifs",
    params(SearchParams),
    responses(
        (status = 200, description = "Une page de résultats", body = SchemeList,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangée depuis l’ETag envoyé dans If-None-Match"),
        (status = 400, description = "Paramètre invalide, ou commune introuvable (le message cite les communes proches)", body = ErrorBody),
        (status = 500, description = "Erreur interne", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<impl IntoResponse, ApiError> {
    let engine = state.engine();
    let req = p.request(false, state.today());
    let r = engine.search(&req).map_err(ApiError::internal)?;
    let with_scores = !p.q.is_empty();
    let list = SchemeList {
        total: r.total,
        page: p.page,
        par_page: p.per_page,
        dispositifs: r
            .hits
            .iter()
            .map(|h| SchemeSummary::of_hit(h, state.base_url(), with_scores.then_some(h.score)))
            .collect(),
        vouliez_vous_dire: r.did_you_mean,
        mots_sans_resultat: r.words_without_match.clone(),
        urgence: engine
            .data
            .urgency
            .for_query(&p.q)
            .into_iter()
            .map(|l| super::api_types::UrgenceBody {
                nom: l.nom.clone(),
                numero: l.numero.clone(),
                description: l.description.clone(),
            })
            .collect(),
        thematiques: r
            .theme_counts
            .into_iter()
            .map(|(slug, nombre)| ThemeCount { slug, nombre })
            .collect(),
    };
    // Written out here: the list borrows the schemes of this engine.
    json_sized(&list, 1024 + 640 * list.dispositifs.len())
}

/// A JSON answer written into a buffer of about its size: axum's `Json` starts at 128 bytes
/// and grows, copying a page of results several times over.
fn json_sized<T: serde::Serialize>(
    value: &T,
    capacity: usize,
) -> Result<axum::response::Response, ApiError> {
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, value).map_err(ApiError::internal)?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// Un dispositif, en entier.
#[utoipa::path(get, path = "/api/dispositifs/{id}", tag = "dispositifs",
    params(("id" = String, Path, description = "Identifiant du dispositif", example = "sac-ados")),
    responses(
        (status = 200, description = "Le dispositif", body = SchemeDetail,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangé depuis l’ETag envoyé dans If-None-Match"),
        (status = 404, description = "Dispositif inconnu", body = ErrorBody),
        (status = 500, description = "Erreur interne", body = ErrorBody),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let engine = state.engine();
    let scheme = engine
        .data
        .scheme(&id)
        .ok_or(ApiError(AppError::NotFound))?;
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

/// Les thématiques, avec leur nombre de dispositifs.
#[utoipa::path(get, path = "/api/thematiques", tag = "listes",
    responses(
        (status = 200, description = "Les thématiques", body = Vec<CategoryBody>,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangées depuis l’ETag envoyé dans If-None-Match"),
        (status = 500, description = "Erreur interne", body = ErrorBody),
    )
)]
pub async fn themes(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let engine = state.engine();
    let d = &engine.data;
    Ok(Json(categories(&d.themes, &d.schemes, |s| &s.thematiques)))
}

/// Les publics, avec leur nombre de dispositifs.
#[utoipa::path(get, path = "/api/publics", tag = "listes",
    responses(
        (status = 200, description = "Les publics", body = Vec<CategoryBody>,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangés depuis l’ETag envoyé dans If-None-Match"),
        (status = 500, description = "Erreur interne", body = ErrorBody),
    )
)]
pub async fn publics(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let engine = state.engine();
    let d = &engine.data;
    Ok(Json(categories(&d.publics, &d.schemes, |s| &s.publics)))
}

/// Les communes que le filtre `commune` de `/api/dispositifs` retiendrait pour le même texte,
/// avec leur code INSEE et leur EPCI.
#[utoipa::path(get, path = "/api/communes", tag = "listes",
    params(CommuneParams),
    responses(
        (status = 200, description = "La commune, ou toutes celles d’un code postal partagé", body = Vec<CommuneBody>,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangée depuis l’ETag envoyé dans If-None-Match"),
        (status = 400, description = "Paramètre absent, vide ou trop long", body = ErrorBody),
        (status = 404, description = "Aucune commune certaine (le message cite les communes proches)", body = ErrorBody),
        (status = 500, description = "Erreur interne", body = ErrorBody),
    )
)]
pub async fn communes(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<CommuneParams>,
) -> Result<impl IntoResponse, ApiError> {
    let engine = state.engine();
    let c = &engine.data.communes;
    let found: Vec<&Commune> = match c.resolve(&p.q) {
        Resolved::One(one) => vec![one],
        Resolved::Several(all) => all,
        Resolved::Unresolved(close) => {
            let mut message = format!(
                "Aucune commune du Pas-de-Calais ne correspond à coup sûr à « {} ».",
                rule::quote(p.q.trim())
            );
            if !close.is_empty() {
                let list: Vec<String> = close
                    .iter()
                    .map(|x| format!("{} ({})", x.nom, x.code))
                    .collect();
                message.push_str(&format!(" Communes proches : {}.", list.join(", ")));
            }
            return Err(ApiError::not_found_with(message));
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
            .collect::<Vec<_>>(),
    ))
}

/// Jusqu’à 8 dispositifs pour le texte en cours de frappe (le dernier mot compte comme un
/// début de mot).
#[utoipa::path(get, path = "/api/suggestions", tag = "dispositifs",
    params(SuggestParams),
    responses(
        (status = 200, description = "Suggestions, peut-être aucune", body = Vec<Suggestion>,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangées depuis l’ETag envoyé dans If-None-Match"),
        (status = 400, description = "Texte absent ou trop long", body = ErrorBody),
        (status = 500, description = "Erreur interne", body = ErrorBody),
    )
)]
pub async fn suggestions(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SuggestParams>,
) -> Result<impl IntoResponse, ApiError> {
    let engine = state.engine();
    let found = engine
        .suggest(&p.q, 8, state.today())
        .map_err(ApiError::internal)?;
    Ok(Json(
        found
            .into_iter()
            .map(|s| Suggestion {
                id: s.id.to_string(),
                nom: s.nom.clone(),
                url: s.path(),
            })
            .collect::<Vec<_>>(),
    ))
}

/// Tous les dispositifs, en entier (données ouvertes, Licence Ouverte 2.0).
#[utoipa::path(get, path = "/donnees/dispositifs.json", tag = "données ouvertes",
    responses(
        (status = 200, description = "Le référentiel complet", body = ExportBody,
            headers(("ETag" = String, description = "Version de la réponse"),
                    ("Last-Modified" = String, description = "Date de chargement des données"))),
        (status = 304, description = "Inchangé depuis l’ETag envoyé dans If-None-Match"),
        (status = 500, description = "Erreur interne", body = ErrorBody),
    )
)]
pub async fn export(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let engine = state.engine();
    Ok(Json(ExportBody {
        licence: "Licence Ouverte 2.0 (Etalab)".to_owned(),
        version_donnees: engine.data.fingerprint[..16].to_owned(),
        total: engine.data.schemes.len(),
        dispositifs: engine
            .data
            .schemes
            .iter()
            .map(|s| SchemeDetail::new(s, state.base_url()))
            .collect(),
    }))
}

/// The data version served and the last reload's outcome: public, so it names the files in
/// error but never quotes them (the whole report is in the log).
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "État du service", body = HealthBody)))]
pub async fn health(State(state): State<AppState>) -> Json<HealthBody> {
    let engine = state.engine();
    let h = state.health();
    let derniere_erreur = h.public_error();
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
        derniere_erreur,
        fichiers_en_erreur: h.error_files,
        redaction: crate::editor::health(&state),
    })
}

/// API paths that do not exist answer in JSON too.
pub async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}
