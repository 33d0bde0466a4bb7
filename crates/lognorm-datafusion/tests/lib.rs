//! Integration tests: one binary (see Cargo.toml).

#![allow(
    clippy::unwrap_used,
    reason = "tests unwrap what they built themselves; a panic is a failure"
)]

#[cfg(feature = "ballista")]
mod ballista;
#[cfg(feature = "proto")]
mod proto;
mod sql;
mod util;
