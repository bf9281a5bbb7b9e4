//! A missing or unwritable state database: the public site serves, the editor says it is
//! unavailable, /healthz shows it.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::clock::Clock;
use referentiel_jeunesse::editor::Services;
use referentiel_jeunesse::search::Engine;
use referentiel_jeunesse::store::Store;
use referentiel_jeunesse::AppState;

use crate::util::{request_with, shipped_data, TODAY};

#[tokio::test]
async fn an_unusable_state_folder_leaves_the_public_site_serving() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("etat");
    std::fs::write(&not_a_folder, "un fichier, pas un dossier").unwrap();
    let store = Store::open(&not_a_folder);
    assert!(store.is_err());
    let state = AppState::with_clock(
        Engine::in_ram(shipped_data()).unwrap(),
        "http://test.local".into(),
        Clock::Fixed(TODAY),
    );
    state.install_editor(Services::new(
        store,
        crate::util::root().join("data"),
        "http://test.local",
    ));
    let get = |uri: &str, html: bool| {
        let mut b = Request::builder().uri(uri);
        if html {
            b = b.header(header::ACCEPT, "text/html");
        }
        b.body(Body::empty()).unwrap()
    };
    for uri in [
        "/",
        "/recherche?q=permis",
        "/dispositifs/sac-ados",
        "/donnees-personnelles",
    ] {
        assert_eq!(
            request_with(state.clone(), get(uri, true)).await.status,
            StatusCode::OK,
            "{uri}"
        );
    }
    for uri in [
        "/connexion",
        "/redaction",
        "/redaction/dispositifs/sac-ados",
    ] {
        let r = request_with(state.clone(), get(uri, true)).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert!(r.select("h1")[0].contains("indisponible"));
    }
    let health = request_with(state.clone(), get("/healthz", false)).await;
    assert_eq!(health.status, StatusCode::OK);
    let redaction = health.json()["redaction"].as_str().unwrap().to_owned();
    assert!(redaction.starts_with("indisponible"), "{redaction}");
}

#[tokio::test]
async fn healthz_says_the_editor_is_available() {
    let site = super::support::Site::new().await;
    let r = site
        .send(
            Request::builder()
                .uri("/healthz")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.json()["redaction"], "disponible");
}
