//! Regressions of issue 10: the date is an input, reloads are serialised, the default command
//! honours its configuration, the pro table sorts statuses by meaning.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::clock::Clock;
use referentiel_jeunesse::data;
use referentiel_jeunesse::search::Engine;
use referentiel_jeunesse::web::reload::{self, Cause, Outcome, Paths};
use referentiel_jeunesse::AppState;
use time::macros::date;

use crate::util::{data_copy, request_with, Reply};

async fn get_with(state: &AppState, uri: &str, etag: Option<&str>) -> Reply {
    let mut b = Request::builder().uri(uri);
    if let Some(t) = etag {
        b = b.header(header::IF_NONE_MATCH, t);
    }
    request_with(state.clone(), b.body(Body::empty()).unwrap()).await
}

fn edit(path: &std::path::Path, f: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// Issue 10, bug 1: a campaign that ends at midnight changes cached pages and ETags.
#[tokio::test]
async fn regression_10_1_cached_pages_and_etags_follow_the_date() {
    let data = data_copy();
    let file = data.path().join("dispositifs/sac-ados.json");
    edit(&file, |v| {
        v["statut"] = "ouvert".into();
        v["calendrier"]["fin"] = "2026-12-31".into();
    });
    let clock = Clock::settable(date!(2026 - 12 - 31));
    let loaded = data::load(data.path(), clock.today()).expect("valid copy");
    let state = AppState::with_clock(
        Engine::in_ram(loaded).unwrap(),
        "http://test.local".into(),
        clock.clone(),
    );
    let page = get_with(&state, "/dispositifs/sac-ados", None).await;
    assert!(page.body.contains("Ouvert"), "open on the last day");
    assert!(!page.body.contains("Campagne terminée"));
    let api = get_with(&state, "/api/dispositifs/sac-ados", None).await;
    let etag = api.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(
        get_with(&state, "/api/dispositifs/sac-ados", Some(&etag))
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );

    clock.set(date!(2027 - 01 - 01));
    let page = get_with(&state, "/dispositifs/sac-ados", None).await;
    assert!(
        page.body.contains("Campagne terminée"),
        "the cached page of yesterday is not served again"
    );
    let again = get_with(&state, "/api/dispositifs/sac-ados", Some(&etag)).await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "yesterday's ETag no longer matches"
    );
}

/// Issue 10, bug 2: SIGHUPs and file events arrive together; one worker reloads one at a time,
/// so no build removes another's folder and the index never falls back to memory.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_10_2_reload_bursts_are_serialised() {
    let data = data_copy();
    let index = tempfile::tempdir().unwrap();
    let loaded = data::load(data.path(), crate::util::TODAY).unwrap();
    let state = AppState::with_clock(
        Engine::on_disk(loaded, index.path()).unwrap(),
        "http://test.local".into(),
        Clock::Fixed(crate::util::TODAY),
    );
    let paths = Paths {
        data: data.path().to_path_buf(),
        index: index.path().to_path_buf(),
    };
    let reloader = reload::spawn(state.clone(), paths.clone());
    let _watcher = reload::watch(reloader.clone(), data.path()).expect("watcher");
    tokio::spawn(reload::on_hangup(reloader.clone()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let file = data.path().join("dispositifs/sac-ados.json");
    let pid = std::process::id().to_string();
    for i in 0..100 {
        edit(&file, |v| v["nom"] = format!("Sac Ados {i}").into());
        let sent = std::process::Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
    }
    tokio::time::sleep(reload::DEBOUNCE * 3).await;
    let last = reloader.reload_and_wait(Cause::Publish).await;
    assert!(matches!(last, Outcome::Swapped | Outcome::Unchanged));
    assert_eq!(
        state.engine().data.scheme("sac-ados").unwrap().nom,
        "Sac Ados 99"
    );
    assert_eq!(state.memory_fallbacks(), 0, "never an in-memory index");
    assert!(state.health().last_error.is_none(), "{:?}", state.health());
    let folders: Vec<_> = std::fs::read_dir(index.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders.len(), 1, "one valid index folder left: {folders:?}");
    assert!(index.path().join(&folders[0]).join("COMPLETE").exists());
}

/// Issue 10, bug 3: `referentiel` without a subcommand reads the same environment as `serve`.
#[test]
fn regression_10_3_default_command_honours_the_environment() {
    let missing = tempfile::tempdir().unwrap().path().join("nowhere");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_referentiel"))
        .env("REFERENTIEL_DATA", &missing)
        .env("REFERENTIEL_ADDR", "127.0.0.1:0")
        .env("REFERENTIEL_INDEX", missing.join("index"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the default command ignored REFERENTIEL_DATA and started serving data/");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(!status.success());
    assert!(
        err.contains("nowhere"),
        "names the configured folder: {err}"
    );
}

/// Issue 10, bug 6: the pro table sorts the status column by meaning, not by label.
#[tokio::test]
async fn regression_10_6_pro_sorts_status_by_meaning() {
    let r = crate::util::get("/pro?ordre=statut").await;
    assert_eq!(r.status, StatusCode::OK);
    let statuses = r.select("table tbody tr .badge");
    assert!(!statuses.is_empty(), "status cells found");
    let rank = |label: &str| match label {
        "Ouvert" => 0,
        "À confirmer" => 1,
        "Bientôt" => 2,
        "En projet" => 3,
        "En pause" => 4,
        "Campagne terminée" => 5,
        "Fermé" => 6,
        other => panic!("unknown status label {other}"),
    };
    let ranks: Vec<i32> = statuses.iter().map(|s| rank(s)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{statuses:?}");
    assert_eq!(statuses[0], "Ouvert", "open schemes first");
}

/// Issue 10, bug 4: next/previous links rebuilt the query string without `par_page`. Every
/// parameter that shaped a page survives paging (links) and filter changes (hidden fields).
#[tokio::test]
async fn regression_10_4_paging_and_filters_keep_every_parameter() {
    let first = crate::util::get("/recherche?q=aide&par_page=3&tri=nom&public=jeunes-16-25").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.select(".carte-titre").len(), 3);
    let doc = first.html();
    let next = scraper::Selector::parse("a[rel=next]").unwrap();
    let href = doc
        .select(&next)
        .next()
        .expect("a next page")
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    let sent = referentiel_jeunesse::web::params::search(
        Some("q=aide&par_page=3&tri=nom&public=jeunes-16-25&page=2"),
        &crate::util::engine().data,
    )
    .unwrap();
    let linked = referentiel_jeunesse::web::params::search(
        href.split_once('?').map(|(_, q)| q),
        &crate::util::engine().data,
    )
    .unwrap();
    assert_eq!(linked, sent, "{href}");
    let second = crate::util::get(&href).await;
    assert_eq!(second.select(".carte-titre").len(), 3);
    let prev = scraper::Selector::parse("a[rel=prev]").unwrap();
    let back = second
        .html()
        .select(&prev)
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    assert!(back.contains("par_page=3"), "{back}");
    // The filter form carries it too.
    let hidden = scraper::Selector::parse("form input[type=hidden][name=par_page]").unwrap();
    let field = doc
        .select(&hidden)
        .next()
        .expect("par_page kept by the form");
    assert_eq!(field.value().attr("value"), Some("3"));
}
