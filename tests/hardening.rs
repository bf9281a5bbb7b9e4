//! Regression tests for issue 17 (hardening) on the web side: CSV formulas, `/healthz`,
//! bounded errors, French rejections with security headers, embed errors, work off the async
//! workers. Data files and the index: `hardening_data.rs`; the server: `server.rs`.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use http_body_util::BodyExt;
use referentiel_jeunesse::clock::Clock;
use referentiel_jeunesse::data;
use referentiel_jeunesse::search::Engine;
use referentiel_jeunesse::web::middleware;
use referentiel_jeunesse::web::reload::{self, Outcome, Paths};
use referentiel_jeunesse::AppState;

use tower::ServiceExt;

use crate::hardening_data::edit;
use crate::util::{data_copy, request_with, shipped_data, TODAY};

/// A state on a data folder (the index in memory), on the tests' fixed day.
fn state_on(dir: &std::path::Path) -> AppState {
    let d = data::load(dir, TODAY).expect("valid data");
    AppState::with_clock(
        Engine::in_ram(d).expect("index"),
        "http://test.local".into(),
        Clock::Fixed(TODAY),
    )
}

async fn get_on(state: &AppState, uri: &str) -> crate::util::Reply {
    let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
    request_with(state.clone(), req).await
}

const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"https://exemple.invalid\",\"clic\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
];

/// Issue 17, point 2: cells that a spreadsheet would run as formulas are neutralised in both
/// CSV exports, and `check` warns about such values.
#[tokio::test]
async fn issue17_csv_exports_neutralise_formulas_and_check_warns() {
    let dir = data_copy();
    edit(&dir.path().join("dispositifs/sac-ados.json"), |v| {
        v["nom"] = FORMULAS[0].into();
        v["porteur"] = FORMULAS[1].into();
        v["conditions"] = serde_json::json!(FORMULAS[2..]);
    });
    let warnings: Vec<String> = data::load(dir.path(), TODAY)
        .expect("formulas are only warnings")
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    for field in ["`nom`", "`porteur`", "`conditions[0]`", "`conditions[3]`"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("dispositifs/sac-ados.json")
                    && w.contains(field)
                    && w.contains("formule")),
            "no warning for {field}: {warnings:#?}"
        );
    }
    let state = state_on(dir.path());
    for uri in ["/donnees/dispositifs.csv", "/pro/export.csv?q=sac%20ados"] {
        let r = get_on(&state, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let mut reader = csv::Reader::from_reader(r.body.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        for cell in rows.iter().flat_map(|r| r.iter()) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{uri}: formula cell {cell:?}"
            );
        }
        let row = rows.iter().find(|r| &r[0] == "sac-ados").expect("row");
        assert_eq!(
            &row[1],
            format!("'{}", FORMULAS[0]),
            "{uri}: the text is kept"
        );
        assert_eq!(&row[8], format!("'{}", FORMULAS[1]), "{uri}");
    }
}

