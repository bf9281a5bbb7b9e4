//! The integration test binary: one module per area, shared helpers in `util`.

mod api;
mod correctness;
mod editor;
mod facts;
mod fuzzing;
mod import;
mod judged;
mod loading;
mod robustness;
mod search;
mod util;
mod web;
