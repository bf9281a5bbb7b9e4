//! Query building: a plan → the scoring query's tree. Per word, every field's exact and
//! stemmed form, the best field counting most; per slot, the best alternative; name bonuses.

use tantivy::query::Query;
use tantivy::schema::Field;

use super::analysis::{Alt, Plan, Slot};
use super::tree::Node;
use super::union::Combine;
use crate::search::analyzer;
use crate::search::ranking::{self, MAX_PREFIXES, NAME_BONUS, NAME_PREFIX_BONUS};
use crate::search::schema::Fields;
use crate::search::vocab::Vocabulary;

/// The fields a word is looked up in, exact form, with their weights.
fn exact_fields(f: &Fields) -> [(Field, f32); 3] {
    [
        (f.name_exact, ranking::NAME_EXACT),
        (f.kw_exact, ranking::KEYWORDS_EXACT),
        (f.body_exact, ranking::BODY_EXACT),
    ]
}

/// The fields a word's stem is looked up in, with their weights.
fn stem_fields(f: &Fields) -> [(Field, f32); 5] {
    [
        (f.name_stem, ranking::NAME_STEM),
        (f.kw_stem, ranking::KEYWORDS_STEM),
        (f.summary_stem, ranking::SUMMARY_STEM),
        (f.description, ranking::DESCRIPTION_STEM),
        (f.details_stem, ranking::DETAILS_STEM),
    ]
}

/// What building a query looks terms up in: the index's fields, its vocabulary and its
/// name keys.
#[derive(Clone, Copy)]
pub struct Lookup<'a> {
    pub fields: &'a Fields,
    pub vocab: &'a Vocabulary,
    /// Glued names and aliases of every scheme, sorted (for name completions).
    pub name_keys: &'a [String],
}

/// Every field a word or its stem is looked up in (those the impacts must cover).
pub fn scoring_fields(f: &Fields) -> Vec<Field> {
    let exact = exact_fields(f).map(|(field, _)| field);
    let stems = stem_fields(f).map(|(field, _)| field);
    exact.into_iter().chain(stems).collect()
}

fn boosted_term(field: Field, word: &str, factor: f32) -> Node {
    Node::Boost(Box::new(Node::Term(field, word.to_owned())), factor)
}

/// How much a stem match counts: less when stemming cut the word down to another word of
/// the index (see [`ranking::CONFLATED_STEM`]).
fn stem_factor(word: &str, stem: &str, vocab: &Vocabulary) -> f32 {
    if stem != word && word.len() >= stem.len() + 2 && vocab.contains(stem) {
        ranking::CONFLATED_STEM
    } else {
        1.0
    }
}

/// All the fields' queries of one folded word, the best field counting most.
fn word_query(l: &Lookup<'_>, word: &str) -> Node {
    let (f, vocab) = (l.fields, l.vocab);
    // Only the fields that have the term: a clause for a term a field lacks matches
    // nothing and would still cost its dictionary lookups.
    let mut parts = Vec::with_capacity(8);
    let present = vocab.word_fields(word);
    for (field, w) in exact_fields(f) {
        if present.has(field) {
            parts.push(boosted_term(field, word, w));
        }
    }
    if let Some(stem) = analyzer::stem(word) {
        let factor = stem_factor(word, &stem, vocab);
        let present = vocab.stem_fields(&stem);
        for (field, w) in stem_fields(f) {
            if present.has(field) {
                parts.push(boosted_term(field, &stem, w * factor));
            }
        }
    }
    if parts.is_empty() {
        return Node::Empty;
    }
    Node::Union(
        parts,
        Combine::Max {
            tie_breaker: ranking::FIELD_TIE_BREAKER,
        },
    )
}

fn alt_query(l: &Lookup<'_>, alt: &Alt) -> Node {
    match alt {
        Alt::Word(w) => word_query(l, w),
        Alt::Words(ws) => {
            let n = ws.len() as f32;
            let clauses = ws
                .iter()
                .map(|w| Node::Boost(Box::new(word_query(l, w)), 1.0 / n))
                .collect();
            Node::Union(clauses, Combine::Sum)
        }
    }
}

/// One slot's query: its best alternative counts.
fn slot_query(l: &Lookup<'_>, slot: &Slot) -> Node {
    let alts = slot
        .alts
        .iter()
        .map(|(alt, w)| Node::Boost(Box::new(alt_query(l, alt)), *w))
        .collect();
    Node::Union(alts, Combine::Max { tie_breaker: 0.0 })
}

/// The scoring part of the query, as tantivy's query (see [`scoring_tree`]).
pub fn scoring_query(l: &Lookup<'_>, plan: &Plan) -> Option<Box<dyn Query>> {
    scoring_tree(l, plan).map(|node| node.query())
}

/// The scoring part of the query: one clause per slot, the best alternative counting, and
/// bonuses for a query that is or starts a scheme's name. When a meaningful typed word
/// matched nothing, only schemes matching some meaningful word are kept.
pub fn scoring_tree(l: &Lookup<'_>, plan: &Plan) -> Option<Node> {
    let (f, name_keys) = (l.fields, l.name_keys);
    if plan.slots.is_empty() {
        return None;
    }
    // When a meaningful typed word matched nothing, a scheme must match a meaningful word
    // to be an answer (« aide pour mon chien » lists no scheme matching only « aide »):
    // those slots go in one required clause, which scores as their sum, as before.
    let required = plan.needs_meaningful_match();
    let meaningful = |s: &Slot| s.matched && !s.generic;
    let mut should: Vec<Node> = plan
        .slots
        .iter()
        .filter(|s| !required || !meaningful(s))
        .map(|slot| slot_query(l, slot))
        .collect();
    let must = required.then(|| {
        let must: Vec<Node> = plan
            .slots
            .iter()
            .filter(|s| meaningful(s))
            .map(|s| slot_query(l, s))
            .collect();
        Box::new(if must.is_empty() {
            Node::Empty
        } else {
            Node::Union(must, Combine::Sum)
        })
    });
    if !plan.name_key.is_empty() {
        let mut keys = vec![plan.name_key.clone()];
        if plan.full_key != plan.name_key {
            keys.push(plan.full_key.clone());
        }
        should.push(Node::Bonus {
            field: f.name_key,
            keys,
            score: NAME_BONUS,
        });
        if plan.typing && plan.name_key.len() >= 4 {
            let start = name_keys.partition_point(|k| k.as_str() < plan.name_key.as_str());
            for key in name_keys[start..]
                .iter()
                .take_while(|k| k.starts_with(&plan.name_key))
                .filter(|k| **k != plan.name_key)
                .take(MAX_PREFIXES)
            {
                should.push(Node::Bonus {
                    field: f.name_key,
                    keys: vec![key.clone()],
                    score: NAME_PREFIX_BONUS,
                });
            }
        }
    }
    Some(Node::Bool { should, must })
}
