//! The editor's page frame, login, error and dashboard pages.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};

use super::error::EditorError;
use super::layers::User;
use crate::web::assets::ASSETS;
use crate::web::AppState;

/// The editor's stylesheet (on top of the public one).
pub const STYLE: &str = include_str!("style.css");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        STYLE,
    )
}

pub fn render(t: &impl Template) -> Result<Html<String>, EditorError> {
    t.render().map(Html).map_err(EditorError::internal)
}

/// The menu of a logged-in editor.
pub struct Nav {
    pub account: String,
    pub csrf: String,
    pub redaction: bool,
    /// The structure a `structure` account edits.
    pub structure: Option<String>,
}

/// What every editor page's frame needs.
pub struct Frame {
    pub title: String,
    pub css: String,
    pub nav: Option<Nav>,
}

impl Frame {
    pub fn anonymous(title: &str) -> Frame {
        Frame {
            title: title.to_owned(),
            css: ASSETS.css_href(),
            nav: None,
        }
    }

    pub fn new(title: &str, user: &User) -> Frame {
        Frame {
            title: title.to_owned(),
            css: ASSETS.css_href(),
            nav: Some(Nav {
                account: user.account.id.clone(),
                csrf: user.csrf.clone(),
                redaction: user.is_redaction(),
                structure: user.structure().map(str::to_owned),
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "connexion.html")]
pub struct LoginPage {
    pub frame: Frame,
    pub csrf: String,
    pub error: Option<String>,
    pub identifiant: String,
}

impl LoginPage {
    pub fn new(csrf: &str, error: Option<&str>, identifiant: &str) -> LoginPage {
        LoginPage {
            frame: Frame::anonymous("Connexion"),
            csrf: csrf.to_owned(),
            error: error.map(str::to_owned),
            identifiant: identifiant.to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "redaction/erreur.html")]
pub struct ErrorPage {
    pub frame: Frame,
    pub title: String,
    pub message: String,
}

/// A record in a list: its name, its id and where to edit it.
pub struct RecordLink {
    pub id: String,
    pub nom: String,
    pub href: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "redaction/accueil.html")]
pub struct DashboardPage {
    pub frame: Frame,
    pub schemes: Vec<RecordLink>,
    pub places: Vec<RecordLink>,
    pub pending: usize,
}

pub async fn dashboard(
    State(state): State<AppState>,
    user: User,
) -> Result<Html<String>, EditorError> {
    let engine = state.engine();
    let data = &engine.data;
    let today = state.today();
    let schemes = if user.is_redaction() {
        data.schemes
            .iter()
            .map(|s| RecordLink {
                id: s.id.to_string(),
                nom: s.nom.clone(),
                href: format!("/redaction/dispositifs/{}", s.id),
                detail: s.availability(today).label().to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let places = data
        .places
        .iter()
        .filter(|p| user.is_redaction() || user.structure() == Some(p.id.as_str()))
        .map(|p| RecordLink {
            id: p.id.to_string(),
            nom: p.nom.clone(),
            href: format!("/redaction/structures/{}", p.id),
            detail: {
                let kind = data
                    .place_type(p.kind.as_str())
                    .map(|t| t.libelle.clone())
                    .unwrap_or_default();
                if p.closed {
                    format!("{kind} (fermée, archivée)")
                } else {
                    kind
                }
            },
        })
        .collect();
    let pending = if user.is_redaction() {
        user.store.pending_proposals()?.len()
    } else {
        0
    };
    render(&DashboardPage {
        frame: Frame::new("Espace rédaction", &user),
        schemes,
        places,
        pending,
    })
}
