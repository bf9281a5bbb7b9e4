//! From what a visitor typed to a tantivy query, built in code (never through a query
//! syntax): per word, exact above stemmed above typo; prefixes for the word being typed;
//! glued and split words; synonyms; filters that do not move scores.

use std::collections::BTreeMap;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::Term;

use super::analyzer::{self, is_stop_word};
use super::schema::Fields;
use super::vocab::Vocabulary;
use crate::synonyms::Synonyms;
use crate::text;

/// Weights of the fields for one word: name above keywords above summary above description,
/// and within each, the folded (exact) form above the stemmed one.
const EXACT_WEIGHTS: [(FieldKind, f32); 3] = [
    (FieldKind::NameExact, 10.0),
    (FieldKind::KwExact, 5.0),
    (FieldKind::BodyExact, 1.2),
];
const STEM_WEIGHTS: [(FieldKind, f32); 5] = [
    (FieldKind::NameStem, 7.0),
    (FieldKind::KwStem, 3.5),
    (FieldKind::SummaryStem, 2.0),
    (FieldKind::Description, 0.8),
    (FieldKind::DetailsStem, 0.8),
];
/// Tier weights of the alternatives of one word.
const EXACT: f32 = 1.0;
const SPLIT: f32 = 0.9;
const SYNONYM: f32 = 0.8;
const PREFIX_UNKNOWN: f32 = 0.6;
const PREFIX_KNOWN: f32 = 0.3;
const TYPO_1: f32 = 0.45;
const TYPO_2: f32 = 0.3;
/// Bonus for a query that is a scheme's whole name, glued (« sac ados » = « sacados »).
const NAME_BONUS: f32 = 60.0;
/// Bonus for a query that starts a scheme's name (as you type).
const NAME_PREFIX_BONUS: f32 = 25.0;

const MAX_PREFIXES: usize = 8;
const MAX_CORRECTIONS: usize = 6;
/// Only the first words of a very long query are searched.
pub const MAX_WORDS: usize = 16;

#[derive(Clone, Copy)]
enum FieldKind {
    NameExact,
    KwExact,
    BodyExact,
    NameStem,
    KwStem,
    SummaryStem,
    Description,
    DetailsStem,
}

impl FieldKind {
    fn field(self, f: &Fields) -> Field {
        match self {
            FieldKind::NameExact => f.name_exact,
            FieldKind::KwExact => f.kw_exact,
            FieldKind::BodyExact => f.body_exact,
            FieldKind::NameStem => f.name_stem,
            FieldKind::KwStem => f.kw_stem,
            FieldKind::SummaryStem => f.summary_stem,
            FieldKind::Description => f.description,
            FieldKind::DetailsStem => f.details_stem,
        }
    }
}

/// One way to match a query word: a word, or several words that must share the score.
#[derive(Debug, Clone, PartialEq)]
pub enum Alt {
    Word(String),
    Words(Vec<String>),
}

/// A query word (or glued pair) and its weighted alternatives.
#[derive(Debug, Clone)]
pub struct Slot {
    pub typed: String,
    pub alts: Vec<(Alt, f32)>,
    /// The closest known word when `typed` is unknown (for « Vouliez-vous dire »).
    pub correction: Option<String>,
}

