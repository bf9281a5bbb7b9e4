//! The integration test binary: one module per area, shared helpers in `util`.

mod judged;
mod loading;
mod search;
mod util;
mod web;
