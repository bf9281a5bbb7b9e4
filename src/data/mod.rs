//! Loading `data/`: read every file, parse, validate into domain types, report all problems.

pub mod domains;
pub mod import;
pub mod places;
pub mod problem;
pub mod raw;
pub mod validate;
pub mod writer;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use time::Date;

use problem::Collector;
pub use problem::{LoadError, Problem, Report, Severity};
use raw::{RawCategory, RawCommunes, RawDomains, RawEpcis, RawPlace, RawScheme, RawSynonyms};

use crate::place::Place;
use crate::scheme::{Category, Scheme, Slug, SourceKind};
use crate::synonyms::Synonyms;
use crate::territory::{Commune, Communes, Epci};

/// A valid data set: what the site serves.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Schemes sorted by name.
    pub schemes: Vec<Scheme>,
    pub themes: Vec<Category>,
    pub publics: Vec<Category>,
    pub synonyms: Synonyms,
    pub communes: Communes,
    /// Places that help young people, sorted by name.
    pub places: Vec<Place>,
    /// The closed list of place types (`types-structures.json`).
    pub place_types: Vec<Category>,
    /// Hash of every data file: the data version, and the key of the on-disk index.
    pub fingerprint: String,
    /// Problems that do not refuse the data (old `mis_a_jour`, past end dates).
    pub warnings: Vec<Problem>,
}

impl Dataset {
    pub fn scheme(&self, id: &str) -> Option<&Scheme> {
        self.schemes.iter().find(|s| s.id.as_str() == id)
    }

    pub fn theme(&self, slug: &str) -> Option<&Category> {
        self.themes.iter().find(|t| t.slug.as_str() == slug)
    }

    pub fn public(&self, slug: &str) -> Option<&Category> {
        self.publics.iter().find(|t| t.slug.as_str() == slug)
    }

    pub fn place(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id.as_str() == id)
    }

    pub fn place_type(&self, slug: &str) -> Option<&Category> {
        self.place_types.iter().find(|t| t.slug.as_str() == slug)
    }

    /// Share of cited pages (sources with an address) that are on official sites.
    pub fn official_share(&self) -> (usize, usize) {
        let urls = self
            .schemes
            .iter()
            .flat_map(|s| &s.sources)
            .chain(self.places.iter().flat_map(|p| &p.sources))
            .filter(|s| s.url.is_some());
        urls.fold((0, 0), |(off, all), s| {
            (off + usize::from(s.kind == SourceKind::Official), all + 1)
        })
    }
}

/// Files that replace (`Some`) or hide (`None`) those on disk, by path relative to `data/`:
/// the editor validates a draft exactly as `check` would, without writing it.
pub type Overlay = std::collections::BTreeMap<String, Option<Vec<u8>>>;

struct Reader<'a> {
    dir: &'a Path,
    overlay: &'a Overlay,
    problems: Vec<Problem>,
    hasher: Sha256,
}

impl Reader<'_> {
    /// Reads and parses `rel`; a missing optional file gives `None` without a problem.
    fn json<T: DeserializeOwned>(
        &mut self,
        rel: &str,
        required: bool,
    ) -> Result<Option<T>, LoadError> {
        let path = self.dir.join(rel);
        let read = match self.overlay.get(rel) {
            Some(Some(bytes)) => Ok(bytes.clone()),
            Some(None) => Err(std::io::ErrorKind::NotFound.into()),
            None => std::fs::read(&path),
        };
        let bytes = match read {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.error(rel, None, "", "fichier obligatoire absent".into());
                return Ok(None);
            }
            Err(source) => {
                return Err(LoadError::Io {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        self.hasher.update(rel.as_bytes());
        self.hasher.update((bytes.len() as u64).to_le_bytes());
        self.hasher.update(&bytes);
        match serde_json::from_slice(&bytes) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                use serde_json::error::Category;
                let what = match e.classify() {
                    Category::Eof => "JSON mal formé (fichier tronqué)",
                    Category::Syntax => "JSON mal formé",
                    Category::Data | Category::Io => "contenu invalide",
                };
                // serde's own wording (in English) names the field or the expected type.
                let detail = e.to_string();
                let detail = detail
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let msg = format!(
                    "{what} à la ligne {}, colonne {} ({detail})",
                    e.line(),
                    e.column()
                );
                self.error(rel, None, "", msg);
                Ok(None)
            }
        }
    }

    fn error(&mut self, file: &str, scheme: Option<String>, field: &str, message: String) {
        Collector {
            problems: &mut self.problems,
            file: file.to_owned(),
            scheme,
        }
        .error(field, message);
    }
}

