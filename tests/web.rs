//! Routes: status and rendered content of each page and API endpoint.

use axum::http::StatusCode;

use crate::util::{api_ids, encode, get};

#[tokio::test]
async fn home_has_search_form_and_themes() {
    let r = get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<html lang=\"fr\">"));
    assert_eq!(r.select("h1").len(), 1);
    assert_eq!(r.select("form[role=search] input[name=q]").len(), 1);
    assert!(r
        .select(".tuile-titre")
        .contains(&"Vacances et loisirs".to_owned()));
}

#[tokio::test]
async fn results_page_lists_matches() {
    let r = get(&format!("/recherche?q={}", encode("sac ados"))).await;
    assert_eq!(r.status, StatusCode::OK);
    let titles = r.select(".carte-titre");
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Sac Ados"),
        "{titles:?}"
    );
}

#[tokio::test]
async fn results_page_without_match_helps() {
    let r = get("/recherche?q=zzzzqqqq").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.select(".nombre"), ["Aucun dispositif trouvé"]);
    let next = r.select(".aucun").join(" ");
    assert!(next.contains("C’est pour moi ?"), "{next}");
    assert!(next.contains("1jeune1solution"), "{next}");
    assert!(
        !next.contains("Enlève un filtre"),
        "no filter is set: {next}"
    );
    assert!(
        !r.select("h2")
            .iter()
            .any(|h| h.contains("Aucun dispositif")),
        "the count is not repeated as a heading"
    );
    let filtered = get("/recherche?q=zzzzqqqq&age=17").await;
    assert!(filtered
        .select(".aucun")
        .join(" ")
        .contains("Enlève un filtre"));
    // The count says it once; the heading offers what to do next (issue 16: no duplicated
    // heading).
    assert_eq!(
        r.select(".nombre"),
        vec!["Aucun dispositif trouvé".to_owned()]
    );
    assert!(r.select("h2").iter().any(|h| h == "Et maintenant ?"));
}

#[tokio::test]
async fn scheme_page_shows_the_whole_scheme() {
    let r = get("/dispositifs/sac-ados").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.select("h1"), vec!["Sac Ados".to_owned()]);
    let h2 = r.select("h2");
    for part in [
        "C’est quoi ?",
        "C’est pour moi ?",
        "J’obtiens quoi ?",
        "Je fais comment ?",
        "Contact",
        "Sources",
    ] {
        assert!(h2.iter().any(|h| h == part), "missing {part} in {h2:?}");
    }
    assert!(r.body.contains("Mis à jour le"));
    assert!(r.body.contains("application/ld+json"));
}

#[tokio::test]
async fn unknown_scheme_and_path_give_the_french_404_page() {
    for uri in [
        "/dispositifs/nexiste-pas",
        "/nulle/part",
        "/thematiques/inconnue",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(r.select("h1"), vec!["Page introuvable".to_owned()], "{uri}");
    }
}

#[tokio::test]
async fn api_search_returns_sac_ados_first() {
    let ids = api_ids(&format!("q={}", encode("sac ados"))).await;
    assert_eq!(ids.first().map(String::as_str), Some("sac-ados"), "{ids:?}");
    let r = get("/api/dispositifs?q=sac%20ados").await;
    let first = &r.json()["dispositifs"][0];
    for key in [
        "id",
        "nom",
        "resume",
        "thematiques",
        "age_min",
        "age_max",
        "url",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
}

#[tokio::test]
async fn api_without_query_lists_every_scheme() {
    let r = get("/api/dispositifs").await;
    let v = r.json();
    let total = v["total"].as_u64().unwrap();
    assert_eq!(total as usize, crate::util::engine().data.schemes.len());
    assert_eq!(v["dispositifs"].as_array().unwrap().len() as u64, total);
}

#[tokio::test]
async fn api_one_scheme_and_unknown_one() {
    let r = get("/api/dispositifs/sac-ados").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["id"], "sac-ados");
    let r = get("/api/dispositifs/inconnu").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["erreur"]["statut"], 404);
}

#[tokio::test]
async fn suggestions_complete_the_word_being_typed() {
    let r = get("/api/suggestions?q=servi").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"service-civique"), "{ids:?}");
    assert!(v[0].get("nom").is_some() && v[0].get("url").is_some());
}

