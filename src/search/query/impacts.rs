//! Precomputed BM25 impacts of a small index: each term's documents with their term
//! frequency factor, and the term's idf weight, computed once when the engine is built.
//!
//! On the shipped catalogue (81 schemes, one segment), a search makes a few dozen term
//! clauses, and tantivy's `TermQuery` does for each, on every search, two dictionary
//! lookups, a 256-entry BM25 table, an explanation with formatted strings, a postings
//! block decoded into fresh buffers and a field-norm reader (measured with
//! `scripts/load/profile.sh /api/dispositifs`: ≈ 15 % of the server's CPU). None of it
//! depends on the search: here it is done once per term, and a clause becomes a hash lookup
//! and a walk over a slice. Scores are tantivy's to the bit: the same `f32` operations in
//! the same order (`weight × boost`, then `× tf / (tf + norm)`), checked term by term
//! against `TermQuery` in the tests. A larger or multi-segment index gets no impacts, and
//! every clause is tantivy's `TermQuery`, unchanged.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::small::{reads_only, small_segment, FieldTable, TermTable};

/// BM25's parameters, as tantivy sets them (`tantivy::query::bm25`, private there).
const K1: Score = 1.2;
const B: Score = 0.75;

/// One term of one field: where its postings are and its idf weight.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    end: u32,
    /// `idf × (1 + k1)`, the weight tantivy's `Bm25Weight` holds before any boost.
    weight: Score,
}

/// The impacts of every term of some fields of a one-segment index.
#[derive(Debug)]
pub struct Impacts {
    segment: SegmentId,
    terms: TermTable<Entry>,
    /// Every posting: document and `tf / (tf + norm)`, grouped by term.
    postings: Vec<(DocId, Score)>,
}

/// tantivy's `idf` (`tantivy::query::bm25`, private there).
fn idf(doc_freq: u64, doc_count: u64) -> Score {
    let x = ((doc_count - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

/// tantivy's table of `k1 × (1 − b + b × length / average length)` per field-norm id.
fn norm_table(average_fieldnorm: Score) -> [Score; 256] {
    let mut table = [0.0; 256];
    for (id, norm) in table.iter_mut().enumerate() {
        let fieldnorm = FieldNormReader::id_to_fieldnorm(id as u8);
        *norm = K1 * (1.0 - B + B * fieldnorm as Score / average_fieldnorm);
    }
    table
}

impl Impacts {
    /// The impacts of `fields`, if the searcher has one segment, small enough for the dense
    /// union and without deletions; otherwise none (tantivy's term queries then serve).
    pub fn build(searcher: &Searcher, fields: &[Field]) -> tantivy::Result<Option<Impacts>> {
        let Some(segment) = small_segment(searcher) else {
            return Ok(None);
        };
        let total_docs = searcher.total_num_docs()?;
        let mut postings = Vec::new();
        let mut table = TermTable::new();
        for &field in fields {
            let average = searcher.total_num_tokens(field)? as Score / total_docs as Score;
            let norms = norm_table(average);
            let fieldnorms = segment
                .fieldnorms_readers()
                .get_field(field)?
                .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1));
            let inverted = segment.inverted_index(field)?;
            let mut terms = FieldTable::default();
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let info = stream.value();
                let mut docs =
                    inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                let start = postings.len() as u32;
                let mut doc = docs.doc();
                while doc != TERMINATED {
                    let tf = docs.term_freq() as Score;
                    let norm = norms[fieldnorms.fieldnorm_id(doc) as usize];
                    postings.push((doc, tf / (tf + norm)));
                    doc = docs.advance();
                }
                let weight = idf(u64::from(info.doc_freq), total_docs) * (1.0 + K1);
                terms.insert(
                    Box::from(stream.key()),
                    Entry {
                        start,
                        end: postings.len() as u32,
                        weight,
                    },
                );
            }
            table.add_field(field, terms);
        }
        postings.shrink_to_fit();
        Ok(Some(Impacts {
            segment: segment.segment_id(),
            terms: table,
            postings,
        }))
    }

    /// The entry of `term`, if this searcher is the one the impacts were computed on and
    /// the term's field is one of theirs; `Some(None)` when the field is theirs but has not
    /// the term.
    fn entry(&self, searcher: &Searcher, term: &Term) -> Option<Option<Entry>> {
        if !reads_only(searcher, self.segment) {
            return None;
        }
        Some(self.terms.get(term)?.copied())
    }
}

