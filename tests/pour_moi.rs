//! « C’est pour moi ? » (issue 13): a table of personas with the schemes that must be « pour
//! toi », « peut-être » and excluded, written from the schemes' stated conditions (ages, situations,
//! territory, organisations) — not from the engine's output; the page, the API and the filters agree.

use std::collections::HashMap;

use axum::http::StatusCode;

use crate::util::{encode, get, shipped_data, TODAY};

/// One persona: age, commune (as typed), situations; then the expected groups.
struct Persona {
    age: u8,
    commune: &'static str,
    situations: &'static [&'static str],
    pour_toi: &'static [&'static str],
    peut_etre: &'static [&'static str],
    exclus: &'static [&'static str],
}

const fn p(
    age: u8,
    commune: &'static str,
    situations: &'static [&'static str],
    pour_toi: &'static [&'static str],
    peut_etre: &'static [&'static str],
    exclus: &'static [&'static str],
) -> Persona {
    Persona {
        age,
        commune,
        situations,
        pour_toi,
        peut_etre,
        exclus,
    }
}

/// Schemes asked for by a club, a school or a professional: never for a young person directly.
const ORGANISATIONS: &[&str] = &[
    "ouvrez-votre-club",
    "groupe-expert-jeunesse",
    "organisateur-ecoresponsable",
    "initiatives-memorielles",
];
/// Closed, or only announced: left out of the answer.
const NOT_RUNNING: &[&str] = &[
    "aide-permis-apprentis",
    "service-national-universel",
    "mentorat",
];

