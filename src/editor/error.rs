//! Errors of the espace rédaction, each rendered as a French page (or a bare status for
//! non-HTML clients where the brief says so).

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::views::{ErrorPage, Frame};

/// What went wrong in the editor.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    /// 303 to `/connexion` for a browser page, 401 otherwise: no live session.
    #[error("connexion nécessaire")]
    Unauthenticated { html: bool },
    /// 403: the account's role does not reach this page or record.
    #[error("accès refusé")]
    Forbidden,
    /// 403: the form's CSRF token is missing or wrong; nothing was changed.
    #[error("jeton de formulaire absent ou invalide")]
    Csrf,
    /// 400: an identifier in the address is not a valid id (`../`, odd characters…).
    #[error("identifiant invalide")]
    BadId,
    /// 400: a form could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// 404: no such record or page.
    #[error("introuvable")]
    NotFound,
    /// 413: the form is larger than the editor accepts.
    #[error("formulaire trop grand")]
    TooLarge,
    /// 429: too many failed logins for this account or address; retry after this many seconds.
    #[error("trop de tentatives")]
    TooManyAttempts(i64),
    /// 503: the state database is missing or unwritable; the public site still serves.
    #[error("espace rédaction indisponible : {0}")]
    Unavailable(String),
    /// 500: logged, never detailed.
    #[error("erreur interne : {0}")]
    Internal(String),
}

impl EditorError {
    pub fn internal(e: impl std::fmt::Display) -> EditorError {
        EditorError::Internal(e.to_string())
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            EditorError::Unauthenticated { .. } => (
                StatusCode::UNAUTHORIZED,
                "Connexion nécessaire",
                "Connecte-toi pour accéder à l’espace rédaction.".into(),
            ),
            EditorError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Accès refusé",
                "Ton compte ne donne pas accès à cette page.".into(),
            ),
            EditorError::Csrf => (
                StatusCode::FORBIDDEN,
                "Formulaire expiré",
                "Ce formulaire a expiré ou ne vient pas de l’espace rédaction : rien n’a été modifié. Recharge la page et recommence.".into(),
            ),
            EditorError::BadId => (
                StatusCode::BAD_REQUEST,
                "Identifiant invalide",
                "Un identifiant ne contient que des lettres minuscules sans accent, des chiffres et des tirets.".into(),
            ),
            EditorError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Demande incorrecte", m.clone()),
            EditorError::NotFound => (
                StatusCode::NOT_FOUND,
                "Introuvable",
                "Cette fiche ou cette page n’existe pas.".into(),
            ),
            EditorError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Formulaire trop grand",
                "Le formulaire envoyé est trop grand.".into(),
            ),
            EditorError::TooManyAttempts(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                format!(
                    "Trop de connexions échouées. Réessaie dans {} minute(s).",
                    (secs + 59) / 60
                ),
            ),
            EditorError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Espace rédaction indisponible",
                "L’espace rédaction est indisponible pour le moment (base d’état absente ou en lecture seule). Le site public fonctionne normalement.".into(),
            ),
            EditorError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Erreur",
                "L’espace rédaction a rencontré un problème. Rien n’a été publié ; réessaie dans un instant.".into(),
            ),
        }
    }
}

impl IntoResponse for EditorError {
    fn into_response(self) -> Response {
        match &self {
            EditorError::Unauthenticated { html: true } => {
                return Redirect::to("/connexion").into_response()
            }
            EditorError::Internal(detail) => {
                tracing::error!(%detail, "erreur de l’espace rédaction")
            }
            EditorError::Unavailable(detail) => {
                tracing::warn!(%detail, "espace rédaction indisponible")
            }
            _ => {}
        }
        let (status, title, message) = self.parts();
        let page = ErrorPage {
            frame: Frame::anonymous(title),
            title: title.to_owned(),
            message,
        };
        let mut response = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        };
        if let EditorError::TooManyAttempts(secs) = self {
            if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<crate::store::StoreError> for EditorError {
    fn from(e: crate::store::StoreError) -> EditorError {
        EditorError::internal(e)
    }
}
