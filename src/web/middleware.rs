//! The middleware stack: security headers (outermost, on every response), request log, French
//! errors for the framework's own rejections, limits, compression, panic catcher.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::error::{error_response, Format};

/// Largest accepted request body (the site only reads query strings).
const MAX_BODY_BYTES: usize = 16 * 1024;
/// Largest accepted total size of the request headers.
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Longest a request may take before a 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests handled at once; more wait their turn.
const MAX_CONCURRENT: usize = 512;

/// The Content-Security-Policy of every page but the embeddable search.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// One structured line per request: method, route, status, latency.
async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(aucune)".to_owned());
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let latency_us = start.elapsed().as_micros() as u64;
    if status >= 500 {
        tracing::error!(%method, %route, status, latency_us, "requête");
    } else {
        tracing::info!(%method, %route, status, latency_us, "requête");
    }
    response
}

/// The error format a path answers in: JSON under `/api/`, HTML elsewhere (`/api` itself is
/// the HTML page describing the API).
fn format_for(path: &str) -> Format {
    if path.starts_with("/api/") {
        Format::Json
    } else {
        Format::Html
    }
}

/// Refuses oversized headers with a 431 and a French message.
async fn limit_headers(req: Request, next: Next) -> Response {
    let size: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum::<usize>()
        + req.uri().to_string().len();
    if size > MAX_HEADER_BYTES {
        return error_response(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format_for(req.uri().path()),
            "Demande trop grande",
            "Les en-têtes ou l’adresse de la demande sont trop longs.".to_owned(),
        );
    }
    next.run(req).await
}

/// The French title and message of an error status the framework answered by itself.
fn french_error(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::NOT_FOUND => (
            "Page introuvable",
            "Cette page n’existe pas ou plus. Cherche le dispositif par son nom.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Demande incorrecte",
            "Ce site se consulte en lecture seulement : cette méthode n’est pas acceptée.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "Délai dépassé",
            "La demande a pris trop de temps. Réessaie dans un instant.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Demande trop grande",
            "Le contenu envoyé est trop gros : ce site lit seulement des adresses.",
        ),
        StatusCode::URI_TOO_LONG | StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => (
            "Demande trop grande",
            "Les en-têtes ou l’adresse de la demande sont trop longs.",
        ),
        s if s.is_server_error() => (
            "Erreur du site",
            "Le site a rencontré un problème. Réessaie dans un instant.",
        ),
        _ => (
            "Demande incorrecte",
            "L’adresse demandée n’est pas valide : vérifie-la ou cherche le dispositif par son nom.",
        ),
    }
}

/// Replaces the framework's own error answers (axum's rejections in English `text/plain`,
/// tower-http's bare 408 and 413, axum's empty 405) with the site's French page, or its JSON
/// error under `/api/`; the answers of the handlers (HTML or JSON) are left as they are.
async fn french_rejections(req: Request, next: Next) -> Response {
    let format = format_for(req.uri().path());
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("text/html") || content_type.starts_with("application/json") {
        return response;
    }
    let (title, message) = french_error(status);
    let mut french = error_response(status, format, title, message.to_owned());
    for kept in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = response.headers().get(&kept) {
            french.headers_mut().insert(kept, v.clone());
        }
    }
    french
}

/// Browser features no page of the site uses.
const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()";
/// HSTS for a site served over https (one year; subdomains are not ours to decide).
const HSTS: &str = "max-age=31536000";

/// Whether other sites may load this path (the embeddable search, the API, the open data).
fn shared_across_origins(path: &str) -> bool {
    path == "/embed" || path.starts_with("/api/") || path.starts_with("/donnees/")
}

/// Adds the security headers that depend on the response to every response: the framing
/// policy (left to a handler that set its own, the embed route), who may load it, and
/// revalidation of pages. The fixed ones are `fixed_headers`.
async fn security_headers(req: Request, next: Next) -> Response {
    let shared = shared_across_origins(req.uri().path());
    let mut response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static(if shared {
            "cross-origin"
        } else {
            "same-origin"
        }),
    );
    if html && !headers.contains_key(header::CACHE_CONTROL) {
        // Pages change with the data and the date: a cache asks again before reusing one.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// The headers every response carries whatever it is (HSTS only when the site is served over
/// https), set by tower-http's `SetResponseHeaderLayer`.
fn fixed_headers(router: Router, https: bool) -> Router {
    let fixed: [(HeaderName, &'static str); 4] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let mut router = router;
    for (name, value) in fixed {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    if https {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    router
}

fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "panique".to_owned());
    tracing::error!(%detail, "panique dans un gestionnaire");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        Format::Html,
        "Erreur du site",
        "Le site a rencontré un problème. Réessaie dans un instant.".to_owned(),
    )
}

/// Wraps routes with the whole stack. The security headers are outermost so that every
/// response gets them, including the limits' and the framework's; the request log comes next
/// and sees every status. `base_url` decides HSTS (only over https).
pub fn layers(router: Router, base_url: &str) -> Router {
    let https = base_url.starts_with("https://");
    let router = router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            MAX_CONCURRENT,
        ))
        .layer(middleware::from_fn(limit_headers))
        .layer(middleware::from_fn(french_rejections))
        .layer(middleware::from_fn(log_request))
        .layer(middleware::from_fn(security_headers));
    fixed_headers(router, https)
}
