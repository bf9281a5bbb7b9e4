//! Loading `data/`: read every file, parse, validate into domain types, report all problems.

pub mod domains;
pub mod glossary;
pub mod import;
pub mod places;
pub mod problem;
pub mod raw;
mod share;
pub use share::share;
pub mod validate;
pub mod writer;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use time::Date;

use problem::Collector;
pub use problem::{LoadError, Problem, Report, Severity};
use raw::{
    RawCategory, RawCommunes, RawDomains, RawEpcis, RawPlace, RawScheme, RawSynonyms, RawUrgency,
};

use crate::place::Place;
use crate::scheme::{Category, Scheme, Slug, Source, SourceKind};
use crate::synonyms::Synonyms;
use crate::territory::{Commune, Communes, Epci};
use crate::urgency::{Family, Helpline, Urgency};

/// A valid data set: what the site serves.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Schemes sorted by name.
    pub schemes: Vec<Scheme>,
    pub themes: Vec<Category>,
    pub publics: Vec<Category>,
    pub synonyms: Synonyms,
    pub communes: Communes,
    /// Places that help young people, sorted by name, archived ones included: lists, searches
    /// and exports go through `open_places`.
    pub places: Vec<Place>,
    /// The closed list of place types (`types-structures.json`).
    pub place_types: Vec<Category>,
    /// National helplines and the phrases that call for them (`urgence.json`).
    pub urgency: Urgency,
    /// Administrative words explained in plain words (`glossaire.json`).
    pub glossary: glossary::Glossary,
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

    /// An open or archived place: only its own page and API answer for an archived one.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id.as_str() == id)
    }

    /// The places still open (`"statut"` absent or `ouverte`): what every list shows.
    pub fn open_places(&self) -> impl Iterator<Item = &Place> {
        self.places.iter().filter(|p| !p.closed)
    }

    pub fn place_type(&self, slug: &str) -> Option<&Category> {
        self.place_types.iter().find(|t| t.slug.as_str() == slug)
    }

    /// Cited pages on official sites, and all cited pages: each distinct address counts once
    /// per record, however many excerpts it backs.
    pub fn official_share(&self) -> (usize, usize) {
        let mut official = 0;
        let mut all = 0;
        for sources in self.source_lists() {
            let mut seen = HashSet::new();
            for s in sources {
                if let Some(url) = &s.url {
                    if seen.insert(url) {
                        all += 1;
                        official += usize::from(s.kind == SourceKind::Official);
                    }
                }
            }
        }
        (official, all)
    }

    /// Official pages among the distinct pages cited anywhere (a page cited by ten records
    /// counts once).
    pub fn official_pages(&self) -> (usize, usize) {
        let mut seen = HashSet::new();
        let mut official = 0;
        for s in self.source_lists().flatten() {
            if let Some(url) = &s.url {
                if seen.insert(url) {
                    official += usize::from(s.kind == SourceKind::Official);
                }
            }
        }
        (official, seen.len())
    }

    fn source_lists(&self) -> impl Iterator<Item = &Vec<std::sync::Arc<Source>>> {
        self.schemes
            .iter()
            .map(|s| &s.sources)
            .chain(self.places.iter().map(|p| &p.sources))
    }
}

