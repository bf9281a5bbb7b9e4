//! Loading and validation: the shipped data is valid; each bad fixture is reported with
//! its file, scheme and field.

use std::path::Path;

use referentiel_jeunesse::data::{self, LoadError, Severity};
use time::macros::date;

use crate::util::{root, shipped_data};

const TODAY: time::Date = date!(2026 - 11 - 27);

fn fixture_set(bad: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = root().join("tests/fixtures/base");
    std::fs::create_dir_all(dir.path().join("dispositifs")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("structures")).expect("mkdir");
    for f in [
        "thematiques.json",
        "publics.json",
        "communes.json",
        "epci.json",
        "types-structures.json",
        "structures/mission-locale-test.json",
    ] {
        std::fs::copy(base.join(f), dir.path().join(f)).expect("copy");
    }
    std::fs::copy(
        base.join("dispositifs/valide.json"),
        dir.path().join("dispositifs/valide.json"),
    )
    .expect("copy");
    if let Some(name) = bad {
        let src = root().join(format!("tests/fixtures/bad/{name}.json"));
        std::fs::copy(src, dir.path().join(format!("dispositifs/{name}.json"))).expect("copy");
    }
    dir
}

/// Loads a fixture set that must fail; returns the error lines.
fn errors_of(bad: &str) -> Vec<String> {
    let dir = fixture_set(Some(bad));
    match data::load(dir.path(), TODAY) {
        Err(LoadError::Invalid(report)) => report.errors().map(|p| p.to_string()).collect(),
        Err(e) => panic!("{bad}: unexpected error {e}"),
        Ok(_) => panic!("{bad}: the bad fixture was accepted"),
    }
}

fn assert_reported(bad: &str, field: &str, words: &str) {
    let errors = errors_of(bad);
    let file = format!("dispositifs/{bad}.json");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&file) && e.contains(field) && e.contains(words)),
        "{bad}: no error naming {file}, `{field}` and « {words} » in {errors:#?}"
    );
}

#[test]
fn shipped_data_is_valid() {
    let data = shipped_data();
    assert!(
        data.schemes.len() >= 45,
        "only {} schemes",
        data.schemes.len()
    );
    assert!(data.schemes.iter().all(|s| !s.sources.is_empty()));
}

#[test]
fn base_fixture_is_valid() {
    let dir = fixture_set(None);
    let data = data::load(dir.path(), TODAY).expect("valid");
    assert_eq!(data.schemes.len(), 1);
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let errors = errors_of("malformed-json");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("dispositifs/malformed-json.json")
                && e.contains("ligne")
                && e.contains("colonne")),
        "{errors:#?}"
    );
}

#[test]
fn unknown_theme_is_reported() {
    assert_reported("unknown-theme", "thematiques", "cuisine");
}

#[test]
fn unknown_public_is_reported() {
    assert_reported("unknown-public", "publics", "martiens");
}

#[test]
fn inverted_ages_are_reported() {
    assert_reported("age-inverted", "age_min", "age_max");
}

#[test]
fn duplicate_id_is_reported() {
    assert_reported("duplicate-id", "id", "double");
}

#[test]
fn id_different_from_file_name_is_reported() {
    assert_reported("id-mismatch", "id", "autre-identifiant");
}

#[test]
fn missing_required_field_is_reported() {
    assert_reported("missing-field", "nom", "absent");
}

#[test]
fn scheme_without_source_is_reported() {
    assert_reported("no-source", "sources", "aucune source");
}

#[test]
fn source_without_url_or_section_is_reported() {
    assert_reported("source-without-url", "sources[0]", "url");
}

#[test]
fn unknown_commune_code_is_reported() {
    assert_reported("unknown-commune", "territoire.communes", "99999");
}

#[test]
fn invalid_date_is_reported() {
    assert_reported("bad-date", "mis_a_jour", "2026-13-45");
}

#[test]
fn unknown_status_is_reported() {
    assert_reported("bad-status", "statut", "peut-etre");
}

#[test]
fn unknown_field_is_reported() {
    assert_reported("unknown-field", "", "couleur");
}

#[test]
fn all_problems_are_reported_together() {
    let dir = fixture_set(Some("unknown-theme"));
    let base = root().join("tests/fixtures/bad");
    for extra in ["age-inverted", "no-source"] {
        std::fs::copy(
            base.join(format!("{extra}.json")),
            dir.path().join(format!("dispositifs/{extra}.json")),
        )
        .expect("copy");
    }
    let Err(LoadError::Invalid(report)) = data::load(dir.path(), TODAY) else {
        panic!("accepted");
    };
    let files: std::collections::HashSet<&str> = report.errors().map(|p| p.file.as_str()).collect();
    assert_eq!(files.len(), 3, "{report}");
}

