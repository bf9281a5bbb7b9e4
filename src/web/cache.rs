//! A response cache for read-only pages and API answers. An answer depends only on the data
//! version, the day and the parameters the handler reads, so the key is those: the path and
//! its known parameters parsed and written again in one order (unknown ones ignored, as the
//! handlers ignore them). A reload changes the version and the old entries are never read
//! again (they age out). After a school presentation, many young people type the same few
//! searches: those are answered from memory.

use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use super::params::{self, CommuneParams, Contract, SearchParams, SuggestParams, API, SEARCH_FORM};
use super::AppState;
use crate::data::Dataset;

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

/// The path's known parameters, parsed and written again in one order, with, on the search
/// paths, the search parameters they were written from (the handler reads the same ones);
/// `None` when the query is refused (the error is not cached) or when the path reads no
/// parameters yet got some (a path missing from this list is never cached with a query, so
/// it can never serve one query's answer to another).
fn canonical_parts(
    path: &str,
    raw: Option<&str>,
    data: &Dataset,
) -> Option<(String, Option<SearchParams>)> {
    let search_page = path == "/recherche"
        || path == "/embed"
        || path.starts_with("/thematiques/")
        || path.starts_with("/publics/");
    if search_page {
        let p = params::search(raw, data).ok()?;
        return Some((SearchParams::rules().encode(&p, &SEARCH_FORM), Some(p)));
    }
    let query = match path {
        "/api/dispositifs" => {
            let p = params::search_api(raw, data).ok()?;
            return Some((SearchParams::rules().encode(&p, &API), Some(p)));
        }
        "/api/suggestions" => {
            let rules = SuggestParams::rules();
            let p: SuggestParams = rules.parse(raw, data, &API).ok()?;
            rules.encode(&p, &API)
        }
        "/api/communes" => {
            let rules = CommuneParams::rules();
            let p: CommuneParams = rules.parse(raw, data, &API).ok()?;
            rules.encode(&p, &API)
        }
        // `/pro` reads the search parameters but no page, and its own `ordre` (as `pro.rs`).
        "/pro" | "/pro/export.csv" => {
            let (order, rest): (Vec<_>, Vec<_>) = params::pairs(raw)
                .into_iter()
                .filter(|(k, _)| k != "page" && k != "par_page")
                .partition(|(k, _)| k == "ordre");
            let rest = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&rest)
                .finish();
            let p = params::search(Some(&rest), data).ok()?;
            // `for_suffix(.., 0)`: `&` between the search parameters and `ordre`.
            let mut key = form_urlencoded::Serializer::for_suffix(
                SearchParams::rules().encode(&p, &SEARCH_FORM),
                0,
            );
            for (k, v) in &order {
                key.append_pair(k, v.trim());
            }
            key.finish()
        }
        _ if raw.is_none_or(str::is_empty) => String::new(),
        _ => return None,
    };
    Some((query, None))
}

/// A request's canonical query, computed once per request (by the cache, the ETag layer or
/// the handler, whichever asks first) and kept in the request's extensions: a search's
/// parameters used to be parsed three times, by the cache key, the ETag and the handler.
#[derive(Clone)]
pub struct Canonical {
    /// The data version it was parsed against: a reload in between means parsing again.
    fingerprint: Arc<str>,
    /// Parsed as the API reads parameters (`/api/dispositifs`) rather than as the pages do.
    api: bool,
    query: Option<String>,
    search: Option<SearchParams>,
}

impl Canonical {
    /// The request's canonical query (see [`canonical_parts`]), memoised in `extensions`.
    pub fn of<'a>(
        extensions: &'a mut axum::http::Extensions,
        path: &str,
        raw: Option<&str>,
        data: &Dataset,
    ) -> &'a Canonical {
        let stale = extensions
            .get::<Canonical>()
            .is_none_or(|c| *c.fingerprint != *data.fingerprint);
        if stale {
            let (query, search) = match canonical_parts(path, raw, data) {
                Some((q, p)) => (Some(q), p),
                None => (None, None),
            };
            extensions.insert(Canonical {
                fingerprint: Arc::from(data.fingerprint.as_str()),
                api: path == "/api/dispositifs",
                query,
                search,
            });
        }
        extensions.get::<Canonical>().expect("inserted above")
    }

    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The accepted search parameters, when this request is a search parsed against `data`
    /// the way the caller reads it (`api`: as the API does).
    pub fn search(
        extensions: &axum::http::Extensions,
        data: &Dataset,
        api: bool,
    ) -> Option<SearchParams> {
        let c = extensions.get::<Canonical>()?;
        if c.api != api || *c.fingerprint != *data.fingerprint {
            return None;
        }
        c.search.clone()
    }
}

/// The cache key of a request, when its answer may be cached.
pub fn key(state: &AppState, req: &mut Request) -> Option<String> {
    let engine = state.engine();
    // A copy of the address (shared bytes) so the extensions can be written meanwhile.
    let uri = req.uri().clone();
    let canonical = Canonical::of(req.extensions_mut(), uri.path(), uri.query(), &engine.data);
    let query = canonical.query()?;
    // The date is part of the key: a campaign that ends at midnight changes the pages.
    Some(format!(
        "{}|{}|{}?{query}",
        engine.data.fingerprint,
        state.today(),
        uri.path()
    ))
}

pub async fn cache(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let conditional = req
        .headers()
        .contains_key(axum::http::header::IF_NONE_MATCH);
    if req.method() != Method::GET || conditional || !cacheable(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(key) = key(&state, &mut req) else {
        return next.run(req).await;
    };
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
        Err(e) => super::error::AppError::internal(e).into_response(),
    }
}
