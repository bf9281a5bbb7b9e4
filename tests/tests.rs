//! The integration test binary: one module per area, shared helpers in `util`.

mod api;
mod correctness;
mod editor;
mod facts;
mod fuzzing;
mod hardening;
mod import;
mod judged;
mod loading;
mod places;
mod pour_moi;
mod robustness;
mod search;
mod urgence;
mod util;
mod web;
