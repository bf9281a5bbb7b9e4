//! A disjunction that is cheap on small segments: « best of » (with a tie-breaker) or « sum
//! of » its parts, scored exactly as tantivy's `DisjunctionMaxQuery` and should-only
//! `BooleanQuery` score them.
//!
//! Tantivy unions their parts with a buffered union whose window is 4 096 documents: every
//! union built allocates, fills and moves 16 to 48 KB, whatever the segment's size. A search
//! builds one per word and per alternative (a few dozen), so on the shipped catalogue (81
//! schemes, one segment) those buffers were most of the work (measured with
//! `scripts/load/profile.sh /api/dispositifs`: `memmove` 12 % of the server's CPU, mostly from
//! `BufferedUnionScorer::build`). On a segment of at most [`DENSE_MAX_DOCS`] documents this
//! union instead reads every part to the end into one accumulator per document of the
//! segment; on a larger segment it is tantivy's own union, unchanged.

use std::sync::Arc;

use tantivy::query::{
    BooleanWeight, DisjunctionMaxCombiner, EnableScoring, Explanation, Occur, Query, Scorer,
    SumCombiner, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Segments up to this many documents get the dense union: tantivy's window is this size,
/// so the dense union never holds more than tantivy's would.
pub const DENSE_MAX_DOCS: u32 = 4096;

/// How the parts' scores of a document combine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Combine {
    /// The best part, plus `tie_breaker` times the others (`DisjunctionMaxQuery`).
    Max { tie_breaker: Score },
    /// The sum of the parts (a should-only `BooleanQuery`).
    Sum,
}

/// The query: documents matching at least one part.
#[derive(Debug)]
pub struct Union {
    parts: Vec<Box<dyn Query>>,
    combine: Combine,
}

impl Union {
    pub fn new(parts: Vec<Box<dyn Query>>, combine: Combine) -> Self {
        Self { parts, combine }
    }
}

impl Clone for Union {
    fn clone(&self) -> Self {
        Self {
            parts: self.parts.iter().map(|p| p.box_clone()).collect(),
            combine: self.combine,
        }
    }
}

