//! Keeping the référentiel true: « À revoir », anonymous search counts, synonyms from searches
//! that find nothing, « Données personnelles », news and its Atom feed.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::scheme::Slug;
use referentiel_jeunesse::store::searches::SearchLog;
use referentiel_jeunesse::store::Role;

use super::support::{form_pairs, Site};
use crate::util::TODAY;

async fn public(site: &Site, uri: &str) -> crate::util::Reply {
    site.send(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
}

#[tokio::test]
async fn to_review_lists_records_with_their_reasons() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let r = c.get("/redaction/a-revoir").await;
    assert_eq!(r.status, StatusCode::OK);
    let data = site.state.engine().data.clone();
    let to_confirm = data
        .schemes
        .iter()
        .find(|s| s.statut == referentiel_jeunesse::scheme::Status::ToConfirm)
        .expect("a scheme to confirm in the shipped data");
    let line = r
        .select(".liste-fiches li")
        .into_iter()
        .find(|l| l.starts_with(&to_confirm.nom))
        .expect("listed");
    assert!(line.contains("statut « à confirmer »"), "{line}");
    assert!(r.body.contains(&format!(
        "href=\"/redaction/dispositifs/{}\"",
        to_confirm.id
    )));
    let mut pij = site
        .logged_in(
            "pij",
            Role::Structure(Slug::parse("pij-mericourt").unwrap()),
        )
        .await;
    assert_eq!(
        pij.get("/redaction/a-revoir").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn searches_are_counted_as_text_only_and_shown_from_three() {
    let site = Site::new().await;
    for _ in 0..3 {
        // Answered from the response cache after the first time: still counted.
        let r = site
            .send(
                Request::builder()
                    .uri("/recherche?q=Mission+Locale+LENS")
                    .header(header::COOKIE, "suivi=123")
                    .header(header::USER_AGENT, "Navigateur/1.0")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(r.headers.get(header::SET_COOKIE).is_none());
    }
    for q in ["jean.dupont%40mail.fr", "06+12+34+56+78", "permis"] {
        public(&site, &format!("/recherche?q={q}")).await;
    }
    public(&site, "/recherche?q=permis&page=2").await;
    site.store.flush_searches(TODAY).unwrap();
    let rows = site.store.all_search_rows().unwrap();
    assert_eq!(
        rows,
        vec![
            (TODAY.to_string(), "mission locale lens".to_owned(), 3),
            (TODAY.to_string(), "permis".to_owned(), 1),
        ],
        "text, day and count only; personal-looking text never stored"
    );
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let page = c.get("/redaction/recherches").await;
    assert!(page.body.contains("mission locale lens"));
    assert!(!page.body.contains(">permis<"), "shown only from 3 times");
}

#[tokio::test]
async fn counts_older_than_13_months_are_deleted() {
    let site = Site::new().await;
    let old = time::macros::date!(2025 - 10 - 31);
    let kept = time::macros::date!(2025 - 11 - 01);
    site.store.record(old, "vieille recherche");
    site.store.record(kept, "recherche gardee");
    site.store.flush_searches(TODAY).unwrap();
    let rows: Vec<String> = site
        .store
        .all_search_rows()
        .unwrap()
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(rows, vec!["recherche gardee"]);
}

#[tokio::test]
async fn a_synonym_added_from_a_search_without_result_makes_it_find() {
    let site = Site::new().await;
    for _ in 0..3 {
        public(&site, "/recherche?q=zorglub").await;
    }
    assert_eq!(
        public(&site, "/api/dispositifs?q=zorglub").await.json()["total"],
        0
    );
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let page = c.get("/redaction/recherches").await;
    let empty = page.select("table tbody tr td a");
    assert!(empty.iter().any(|t| t == "zorglub"), "{empty:?}");
    let form = c.get("/redaction/recherches?de=zorglub").await;
    let before = site.file("synonymes.json");
    let pairs: Vec<(String, String)> =
        form_pairs(&form, "form[action='/redaction/recherches/synonyme']")
            .into_iter()
            .map(|(k, v)| {
                if k == "vers" {
                    (k, String::new())
                } else {
                    (k, v)
                }
            })
            .collect();
    let refused = c.submit("/redaction/recherches/synonyme", &pairs).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an empty target is refused like check does"
    );
    assert_eq!(site.file("synonymes.json"), before);
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            if k == "vers" {
                (k, "vacances".into())
            } else {
                (k, v)
            }
        })
        .collect();
    let r = c.submit("/redaction/recherches/synonyme", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(site.file("synonymes.json").contains("\"de\": \"zorglub\""));
    assert!(
        public(&site, "/api/dispositifs?q=zorglub").await.json()["total"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[tokio::test]
async fn personal_data_page_says_what_is_kept() {
    let site = Site::new().await;
    let r = public(&site, "/donnees-personnelles").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    for words in [
        "aucun cookie",
        "ni ton adresse IP",
        "jamais enregistré",
        "à partir de 3 fois",
        "plus de 13 mois",
    ] {
        assert!(r.body.contains(words), "{words}");
    }
}

#[tokio::test]
async fn news_page_and_atom_feed_list_recent_schemes() {
    let site = Site::new().await;
    let page = public(&site, "/nouveautes").await;
    assert_eq!(page.status, StatusCode::OK);
    let items = page.select("ol.nouveautes li");
    assert!(!items.is_empty() && items.len() <= 30);
    let feed = public(&site, "/nouveautes.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    assert!(feed.body.starts_with("<?xml"));
    assert_eq!(feed.body.matches("<entry>").count(), items.len());
    assert!(feed.body.contains("<id>http://test.local/dispositifs/"));
}
