//! From what a visitor typed to a tantivy query, built in code (never through a query
//! syntax): `analysis` makes the plan (per word: exact, stem, synonyms, split, prefixes,
//! typos), `build` turns it into the scoring query's `tree`, which becomes tantivy's query
//! (its disjunctions are `union`'s) or, on a small index, is evaluated straight (`direct`);
//! `filter` narrows it without moving scores.

mod analysis;
mod build;
mod direct;
mod filter;
mod impacts;
mod prefilter;
mod small;
mod tree;
mod union;

pub use analysis::{plan, Alt, Plan, Slot};
pub use build::{scoring_fields, scoring_query, scoring_tree, Lookup};
pub use direct::Direct;
pub use filter::{full_query, Filters};
pub use impacts::Impacts;
pub use prefilter::{FilterTable, Kept};
pub use tree::Node;
