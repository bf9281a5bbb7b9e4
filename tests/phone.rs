//! Issue 16 on a phone: a way back and a way to act on every scheme page, filters as chips,
//! sharing and « Ma sélection », printable lists, administrative words explained.

use axum::http::StatusCode;
use referentiel_jeunesse::data::{self, LoadError};
use referentiel_jeunesse::web::next_step;
use referentiel_jeunesse::web::selection::MAX_SELECTION;

use crate::util::{data_copy, encode, engine, get, Reply, TODAY};

/// The values of `attr` on the elements matching `css`.
fn attrs(r: &Reply, css: &str, attr: &str) -> Vec<String> {
    let doc = r.html();
    let sel = scraper::Selector::parse(css).expect("valid selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

fn query_of(href: &str) -> Vec<(String, String)> {
    let q = href.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

// ---- 4. Back to the results, and a way to act ------------------------------------------

#[tokio::test]
async fn a_scheme_reached_from_a_search_goes_back_to_it() {
    let search = "/recherche?q=vacances&age=17";
    let r = get(search).await;
    let links = attrs(&r, ".carte-titre a", "href");
    let first = links.first().expect("a result");
    assert!(first.starts_with("/dispositifs/"), "{first}");
    let page = get(first).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(attrs(&page, ".retour a", "href"), vec![search.to_owned()]);
    assert_eq!(page.select(".retour a"), vec!["← Retour aux résultats"]);
}

#[tokio::test]
async fn theme_and_later_pages_are_remembered_too() {
    let r = get("/thematiques/vacances-loisirs?page=2&par_page=5").await;
    let first = attrs(&r, ".carte-titre a", "href").remove(0);
    let back = get(&first).await;
    let href = attrs(&back, ".retour a", "href").remove(0);
    assert!(href.starts_with("/thematiques/vacances-loisirs?"), "{href}");
    assert!(href.contains("page=2"), "{href}");
}

#[tokio::test]
async fn a_return_address_that_leaves_the_site_is_ignored() {
    for bad in [
        "https://evil.example/",
        "//evil.example/recherche",
        "/\\evil.example",
        "javascript:alert(1)",
        "/api/dispositifs",
    ] {
        let r = get(&format!("/dispositifs/sac-ados?retour={}", encode(bad))).await;
        assert_eq!(r.status, StatusCode::OK, "{bad}");
        assert!(r.select(".retour").is_empty(), "{bad} was kept");
    }
    let r = get("/dispositifs/sac-ados").await;
    assert!(
        r.select(".retour").is_empty(),
        "no way back without a search"
    );
}

#[tokio::test]
async fn every_scheme_page_shows_an_action() {
    for s in &engine().data.schemes {
        let r = get(&s.path()).await;
        let hrefs = attrs(&r, "#q-comment ~ .action a.bouton", "href");
        assert!(
            !hrefs.is_empty(),
            "{}: no action in « Je fais comment ? »",
            s.id
        );
        assert!(
            hrefs.iter().all(|h| h.starts_with("https://")
                || h.starts_with("http://")
                || h.starts_with("/structures")),
            "{}: {hrefs:?}",
            s.id
        );
    }
}

#[tokio::test]
async fn without_an_application_link_the_official_site_then_an_official_page() {
    let mut s = engine()
        .data
        .schemes
        .iter()
        .find(|s| s.lien_demarche.is_some())
        .expect("a scheme with lien_demarche")
        .clone();
    let own = next_step::official_action(&s).expect("action");
    assert_eq!(own.href, s.lien_demarche.as_ref().unwrap().url);
    s.lien_demarche = None;
    s.contact.site = Some("https://www.pasdecalais.fr/".to_owned());
    let site = next_step::official_action(&s).expect("site");
    assert_eq!(site.label, "Aller sur le site officiel");
    assert_eq!(site.href, "https://www.pasdecalais.fr/");
    s.contact.site = None;
    let page = next_step::official_action(&s).expect("official page");
    assert_eq!(page.label, "Voir la page officielle");
    assert!(s
        .sources
        .iter()
        .any(|x| x.url.as_deref() == Some(&page.href)));
}

#[tokio::test]
async fn a_scheme_handled_at_a_place_links_to_the_finder_with_the_commune_typed() {
    let data = &engine().data;
    let place = data
        .places
        .iter()
        .find(|p| !p.dispositifs.is_empty())
        .expect("a place handling a scheme");
    let id = place.dispositifs[0].to_string();
    let back = "/recherche?q=emploi&commune=Lens";
    let r = get(&next_step::with_return(&format!("/dispositifs/{id}"), back)).await;
    assert_eq!(
        attrs(&r, ".bouton-lieu", "href"),
        vec!["/structures?commune=Lens".to_owned()]
    );
    assert_eq!(
        r.select(".bouton-lieu"),
        vec!["Trouver un lieu près de Lens"]
    );
    // From « C’est pour moi ? » answers the commune is in the address itself.
    let r = get(&format!("/dispositifs/{id}?age=17&commune=Arras")).await;
    assert_eq!(
        attrs(&r, ".bouton-lieu", "href"),
        vec!["/structures?commune=Arras".to_owned()]
    );
}

// ---- 5. Results first: chips and a « Filtrer » button -----------------------------------

#[tokio::test]
async fn active_filters_are_chips_that_remove_themselves() {
    let r = get("/recherche?q=sport&age=17&commune=Arras&public=jeunes-16-25").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let labels = r.select(".puce");
    assert!(
        labels.iter().any(|l| l.contains("17\u{a0}ans ✕")),
        "{labels:?}"
    );
    assert!(labels.iter().any(|l| l.contains("Arras ✕")), "{labels:?}");
    let hrefs = attrs(&r, ".puce", "href");
    assert_eq!(hrefs.len(), 3, "{hrefs:?}");
    for (href, gone) in hrefs.iter().zip(["age", "commune", "public"]) {
        let q = query_of(href);
        assert!(href.starts_with("/recherche?"), "{href}");
        assert!(!q.iter().any(|(k, _)| k == gone), "{href} still has {gone}");
        assert!(
            q.iter().any(|(k, v)| k == "q" && v == "sport"),
            "{href} lost q"
        );
        assert_eq!(q.len(), 3, "{href}: only {gone} is removed");
    }
    // Results first: the filter form stays folded behind « Filtrer ».
    assert!(r.select("details.filtres[open]").is_empty());
    assert!(r.select("details.filtres summary")[0].starts_with("Filtrer"));
}

#[tokio::test]
async fn the_theme_of_a_theme_page_is_removed_towards_everything() {
    let r = get("/thematiques/sport?age=12").await;
    let hrefs = attrs(&r, ".puce", "href");
    assert!(
        hrefs.contains(&"/thematiques/sport?theme=sport".to_owned()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"/recherche?age=12".to_owned()), "{hrefs:?}");
    let r = get("/recherche?q=vacances").await;
    assert!(r.select(".puce").is_empty(), "no chip without a filter");
}

// ---- 6. Share, « Ma sélection », printable lists ----------------------------------------

#[tokio::test]
async fn results_pages_can_be_shared_by_link_and_sms() {
    let r = get("/recherche?q=permis&age=17").await;
    let url = "http://test.local/recherche?q=permis&age=17";
    assert_eq!(
        attrs(&r, ".partage [data-copier]", "data-copier"),
        vec![url]
    );
    assert_eq!(
        attrs(&r, ".partage [data-partager]", "data-partager"),
        vec![url]
    );
    let sms = attrs(&r, ".partage a[href^='sms:']", "href");
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert!(
        sms[0].contains(
            &url.replace(':', "%3A")
                .replace('/', "%2F")
                .replace('?', "%3F")
                .replace('=', "%3D")
                .replace('&', "%26")
        ),
        "{}",
        sms[0]
    );
}

#[tokio::test]
async fn every_result_can_join_the_selection_without_javascript() {
    let r = get("/recherche?q=vacances").await;
    assert_eq!(attrs(&r, "form#selection", "action"), vec!["/selection"]);
    let boxes = attrs(
        &r,
        ".carte input[type=checkbox][name=ids][form=selection]",
        "value",
    );
    assert_eq!(boxes.len(), r.select(".carte").len());
    assert!(
        boxes.iter().all(|id| engine().data.scheme(id).is_some()),
        "{boxes:?}"
    );
}

#[tokio::test]
async fn a_selection_is_one_short_link_with_valid_ids() {
    // Repeated ids (the form without JavaScript), commas, an unknown id and a duplicate.
    let r = get("/selection?ids=sac-ados&ids=pass-sport,n-existe-pas,sac-ados,%3Cscript%3E").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.select(".carte-titre"),
        vec!["Sac Ados".to_owned(), "Pass’Sport".to_owned()]
    );
    let short = "http://test.local/selection?ids=sac-ados,pass-sport";
    assert_eq!(attrs(&r, "a.lien-court", "href"), vec![short]);
    assert_eq!(
        attrs(&r, "[data-selection-ids]", "data-selection-ids"),
        vec!["sac-ados,pass-sport"]
    );
    let sms = attrs(&r, "a[href^='sms:']", "href").remove(0);
    assert!(
        sms.contains("selection%3Fids%3Dsac-ados%2Cpass-sport"),
        "{sms}"
    );
    assert!(
        r.select(".alerte")[0].contains("2 dispositifs de ce lien n’existent pas"),
        "{:?}",
        r.select(".alerte")
    );
    // Each entry can be removed, and goes back to the selection.
    let remove = attrs(&r, ".carte-choix a", "href");
    assert_eq!(
        remove,
        vec!["/selection?ids=pass-sport", "/selection?ids=sac-ados"]
    );
    let links = attrs(&r, ".carte-titre a", "href");
    let back = get(&links[0]).await;
    assert_eq!(
        attrs(&back, ".retour a", "href"),
        vec!["/selection?ids=sac-ados,pass-sport"]
    );
}

#[tokio::test]
async fn a_selection_is_capped() {
    let ids: Vec<String> = engine()
        .data
        .schemes
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    assert!(ids.len() > MAX_SELECTION);
    let r = get(&format!("/selection?ids={}", ids.join(","))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.select(".carte").len(), MAX_SELECTION);
    assert!(r.select(".alerte")[0].contains(&format!("{MAX_SELECTION} dispositifs au plus")));
    assert!(
        r.select("#q-selection").is_empty(),
        "a full selection offers no more"
    );
}

#[tokio::test]
async fn a_selection_grows_from_a_search_on_its_page() {
    let r = get("/selection?ids=sac-ados&q=permis").await;
    let adds = attrs(&r, ".ajouts a", "href");
    assert!(!adds.is_empty());
    for href in &adds {
        assert!(href.starts_with("/selection?ids=sac-ados,"), "{href}");
        assert!(href.ends_with("&q=permis"), "{href}");
        assert!(!href.contains("sac-ados,sac-ados"), "{href}");
    }
    assert_eq!(
        attrs(&r, ".ajouter input[name=ids]", "value"),
        vec!["sac-ados"]
    );
    let empty = get("/selection").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Ta sélection est vide"));
}

#[tokio::test]
async fn the_printed_pro_list_states_its_filters() {
    let r = get("/pro?age=17&theme=sport").await;
    let line = r.select(".imprime-seulement").join(" ");
    assert!(
        line.contains("17\u{a0}ans") && line.contains("thème Sport"),
        "{line}"
    );
    let all = get("/pro").await;
    assert!(all.select(".imprime-seulement")[0].contains("aucun filtre"));
}

// ---- 7. Words a 15-year-old understands ----------------------------------------------

#[test]
fn the_glossary_explains_the_words_the_issue_names() {
    let g = &engine().data.glossary;
    for word in [
        "RIB",
        "justificatif de domicile",
        "AAH",
        "AEEH",
        "ARS",
        "QF",
        "quotient familial",
        "révolus",
        "structure relais",
        "porté par",
    ] {
        let found = g.find(word);
        assert_eq!(found.len(), 1, "« {word} » is not in the glossary");
        assert!(!found[0].1.definition.is_empty());
    }
}

#[tokio::test]
async fn administrative_words_are_explained_once_where_they_are_used() {
    let r = get("/dispositifs/pass-sport").await;
    let abbr = r.select("abbr[title]");
    assert_eq!(abbr.iter().filter(|a| *a == "AAH").count(), 1, "{abbr:?}");
    let titles = attrs(&r, "abbr[title]", "title");
    assert!(titles.iter().any(|t| t.contains("handicap")), "{titles:?}");
    // The « C’est quoi ? » box sits in the section that uses the word.
    let moi = r.select("section[aria-labelledby=q-moi] .glossaire dt");
    assert!(moi.contains(&"AAH".to_owned()), "{moi:?}");
    let r = get("/dispositifs/sac-ados").await;
    let boxes = r.select(".glossaire summary");
    assert!(
        boxes.iter().any(|b| b.contains("structure relais")),
        "{boxes:?}"
    );
    assert!(r
        .select(".fiche-details .glossaire dt")
        .contains(&"porté par".to_owned()));
    // A scheme's own name is not a word to explain on its page.
    let r = get("/dispositifs/contrat-engagement-jeune").await;
    let terms = r.select(".glossaire dt");
    assert!(!terms.contains(&"CEJ".to_owned()), "{terms:?}");
    assert!(terms.contains(&"révolus".to_owned()), "{terms:?}");
}

fn load_with_glossary(json: &str) -> Result<data::Dataset, LoadError> {
    let dir = data_copy();
    std::fs::write(dir.path().join("glossaire.json"), json).expect("write");
    data::load(dir.path(), TODAY)
}

fn glossary_errors(fixture: &str) -> Vec<String> {
    let json = std::fs::read_to_string(
        crate::util::root().join(format!("tests/fixtures/bad-glossaire/{fixture}.json")),
    )
    .expect("fixture");
    match load_with_glossary(&json) {
        Err(LoadError::Invalid(report)) => report.errors().map(|p| p.to_string()).collect(),
        Err(e) => panic!("{fixture}: unexpected error {e}"),
        Ok(_) => panic!("{fixture}: accepted"),
    }
}

#[test]
fn a_bad_glossary_is_refused_with_file_and_field() {
    for (fixture, field, words) in [
        ("vide", "termes", "vide"),
        ("doublon", "termes[1].variantes[0]", "en double"),
        ("definition-vide", "termes[0].definition", "définition vide"),
        ("terme-vide", "termes[0].terme", "terme vide"),
    ] {
        let errors = glossary_errors(fixture);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("glossaire.json") && e.contains(field) && e.contains(words)),
            "{fixture}: {errors:#?}"
        );
    }
}
