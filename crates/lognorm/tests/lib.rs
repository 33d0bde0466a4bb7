//! Integration tests: one binary (see Cargo.toml).

#![allow(
    clippy::unwrap_used,
    reason = "tests unwrap what they built themselves; a panic is a failure"
)]

mod alloc;
#[cfg(feature = "arrow")]
mod arrow;
mod classify;
mod conformance;
mod docs;
mod edge;
mod fastmatch;
mod fuzz;
mod golden;
mod hostile;
mod infer;
mod limits;
mod props;
mod schemas;
mod textparsers;
mod time_formats;
mod transforms;
mod util;
