//! The one writer of data/: canonical formatting and atomic replacement.

use std::io::Write;

use referentiel_jeunesse::data::writer::{self, Kind};
use referentiel_jeunesse::scheme::Slug;

use crate::util::root;

/// Every shipped record, read and written back canonically, is byte for byte the same: the
/// editor's output keeps git diffs of data/ readable.
#[test]
fn canonical_form_of_shipped_records_is_unchanged() {
    let mut differ = Vec::new();
    for kind in [Kind::Scheme, Kind::Place] {
        let folder = root().join("data").join(kind.folder());
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            if writer::canonical(&value, kind.shape()).unwrap() != text {
                differ.push(path.display().to_string());
            }
        }
    }
    assert!(differ.is_empty(), "not in canonical form: {differ:?}");
}

#[test]
fn keys_follow_the_documented_order_whatever_the_input_order() {
    let value = serde_json::json!({
        "mis_a_jour": "2026-11-30", "sources": [{"url": "https://a.fr", "titre": "T"}],
        "nom": "N", "id": "x", "contact": {"adresse": "A", "site": "https://s.fr"}
    });
    let text = writer::canonical(&value, Kind::Scheme.shape()).unwrap();
    let order: Vec<usize> = [
        "\"id\"",
        "\"nom\"",
        "\"contact\"",
        "\"site\"",
        "\"adresse\"",
        "\"sources\"",
        "\"titre\"",
        "\"url\"",
        "\"mis_a_jour\"",
    ]
    .iter()
    .map(|k| text.find(k).unwrap_or_else(|| panic!("{k} in {text}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.ends_with("}\n") && text.contains("\n  \"nom\": \"N\""));
}

/// A write that fails half-way leaves the previous file intact and no temporary file behind.
#[test]
fn a_failed_write_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sac-ados.json");
    std::fs::write(&path, "previous\n").unwrap();
    let failed = writer::write_atomic_with(&path, |f| {
        f.write_all(b"{ \"half\": ")?;
        Err(std::io::Error::other("disk full"))
    });
    assert!(failed.is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous\n");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    writer::write_atomic(&path, b"new\n").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
}

#[test]
fn records_are_written_under_their_folder_only() {
    let dir = tempfile::tempdir().unwrap();
    let id = Slug::parse("nouveau").unwrap();
    let text = writer::write_record(
        dir.path(),
        Kind::Place,
        &id,
        &serde_json::json!({"id": "nouveau"}),
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("structures/nouveau.json")).unwrap(),
        text
    );
    assert!(
        Slug::parse("../etc").is_none(),
        "ids cannot leave the folder"
    );
}
