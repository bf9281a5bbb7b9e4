//! Bad input and bad data: reloads keep the last good data, panics become the 500 page,
//! hostile text is escaped everywhere, limits and security headers hold.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use http_body_util::BodyExt;
use referentiel_jeunesse::data;
use referentiel_jeunesse::search::Engine;
use referentiel_jeunesse::web::reload::{self, Outcome, Paths};
use referentiel_jeunesse::web::{middleware, AppState};
use tower::ServiceExt;

use crate::util::{data_copy, get as get_page, request_with};

fn state_on(dir: &std::path::Path, index: &std::path::Path) -> AppState {
    let d = data::load(dir, crate::util::TODAY).expect("valid copy");
    AppState::with_clock(
        Engine::on_disk(d, index).expect("index"),
        "http://test.local".into(),
        referentiel_jeunesse::clock::Clock::Fixed(crate::util::TODAY),
    )
}

async fn get_with(state: &AppState, uri: &str) -> crate::util::Reply {
    request_with(
        state.clone(),
        Request::builder().uri(uri).body(Body::empty()).unwrap(),
    )
    .await
}

fn edit(path: &std::path::Path, f: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[tokio::test]
async fn reload_swaps_valid_data_and_refuses_invalid_data() {
    let data = data_copy();
    let index = tempfile::tempdir().unwrap();
    let state = state_on(data.path(), index.path());
    let paths = Paths {
        data: data.path().to_path_buf(),
        index: index.path().to_path_buf(),
    };
    let file = data.path().join("dispositifs/sac-ados.json");
    // Answered (and cached) before the change: the reload must not serve it again.
    assert_eq!(
        get_with(&state, "/api/dispositifs/sac-ados").await.json()["nom"],
        "Sac Ados"
    );

    edit(&file, |v| v["nom"] = "Sac Ados nouvelle formule".into());
    assert_eq!(reload::reload(&state, &paths), Outcome::Swapped);
    let r = get_with(&state, "/api/dispositifs/sac-ados").await;
    assert_eq!(r.json()["nom"], "Sac Ados nouvelle formule");

    let before = get_with(&state, "/healthz").await.json()["version_donnees"].clone();
    std::fs::write(&file, "{ \"id\": \"sac-ados\", ").unwrap();
    assert_eq!(reload::reload(&state, &paths), Outcome::Refused);
    let h = get_with(&state, "/healthz").await.json();
    assert_eq!(h["statut"], "degrade");
    assert_eq!(
        h["version_donnees"], before,
        "the last good data keeps serving"
    );
    assert!(
        h["derniere_erreur"]
            .as_str()
            .unwrap()
            .contains("1 fichier en erreur"),
        "{h}"
    );
    assert_eq!(h["fichiers_en_erreur"][0], "dispositifs/sac-ados.json");
    let r = get_with(&state, "/api/dispositifs?q=sac%20ados").await;
    assert_eq!(r.json()["dispositifs"][0]["id"], "sac-ados");

    edit_raw_back(&file);
    assert_eq!(reload::reload(&state, &paths), Outcome::Swapped);
    assert_eq!(get_with(&state, "/healthz").await.json()["statut"], "ok");
}

fn edit_raw_back(file: &std::path::Path) {
    let original = crate::util::root().join("data/dispositifs/sac-ados.json");
    std::fs::copy(original, file).unwrap();
}

#[tokio::test]
async fn index_folder_is_reused_when_data_is_unchanged_and_rebuilt_when_broken() {
    let data_dir = crate::util::root().join("data");
    let index = tempfile::tempdir().unwrap();
    let load = || data::load(&data_dir, crate::util::TODAY).unwrap();
    assert!(Engine::on_disk(load(), index.path()).unwrap().rebuilt);
    assert!(
        !Engine::on_disk(load(), index.path()).unwrap().rebuilt,
        "unchanged data reopens the index"
    );
    for entry in std::fs::read_dir(index.path()).unwrap().flatten() {
        for f in std::fs::read_dir(entry.path()).unwrap().flatten() {
            if f.file_name() == "meta.json" {
                std::fs::write(f.path(), "garbage").unwrap();
            }
        }
    }
    let engine =
        Engine::on_disk(load(), index.path()).expect("a broken index is rebuilt, not a crash");
    assert!(engine.rebuilt);
    assert!(engine.num_docs() > 0);
}

#[tokio::test]
async fn a_panicking_handler_gives_the_500_page_and_a_log_line() {
    #[derive(Clone, Default)]
    struct Buf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let router = middleware::layers(
        Router::new().route(
            "/panique",
            get(|| async {
                if std::hint::black_box(true) {
                    panic!("boum de test");
                }
                "jamais"
            }),
        ),
        "http://test.local",
    );
    let resp = router
        .oneshot(
            Request::builder()
                .uri("/panique")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = String::from_utf8(
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(
        body.contains("Erreur du site") && body.contains("lang=\"fr\""),
        "{body}"
    );
    assert!(!body.contains("boum de test"), "internals are not shown");
    let log = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("boum de test"), "panic logged: {log}");
}

#[tokio::test]
async fn hostile_text_in_data_and_queries_is_escaped_everywhere() {
    let data = data_copy();
    let hostile = "<script>alert(1)</script> vacances";
    edit(&data.path().join("dispositifs/sac-ados.json"), |v| {
        v["description"] = format!("Texte {hostile} piégé").into();
        v["resume"] = format!("Résumé {hostile}").into();
        v["nom"] = "Sac Ados <img src=x onerror=alert(1)>".into();
    });
    let index = tempfile::tempdir().unwrap();
    let state = state_on(data.path(), index.path());
    for uri in [
        "/dispositifs/sac-ados",
        "/recherche?q=pi%C3%A9g%C3%A9%20vacances",
        "/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/pro",
        "/thematiques/vacances-loisirs",
        "/embed?q=vacances",
        "/dispositifs/%3Cscript%3E",
    ] {
        let r = get_with(&state, uri).await;
        assert!(
            !r.body.contains("<script>alert"),
            "{uri} leaks a script tag"
        );
        assert!(!r.body.contains("<img src=x"), "{uri} leaks an img tag");
    }
    let r = get_with(&state, "/recherche?q=pi%C3%A9g%C3%A9").await;
    assert!(
        r.body.contains("&lt;script&gt;")
            || r.body.contains("&#60;script&#62;")
            || r.body.contains("&lt;img"),
        "escaped text is still shown"
    );
    let csv = get_with(&state, "/donnees/dispositifs.csv").await;
    assert!(
        csv.body.contains("<script>alert(1)</script>"),
        "CSV keeps the raw text as data"
    );
}

#[tokio::test]
async fn static_files_cannot_escape_their_folder() {
    for uri in [
        "/static/../Cargo.toml",
        "/static/..%2FCargo.toml",
        "/static/%2e%2e%2fsrc%2fmain.rs",
        "/static/style.css",
        "/static/",
    ] {
        let r = get_page(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!r.body.contains("[package]"));
    }
}

#[tokio::test]
async fn hashed_assets_are_served_with_long_cache() {
    let home = get_page("/").await;
    let doc = home.html();
    let sel = scraper::Selector::parse("link[rel=stylesheet]").unwrap();
    let href = doc
        .select(&sel)
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    let r = get_page(&href).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
}

#[tokio::test]
async fn security_headers_and_framing_policy() {
    let r = get_page("/").await;
    let csp = r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(r.headers.contains_key(header::REFERRER_POLICY));
    let e = get_page("/embed?theme=vacances-loisirs").await;
    assert_eq!(e.status, StatusCode::OK);
    let csp = e.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(!e.headers.contains_key(header::X_FRAME_OPTIONS));
}

#[tokio::test]
async fn responses_are_compressed() {
    let req = Request::builder()
        .uri("/")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let r = request_with(crate::util::test_state(), req).await;
    assert_eq!(r.headers[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn oversized_headers_get_a_431() {
    let big = "x".repeat(20_000);
    let req = Request::builder()
        .uri("/")
        .header("x-grand", big)
        .body(Body::empty())
        .unwrap();
    let r = request_with(crate::util::test_state(), req).await;
    assert_eq!(r.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
}