/// The analysed user query.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub slots: Vec<Slot>,
    /// Content words glued (« sacados »), for the whole-name bonus.
    pub name_key: String,
    /// All words glued, stop words included (« promeneursdunet »).
    pub full_key: String,
    /// Whether the last word is still being typed (no space after it).
    pub typing: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Every word the plan may match, with its tier weight (for snippets).
    pub fn words(&self) -> impl Iterator<Item = (&str, f32)> {
        self.slots.iter().flat_map(|s| {
            s.alts.iter().flat_map(|(alt, w)| {
                let words: Vec<&str> = match alt {
                    Alt::Word(x) => vec![x.as_str()],
                    Alt::Words(xs) => xs.iter().map(String::as_str).collect(),
                };
                words.into_iter().map(move |x| (x, *w))
            })
        })
    }

    /// The query with unknown words replaced by their closest known word, if any changed.
    pub fn corrected(&self) -> Option<String> {
        if self.slots.iter().all(|s| s.correction.is_none()) {
            return None;
        }
        Some(
            self.slots
                .iter()
                .filter(|s| !s.typed.is_empty())
                .map(|s| s.correction.as_deref().unwrap_or(&s.typed))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

fn push_alt(alts: &mut Vec<(Alt, f32)>, alt: Alt, weight: f32) {
    match alts.iter_mut().find(|(a, _)| *a == alt) {
        Some((_, w)) => *w = w.max(weight),
        None => alts.push((alt, weight)),
    }
}

fn known(vocab: &Vocabulary, word: &str) -> bool {
    vocab.contains(word) || analyzer::stem(word).is_some_and(|s| vocab.has_stem(&s))
}

/// Analyses `input` against the index vocabulary and the synonyms.
pub fn plan(input: &str, vocab: &Vocabulary, synonyms: &Synonyms) -> Plan {
    let normalized = text::normalize(input);
    let typing = normalized.chars().last().is_some_and(char::is_alphanumeric);
    let all: Vec<String> = text::words(&normalized)
        .into_iter()
        .filter(|w| analyzer::is_indexable(w))
        .take(MAX_WORDS)
        .collect();
    let content: Vec<String> = {
        let c: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
        if c.is_empty() {
            // A query made only of short words (« ma », « la ») still searches them.
            all.iter()
                .filter(|w| w.chars().count() > 1)
                .cloned()
                .collect()
        } else {
            c
        }
    };
    let mut slots = Vec::new();
    let last = content.len().saturating_sub(1);
    for (i, w) in content.iter().enumerate() {
        let being_typed = typing && i == last && all.last() == Some(w);
        let mut alts = Vec::new();
        let mut correction = None;
        let is_known = known(vocab, w);
        push_alt(&mut alts, Alt::Word(w.clone()), EXACT);
        let syns = synonyms.get(w);
        for s in syns {
            let words: Vec<String> = s
                .split(' ')
                .filter(|x| !is_stop_word(x))
                .map(str::to_owned)
                .collect();
            match words.len() {
                0 => {}
                1 => push_alt(&mut alts, Alt::Word(words[0].clone()), SYNONYM),
                _ => push_alt(&mut alts, Alt::Words(words), SYNONYM),
            }
        }
        if !is_known && syns.is_empty() {
            if let Some(mut parts) = vocab.split(w) {
                let alt = if parts.len() == 1 {
                    Alt::Word(parts.remove(0))
                } else {
                    Alt::Words(parts)
                };
                push_alt(&mut alts, alt, SPLIT);
            }
            let corrections = vocab.corrections(w, MAX_CORRECTIONS);
            correction = corrections.first().map(|(c, _)| c.clone());
            for (c, d) in corrections {
                push_alt(
                    &mut alts,
                    Alt::Word(c),
                    if d <= 1 { TYPO_1 } else { TYPO_2 },
                );
            }
        }
        let min_prefix = if being_typed { 2 } else { 3 };
        if w.chars().count() >= min_prefix && (being_typed || !is_known) {
            let weight = if is_known {
                PREFIX_KNOWN
            } else {
                PREFIX_UNKNOWN
            };
            for c in vocab.completions(w, MAX_PREFIXES) {
                push_alt(&mut alts, Alt::Word(c), weight);
            }
        }
        slots.push(Slot {
            typed: w.clone(),
            alts,
            correction: if is_known { None } else { correction },
        });
    }
    // Split words glued back (« anti gaspi » → « antigaspi »), and multi-word synonyms.
    for pair in content.windows(2) {
        let glued = format!("{}{}", pair[0], pair[1]);
        if vocab.contains(&glued) {
            slots.push(Slot {
                typed: String::new(),
                alts: vec![(Alt::Word(glued), EXACT * 2.0)],
                correction: None,
            });
        }
    }
    let longest = synonyms.longest_key_words().min(all.len());
    for n in 2..=longest {
        for window in all.windows(n) {
            let key = window.join(" ");
            for s in synonyms.get(&key) {
                let words: Vec<String> = s
                    .split(' ')
                    .filter(|x| !is_stop_word(x))
                    .map(str::to_owned)
                    .collect();
                if !words.is_empty() {
                    slots.push(Slot {
                        typed: String::new(),
                        alts: vec![(Alt::Words(words), SYNONYM * n as f32)],
                        correction: None,
                    });
                }
            }
        }
    }
    Plan {
        slots,
        name_key: content.concat(),
        full_key: all.concat(),
        typing,
    }
}

fn term_query(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

/// How much a stem match counts: half when stemming cut a word down to another word of
/// the index (« passer » → « pass », as in « Pass Sport »), a conflation rather than a
/// variant (« sports » → « sport » keeps its full weight).
fn stem_factor(word: &str, stem: &str, vocab: &Vocabulary) -> f32 {
    if stem != word && word.len() >= stem.len() + 2 && vocab.contains(stem) {
        0.5
    } else {
        1.0
    }
}

/// All the fields' queries of one folded word, the best field counting most.
fn word_query(f: &Fields, vocab: &Vocabulary, word: &str) -> Box<dyn Query> {
    let mut parts: Vec<Box<dyn Query>> = Vec::new();
    for (kind, w) in EXACT_WEIGHTS {
        parts.push(Box::new(BoostQuery::new(
            term_query(kind.field(f), word),
            w,
        )));
    }
    if let Some(stem) = analyzer::stem(word) {
        let factor = stem_factor(word, &stem, vocab);
        for (kind, w) in STEM_WEIGHTS {
            parts.push(Box::new(BoostQuery::new(
                term_query(kind.field(f), &stem),
                w * factor,
            )));
        }
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, 0.15))
}

fn alt_query(f: &Fields, vocab: &Vocabulary, alt: &Alt) -> Box<dyn Query> {
    match alt {
        Alt::Word(w) => word_query(f, vocab, w),
        Alt::Words(ws) => {
            let n = ws.len() as f32;
            let clauses = ws
                .iter()
                .map(|w| {
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(word_query(f, vocab, w), 1.0 / n))
                            as Box<dyn Query>,
                    )
                })
                .collect();
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

/// The scoring part of the query: one clause per slot, the best alternative counting.
pub fn scoring_query(
    f: &Fields,
    vocab: &Vocabulary,
    plan: &Plan,
    name_keys: &[String],
) -> Option<Box<dyn Query>> {
    if plan.slots.is_empty() {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for slot in &plan.slots {
        let alts: Vec<Box<dyn Query>> = slot
            .alts
            .iter()
            .map(|(alt, w)| {
                Box::new(BoostQuery::new(alt_query(f, vocab, alt), *w)) as Box<dyn Query>
            })
            .collect();
        clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(alts))));
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

/// Filters of a search; each narrows without moving scores.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub age: Option<u8>,
    /// INSEE code and EPCI of the visitor's commune; several when the visitor typed a postal
    /// code shared by several communes (a scheme open in any of them matches).
    pub communes: Vec<(String, Option<String>)>,
    pub themes: Vec<String>,
    pub publics: Vec<String>,
}

fn any_of(terms: Vec<Term>) -> Box<dyn Query> {
    let clauses = terms
        .into_iter()
        .map(|t| {
            (
                Occur::Should,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn filter_clauses(f: &Fields, filters: &Filters, with_themes: bool) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if let Some(age) = filters.age {
        let age = u64::from(age);
        out.push(Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Included(Term::from_field_u64(f.age_min, age)),
        )));
        out.push(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.age_max, age)),
            Bound::Unbounded,
        )));
    }
    if !filters.communes.is_empty() {
        let mut terms = vec![Term::from_field_text(f.territory, "all")];
        for (commune, epci) in &filters.communes {
            terms.push(Term::from_field_text(
                f.territory,
                &format!("commune:{commune}"),
            ));
            if let Some(e) = epci {
                terms.push(Term::from_field_text(f.territory, &format!("epci:{e}")));
            }
        }
        out.push(any_of(terms));
    }
    if with_themes && !filters.themes.is_empty() {
        out.push(any_of(
            filters
                .themes
                .iter()
                .map(|t| Term::from_facet(f.theme, &Facet::from(&format!("/{t}"))))
                .collect(),
        ));
    }
    if !filters.publics.is_empty() {
        out.push(any_of(
            filters
                .publics
                .iter()
                .map(|p| Term::from_field_text(f.public, p))
                .collect(),
        ));
    }
    out
}

/// The full query: scoring part (or every scheme) narrowed by the filters.
pub fn full_query(
    f: &Fields,
    scoring: Option<&dyn Query>,
    filters: &Filters,
    with_themes: bool,
) -> Box<dyn Query> {
    let base: Box<dyn Query> = match scoring {
        Some(q) => q.box_clone(),
        None => Box::new(AllQuery),
    };
    let filters = filter_clauses(f, filters, with_themes);
    if filters.is_empty() {
        return base;
    }
    let mut clauses = vec![(Occur::Must, base)];
    for q in filters {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>,
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Stems of every word a plan may match, for the snippet highlighter.
pub fn snippet_terms(plan: &Plan) -> BTreeMap<String, f32> {
    let mut out = BTreeMap::new();
    for (word, weight) in plan.words() {
        if let Some(stem) = analyzer::stem(word) {
            let e = out.entry(stem).or_insert(0.0f32);
            *e = e.max(weight);
        }
    }
    out
}
