//! Precomputed BM25 impacts of a small index: each term's documents with their term
//! frequency factor, and the term's idf weight, computed once when the engine is built.
//!
//! On the shipped catalogue (81 schemes, one segment), a search makes a few dozen term
//! clauses, and tantivy's `TermQuery` does for each, on every search, two dictionary
//! lookups, a 256-entry BM25 table, an explanation with formatted strings, a postings
//! block decoded into fresh buffers and a field-norm reader (measured with
//! `scripts/load/profile.sh /api/dispositifs`: ≈ 15 % of the server's CPU). None of it
//! depends on the search: here it is done once per term, and the direct evaluation
//! (`direct`) reads a term as a hash lookup and a walk over a slice. Scores are tantivy's to
//! the bit: the same `f32` operations in the same order ([`boosted`], then
//! `× tf / (tf + norm)`), checked term by term against `TermQuery` in the tests. A larger
//! or multi-segment index gets no impacts, and every clause is tantivy's `TermQuery`.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, TERMINATED};

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

/// A term's postings (document, `tf / (tf + norm)`) and its weight before any boost.
pub(super) type TermImpacts<'a> = (&'a [(DocId, Score)], Score);

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

/// A term weight times a boost, as tantivy's `Bm25Weight::boost_by` makes it.
pub(super) fn boosted(weight: Score, boost: Score) -> Score {
    if boost == 1.0 {
        weight
    } else {
        weight * boost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BoostQuery, TermQuery};
    use tantivy::schema::{Schema, STRING, TEXT};
    use tantivy::Term;
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

    /// The documents of a term's postings, scored `boosted(weight, boost) × factor` as the
    /// direct evaluation scores them.
    fn ours(
        impacts: &Impacts,
        searcher: &Searcher,
        field: Field,
        text: &str,
        boost: Score,
    ) -> Vec<(DocId, Score)> {
        let (postings, weight) = impacts
            .postings(searcher, field, text)
            .expect("the impacts' searcher and field")
            .expect("a term of the field");
        let weight = boosted(weight, boost);
        postings
            .iter()
            .map(|&(doc, tf)| (doc, weight * tf))
            .collect()
    }

    /// Every term of the fields, under several boosts: the same documents with the same
    /// scores, bit for bit, as tantivy's `TermQuery` (with frequencies).
    #[test]
    fn every_term_scores_as_tantivys_term_query() {
        let (index, body, tag) = small_index();
        let searcher = index.reader().unwrap().searcher();
        let impacts = Impacts::build(&searcher, &[body, tag]).unwrap().unwrap();
        let mut checked = 0;
        for field in [body, tag] {
            let segment = &searcher.segment_readers()[0];
            let inverted = segment.inverted_index(field).unwrap();
            let mut stream = inverted.terms().stream().unwrap();
            while stream.advance() {
                let text = std::str::from_utf8(stream.key()).unwrap().to_owned();
                for boost in [1.0, 0.37, 2.5] {
                    let a = ours(&impacts, &searcher, field, &text, boost);
                    let theirs = BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, &text),
                            IndexRecordOption::WithFreqs,
                        )),
                        boost,
                    );
                    let top = TopDocs::with_limit(10).order_by_score();
                    let mut b: Vec<(DocId, Score)> = searcher
                        .search(&theirs, &top)
                        .unwrap()
                        .into_iter()
                        .map(|(s, d)| (d.doc_id, s))
                        .collect();
                    b.sort_by_key(|(d, _)| *d);
                    assert!(!a.is_empty(), "{text}");
                    assert_eq!(a.len(), b.len(), "{text}");
                    for ((da, sa), (db, sb)) in a.iter().zip(&b) {
                        assert_eq!(da, db, "{text}");
                        assert_eq!(sa.to_bits(), sb.to_bits(), "{text} × {boost}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "{checked}");
    }

    /// A missing term has no postings; a field without impacts and a searcher of another
    /// index get none (tantivy's queries then serve); a term's documents are in order.
    #[test]
    fn missing_terms_other_fields_and_other_searchers() {
        let (index, body, tag) = small_index();
        let searcher = index.reader().unwrap().searcher();
        let impacts = Impacts::build(&searcher, &[body]).unwrap().unwrap();
        assert!(matches!(
            impacts.postings(&searcher, body, "absent"),
            Some(None)
        ));
        assert!(impacts.postings(&searcher, tag, "t1").is_none());
        let (other, other_body, _) = small_index();
        let other = other.reader().unwrap().searcher();
        assert!(impacts.postings(&other, other_body, "jeunes").is_none());
        let docs: Vec<DocId> = ours(&impacts, &searcher, body, "aide", 1.0)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(docs, [0, 2, 5]);
    }
}