/// Issue 17, point 5: `/healthz` names the files in error but never shows their contents.
#[tokio::test]
async fn issue17_healthz_names_files_in_error_without_their_contents() {
    let dir = data_copy();
    let index = tempfile::tempdir().unwrap();
    let state = state_on(dir.path());
    let paths = Paths {
        data: dir.path().to_path_buf(),
        index: index.path().to_path_buf(),
    };
    // serde and the validation quote what they read: the field name and the id.
    let file = dir.path().join("dispositifs/sac-ados.json");
    edit(&file, |v| v["SECRET_CHAMP"] = "x".into());
    edit(&dir.path().join("dispositifs/pass-culture.json"), |v| {
        v["id"] = "secret-valeur".into()
    });
    assert_eq!(reload::reload(&state, &paths), Outcome::Refused);
    let detail = state
        .health()
        .last_error
        .expect("the report is kept for the log");
    assert!(
        detail.contains("SECRET_CHAMP") && detail.contains("secret-valeur"),
        "{detail}"
    );
    let r = get_on(&state, "/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    let h = r.json();
    assert_eq!(h["statut"], "degrade");
    assert_eq!(
        h["fichiers_en_erreur"],
        serde_json::json!(["dispositifs/pass-culture.json", "dispositifs/sac-ados.json"])
    );
    assert!(h["dispositifs"].as_u64().unwrap() > 0);
    assert!(h["version_donnees"].as_str().is_some_and(|v| v.len() == 16));
    let body = r.body.to_lowercase();
    assert!(!body.contains("secret"), "{body}");
    assert!(!body.contains("ligne") && !body.contains("champ"), "{body}");
}

/// A query string repeating `age=<bad value>` about 15 KB long, each value different.
fn repeated_bad_ages() -> String {
    (0..1600)
        .map(|i| format!("age=x{i}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Issue 17, point 7: an error shows a few messages at most, and none in meta tags.
#[tokio::test]
async fn issue17_error_messages_are_bounded_and_kept_out_of_meta_tags() {
    let qs = repeated_bad_ages();
    assert!(qs.len() > 14_000);
    for path in ["/embed", "/recherche", "/pro", "/api/dispositifs"] {
        let r = crate::util::get(&format!("{path}?{qs}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        let shown = r.body.matches("doit être un nombre entier").count();
        assert!((1..=4).contains(&shown), "{path}: {shown} messages");
        assert!(r.body.len() < 30_000, "{path}: {} bytes", r.body.len());
        if !path.starts_with("/api") {
            let doc = r.html();
            let meta = scraper::Selector::parse("meta[content]").unwrap();
            for m in doc.select(&meta) {
                let content = m.value().attr("content").unwrap_or_default();
                assert!(!content.contains("nombre entier"), "{path}: {content}");
            }
        }
    }
    let same = vec!["age=abc"; 1600].join("&");
    let r = crate::util::get(&format!("/embed?{same}")).await;
    assert_eq!(r.body.matches("doit être un nombre entier").count(), 1);
}

/// The headers every response carries, whatever built it.
fn assert_security_headers(r: &crate::util::Reply, what: &str) {
    for name in [
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
    ] {
        assert!(r.headers.contains_key(name), "{what}: no {name}");
    }
}

fn assert_french_html(r: &crate::util::Reply, status: StatusCode, words: &str, what: &str) {
    assert_eq!(r.status, status, "{what}");
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{what}: {:?}",
        r.headers
    );
    assert!(
        r.body.contains("lang=\"fr\"") && r.body.contains(words),
        "{what}: {}",
        r.body
    );
    assert_security_headers(r, what);
}

fn assert_french_json(r: &crate::util::Reply, status: StatusCode, what: &str) {
    assert_eq!(r.status, status, "{what}");
    let v = r.json();
    assert_eq!(v["erreur"]["statut"], status.as_u16(), "{what}");
    assert!(
        v["erreur"]["message"]
            .as_str()
            .is_some_and(|m| m.contains('’') || m.contains('é')),
        "{what}: {v}"
    );
    assert_security_headers(r, what);
}

async fn send(req: Request<Body>) -> crate::util::Reply {
    request_with(crate::util::test_state(), req).await
}

/// Issue 17, point 8: 413, 431, invalid UTF-8 in a path, 405 and 408 are the site's French
/// errors (JSON under /api/) with the security headers.
#[tokio::test]
async fn issue17_framework_rejections_are_french_with_security_headers() {
    for (path, json) in [("/", false), ("/api/dispositifs", true)] {
        let big_body = Request::builder()
            .uri(path)
            .header(header::CONTENT_LENGTH, "20000")
            .body(Body::from(vec![b'x'; 20_000]))
            .unwrap();
        let big_header = Request::builder()
            .uri(path)
            .header("x-grand", "x".repeat(20_000))
            .body(Body::empty())
            .unwrap();
        let post = Request::builder()
            .method("POST")
            .uri(path)
            .body(Body::empty())
            .unwrap();
        for (req, status, words) in [
            (big_body, StatusCode::PAYLOAD_TOO_LARGE, "trop gros"),
            (
                big_header,
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "trop longs",
            ),
            (post, StatusCode::METHOD_NOT_ALLOWED, "lecture"),
        ] {
            let r = send(req).await;
            let what = format!("{path} {status}");
            if json {
                assert_french_json(&r, status, &what);
            } else {
                assert_french_html(&r, status, words, &what);
            }
        }
    }
    let r = crate::util::get("/dispositifs/%FF%FE").await;
    assert_french_html(&r, StatusCode::BAD_REQUEST, "adresse", "invalid UTF-8 path");
    let r = crate::util::get("/api/dispositifs/%FF%FE").await;
    assert_french_json(&r, StatusCode::BAD_REQUEST, "invalid UTF-8 API path");

    // What `TimeoutLayer` answers after its delay: a bare 408.
    let router = middleware::layers(
        axum::Router::new().route("/lent", get(|| async { StatusCode::REQUEST_TIMEOUT })),
        "http://test.local",
    );
    let resp = router
        .oneshot(Request::builder().uri("/lent").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let r = crate::util::Reply {
        status: resp.status(),
        headers: resp.headers().clone(),
        body: String::from_utf8(
            resp.into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap(),
    };
    assert_french_html(&r, StatusCode::REQUEST_TIMEOUT, "trop de temps", "408");
}

/// Issue 17, point 10: more security headers, `Cache-Control` on HTML, HSTS on https, and no
/// control character from `q` echoed back.
#[tokio::test]
async fn issue17_more_headers_and_no_control_characters_echoed() {
    let r = crate::util::get("/").await;
    assert_security_headers(&r, "/");
    assert_eq!(r.headers["cross-origin-opener-policy"], "same-origin");
    assert_eq!(r.headers["cross-origin-resource-policy"], "same-origin");
    assert!(r.headers["permissions-policy"]
        .to_str()
        .unwrap()
        .contains("camera=()"));
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-cache");
    assert!(
        !r.headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
        "http base URL"
    );
    let e = crate::util::get("/embed?q=vacances").await;
    assert_eq!(e.headers["cross-origin-resource-policy"], "cross-origin");

    let https = AppState::with_clock(
        Engine::in_ram(shipped_data()).unwrap(),
        "https://jeunes.pasdecalais.fr".into(),
        Clock::Fixed(TODAY),
    );
    let r = get_on(&https, "/").await;
    assert!(r.headers[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .starts_with("max-age="));

    for uri in [
        "/recherche?q=va%07can%1B%5B31mces%00",
        "/embed?q=va%07can%1B%5B31mces%00",
        "/pro?q=va%07can%1B%5B31mces%00",
    ] {
        let r = crate::util::get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(
            !r.body
                .contains(|c: char| c.is_control() && !"\n\r\t".contains(c)),
            "{uri}"
        );
        assert!(
            r.body.contains("vacan[31mces"),
            "{uri}: the rest of the text is echoed"
        );
    }
}

/// Issue 17, point 9: the embed's errors keep its framing policy, so the partner's iframe
/// shows them instead of a browser block.
#[tokio::test]
async fn issue17_embed_errors_can_show_in_a_partner_iframe() {
    for uri in ["/embed?age=abc", "/embed?theme=inconnue"] {
        let r = crate::util::get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors *"), "{uri}: {csp}");
        assert!(!r.headers.contains_key(header::X_FRAME_OPTIONS), "{uri}");
        assert!(r.body.contains("lang=\"fr\""), "{uri}");
    }
    let r = crate::util::get("/").await;
    assert!(r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

/// Issue 17, point 3: searches, page rendering and exports run off the async workers, one
/// job per core at most. On a one-thread runtime, with every CPU slot taken, heavy requests
/// started first wait for a slot without holding the worker: `/healthz`, started last, is
/// answered while none of them is done. (Before, they ran on the worker and were all done
/// before `/healthz` was even looked at.)
#[tokio::test(flavor = "current_thread")]
async fn issue17_heavy_requests_do_not_hold_the_async_worker() {
    // A state of its own: an empty response cache, so nothing is answered from memory.
    let state = AppState::with_clock(
        Engine::in_ram(shipped_data()).unwrap(),
        "http://test.local".into(),
        Clock::Fixed(TODAY),
    );
    let cpu = state.0.cpu.clone();
    let slots = cpu
        .clone()
        .acquire_many_owned(cpu.available_permits() as u32)
        .await
        .unwrap();
    let done = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let heavy = [
        "/recherche?q=vacances%20entre%20potes",
        "/thematiques/vacances-loisirs?q=permis",
        "/publics/collegiens?q=sport",
        "/pro/export.csv?q=engagement",
        "/pro?q=sport",
        "/donnees/dispositifs.csv",
        "/embed?q=culture",
    ];
    let mut tasks = Vec::new();
    for uri in heavy {
        let (state, done) = (state.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let r = get_on(&state, uri).await;
            assert_eq!(r.status, StatusCode::OK, "{uri}");
            done.lock().unwrap().push(uri);
        }));
    }
    let health = tokio::spawn({
        let state = state.clone();
        async move { get_on(&state, "/healthz").await.status }
    });
    assert_eq!(health.await.unwrap(), StatusCode::OK);
    assert_eq!(
        *done.lock().unwrap(),
        Vec::<&str>::new(),
        "done before /healthz"
    );
    drop(slots);
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(done.lock().unwrap().len(), heavy.len());
}

/// Work moved off the async workers still ends in the 500 page when it panics.
#[tokio::test]
async fn issue17_a_panic_in_blocking_work_gives_the_500_page() {
    let state = crate::util::test_state();
    let router = middleware::layers(
        axum::Router::new().route(
            "/panique",
            get(move || {
                let state = state.clone();
                async move {
                    state
                        .blocking(state.engine(), |_, _| -> &'static str {
                            panic!("boum hors des fils async")
                        })
                        .await
                }
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
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("Erreur du site") && !body.contains("boum"),
        "{body}"
    );
}
