//! Integration tests: one binary (see Cargo.toml).

#![allow(
    clippy::unwrap_used,
    reason = "tests unwrap what they built themselves; a panic is a failure"
)]

mod sql;
mod util;
