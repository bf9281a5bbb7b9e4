//! Search behaviour: accents, case, elisions, exact before stem before typo, filters.

use referentiel_jeunesse::search::{Filters, SearchRequest};

use crate::util::engine;

fn top(q: &str, n: usize) -> Vec<String> {
    let req = SearchRequest {
        text: q.to_owned(),
        limit: n,
        ..SearchRequest::new(crate::util::TODAY)
    };
    engine()
        .search(&req)
        .expect("search")
        .hits
        .iter()
        .map(|h| h.scheme.id.to_string())
        .collect()
}

fn first(q: &str) -> String {
    top(q, 1).into_iter().next().unwrap_or_default()
}

#[test]
fn accents_are_ignored() {
    assert_eq!(top("ete", 5), top("été", 5));
    assert!(
        top("ete", 3).contains(&"jobs-ete".to_owned()),
        "{:?}",
        top("ete", 3)
    );
}

#[test]
fn decomposed_accents_match_composed_ones() {
    assert_eq!(top("e\u{301}te\u{301}", 5), top("été", 5));
}

#[test]
fn case_and_elision_are_ignored() {
    assert_eq!(top("L’ENGAGEMENT", 5), top("engagement", 5));
    assert_eq!(top("l'engagement", 5), top("engagement", 5));
    assert!(!top("L’ENGAGEMENT", 5).is_empty());
}

#[test]
fn exact_name_ranks_first() {
    for (q, id) in [
        ("Sac Ados", "sac-ados"),
        ("pass Culture", "pass-culture"),
        ("Promeneurs du Net", "promeneurs-du-net"),
        ("Talents citoyens", "talents-citoyens"),
    ] {
        assert_eq!(first(q), id, "{q}");
    }
}

#[test]
fn typo_match_never_outranks_exact_match_of_another_scheme() {
    // « visale » is a word of the index; « visal » would be a typo of it. Each word of a
    // scheme name searched alone must put a scheme containing it exactly first.
    let e = engine();
    for s in &e.data.schemes {
        for word in referentiel_jeunesse::text::words(&s.nom) {
            if word.len() < 5 || referentiel_jeunesse::search::analyzer::is_stop_word(&word) {
                continue;
            }
            let req = SearchRequest {
                text: format!("{word} "),
                limit: 3,
                ..SearchRequest::new(crate::util::TODAY)
            };
            let res = e.search(&req).expect("search");
            let best = res.hits.first().expect("a result");
            let words = |x: &referentiel_jeunesse::scheme::Scheme| {
                let mut all = referentiel_jeunesse::text::words(&x.nom);
                for t in x
                    .alias
                    .iter()
                    .chain(&x.mots_cles)
                    .chain([&x.resume, &x.description])
                {
                    all.extend(referentiel_jeunesse::text::words(t));
                }
                all.extend(
                    x.avantages
                        .iter()
                        .chain(&x.conditions)
                        .chain(&x.demarches)
                        .flat_map(|t| referentiel_jeunesse::text::words(t)),
                );
                all
            };
            // The top scheme holds the typed word itself (or a word of the same stem).
            let stem = referentiel_jeunesse::search::analyzer::stem(&word);
            let holds = words(best.scheme)
                .iter()
                .any(|w| *w == word || referentiel_jeunesse::search::analyzer::stem(w) == stem);
            assert!(
                holds,
                "« {word} »: top result {} holds neither the word nor its stem",
                best.scheme.id
            );
        }
    }
}

#[test]
fn typo_terms_only_expand_unknown_words() {
    let e = engine();
    let vocab = e.vocabulary();
    let plan = referentiel_jeunesse::search::query::plan("civique ", vocab, &e.data.synonyms);
    assert_eq!(
        plan.slots[0].alts.len(),
        1,
        "a known word gets no typo alternatives: {:?}",
        plan.slots[0].alts
    );
    let plan = referentiel_jeunesse::search::query::plan("civiquz ", vocab, &e.data.synonyms);
    assert!(
        plan.slots[0].alts.len() > 1,
        "an unknown word gets typo alternatives"
    );
}

#[test]
fn age_filter_keeps_schemes_without_limits_and_matching_ranges() {
    let e = engine();
    let req = SearchRequest {
        text: String::new(),
        filters: Filters {
            age: Some(12),
            ..Filters::default()
        },
        limit: 500,
        ..SearchRequest::new(crate::util::TODAY)
    };
    let res = e.search(&req).expect("search");
    assert!(
        res.total > 0 && res.total < e.data.schemes.len(),
        "age=12 narrows: {}",
        res.total
    );
    for h in &res.hits {
        assert!(
            h.scheme.ages.includes(12),
            "{} does not include 12",
            h.scheme.id
        );
    }
    let excluded = e
        .data
        .schemes
        .iter()
        .filter(|s| !s.ages.includes(12))
        .count();
    assert_eq!(res.total + excluded, e.data.schemes.len());
}

#[test]
fn browsing_without_query_lists_everything_by_name() {
    let e = engine();
    let req = SearchRequest {
        limit: 500,
        ..SearchRequest::new(crate::util::TODAY)
    };
    let res = e.search(&req).expect("search");
    assert_eq!(res.total, e.data.schemes.len());
    let names: Vec<String> = res
        .hits
        .iter()
        .map(|h| referentiel_jeunesse::text::fold(&h.scheme.nom))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn snippets_highlight_typo_matches_and_escape_html() {
    let e = engine();
    let req = SearchRequest {
        text: "vacanse".into(),
        limit: 10,
        snippets: true,
        ..SearchRequest::new(crate::util::TODAY)
    };
    let res = e.search(&req).expect("search");
    let marked: Vec<&String> = res
        .hits
        .iter()
        .filter_map(|h| h.snippet_html.as_ref())
        .collect();
    assert!(marked.iter().any(|s| s.contains("<mark>")), "{marked:?}");
}

#[test]
fn query_syntax_is_plain_text() {
    let e = engine();
    for q in [
        "*",
        "\"",
        "AND(",
        "nom:x",
        "age_min:>=16",
        "a OR b",
        "(((",
        "🙂🙂",
        &"x".repeat(1000),
    ] {
        let req = SearchRequest {
            text: q.to_owned(),
            limit: 5,
            ..SearchRequest::new(crate::util::TODAY)
        };
        let res = e.search(&req).expect("no error");
        assert!(
            res.total < e.data.schemes.len() || q.trim().is_empty(),
            "« {q} » matched everything like a wildcard"
        );
    }
}

#[test]
fn letters_without_decomposition_fold_like_the_index() {
    // Issue 10, bug 7: the query folded by decomposition (ø, ł, æ, ß stayed as typed) while
    // the index folded them to ASCII, so « spørt » was an unknown word matched by typo.
    assert_eq!(top("pass spørt", 5), top("pass sport", 5));
    assert_eq!(top("ŁOGEMENT", 5), top("logement", 5));
    assert!(!top("pass spørt", 5).is_empty());
    let e = engine();
    let plan =
        referentiel_jeunesse::search::query::plan("Spørt ", e.vocabulary(), &e.data.synonyms);
    assert_eq!(plan.slots[0].typed, "sport");
}
