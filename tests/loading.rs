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
    for f in [
        "thematiques.json",
        "publics.json",
        "communes.json",
        "epci.json",
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
        .args(["check", "--data"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("dispositifs valides"));
}
