//! The scoring query as a small tree, made by `build` from a plan: it becomes tantivy's query
//! (any index) or is evaluated straight on a small index (`direct`), one structure for both.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Score, Term};

use super::union::{Combine, Union};

/// One node of the scoring query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Nothing matches.
    Empty,
    /// A term of a field, scored by BM25 with its frequencies (tantivy's `TermQuery`).
    Term(Field, String),
    /// The part with its scores times a factor (`BoostQuery`).
    Boost(Box<Node>, Score),
    /// The documents matching any part, their scores combined (`union::Union`).
    Union(Vec<Node>, Combine),
    /// The documents whose `field` has one of `keys`, each scored `score`
    /// (`ConstScoreQuery` over term queries without frequencies).
    Bonus {
        field: Field,
        keys: Vec<String>,
        score: Score,
    },
    /// Documents matching `must` (when given) or else any `should` part; scored as the sum
    /// of the parts they match, `must` first (tantivy's `BooleanQuery`).
    Bool {
        should: Vec<Node>,
        must: Option<Box<Node>>,
    },
}

impl Node {
    /// The node as tantivy's query.
    pub fn query(&self) -> Box<dyn Query> {
        match self {
            Node::Empty => Box::new(EmptyQuery),
            Node::Term(field, text) => Box::new(TermQuery::new(
                Term::from_field_text(*field, text),
                IndexRecordOption::WithFreqs,
            )),
            Node::Boost(inner, factor) => Box::new(BoostQuery::new(inner.query(), *factor)),
            Node::Union(parts, combine) => Box::new(Union::new(
                parts.iter().map(|p| p.query()).collect(),
                *combine,
            )),
            Node::Bonus { field, keys, score } => {
                let term = |k: &String| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(*field, k),
                        IndexRecordOption::Basic,
                    ))
                };
                let docs: Box<dyn Query> = match keys.as_slice() {
                    [one] => term(one),
                    _ => Box::new(DisjunctionMaxQuery::new(keys.iter().map(term).collect())),
                };
                Box::new(ConstScoreQuery::new(docs, *score))
            }
            Node::Bool { should, must } => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    should.iter().map(|p| (Occur::Should, p.query())).collect();
                if let Some(m) = must {
                    clauses.push((Occur::Must, m.query()));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        }
    }
}
