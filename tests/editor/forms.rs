//! Editing forms: every field round-trips, `check`'s errors at each field, preview, publish,
//! create, archive, conflicts, roles, odd ids, hostile text.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::scheme::Slug;
use referentiel_jeunesse::store::Role;

use super::support::{form_pairs, with, Site};

const FORM: &str = "form[action^='/redaction/']:not(.archiver):not(.deconnexion)";

/// Every shipped scheme and structure, opened in its form and published untouched, gives
/// back the same file: the forms cover every field.
#[tokio::test]
async fn every_record_round_trips_through_its_form() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let data = site.state.engine().data.clone();
    let ids = data
        .schemes
        .iter()
        .map(|s| format!("/redaction/dispositifs/{}", s.id))
        .chain(
            data.places
                .iter()
                .map(|p| format!("/redaction/structures/{}", p.id)),
        );
    for uri in ids {
        let page = c.get(&uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        let pairs = with(form_pairs(&page, FORM), "action", "publier");
        let r = c.submit(&uri, &pairs).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{uri}: {:?}",
            r.select("#erreurs li")
        );
        assert_eq!(
            r.select("[role=status]"),
            vec!["Aucune modification : rien à publier."],
            "{uri}"
        );
    }
    assert!(
        site.store.recent_entries(10).unwrap().is_empty(),
        "nothing journaled"
    );
}

#[tokio::test]
async fn an_invalid_age_is_shown_at_its_field_and_the_input_is_kept() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let before = site.file("dispositifs/sac-ados.json");
    let page = c.get("/redaction/dispositifs/sac-ados").await;
    let pairs = form_pairs(&page, FORM);
    let pairs = with(
        with(with(pairs, "age_max", "300"), "nom", "Sac Ados modifié"),
        "action",
        "publier",
    );
    let r = c.submit("/redaction/dispositifs/sac-ados", &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = r.html();
    let input = doc
        .select(&scraper::Selector::parse("#f-age_max").unwrap())
        .next()
        .expect("age field");
    assert_eq!(input.value().attr("value"), Some("300"), "input kept");
    assert_eq!(input.value().attr("aria-invalid"), Some("true"));
    let described = input.value().attr("aria-describedby").unwrap();
    assert!(
        described.split(' ').any(|id| id == "e-f-age_max"),
        "{described}"
    );
    let message = r.select("#e-f-age_max");
    assert!(message[0].contains("300"), "{message:?}");
    let top = r.select("#erreurs a[href='#f-age_max']");
    assert_eq!(top.len(), 1, "listed at the top with a link");
    assert_eq!(r.select("#f-nom").len(), 1);
    assert!(
        r.body.contains("value=\"Sac Ados modifié\""),
        "other input kept"
    );
    assert_eq!(
        site.file("dispositifs/sac-ados.json"),
        before,
        "nothing written"
    );

    // 150 goes through `check`'s own rule, at the same field.
    let pairs = with(pairs, "age_max", "150");
    let r = c.submit("/redaction/dispositifs/sac-ados", &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.select("#e-f-age_max")[0].contains("au-delà de 120"),
        "{:?}",
        r.select("#e-f-age_max")
    );
}

#[tokio::test]
async fn check_errors_point_at_list_items_and_grouped_fields() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let page = c.get("/redaction/dispositifs/sac-ados").await;
    let pairs = form_pairs(&page, FORM);
    let pairs = with(
        with(pairs, "sources[1].url", "ftp://exemple.fr"),
        "territoire.niveau",
        "local",
    );
    let r = c
        .submit(
            "/redaction/dispositifs/sac-ados",
            &with(pairs, "action", "verifier"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !r.select("#e-f-sources-1-url").is_empty(),
        "{:?}",
        r.select("#erreurs li")
    );
    assert!(
        !r.select("#e-f-territoire-niveau").is_empty(),
        "{:?}",
        r.select("#erreurs li")
    );
}