/// A term's postings (document, `tf / (tf + norm)`) and its weight before any boost.
pub(super) type TermImpacts<'a> = (&'a [(DocId, Score)], Score);

impl Impacts {
    /// A text term's postings (document, `tf / (tf + norm)`) and its weight before any
    /// boost, if this searcher is the impacts' and covers the field; `Some(None)` when the
    /// field has not the term.
    pub(super) fn postings(
        &self,
        searcher: &Searcher,
        field: Field,
        text: &str,
    ) -> Option<Option<TermImpacts<'_>>> {
        if !reads_only(searcher, self.segment) {
            return None;
        }
        let entry = self.terms.get_in(field, text.as_bytes())?;
        Some(entry.map(|e| (&self.postings[e.start as usize..e.end as usize], e.weight)))
    }
}

/// A term in a field, scored by BM25 exactly as tantivy's `TermQuery` (with frequencies)
/// scores it, from the impacts when they cover it.
#[derive(Debug, Clone)]
pub struct FieldTerm {
    term: Term,
    impacts: Option<Arc<Impacts>>,
}

impl FieldTerm {
    pub fn new(field: Field, text: &str, impacts: Option<&Arc<Impacts>>) -> Self {
        Self {
            term: Term::from_field_text(field, text),
            impacts: impacts.cloned(),
        }
    }

    fn tantivy(&self) -> TermQuery {
        TermQuery::new(self.term.clone(), IndexRecordOption::WithFreqs)
    }
}

impl Query for FieldTerm {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let found = match (&self.impacts, scoring.searcher()) {
            (Some(impacts), Some(searcher)) => impacts.entry(searcher, &self.term),
            _ => None,
        };
        match found {
            Some(Some(entry)) => Ok(Box::new(ImpactWeight {
                impacts: self.impacts.clone().expect("impacts were looked up"),
                entry,
                term: self.term.clone(),
            })),
            Some(None) => Ok(Box::new(NoMatch)),
            None => self.tantivy().weight(scoring),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

/// A term the index does not have: no document.
struct NoMatch;

impl Weight for NoMatch {
    fn scorer(&self, _: &SegmentReader, _: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(EmptyScorer))
    }

    fn explain(&self, _: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        Err(tantivy::TantivyError::InvalidArgument(format!(
            "le document {doc} ne correspond pas"
        )))
    }
}

struct ImpactWeight {
    impacts: Arc<Impacts>,
    entry: Entry,
    term: Term,
}

impl Weight for ImpactWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if reader.segment_id() != self.impacts.segment {
            return Err(tantivy::TantivyError::InternalError(format!(
                "impacts de {:?} demandés pour un autre segment",
                self.term
            )));
        }
        Ok(Box::new(ImpactScorer {
            impacts: self.impacts.clone(),
            at: self.entry.start as usize,
            end: self.entry.end as usize,
            // As `Bm25Weight::boost_by`: the weight times the boost.
            weight: if boost == 1.0 {
                self.entry.weight
            } else {
                self.entry.weight * boost
            },
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "le document {doc} ne correspond pas"
            )));
        }
        Ok(Explanation::new(
            "BM25 (impacts précalculés)",
            scorer.score(),
        ))
    }
}

/// One term's documents in order, each scored `weight × tf factor`.
struct ImpactScorer {
    impacts: Arc<Impacts>,
    at: usize,
    end: usize,
    weight: Score,
}

