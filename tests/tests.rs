//! The integration test binary: one module per area, shared helpers in `util`.

mod api;
mod correctness;
mod facts;
mod fuzzing;
mod judged;
mod loading;
mod phone;
mod pour_moi;
mod robustness;
mod search;
mod urgence;
mod util;
mod web;
