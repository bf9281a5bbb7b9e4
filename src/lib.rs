//! Référentiel des dispositifs jeunesse du Pas-de-Calais: data, search and web site.

/// The commands `serve`, `check` and `index`.
pub mod commands;
/// Command line and configuration.
pub mod config;
/// Loading and validating `data/`.
pub mod data;
/// Domain types: a `Scheme` is valid by construction.
pub mod scheme;
/// The tantivy index and the query pipeline.
pub mod search;
/// Query-time synonyms.
pub mod synonyms;
/// Communes and EPCI of the Pas-de-Calais.
pub mod territory;
/// Text normalisation.
pub mod text;
/// The axum application: routes, handlers, templates.
pub mod web;

pub use web::{app, AppState};

/// Today's date (UTC), for freshness warnings and campaign states.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}
