//! The integration test binary: one module per area, shared helpers in `util`.

mod api;
mod correctness;
mod facts;
mod fuzzing;
mod judged;
mod loading;
mod places;
mod robustness;
mod search;
mod util;
mod web;