impl DocSet for ImpactScorer {
    fn advance(&mut self) -> DocId {
        if self.at < self.end {
            self.at += 1;
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.impacts.postings[self.at..self.end];
        self.at += rest.partition_point(|(d, _)| *d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        if self.at < self.end {
            self.impacts.postings[self.at].0
        } else {
            TERMINATED
        }
    }

    fn size_hint(&self) -> u32 {
        (self.end - self.at) as u32
    }
}

impl Scorer for ImpactScorer {
    fn score(&mut self) -> Score {
        match self.impacts.postings.get(self.at) {
            Some((_, tf)) if self.at < self.end => self.weight * tf,
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::BoostQuery;
    use tantivy::schema::{Schema, STRING, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    fn small_index() -> (Index, Field, Field) {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let tag = b.add_text_field("tag", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer(15_000_000).unwrap();
        let texts = [
            "aide au permis de conduire pour les jeunes",
            "permis permis permis moto",
            "partir en vacances avec des amis, une aide au départ",
            "service civique : une mission de six à douze mois pour les jeunes",
            "",
            "jeunes jeunes aide",
        ];
        for (i, t) in texts.iter().enumerate() {
            w.add_document(doc!(body => *t, tag => format!("t{}", i % 2)))
                .unwrap();
        }
        w.commit().unwrap();
        (index, body, tag)
    }

    /// Every term of the field, under several boosts: the same documents with the same
    /// scores, bit for bit, as tantivy's `TermQuery`.
    #[test]
    fn every_term_scores_as_tantivys_term_query() {
        let (index, body, tag) = small_index();
        let searcher = index.reader().unwrap().searcher();
        let impacts = Arc::new(Impacts::build(&searcher, &[body, tag]).unwrap().unwrap());
        let mut checked = 0;
        for field in [body, tag] {
            let segment = &searcher.segment_readers()[0];
            let inverted = segment.inverted_index(field).unwrap();
            let mut stream = inverted.terms().stream().unwrap();
            while stream.advance() {
                let text = std::str::from_utf8(stream.key()).unwrap().to_owned();
                for boost in [1.0, 0.37, 2.5] {
                    let ours = BoostQuery::new(
                        Box::new(FieldTerm::new(field, &text, Some(&impacts))),
                        boost,
                    );
                    let theirs = BoostQuery::new(
                        Box::new(FieldTerm::new(field, &text, None).tantivy()),
                        boost,
                    );
                    let top = TopDocs::with_limit(10).order_by_score();
                    let a = searcher.search(&ours, &top).unwrap();
                    let b = searcher.search(&theirs, &top).unwrap();
                    assert!(!a.is_empty(), "{text}");
                    assert_eq!(a.len(), b.len(), "{text}");
                    for ((sa, da), (sb, db)) in a.iter().zip(&b) {
                        assert_eq!(da, db, "{text}");
                        assert_eq!(sa.to_bits(), sb.to_bits(), "{text} × {boost}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "{checked}");
    }

    /// A missing term matches nothing; a field without impacts and a searcher of another
    /// index go to tantivy's term query; a seek lands on the next document.
    #[test]
    fn missing_terms_other_fields_and_other_searchers() {
        let (index, body, tag) = small_index();
        let searcher = index.reader().unwrap().searcher();
        let impacts = Arc::new(Impacts::build(&searcher, &[body]).unwrap().unwrap());
        let count = |s: &Searcher, q: &dyn Query| s.search(q, &tantivy::collector::Count).unwrap();
        assert_eq!(
            count(&searcher, &FieldTerm::new(body, "absent", Some(&impacts))),
            0
        );
        assert_eq!(
            count(&searcher, &FieldTerm::new(tag, "t1", Some(&impacts))),
            3
        );
        let (other, other_body, _) = small_index();
        let other = other.reader().unwrap().searcher();
        assert_eq!(
            count(
                &other,
                &FieldTerm::new(other_body, "jeunes", Some(&impacts))
            ),
            3
        );
        let weight = FieldTerm::new(body, "aide", Some(&impacts))
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let segment = &searcher.segment_readers()[0];
        let mut scorer = weight.scorer(segment, 1.0).unwrap();
        assert_eq!(scorer.doc(), 0);
        assert_eq!(scorer.seek(1), 2);
        assert_eq!(scorer.advance(), 5);
        assert_eq!(scorer.advance(), TERMINATED);
        assert_eq!(scorer.score(), 0.0);
        assert!(weight.scorer(&other.segment_readers()[0], 1.0).is_err());
    }
}