#[tokio::test]
async fn publishing_changes_the_public_page_and_writes_canonical_json() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let page = c.get("/redaction/dispositifs/sac-ados").await;
    let pairs = with(
        with(form_pairs(&page, FORM), "nom", "Sac Ados 2027"),
        "action",
        "publier",
    );
    let r = c.submit("/redaction/dispositifs/sac-ados", &pairs).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        r.select("#erreurs li")
    );
    assert_eq!(
        r.headers[header::LOCATION],
        "/redaction/dispositifs/sac-ados?publie=1"
    );
    let public = site
        .send(
            Request::builder()
                .uri("/dispositifs/sac-ados")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(public.select("h1"), vec!["Sac Ados 2027"]);
    let text = site.file("dispositifs/sac-ados.json");
    assert!(text.starts_with("{\n  \"id\": \"sac-ados\",\n  \"nom\": \"Sac Ados 2027\",\n"));
    assert!(text.ends_with("}\n"));
    let journal = site.store.recent_entries(5).unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!(
        (journal[0].account.as_str(), journal[0].record.as_str()),
        ("alice", "sac-ados")
    );
    assert!(journal[0]
        .before
        .as_deref()
        .unwrap()
        .contains("\"nom\": \"Sac Ados\""));
    let notice = c.get("/redaction/dispositifs/sac-ados?publie=1").await;
    assert!(notice.select("[role=status]")[0].starts_with("C’est publié"));
}

#[tokio::test]
async fn preview_renders_the_public_page_from_the_draft_then_publishes_it() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let page = c.get("/redaction/dispositifs/sac-ados").await;
    let pairs = with(
        with(form_pairs(&page, FORM), "resume", "Un résumé tout neuf."),
        "action",
        "apercu",
    );
    let preview = c.submit("/redaction/dispositifs/sac-ados", &pairs).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("Un résumé tout neuf."),
        "the draft is shown"
    );
    assert!(preview.body.contains("pas encore publiée"));
    let public = site
        .send(
            Request::builder()
                .uri("/dispositifs/sac-ados")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        !public.body.contains("Un résumé tout neuf."),
        "not published by a preview"
    );
    let pairs = with(
        form_pairs(&preview, ".apercu-bandeau form"),
        "action",
        "publier",
    );
    let r = c.submit("/redaction/dispositifs/sac-ados", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(site
        .file("dispositifs/sac-ados.json")
        .contains("Un résumé tout neuf."));
}

