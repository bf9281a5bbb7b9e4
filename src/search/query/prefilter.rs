//! The filters of a small index as sets of documents computed once: per age, the schemes
//! whose bounds admit it, and per commune, EPCI, audience or theme term, the schemes that
//! have it (and per name key, for the name bonuses that `direct` evaluates).
//!
//! On the shipped catalogue (81 schemes, one segment) tantivy answered each filter of each
//! search with range queries over the age columns and term queries wrapped in constant
//! scores, ≈ 8 % of a cache-proof `/api/dispositifs` (`scripts/load/profile.sh`). Here a
//! search's filters become a few ANDs and ORs of bit sets, which the direct evaluation
//! (`direct`, `Engine::collect_direct`) reads. The sets are computed by tantivy's own
//! queries, so they keep exactly the documents those would; a larger or multi-segment index
//! keeps tantivy's filter queries (`filter::full_query`).

use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, TERMINATED};

use super::filter::{age_query, clauses, Clause, Filters};
use super::small::{reads_only, small_segment, FieldTable, TermTable};
use crate::search::schema::Fields;

/// A set of documents of the segment, one bit each.
type Bits = Box<[u64]>;

/// The filter sets of a one-segment index.
#[derive(Debug)]
pub struct FilterTable {
    segment: SegmentId,
    max_doc: u32,
    words: usize,
    /// Index `age`: the documents whose bounds admit that age.
    ages: Vec<Bits>,
    /// Per territory, audience and theme term: the documents that have it.
    terms: TermTable<Bits>,
}

/// What a search's filters keep.
pub enum Kept {
    /// Every document (no filter).
    All,
    /// These documents.
    Only(Arc<[u64]>),
}

impl Kept {
    pub fn has(&self, doc: DocId) -> bool {
        match self {
            Kept::All => true,
            Kept::Only(bits) => has(bits, doc),
        }
    }
}

impl FilterTable {
    /// The sets of the index's filter fields, if the searcher has one segment, small enough
    /// for the dense union and without deletions; otherwise none.
    pub fn build(searcher: &Searcher, f: &Fields) -> tantivy::Result<Option<FilterTable>> {
        let Some(segment) = small_segment(searcher) else {
            return Ok(None);
        };
        let words = (segment.max_doc() as usize).div_ceil(64);
        let bits_of = |docs: &mut dyn FnMut() -> Option<DocId>| {
            let mut bits = vec![0u64; words].into_boxed_slice();
            while let Some(d) = docs() {
                bits[d as usize / 64] |= 1 << (d % 64);
            }
            bits
        };
        let mut ages = Vec::with_capacity(256);
        for age in 0..=u8::MAX {
            let docs = searcher.search(&*age_query(f, age), &DocSetCollector)?;
            let mut it = docs.into_iter().map(|a| a.doc_id);
            ages.push(bits_of(&mut || it.next()));
        }
        let mut terms = TermTable::new();
        for field in [f.territory, f.public, f.theme, f.name_key] {
            let inverted = segment.inverted_index(field)?;
            let mut sets = FieldTable::default();
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let mut postings = inverted
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
                let mut doc = postings.doc();
                let bits = bits_of(&mut || {
                    let d = doc;
                    doc = postings.advance();
                    (d != TERMINATED).then_some(d)
                });
                sets.insert(Box::from(stream.key()), bits);
            }
            terms.add_field(field, sets);
        }
        Ok(Some(FilterTable {
            segment: segment.segment_id(),
            max_doc: segment.max_doc(),
            words,
            ages,
            terms,
        }))
    }

    /// The documents whose `field` has the text term `key`, if this searcher is the table's
    /// and the field one of its own (filters, and name keys for the direct evaluation);
    /// `Some(None)` when no document has it.
    pub fn docs(&self, searcher: &Searcher, field: Field, key: &str) -> Option<Option<&[u64]>> {
        if !reads_only(searcher, self.segment) {
            return None;
        }
        Some(self.terms.get_in(field, key.as_bytes())?.map(|b| &b[..]))
    }

    /// The number of documents of the segment the table was computed on.
    pub fn max_doc(&self) -> u32 {
        self.max_doc
    }

    /// What `filters` keep, if this searcher is the one the table was computed on.
    pub fn keep(
        &self,
        searcher: &Searcher,
        f: &Fields,
        filters: &Filters,
        with_themes: bool,
    ) -> Option<Kept> {
        if !reads_only(searcher, self.segment) {
            return None;
        }
        let clauses = clauses(f, filters, with_themes);
        if clauses.is_empty() {
            return Some(Kept::All);
        }
        let mut kept = vec![u64::MAX; self.words];
        for clause in clauses {
            match clause {
                Clause::Age(age) => {
                    for (k, a) in kept.iter_mut().zip(self.ages[usize::from(age)].iter()) {
                        *k &= a;
                    }
                }
                Clause::AnyOf(terms) => {
                    let mut any = vec![0u64; self.words];
                    for term in &terms {
                        let set = self.terms.get(term)?;
                        for (a, s) in any.iter_mut().zip(set.into_iter().flatten()) {
                            *a |= s;
                        }
                    }
                    for (k, a) in kept.iter_mut().zip(&any) {
                        *k &= a;
                    }
                }
            }
        }
        Some(Kept::Only(kept.into()))
    }
}

fn has(bits: &[u64], doc: DocId) -> bool {
    bits.get(doc as usize / 64)
        .is_some_and(|w| w & (1 << (doc % 64)) != 0)
}
