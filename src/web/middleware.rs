//! The middleware stack: request log, panic catcher, limits, compression, security headers.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
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
            Format::Html,
            "Demande trop grande",
            "Les en-têtes ou l’adresse de la demande sont trop longs.".to_owned(),
        );
    }
    next.run(req).await
}

/// Adds the security headers unless the handler set its own policy (the embed route).
async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
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

/// Wraps routes with the whole stack; the request log is outermost so it sees every status.
pub fn layers(router: Router) -> Router {
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(security_headers))
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
        .layer(middleware::from_fn(log_request))
}
