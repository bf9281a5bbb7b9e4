//! Checking and publishing a draft: the same validation as `check` (the whole data set loaded
//! with the draft in place), the version it was based on compared with the file, the one
//! atomic writer, the journal, then the serialised reload.

use std::path::Path;

use serde_json::Value;

use super::error::EditorError;
use crate::data::writer::{self, Kind};
use crate::data::{self, Dataset, LoadError, Overlay, Problem, Severity};
use crate::scheme::Slug;
use crate::store::journal::RecordKind;
use crate::store::{sha256_hex, Store};
use crate::web::reload::{Cause, Outcome};
use crate::web::AppState;

/// The version of a record that does not exist yet.
pub const NEW: &str = "nouveau";

/// The version of a file's text (what the form carries in `base`).
pub fn version_of(text: Option<&str>) -> String {
    text.map_or_else(|| NEW.to_owned(), |t| sha256_hex(t.as_bytes()))
}

/// The current text of a record file, if it exists.
pub fn current(data_dir: &Path, kind: Kind, id: &Slug) -> Result<Option<String>, EditorError> {
    match std::fs::read_to_string(data_dir.join(kind.rel_path(id))) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EditorError::internal(e)),
    }
}

pub fn record_kind(kind: Kind) -> RecordKind {
    match kind {
        Kind::Scheme => RecordKind::Scheme,
        Kind::Place => RecordKind::Place,
    }
}

/// What `check` says of the data set with a draft in place.
pub enum Checked {
    /// Valid: the data set as it would be served, the canonical text, the draft's warnings.
    Valid {
        data: Box<Dataset>,
        text: String,
        warnings: Vec<Problem>,
    },
    /// Invalid: every problem (the draft's and any other file's).
    Invalid {
        text: String,
        problems: Vec<Problem>,
    },
}

/// Validates the data folder with `rel` replaced by `text`, exactly as `check` would.
pub fn check_overlay(
    data_dir: &Path,
    today: time::Date,
    rel: &str,
    text: String,
) -> Result<Checked, EditorError> {
    let mut overlay = Overlay::new();
    overlay.insert(rel.to_owned(), Some(text.clone().into_bytes()));
    match data::load_with(data_dir, today, &overlay) {
        Ok(data) => {
            let warnings = data
                .warnings
                .iter()
                .filter(|w| w.file == rel)
                .cloned()
                .collect();
            Ok(Checked::Valid {
                data: Box::new(data),
                text,
                warnings,
            })
        }
        Err(LoadError::Invalid(report)) => Ok(Checked::Invalid {
            text,
            problems: report.problems,
        }),
        Err(e) => Err(EditorError::internal(e)),
    }
}

/// Validates a record draft (blocking: loads the whole data set).
pub fn check(
    data_dir: &Path,
    today: time::Date,
    kind: Kind,
    id: &Slug,
    value: &Value,
) -> Result<Checked, EditorError> {
    let text = writer::canonical(value, kind.shape()).map_err(EditorError::internal)?;
    check_overlay(data_dir, today, &kind.rel_path(id), text)
}

/// The errors of a report that are about `rel`, and the others.
pub fn split(problems: &[Problem], rel: &str) -> (Vec<Problem>, Vec<Problem>) {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .cloned()
        .partition(|p| p.file == rel)
}

/// How a publish ended.
pub enum Published {
    /// Written and journaled; the reload's outcome.
    Done(Outcome),
    /// The draft is the file as it is: nothing written.
    Unchanged,
    /// Invalid: nothing written.
    Invalid { problems: Vec<Problem> },
    /// The file changed since `base`: nothing written; the current text (absent if deleted).
    Conflict {
        current: Option<String>,
        draft: String,
    },
}

/// What is being published and by whom.
pub struct Change<'a> {
    pub kind: Kind,
    pub id: &'a Slug,
    /// The canonical text to write.
    pub text: String,
    /// The version the editor started from.
    pub base: &'a str,
    pub account: &'a str,
    /// « publication », « création », « archivage », « restauration », « approbation ».
    pub action: &'a str,
}

/// Publishes one record: one at a time, validated against the whole data set, refused when the
/// file changed since `base`, written atomically, journaled, then served after the reload.
pub async fn publish(
    state: &AppState,
    store: &Store,
    change: Change<'_>,
) -> Result<Published, EditorError> {
    let file = File {
        rel: change.kind.rel_path(change.id),
        kind: record_kind(change.kind),
        record: change.id.as_str(),
    };
    publish_file(
        state,
        store,
        &file,
        change.text,
        change.base,
        change.account,
        change.action,
    )
    .await
}

/// Which file of `data/` a publish writes, and how the journal names it.
pub struct File<'a> {
    /// Relative to `data/`, built from a slug or a fixed name: never from user input as is.
    pub rel: String,
    pub kind: RecordKind,
    pub record: &'a str,
}

/// The publish sequence for any file of `data/` the editor writes (records, synonyms).
pub async fn publish_file(
    state: &AppState,
    store: &Store,
    file: &File<'_>,
    text: String,
    base: &str,
    account: &str,
    action: &str,
) -> Result<Published, EditorError> {
    let services = state
        .editor()
        .ok_or_else(|| EditorError::Unavailable("non configuré".into()))?;
    let _one_at_a_time = services.publish_lock.lock().await;
    let dir = services.data_dir.clone();
    let path = dir.join(&file.rel);
    let before = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(EditorError::internal(e)),
    };
    if version_of(before.as_deref()) != base {
        return Ok(Published::Conflict {
            current: before,
            draft: text,
        });
    }
    if before.as_deref() == Some(text.as_str()) {
        return Ok(Published::Unchanged);
    }
    let today = state.today();
    let (d, r, t) = (dir.clone(), file.rel.clone(), text.clone());
    let checked = tokio::task::spawn_blocking(move || check_overlay(&d, today, &r, t))
        .await
        .map_err(EditorError::internal)??;
    if let Checked::Invalid { problems, .. } = checked {
        return Ok(Published::Invalid { problems });
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(EditorError::internal)?;
    }
    writer::write_atomic(&path, text.as_bytes()).map_err(EditorError::internal)?;
    store.journal(
        account,
        file.kind,
        file.record,
        action,
        before.as_deref(),
        &text,
    )?;
    tracing::info!(compte = account, fichier = %file.rel, action, "publication");
    let outcome = match state.reloader() {
        Some(r) => r.reload_and_wait(Cause::Publish).await,
        None => Outcome::Refused,
    };
    Ok(Published::Done(outcome))
}
