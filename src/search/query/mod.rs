//! From what a visitor typed to a tantivy query, built in code (never through a query
//! syntax): `analysis` makes the plan (per word: exact, stem, synonyms, split, prefixes,
//! typos), `build` turns it into the scoring query (its disjunctions are `union`'s),
//! `filter` narrows it without moving scores.

mod analysis;
mod build;
mod filter;
mod impacts;
mod prefilter;
mod small;
mod union;

pub use analysis::{plan, Alt, Plan, Slot};
pub use build::{scoring_fields, scoring_query, Lookup};
pub use filter::{full_query, Filters};
pub use impacts::{FieldTerm, Impacts};
pub use prefilter::{filtered, FilterTable};
