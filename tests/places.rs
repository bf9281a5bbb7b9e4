//! Places (issue 12): `/structures`, `/structures/{id}`, the API and exports, the « Où
//! s’adresser » section of scheme pages and the « Lieux » block of the search, on the shipped
//! schemes and communes with six places of our own (so the data helper's work cannot move them).

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use referentiel_jeunesse::clock::Clock;
use referentiel_jeunesse::data;
use referentiel_jeunesse::places::{self, Filter, TextQuery};
use referentiel_jeunesse::search::Engine;
use referentiel_jeunesse::AppState;
use serde_json::json;

use crate::util::{data_copy, encode, request_with, Reply, TODAY};

/// One place file, on real communes (Lens 62498, Liévin 62510, Avion 62065 are in the
/// CA de Lens - Liévin 246200364; Arras 62041; Saint-Pol-sur-Ternoise 62767 in the CC du
/// Ternois 200069672).
fn place(
    id: &str,
    nom: &str,
    kind: &str,
    commune: (&str, &str),
    extra: serde_json::Value,
) -> serde_json::Value {
    let mut v = json!({
        "id": id, "nom": nom, "type": kind,
        "adresse": { "code_postal": commune.1, "commune": commune.0 },
        "dessert": { "communes": [commune.0] },
        "dispositifs": [],
        "sources": [{ "titre": "Page de test", "url": "https://www.pasdecalais.fr/", "consulte_le": "2026-11-30" }],
        "mis_a_jour": "2026-11-30"
    });
    for (k, x) in extra.as_object().expect("object") {
        v[k] = x.clone();
    }
    v
}

fn fixture_places() -> Vec<serde_json::Value> {
    vec![
        place(
            "ml-lens-lievin",
            "Mission locale de Lens-Liévin",
            "mission-locale",
            ("62498", "62300"),
            json!({
                "adresse": { "rue": "1 rue de la Gare", "code_postal": "62300", "commune": "62498" },
                "dessert": { "epci": ["246200364"] },
                "contact": { "telephone": "+33 3 21 00 00 00", "courriel": "accueil@ml-test.fr", "site": "https://ml-test.fr/" },
                "horaires": "- du lundi au vendredi",
                "dispositifs": ["contrat-engagement-jeune"]
            }),
        ),
        place(
            "pij-arras",
            "Point Info Jeunes d’Arras",
            "info-jeunes",
            ("62041", "62000"),
            json!({}),
        ),
        place(
            "relais-lievin",
            "Centre social Arc-en-ciel",
            "relais-sac-ados",
            ("62510", "62800"),
            json!({ "dispositifs": ["sac-ados"] }),
        ),
        place(
            "mda-arras",
            "Maison des adolescents de l’Arrageois",
            "maison-des-adolescents",
            ("62041", "62000"),
            json!({
                "dessert": { "communes": ["62041", "62764"] }
            }),
        ),
        place(
            "ml-ternois",
            "Mission locale du Ternois",
            "mission-locale",
            ("62767", "62130"),
            json!({
                "dessert": { "epci": ["200069672"] }, "dispositifs": ["contrat-engagement-jeune"]
            }),
        ),
        place(
            "pij-avion",
            "Point Info Jeunes d’Avion",
            "info-jeunes",
            ("62065", "62210"),
            json!({}),
        ),
    ]
}

/// The shipped data with our six places instead of the shipped ones.
fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let dir = data_copy();
            let folder = dir.path().join("structures");
            std::fs::remove_dir_all(&folder).expect("rm structures");
            std::fs::create_dir(&folder).expect("mkdir structures");
            for p in fixture_places() {
                let file = folder.join(format!("{}.json", p["id"].as_str().unwrap()));
                std::fs::write(file, serde_json::to_vec_pretty(&p).unwrap()).expect("write");
            }
            let data = data::load(dir.path(), TODAY).unwrap_or_else(|e| panic!("{e}"));
            let engine = Engine::in_ram(data).expect("index builds");
            AppState::with_clock(engine, "http://test.local".into(), Clock::Fixed(TODAY))
        })
        .clone()
}

async fn get(uri: &str) -> Reply {
    let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
    request_with(state(), req).await
}

