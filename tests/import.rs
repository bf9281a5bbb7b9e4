//! `structures importer` (issue 12): documented columns, every row validated like `check`,
//! a report naming line, column and problem, nothing written if any row is invalid.

use std::process::Command;

use referentiel_jeunesse::data::{self, import};

use crate::util::{data_copy, root, TODAY};

const HEADER: &str = "id,nom,type,rue,code_postal,commune,dessert_epci,dessert_communes,telephone,courriel,site,horaires,dispositifs,source_titre,source_url,source_section,source_extrait,source_consulte_le,mis_a_jour";

fn row(id: &str, commune: &str, kind: &str, extra: &str) -> String {
    let base = format!(
        "{id},Centre social d’essai {id},{kind},1 rue d’Essai,62000,{commune},,62041 62040,03 21 00 00 00,contact@essai.fr,https://essai.fr,\"Du lundi au vendredi, 9 h à 17 h\",sac-ados,\"Liste des relais Sac Ados, Département\",,Liste transmise,,,2026-11-30"
    );
    if extra.is_empty() {
        base
    } else {
        extra.to_owned()
    }
}

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("structures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_template_has_exactly_the_documented_columns() {
    let text = std::fs::read_to_string(root().join("data/modele-structures.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let documented: Vec<&str> = import::COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(header, documented);
    assert_eq!(HEADER.split(',').collect::<Vec<_>>(), documented);
}

#[test]
fn valid_rows_become_canonical_files_that_check_accepts() {
    let data = data_copy();
    let before = data::load(data.path(), TODAY).unwrap().places.len();
    let csv = format!(
        "{HEADER}\n{}\n{}\n",
        row("relais-essai-a", "62041", "relais-sac-ados", ""),
        row("relais-essai-b", "62041", "relais-sac-ados", "")
    );
    let path = data.path().join("import.csv");
    std::fs::write(&path, csv).unwrap();
    let done = import::import(&path, data.path(), TODAY).expect("imports");
    assert_eq!(done.created, vec!["relais-essai-a", "relais-essai-b"]);
    let loaded = data::load(data.path(), TODAY).expect("check accepts the result");
    assert_eq!(loaded.places.len(), before + 2);
    let place = loaded.place("relais-essai-a").unwrap();
    assert_eq!(place.dessert.communes, vec!["62041", "62040"]);
    assert_eq!(place.dispositifs[0].as_str(), "sac-ados");
    let text = std::fs::read_to_string(data.path().join("structures/relais-essai-a.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        text,
        data::writer::canonical(&value, &data::writer::PLACE).unwrap(),
        "written by the canonical writer"
    );
    // Importing again replaces.
    let again = import::import(&path, data.path(), TODAY).unwrap();
    assert_eq!(again.replaced.len(), 2);
}

#[test]
fn any_invalid_row_is_reported_by_line_and_column_and_nothing_is_written() {
    let data = data_copy();
    let listing = files(data.path());
    let csv = [
        HEADER.to_owned(),
        row("relais-essai-ok", "62041", "relais-sac-ados", ""),
        row("relais-essai-commune", "99999", "relais-sac-ados", ""),
        row("relais-essai-type", "62041", "boulangerie", ""),
        row("relais-essai-ok", "62041", "relais-sac-ados", ""),
        row("x", "", "", "Relais Lens,Relais de Lens,relais-sac-ados,,,62498,,,,,,,,Liste,,Liste,,,2026-11-30"),
        row("x", "", "", "relais-essai-url,Relais,relais-sac-ados,,,62041,,62041,,pas-un-courriel,,,inconnu,Liste,https://exemple.fr/liste,,,,2026-11-30"),
    ]
    .join("\n");
    let path = data.path().join("import.csv");
    std::fs::write(&path, csv).unwrap();
    let Err(import::ImportError::Invalid(problems)) = import::import(&path, data.path(), TODAY)
    else {
        panic!("refused");
    };
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let has = |needle: &str| lines.iter().any(|l| l.starts_with(needle));
    assert!(
        has("ligne 3, colonne commune : code commune (INSEE) inconnu : « 99999 »"),
        "{lines:#?}"
    );
    assert!(
        has("ligne 4, colonne type : « boulangerie » est inconnu"),
        "{lines:#?}"
    );
    assert!(
        has("ligne 5, colonne id : « relais-essai-ok » est déjà à la ligne 2"),
        "{lines:#?}"
    );
    assert!(has("ligne 6, colonne id : « Relais Lens »"), "{lines:#?}");
    assert!(has("ligne 7, colonne courriel"), "{lines:#?}");
    assert!(
        has("ligne 7, colonne dispositifs : « inconnu »"),
        "{lines:#?}"
    );
    assert!(has("ligne 7, colonne source_consulte_le"), "{lines:#?}");
    assert!(
        !lines.iter().any(|l| l.starts_with("ligne 2")),
        "the valid row has no problem"
    );
    assert_eq!(files(data.path()), listing, "nothing written");
}

#[test]
fn missing_columns_and_other_encodings_are_refused_clearly() {
    let data = data_copy();
    let path = data.path().join("import.csv");
    std::fs::write(&path, "id,nom\nrelais,Relais\n").unwrap();
    let Err(import::ImportError::Invalid(problems)) = import::import(&path, data.path(), TODAY)
    else {
        panic!("refused");
    };
    assert!(
        problems[0]
            .to_string()
            .starts_with("ligne 1 : colonne(s) obligatoire(s) absente(s) : type, commune"),
        "{problems:?}"
    );
    std::fs::write(&path, b"id,nom\nrelais,Centre \xe9t\xe9\n").unwrap();
    let e = import::import(&path, data.path(), TODAY).unwrap_err();
    assert!(e.to_string().contains("UTF-8"), "{e}");
}

#[test]
fn semicolons_and_a_byte_order_mark_are_accepted() {
    let data = data_copy();
    let header = HEADER.replace(',', ";");
    let line = "relais-essai-pv;Relais;relais-sac-ados;;62000;62041;;62041;;;;;;Liste des relais;;Liste transmise;;;2026-11-30";
    let path = data.path().join("import.csv");
    std::fs::write(&path, format!("\u{feff}{header}\r\n{line}\r\n")).unwrap();
    let done = import::import(&path, data.path(), TODAY).expect("imports");
    assert_eq!(done.created, vec!["relais-essai-pv"]);
}

#[test]
fn the_command_reports_and_exits_non_zero_on_invalid_rows() {
    let data = data_copy();
    let path = data.path().join("import.csv");
    std::fs::write(
        &path,
        format!(
            "{HEADER}\n{}\n",
            row("relais-essai", "99999", "relais-sac-ados", "")
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_referentiel"))
        .args(["structures", "importer"])
        .arg(&path)
        .arg("--data")
        .arg(data.path())
        .args(["--aujourdhui", &TODAY.to_string()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rien n’a été écrit") && err.contains("ligne 2, colonne commune"),
        "{err}"
    );
    std::fs::write(
        &path,
        format!(
            "{HEADER}\n{}\n",
            row("relais-essai", "62041", "relais-sac-ados", "")
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_referentiel"))
        .args(["structures", "importer"])
        .arg(&path)
        .arg("--data")
        .arg(data.path())
        .args(["--aujourdhui", &TODAY.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 structure(s) créée(s)"));
}
