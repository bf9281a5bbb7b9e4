//! Property tests: 10 000+ random and hostile inputs through parameter parsing and search
//! never panic and never give a 5xx; whatever the parser accepts survives a round trip
//! through the links' query string, compared on every parameter.

use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::Cell;

use referentiel_jeunesse::search::SearchRequest;
use referentiel_jeunesse::web::params::{self, Contract, SearchParams, API};

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
fn ten_thousand_hostile_inputs_never_panic_and_round_trip() {
    let engine = engine();
    let mut runner = TestRunner::new(Config {
        cases: 10_000,
        failure_persistence: None,
        ..Config::default()
    });
    // Refused inputs have nothing to round-trip: they are counted, and must stay a minority.
    let (accepted, refused) = (Cell::new(0u32), Cell::new(0u32));
    runner
        .run(&(input(), input()), |(raw_query, text)| {
            match params::search(Some(&raw_query), &engine.data) {
                Ok(p) => {
                    accepted.set(accepted.get() + 1);
                    let again = params::search(Some(&p.query_string(Some(p.page))), &engine.data)
                        .map_err(|e| TestCaseError::fail(e.message))?;
                    // `SearchParams: PartialEq` compares every parameter (and the commune).
                    prop_assert_eq!(&again, &p, "{:?}", raw_query);
                }
                Err(e) => {
                    refused.set(refused.get() + 1);
                    prop_assert!(!e.message.is_empty());
                }
            }
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
    eprintln!(
        "round trip: {} accepted and compared, {} refused (skipped)",
        accepted.get(),
        refused.get()
    );
    assert!(
        accepted.get() > refused.get(),
        "{} accepted, {} refused: the round trip checks too little",
        accepted.get(),
        refused.get()
    );
}

/// Real inputs for `commune` (the rule alone accepts any text; a text must also resolve).
const COMMUNES: &[&str] = &["Liévin", "62000", "62510", "boulogne", "ST OMER", "lievn"];

/// Query strings built from the documented rules of every search parameter (so a parameter
/// added to the struct is generated too), in any order, with any subset present.
fn valid_query() -> impl Strategy<Value = Vec<(String, String)>> {
    let data = &engine().data;
    let per_param: Vec<BoxedStrategy<Vec<(String, String)>>> = SearchParams::rules()
        .iter()
        .map(|rule| {
            let samples: Vec<String> = if rule.name == "commune" {
                COMMUNES.iter().map(|c| c.to_string()).collect()
            } else {
                rule.accepted_samples(data)
            };
            let name = rule.name.clone();
            let most = if rule.repeated() { 3 } else { 1 };
            proptest::collection::vec(proptest::sample::select(samples), 0..=most)
                .prop_map(move |vs| vs.into_iter().map(|v| (name.clone(), v)).collect())
                .boxed()
        })
        .collect();
    per_param.prop_map(|groups| groups.concat()).prop_shuffle()
}

/// Issue 10, bug 4: every parameter survives `parse → query string → parse`, for the pages
/// and for the API; the test counts how often each parameter was exercised.
#[test]
fn every_search_parameter_survives_a_round_trip() {
    let data = &engine().data;
    let rules = SearchParams::rules();
    let mut runner = TestRunner::new(Config {
        cases: 2_000,
        failure_persistence: None,
        ..Config::default()
    });
    let exercised: Vec<Cell<u32>> = rules.iter().map(|_| Cell::new(0)).collect();
    let defaults = serde_json::to_value(params::search(None, data).unwrap()).unwrap();
    runner
        .run(&valid_query(), |pairs| {
            let raw = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&pairs)
                .finish();
            let p = params::search(Some(&raw), data)
                .map_err(|e| TestCaseError::fail(format!("{raw}: {}", e.message)))?;
            let again = params::search(Some(&p.query_string(Some(p.page))), data).unwrap();
            prop_assert_eq!(&again, &p, "{}", raw);
            let api = params::search_api(Some(&raw), data).unwrap();
            let api_again =
                params::search_api(Some(&SearchParams::rules().encode(&api, &API)), data).unwrap();
            prop_assert_eq!(&api_again, &api, "{}", raw);
            let json = serde_json::to_value(&p).unwrap();
            for (rule, n) in rules.iter().zip(&exercised) {
                if json[&rule.name] != defaults[&rule.name] {
                    n.set(n.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    for (rule, n) in rules.iter().zip(&exercised) {
        eprintln!("{}: {} cases away from its default", rule.name, n.get());
        assert!(
            n.get() >= 100,
            "{} exercised {} times only",
            rule.name,
            n.get()
        );
    }
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