fn ids(v: &serde_json::Value) -> Vec<&str> {
    v["structures"]
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn api_lists_places_serving_the_commune_first_then_its_epci_then_the_others() {
    let r = get("/api/structures?commune=Lens").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["total"], 6);
    assert_eq!(ids(&v)[0], "ml-lens-lievin");
    let mut same_epci = ids(&v)[1..3].to_vec();
    same_epci.sort();
    assert_eq!(same_epci, ["pij-avion", "relais-lievin"], "{:?}", ids(&v));
    let first = &v["structures"][0];
    for key in [
        "id",
        "nom",
        "type",
        "adresse",
        "commune",
        "dessert_la_commune",
        "telephone",
        "courriel",
        "site",
        "dispositifs",
    ] {
        assert!(first.get(key).is_some(), "missing {key}: {first}");
    }
    assert_eq!(first["type"], "mission-locale");
    assert_eq!(first["adresse"], "1 rue de la Gare, 62300 Lens");
    assert_eq!(first["commune"], json!({ "insee": "62498", "nom": "Lens" }));
    assert_eq!(first["dessert_la_commune"], true);
    assert_eq!(first["dispositifs"], json!(["contrat-engagement-jeune"]));
    let served: Vec<bool> = v["structures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["dessert_la_commune"].as_bool().unwrap())
        .collect();
    assert_eq!(served, [true, false, false, false, false, false]);
}

#[tokio::test]
async fn api_filters_by_type_scheme_and_shared_postal_code() {
    let v = get("/api/structures?type=info-jeunes").await.json();
    assert_eq!(ids(&v), ["pij-arras", "pij-avion"]);
    let v = get("/api/structures?dispositif=sac-ados").await.json();
    assert_eq!(ids(&v), ["relais-lievin"]);
    let v = get("/api/structures?commune=Li%C3%A9vin&type=mission-locale")
        .await
        .json();
    assert_eq!(ids(&v), ["ml-lens-lievin", "ml-ternois"]);
    // 62300 is Lens and Éleu-dit-Leauwette: both count.
    let v = get("/api/structures?commune=62300&type=mission-locale")
        .await
        .json();
    assert_eq!(v["structures"][0]["dessert_la_commune"], true);
    let v = get(&format!(
        "/api/structures?q={}",
        encode("mission locale lens")
    ))
    .await
    .json();
    assert_eq!(ids(&v)[0], "ml-lens-lievin");
}

#[tokio::test]
async fn api_refuses_an_unresolved_commune_an_unknown_type_or_scheme_with_a_french_400() {
    let r = get("/api/structures?commune=Atlantis").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let msg = r.json()["erreur"]["message"].as_str().unwrap().to_owned();
    assert!(msg.contains("« Atlantis »"), "{msg}");
    let msg = get("/api/structures?commune=saint").await.json()["erreur"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.contains("Communes possibles") && msg.contains("Saint-Omer (62765)"),
        "{msg}"
    );
    for uri in [
        "/api/structures?type=mairie",
        "/api/structures?dispositif=inconnu",
        "/api/structures?commune=a&commune=b",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.json()["erreur"]["code"], "requete_invalide", "{uri}");
    }
    assert_eq!(
        get("/api/structures/inconnue").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn api_detail_export_and_etag() {
    let v = get("/api/structures/ml-lens-lievin").await.json();
    assert_eq!(v["type_libelle"], "Mission locale");
    assert_eq!(v["dessert"]["epci"], json!(["246200364"]));
    assert_eq!(v["url"], "http://test.local/structures/ml-lens-lievin");
    let export = get("/donnees/structures.json").await.json();
    assert_eq!(export["total"], 6);
    assert_eq!(
        export["structures"][0]["nom"], "Centre social Arc-en-ciel",
        "sorted by name"
    );
    let first = get("/api/structures?commune=Lens").await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    let req = Request::builder()
        .uri("/api/structures?commune=Lens")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        request_with(state(), req).await.status,
        StatusCode::NOT_MODIFIED
    );
}

#[tokio::test]
async fn csv_export_neutralises_cells_a_spreadsheet_would_run() {
    let r = get("/donnees/structures.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.contains_key(header::ETAG));
    let mut rows = csv::Reader::from_reader(r.body.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 6);
    let ml = records.iter().find(|r| &r[0] == "ml-lens-lievin").unwrap();
    assert_eq!(&ml[col("telephone")], "'+33 3 21 00 00 00");
    assert_eq!(&ml[col("horaires")], "'- du lundi au vendredi");
    assert_eq!(
        &ml[col("courriel")],
        "accueil@ml-test.fr",
        "an @ inside is harmless"
    );
    assert_eq!(&ml[col("dessert_epci")], "246200364");
}

#[tokio::test]
async fn openapi_documents_the_place_endpoints_and_their_parameters() {
    let spec = get("/api/openapi.json").await.json();
    let params: Vec<&str> = spec["paths"]["/api/structures"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["commune", "type", "dispositif", "q"]);
    for path in [
        "/api/structures/{id}",
        "/donnees/structures.json",
        "/api/dispositifs",
    ] {
        assert!(spec["paths"][path].is_object(), "{path}");
    }
}

#[tokio::test]
async fn structures_page_puts_the_places_serving_the_commune_first_under_headings() {
    let r = get("/structures?commune=Lens").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.select("h1"), ["Lieux pour les jeunes près de Lens"]);
    let h2 = r.select("h2");
    assert!(h2[0].starts_with("Lieux qui desservent Lens"), "{h2:?}");
    assert!(
        h2[1].starts_with("Dans la même intercommunalité (CA de Lens - Liévin)"),
        "{h2:?}"
    );
    assert!(
        h2[2].starts_with("Ailleurs dans le Pas-de-Calais"),
        "{h2:?}"
    );
    assert_eq!(r.select(".lieu-nom")[0], "Mission locale de Lens-Liévin");
    assert_eq!(r.select(".lieu-nom").len(), 6);
    let r = get("/structures?commune=62300").await;
    assert_eq!(
        r.select("h1"),
        ["Lieux pour les jeunes près d’Éleu-dit-Leauwette ou Lens"]
    );
    let r = get("/structures?type=info-jeunes").await;
    assert_eq!(
        r.select(".lieu-nom"),
        ["Point Info Jeunes d’Arras", "Point Info Jeunes d’Avion"]
    );
}

#[tokio::test]
async fn structures_page_with_an_unknown_commune_lists_everything_with_a_one_line_note() {
    for (uri, said) in [
        ("/structures?commune=Atlantis", "Atlantis"),
        ("/structures?commune=saint", "choisis la tienne"),
        ("/structures?type=mairie", "mairie"),
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let notes = r.select(".alerte p");
        assert_eq!(notes.len(), 1, "{uri}: {notes:?}");
        assert!(notes[0].contains(said), "{uri}: {notes:?}");
        assert_eq!(r.select(".lieu-nom").len(), 6, "{uri}: never an empty page");
    }
    let r = get("/structures?commune=saint").await;
    let doc = r.html();
    let sel = scraper::Selector::parse(".alerte a").unwrap();
    let hrefs: Vec<&str> = doc
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/structures?commune=62765"), "{hrefs:?}");
}

#[tokio::test]
async fn structure_page_has_address_map_link_contacts_and_schemes() {
    let r = get("/structures/ml-lens-lievin").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.select("h1"), ["Mission locale de Lens-Liévin"]);
    let doc = r.html();
    let href = |css: &str| -> Vec<String> {
        let sel = scraper::Selector::parse(css).unwrap();
        doc.select(&sel)
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect()
    };
    assert_eq!(href("a[href^='tel:']"), ["tel:+33321000000"]);
    assert_eq!(href("a[href^='mailto:']"), ["mailto:accueil@ml-test.fr"]);
    assert_eq!(
        href("a[href*='openstreetmap.org']"),
        ["https://www.openstreetmap.org/search?query=1+rue+de+la+Gare%2C+62300+Lens"]
    );
    assert!(href("a").contains(&"/dispositifs/contrat-engagement-jeune".to_owned()));
    assert!(
        !r.body.contains("<img") && !r.body.contains("<iframe"),
        "nothing fetched elsewhere at load"
    );
    assert!(r.body.contains("Horaires"));
    assert_eq!(
        get("/structures/inconnue").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Names of the places listed in the « Où s’adresser » section of a scheme page.
async fn where_to_go(uri: &str) -> (Reply, Vec<String>) {
    let r = get(uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}");
    let names = r.select("#ou-s-adresser .lieu-nom");
    (r, names)
}

#[tokio::test]
async fn scheme_page_lists_the_places_handling_it_for_the_commune_or_the_general_ones() {
    let (r, names) = where_to_go("/dispositifs/sac-ados?commune=Li%C3%A9vin").await;
    assert_eq!(
        names,
        ["Centre social Arc-en-ciel"],
        "the relay serving Liévin"
    );
    assert_eq!(
        r.select("#ou-s-adresser input[name=commune][value='Liévin']")
            .len(),
        1,
        "remembered"
    );
    let (_, names) = where_to_go("/dispositifs/sac-ados?commune=Lens").await;
    assert_eq!(
        names,
        ["Mission locale de Lens-Liévin"],
        "no relay serves Lens: general places"
    );
    let (_, names) = where_to_go("/dispositifs/sac-ados?commune=Arras").await;
    assert_eq!(
        names,
        ["Point Info Jeunes d’Arras"],
        "a maison des ados is not a general place"
    );
    let (r, names) = where_to_go("/dispositifs/sac-ados?commune=Calais").await;
    assert!(names.is_empty());
    assert!(r.select("#ou-s-adresser [role=status]")[0].contains("Calais"));
}

#[tokio::test]
async fn scheme_page_section_prints_only_with_a_commune_and_offers_choices_when_unsure() {
    let (r, names) = where_to_go("/dispositifs/sac-ados").await;
    assert!(names.is_empty());
    assert_eq!(r.select("section.ecran-seulement#ou-s-adresser").len(), 1);
    assert_eq!(
        r.select("#ou-s-adresser form[method=get] input[name=commune]")
            .len(),
        1
    );
    let (r, _) = where_to_go("/dispositifs/sac-ados?commune=Lens").await;
    assert_eq!(
        r.select("section.ecran-seulement").len(),
        0,
        "printed with its commune"
    );
    let r = get("/dispositifs/sac-ados?commune=saint").await;
    let doc = r.html();
    let sel = scraper::Selector::parse("#ou-s-adresser li a").unwrap();
    let hrefs: Vec<&str> = doc
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"/dispositifs/sac-ados?commune=62765#ou-s-adresser"),
        "{hrefs:?}"
    );
}

