//! The editor's layers: its own middleware stack, session loading, login and role checks,
//! CSRF checks on every state-changing request; and the `User` extractor handlers use.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use super::error::EditorError;
use crate::store::sessions::Session;
use crate::store::{constant_time_eq, Account, Role, Store};
use crate::web::AppState;

/// Largest form the editor reads (a scheme with many sources).
pub const MAX_FORM_BYTES: usize = 1024 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The session cookie's name: `__Host-` whenever it is `Secure` (no Domain, Path=/).
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-redaction"
    } else {
        "redaction"
    }
}

/// The `Set-Cookie` value of a session: HttpOnly, SameSite=Strict, Secure over https.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{flags}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("redaction=; Path=/"))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{flags}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("redaction=; Path=/; Max-Age=0"))
}

/// The session cookie's value in a request, if any.
pub fn cookie_value(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The session of this request (set by `load_session`), logged in or not.
#[derive(Clone, Default)]
pub struct CurrentSession(pub Option<Session>);

/// The store of a request that reached a handler (checked by `load_session`).
#[derive(Clone)]
pub struct StoreHandle(pub Store);

/// Whether the client wants a page (a browser) rather than a status for a program.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The client's address as the server saw it (the login throttle counts per address).
pub fn client_address(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "inconnue".to_owned())
}

/// Refuses every editor request with 503 when the state database is not there; otherwise
/// loads the session named by the cookie.
pub async fn load_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(services) = state.editor() else {
        return EditorError::Unavailable("espace rédaction non configuré".into()).into_response();
    };
    let Some(store) = services.store() else {
        let why = services.unavailable().unwrap_or_default().to_owned();
        return EditorError::Unavailable(why).into_response();
    };
    let session = match cookie_value(req.headers(), services.secure_cookies) {
        Some(token) => match store.session(&token) {
            Ok(s) => s,
            Err(e) => return EditorError::from(e).into_response(),
        },
        None => None,
    };
    req.extensions_mut().insert(CurrentSession(session));
    req.extensions_mut().insert(StoreHandle(store.clone()));
    next.run(req).await
}

/// Everything under `/redaction` needs a logged-in session.
pub async fn require_login(req: Request, next: Next) -> Response {
    let logged_in = req
        .extensions()
        .get::<CurrentSession>()
        .is_some_and(|s| s.0.as_ref().is_some_and(|s| s.account.is_some()));
    if !logged_in {
        let html = wants_html(req.headers());
        return EditorError::Unauthenticated { html }.into_response();
    }
    next.run(req).await
}

/// Pages for the Département's team only (structure accounts get 403).
pub async fn require_redaction(user: User, req: Request, next: Next) -> Response {
    if user.account.role != Role::Redaction {
        return EditorError::Forbidden.into_response();
    }
    next.run(req).await
}

/// Checks the CSRF token of every state-changing request against the session's, before any
/// handler runs: missing or wrong → 403 and nothing changed.
pub async fn csrf(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let expected = req
        .extensions()
        .get::<CurrentSession>()
        .and_then(|s| s.0.as_ref())
        .map(|s| s.csrf.clone());
    if expected.is_none() && req.uri().path().starts_with("/redaction") {
        // No session at all: `require_login` answers 303/401 before any handler runs.
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => return EditorError::TooLarge.into_response(),
    };
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match (expected, sent) {
        (Some(e), Some(s)) if constant_time_eq(e.as_bytes(), s.as_bytes()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => EditorError::Csrf.into_response(),
    }
}

/// A logged-in editor, as handlers see it.
#[derive(Debug, Clone)]
pub struct User {
    pub account: Account,
    /// The token to put in every form.
    pub csrf: String,
    pub store: Store,
}

impl User {
    pub fn is_redaction(&self) -> bool {
        self.account.role == Role::Redaction
    }

    /// The only structure a `structure` account reaches.
    pub fn structure(&self) -> Option<&str> {
        match &self.account.role {
            Role::Structure(s) => Some(s.as_str()),
            Role::Redaction => None,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = EditorError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<User, EditorError> {
        let session = parts
            .extensions
            .get::<CurrentSession>()
            .and_then(|s| s.0.clone());
        let store = parts.extensions.get::<StoreHandle>().map(|s| s.0.clone());
        match (session, store) {
            (
                Some(Session {
                    account: Some(account),
                    csrf,
                    ..
                }),
                Some(store),
            ) => Ok(User {
                account,
                csrf,
                store,
            }),
            _ => Err(EditorError::Unauthenticated {
                html: wants_html(&parts.headers),
            }),
        }
    }
}

/// Editor responses are never cached nor framed, and carry the site's security headers.
async fn headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::web::middleware::CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    response
}

async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    if status >= 500 {
        tracing::error!(%method, %path, status, "rédaction");
    } else {
        tracing::info!(%method, %path, status, "rédaction");
    }
    response
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("panique dans l’espace rédaction");
    EditorError::Internal("panique".into()).into_response()
}

/// The editor's own stack: its forms are larger than the public site accepts, and nothing
/// of it goes through the public response cache.
pub fn stack(router: Router) -> Router {
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(log_request))
}
