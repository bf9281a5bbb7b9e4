//! What the tables precomputed for a small index share (`impacts`, `prefilter`): which
//! index gets them, how a search checks that its searcher is that index's, and per-field
//! tables keyed by term.

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{Searcher, SegmentReader, Term};

use super::union::DENSE_MAX_DOCS;

/// The searcher's segment, if it has exactly one, small enough for the dense union and
/// without deletions: the only index the tables are computed for.
pub(super) fn small_segment(searcher: &Searcher) -> Option<&SegmentReader> {
    match searcher.segment_readers() {
        [segment] if segment.max_doc() <= DENSE_MAX_DOCS && !segment.has_deletes() => Some(segment),
        _ => None,
    }
}

/// Whether the searcher reads just the segment a table was computed on.
pub(super) fn reads_only(searcher: &Searcher, segment: SegmentId) -> bool {
    matches!(searcher.segment_readers(), [s] if s.segment_id() == segment)
}

/// One field's terms: value bytes (as the term dictionary keys them) → a `V`.
pub(super) type FieldTable<V> = FxHashMap<Box<[u8]>, V>;

/// Per field, each term's `V`.
#[derive(Debug)]
pub(super) struct TermTable<V> {
    fields: Vec<(Field, FieldTable<V>)>,
}

impl<V> TermTable<V> {
    pub(super) fn new() -> TermTable<V> {
        TermTable { fields: Vec::new() }
    }

    /// Adds a field's terms.
    pub(super) fn add_field(&mut self, field: Field, terms: FieldTable<V>) {
        self.fields.push((field, terms));
    }

    /// The term's value, if the table has its field; `Some(None)` when the field is there
    /// but not the term.
    pub(super) fn get(&self, term: &Term) -> Option<Option<&V>> {
        self.get_in(term.field(), term.serialized_value_bytes())
    }

    /// The value of the term of `field` whose value bytes are `value` (a text's UTF-8).
    pub(super) fn get_in(&self, field: Field, value: &[u8]) -> Option<Option<&V>> {
        let (_, terms) = self.fields.iter().find(|(f, _)| *f == field)?;
        Some(terms.get(value))
    }
}
