//! One way to answer with an askama page: `Page(template)` renders it as HTML, or answers the
//! 500 page (logged) when the template fails. Handlers return it, alone or with a status.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::error::AppError;

/// A page to render when the response is built.
pub struct Page<T>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => Html(html).into_response(),
            Err(e) => AppError::internal(e).into_response(),
        }
    }
}
