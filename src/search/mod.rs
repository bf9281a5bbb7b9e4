//! Search: schema, French analyzers, index build, vocabulary, and query → results.
//!
//! One search flows through: `query` (typed text → plan → tantivy query), `execute` (one
//! pass for the page and the counts per theme), `rerank` (coverage and status), `snippet`
//! (excerpts). Every weight and budget lives in `ranking`; `engine` holds what a search
//! needs and is swapped whole on reload.

pub mod analyzer;
mod engine;
mod execute;
pub mod index;
mod lexicon;
pub mod phonetic;
pub mod query;
pub mod ranking;
mod rerank;
pub mod schema;
mod snippet;
mod themes;
mod types;
pub mod vocab;

pub use engine::Engine;
pub use query::Filters;
pub use types::{Hit, Results, SearchRequest, Shown, Sort};

/// Why the search layer failed (all are internal errors, never the visitor's fault).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed to build, open or query the index.
    #[error("index : {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index folder could not be written or read.
    #[error("dossier de l’index : {0}")]
    Io(#[from] std::io::Error),
    /// The index folder has no completion marker (a build was interrupted).
    #[error("index incomplet")]
    Incomplete,
    /// The thread analysing the schemes' texts stopped before the end.
    #[error("analyse des textes des dispositifs interrompue")]
    Texts,
    /// The index could not be opened from its folder.
    #[error("ouverture de l’index : {0}")]
    Open(#[from] tantivy::directory::error::OpenDirectoryError),
}
