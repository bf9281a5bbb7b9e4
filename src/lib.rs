//! Référentiel des dispositifs jeunesse du Pas-de-Calais: data, search and web site.

/// Today's date as an input (system or fixed).
pub mod clock;
/// The commands `serve`, `check` and `index`.
pub mod commands;
/// Command line and configuration.
pub mod config;
/// Loading and validating `data/`.
pub mod data;
/// The espace rédaction: login, forms, preview, publish, journal.
pub mod editor;
/// Places that help young people: a `Place` is valid by construction.
pub mod place;
/// Domain types: a `Scheme` is valid by construction.
pub mod scheme;
/// The tantivy index and the query pipeline.
pub mod search;
/// The state database: accounts, sessions, journal, proposals, search counts.
pub mod store;
/// Query-time synonyms.
pub mod synonyms;
/// Communes and EPCI of the Pas-de-Calais.
pub mod territory;
/// Text normalisation.
pub mod text;
/// The axum application: routes, handlers, templates.
pub mod web;

pub use web::{app, AppState};

/// Today's date from the system clock (UTC); code that serves requests uses the state's
/// `Clock` instead, so tests can fix the date.
pub fn today() -> time::Date {
    clock::Clock::System.today()
}
