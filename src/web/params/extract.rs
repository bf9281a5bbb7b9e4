//! `ApiQuery<T>`: an axum extractor that reads the query string by `T`'s contract and
//! answers the API's JSON 400 when it is refused; `SearchForm`: a page's search parameters,
//! or why they were refused. Both reuse the parameters the cache layer already parsed.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Extensions;

use super::{CommuneParams, Contract, ParamError, SearchParams, SuggestParams, API};
use crate::data::Dataset;
use crate::web::cache::Canonical;
use crate::web::error::ApiError;
use crate::web::AppState;

/// A query struct read from the URL of an API request.
pub struct ApiQuery<T>(pub T);

/// How an API query struct is read from a query string.
pub trait FromApiQuery: Sized {
    fn from_api_query(raw: Option<&str>, data: &Dataset) -> Result<Self, ApiError>;

    /// The value the cache layer already parsed for this request, if any.
    fn parsed(_extensions: &Extensions, _data: &Dataset) -> Option<Self> {
        None
    }
}

fn refused(message: String) -> ApiError {
    ApiError::bad_request(message)
}

/// The message of a refused search, with the communes the partner may have meant.
fn search_refused(e: Box<ParamError>) -> ApiError {
    let mut msg = e.message;
    if !e.choices.is_empty() {
        let list: Vec<String> = e
            .choices
            .iter()
            .map(|(code, nom)| format!("{nom} ({code})"))
            .collect();
        msg.push_str(&format!(" Communes possibles : {}.", list.join(", ")));
    }
    refused(msg)
}

impl FromApiQuery for SearchParams {
    fn from_api_query(raw: Option<&str>, data: &Dataset) -> Result<Self, ApiError> {
        super::search_api(raw, data).map_err(search_refused)
    }

    fn parsed(extensions: &Extensions, data: &Dataset) -> Option<Self> {
        Canonical::search(extensions, data, true)
    }
}

impl FromApiQuery for SuggestParams {
    fn from_api_query(raw: Option<&str>, data: &Dataset) -> Result<Self, ApiError> {
        Self::rules()
            .parse(raw, data, &API)
            .map_err(|r| refused(r.message()))
    }
}

impl FromApiQuery for CommuneParams {
    fn from_api_query(raw: Option<&str>, data: &Dataset) -> Result<Self, ApiError> {
        Self::rules()
            .parse(raw, data, &API)
            .map_err(|r| refused(r.message()))
    }
}

impl<T: FromApiQuery> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let engine = state.engine();
        if let Some(p) = T::parsed(&parts.extensions, &engine.data) {
            return Ok(ApiQuery(p));
        }
        T::from_api_query(parts.uri.query(), &engine.data).map(ApiQuery)
    }
}

/// A page's search parameters as `params::search` reads them, or why they were refused.
pub struct SearchForm(pub Result<SearchParams, Box<ParamError>>);

impl FromRequestParts<AppState> for SearchForm {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        let engine = state.engine();
        if let Some(p) = Canonical::search(&parts.extensions, &engine.data, false) {
            return Ok(SearchForm(Ok(p)));
        }
        Ok(SearchForm(super::search(parts.uri.query(), &engine.data)))
    }
}
