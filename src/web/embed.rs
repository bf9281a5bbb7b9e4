//! Embeddable search for relay structures' own sites: `/integrer` explains the iframe,
//! `/embed` renders a compact search limited to a theme and/or public, allowed in frames.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use super::html::Page;
use super::middleware::CSP;
use super::params;
use super::views::{Card, Layout};
use super::AppState;
use crate::search::Engine;

#[derive(Template)]
#[template(path = "integrer.html")]
pub struct IntegratePage {
    pub layout: Layout,
    pub base_url: String,
    pub themes: Vec<(String, String)>,
}

pub async fn integrate(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let engine = state.engine();
    let page = IntegratePage {
        layout: Layout::new(
            "Intégrer la recherche sur votre site",
            "Ajouter la recherche des dispositifs jeunesse sur le site d’une structure relais.",
            state.base_url(),
            "/integrer",
        ),
        base_url: state.base_url().to_owned(),
        themes: engine
            .data
            .themes
            .iter()
            .map(|t| (t.slug.to_string(), t.libelle.clone()))
            .collect(),
    };
    Ok(Page(page))
}

#[derive(Template)]
#[template(path = "embed.html")]
pub struct EmbedPage {
    pub layout: Layout,
    pub heading: String,
    pub q: String,
    pub hidden: Vec<(String, String)>,
    pub cards: Vec<Card>,
    pub total: usize,
    pub base_url: String,
}

/// `GET /embed?theme=…&public=…&q=…`: framable from any origin (this route only), its errors
/// too, so that a partner's iframe shows them instead of a browser block.
pub async fn embed(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let response = state
        .blocking(state.engine(), move |state, engine| {
            page(state, engine, raw.as_deref())
        })
        .await
        .unwrap_or_else(|e| e.into_response());
    framable(response)
}

/// Lets any site frame this response: the site's policy with `frame-ancestors *`, and no
/// `X-Frame-Options` (the security-header layer adds it only when no policy is set).
fn framable(mut response: Response) -> Response {
    let csp = CSP.replace("frame-ancestors 'none'", "frame-ancestors *");
    if let Ok(v) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

fn page(state: &AppState, engine: &Engine, raw: Option<&str>) -> Result<Response, AppError> {
    let data = &engine.data;
    let p = params::search(raw, data).map_err(|e| AppError::BadRequest(e.message.clone()))?;
    let req = p.first(10, state.today());
    let results = engine.search(&req).map_err(AppError::internal)?;
    let today = state.today();
    let mut hidden: Vec<(String, String)> = p
        .themes
        .iter()
        .map(|t| ("theme".to_owned(), t.clone()))
        .collect();
    hidden.extend(p.publics.iter().map(|t| ("public".to_owned(), t.clone())));
    let labels: Vec<String> = p
        .themes
        .iter()
        .filter_map(|t| data.theme(t).map(|c| c.libelle.clone()))
        .chain(
            p.publics
                .iter()
                .filter_map(|t| data.public(t).map(|c| c.libelle.clone())),
        )
        .collect();
    let heading = if labels.is_empty() {
        "Dispositifs jeunesse du Pas-de-Calais".to_owned()
    } else {
        format!("Dispositifs jeunesse : {}", labels.join(", "))
    };
    let mut layout = Layout::new(
        &heading,
        "Recherche intégrée des dispositifs jeunesse.",
        state.base_url(),
        "/embed",
    );
    layout.noindex = true;
    let page = EmbedPage {
        layout,
        heading,
        q: super::views::shown_text(&p.q),
        hidden,
        cards: results
            .hits
            .iter()
            .map(|h| Card::from_hit(h, data, today))
            .collect(),
        total: results.total,
        base_url: state.base_url().to_owned(),
    };
    Ok(Page(page).into_response())
}
