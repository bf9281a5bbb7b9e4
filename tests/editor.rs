//! Espace rédaction (issue 14): state database, accounts, sessions, security, forms, journal.

mod accounts;
mod auth;
mod forms;
mod journal;
mod keeping;
mod structures;
mod support;
mod unavailable;
mod writer;
