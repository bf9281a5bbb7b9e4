//! The scoring tree evaluated straight on a small index: each node's matching documents in
//! order with their scores, read from the precomputed impacts and sets, without tantivy's
//! weights, scorers and collectors.
//!
//! On the shipped catalogue (81 schemes, one segment), building a search's weights and
//! scorers (a few dozen boxed objects per search, a `BooleanWeight` with its buffered union
//! at the top) and running the collectors over them was ≈ 15 % of a cache-proof
//! `/api/dispositifs` (`scripts/load/profile.sh`). Here each node gives its documents and
//! scores with the same `f32` operations in the same order as tantivy's objects would:
//! a boost multiplies the boost passed down (`BoostWeight`), a term scores
//! `weight × boost × tf factor` (`Bm25Weight`), a union adds its parts in their order
//! (`union::Dense`, tantivy's buffered union), a bonus scores `boost × score`
//! (`ConstScorer`), and a boolean node adds its required part, then its optional ones
//! (`RequiredOptionalScorer`). The engine's tests compare every judged query, under every
//! kind of filter and both orders, with tantivy's execution, scores bit for bit.

use tantivy::schema::Field;
use tantivy::{DocId, Score, Searcher};

use super::impacts::{boosted, Impacts};
use super::prefilter::FilterTable;
use super::tree::Node;
use super::union::Combine;

/// A node's matching documents in increasing order, with their scores.
enum Hits<'a> {
    /// A term's postings (document, tf factor), each scored `weight × factor`.
    Term(&'a [(DocId, Score)], Score),
    Listed(Vec<(DocId, Score)>),
}

impl Hits<'_> {
    fn none() -> Self {
        Hits::Listed(Vec::new())
    }

    fn is_empty(&self) -> bool {
        match self {
            Hits::Term(p, _) => p.is_empty(),
            Hits::Listed(l) => l.is_empty(),
        }
    }

    fn for_each(&self, mut f: impl FnMut(DocId, Score)) {
        match self {
            // As `Bm25Weight::score`: the boosted weight times the factor.
            Hits::Term(postings, weight) => {
                for &(doc, tf) in *postings {
                    f(doc, weight * tf);
                }
            }
            Hits::Listed(list) => {
                for &(doc, score) in list {
                    f(doc, score);
                }
            }
        }
    }

    fn into_vec(self) -> Vec<(DocId, Score)> {
        match self {
            Hits::Listed(list) => list,
            term => {
                let mut list = Vec::new();
                term.for_each(|d, s| list.push((d, s)));
                list
            }
        }
    }
}

/// Per document of the segment: best and summed scores of a union, and which were seen.
/// Left zeroed after each union.
struct Scratch {
    max: Vec<Score>,
    sum: Vec<Score>,
    seen: Vec<u64>,
}

/// The evaluation of scoring trees on the one small segment the impacts and sets hold.
pub struct Direct<'a> {
    searcher: &'a Searcher,
    impacts: &'a Impacts,
    sets: &'a FilterTable,
    scratch: Scratch,
}

impl<'a> Direct<'a> {
    pub fn new(searcher: &'a Searcher, impacts: &'a Impacts, sets: &'a FilterTable) -> Self {
        let n = sets.max_doc() as usize;
        Direct {
            searcher,
            impacts,
            sets,
            scratch: Scratch {
                max: vec![0.0; n],
                sum: vec![0.0; n],
                seen: vec![0; n.div_ceil(64)],
            },
        }
    }

    /// The documents `node` matches, in increasing order, with the scores tantivy's query of
    /// the same node gives them; `None` if the impacts or sets do not cover it (another
    /// searcher, a field they lack): tantivy's query then serves.
    pub fn matches(&mut self, node: &Node) -> Option<Vec<(DocId, Score)>> {
        Some(self.eval(node, 1.0)?.into_vec())
    }