/// Largest data file read, in bytes (1 Mo); a larger one is refused before parsing. The
/// largest shipped file, `communes.json`, is about 125 Ko.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// « fichier trop gros : 52,3 Mo (1 Mo au plus) ».
fn too_big(bytes: u64) -> String {
    let tenths = bytes * 10 / MAX_FILE_BYTES;
    format!(
        "fichier trop gros : {},{}\u{a0}Mo (1\u{a0}Mo au plus), il n’est pas lu",
        tenths / 10,
        tenths % 10
    )
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
    /// Reads and parses `rel`; a missing optional file gives `None` without a problem. A
    /// symlink, anything but a regular file, or a file over `MAX_FILE_BYTES` is a problem and
    /// is not parsed (nor followed).
    fn json<T: DeserializeOwned>(
        &mut self,
        rel: &str,
        required: bool,
    ) -> Result<Option<T>, LoadError> {
        let path = self.dir.join(rel);
        let io = |source| LoadError::Io {
            path: path.display().to_string(),
            source,
        };
        let bytes = match self.overlay.get(rel) {
            // A draft from the editor: the same size limit, nothing on disk is read.
            Some(Some(draft)) => {
                if draft.len() as u64 > MAX_FILE_BYTES {
                    self.error(rel, None, "", too_big(draft.len() as u64));
                    return Ok(None);
                }
                draft.clone()
            }
            Some(None) => {
                if required {
                    self.error(rel, None, "", "fichier obligatoire absent".into());
                }
                return Ok(None);
            }
            None => {
                // `symlink_metadata` does not follow a symlink: its target is never read.
                let meta = match std::fs::symlink_metadata(&path) {
                    Ok(m) => m,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                        return Ok(None)
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        self.error(rel, None, "", "fichier obligatoire absent".into());
                        return Ok(None);
                    }
                    Err(source) => return Err(io(source)),
                };
                if meta.file_type().is_symlink() {
                    let msg = "lien symbolique refusé : place le fichier lui-même dans le dossier";
                    self.error(rel, None, "", msg.into());
                    return Ok(None);
                }
                if !meta.is_file() {
                    self.error(rel, None, "", "ce n’est pas un fichier ordinaire".into());
                    return Ok(None);
                }
                // The file may grow between the two looks: read one byte more than allowed.
                let mut bytes = Vec::new();
                if meta.len() <= MAX_FILE_BYTES {
                    let file = std::fs::File::open(&path).map_err(io)?;
                    file.take(MAX_FILE_BYTES + 1)
                        .read_to_end(&mut bytes)
                        .map_err(io)?;
                }
                if meta.len() > MAX_FILE_BYTES || bytes.len() as u64 > MAX_FILE_BYTES {
                    let size = meta.len().max(bytes.len() as u64);
                    self.error(rel, None, "", too_big(size));
                    return Ok(None);
                }
                bytes
            }
        };
        self.hasher.update(rel.as_bytes());
        self.hasher.update((bytes.len() as u64).to_le_bytes());
        self.hasher.update(&bytes);
        match serde_json::from_slice(&bytes) {
            Ok(v) => {
                self.texts(rel, &bytes);
                Ok(Some(v))
            }
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

    /// Checks every text of a file that parsed (see `validate::texts`); the records of
    /// `dispositifs/` and `structures/` are the ones exported as CSV.
    fn texts(&mut self, rel: &str, bytes: &[u8]) {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return;
        };
        let exported = rel.starts_with("dispositifs/") || rel.starts_with("structures/");
        let mut c = Collector {
            problems: &mut self.problems,
            file: rel.to_owned(),
            scheme: exported
                .then(|| {
                    value
                        .get("id")
                        .and_then(|id| id.as_str())
                        .map(str::to_owned)
                })
                .flatten(),
        };
        validate::texts(&mut c, &value, exported);
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

/// Reads and validates `urgence.json` (optional): every line has a number, a known family and
/// an official-style source; every phrase has words.
fn urgency(r: &mut Reader, lists: &validate::Lists) -> Result<Urgency, LoadError> {
    const FILE: &str = "urgence.json";
    let Some(raw) = r.json::<RawUrgency>(FILE, false)? else {
        return Ok(Urgency::default());
    };
    let mut c = Collector {
        problems: &mut r.problems,
        file: FILE.to_owned(),
        scheme: None,
    };
    let mut families = Vec::new();
    for (i, f) in raw.familles.into_iter().enumerate() {
        if families.iter().any(|x: &Family| x.id == f.id) {
            c.error(
                &format!("familles[{i}].id"),
                format!("« {} » est en double", f.id),
            );
        }
        let phrases: Vec<Vec<String>> = f
            .expressions
            .iter()
            .map(|e| crate::text::words(e))
            .collect();
        if phrases.is_empty() || phrases.iter().any(Vec::is_empty) {
            c.error(
                &format!("familles[{i}].expressions"),
                "expression vide ou liste vide",
            );
        }
        families.push(Family { id: f.id, phrases });
    }
    let mut lines: Vec<Helpline> = Vec::new();
    for (i, l) in raw.lignes.into_iter().enumerate() {
        let field = |name: &str| format!("lignes[{i}].{name}");
        if lines.iter().any(|x| x.id == l.id) {
            c.error(&field("id"), format!("« {} » est en double", l.id));
        }
        if !l.numero.chars().any(|ch| ch.is_ascii_digit())
            || l.numero
                .chars()
                .any(|ch| !(ch.is_ascii_digit() || ch == ' '))
        {
            c.error(
                &field("numero"),
                format!("« {} » : des chiffres et des espaces seulement", l.numero),
            );
        }
        if l.nom.trim().is_empty() || l.description.trim().is_empty() {
            c.error(&field("description"), "nom et description obligatoires");
        }
        for f in &l.familles {
            if !families.iter().any(|x| &x.id == f) {
                c.error(&field("familles"), format!("« {f} » : famille inconnue"));
            }
        }
        let sources = validate::sources(&mut c, l.sources, lists);
        lines.push(Helpline {
            id: l.id,
            nom: l.nom,
            numero: l.numero,
            description: l.description,
            familles: l.familles,
            sources,
        });
    }
    Ok(Urgency::new(lines, families))
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

/// The shipped data (`data/`), loaded as on 30 November 2026: the unit tests' catalogue.
#[cfg(test)]
pub(crate) fn shipped() -> Dataset {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    load(&dir, time::macros::date!(2026 - 11 - 30)).expect("shipped data is valid")
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
    share::share(&mut schemes);
    let mut places = places(&mut r, &lists, &place_types, &seen_ids)?;
    for p in &mut places {
        p.words = crate::places::answer_words(p, &place_types, &communes);
    }
    let urgency = urgency(&mut r, &lists)?;
    let glossary = glossary::load(&mut r, &lists)?;
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
        urgency,
        glossary,
        fingerprint,
        warnings: report.problems,
    })
}
