//! The judged query set (`tests/judged/queries.tsv`): queries typed as young people and
//! professionals type them, each with the schemes that should come first. Prints S@1, S@3
//! and MRR per class, and fails under S@3 = 0.95 overall or 0.9 in any class.

use std::collections::BTreeMap;

use referentiel_jeunesse::search::SearchRequest;
use referentiel_jeunesse::web::params;

use crate::util::{engine, root};

struct Judged {
    class: String,
    query: String,
    expected: Vec<String>,
    filters: String,
}

fn judged_set() -> Vec<Judged> {
    let text =
        std::fs::read_to_string(root().join("tests/judged/queries.tsv")).expect("judged set");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 3, "bad line: {l}");
            Judged {
                class: cols[0].to_owned(),
                query: cols[1].to_owned(),
                expected: cols[2].split(',').map(|s| s.trim().to_owned()).collect(),
                filters: cols.get(3).map(|s| s.to_string()).unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Default)]
struct Score {
    n: usize,
    at1: usize,
    at3: usize,
    rr: f64,
}

#[test]
fn judged_queries_reach_the_targets() {
    let engine = engine();
    let set = judged_set();
    assert!(set.len() >= 100, "only {} judged queries", set.len());
    let known: Vec<&str> = engine.data.schemes.iter().map(|s| s.id.as_str()).collect();
    let mut by_class: BTreeMap<String, Score> = BTreeMap::new();
    let mut failures = Vec::new();
    for j in &set {
        for e in &j.expected {
            assert!(
                known.contains(&e.as_str()),
                "judged set names unknown scheme {e}"
            );
        }
        let p = params::search(Some(&j.filters), &engine.data)
            .unwrap_or_else(|e| panic!("filters {}: {}", j.filters, e.message));
        let req = SearchRequest {
            text: j.query.clone(),
            filters: p.filters(),
            limit: 10,
            ..SearchRequest::new(crate::util::TODAY)
        };
        let results = engine.search(&req).expect("search");
        let ids: Vec<&str> = results.hits.iter().map(|h| h.scheme.id.as_str()).collect();
        let rank = ids.iter().position(|id| j.expected.iter().any(|e| e == id));
        let s = by_class.entry(j.class.clone()).or_default();
        s.n += 1;
        if rank == Some(0) {
            s.at1 += 1;
        }
        if rank.is_some_and(|r| r < 3) {
            s.at3 += 1;
        } else {
            failures.push(format!(
                "[{}] « {} » {} → {:?} (attendu {:?})",
                j.class,
                j.query,
                j.filters,
                &ids[..ids.len().min(5)],
                j.expected
            ));
        }
        if let Some(r) = rank {
            s.rr += 1.0 / (r as f64 + 1.0);
        }
    }
    let mut total = Score::default();
    println!(
        "{:<10} {:>4} {:>6} {:>6} {:>6}",
        "classe", "n", "S@1", "S@3", "MRR"
    );
    let mut worst_class = 1.0f64;
    for (class, s) in &by_class {
        let at3 = s.at3 as f64 / s.n as f64;
        worst_class = worst_class.min(at3);
        println!(
            "{:<10} {:>4} {:>6.3} {:>6.3} {:>6.3}",
            class,
            s.n,
            s.at1 as f64 / s.n as f64,
            at3,
            s.rr / s.n as f64
        );
        total.n += s.n;
        total.at1 += s.at1;
        total.at3 += s.at3;
        total.rr += s.rr;
    }
    let overall = total.at3 as f64 / total.n as f64;
    println!(
        "{:<10} {:>4} {:>6.3} {:>6.3} {:>6.3}",
        "TOTAL",
        total.n,
        total.at1 as f64 / total.n as f64,
        overall,
        total.rr / total.n as f64
    );
    for f in &failures {
        println!("hors top 3 : {f}");
    }
    assert!(overall >= 0.95, "S@3 overall {overall:.3} < 0.95");
    assert!(worst_class >= 0.9, "a class has S@3 {worst_class:.3} < 0.9");
}
