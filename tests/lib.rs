//! Integration tests: one binary (see Cargo.toml).

mod alloc;
mod golden;
mod schemas;
mod util;
