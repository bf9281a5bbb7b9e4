//! Help when it is urgent (issue 16, point 1): each family of distress phrases, typed as young
//! people type them, brings the right helplines above every result; ordinary searches do not.

use crate::util::{encode, get};

/// The `tel:` numbers of the helpline block on a page.
async fn helplines(uri: &str) -> Vec<String> {
    let r = get(uri).await;
    let doc = r.html();
    let sel = scraper::Selector::parse(".urgence a.numero").unwrap();
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("tel:").to_owned())
        .collect()
}

#[tokio::test]
async fn each_family_of_phrases_brings_its_helplines() {
    for (query, number) in [
        ("harcelement", "3018"),
        ("on me harcele sur snap", "3018"),
        ("harsselement college", "3018"),
        ("je veux mourir", "3114"),
        ("jveux mourir", "3114"),
        ("envie de me suicider", "3114"),
        ("mon père me frappe", "119"),
        ("ma mere me bat", "119"),
        ("mon copain me frappe", "3919"),
        ("je suis enceinte", "0800235236"),
        ("chui enceinte", "0800235236"),
        ("je vais pas bien", "3114"),
    ] {
        let found = helplines(&format!("/recherche?q={}", encode(query))).await;
        assert_eq!(
            found.first().map(String::as_str),
            Some(number),
            "« {query} » should show {number} first: {found:?}"
        );
    }
}

/// A distress search that matches no scheme still shows only its own helplines, not the
/// whole list in file order (« je veux mourir » showed 3018 before 3114).
#[tokio::test]
async fn a_distress_search_without_results_shows_its_own_helplines() {
    let found = helplines("/recherche?q=je%20veux%20mourir").await;
    assert_eq!(found.first().map(String::as_str), Some("3114"), "{found:?}");
    assert!(!found.iter().any(|n| n == "3018"), "{found:?}");
}

/// A search without answers that signals nothing keeps its honest answer first: the
/// helplines follow « Et maintenant ? », they do not fill the first screen.
#[tokio::test]
async fn an_ordinary_search_without_answers_shows_the_helplines_after_what_to_do() {
    let r = get("/recherche?q=aide%20pour%20mon%20chien").await;
    let honest = r
        .body
        .find("Aucun dispositif ne parle de")
        .expect("honest line");
    let next = r
        .body
        .find("id=\"titre-aucun\"")
        .expect("« Et maintenant ? »");
    let urgence = r.body.find("class=\"urgence\"").expect("helplines");
    assert!(
        honest < urgence && next < urgence,
        "helplines after the answer"
    );
}

#[tokio::test]
async fn the_block_comes_before_every_result() {
    let r = get("/recherche?q=harcelement").await;
    let urgence = r.body.find("class=\"urgence\"").expect("block");
    if let Some(first) = r.body.find("class=\"carte\"") {
        assert!(urgence < first, "helplines above the results");
    }
}

#[tokio::test]
async fn ordinary_searches_show_no_helpline() {
    let data = crate::util::shipped_data();
    for query in [
        "enceinte bluetooth",
        "mourir de rire",
        "tuer le temps",
        "mal de dos",
    ] {
        assert!(
            data.urgency.families_of(query).is_empty(),
            "« {query} » is not a distress phrase"
        );
    }
    for query in [
        "vacances",
        "permis",
        "tuer le temps",
        "aide permis de conduire",
        "service civique",
    ] {
        let found = helplines(&format!("/recherche?q={}", encode(query))).await;
        assert!(found.is_empty(), "« {query} » shows {found:?}");
    }
}

#[tokio::test]
async fn health_theme_and_not_found_pages_show_every_helpline() {
    for uri in [
        "/thematiques/sante-bien-etre",
        "/nexiste/pas",
        "/recherche?q=xqzwv",
    ] {
        let found = helplines(uri).await;
        for n in ["3018", "3114", "119", "3919"] {
            assert!(found.iter().any(|x| x == n), "{uri}: {found:?}");
        }
    }
}
