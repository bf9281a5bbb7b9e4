//! The integration test binary: one module per area, shared helpers in `util`.

mod api;
mod correctness;
mod facts;
mod fuzzing;
mod hardening;
mod hardening_data;
mod judged;
mod loading;
mod robustness;
mod search;
mod server;
mod util;
mod web;