#[tokio::test]
async fn list_buttons_add_remove_and_move_without_javascript() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let uri = "/redaction/dispositifs/sac-ados";
    let page = c.get(uri).await;
    let count = |r: &crate::util::Reply| r.select("fieldset#f-sources > fieldset.element").len();
    let n = count(&page);
    let added = c
        .submit(
            uri,
            &with(form_pairs(&page, FORM), "action", "ajouter:sources"),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK);
    assert_eq!(count(&added), n + 1);
    let first = |r: &crate::util::Reply| {
        r.html()
            .select(&scraper::Selector::parse("#f-sources-0-extrait").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>()
    };
    let second = |r: &crate::util::Reply| {
        r.html()
            .select(&scraper::Selector::parse("#f-sources-1-extrait").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>()
    };
    let (a, b) = (first(&page), second(&page));
    let moved = c
        .submit(
            uri,
            &with(form_pairs(&page, FORM), "action", "descendre:sources:0"),
        )
        .await;
    assert_eq!((first(&moved), second(&moved)), (b.clone(), a.clone()));
    let removed = c
        .submit(
            uri,
            &with(form_pairs(&page, FORM), "action", "retirer:sources:0"),
        )
        .await;
    assert_eq!(count(&removed), n - 1);
    assert_eq!(first(&removed), b);
    assert_eq!(
        site.store.recent_entries(5).unwrap().len(),
        0,
        "buttons publish nothing"
    );
}

/// Two editors open the same form; the second to publish gets a 409 with both versions and
/// nothing is overwritten.
#[tokio::test]
async fn concurrent_edits_give_409_and_overwrite_nothing() {
    let site = Site::new().await;
    let mut a = site.logged_in("alice", Role::Redaction).await;
    let mut b = site.logged_in("bruno", Role::Redaction).await;
    let uri = "/redaction/dispositifs/sac-ados";
    let form_a = form_pairs(&a.get(uri).await, FORM);
    let form_b = form_pairs(&b.get(uri).await, FORM);
    let r = a
        .submit(
            uri,
            &with(with(form_a, "nom", "Version d’Alice"), "action", "publier"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = b
        .submit(
            uri,
            &with(with(form_b, "nom", "Version de Bruno"), "action", "publier"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("Version d’Alice") && r.body.contains("Version de Bruno"),
        "both versions shown"
    );
    assert!(site
        .file("dispositifs/sac-ados.json")
        .contains("Version d’Alice"));
    // Bruno can take his version back into the form: nothing lost.
    let back = b
        .submit(
            uri,
            &with(
                form_pairs(&r, "form[action='/redaction/dispositifs/sac-ados']"),
                "action",
                "modifier",
            ),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK);
    assert!(back.body.contains("value=\"Version de Bruno\""));
}

#[tokio::test]
async fn a_missing_or_wrong_csrf_token_changes_no_file() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let before = site.file("dispositifs/sac-ados.json");
    let page = c.get("/redaction/dispositifs/sac-ados").await;
    let pairs: Vec<_> = with(
        with(form_pairs(&page, FORM), "nom", "Piraté"),
        "action",
        "publier",
    )
    .into_iter()
    .filter(|(k, _)| k != "csrf")
    .collect();
    let body = super::support::form_body(
        &pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    let r = c.post_raw("/redaction/dispositifs/sac-ados", &body).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .submit(
            "/redaction/dispositifs/sac-ados",
            &with(pairs, "csrf", "f00d"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .post(
            "/redaction/dispositifs/sac-ados/archiver",
            &[("csrf", "f00d")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(site.file("dispositifs/sac-ados.json"), before);
    assert!(site.store.recent_entries(5).unwrap().is_empty());
}

#[tokio::test]
async fn structure_accounts_reach_only_their_own_structure() {
    let site = Site::new().await;
    let mut c = site
        .logged_in(
            "pij",
            Role::Structure(Slug::parse("pij-mericourt").unwrap()),
        )
        .await;
    for uri in [
        "/redaction/dispositifs/sac-ados",
        "/redaction/dispositifs/nouveau",
        "/redaction/structures/mds-artois-bethune",
        "/redaction/structures/nouvelle",
    ] {
        assert_eq!(c.get(uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
    let r = c
        .post(
            "/redaction/structures/mds-artois-bethune",
            &[("action", "publier")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let own = c.get("/redaction/structures/pij-mericourt").await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(
        own.select(".barre-actions button[value=publier]"),
        vec!["Proposer à l’équipe du Département"]
    );
    // Their publish is a proposal: the file does not change.
    let before = site.file("structures/pij-mericourt.json");
    let pairs = with(
        with(
            form_pairs(&own, FORM),
            "horaires",
            "Du lundi au vendredi, de 9 h à 17 h.",
        ),
        "action",
        "publier",
    );
    let r = c
        .submit("/redaction/structures/pij-mericourt", &pairs)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(site.file("structures/pij-mericourt.json"), before);
    let pending = site.store.pending_proposals().unwrap();
    assert_eq!(pending.len(), 1);
    assert!(pending[0].content.contains("de 9 h à 17 h"));
}

#[tokio::test]
async fn odd_ids_in_the_address_are_400() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    for uri in [
        "/redaction/dispositifs/..%2F..%2Fetc%2Fpasswd",
        "/redaction/dispositifs/..",
        "/redaction/dispositifs/Sac_Ados",
        "/redaction/structures/%2e%2e%2fdispositifs%2fsac-ados",
        "/redaction/dispositifs/sac-ados%00",
    ] {
        assert_eq!(c.get(uri).await.status, StatusCode::BAD_REQUEST, "{uri}");
    }
    let r = c
        .post("/redaction/dispositifs/..%2Fsynonymes/archiver", &[])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn posting_without_a_session_is_401() {
    let site = Site::new().await;
    let post = Request::builder()
        .method("POST")
        .uri("/redaction/dispositifs/sac-ados")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("nom=x&action=publier"))
        .unwrap();
    assert_eq!(site.send(post).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn create_then_archive_a_scheme() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let empty = c.get("/redaction/dispositifs/nouveau").await;
    assert_eq!(empty.status, StatusCode::OK);
    // Start from an existing scheme's fields, under a new id.
    let page = c.get("/redaction/dispositifs/sac-ados").await;
    let pairs = with(
        with(
            with(form_pairs(&page, FORM), "id", "sac-ados-bis"),
            "nom",
            "Sac Ados bis",
        ),
        "action",
        "publier",
    );
    let pairs: Vec<_> = pairs
        .into_iter()
        .map(|(k, v)| {
            if k == "base" {
                (k, "nouveau".into())
            } else {
                (k, v)
            }
        })
        .collect();
    let r = c.submit("/redaction/dispositifs/nouveau", &pairs).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        r.select("#erreurs li")
    );
    let public = site
        .send(
            Request::builder()
                .uri("/dispositifs/sac-ados-bis")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(public.status, StatusCode::OK);
    // The same id again is refused at the id field.
    let again = c.submit("/redaction/dispositifs/nouveau", &pairs).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r_has(&again, "#e-f-id", "existe déjà"));

    let form = c.get("/redaction/dispositifs/sac-ados-bis").await;
    let archive = form_pairs(&form, "form.archiver");
    let r = c
        .submit("/redaction/dispositifs/sac-ados-bis/archiver", &archive)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(site
        .file("dispositifs/sac-ados-bis.json")
        .contains("\"statut\": \"ferme\""));
    let public = site
        .send(
            Request::builder()
                .uri("/dispositifs/sac-ados-bis")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(public.select(".badges .badge")[0].contains("Fermé"));
}

fn r_has(r: &crate::util::Reply, css: &str, text: &str) -> bool {
    r.select(css).iter().any(|t| t.contains(text))
}

/// Script, markup and quotes typed in every text field come out as text on public pages.
#[tokio::test]
async fn hostile_text_is_escaped_on_public_pages() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let page = c.get("/redaction/dispositifs/sac-ados").await;
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
    let text_fields = [
        "nom",
        "resume",
        "description",
        "porteur",
        "alias",
        "avantages",
        "conditions",
        "demarches",
        "mots_cles",
        "calendrier.commentaire",
        "sources[0].extrait",
        "sources[0].titre",
        "eligibilite.a_verifier",
    ];
    let mut pairs = form_pairs(&page, FORM);
    for f in text_fields {
        pairs = with(pairs, f, &format!("{f} {evil}"));
    }
    let r = c
        .submit(
            "/redaction/dispositifs/sac-ados",
            &with(pairs, "action", "publier"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        r.select("#erreurs li")
    );
    for uri in [
        "/dispositifs/sac-ados",
        "/recherche?q=sac+ados",
        "/pro",
        "/thematiques/vacances-loisirs",
    ] {
        let p = site
            .send(Request::builder().uri(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(p.status, StatusCode::OK, "{uri}");
        assert!(
            !p.body.contains("<script>alert"),
            "{uri} lets a script through"
        );
        assert!(!p.body.contains("<img src=x"), "{uri} lets markup through");
    }
    let p = site
        .send(
            Request::builder()
                .uri("/dispositifs/sac-ados")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        p.select("h1")[0].contains("<script>alert(1)</script>"),
        "shown as text"
    );
}
