//! What a search is asked (`SearchRequest`) and what it answers (`Results`, `Hit`).

use serde_json::value::RawValue;

use super::query::Filters;
use crate::scheme::Scheme;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Name,
}

/// A search as the web layer asks it (already bounded and validated).
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    pub snippets: bool,
    /// The day the search is made: ranking puts schemes usable on that day first.
    pub today: time::Date,
}

impl SearchRequest {
    /// An empty search on `today` (no text, no filter, no result asked).
    pub fn new(today: time::Date) -> SearchRequest {
        SearchRequest {
            text: String::new(),
            filters: Filters::default(),
            sort: Sort::default(),
            offset: 0,
            limit: 0,
            snippets: false,
            today,
        }
    }
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub scheme: &'a Scheme,
    /// The scheme's name and summary with French typography for display.
    pub shown: &'a Shown,
    pub score: f32,
    /// HTML-escaped excerpt of the description with the matched words in `<mark>`.
    pub snippet_html: Option<String>,
}

/// A scheme's name and summary as pages show them ([`crate::text::display`]) and as the
/// API writes them (JSON string literals, escaped once), computed the first time the scheme
/// is a result and kept with the engine (same data version).
#[derive(Debug)]
pub struct Shown {
    pub nom: String,
    pub resume: String,
    /// `None` only if serde_json could not write a string (it always can).
    pub nom_json: Option<Box<RawValue>>,
    pub resume_json: Option<Box<RawValue>>,
}

impl Shown {
    pub fn of(scheme: &Scheme) -> Shown {
        Shown {
            nom: crate::text::display(&scheme.nom),
            resume: crate::text::display(&scheme.resume),
            nom_json: serde_json::value::to_raw_value(&scheme.nom).ok(),
            resume_json: serde_json::value::to_raw_value(&scheme.resume).ok(),
        }
    }
}

/// A page of results and what the page needs around them.
#[derive(Debug, Clone)]
pub struct Results<'a> {
    pub total: usize,
    pub hits: Vec<Hit<'a>>,
    /// Matching schemes per theme slug, ignoring the theme filter.
    pub theme_counts: Vec<(String, u64)>,
    /// « Tu voulais dire … ? », built from the index's own vocabulary.
    pub did_you_mean: Option<String>,
    /// Meaningful words of the query, as typed, that no scheme contains, even through
    /// typos, stems or synonyms (« Aucun dispositif ne parle de « chien » »). When there
    /// are some, schemes matching only generic words (« aide », « gratuit »…) are left
    /// out of the results: they are not answers.
    pub words_without_match: Vec<String>,
}

impl Results<'_> {
    /// No result, nothing around (a query without any searchable word).
    pub fn empty() -> Self {
        Results {
            total: 0,
            hits: Vec::new(),
            theme_counts: Vec::new(),
            did_you_mean: None,
            words_without_match: Vec::new(),
        }
    }
}
