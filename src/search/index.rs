//! Building the tantivy index from a data set, and reopening it from `index/` when the data
//! has not changed since it was built.

use std::path::{Path, PathBuf};

use tantivy::schema::Facet;
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use super::analyzer;
use super::schema::{self, Fields};
use super::SearchError;
use crate::data::Dataset;
use crate::scheme::{Scheme, Territory};
use crate::text;

/// Bump when the schema or analyzers change, so that old on-disk indexes are rebuilt.
const SCHEMA_VERSION: &str = "v6";
/// Written last into a finished index folder: a folder without it is incomplete.
const COMPLETE_MARKER: &str = "COMPLETE";
/// Memory of the one indexing thread: enough for 100 000 schemes to make a single segment
/// (no merge at build, one segment per query); tantivy takes it as it fills, not at once.
const WRITER_MEMORY: usize = 150_000_000;

/// The glued, stop-word-free form of a name (« Sac Ados » → « sacados »).
pub fn name_key(name: &str) -> String {
    text::words(name)
        .into_iter()
        .filter(|w| !analyzer::is_stop_word(w))
        .collect()
}

fn document(f: &Fields, rank: usize, s: &Scheme, data: &Dataset) -> TantivyDocument {
    let names: Vec<&str> = std::iter::once(s.nom.as_str())
        .chain(s.alias.iter().map(String::as_str))
        .collect();
    let names_text = text::normalize(&names.join(" · "));
    let keywords = text::normalize(&s.mots_cles.join(" · "));
    let summary = text::normalize(&s.resume);
    let description = text::normalize(&s.description);
    let theme_labels: Vec<&str> = s
        .thematiques
        .iter()
        .filter_map(|t| data.theme(t.as_str()).map(|c| c.libelle.as_str()))
        .collect();
    let public_labels: Vec<&str> = s
        .publics
        .iter()
        .filter_map(|t| data.public(t.as_str()).map(|c| c.libelle.as_str()))
        .collect();
    let details = text::normalize(
        &[
            s.avantages.join(" "),
            s.conditions.join(" "),
            s.demarches.join(" "),
            s.porteur.clone(),
            theme_labels.join(" "),
            public_labels.join(" "),
        ]
        .join(" · "),
    );
    let body = [summary.as_str(), description.as_str(), details.as_str()].join(" · ");
    let mut d = doc!(
        f.id => s.id.as_str(),
        f.name_exact => names_text.clone(),
        f.name_stem => names_text,
        f.kw_exact => keywords.clone(),
        f.kw_stem => keywords,
        f.summary_stem => summary,
        f.body_exact => body,
        f.description => description,
        f.details_stem => details,
        f.age_min => u64::from(s.ages.min.unwrap_or(0)),
        f.age_max => u64::from(s.ages.max.unwrap_or(u8::MAX)),
        f.name_rank => rank as u64,
    );
    for n in &names {
        d.add_text(f.name_key, name_key(n));
        d.add_text(f.name_key, text::words(n).concat());
    }
    for t in &s.thematiques {
        d.add_facet(f.theme, Facet::from(&format!("/{t}")));
    }
    for p in &s.publics {
        d.add_text(f.public, p.as_str());
    }
    match &s.territoire {
        Territory::Local { epci, communes } => {
            for e in epci {
                d.add_text(f.territory, format!("epci:{e}"));
            }
            for c in communes {
                d.add_text(f.territory, format!("commune:{c}"));
            }
        }
        _ => d.add_text(f.territory, "all"),
    }
    d
}

fn fill(index: &Index, fields: &Fields, data: &Dataset) -> Result<(), SearchError> {
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    for (rank, s) in data.schemes.iter().enumerate() {
        writer.add_document(document(fields, rank, s, data))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Builds the index in memory (tests, benchmarks, and the fallback when `index/` is unusable).
pub fn build_in_ram(data: &Dataset) -> Result<(Index, Fields), SearchError> {
    let (schema, fields) = schema::build();
    let index = Index::create_in_ram(schema);
    analyzer::register(&index);
    fill(&index, &fields, data)?;
    Ok((index, fields))
}

/// The folder of the index for this data version inside `root`.
fn folder_for(root: &Path, data: &Dataset) -> PathBuf {
    root.join(format!("{SCHEMA_VERSION}-{}", &data.fingerprint[..16]))
}

fn open_existing(dir: &Path) -> Result<(Index, Fields), SearchError> {
    if !dir.join(COMPLETE_MARKER).exists() {
        return Err(SearchError::Incomplete);
    }
    let index = Index::open_in_dir(dir)?;
    analyzer::register(&index);
    let fields = Fields::from_schema(&index.schema())?;
    Ok((index, fields))
}

fn build_in_dir(
    root: &Path,
    target: &Path,
    data: &Dataset,
) -> Result<(Index, Fields), SearchError> {
    std::fs::create_dir_all(root)?;
    let tmp = root.join(format!(
        ".building-{}-{}",
        std::process::id(),
        &data.fingerprint[..16]
    ));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    std::fs::create_dir_all(&tmp)?;
    {
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(&tmp, schema)?;
        analyzer::register(&index);
        fill(&index, &fields, data)?;
    }
    std::fs::write(tmp.join(COMPLETE_MARKER), data.fingerprint.as_bytes())?;
    if target.exists() {
        std::fs::remove_dir_all(target)?;
    }
    std::fs::rename(&tmp, target)?;
    open_existing(target)
}

/// Whether `name` is exactly a folder this program creates: `v<digits>-<16 hex>` (an index of
/// one data version) or `.building-<pid>-<16 hex>` (an interrupted build).
fn is_ours(name: &str) -> bool {
    let digits_then_key = |rest: &str| {
        rest.split_once('-').is_some_and(|(n, key)| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && key.len() == 16
                && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
    };
    name.strip_prefix(".building-").is_some_and(digits_then_key)
        || name.strip_prefix('v').is_some_and(digits_then_key)
}

/// Removes index folders of other data versions (open readers keep their mapped files).
/// Only real folders whose names match what the program creates are touched: the index root
/// may be shared (`--index .`), and a symlink is never followed nor removed.
fn remove_stale(root: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        // `DirEntry::file_type` does not follow symlinks.
        let real_dir = e.file_type().is_ok_and(|t| t.is_dir());
        let ours = e.file_name().to_str().is_some_and(is_ours);
        if path != keep && real_dir && ours {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// How an on-disk index was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The folder of this data version was reused.
    Reused,
    /// The folder was (re)built.
    Built,
    /// The folder could not be built: the index lives in memory (logged as a warning).
    MemoryFallback,
}

/// Opens the on-disk index of this data version, or builds it; whatever is wrong with the
/// folder (missing, incomplete, unreadable), the result is a rebuild, never a crash.
pub fn open_or_build(root: &Path, data: &Dataset) -> Result<(Index, Fields, Opened), SearchError> {
    let target = folder_for(root, data);
    match open_existing(&target) {
        Ok((index, fields)) => Ok((index, fields, Opened::Reused)),
        Err(e) => {
            if target.exists() {
                tracing::warn!(error = %e, dir = %target.display(), "index illisible, reconstruction");
            }
            let built = build_in_dir(root, &target, data);
            remove_stale(root, &target);
            match built {
                Ok((index, fields)) => Ok((index, fields, Opened::Built)),
                Err(e) => {
                    tracing::warn!(error = %e, dir = %root.display(), "index sur disque impossible, index en mémoire");
                    let (index, fields) = build_in_ram(data)?;
                    Ok((index, fields, Opened::MemoryFallback))
                }
            }
        }
    }
}
