//! The integration test binary: one module per area, shared helpers in `util`.

mod api;
mod correctness;
mod editor;
mod facts;
mod fuzzing;
mod hardening;
mod hardening_data;
mod import;
mod judged;
mod loading;
mod phone;
mod places;
mod pour_moi;
mod robustness;
mod search;
mod server;
mod urgence;
mod util;
mod web;
