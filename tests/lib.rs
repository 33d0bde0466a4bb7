//! Integration tests: one binary (see Cargo.toml).

mod alloc;
mod fastmatch;
mod golden;
mod hostile;
mod schemas;
mod util;
