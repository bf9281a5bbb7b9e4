//! Site-wide pages and files: accessibility statement, open data, sitemap, robots.txt.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use super::html::Page;
use super::pro::{csv_of, csv_response};
use super::views::{french_date, Layout};
use super::AppState;

#[derive(Template)]
#[template(path = "accessibilite.html")]
pub struct AccessibilityPage {
    pub layout: Layout,
}

pub async fn accessibility(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let page = AccessibilityPage {
        layout: Layout::new(
            "Déclaration d’accessibilité",
            "État de conformité du site au RGAA et aux WCAG 2.1 AA.",
            state.base_url(),
            "/accessibilite",
        ),
    };
    Ok(Page(page))
}

#[derive(Template)]
#[template(path = "donnees.html")]
pub struct OpenDataPage {
    pub layout: Layout,
    pub count: usize,
    pub date: String,
    pub version: String,
}

pub async fn open_data(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let engine = state.engine();
    let newest = engine.data.schemes.iter().map(|s| s.mis_a_jour).max();
    let page = OpenDataPage {
        layout: Layout::new(
            "Données ouvertes",
            "Télécharger le référentiel des dispositifs jeunesse du Pas-de-Calais (Licence Ouverte 2.0).",
            state.base_url(),
            "/donnees",
        ),
        count: engine.data.schemes.len(),
        date: newest.map(french_date).unwrap_or_default(),
        version: engine.data.fingerprint[..16].to_owned(),
    };
    Ok(Page(page))
}

/// `GET /donnees/dispositifs.csv`: every scheme, one row each (written off the async workers).
pub async fn export_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let body = state
        .blocking(state.engine(), |_, engine| {
            let all: Vec<&crate::scheme::Scheme> = engine.data.schemes.iter().collect();
            csv_of(&all)
        })
        .await
        .map_err(AppError::internal)?;
    Ok(csv_response(body, "dispositifs-jeunesse-62.csv"))
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /recherche\nDisallow: /api/\nDisallow: /embed\nSitemap: {}/sitemap.xml\n",
        state.base_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub async fn sitemap(State(state): State<AppState>) -> Response {
    let engine = state.engine();
    let base = state.base_url();
    let mut urls: Vec<(String, Option<String>)> = [
        "/",
        "/pro",
        "/donnees",
        "/api",
        "/integrer",
        "/accessibilite",
    ]
    .iter()
    .map(|p| (format!("{base}{p}"), None))
    .collect();
    urls.extend(
        engine
            .data
            .themes
            .iter()
            .map(|t| (format!("{base}/thematiques/{}", t.slug), None)),
    );
    urls.extend(
        engine
            .data
            .publics
            .iter()
            .map(|t| (format!("{base}/publics/{}", t.slug), None)),
    );
    urls.extend(engine.data.schemes.iter().map(|s| {
        (
            format!("{base}{}", s.path()),
            Some(s.mis_a_jour.to_string()),
        )
    }));
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (loc, lastmod) in urls {
        body.push_str(&format!("  <url><loc>{}</loc>", xml_escape(&loc)));
        if let Some(d) = lastmod {
            body.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        body.push_str("</url>\n");
    }
    body.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}