#[test]
fn old_update_and_past_end_dates_are_warnings() {
    let dir = fixture_set(None);
    let path = dir.path().join("dispositifs/valide.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["mis_a_jour"] = "2024-01-01".into();
    v["calendrier"] = serde_json::json!({"fin": "2025-06-30"});
    std::fs::write(&path, v.to_string()).unwrap();
    let data = data::load(dir.path(), TODAY).expect("warnings do not refuse data");
    let fields: Vec<_> = data
        .warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .filter_map(|w| w.field.clone())
        .collect();
    assert!(fields.contains(&"mis_a_jour".to_owned()), "{fields:?}");
    assert!(fields.contains(&"calendrier.fin".to_owned()), "{fields:?}");
}

#[test]
fn check_command_names_truncated_file_with_line_and_column() {
    let dir = crate::util::data_copy();
    let victim = dir.path().join("dispositifs/sac-ados.json");
    let text = std::fs::read_to_string(&victim).unwrap();
    std::fs::write(&victim, &text[..text.len() / 2]).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_referentiel"))
        .args(["check", "--data"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("dispositifs/sac-ados.json")
            && stderr.contains("ligne")
            && stderr.contains("colonne"),
        "{stderr}"
    );
}

#[test]
fn check_command_succeeds_on_shipped_data() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_referentiel"))
        .args(["check", "--aujourdhui", "2026-12-01", "--data"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("dispositifs et"), "{stdout}");
    assert!(stdout.contains("pages officielles sur"), "{stdout}");
}

#[test]
fn url_source_without_reading_date_is_reported() {
    assert_reported(
        "source-without-reading-date",
        "sources[1].consulte_le",
        "date de consultation",
    );
}

#[test]
fn reading_date_in_the_future_is_reported() {
    assert_reported("future-reading-date", "sources[1].consulte_le", "futur");
}

#[test]
fn staging_host_source_is_reported() {
    let dir = fixture_set(Some("staging-host"));
    std::fs::write(
        dir.path().join("domaines.json"),
        r#"{ "officiels": ["gouv.fr"], "interdits": ["telmedia.dev"] }"#,
    )
    .unwrap();
    let errors = match data::load(dir.path(), TODAY) {
        Err(LoadError::Invalid(report)) => report.to_string(),
        other => panic!("accepted: {:?}", other.map(|d| d.schemes.len())),
    };
    assert!(
        errors.contains("dispositifs/staging-host.json")
            && errors.contains("sources[1].url")
            && errors.contains("préproduction"),
        "{errors}"
    );
}

#[test]
fn unknown_situation_is_reported() {
    assert_reported("unknown-situation", "eligibilite.situations", "chomeur");
}

#[test]
fn inverted_age_exception_is_reported() {
    assert_reported(
        "bad-age-exception",
        "eligibilite.exceptions_age[0]",
        "plus grand",
    );
}

#[test]
fn action_link_must_be_a_cited_page() {
    assert_reported("uncited-action-link", "lien_demarche.url", "citée");
}

/// Loads the base set plus one bad place record; returns the error lines.
fn place_errors_of(bad: &str) -> Vec<String> {
    let dir = fixture_set(None);
    let src = root().join(format!("tests/fixtures/bad-structures/{bad}.json"));
    std::fs::copy(src, dir.path().join(format!("structures/{bad}.json"))).expect("copy");
    match data::load(dir.path(), TODAY) {
        Err(LoadError::Invalid(report)) => report.errors().map(|p| p.to_string()).collect(),
        Err(e) => panic!("{bad}: unexpected error {e}"),
        Ok(_) => panic!("{bad}: the bad place was accepted"),
    }
}

#[test]
fn bad_places_are_reported_with_file_place_and_field() {
    for (bad, field, words) in [
        ("unknown-type", "type", "types-structures.json"),
        ("unknown-address-commune", "adresse.commune", "99999"),
        ("wrong-postcode", "adresse.code_postal", "Liévin"),
        ("unknown-served-epci", "dessert.epci", "123456789"),
        ("unknown-scheme", "dispositifs", "inexistant"),
        ("nothing-served", "dessert", "au moins un code"),
        ("unknown-status", "statut", "archivee"),
    ] {
        let errors = place_errors_of(bad);
        let file = format!("structures/{bad}.json");
        assert!(
            errors.iter().any(|e| e.contains(&file)
                && e.contains("[structure «")
                && e.contains(&format!("`{field}`"))
                && e.contains(words)),
            "{bad}: no error naming {file}, `{field}` and « {words} » in {errors:#?}"
        );
    }
}

#[test]
fn base_fixture_place_is_loaded() {
    let dir = fixture_set(None);
    let data = data::load(dir.path(), TODAY).expect("valid");
    let p = data.place("mission-locale-test").expect("place");
    let lievin = data.communes.commune("62510").unwrap();
    let arras = data.communes.commune("62041").unwrap();
    assert!(p.serves(lievin), "served through its EPCI");
    assert!(!p.serves(arras));
}

#[test]
fn open_status_without_recent_page_is_shown_to_confirm() {
    use referentiel_jeunesse::scheme::Availability;
    let dir = fixture_set(None);
    let data = data::load(dir.path(), TODAY).expect("valid");
    let s = data.scheme("valide").unwrap();
    assert_eq!(
        s.availability(TODAY),
        Availability::ToConfirm,
        "only the Pacte backs it"
    );
    assert!(
        data.warnings
            .iter()
            .any(|w| w.field.as_deref() == Some("statut") && w.message.contains("à confirmer")),
        "{:?}",
        data.warnings
    );
}

#[test]
fn conditions_mentioning_unstated_situations_or_ages_are_warnings() {
    let dir = fixture_set(None);
    let file = dir.path().join("dispositifs/valide.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    v["conditions"] = serde_json::json!(["Être boursier.", "Avoir 18 ans."]);
    v.as_object_mut().unwrap().remove("age_min");
    v.as_object_mut().unwrap().remove("age_max");
    std::fs::write(&file, v.to_string()).unwrap();
    let data = data::load(dir.path(), TODAY).expect("warnings only");
    let w: Vec<String> = data.warnings.iter().map(|p| p.to_string()).collect();
    assert!(
        w.iter()
            .any(|x| x.contains("`eligibilite`") && x.contains("boursier")),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|x| x.contains("`conditions`") && x.contains("âge")),
        "{w:#?}"
    );
}
