//! Integration tests: one binary (see Cargo.toml).

mod golden;
mod schemas;
mod util;