fn categories(r: &mut Reader, file: &str, required: bool) -> Result<Vec<Category>, LoadError> {
    let raw: Vec<RawCategory> = r.json(file, required)?.unwrap_or_default();
    let mut out: Vec<Category> = Vec::new();
    for c in raw {
        match Slug::parse(&c.slug) {
            Some(slug) if out.iter().all(|o| o.slug != slug) => out.push(Category {
                slug,
                libelle: c.libelle,
                description: c.description,
            }),
            Some(_) => r.error(file, None, "slug", format!("« {} » est en double", c.slug)),
            None => r.error(
                file,
                None,
                "slug",
                format!("« {} » : seulement a-z, 0-9 et tirets", c.slug),
            ),
        }
    }
    Ok(out)
}

fn synonyms(r: &mut Reader) -> Result<Synonyms, LoadError> {
    const FILE: &str = "synonymes.json";
    let Some(raw) = r.json::<RawSynonyms>(FILE, false)? else {
        return Ok(Synonyms::default());
    };
    for (i, g) in raw.groupes.iter().enumerate() {
        if g.len() < 2 {
            r.error(
                FILE,
                None,
                &format!("groupes[{i}]"),
                "un groupe a au moins deux termes".into(),
            );
        }
        if g.iter().any(|t| crate::text::words(t).is_empty()) {
            r.error(FILE, None, &format!("groupes[{i}]"), "terme vide".into());
        }
    }
    for (i, e) in raw.expansions.iter().enumerate() {
        if crate::text::words(&e.de).is_empty() {
            r.error(
                FILE,
                None,
                &format!("expansions[{i}].de"),
                "terme vide".into(),
            );
        }
        if e.vers.is_empty() || e.vers.iter().any(|t| crate::text::words(t).is_empty()) {
            r.error(
                FILE,
                None,
                &format!("expansions[{i}].vers"),
                "terme vide ou liste vide".into(),
            );
        }
    }
    let expansions: Vec<(String, Vec<String>)> =
        raw.expansions.into_iter().map(|e| (e.de, e.vers)).collect();
    Ok(Synonyms::new(&raw.groupes, &expansions))
}

fn communes(r: &mut Reader) -> Result<Communes, LoadError> {
    let raw: Option<RawCommunes> = r.json("communes.json", false)?;
    let epci: Option<RawEpcis> = r.json("epci.json", false)?;
    let (millesime, list) = raw.map(|c| (c.millesime, c.communes)).unwrap_or_default();
    let communes = list
        .into_iter()
        .map(|c| Commune {
            code: c.code,
            nom: c.nom,
            codes_postaux: c.codes_postaux,
            epci: c.epci,
        })
        .collect();
    let epci = epci
        .map(|e| e.epci)
        .unwrap_or_default()
        .into_iter()
        .map(|e| Epci {
            code: e.code,
            nom: e.nom,
        })
        .collect();
    Ok(Communes::new(millesime, communes, epci))
}

/// The `.json` file names of `dir/sub`, sorted, with the overlay's files added or hidden; a
/// missing optional folder is empty.
fn json_files(
    dir: &Path,
    sub: &str,
    required: bool,
    overlay: &Overlay,
) -> Result<Vec<String>, LoadError> {
    let mut files = json_files_on_disk(dir, sub, required)?;
    let prefix = format!("{sub}/");
    for (rel, content) in overlay {
        let Some(name) = rel.strip_prefix(&prefix) else {
            continue;
        };
        files.retain(|f| f != name);
        if content.is_some() && name.ends_with(".json") && !name.contains('/') {
            files.push(name.to_owned());
        }
    }
    files.sort();
    Ok(files)
}

