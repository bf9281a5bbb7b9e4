//! The journal: history with readable differences, restoring a version, proposals.

use axum::http::StatusCode;
use referentiel_jeunesse::scheme::Slug;
use referentiel_jeunesse::store::Role;

use super::support::{form_pairs, with, Site};

const FORM: &str = "form[action^='/redaction/']:not(.archiver):not(.deconnexion)";

#[tokio::test]
async fn history_shows_the_change_and_restores_the_previous_version() {
    let site = Site::new().await;
    let original = site.file("dispositifs/sac-ados.json");
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let uri = "/redaction/dispositifs/sac-ados";
    let page = c.get(uri).await;
    let r = c
        .submit(
            uri,
            &with(
                with(form_pairs(&page, FORM), "nom", "Sac Ados 2027"),
                "action",
                "publier",
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let history = c.get("/redaction/dispositifs/sac-ados/historique").await;
    assert_eq!(history.status, StatusCode::OK);
    let rows = history.select("table.diff tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("nom")
            && rows[0].contains("Sac Ados")
            && rows[0].contains("Sac Ados 2027")
    );
    assert!(history.select("h2")[0].starts_with("Publication par alice"));
    let restore_forms = history.select("form[action$='/restaurer'] button");
    assert_eq!(
        restore_forms,
        vec!["Restaurer cette version"],
        "only the older version"
    );

    let pairs = form_pairs(&history, "form[action$='/restaurer']");
    let r = c
        .submit("/redaction/dispositifs/sac-ados/restaurer", &pairs)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        site.file("dispositifs/sac-ados.json"),
        original,
        "byte for byte"
    );
    let journal = site
        .store
        .history(
            referentiel_jeunesse::store::journal::RecordKind::Scheme,
            "sac-ados",
        )
        .unwrap();
    assert_eq!(journal.len(), 2);
    assert_eq!(journal[0].action, "restauration");

    // The same restore form again: the file changed since it was rendered → 409.
    let again = c
        .submit("/redaction/dispositifs/sac-ados/restaurer", &pairs)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_journal_lists_who_did_what() {
    let site = Site::new().await;
    let mut c = site.logged_in("alice", Role::Redaction).await;
    let uri = "/redaction/dispositifs/bafa";
    let page = c.get(uri).await;
    let r = c
        .submit(
            uri,
            &with(
                with(
                    form_pairs(&page, FORM),
                    "porteur",
                    "État, ministère chargé de la jeunesse",
                ),
                "action",
                "publier",
            ),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{:?}",
        r.select("#erreurs li")
    );
    let journal = c.get("/redaction/journal").await;
    let row = journal.select("tbody tr");
    assert_eq!(row.len(), 1);
    assert!(
        row[0].contains("alice") && row[0].contains("publication") && row[0].contains("bafa"),
        "{row:?}"
    );
}

#[tokio::test]
async fn structure_proposals_are_approved_or_refused_by_the_redaction() {
    let site = Site::new().await;
    let place = Role::Structure(Slug::parse("pij-mericourt").unwrap());
    let mut pij = site.logged_in("pij", place).await;
    let mut alice = site.logged_in("alice", Role::Redaction).await;
    for uri in [
        "/redaction/propositions",
        "/redaction/journal",
        "/redaction/dispositifs/sac-ados/historique",
    ] {
        assert_eq!(pij.get(uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
    let uri = "/redaction/structures/pij-mericourt";
    let before = site.file("structures/pij-mericourt.json");
    let propose = |text: &'static str| {
        move |page: &crate::util::Reply| {
            with(
                with(form_pairs(page, FORM), "horaires", text),
                "action",
                "publier",
            )
        }
    };
    let page = pij.get(uri).await;
    let r = pij
        .submit(uri, &propose("Ouvert le mercredi après-midi.")(&page))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = pij
        .submit(uri, &propose("Ouvert tous les jours.")(&page))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(site.file("structures/pij-mericourt.json"), before);

    let list = alice.get("/redaction/propositions").await;
    assert_eq!(list.select("section h2").len(), 2);
    assert!(list.body.contains("Ouvert le mercredi après-midi."));
    let ids = site.store.pending_proposals().unwrap();
    let (first, second) = (ids[0].id, ids[1].id);
    let r = alice
        .post(
            &format!("/redaction/propositions/{second}"),
            &[("action", "refuser")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        site.file("structures/pij-mericourt.json"),
        before,
        "refused: nothing written"
    );
    let r = alice
        .post(
            &format!("/redaction/propositions/{first}"),
            &[("action", "approuver")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(site
        .file("structures/pij-mericourt.json")
        .contains("Ouvert le mercredi après-midi."));
    let history = site
        .store
        .history(
            referentiel_jeunesse::store::journal::RecordKind::Place,
            "pij-mericourt",
        )
        .unwrap();
    assert_eq!(history[0].action, "approbation (proposée par pij)");
    assert_eq!(history[0].account, "alice");
    assert!(site.store.pending_proposals().unwrap().is_empty());
    // The structure sees its own history, without restore buttons.
    let own = pij
        .get("/redaction/structures/pij-mericourt/historique")
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.select("form[action$='/restaurer']").is_empty());
    let r = pij
        .post(
            "/redaction/structures/pij-mericourt/restaurer",
            &[("entree", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
