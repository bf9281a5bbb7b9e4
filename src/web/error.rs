//! Errors of the web layer: `AppError` answers a French page, `ApiError` the same error as
//! the API's JSON; no variant carries the format.

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

/// What went wrong while answering a request; as a response, a French HTML page.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: unknown path or unknown scheme.
    #[error("page introuvable")]
    NotFound,
    /// 404 with a specific message (e.g. no such commune).
    #[error("{0}")]
    NotFoundWith(String),
    /// 400: a parameter the visitor sent is wrong; the message says which and why, in French.
    #[error("{0}")]
    BadRequest(String),
    /// 500: a bug or an index failure; logged, never detailed to the visitor.
    #[error("erreur interne : {0}")]
    Internal(String),
}

/// The same error, answered as the API's JSON error object.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    /// The response in the given shape (for layers that serve pages and the API alike).
    pub fn respond(self, format: Format) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "erreur interne");
        }
        let (status, title, message) = self.parts();
        error_response(status, format, title, message)
    }

    fn parts(self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "Cette page n’existe pas ou plus. Le dispositif a peut-être changé d’adresse : cherche-le par son nom.".to_owned(),
            ),
            AppError::NotFoundWith(msg) => (StatusCode::NOT_FOUND, "Introuvable", msg),
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, "Demande incorrecte", msg),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
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

/// Most sentences of an error message shown (duplicates are shown once).
const MAX_SENTENCES: usize = 4;
/// Most characters of an error message shown.
const MAX_MESSAGE_CHARS: usize = 800;

/// The sentences of a message: each ends with « . », « ! », « ? » or « … » before a space.
fn sentences(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = message.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        let at_boundary = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        if matches!(c, '.' | '!' | '?' | '…') && at_boundary {
            out.push(message[start..end].trim());
            start = end;
        }
    }
    out.push(message[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// A message as shown: a query repeating a bad parameter gives many sentences, often the
/// same; each is shown once, a few at most, and the whole is cut to a few lines.
pub fn bounded_message(message: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut more = false;
    for sentence in sentences(message) {
        if kept.contains(&sentence) {
            continue;
        }
        if kept.len() == MAX_SENTENCES {
            more = true;
            break;
        }
        kept.push(sentence);
    }
    let mut out = kept.join(" ");
    if out.chars().count() > MAX_MESSAGE_CHARS {
        out = out.chars().take(MAX_MESSAGE_CHARS).collect();
        out.push('…');
        more = true;
    }
    if more {
        out.push_str(" D’autres erreurs ne sont pas affichées.");
    }
    out
}

/// Renders an error page (also used by the fallback and the panic handler); the message is
/// bounded (`bounded_message`).
pub fn error_response(
    status: StatusCode,
    format: Format,
    title: &str,
    message: String,
) -> Response {
    let message = bounded_message(&message);
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
        self.respond(Format::Html)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.respond(Format::Json)
    }
}

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError(AppError::internal(e))
    }

    pub fn bad_request(message: String) -> ApiError {
        ApiError(AppError::BadRequest(message))
    }

    pub fn not_found_with(message: String) -> ApiError {
        ApiError(AppError::NotFoundWith(message))
    }
}
