//! The filters of a small index as sets of documents computed once: per age, the schemes
//! whose bounds admit it, and per commune, EPCI, audience or theme term, the schemes that
//! have it (and per name key, for the name bonuses that `direct` evaluates).
//!
//! On the shipped catalogue (81 schemes, one segment) tantivy answered each filter of each
//! search with range queries over the age columns and term queries wrapped in constant
//! scores, ≈ 8 % of a cache-proof `/api/dispositifs` (`scripts/load/profile.sh`). Here a
//! search's filters become a few ANDs and ORs of bit sets, and the scoring query is read
//! only on the documents they keep. The sets are computed by tantivy's own queries, so they
//! keep exactly the documents those would; a larger or multi-segment index keeps tantivy's
//! filters.

use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, ConstScoreQuery, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

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

/// The scoring query (or every scheme) on the documents `kept` only; same scores.
pub fn filtered(scoring: Option<&dyn Query>, kept: Kept) -> Box<dyn Query> {
    match (scoring, kept) {
        (Some(q), Kept::All) => q.box_clone(),
        (None, Kept::All) => Box::new(AllQuery),
        (Some(q), Kept::Only(bits)) => Box::new(Filtered {
            base: q.box_clone(),
            bits,
        }),
        // Tantivy's filter query drops « every document » from its required clauses and
        // scores the filtered list 0: so does this one.
        (None, Kept::Only(bits)) => Box::new(Filtered {
            base: Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
            bits,
        }),
    }
}

#[derive(Debug)]
struct Filtered {
    base: Box<dyn Query>,
    bits: Arc<[u64]>,
}

impl Clone for Filtered {
    fn clone(&self) -> Self {
        Filtered {
            base: self.base.box_clone(),
            bits: self.bits.clone(),
        }
    }
}

impl Query for Filtered {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(FilteredWeight {
            base: self.base.weight(scoring)?,
            bits: self.bits.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.base.query_terms(visitor);
    }
}

struct FilteredWeight {
    base: Box<dyn Weight>,
    bits: Arc<[u64]>,
}

impl Weight for FilteredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorer = FilteredScorer {
            inner: self.base.scorer(reader, boost)?,
            bits: self.bits.clone(),
        };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if !has(&self.bits, doc) {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "le document {doc} est écarté par les filtres"
            )));
        }
        self.base.explain(reader, doc)
    }
}

fn has(bits: &[u64], doc: DocId) -> bool {
    bits.get(doc as usize / 64)
        .is_some_and(|w| w & (1 << (doc % 64)) != 0)
}

/// The base scorer's documents that the filters keep, with the base's scores.
struct FilteredScorer {
    inner: Box<dyn Scorer>,
    bits: Arc<[u64]>,
}

impl FilteredScorer {
    /// Moves on to the first kept document from the current one.
    fn settle(&mut self) -> DocId {
        let mut doc = self.inner.doc();
        while doc != TERMINATED && !has(&self.bits, doc) {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for FilteredScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for FilteredScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
