//! Static assets compiled into the binary, served under content-hashed names with a long
//! cache lifetime (the name changes whenever the content does).

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::error::AppError;

struct Asset {
    name: String,
    content_type: &'static str,
    body: &'static [u8],
}

/// The assets of this build.
pub static ASSETS: LazyLock<Assets> = LazyLock::new(Assets::new);

/// The site's stylesheet and script, with their hashed public names.
pub struct Assets {
    css: Asset,
    js: Asset,
}

fn hashed(stem: &str, ext: &str, body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("{stem}.{hex}.{ext}")
}

impl Assets {
    pub fn new() -> Assets {
        let css: &'static [u8] = include_bytes!("../../static/style.css");
        let js: &'static [u8] = include_bytes!("../../static/app.js");
        Assets {
            css: Asset {
                name: hashed("style", "css", css),
                content_type: "text/css; charset=utf-8",
                body: css,
            },
            js: Asset {
                name: hashed("app", "js", js),
                content_type: "text/javascript; charset=utf-8",
                body: js,
            },
        }
    }

    pub fn css_href(&self) -> String {
        format!("/static/{}", self.css.name)
    }

    pub fn js_href(&self) -> String {
        format!("/static/{}", self.js.name)
    }
}

impl Default for Assets {
    fn default() -> Self {
        Assets::new()
    }
}

/// `GET /static/{name}`: only the known hashed names; anything else (`..`, other files) is 404.
pub async fn serve(Path(name): Path<String>) -> Result<Response, AppError> {
    let assets = &*ASSETS;
    let asset = [&assets.css, &assets.js]
        .into_iter()
        .find(|a| a.name == name)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.body,
    )
        .into_response())
}