#[tokio::test]
async fn age_and_commune_filters_narrow_results() {
    let all = api_ids("").await;
    let narrowed = api_ids("age=12&commune=62800").await;
    assert!(
        !narrowed.is_empty() && narrowed.len() < all.len(),
        "{} vs {}",
        narrowed.len(),
        all.len()
    );
    assert!(!narrowed.contains(&"depart-18-25".to_owned()));
}

#[tokio::test]
async fn shared_postal_code_filters_on_all_its_communes() {
    // 62000 is Arras (62041) and Dainville (62263): the filter applies to both.
    let r = get("/recherche?q=sport&commune=62000").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Arras, Dainville"),
        "the active filter names both"
    );
    let mut both = api_ids("commune=62000").await;
    let mut union = api_ids("commune=62041").await;
    union.extend(api_ids("commune=62263").await);
    union.sort();
    union.dedup();
    both.sort();
    assert_eq!(both, union);
}

#[tokio::test]
async fn unresolved_commune_lists_the_closest_ones() {
    let r = get("/recherche?q=sport&commune=saint").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a page is never emptied by the commune"
    );
    assert!(r.select("[role=alert] a").iter().any(|a| a == "Saint-Omer"));
    assert!(!r.select(".carte").is_empty(), "results unfiltered");
    let r = get("/api/dispositifs?commune=saint").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["erreur"]["message"]
        .as_str()
        .unwrap()
        .contains("Saint-Omer (62765)"));
}

#[tokio::test]
async fn bad_parameters_get_a_french_400() {
    for uri in [
        "/recherche?age=abc",
        "/recherche?age=500",
        "/recherche?theme=inconnu",
        "/recherche?page=0",
        "/recherche?tri=hasard",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.select("[role=alert]").len(), 1, "{uri}");
    }
    let r = get("/api/dispositifs?age=-3").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["erreur"]["message"]
        .as_str()
        .unwrap()
        .contains("âge"));
}

#[tokio::test]
async fn theme_and_public_pages_list_their_schemes() {
    let r = get("/thematiques/permis-mobilite").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.select(".carte-titre").is_empty());
    let r = get("/publics/collegiens").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.select(".carte-titre").is_empty());
}

#[tokio::test]
async fn health_reports_data_version() {
    let r = get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["statut"], "ok");
    assert!(v["dispositifs"].as_u64().unwrap() >= 45);
}

/// Issue 16, point 2: a meaningful word that matches nothing is said, and generic words alone
/// are not presented as answers.
#[tokio::test]
async fn words_that_match_nothing_are_said_not_hidden() {
    let r = get("/recherche?q=aide%20pour%20mon%20chien").await;
    assert_eq!(
        r.select(".sans-resultat"),
        ["Aucun dispositif ne parle de « chien »."]
    );
    assert!(
        r.select(".carte").is_empty(),
        "no scheme matching only « aide »"
    );
    let ok = get("/recherche?q=aide%20permis").await;
    assert!(ok.select(".sans-resultat").is_empty());
    assert!(!ok.select(".carte").is_empty());
}

/// Issue 16, point 3: the commune field never empties the results.
#[tokio::test]
async fn a_commune_never_empties_the_results() {
    for commune in [
        "62500",
        "62300",
        "62000",
        "boulogne",
        "henin%20beaumont",
        "calai",
    ] {
        let r = get(&format!("/recherche?q=vacances&commune={commune}")).await;
        assert_eq!(r.status, StatusCode::OK, "{commune}");
        assert!(!r.select(".carte").is_empty(), "{commune}: results");
        assert!(
            r.select(".alerte").is_empty(),
            "{commune} resolves: {:?}",
            r.select(".alerte")
        );
    }
    // « henin » is ambiguous (Hénin-Beaumont, Hénin-sur-Cojeul): a note, results still there.
    let r = get("/recherche?q=vacances&commune=henin").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.select(".carte").is_empty());
    let r = get("/recherche?q=vacances&commune=Lille").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.select(".carte").is_empty(), "unfiltered results");
    assert!(r
        .select(".alerte")
        .join(" ")
        .contains("ne tiennent pas compte de la commune"));
    let bad_age = get("/recherche?q=vacances&age=abc").await;
    assert_eq!(bad_age.status, StatusCode::BAD_REQUEST);
}