const PERSONAS: &[Persona] = &[
    // Collégiens: nothing for 16+, the collège schemes need more than four answers.
    p(
        12,
        "62041",
        &["collegien"],
        &["fil-sante-jeunes", "carte-jeune-europeenne"],
        &["bourse-college", "pass-colo"],
        &[
            "sac-ados",
            "service-civique",
            "bafa",
            "contrat-engagement-jeune",
            "permis-1-euro-par-jour",
            "corps-europeen-solidarite",
            "discovereu",
        ],
    ),
    p(
        11,
        "Arras",
        &["collegien"],
        &["info-jeunes", "psc1"],
        &["pass-colo", "college-au-cinema"],
        &[
            "fil-sante-jeunes",
            "carte-jeune-europeenne",
            "jobs-ete",
            "sac-ados",
        ],
    ),
    p(
        13,
        "lens",
        &["collegien", "boursier"],
        &["maisons-des-adolescents", "fil-sante-jeunes"],
        &["bourse-college", "prime-internat"],
        &["pass-colo", "sac-ados", "jobs-ete", "bourse-lycee"],
    ),
    p(
        14,
        "62193",
        &["collegien"],
        &["fil-sante-jeunes"],
        &["jobs-ete", "prime-outillage-caf-62", "sections-sportives"],
        &["sac-ados", "permis-1-euro-par-jour", "bourse-lycee"],
    ),
    p(
        15,
        "Boulogne-sur-Mer",
        &["collegien"],
        &[],
        &["permis-1-euro-par-jour", "jobs-ete"],
        &[
            "sac-ados",
            "service-civique",
            "bourse-lycee",
            "bourse-crous",
        ],
    ),
    // Lycéens.
    p(
        16,
        "62041",
        &["lyceen"],
        &["bafa", "objectif-jeunesses-62", "missions-locales"],
        &["sac-ados", "service-civique", "bourse-lycee"],
        &[
            "bourse-college",
            "college-au-cinema",
            "pass-colo",
            "corps-europeen-solidarite",
        ],
    ),
    p(
        16,
        "arras",
        &["lyceen", "boursier"],
        &["missions-locales"],
        &["prime-internat", "bourse-lycee"],
        &["bourse-college", "aide-restauration-scolaire"],
    ),
    p(
        17,
        "Calais",
        &["lyceen"],
        &["fil-sante-jeunes", "bafa"],
        &["pass-culture", "formation-bnssa"],
        &[
            "service-national-2026",
            "corps-europeen-solidarite",
            "discovereu",
            "service-national-universel",
        ],
    ),
    p(
        17,
        "62200",
        &["lyceen"],
        &["objectif-jeunesses-62"],
        &["pass-culture", "sac-ados"],
        &["discovereu"],
    ),
    p(
        18,
        "Calais",
        &["lyceen"],
        &["missions-locales", "bafa"],
        &["pass-culture", "discovereu", "service-national-2026"],
        &["pass-colo", "bourse-college"],
    ),
    p(
        18,
        "62100",
        &["lyceen", "boursier"],
        &["missions-locales"],
        &["pass-culture", "bourse-crous", "prime-internat"],
        &["bourse-college"],
    ),
    // Apprentis.
    p(
        17,
        "62800",
        &["apprenti"],
        &["missions-locales"],
        &["fonds-aide-aux-jeunes", "avance-loca-pass", "mobili-jeune"],
        &["bourse-college", "bourse-lycee", "logement-crous"],
    ),
    p(
        19,
        "Liévin",
        &["apprenti"],
        &["bafa", "missions-locales"],
        &[
            "mobili-jeune",
            "avance-loca-pass",
            "prime-activite-jeunes",
            "visale",
        ],
        &["bourse-crous", "logement-crous", "contrat-engagement-jeune"],
    ),
    p(
        16,
        "lievin",
        &["apprenti"],
        &[],
        &["fonds-aide-aux-jeunes", "sac-ados"],
        &["prime-activite-jeunes"],
    ),
    // Étudiants.
    p(
        19,
        "62041",
        &["etudiant"],
        &["missions-locales"],
        &["bourse-crous", "logement-crous", "visale"],
        &[
            "contrat-engagement-jeune",
            "bourse-lycee",
            "mobili-jeune",
            "aide-permis-france-travail",
        ],
    ),
    p(
        20,
        "Liévin",
        &["etudiant"],
        &["carte-jeune-europeenne"],
        &["bourse-crous", "aides-logement-caf"],
        &["contrat-engagement-jeune", "prime-activite-jeunes"],
    ),
    p(
        22,
        "Arras",
        &["etudiant", "boursier"],
        &["contraception-gratuite"],
        &["bourse-crous", "logement-crous", "depart-18-25"],
        &["bourse-college", "discovereu"],
    ),
    // Sans emploi ni formation.
    p(
        20,
        "Liévin",
        &["sans-emploi"],
        &[
            "missions-locales",
            "objectif-jeunesses-62",
            "contraception-gratuite",
        ],
        &[
            "contrat-engagement-jeune",
            "aide-permis-france-travail",
            "fonds-aide-aux-jeunes",
        ],
        &[
            "bourse-crous",
            "logement-crous",
            "prime-activite-jeunes",
            "mobili-jeune",
        ],
    ),
    p(
        18,
        "Lens",
        &["sans-emploi"],
        &["missions-locales"],
        &["contrat-engagement-jeune", "epide", "ecole-2e-chance"],
        &["bourse-lycee", "prime-activite-jeunes"],
    ),
    p(
        24,
        "62193",
        &["sans-emploi"],
        &["missions-locales"],
        &["contrat-engagement-jeune", "service-civique", "epide"],
        &["bourse-college"],
    ),
    p(
        25,
        "Boulogne",
        &["sans-emploi"],
        &["missions-locales"],
        &["contrat-engagement-jeune", "sac-ados"],
        &["pass-culture", "discovereu"],
    ),
    p(
        16,
        "62041",
        &["sans-emploi"],
        &["missions-locales"],
        &["contrat-engagement-jeune", "sac-ados"],
        &[
            "aide-permis-france-travail",
            "fonds-aide-aux-jeunes",
            "discovereu",
        ],
    ),
    // En emploi.
    p(
        20,
        "62041",
        &["en-emploi"],
        &["missions-locales"],
        &["prime-activite-jeunes", "mobili-jeune", "visale"],
        &[
            "contrat-engagement-jeune",
            "aide-permis-france-travail",
            "bourse-crous",
        ],
    ),
    p(
        23,
        "Calais",
        &["en-emploi"],
        &[],
        &[
            "prime-activite-jeunes",
            "habitat-jeunes",
            "avance-loca-pass",
        ],
        &["contrat-engagement-jeune", "logement-crous"],
    ),
    // Older young adults.
    p(
        26,
        "Arras",
        &["en-emploi"],
        &[],
        &["visale", "habitat-jeunes", "corps-europeen-solidarite"],
        &[
            "sac-ados",
            "missions-locales",
            "contraception-gratuite",
            "fil-sante-jeunes",
            "service-civique",
        ],
    ),
    p(
        28,
        "62498",
        &["sans-emploi"],
        &[],
        &["visale", "corps-europeen-solidarite"],
        &["service-civique", "contrat-engagement-jeune", "sac-ados"],
    ),
    p(
        28,
        "62498",
        &["sans-emploi", "handicap"],
        &[],
        &["service-civique", "contrat-engagement-jeune"],
        &["sac-ados", "missions-locales"],
    ),
    p(
        30,
        "Lens",
        &["handicap"],
        &[],
        &["service-civique"],
        &[
            "visale",
            "contrat-engagement-jeune",
            "mobili-jeune",
            "avance-loca-pass",
        ],
    ),
    p(
        31,
        "Lens",
        &["handicap"],
        &[],
        &[],
        &[
            "service-civique",
            "visale",
            "corps-europeen-solidarite",
            "carte-jeune-europeenne",
            "habitat-jeunes",
        ],
    ),
    p(
        29,
        "Arras",
        &["handicap", "sans-emploi"],
        &[],
        &["contrat-engagement-jeune", "service-civique"],
        &["sac-ados", "missions-locales"],
    ),
    // A shared postal code: all its communes; département schemes still fit.
    p(
        17,
        "62300",
        &["lyceen"],
        &["objectif-jeunesses-62", "bafa"],
        &["sac-ados", "pass-culture"],
        &["bourse-college"],
    ),
    p(
        20,
        "62500",
        &["sans-emploi"],
        &["objectif-jeunesses-62"],
        &["contrat-engagement-jeune"],
        &["bourse-crous"],
    ),
    p(
        19,
        "62000",
        &["etudiant"],
        &["missions-locales"],
        &["bourse-crous"],
        &["contrat-engagement-jeune"],
    ),
    // Rural communes.
    p(
        16,
        "Auxi-le-Château",
        &["lyceen"],
        &["objectif-jeunesses-62"],
        &["sac-ados", "bourse-lycee"],
        &["bourse-college"],
    ),
    p(
        22,
        "62390",
        &["sans-emploi"],
        &["missions-locales"],
        &["contrat-engagement-jeune", "sac-ados"],
        &["bourse-lycee"],
    ),
    // Without situations ticked: situation-only schemes are excluded.
    p(
        15,
        "Arras",
        &[],
        &["fil-sante-jeunes"],
        &["permis-1-euro-par-jour"],
        &[
            "bourse-college",
            "bourse-lycee",
            "college-au-cinema",
            "sac-ados",
        ],
    ),
    p(
        21,
        "Arras",
        &[],
        &["missions-locales", "bafa"],
        &["sac-ados", "service-civique"],
        &[
            "contrat-engagement-jeune",
            "bourse-crous",
            "prime-activite-jeunes",
        ],
    ),
    p(
        18,
        "Calais",
        &[],
        &["missions-locales"],
        &["discovereu", "pass-culture"],
        &["bourse-crous", "logement-crous"],
    ),
    p(
        12,
        "Calais",
        &[],
        &["fil-sante-jeunes"],
        &["pass-colo"],
        &["bourse-college", "jobs-ete"],
    ),
    // Young children and adults beyond every age limit.
    p(
        8,
        "Arras",
        &[],
        &[],
        &[],
        &["fil-sante-jeunes", "pass-colo", "sac-ados", "jobs-ete"],
    ),
    p(
        40,
        "Arras",
        &["en-emploi"],
        &[],
        &[],
        &[
            "visale",
            "habitat-jeunes",
            "sac-ados",
            "missions-locales",
            "contraception-gratuite",
        ],
    ),
    p(
        19,
        "Arras",
        &["boursier", "etudiant"],
        &["carte-jeune-europeenne"],
        &["bourse-crous"],
        &["bourse-college", "prime-internat-inexistant-absent"],
    ),
];

