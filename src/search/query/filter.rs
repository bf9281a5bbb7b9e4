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
