//! ETag and Last-Modified on the API and the exports, answering `If-None-Match` with 304
//! so that partners can poll cheaply. A response depends only on the data version and the
//! request's address, so the tag is computed before running the handler.

use std::hash::{Hash, Hasher};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cache::Canonical;
use super::AppState;

fn etag_for(state: &AppState, req: &mut Request) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    // Answers depend on the date (open or closed campaigns), so the tag does too.
    state.today().hash(&mut h);
    req.uri().path().hash(&mut h);
    // Equivalent addresses (another order, unknown parameters) share the cache entry, so
    // they share the tag too.
    let engine = state.engine();
    // A copy of the address (shared bytes) so the extensions can be written meanwhile.
    let uri = req.uri().clone();
    let canonical = Canonical::of(req.extensions_mut(), uri.path(), uri.query(), &engine.data);
    canonical
        .query()
        .unwrap_or(uri.query().unwrap_or(""))
        .hash(&mut h);
    format!("\"{}-{:016x}\"", &engine.data.fingerprint[..16], h.finish())
}

fn matches(header_value: &str, etag: &str) -> bool {
    header_value
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

pub async fn conditional(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    let etag = etag_for(&state, &mut req);
    let last_modified = state.loaded_at_http();
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| matches(v, &etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        next.run(req).await
    };
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, v);
        }
        if let Ok(v) = HeaderValue::from_str(&last_modified) {
            headers.insert(header::LAST_MODIFIED, v);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}
