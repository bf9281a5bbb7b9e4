//! Query building: a plan → the scoring query. Per word, every field's exact and stemmed
//! form, the best field counting most; per slot, the best alternative; name bonuses.

use std::sync::Arc;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::analysis::{Alt, Plan, Slot};
use super::impacts::{FieldTerm, Impacts};
use super::union::{Combine, Union};
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

/// What building a query looks terms up in: the index's fields, its vocabulary, its
/// precomputed impacts (small indexes only) and its name keys.
#[derive(Clone, Copy)]
pub struct Lookup<'a> {
    pub fields: &'a Fields,
    pub vocab: &'a Vocabulary,
    pub impacts: Option<&'a Arc<Impacts>>,
    /// Glued names and aliases of every scheme, sorted (for name completions).
    pub name_keys: &'a [String],
}

/// Every field a word or its stem is looked up in (those the impacts must cover).
pub fn scoring_fields(f: &Fields) -> Vec<Field> {
    let exact = exact_fields(f).map(|(field, _)| field);
    let stems = stem_fields(f).map(|(field, _)| field);
    exact.into_iter().chain(stems).collect()
}

fn term_query(l: &Lookup<'_>, field: Field, word: &str) -> Box<dyn Query> {
    Box::new(FieldTerm::new(field, word, l.impacts))
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
fn word_query(l: &Lookup<'_>, word: &str) -> Box<dyn Query> {
    let (f, vocab) = (l.fields, l.vocab);
    // Only the fields that have the term: a clause for a term a field lacks matches
    // nothing and would still cost its dictionary lookups.
    let mut parts: Vec<Box<dyn Query>> = Vec::new();
    let present = vocab.word_fields(word);
    for (field, w) in exact_fields(f) {
        if present.has(field) {
            parts.push(Box::new(BoostQuery::new(term_query(l, field, word), w)));
        }
    }
    if let Some(stem) = analyzer::stem(word) {
        let factor = stem_factor(word, &stem, vocab);
        let present = vocab.stem_fields(&stem);
        for (field, w) in stem_fields(f) {
            if present.has(field) {
                parts.push(Box::new(BoostQuery::new(
                    term_query(l, field, &stem),
                    w * factor,
                )));
            }
        }
    }
    if parts.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(Union::new(
        parts,
        Combine::Max {
            tie_breaker: ranking::FIELD_TIE_BREAKER,
        },
    ))
}

fn alt_query(l: &Lookup<'_>, alt: &Alt) -> Box<dyn Query> {
    match alt {
        Alt::Word(w) => word_query(l, w),
        Alt::Words(ws) => {
            let n = ws.len() as f32;
            let clauses = ws
                .iter()
                .map(|w| Box::new(BoostQuery::new(word_query(l, w), 1.0 / n)) as Box<dyn Query>)
                .collect();
            Box::new(Union::new(clauses, Combine::Sum))
        }
    }
}

/// One slot's query: its best alternative counts.
fn slot_query(l: &Lookup<'_>, slot: &Slot) -> Box<dyn Query> {
    let alts: Vec<Box<dyn Query>> = slot
        .alts
        .iter()
        .map(|(alt, w)| Box::new(BoostQuery::new(alt_query(l, alt), *w)) as Box<dyn Query>)
        .collect();
    Box::new(Union::new(alts, Combine::Max { tie_breaker: 0.0 }))
}

/// The scoring part of the query: one clause per slot, the best alternative counting, and
/// bonuses for a query that is or starts a scheme's name. When a meaningful typed word
/// matched nothing, only schemes matching some meaningful word are kept.
pub fn scoring_query(l: &Lookup<'_>, plan: &Plan) -> Option<Box<dyn Query>> {
    let (f, name_keys) = (l.fields, l.name_keys);
    if plan.slots.is_empty() {
        return None;
    }
    // When a meaningful typed word matched nothing, a scheme must match a meaningful word
    // to be an answer (« aide pour mon chien » lists no scheme matching only « aide »):
    // those slots go in one required clause, which scores as their sum, as before.
    let required = plan.needs_meaningful_match();
    let meaningful = |s: &Slot| s.matched && !s.generic;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = plan
        .slots
        .iter()
        .filter(|s| !required || !meaningful(s))
        .map(|slot| (Occur::Should, slot_query(l, slot)))
        .collect();
    if required {
        let must: Vec<Box<dyn Query>> = plan
            .slots
            .iter()
            .filter(|s| meaningful(s))
            .map(|s| slot_query(l, s))
            .collect();
        let must: Box<dyn Query> = if must.is_empty() {
            Box::new(EmptyQuery)
        } else {
            Box::new(Union::new(must, Combine::Sum))
        };
        clauses.push((Occur::Must, must));
    }
    if !plan.name_key.is_empty() {
        let mut keys = vec![plan.name_key.as_str()];
        if plan.full_key != plan.name_key {
            keys.push(plan.full_key.as_str());
        }
        let exact: Vec<Box<dyn Query>> = keys
            .into_iter()
            .map(|k| {
                Box::new(TermQuery::new(
                    Term::from_field_text(f.name_key, k),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(
                Box::new(DisjunctionMaxQuery::new(exact)),
                NAME_BONUS,
            )),
        ));
        if plan.typing && plan.name_key.len() >= 4 {
            let start = name_keys.partition_point(|k| k.as_str() < plan.name_key.as_str());
            for key in name_keys[start..]
                .iter()
                .take_while(|k| k.starts_with(&plan.name_key))
                .filter(|k| **k != plan.name_key)
                .take(MAX_PREFIXES)
            {
                let t = Term::from_field_text(f.name_key, key);
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
                        NAME_PREFIX_BONUS,
                    )),
                ));
            }
        }
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}
