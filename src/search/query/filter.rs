//! Filters (age, commune, theme, audience): each narrows the query without moving scores.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

use crate::search::schema::Fields;

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

/// One filter of a search: documents whose ages admit `age`, or having any of the terms.
pub(super) enum Clause {
    Age(u8),
    AnyOf(Vec<Term>),
}

impl Clause {
    fn query(self, f: &Fields) -> Box<dyn Query> {
        match self {
            Clause::Age(age) => age_query(f, age),
            Clause::AnyOf(terms) => any_of(terms),
        }
    }
}

/// Schemes whose age bounds admit `age` (no bound: any age).
pub(super) fn age_query(f: &Fields, age: u8) -> Box<dyn Query> {
    let age = u64::from(age);
    let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_u64(f.age_min, age)),
            )),
        ),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.age_max, age)),
                Bound::Unbounded,
            )),
        ),
    ];
    Box::new(BooleanQuery::new(clauses))
}

/// The filters of a search, each as the documents it keeps (all must keep a document).
pub(super) fn clauses(f: &Fields, filters: &Filters, with_themes: bool) -> Vec<Clause> {
    let mut out = Vec::new();
    if let Some(age) = filters.age {
        out.push(Clause::Age(age));
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
        out.push(Clause::AnyOf(terms));
    }
    if with_themes && !filters.themes.is_empty() {
        out.push(Clause::AnyOf(
            filters
                .themes
                .iter()
                .map(|t| Term::from_facet(f.theme, &Facet::from(&format!("/{t}"))))
                .collect(),
        ));
    }
    if !filters.publics.is_empty() {
        out.push(Clause::AnyOf(
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
    let filters = clauses(f, filters, with_themes);
    if filters.is_empty() {
        return base;
    }
    let mut all = vec![(Occur::Must, base)];
    for c in filters {
        all.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(c.query(f), 0.0)) as Box<dyn Query>,
        ));
    }
    Box::new(BooleanQuery::new(all))
}
