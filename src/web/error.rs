//! Errors of the web layer, each rendered as a French page or a JSON error.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::views::ErrorPage;

/// The shape of a response: an HTML page or the API's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: unknown path or unknown scheme.
    #[error("page introuvable")]
    NotFound(Format),
    /// 404 with a specific message (e.g. no such commune).
    #[error("{1}")]
    NotFoundWith(Format, String),
    /// 400: a parameter the visitor sent is wrong; the message says which and why, in French.
    #[error("{1}")]
    BadRequest(Format, String),
    /// 500: a bug or an index failure; logged, never detailed to the visitor.
    #[error("erreur interne : {1}")]
    Internal(Format, String),
}

impl AppError {
    pub fn internal(format: Format, e: impl std::fmt::Display) -> AppError {
        AppError::Internal(format, e.to_string())
    }

    fn parts(&self) -> (StatusCode, Format, &'static str, String) {
        match self {
            AppError::NotFound(f) => (
                StatusCode::NOT_FOUND,
                *f,
                "Page introuvable",
                "Cette page n’existe pas ou plus. Le dispositif a peut-être changé d’adresse : cherche-le par son nom.".to_owned(),
            ),
            AppError::NotFoundWith(f, msg) => (StatusCode::NOT_FOUND, *f, "Introuvable", msg.clone()),
            AppError::BadRequest(f, msg) => (StatusCode::BAD_REQUEST, *f, "Demande incorrecte", msg.clone()),
            AppError::Internal(f, _) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                *f,
                "Erreur du site",
                "Le site a rencontré un problème. Réessaie dans un instant.".to_owned(),
            ),
        }
    }
}

#[derive(Serialize)]
pub struct JsonError {
    pub erreur: JsonErrorBody,
}

#[derive(Serialize)]
pub struct JsonErrorBody {
    pub statut: u16,
    pub code: &'static str,
    pub message: String,
}

/// Renders an error page (also used by the fallback and the panic handler).
pub fn error_response(
    status: StatusCode,
    format: Format,
    title: &str,
    message: String,
) -> Response {
    match format {
        Format::Json => {
            let code = match status.as_u16() {
                404 => "introuvable",
                400..=499 => "requete_invalide",
                _ => "erreur_interne",
            };
            let body = JsonError {
                erreur: JsonErrorBody {
                    statut: status.as_u16(),
                    code,
                    message,
                },
            };
            (status, Json(body)).into_response()
        }
        Format::Html => {
            let page = ErrorPage::new(status.as_u16(), title, message);
            match page.render() {
                Ok(html) => (status, Html(html)).into_response(),
                Err(_) => (status, title.to_owned()).into_response(),
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(_, detail) = &self {
            tracing::error!(%detail, "erreur interne");
        }
        let (status, format, title, message) = self.parts();
        error_response(status, format, title, message)
    }
}