    fn eval(&mut self, node: &Node, boost: Score) -> Option<Hits<'a>> {
        Some(match node {
            Node::Empty => Hits::none(),
            Node::Term(field, text) => match self.impacts.postings(self.searcher, *field, text)? {
                Some((postings, weight)) => Hits::Term(postings, boosted(weight, boost)),
                None => Hits::none(),
            },
            Node::Boost(inner, factor) => self.eval(inner, boost * factor)?,
            Node::Union(parts, combine) => {
                if let [one] = parts.as_slice() {
                    return self.eval(one, boost);
                }
                let mut hits = Vec::with_capacity(parts.len());
                for part in parts {
                    hits.push(self.eval(part, boost)?);
                }
                self.union(&hits, *combine)
            }
            Node::Bonus { field, keys, score } => self.bonus(*field, keys, boost * score)?,
            Node::Bool { should, must } => {
                let optional = match should.as_slice() {
                    [] => Hits::none(),
                    // A single optional part is its own scorer in tantivy's union.
                    [one] => self.eval(one, boost)?,
                    parts => {
                        let mut hits = Vec::with_capacity(parts.len());
                        for part in parts {
                            hits.push(self.eval(part, boost)?);
                        }
                        self.union(&hits, Combine::Sum)
                    }
                };
                match must {
                    None => optional,
                    Some(m) => {
                        let required = self.eval(m, boost)?;
                        if optional.is_empty() {
                            required
                        } else {
                            Hits::Listed(required_optional(required, optional))
                        }
                    }
                }
            }
        })
    }

    /// The parts' documents, scores combined per document in the parts' order.
    fn union(&mut self, parts: &[Hits<'_>], combine: Combine) -> Hits<'a> {
        let Scratch { max, sum, seen } = &mut self.scratch;
        for part in parts {
            part.for_each(|doc, score| {
                let d = doc as usize;
                max[d] = max[d].max(score);
                sum[d] += score;
                seen[d / 64] |= 1 << (d % 64);
            });
        }
        let mut out = Vec::new();
        for (word, bits) in seen.iter_mut().enumerate() {
            let mut b = std::mem::take(bits);
            while b != 0 {
                let d = word * 64 + b.trailing_zeros() as usize;
                b &= b - 1;
                out.push((
                    d as DocId,
                    match combine {
                        Combine::Max { tie_breaker } => max[d] + (sum[d] - max[d]) * tie_breaker,
                        Combine::Sum => sum[d],
                    },
                ));
                max[d] = 0.0;
                sum[d] = 0.0;
            }
        }
        Hits::Listed(out)
    }

    /// The documents having one of `keys` in `field`, each scored `score`.
    fn bonus(&mut self, field: Field, keys: &[String], score: Score) -> Option<Hits<'a>> {
        let seen = &mut self.scratch.seen;
        for key in keys {
            if let Some(bits) = self.sets.docs(self.searcher, field, key)? {
                for (s, b) in seen.iter_mut().zip(bits) {
                    *s |= b;
                }
            }
        }
        let mut out = Vec::new();
        for (word, bits) in seen.iter_mut().enumerate() {
            let mut b = std::mem::take(bits);
            while b != 0 {
                out.push(((word * 64) as DocId + b.trailing_zeros(), score));
                b &= b - 1;
            }
        }
        Some(Hits::Listed(out))
    }
}

/// The required part's documents, each scored its required score plus its optional one when
/// it has one (tantivy's `RequiredOptionalScorer` adds `0 + required + optional`; scores
/// are never `-0`, so `0 + required` is `required`).
fn required_optional(required: Hits<'_>, optional: Hits<'_>) -> Vec<(DocId, Score)> {
    let optional = optional.into_vec();
    let mut at = 0;
    let mut out = Vec::new();
    required.for_each(|doc, score| {
        while at < optional.len() && optional[at].0 < doc {
            at += 1;
        }
        let mut total = score;
        if let Some(&(d, s)) = optional.get(at) {
            if d == doc {
                total += s;
            }
        }
        out.push((doc, total));
    });
    out
}
