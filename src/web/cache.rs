//! A response cache for read-only pages and API answers. An answer depends only on the data
//! version and the request's address, so the key is both: a reload changes the version and
//! the old entries are never read again (they age out). After a school presentation, many
//! young people type the same few searches: those are answered from memory.

use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use super::AppState;

/// Total size of cached bodies.
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Bodies larger than this are not cached (whole-data exports).
const MAX_ENTRY_BYTES: usize = 512 * 1024;

#[derive(Clone)]
pub struct Entry {
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone)]
pub struct BodyWeight;

impl quick_cache::Weighter<String, Arc<Entry>> for BodyWeight {
    fn weight(&self, key: &String, val: &Arc<Entry>) -> u64 {
        (key.len() + val.body.len() + 256) as u64
    }
}

pub type ResponseCache = quick_cache::sync::Cache<String, Arc<Entry>, BodyWeight>;

pub fn new_cache() -> ResponseCache {
    quick_cache::sync::Cache::with_weighter(4096, MAX_BYTES, BodyWeight)
}

/// Paths whose answer is not a pure function of data and address.
fn cacheable(path: &str) -> bool {
    !(path == "/healthz" || path.starts_with("/static/") || path.starts_with("/donnees/"))
}

pub async fn cache(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let conditional = req
        .headers()
        .contains_key(axum::http::header::IF_NONE_MATCH);
    if req.method() != Method::GET || conditional || !cacheable(req.uri().path()) {
        return next.run(req).await;
    }
    // The date is part of the key: a campaign that ends at midnight changes the pages.
    let key = format!(
        "{}|{}|{}",
        state.engine().data.fingerprint,
        state.today(),
        req.uri()
    );
    if let Some(hit) = state.cache().get(&key) {
        let mut response = Response::new(Body::from(hit.body.clone()));
        *response.headers_mut() = hit.headers.clone();
        return response;
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    // Only bodies of known, modest size are kept (not streams, not whole-data exports).
    let small = response
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n as usize <= MAX_ENTRY_BYTES);
    if !small {
        return response;
    }
    let (parts, body) = response.into_parts();
    match body.collect().await {
        Ok(collected) => {
            let bytes = collected.to_bytes();
            let entry = Entry {
                headers: parts.headers.clone(),
                body: bytes.clone(),
            };
            state.cache().insert(key, Arc::new(entry));
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => super::error::AppError::internal(super::error::Format::Html, e).into_response(),
    }
}
