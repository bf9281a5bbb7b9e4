//! The public pages this work adds: « Données personnelles » and the news of schemes
//! (`/nouveautes`, Atom `/nouveautes.atom`). Read-only, no cookie, built from the data only.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use crate::store::searches::{KEEP_MONTHS, MIN_SHOWN};
use crate::web::error::AppError;
use crate::web::views::{french_date, Layout};
use crate::web::AppState;

/// How many schemes the news list and feed show.
pub const NEWS: usize = 30;

#[derive(Template)]
#[template(path = "redaction/donnees-personnelles.html")]
pub struct PersonalDataPage {
    pub layout: Layout,
    pub min_shown: i64,
    pub keep_months: u8,
}

pub async fn personal_data(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let page = PersonalDataPage {
        layout: Layout::new(
            "Données personnelles",
            "Ce que le site garde quand tu l’utilises : aucun cookie, seulement des comptes anonymes de recherches.",
            state.base_url(),
            "/donnees-personnelles",
        ),
        min_shown: MIN_SHOWN,
        keep_months: KEEP_MONTHS,
    };
    page.render().map(Html).map_err(AppError::internal)
}

pub struct NewsEntry {
    pub nom: String,
    pub path: String,
    pub resume: String,
    pub date: String,
    pub iso: String,
}

#[derive(Template)]
#[template(path = "redaction/nouveautes.html")]
pub struct NewsPage {
    pub layout: Layout,
    pub entries: Vec<NewsEntry>,
}

#[derive(Template)]
#[template(path = "redaction/nouveautes.xml")]
pub struct NewsFeed {
    pub base_url: String,
    pub updated: String,
    pub entries: Vec<NewsEntry>,
}

/// The schemes most recently added or checked (by `mis_a_jour`), newest first.
fn entries(state: &AppState) -> Vec<NewsEntry> {
    let engine = state.engine();
    let mut schemes: Vec<_> = engine.data.schemes.iter().collect();
    schemes.sort_by(|a, b| b.mis_a_jour.cmp(&a.mis_a_jour).then(a.nom.cmp(&b.nom)));
    schemes
        .into_iter()
        .take(NEWS)
        .map(|s| NewsEntry {
            nom: s.nom.clone(),
            path: s.path(),
            resume: s.resume.clone(),
            date: french_date(s.mis_a_jour),
            iso: s.mis_a_jour.to_string(),
        })
        .collect()
}

pub async fn news(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let page = NewsPage {
        layout: Layout::new(
            "Nouveautés",
            "Les dispositifs jeunesse ajoutés ou vérifiés le plus récemment.",
            state.base_url(),
            "/nouveautes",
        ),
        entries: entries(&state),
    };
    page.render().map(Html).map_err(AppError::internal)
}

pub async fn news_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries = entries(&state);
    let updated = entries
        .iter()
        .map(|e| e.iso.clone())
        .max()
        .unwrap_or_else(|| state.today().to_string());
    let feed = NewsFeed {
        base_url: state.base_url().to_owned(),
        updated: format!("{updated}T00:00:00Z"),
        entries,
    };
    let body = feed.render().map_err(AppError::internal)?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}
