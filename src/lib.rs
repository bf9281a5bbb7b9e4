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
/// « C’est pour moi ? »: one rule engine for the filters, `/pour-moi` and the scheme page.
pub mod eligibility;
/// Places that help young people: a `Place` is valid by construction.
pub mod place;
/// Finding places: near a commune, for a scheme, from typed text.
pub mod places;
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
/// Helplines shown when a search signals distress or danger.
pub mod urgency;
/// The axum application: routes, handlers, templates.
pub mod web;

pub use web::{app, AppState};

/// Today's date from the system clock (UTC); code that serves requests uses the state's
/// `Clock` instead, so tests can fix the date.
pub fn today() -> time::Date {
    clock::Clock::System.today()
}
