//! Shared helpers: the app on the shipped data (built once), requests without a socket.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use referentiel_jeunesse::clock::Clock;
use referentiel_jeunesse::data::{self, Dataset};
use referentiel_jeunesse::search::Engine;
use referentiel_jeunesse::{app, AppState};
use tower::ServiceExt;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The day every test runs on: tests never read the system clock, so the suite passes
/// whatever the date of the machine (a campaign that ends does not turn it red).
pub const TODAY: time::Date = time::macros::date!(2026 - 12 - 01);

pub fn shipped_data() -> Dataset {
    data::load(&root().join("data"), TODAY).expect("shipped data is valid")
}

/// One engine on the shipped data for the whole test binary.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_ram(shipped_data()).expect("index builds"))
}

pub fn test_state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| {
            AppState::with_clock(
                Engine::in_ram(shipped_data()).expect("index builds"),
                "http://test.local".into(),
                Clock::Fixed(TODAY),
            )
        })
        .clone()
}

#[allow(dead_code)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Texts of the elements matching a CSS selector.
    pub fn select(&self, css: &str) -> Vec<String> {
        let doc = self.html();
        let sel = scraper::Selector::parse(css).expect("valid selector");
        doc.select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }
}

pub async fn request_with(state: AppState, req: Request<Body>) -> Reply {
    let resp = app(state).oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(uri: &str) -> Reply {
    let req = Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request");
    request_with(test_state(), req).await
}

/// Ids of the API's results for a query string (already encoded).
pub async fn api_ids(query: &str) -> Vec<String> {
    let r = get(&format!("/api/dispositifs?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
    r.json()["dispositifs"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_owned())
        .collect()
}

pub fn encode(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

/// Copies the shipped data to a temporary folder for tests that break it.
pub fn data_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("data"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}
