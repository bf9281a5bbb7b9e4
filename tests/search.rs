//! Search behaviour: accents, case, elisions, exact before stem before typo, filters.

use std::collections::HashSet;

use referentiel_jeunesse::data;
use referentiel_jeunesse::scheme::Availability;
use referentiel_jeunesse::search::{analyzer, query, Engine, Filters, SearchRequest, Sort};
use referentiel_jeunesse::text;

use crate::util::{engine, TODAY};

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
                    .map(String::as_str)
                    .chain(x.mots_cles.iter().map(|t| &**t))
                    .chain([&*x.resume, &x.description])
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
    let typo = (
        query::Alt::Word("civique".to_owned()),
        referentiel_jeunesse::search::ranking::TYPO_1,
    );
    assert!(
        plan.slots[0].alts.contains(&typo),
        "an unknown word gets its one-typo neighbour at the typo tier: {:?}",
        plan.slots[0].alts
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
fn snippets_mark_only_matched_words_and_escape_html() {
    // A description with markup in it (data is written by people, not trusted as HTML).
    let dir = crate::util::data_copy();
    let file = dir.path().join("dispositifs/sac-ados.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    json["description"] = "Pars en <b>vacances</b> entre potes <script>alert('x')</script> \
                           & reviens raconter ton séjour au \"Département\"."
        .into();
    std::fs::write(&file, serde_json::to_string_pretty(&json).expect("json")).expect("write");
    let e = Engine::in_ram(data::load(dir.path(), TODAY).expect("valid data")).expect("index");
    // « vacanse » is a typo: the snippet marks what the typo matched.
    let req = SearchRequest {
        text: "vacanse".into(),
        limit: 100,
        snippets: true,
        ..SearchRequest::new(TODAY)
    };
    let res = e.search(&req).expect("search");
    let plan = query::plan(&req.text, e.vocabulary(), &e.data.synonyms);
    let matched: HashSet<String> = plan
        .words()
        .filter_map(|(w, _)| analyzer::stem(w))
        .collect();
    let mark = regex::Regex::new("<mark>(.*?)</mark>").expect("regex");
    let mut marks = 0;
    for h in &res.hits {
        let Some(html) = &h.snippet_html else {
            continue;
        };
        for m in mark.captures_iter(html) {
            marks += 1;
            let word = text::fold(&m[1]);
            assert!(
                analyzer::stem(&word).is_some_and(|s| matched.contains(&s)),
                "{}: « {} » is marked but not a match of {matched:?}",
                h.scheme.id,
                &m[1]
            );
        }
        let bare = html.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !bare.contains('<') && !bare.contains('>') && !bare.contains('"'),
            "{}: unescaped markup in {html}",
            h.scheme.id
        );
    }
    assert!(marks > 0, "no word marked");
    let sac = res
        .hits
        .iter()
        .find(|h| h.scheme.id.as_str() == "sac-ados")
        .and_then(|h| h.snippet_html.as_deref())
        .expect("sac-ados has a snippet");
    assert!(
        sac.contains("&lt;b&gt;<mark>vacances</mark>&lt;/b&gt;")
            && sac.contains("&lt;script&gt;")
            && sac.contains("&amp;")
            && sac.contains("&quot;Département"),
        "{sac}"
    );
}

#[test]
fn query_syntax_is_plain_text() {
    // Operators, fields, quotes and wildcards are searched as the words they contain, never
    // interpreted: each query gives what its bare words give.
    let e = engine();
    for q in [
        "*",
        "\"",
        "AND(",
        "nom:x",
        "age_min:>=16",
        "a OR b",
        "sport AND -culture",
        "\"pass sport\"",
        "permis~2",
        "bafa^10",
        "(((",
        "🙂🙂",
        &"x".repeat(1000),
    ] {
        let words = text::words(q).join(" ");
        if words.is_empty() {
            assert!(
                top(q, 10).is_empty(),
                "« {q} » has no word but found schemes"
            );
            continue;
        }
        // Same word-being-typed state: a query ending in a symbol ends its last word.
        let typing = q.chars().last().is_some_and(char::is_alphanumeric);
        let bare = if typing { words } else { format!("{words} ") };
        let (asked, plain) = (top(q, 10), top(&bare, 10));
        assert_eq!(asked, plain, "« {q} » is not searched as « {bare} »");
        let req = SearchRequest {
            text: q.to_owned(),
            limit: 5,
            ..SearchRequest::new(TODAY)
        };
        let res = e.search(&req).expect("no error");
        assert!(
            res.total < e.data.schemes.len(),
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

fn search(q: &str, limit: usize) -> referentiel_jeunesse::search::Results<'static> {
    let req = SearchRequest {
        text: q.to_owned(),
        limit,
        ..SearchRequest::new(TODAY)
    };
    engine().search(&req).expect("search")
}

/// Whether a scheme's texts hold the folded word or a word of the same stem.
fn holds(s: &referentiel_jeunesse::scheme::Scheme, word: &str) -> bool {
    let stem = analyzer::stem(word);
    let texts = [&*s.nom, &s.resume, &s.description]
        .into_iter()
        .chain(s.alias.iter().map(String::as_str))
        .chain(
            [&s.mots_cles, &s.avantages, &s.conditions, &s.demarches]
                .into_iter()
                .flat_map(|v| v.iter().map(|t| &**t)),
        );
    texts
        .flat_map(text::words)
        .any(|w| w == word || analyzer::stem(&w) == stem)
}

#[test]
fn schemes_matching_only_generic_words_are_not_answers() {
    // Issue 16.2: « netflix gratuit » listed 13 unrelated schemes, « aide pour mon chien » 38.
    for (q, unmatched) in [
        ("netflix gratuit", "netflix"),
        ("aide pour mon chien", "chien"),
        ("Netflix GRATUIT ", "Netflix"),
        ("des aides pour mon chien ", "chien"),
    ] {
        let r = search(q, 10);
        assert_eq!(
            (r.total, r.hits.len()),
            (0, 0),
            "« {q} »: {:?}",
            r.hits
                .iter()
                .map(|h| h.scheme.id.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(r.words_without_match, [unmatched], "« {q} »");
        assert!(r.theme_counts.iter().all(|(_, n)| *n == 0), "« {q} »");
    }
}

#[test]
fn meaningful_words_still_find_their_schemes() {
    // Every word matched: nothing reported, the generic word still ranks as before.
    let r = search("aide permis", 10);
    assert!(r.words_without_match.is_empty());
    assert!(r.total > 3);
    for h in &r.hits[..3] {
        assert!(holds(h.scheme, "permis"), "{}", h.scheme.id);
    }
    // One meaningful word unmatched: the schemes of the other one stay, and only them (not
    // those matching only « gratuit »).
    let ids = |q: &str| {
        let mut ids: Vec<String> = search(q, 200)
            .hits
            .iter()
            .map(|h| h.scheme.id.to_string())
            .collect();
        ids.sort();
        ids
    };
    let r = search("chien permis gratuit ", 200);
    assert_eq!(r.words_without_match, ["chien"]);
    assert!(r.total > 0);
    assert_eq!(ids("chien permis gratuit "), ids("permis "));
    assert!(ids("permis gratuit ").len() > ids("permis ").len());
}

#[test]
fn typos_count_as_matches() {
    let r = search("servise civik ", 5);
    assert!(
        r.words_without_match.is_empty(),
        "{:?}",
        r.words_without_match
    );
    assert_eq!(r.hits[0].scheme.id.as_str(), "service-civique");
}

#[test]
fn suggestions_leave_out_closed_schemes() {
    // Issue 16.2: a suggestion cannot say « fermé », so a closed scheme (or one whose
    // campaign is over) is not suggested; the search page still lists it, marked.
    let e = engine();
    let closed: Vec<_> = e
        .data
        .schemes
        .iter()
        .filter(|s| {
            matches!(
                s.availability(TODAY),
                Availability::Closed | Availability::CampaignOver
            )
        })
        .collect();
    assert!(!closed.is_empty(), "the shipped data has closed schemes");
    for s in closed {
        let found = |ids: Vec<&str>| ids.contains(&s.id.as_str());
        let searched = search(&s.nom, 8);
        assert!(
            found(searched.hits.iter().map(|h| h.scheme.id.as_str()).collect()),
            "search « {} » lists it",
            s.nom
        );
        let suggested = e.suggest(&s.nom, 8, TODAY).expect("suggest");
        assert!(
            !found(suggested.iter().map(|x| x.id.as_str()).collect()),
            "suggest « {} » offers it",
            s.nom
        );
        assert!(suggested.iter().all(|x| !matches!(
            x.availability(TODAY),
            Availability::Closed | Availability::CampaignOver
        )),);
    }
}

/// Scoring from precomputed impacts and filtering from precomputed sets, evaluated straight
/// on the small index, change nothing: every judged query, under filters of every kind
/// (ages, communes with and without EPCI, an unknown commune, audiences, themes, several at
/// once), by relevance or by name, on a first or a later page, gives the same schemes,
/// totals, scores (bit for bit) and counts per theme as tantivy's own queries and
/// collectors on the same index.
#[test]
fn precomputed_impacts_and_filters_change_no_result() {
    let with = Engine::in_ram(crate::util::shipped_data()).expect("index");
    assert!(
        with.has_precomputed(),
        "the shipped catalogue is small enough"
    );
    let without = Engine::in_ram(crate::util::shipped_data())
        .expect("index")
        .without_precomputed();
    assert!(!without.has_precomputed());
    let judged = std::fs::read_to_string(crate::util::root().join("tests/judged/queries.tsv"))
        .expect("judged queries");
    let mut texts: Vec<&str> = judged
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(1))
        .collect();
    texts.extend([
        "",
        "servise civik",
        "aide pour le permis de conduire",
        "sac",
    ]);
    let data = &with.data;
    let commune = |name: &str| {
        let c = data.communes.lookup(name).expect("commune");
        (c.code.clone(), c.epci.clone())
    };
    let slug = |c: &referentiel_jeunesse::scheme::Category| c.slug.to_string();
    let filters = [
        Filters::default(),
        Filters {
            age: Some(16),
            ..Filters::default()
        },
        Filters {
            age: Some(11),
            communes: vec![commune("Arras")],
            ..Filters::default()
        },
        Filters {
            communes: vec![commune("Lens"), ("62999".into(), None)],
            ..Filters::default()
        },
        Filters {
            communes: vec![("99999".into(), Some("000000000".into()))],
            ..Filters::default()
        },
        Filters {
            publics: vec![slug(&data.publics[0]), slug(&data.publics[2])],
            ..Filters::default()
        },
        Filters {
            themes: vec![slug(&data.themes[0])],
            ..Filters::default()
        },
        Filters {
            age: Some(19),
            communes: vec![commune("Calais")],
            themes: vec![slug(&data.themes[1]), slug(&data.themes[3])],
            publics: vec![slug(&data.publics[1])],
        },
    ];
    let pages = [
        (Sort::Relevance, 0, 40),
        (Sort::Relevance, 3, 5),
        (Sort::Name, 0, 40),
        (Sort::Name, 4, 7),
    ];
    let mut compared = 0;
    let mut narrowed = 0;
    for text in texts {
        for (f, (sort, offset, limit)) in filters
            .iter()
            .flat_map(|f| pages.iter().map(move |p| (f, *p)))
        {
            let req = SearchRequest {
                text: text.to_owned(),
                limit,
                offset,
                sort,
                filters: f.clone(),
                ..SearchRequest::new(TODAY)
            };
            let (a, b) = (
                with.search(&req).expect("search"),
                without.search(&req).expect("search"),
            );
            let view = |r: &referentiel_jeunesse::search::Results<'_>| {
                r.hits
                    .iter()
                    .map(|h| (h.scheme.id.to_string(), h.score.to_bits()))
                    .collect::<Vec<_>>()
            };
            let what = format!("« {text} », {f:?}, {sort:?} from {offset}");
            assert_eq!(view(&a), view(&b), "{what}");
            assert_eq!(a.total, b.total, "{what}");
            assert_eq!(a.theme_counts, b.theme_counts, "{what}");
            assert_eq!(a.did_you_mean, b.did_you_mean, "{what}");
            compared += 1;
            let everything = without
                .search(&SearchRequest {
                    filters: Filters::default(),
                    ..req
                })
                .expect("search");
            narrowed += usize::from(b.total < everything.total);
        }
    }
    assert!(compared > 3200, "{compared}");
    assert!(
        narrowed > 1200,
        "the filters keep fewer schemes: {narrowed}"
    );
}
