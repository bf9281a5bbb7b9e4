//! The one writer of `data/`: canonical formatting (2-space pretty JSON, keys in the order of
//! data/README.md, trailing newline) and atomic replacement (temporary file in the same folder,
//! fsync, rename, fsync of the folder), so a reader or a crash never sees half a file.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::scheme::Slug;

/// Why a file could not be written; the previous file is then intact.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Creating, writing, syncing or renaming failed.
    #[error("écriture de {path} impossible : {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The value could not be serialised (not an object, say).
    #[error("mise en forme impossible : {0}")]
    Format(String),
}

/// The key order of one kind of JSON object; unknown keys follow, sorted.
pub struct Shape {
    keys: &'static [(&'static str, &'static Shape)],
}

const LEAF: Shape = Shape { keys: &[] };

const SOURCE: Shape = Shape {
    keys: &[
        ("titre", &LEAF),
        ("url", &LEAF),
        ("section", &LEAF),
        ("extrait", &LEAF),
        ("consulte_le", &LEAF),
    ],
};

/// A scheme (`dispositifs/<id>.json`).
pub const SCHEME: Shape = Shape {
    keys: &[
        ("id", &LEAF),
        ("nom", &LEAF),
        ("alias", &LEAF),
        ("resume", &LEAF),
        ("description", &LEAF),
        ("thematiques", &LEAF),
        ("publics", &LEAF),
        ("age_min", &LEAF),
        ("age_max", &LEAF),
        (
            "eligibilite",
            &Shape {
                keys: &[
                    (
                        "exceptions_age",
                        &Shape {
                            keys: &[("situation", &LEAF), ("age_min", &LEAF), ("age_max", &LEAF)],
                        },
                    ),
                    ("situations", &LEAF),
                    ("situations_exclues", &LEAF),
                    ("a_verifier", &LEAF),
                ],
            },
        ),
        (
            "territoire",
            &Shape {
                keys: &[("niveau", &LEAF), ("epci", &LEAF), ("communes", &LEAF)],
            },
        ),
        ("porteur", &LEAF),
        ("avantages", &LEAF),
        ("conditions", &LEAF),
        ("demarches", &LEAF),
        (
            "lien_demarche",
            &Shape {
                keys: &[("url", &LEAF), ("libelle", &LEAF)],
            },
        ),
        (
            "contact",
            &Shape {
                keys: &[
                    ("site", &LEAF),
                    ("email", &LEAF),
                    ("telephone", &LEAF),
                    ("adresse", &LEAF),
                ],
            },
        ),
        (
            "chiffres_cles",
            &Shape {
                keys: &[("valeur", &LEAF), ("libelle", &LEAF), ("annee", &LEAF)],
            },
        ),
        ("statut", &LEAF),
        (
            "calendrier",
            &Shape {
                keys: &[
                    ("debut", &LEAF),
                    ("fin", &LEAF),
                    ("date_limite", &LEAF),
                    ("commentaire", &LEAF),
                ],
            },
        ),
        ("gratuit", &LEAF),
        ("mots_cles", &LEAF),
        ("sources", &SOURCE),
        ("mis_a_jour", &LEAF),
    ],
};

/// A place (`structures/<id>.json`).
pub const PLACE: Shape = Shape {
    keys: &[
        ("id", &LEAF),
        ("nom", &LEAF),
        ("type", &LEAF),
        (
            "adresse",
            &Shape {
                keys: &[("rue", &LEAF), ("code_postal", &LEAF), ("commune", &LEAF)],
            },
        ),
        (
            "dessert",
            &Shape {
                keys: &[("epci", &LEAF), ("communes", &LEAF)],
            },
        ),
        (
            "contact",
            &Shape {
                keys: &[("telephone", &LEAF), ("courriel", &LEAF), ("site", &LEAF)],
            },
        ),
        ("horaires", &LEAF),
        ("dispositifs", &LEAF),
        ("statut", &LEAF),
        ("sources", &SOURCE),
        ("mis_a_jour", &LEAF),
    ],
};

/// `synonymes.json`.
pub const SYNONYMS: Shape = Shape {
    keys: &[
        ("groupes", &LEAF),
        (
            "expansions",
            &Shape {
                keys: &[("de", &LEAF), ("vers", &LEAF)],
            },
        ),
    ],
};

impl Shape {
    fn child(&self, key: &str) -> &Shape {
        self.keys
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(&LEAF, |(_, s)| *s)
    }

    fn rank(&self, key: &str) -> usize {
        self.keys
            .iter()
            .position(|(k, _)| *k == key)
            .unwrap_or(usize::MAX)
    }
}

/// A value serialised with its object keys in the shape's order.
struct Ordered<'a>(&'a Value, &'a Shape);

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by(|a, b| {
                    (self.1.rank(a), a.as_str()).cmp(&(self.1.rank(b), b.as_str()))
                });
                let mut m = s.serialize_map(Some(keys.len()))?;
                for k in keys {
                    m.serialize_entry(k, &Ordered(&map[k], self.1.child(k)))?;
                }
                m.end()
            }
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Ordered(item, self.1))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

/// The canonical text of a record: what `write_record` puts on disk.
pub fn canonical(value: &Value, shape: &Shape) -> Result<String, WriteError> {
    let mut text = serde_json::to_string_pretty(&Ordered(value, shape))
        .map_err(|e| WriteError::Format(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The kinds of record file the editor and the importer write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scheme,
    Place,
}

impl Kind {
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Scheme => "dispositifs",
            Kind::Place => "structures",
        }
    }

    pub fn shape(self) -> &'static Shape {
        match self {
            Kind::Scheme => &SCHEME,
            Kind::Place => &PLACE,
        }
    }

    /// The file's path relative to `data/`; the id is a slug, so it cannot leave the folder.
    pub fn rel_path(self, id: &Slug) -> String {
        format!("{}/{id}.json", self.folder())
    }
}

/// Replaces `path` atomically with what `fill` writes: a temporary file in the same folder,
/// fsync, rename over the target, fsync of the folder. If anything fails, the previous file
/// is untouched and the temporary file is removed.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let err = |p: &Path| {
        let p = p.display().to_string();
        move |source| WriteError::Io { path: p, source }
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix = crate::store::random_hex(6).unwrap_or_else(|_| std::process::id().to_string());
    let tmp: PathBuf = dir.join(format!(".{name}.{suffix}.tmp"));
    let result = (|| {
        let mut file = File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(err(&tmp))?;
        fill(&mut file).map_err(err(&tmp))?;
        file.sync_all().map_err(err(&tmp))?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(err(path))?;
        // The rename itself is durable once the folder is synced.
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(err(dir))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Writes one record under `data_dir` in canonical form; returns the text written.
pub fn write_record(
    data_dir: &Path,
    kind: Kind,
    id: &Slug,
    value: &Value,
) -> Result<String, WriteError> {
    let text = canonical(value, kind.shape())?;
    let folder = data_dir.join(kind.folder());
    std::fs::create_dir_all(&folder).map_err(|source| WriteError::Io {
        path: folder.display().to_string(),
        source,
    })?;
    write_atomic(&data_dir.join(kind.rel_path(id)), text.as_bytes())?;
    Ok(text)
}
