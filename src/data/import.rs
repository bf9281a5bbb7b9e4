//! `structures importer`: the Département's spreadsheet of places (CSV, documented columns,
//! template `data/modele-structures.csv`) turned into `structures/<id>.json` files. Every row
//! is validated with `check`'s rules on the whole data set; any problem → nothing written.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use super::writer::{self, Kind};
use super::{load_with, LoadError, Overlay, Severity};
use crate::scheme::Slug;

/// The columns, in the template's order; `*` marks the required ones.
pub const COLUMNS: &[(&str, bool, &str)] = &[
    (
        "id",
        true,
        "identifiant : a-z, 0-9 et tirets (nom du fichier)",
    ),
    ("nom", true, "nom de la structure"),
    (
        "type",
        true,
        "un type de types-structures.json (relais-sac-ados…)",
    ),
    ("rue", false, "numéro et rue"),
    ("code_postal", false, "code postal de la commune"),
    (
        "commune",
        true,
        "code INSEE de la commune (62041 pour Arras)",
    ),
    (
        "dessert_epci",
        false,
        "codes SIREN des EPCI desservis, séparés par des espaces",
    ),
    (
        "dessert_communes",
        false,
        "codes INSEE des communes desservies, séparés par des espaces",
    ),
    ("telephone", false, "téléphone"),
    ("courriel", false, "adresse e-mail"),
    ("site", false, "site, https://…"),
    ("horaires", false, "horaires d’ouverture, en texte"),
    (
        "dispositifs",
        false,
        "ids de dispositifs/ proposés sur place, séparés par des espaces",
    ),
    (
        "source_titre",
        true,
        "titre de la source (« Liste des relais Sac Ados, Département, 2026 »)",
    ),
    (
        "source_url",
        false,
        "adresse de la source (ou rien, avec source_section)",
    ),
    (
        "source_section",
        false,
        "partie du document source, quand il n’a pas d’adresse",
    ),
    ("source_extrait", false, "phrase de la source"),
    (
        "source_consulte_le",
        false,
        "date de lecture AAAA-MM-JJ (obligatoire avec source_url)",
    ),
    ("mis_a_jour", true, "date de vérification AAAA-MM-JJ"),
];

/// One problem, naming the line, the column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "ligne {}, colonne {c} : {}", self.line, self.message),
            None => write!(f, "ligne {} : {}", self.line, self.message),
        }
    }
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("lecture impossible de {path} : {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Not a CSV the importer understands (encoding, missing columns, malformed line).
    #[error("{0}")]
    Format(String),
    /// At least one row is invalid; every problem is listed.
    #[error("{} problème(s) : rien n’a été écrit", .0.len())]
    Invalid(Vec<RowProblem>),
    /// Writing a file failed after validation (files before it are written).
    #[error("{0}")]
    Write(#[from] writer::WriteError),
}

/// What an import wrote: each id, and whether it replaced an existing file.
#[derive(Debug, Default)]
pub struct Imported {
    pub created: Vec<String>,
    pub replaced: Vec<String>,
}

/// The column a `check` field of a structure comes from.
fn column_of(field: &str) -> Option<&'static str> {
    let f = field.split('[').next().unwrap_or(field);
    Some(match (f, field) {
        ("id", _) => "id",
        ("nom", _) => "nom",
        ("type", _) => "type",
        ("adresse", _) => "commune",
        ("adresse.rue", _) => "rue",
        ("adresse.code_postal", _) => "code_postal",
        ("adresse.commune", _) => "commune",
        ("dessert", _) => "dessert_communes",
        ("dessert.epci", _) => "dessert_epci",
        ("dessert.communes", _) => "dessert_communes",
        ("contact.telephone", _) => "telephone",
        ("contact.courriel", _) => "courriel",
        ("contact.site", _) => "site",
        ("horaires", _) => "horaires",
        ("dispositifs", _) => "dispositifs",
        ("mis_a_jour", _) => "mis_a_jour",
        ("sources", field) => match field.rsplit('.').next() {
            Some("titre") => "source_titre",
            Some("url") => "source_url",
            Some("section") => "source_section",
            Some("extrait") => "source_extrait",
            Some("consulte_le") => "source_consulte_le",
            _ => "source_url",
        },
        _ => return None,
    })
}

fn codes(cell: &str) -> Vec<Value> {
    cell.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
        .filter(|c| !c.is_empty())
        .map(|c| Value::String(c.to_owned()))
        .collect()
}

/// The structure record of one row (empty cells left out, as the editor does).
fn record(row: &BTreeMap<String, String>) -> Value {
    let cell = |k: &str| row.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let text = |k: &str| cell(k).map(|v| Value::String(v.to_owned()));
    let mut v = Map::new();
    let mut put = |k: &str, x: Option<Value>| {
        if let Some(x) = x {
            v.insert(k.to_owned(), x);
        }
    };
    put("id", text("id"));
    put("nom", text("nom"));
    put("type", text("type"));
    let mut adresse = Map::new();
    for (k, col) in [
        ("rue", "rue"),
        ("code_postal", "code_postal"),
        ("commune", "commune"),
    ] {
        if let Some(x) = text(col) {
            adresse.insert(k.into(), x);
        }
    }
    put(
        "adresse",
        (!adresse.is_empty()).then_some(Value::Object(adresse)),
    );
    put(
        "dessert",
        Some(json!({
            "epci": codes(cell("dessert_epci").unwrap_or_default()),
            "communes": codes(cell("dessert_communes").unwrap_or_default()),
        })),
    );
    let mut contact = Map::new();
    for k in ["telephone", "courriel", "site"] {
        if let Some(x) = text(k) {
            contact.insert(k.into(), x);
        }
    }
    put(
        "contact",
        (!contact.is_empty()).then_some(Value::Object(contact)),
    );
    put("horaires", text("horaires"));
    put(
        "dispositifs",
        Some(Value::Array(codes(cell("dispositifs").unwrap_or_default()))),
    );
    let mut source = Map::new();
    for (k, col) in [
        ("titre", "source_titre"),
        ("url", "source_url"),
        ("section", "source_section"),
        ("extrait", "source_extrait"),
        ("consulte_le", "source_consulte_le"),
    ] {
        if let Some(x) = text(col) {
            source.insert(k.into(), x);
        }
    }
    put(
        "sources",
        (!source.is_empty()).then(|| Value::Array(vec![Value::Object(source)])),
    );
    put("mis_a_jour", text("mis_a_jour"));
    Value::Object(v)
}