fn json_files_on_disk(dir: &Path, sub: &str, required: bool) -> Result<Vec<String>, LoadError> {
    let folder = dir.join(sub);
    let read = match std::fs::read_dir(&folder) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(Vec::new()),
        Err(source) => {
            return Err(LoadError::Io {
                path: folder.display().to_string(),
                source,
            })
        }
    };
    let mut files: Vec<String> = read
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads and validates every `structures/<id>.json`.
fn places(
    r: &mut Reader,
    lists: &validate::Lists,
    kinds: &[Category],
    scheme_ids: &HashMap<String, String>,
) -> Result<Vec<Place>, LoadError> {
    let kinds: HashSet<String> = kinds.iter().map(|k| k.slug.to_string()).collect();
    let schemes: HashSet<String> = scheme_ids.keys().cloned().collect();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for name in json_files(r.dir, "structures", false, r.overlay)? {
        let rel = format!("structures/{name}");
        let stem = name.trim_end_matches(".json").to_owned();
        let Some(raw) = r.json::<RawPlace>(&rel, true)? else {
            continue;
        };
        if let Some(id) = &raw.id {
            if let Some(first) = seen.insert(id.clone(), rel.clone()) {
                r.error(
                    &rel,
                    Some(id.clone()),
                    "id",
                    format!("identifiant en double : déjà utilisé par {first}"),
                );
            }
        }
        let mut c = Collector {
            problems: &mut r.problems,
            file: rel,
            scheme: Some(raw.id.clone().unwrap_or_else(|| stem.clone())),
        };
        if let Some(p) = places::place(&mut c, &stem, raw, lists, &kinds, &schemes) {
            out.push(p);
        }
    }
    out.sort_by_key(|p| crate::text::fold(&p.nom));
    Ok(out)
}

/// Loads and validates the data set in `dir`, as of `today` (for the freshness warnings).
pub fn load(dir: &Path, today: Date) -> Result<Dataset, LoadError> {
    load_with(dir, today, &Overlay::new())
}

/// Loads `dir` with some files replaced or hidden by `overlay`: the same validation as
/// `check`, for a draft that is not written yet.
pub fn load_with(dir: &Path, today: Date, overlay: &Overlay) -> Result<Dataset, LoadError> {
    let mut r = Reader {
        dir,
        overlay,
        problems: Vec::new(),
        hasher: Sha256::new(),
    };
    let themes = categories(&mut r, "thematiques.json", true)?;
    let publics = categories(&mut r, "publics.json", true)?;
    let place_types = categories(&mut r, "types-structures.json", false)?;
    let domains = domains::Domains::new(
        r.json::<RawDomains>("domaines.json", false)?
            .unwrap_or_default(),
    );
    let synonyms = synonyms(&mut r)?;
    let communes = communes(&mut r)?;

    let files = json_files(dir, "dispositifs", true, overlay)?;

    let theme_set: HashSet<String> = themes.iter().map(|t| t.slug.to_string()).collect();
    let public_set: HashSet<String> = publics.iter().map(|t| t.slug.to_string()).collect();
    let lists = validate::Lists {
        themes: &theme_set,
        publics: &public_set,
        communes: &communes,
        domains: &domains,
        today,
    };
    let mut schemes = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    for name in files {
        let rel = format!("dispositifs/{name}");
        let stem = name.trim_end_matches(".json").to_owned();
        let Some(raw) = r.json::<RawScheme>(&rel, true)? else {
            continue;
        };
        let scheme_name = raw.id.clone().unwrap_or_else(|| stem.clone());
        if let Some(id) = &raw.id {
            if let Some(first) = seen_ids.insert(id.clone(), rel.clone()) {
                r.error(
                    &rel,
                    Some(id.clone()),
                    "id",
                    format!("identifiant en double : déjà utilisé par {first}"),
                );
            }
        }
        let mut c = Collector {
            problems: &mut r.problems,
            file: rel,
            scheme: Some(scheme_name),
        };
        if let Some(s) = validate::scheme(&mut c, &stem, raw, &lists) {
            schemes.push(s);
        }
    }
    let places = places(&mut r, &lists, &place_types, &seen_ids)?;
    if schemes.is_empty() && !r.problems.iter().any(|p| p.severity == Severity::Error) {
        r.error("dispositifs/", None, "", "aucun dispositif".into());
    }
    let report = Report {
        problems: r.problems,
    };
    if report.has_errors() {
        return Err(LoadError::Invalid(report));
    }
    schemes.sort_by_key(|s| crate::text::fold(&s.nom));
    let fingerprint = format!("{:x}", r.hasher.finalize());
    Ok(Dataset {
        schemes,
        themes,
        publics,
        synonyms,
        communes,
        places,
        place_types,
        fingerprint,
        warnings: report.problems,
    })
}
