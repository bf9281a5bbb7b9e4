//! `/connexion` and `/deconnexion`: the login form (with its CSRF token in a pre-login
//! session), throttled password checks, a new session id at login, logout.

use axum::extract::{Form, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::EditorError;
use super::layers::{self, CurrentSession, StoreHandle};
use super::views::{render, LoginPage};
use crate::store::throttle;
use crate::web::AppState;

fn secure(state: &AppState) -> bool {
    state.editor().is_some_and(|e| e.secure_cookies)
}

/// The login form; creates a pre-login session for its CSRF token when there is none.
pub async fn form(
    State(state): State<AppState>,
    axum::Extension(current): axum::Extension<CurrentSession>,
    axum::Extension(StoreHandle(store)): axum::Extension<StoreHandle>,
) -> Result<Response, EditorError> {
    if let Some(s) = &current.0 {
        if s.account.is_some() {
            return Ok(Redirect::to("/redaction").into_response());
        }
        return render(&LoginPage::new(&s.csrf, None, "")).map(IntoResponse::into_response);
    }
    let session = store.create_session(None)?;
    let mut response = render(&LoginPage::new(&session.csrf, None, ""))?.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        layers::session_cookie(&session.token, secure(&state)),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    mot_de_passe: String,
}

/// Checks the password (same message and cost for an unknown account), throttles failures per
/// account and per address, and replaces the pre-login session by a new one.
pub async fn submit(
    State(state): State<AppState>,
    axum::Extension(current): axum::Extension<CurrentSession>,
    axum::Extension(StoreHandle(store)): axum::Extension<StoreHandle>,
    extensions: axum::http::Extensions,
    Form(form): Form<LoginForm>,
) -> Result<Response, EditorError> {
    let keys = [
        throttle::account_key(&form.identifiant),
        throttle::address_key(&layers::client_address(&extensions)),
    ];
    if let Some(wait) = store.login_blocked_for(&keys)? {
        return Err(EditorError::TooManyAttempts(wait));
    }
    let (id, password) = (form.identifiant.clone(), form.mot_de_passe);
    let checker = store.clone();
    let account = tokio::task::spawn_blocking(move || checker.verify_login(&id, &password))
        .await
        .map_err(EditorError::internal)??;
    let Some(account) = account else {
        store.record_login_failure(&keys)?;
        let csrf = current.0.map(|s| s.csrf).unwrap_or_default();
        let page = LoginPage::new(
            &csrf,
            Some("Identifiant ou mot de passe incorrect."),
            &form.identifiant,
        );
        return Ok((StatusCode::UNAUTHORIZED, render(&page)?).into_response());
    };
    store.clear_login_failures(&keys[0])?;
    if let Some(old) = &current.0 {
        store.delete_session(&old.token)?;
    }
    tracing::info!(compte = %account.id, "connexion");
    let session = store.create_session(Some(account))?;
    let mut response = Redirect::to("/redaction").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        layers::session_cookie(&session.token, secure(&state)),
    );
    Ok(response)
}

/// Ends the session (its CSRF token was checked by the layer).
pub async fn logout(
    State(state): State<AppState>,
    axum::Extension(current): axum::Extension<CurrentSession>,
    axum::Extension(StoreHandle(store)): axum::Extension<StoreHandle>,
) -> Result<Response, EditorError> {
    if let Some(s) = &current.0 {
        store.delete_session(&s.token)?;
    }
    let mut response = Redirect::to("/connexion").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, layers::clear_cookie(secure(&state)));
    Ok(response)
}
