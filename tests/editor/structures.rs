//! Structures in the editor: archive (out of every public list, its own page says it closed)
//! and preview of a draft.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use referentiel_jeunesse::scheme::Slug;
use referentiel_jeunesse::store::journal::RecordKind;
use referentiel_jeunesse::store::Role;

use super::support::{form_pairs, with, Site};
use crate::util::Reply;

const FORM: &str = "form[action^='/redaction/']:not(.archiver):not(.deconnexion)";
/// Handles the scheme `maisons-des-adolescents` and serves Saint-Omer (62765).
const PLACE: &str = "maison-des-ados-saint-omer";
const FILE: &str = "structures/maison-des-ados-saint-omer.json";
const ARCHIVE: &str = "/redaction/structures/maison-des-ados-saint-omer/archiver";

async fn public(site: &Site, uri: &str) -> Reply {
    let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
    site.send(req).await
}

/// Every public list where an open place shows: its link, or its id in the JSON.
const LISTS: &[&str] = &[
    "/structures",
    "/structures?type=maison-des-adolescents",
    "/structures?dispositif=maisons-des-adolescents",
    "/structures?commune=62765",
    "/api/structures",
    "/api/structures?commune=62765",
    "/donnees/structures.json",
    "/donnees/structures.csv",
    "/dispositifs/maisons-des-adolescents?commune=62765",
];

async fn lists_naming_the_place(site: &Site) -> Vec<&'static str> {
    let mut out = Vec::new();
    for uri in LISTS {
        let r = public(site, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        if r.body.contains(PLACE) {
            out.push(*uri);
        }
    }
    out
}

#[tokio::test]
async fn archiving_a_structure_takes_it_out_of_every_list_and_its_page_says_so() {
    let site = Site::new().await;
    assert_eq!(
        lists_naming_the_place(&site).await,
        LISTS.to_vec(),
        "open: in every list"
    );
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let form = c.get(&format!("/redaction/structures/{PLACE}")).await;
    assert_eq!(
        form.select("form.archiver button"),
        vec!["Archiver cette structure"]
    );
    let public_link =
        scraper::Selector::parse("a[href='/structures/maison-des-ados-saint-omer']").unwrap();
    assert!(
        form.html().select(&public_link).next().is_some(),
        "link to the public page"
    );
    let r = c.submit(ARCHIVE, &form_pairs(&form, "form.archiver")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(site.file(FILE).contains("\"statut\": \"fermee\""));
    let entries = site.store.recent_entries(5).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "archivage");
    assert_eq!(entries[0].kind, RecordKind::Place);
    assert_eq!(entries[0].record, PLACE);
    assert_eq!(entries[0].account, "alice");

    assert!(
        lists_naming_the_place(&site).await.is_empty(),
        "archived: in no list"
    );
    let page = public(&site, &format!("/structures/{PLACE}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.select("#fermee")[0].contains("Ce lieu a fermé"));
    assert!(page
        .body
        .contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(page.select("#l-contact").is_empty(), "no way to contact it");
    assert!(page.headers.get("set-cookie").is_none());
    let api = public(&site, &format!("/api/structures/{PLACE}")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["fermee"], serde_json::json!(true));
    let open = public(&site, "/api/structures/pij-mericourt").await;
    assert_eq!(open.json()["fermee"], serde_json::json!(false));

    // The form keeps the status, so a later publish does not reopen it by accident.
    let form = c
        .get(&format!("/redaction/structures/{PLACE}?archive=1"))
        .await;
    assert!(form.select("[role=status]")[0].contains("fermée"));
    let pairs = with(form_pairs(&form, FORM), "action", "publier");
    let r = c
        .submit(&format!("/redaction/structures/{PLACE}"), &pairs)
        .await;
    assert_eq!(
        r.select("[role=status]"),
        vec!["Aucune modification : rien à publier."]
    );
}

#[tokio::test]
async fn archiving_a_structure_needs_the_csrf_token_and_the_redaction_role() {
    let site = Site::new().await;
    let before = site.file(FILE);
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let form = c.get(&format!("/redaction/structures/{PLACE}")).await;
    let pairs = form_pairs(&form, "form.archiver");
    let without: Vec<(String, String)> =
        pairs.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    let body = super::support::form_body(
        &without
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        c.post_raw(ARCHIVE, &body).await.status,
        StatusCode::FORBIDDEN
    );
    let wrong = with(pairs, "csrf", "f00d");
    assert_eq!(
        c.submit(ARCHIVE, &wrong).await.status,
        StatusCode::FORBIDDEN
    );

    // A structure account, even for its own structure, cannot archive it.
    let mut own = site
        .logged_in("maison", Role::Structure(Slug::parse(PLACE).unwrap()))
        .await;
    let form = own.get(&format!("/redaction/structures/{PLACE}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.select("form.archiver").is_empty(), "no archive button");
    let r = own.post(ARCHIVE, &[("base", "")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    assert_eq!(site.file(FILE), before);
    assert!(site.store.recent_entries(5).unwrap().is_empty());
    assert!(lists_naming_the_place(&site).await.contains(&"/structures"));
}

#[tokio::test]
async fn check_refuses_an_unknown_structure_status_at_its_field() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let uri = format!("/redaction/structures/{PLACE}");
    let form = c.get(&uri).await;
    let pairs = with(
        with(form_pairs(&form, FORM), "statut", "demenagee"),
        "action",
        "publier",
    );
    let r = c.submit(&uri, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.select("#e-f-statut")[0].contains("demenagee"));
}

#[tokio::test]
async fn preview_of_a_structure_draft_shows_it_and_writes_nothing() {
    let site = Site::new().await;
    let before = site.file(FILE);
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let uri = format!("/redaction/structures/{PLACE}");
    let form = c.get(&uri).await;
    assert_eq!(
        form.select(".barre-actions button[value=apercu]"),
        vec!["Aperçu"]
    );
    let pairs = with(
        with(
            form_pairs(&form, FORM),
            "horaires",
            "Le mercredi après-midi, sans rendez-vous.",
        ),
        "action",
        "apercu",
    );
    let preview = c.submit(&uri, &pairs).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview
        .select("section[aria-labelledby=l-venir] p")
        .iter()
        .any(|p| p.contains("Le mercredi après-midi, sans rendez-vous.")));
    assert!(preview.select(".apercu-bandeau")[0].contains("pas encore publiée"));
    assert!(preview
        .body
        .contains("<meta name=\"robots\" content=\"noindex\">"));
    assert_eq!(site.file(FILE), before, "nothing written");
    assert!(site.store.recent_entries(5).unwrap().is_empty());
    let page = public(&site, &format!("/structures/{PLACE}")).await;
    assert!(!page.body.contains("Le mercredi après-midi"));

    // « Publier cette version » from the banner publishes the draft.
    let pairs = with(
        form_pairs(&preview, ".apercu-bandeau form"),
        "action",
        "publier",
    );
    let r = c.submit(&uri, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(site.file(FILE).contains("Le mercredi après-midi"));
}
