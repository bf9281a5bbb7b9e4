//! `ApiQuery<T>`: an axum extractor that reads the query string by `T`'s contract and
//! answers the API's JSON 400 when it is refused.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{CommuneParams, Contract, ParamError, SearchParams, SuggestParams, API};
use crate::data::Dataset;
use crate::web::error::ApiError;
use crate::web::AppState;

/// A query struct read from the URL of an API request.
pub struct ApiQuery<T>(pub T);

/// How an API query struct is read from a query string.
pub trait FromApiQuery: Sized {
    fn from_api_query(raw: Option<&str>, data: &Dataset) -> Result<Self, ApiError>;
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
        T::from_api_query(parts.uri.query(), &engine.data).map(ApiQuery)
    }
}