impl Query for Union {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|p| p.weight(scoring).map(Arc::from))
            .collect::<tantivy::Result<Vec<Arc<dyn Weight>>>>()?;
        Ok(Box::new(UnionWeight {
            parts,
            combine: self.combine,
            scoring: scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for p in &self.parts {
            p.query_terms(visitor);
        }
    }
}

/// A part's weight, shared between the dense union and tantivy's.
struct Shared(Arc<dyn Weight>);

impl Weight for Shared {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct UnionWeight {
    parts: Vec<Arc<dyn Weight>>,
    combine: Combine,
    scoring: bool,
}

impl UnionWeight {
    /// Tantivy's union of the same parts, for large segments and explanations (built when
    /// asked: a small segment never needs it).
    fn tantivy(&self) -> Box<dyn Weight> {
        let shared = self
            .parts
            .iter()
            .map(|w| {
                (
                    Occur::Should,
                    Box::new(Shared(w.clone())) as Box<dyn Weight>,
                )
            })
            .collect::<Vec<_>>();
        match self.combine {
            Combine::Max { tie_breaker } => {
                Box::new(BooleanWeight::with_minimum_number_should_match(
                    shared,
                    1,
                    self.scoring,
                    Box::new(move || DisjunctionMaxCombiner::with_tie_breaker(tie_breaker)),
                ))
            }
            Combine::Sum => Box::new(BooleanWeight::with_minimum_number_should_match(
                shared,
                1,
                self.scoring,
                Box::new(SumCombiner::default),
            )),
        }
    }
}

impl Weight for UnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if reader.max_doc() > DENSE_MAX_DOCS {
            return self.tantivy().scorer(reader, boost);
        }
        if let [part] = self.parts.as_slice() {
            // One part: its score is the combined score, under either rule.
            return part.scorer(reader, boost);
        }
        let mut scorers = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            scorers.push(part.scorer(reader, boost)?);
        }
        Ok(Box::new(Dense::build(
            scorers,
            self.combine,
            reader.max_doc(),
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.tantivy().explain(reader, doc)
    }
}

/// The matching documents of a small segment, in order, with their combined scores.
struct Dense {
    docs: Vec<DocId>,
    scores: Vec<Score>,
    at: usize,
}

impl Dense {
    fn build(mut scorers: Vec<Box<dyn Scorer>>, combine: Combine, max_doc: u32) -> Self {
        let n = max_doc as usize;
        let mut max = vec![0.0 as Score; n];
        let mut sum = vec![0.0 as Score; n];
        let mut seen = vec![0u64; n.div_ceil(64)];
        // Each part in turn, so that a document's scores add up in the parts' order, as in
        // tantivy's union (same floating-point result).
        for scorer in &mut scorers {
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let d = doc as usize;
                let score = scorer.score();
                max[d] = max[d].max(score);
                sum[d] += score;
                seen[d / 64] |= 1 << (d % 64);
                doc = scorer.advance();
            }
        }
        let mut docs = Vec::new();
        let mut scores = Vec::new();
        for (word, bits) in seen.iter().enumerate() {
            let mut bits = *bits;
            while bits != 0 {
                let d = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                docs.push(d as DocId);
                scores.push(match combine {
                    Combine::Max { tie_breaker } => max[d] + (sum[d] - max[d]) * tie_breaker,
                    Combine::Sum => sum[d],
                });
            }
        }
        Self {
            docs,
            scores,
            at: 0,
        }
    }
}

impl DocSet for Dense {
    fn advance(&mut self) -> DocId {
        if self.at < self.docs.len() {
            self.at += 1;
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.docs[self.at..];
        self.at += rest.partition_point(|d| *d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at) as u32
    }
}

impl Scorer for Dense {
    fn score(&mut self) -> Score {
        self.scores.get(self.at).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// The dense union gives exactly the documents and scores tantivy's unions give, for
    /// « best of » with a tie-breaker and for « sum of », nested, on a small segment.
    #[test]
    fn scores_as_tantivy_unions_do() {
        let mut b = Schema::builder();
        let title = b.add_text_field("title", TEXT);
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = [
            "alpha",
            "beta",
            "gamma",
            "delta",
            "alpha beta",
            "beta gamma alpha",
        ];
        for i in 0..300 {
            let t = words[i % words.len()];
            let d = words[(i * 7 + 3) % words.len()];
            w.add_document(doc!(title => t, body => format!("{d} {t} {d}")))
                .unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |f, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let parts = |word: &str| -> Vec<Box<dyn Query>> {
            vec![
                Box::new(BoostQuery::new(term(title, word), 2.0)),
                Box::new(BoostQuery::new(term(body, word), 0.7)),
            ]
        };
        let ours: Box<dyn Query> = Box::new(Union::new(
            vec![
                Box::new(Union::new(
                    parts("alpha"),
                    Combine::Max { tie_breaker: 0.3 },
                )),
                Box::new(Union::new(parts("gamma"), Combine::Sum)),
            ],
            Combine::Sum,
        ));
        let theirs: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(DisjunctionMaxQuery::with_tie_breaker(parts("alpha"), 0.3)),
            ),
            (
                Occur::Should,
                Box::new(BooleanQuery::new(
                    parts("gamma")
                        .into_iter()
                        .map(|q| (Occur::Should, q))
                        .collect(),
                )),
            ),
        ]));
        let top = |q: &dyn Query| {
            searcher
                .search(q, &TopDocs::with_limit(400).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(s, a)| (a.doc_id, s))
                .collect::<Vec<_>>()
        };
        let (a, b) = (top(ours.as_ref()), top(theirs.as_ref()));
        assert!(a.len() > 100, "{}", a.len());
        assert_eq!(a.len(), b.len());
        let sorted = |mut v: Vec<(u32, f32)>| {
            v.sort_by_key(|x| x.0);
            v
        };
        for ((da, sa), (db, sb)) in sorted(a).into_iter().zip(sorted(b)) {
            assert_eq!(da, db);
            assert!((sa - sb).abs() < 1e-5, "doc {da}: {sa} vs {sb}");
        }
    }

    /// Seeking lands on the first document at or after the target, then terminates.
    #[test]
    fn dense_seeks_and_terminates() {
        let mut d = Dense {
            docs: vec![2, 5, 9],
            scores: vec![1.0, 2.0, 3.0],
            at: 0,
        };
        assert_eq!(d.doc(), 2);
        assert_eq!(d.seek(6), 9);
        assert_eq!(d.score(), 3.0);
        assert_eq!(d.advance(), TERMINATED);
        assert_eq!(d.advance(), TERMINATED);
        assert_eq!(d.seek(TERMINATED), TERMINATED);
    }
}