fn groups(r: &serde_json::Value) -> HashMap<String, &'static str> {
    let mut out = HashMap::new();
    for (key, label) in [
        ("pour_toi", "pour_toi"),
        ("peut_etre", "peut_etre"),
        ("exclus", "exclus"),
    ] {
        for s in r[key].as_array().expect("a list") {
            out.insert(s["id"].as_str().unwrap().to_owned(), label);
        }
    }
    out
}

#[tokio::test]
async fn personas_get_the_schemes_their_conditions_allow() {
    let data = shipped_data();
    assert!(PERSONAS.len() >= 40);
    let mut failures = Vec::new();
    for (i, persona) in PERSONAS.iter().enumerate() {
        let mut q = format!("age={}&commune={}", persona.age, encode(persona.commune));
        for s in persona.situations {
            q.push_str(&format!("&situation={s}"));
        }
        let r = get(&format!("/api/pour-moi?{q}")).await;
        assert_eq!(r.status, StatusCode::OK, "persona {i}: {}", r.body);
        let got = groups(&r.json());
        assert_eq!(
            got.len(),
            data.schemes.len(),
            "every scheme is in one group"
        );
        let expected = persona
            .pour_toi
            .iter()
            .map(|id| (id, "pour_toi"))
            .chain(persona.peut_etre.iter().map(|id| (id, "peut_etre")))
            .chain(persona.exclus.iter().map(|id| (id, "exclus")))
            .chain(ORGANISATIONS.iter().map(|id| (id, "exclus")))
            .chain(NOT_RUNNING.iter().map(|id| (id, "exclus")));
        for (id, group) in expected {
            if data.scheme(id).is_none() {
                // A persona may name a scheme that is not in the data: it must not appear.
                assert!(!got.contains_key(*id), "{id} appears");
                continue;
            }
            if got.get(*id).copied() != Some(group) {
                failures.push(format!(
                    "persona {i} ({} ans, {}, {:?}): {id} expected in {group}, got {:?}",
                    persona.age,
                    persona.commune,
                    persona.situations,
                    got.get(*id)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn a_12_year_old_never_gets_schemes_for_16_and_over() {
    let r = get("/api/pour-moi?age=12&commune=62041&situation=collegien").await;
    let got = groups(&r.json());
    for s in shipped_data()
        .schemes
        .iter()
        .filter(|s| s.ages.min >= Some(16))
    {
        assert_eq!(got[s.id.as_str()], "exclus", "{}", s.id);
    }
}

#[tokio::test]
async fn reasons_are_in_plain_words() {
    let r = get("/api/pour-moi?age=28&commune=62498&situation=handicap").await;
    let v = r.json();
    let sc = v["peut_etre"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "service-civique")
        .expect("service civique for a 28-year-old with a disability");
    let reasons = sc["raisons"].to_string();
    assert!(reasons.contains("handicap"), "{reasons}");
    assert!(reasons.contains("Pas-de-Calais"), "{reasons}");
    let without = get("/api/pour-moi?age=28&commune=62498").await.json();
    let line = without["exclus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "service-civique")
        .unwrap()["raison"]
        .to_string();
    assert!(line.contains("30") && line.contains("handicap"), "{line}");
}

#[tokio::test]
async fn bad_answers_are_400_in_french() {
    for (q, words) in [
        ("age=121", "âge"),
        ("age=abc", "âge"),
        ("situation=chomeur", "situation"),
        ("theme=inconnu", "thématique"),
        ("commune=Lille", "Pas-de-Calais"),
        ("commune=saint", "Tu voulais dire"),
    ] {
        let r = get(&format!("/api/pour-moi?{q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        let msg = r.json()["erreur"]["message"].as_str().unwrap().to_owned();
        assert!(msg.contains(words), "{q}: {msg}");
    }
}

#[tokio::test]
async fn an_unknown_commune_never_empties_the_page() {
    let r = get("/pour-moi?age=18&commune=Lille&situation=lyceen").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("ne tiennent pas compte de ta commune"));
    let pour_toi = r.select("#pm-pour-toi ~ ul li h3");
    assert!(!pour_toi.is_empty(), "national schemes still fit");
    // A Pas-de-Calais-only scheme is never « pour toi » outside the département.
    let v = get("/api/pour-moi?age=18&situation=lyceen").await.json();
    let ids: Vec<&str> = v["pour_toi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"objectif-jeunesses-62"), "{ids:?}");
}

#[tokio::test]
async fn the_page_keeps_the_answers_in_the_address_only() {
    let r = get(
        "/pour-moi?age=17&commune=Arras&situation=lyceen&situation=boursier&theme=vacances-loisirs",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get("set-cookie").is_none());
    assert_eq!(r.select("#pm-age").len(), 1);
    assert!(r.body.contains("value=\"17\""));
    assert!(r
        .body
        .contains("id=\"pm-boursier\" value=\"boursier\" checked"));
    assert!(r.body.contains("Voir aussi les"));
    assert!(r.body.contains("/pour-moi?age=17&#38;commune=Arras&#38;situation=lyceen&#38;situation=boursier&#38;theme=vacances-loisirs"));
}

/// One engine: the search's age and commune filters never disagree with « C’est pour moi ? ».
#[tokio::test]
async fn search_filters_agree_with_the_eligibility_engine() {
    use referentiel_jeunesse::eligibility;
    let data = shipped_data();
    for age in [8u8, 12, 15, 16, 18, 25, 26, 28, 31] {
        // « 62300 » (shared) joins once the search parameters resolve communes the same way.
        for commune in ["62041", "62510", "62300"] {
            let communes = data.communes.resolve(commune).communes();
            let ids =
                crate::util::api_ids(&format!("age={age}&commune={commune}&par_page=100")).await;
            for s in &data.schemes {
                let fits = eligibility::matches_filters(s, Some(age), &communes);
                assert_eq!(
                    ids.contains(&s.id.to_string()),
                    fits,
                    "{} at {age} in {commune}",
                    s.id
                );
            }
        }
    }
    let _ = TODAY;
}

/// The scheme page's « C’est pour moi ? » uses the same engine as `/pour-moi`.
#[tokio::test]
async fn scheme_page_answers_with_the_same_engine() {
    let r = get("/dispositifs/service-civique").await;
    assert!(
        r.body
            .contains("si tu es en situation de handicap reconnue"),
        "age exception in words"
    );
    assert!(r.body.contains("href=\"/pour-moi\""));
    let yes = get("/dispositifs/service-civique?age=28&commune=62041&situation=handicap").await;
    assert_eq!(yes.select(".verdict strong"), ["Peut-être pour toi"]);
    let no = get("/dispositifs/service-civique?age=28&commune=62041").await;
    assert_eq!(no.select(".verdict strong"), ["Pas pour toi"]);
    let young = get("/dispositifs/sac-ados?age=14&commune=62041&situation=collegien").await;
    assert!(
        young.body.contains("Bientôt pour toi : à partir de 16"),
        "{}",
        young.body
    );
    let answer = get("/pour-moi?age=28&commune=62041&situation=handicap").await;
    assert!(answer
        .body
        .contains("/dispositifs/service-civique?age=28&#38;commune=62041&#38;situation=handicap"));
}
