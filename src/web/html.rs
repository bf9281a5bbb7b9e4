//! One way to answer with an askama page: `Page(template)` renders it as HTML, or answers the
//! 500 page (logged) when the template fails. Handlers return it, alone or with a status.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::error::AppError;

/// A page to render when the response is built.
pub struct Page<T>(pub T);

/// Room reserved for a page before rendering: a results page is 20 to 45 KB (10 to 40
/// results), and growing the buffer from askama's small estimate copied it again at each
/// doubling.
const PAGE_BYTES: usize = 48 * 1024;

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        let mut html = String::with_capacity(PAGE_BYTES.max(T::SIZE_HINT));
        match self.0.render_into(&mut html) {
            Ok(()) => Html(html).into_response(),
            Err(e) => AppError::internal(e).into_response(),
        }
    }
}
