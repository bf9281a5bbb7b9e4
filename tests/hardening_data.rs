//! Regression tests for issue 17 (hardening) on data and index files: size limit, symlinks,
//! text-length caps, index clean-up.

use referentiel_jeunesse::data;
use referentiel_jeunesse::search::Engine;

use crate::util::{data_copy, shipped_data, TODAY};

/// Rewrites a JSON data file through `f`.
pub fn edit(path: &std::path::Path, f: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// Issue 17, point 4: the clean-up deletes only the folders the program creates.
#[test]
fn issue17_index_cleanup_keeps_what_it_did_not_create() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("precieux.txt"), "à garder").unwrap();
    let foreign = ["vault-backup", "v4-notes", "vieux", "v4-0123456789abcdeg"];
    for name in foreign {
        std::fs::create_dir(root.path().join(name)).unwrap();
        std::fs::write(root.path().join(name).join("f.txt"), "x").unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), root.path().join("v1-0123456789abcdef")).unwrap();
    let stale = ["v3-0123456789abcdef", ".building-42-0123456789abcdef"];
    for name in stale {
        std::fs::create_dir(root.path().join(name)).unwrap();
    }
    Engine::on_disk(shipped_data(), root.path()).expect("index");
    for name in foreign {
        assert!(
            root.path().join(name).join("f.txt").exists(),
            "{name} deleted"
        );
    }
    #[cfg(unix)]
    assert!(
        std::fs::symlink_metadata(root.path().join("v1-0123456789abcdef")).is_ok(),
        "symlink deleted"
    );
    assert!(outside.path().join("precieux.txt").exists());
    for name in stale {
        assert!(!root.path().join(name).exists(), "{name} kept");
    }
}

fn load_errors(dir: &std::path::Path) -> Vec<String> {
    match data::load(dir, TODAY) {
        Err(data::LoadError::Invalid(report)) => report.errors().map(|p| p.to_string()).collect(),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("the data was accepted"),
    }
}

/// Issue 17, point 3: a data file over 1 MiB is refused before parsing, naming the file.
#[test]
fn issue17_oversized_data_file_is_refused_before_parsing() {
    let dir = data_copy();
    let file = dir.path().join("dispositifs/sac-ados.json");
    edit(&file, |v| {
        v["mots_cles"] = serde_json::json!(vec!["vacances"; 150_000]);
    });
    assert!(std::fs::metadata(&file).unwrap().len() > 1024 * 1024);
    // Not even JSON: parsing it would give a syntax error, not the size.
    std::fs::write(
        dir.path().join("dispositifs/enorme.json"),
        "{".repeat(1024 * 1024 + 1),
    )
    .unwrap();
    let errors = load_errors(dir.path());
    for name in ["dispositifs/sac-ados.json", "dispositifs/enorme.json"] {
        let mine: Vec<&String> = errors.iter().filter(|e| e.contains(name)).collect();
        assert!(
            !mine.is_empty()
                && mine
                    .iter()
                    .all(|e| e.contains("fichier trop gros") && e.contains("(1\u{a0}Mo au plus)")),
            "{name}: {errors:#?}"
        );
    }
}

/// Issue 17, point 3: each text has a documented maximum length.
#[test]
fn issue17_overlong_texts_are_refused() {
    let dir = data_copy();
    edit(&dir.path().join("dispositifs/sac-ados.json"), |v| {
        v["description"] = "Très long. ".repeat(500).into();
        v["nom"] = "N".repeat(301).into();
        v["sources"][0]["extrait"] = "e".repeat(1001).into();
    });
    let errors = load_errors(dir.path());
    for field in ["`description`", "`nom`", "`sources[0].extrait`"] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains("dispositifs/sac-ados.json")
                    && e.contains(field)
                    && e.contains("texte trop long")),
            "{field}: {errors:#?}"
        );
    }
}

/// Issue 17, point 5: a symlinked data file is refused, and its target is never read.
#[cfg(unix)]
#[test]
fn issue17_symlinked_data_file_is_refused() {
    let dir = data_copy();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.json");
    std::fs::write(&secret, "SECRET-CONTENU: mot de passe").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("dispositifs/lien.json")).unwrap();
    let errors = load_errors(dir.path());
    assert!(
        errors
            .iter()
            .any(|e| e.contains("dispositifs/lien.json") && e.contains("lien symbolique")),
        "{errors:#?}"
    );
    assert!(!errors.iter().any(|e| e.contains("SECRET")), "{errors:#?}");
}