/// Reads and checks the CSV: every row validated with `check`'s rules on the data set with
/// all the new files in place. Returns the files to write, or every problem.
pub fn prepare(
    csv_bytes: &[u8],
    data_dir: &Path,
    today: time::Date,
) -> Result<Vec<(Slug, String)>, ImportError> {
    let text = std::str::from_utf8(csv_bytes).map_err(|_| {
        ImportError::Format(
            "le fichier n’est pas en UTF-8 : enregistre-le en « CSV UTF-8 » depuis le tableur"
                .into(),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Format(format!("ligne 1 : en-têtes illisibles ({e})")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|(c, required, _)| *required && !headers.iter().any(|h| h == c))
        .map(|(c, _, _)| *c)
        .collect();
    let unknown: Vec<&String> = headers
        .iter()
        .filter(|h| !COLUMNS.iter().any(|(c, _, _)| c == h))
        .collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(RowProblem {
            line: 1,
            column: None,
            message: format!(
                "colonne(s) obligatoire(s) absente(s) : {}",
                missing.join(", ")
            ),
        });
    }
    for h in unknown {
        problems.push(RowProblem {
            line: 1,
            column: Some(h.clone()),
            message: "colonne inconnue (voir data/modele-structures.csv)".into(),
        });
    }
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    let mut overlay = Overlay::new();
    let mut files: Vec<(Slug, String)> = Vec::new();
    let mut line_of: BTreeMap<String, u64> = BTreeMap::new();
    for result in reader.records() {
        let rec = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(RowProblem {
                    line,
                    column: None,
                    message: format!("ligne mal formée ({e})"),
                });
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let row: BTreeMap<String, String> = headers
            .iter()
            .cloned()
            .zip(rec.iter().map(str::to_owned))
            .collect();
        let raw_id = row.get("id").map(|s| s.trim()).unwrap_or_default();
        let Some(id) = Slug::parse(raw_id) else {
            problems.push(RowProblem {
                line,
                column: Some("id".into()),
                message: if raw_id.is_empty() {
                    "identifiant absent".into()
                } else {
                    format!("« {raw_id} » : seulement a-z, 0-9 et tirets")
                },
            });
            continue;
        };
        if let Some(first) = line_of.insert(id.to_string(), line) {
            problems.push(RowProblem {
                line,
                column: Some("id".into()),
                message: format!("« {id} » est déjà à la ligne {first}"),
            });
            continue;
        }
        let value = record(&row);
        let text = writer::canonical(&value, &writer::PLACE).map_err(ImportError::Write)?;
        overlay.insert(Kind::Place.rel_path(&id), Some(text.clone().into_bytes()));
        files.push((id, text));
    }
    match load_with(data_dir, today, &overlay) {
        Ok(_) => {}
        Err(LoadError::Invalid(report)) => {
            for p in report
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
            {
                let id = p
                    .file
                    .strip_prefix("structures/")
                    .and_then(|f| f.strip_suffix(".json"));
                match id.and_then(|id| line_of.get(id)) {
                    Some(line) if overlay.contains_key(&p.file) => problems.push(RowProblem {
                        line: *line,
                        column: p.field.as_deref().and_then(column_of).map(str::to_owned),
                        message: p.message.clone(),
                    }),
                    _ => problems.push(RowProblem {
                        line: 0,
                        column: None,
                        message: format!("data/ est déjà invalide : {p}"),
                    }),
                }
            }
        }
        Err(e @ LoadError::Io { .. }) => return Err(ImportError::Format(e.to_string())),
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| (a.line, &a.column).cmp(&(b.line, &b.column)));
        return Err(ImportError::Invalid(problems));
    }
    Ok(files)
}

/// Imports `csv_path` into `data_dir`: all rows valid, or nothing written.
pub fn import(
    csv_path: &Path,
    data_dir: &Path,
    today: time::Date,
) -> Result<Imported, ImportError> {
    let bytes = std::fs::read(csv_path).map_err(|source| ImportError::Io {
        path: csv_path.display().to_string(),
        source,
    })?;
    let files = prepare(&bytes, data_dir, today)?;
    let mut done = Imported::default();
    for (id, text) in files {
        let path = data_dir.join(Kind::Place.rel_path(&id));
        let existed = path.exists();
        std::fs::create_dir_all(data_dir.join(Kind::Place.folder())).map_err(|source| {
            writer::WriteError::Io {
                path: data_dir.display().to_string(),
                source,
            }
        })?;
        writer::write_atomic(&path, text.as_bytes())?;
        if existed {
            done.replaced.push(id.to_string());
        } else {
            done.created.push(id.to_string());
        }
    }
    Ok(done)
}