#[tokio::test]
async fn main_search_shows_places_in_their_own_block_and_the_api_is_unchanged() {
    for (q, first) in [
        ("mission locale lens", "Mission locale de Lens-Liévin"),
        ("pij arras", "Point Info Jeunes d’Arras"),
        ("mision locale liévin", "Mission locale de Lens-Liévin"),
        (
            "maison des ados arras",
            "Maison des adolescents de l’Arrageois",
        ),
    ] {
        let r = get(&format!("/recherche?q={}", encode(q))).await;
        let block = r.select(".bloc-lieux .lieu-nom");
        assert_eq!(
            block.first().map(String::as_str),
            Some(first),
            "{q}: {block:?}"
        );
        assert!(
            r.select(".cartes .lieu").is_empty(),
            "{q}: mixed into the schemes"
        );
        let api = get(&format!("/api/dispositifs?q={}", encode(q)))
            .await
            .json();
        assert!(api.get("structures").is_none(), "{q}");
    }
    for q in ["vacances", "permis de conduire", "camp"] {
        let r = get(&format!("/recherche?q={}", encode(q))).await;
        assert!(r.select(".bloc-lieux").is_empty(), "{q}: no place is meant");
    }
}

#[test]
fn text_queries_match_name_type_and_commune_with_a_prefix_and_one_typo() {
    let st = state();
    let engine = st.engine();
    let data = &engine.data;
    let find = |q: &str| -> Vec<String> {
        let t = TextQuery::parse(q, &data.communes).expect("meaningful");
        places::find(
            data,
            &Filter {
                text: Some(&t),
                ..Default::default()
            },
        )
        .iter()
        .map(|f| f.place.id.to_string())
        .collect()
    };
    assert_eq!(
        find("mission loc"),
        ["ml-lens-lievin", "ml-ternois"],
        "prefix"
    );
    assert_eq!(find("misison locale ternois"), ["ml-ternois"], "one typo");
    assert_eq!(find("mda"), ["mda-arras"], "acronym of the type");
    assert_eq!(find("bij avion"), ["pij-avion"]);
    assert_eq!(
        find("mission locale auxi le chateau"),
        ["ml-ternois"],
        "a commune it serves"
    );
    assert!(find("mission locale calais").is_empty());
    assert!(TextQuery::parse("de la", &data.communes).is_none());
}
