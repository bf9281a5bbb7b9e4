//! Property test: 10 000+ random and hostile inputs through parameter parsing and search
//! never panic and never give a 5xx.

use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use referentiel_jeunesse::search::SearchRequest;
use referentiel_jeunesse::web::params;

use crate::util::{engine, request_with, test_state};

/// Hostile pieces mixed into generated inputs.
const PIECES: &[&str] = &[
    "*",
    "\"",
    "AND(",
    "nom:x",
    "age_min:>=16",
    "%",
    "%zz",
    "%C3",
    "%00",
    "&",
    "=",
    "+",
    "<script>",
    "é",
    "e\u{301}",
    "’",
    "ʼ",
    "\u{0}",
    "\u{7}",
    "\u{202E}",
    "🙂",
    "👩‍👩‍👧",
    "ﷺ",
    "𝕊",
    "q=",
    "age=",
    "commune=",
    "theme=",
    "page=",
    "tri=",
    "999999999999999999999",
    "-1",
    "0",
    "62800",
    "Liévin",
    "sac",
    "ados",
    "servise",
    " ",
    "\t",
    "\n",
    "\\",
    "'",
    "OR",
    "NOT",
];

fn input() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => any::<String>(),
        1 => "[a-zé ]{0,30}",
        1 => proptest::collection::vec(any::<char>(), 0..2000).prop_map(|v| v.into_iter().collect::<String>()),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

#[test]
fn ten_thousand_hostile_inputs_never_panic() {
    let engine = engine();
    let mut runner = TestRunner::new(Config {
        cases: 10_000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(input(), input()), |(raw_query, text)| {
            let _ = params::search(Some(&raw_query), &engine.data);
            let req = SearchRequest {
                text: text.clone(),
                limit: 5,
                snippets: true,
                ..SearchRequest::new(crate::util::TODAY)
            };
            prop_assert!(engine.search(&req).is_ok());
            let _ = engine.suggest(&text, 8, crate::util::TODAY);
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn hostile_query_strings_never_give_a_5xx() {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = input();
    let cases: Vec<String> = (0..1_500)
        .map(|_| strategy.new_tree(&mut runner).expect("generates").current())
        .collect();
    let paths = [
        "/recherche?",
        "/api/dispositifs?",
        "/api/suggestions?q=",
        "/pro?",
        "/api/communes?q=",
        "/embed?",
    ];
    for (i, raw) in cases.iter().enumerate() {
        // Raw bytes as a query string: percent-encode only what a URI cannot carry.
        let encoded: String = raw
            .bytes()
            .map(|b| {
                if b.is_ascii_graphic() && b != b'#' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let uri = format!("{}{}", paths[i % paths.len()], encoded);
        let Ok(req) = Request::builder().uri(&uri).body(Body::empty()) else {
            continue;
        };
        let r = request_with(test_state(), req).await;
        assert!(r.status.as_u16() < 500, "{uri} → {}", r.status);
    }
}
