//! Integration tests: one binary (see Cargo.toml).

mod alloc;
mod golden;
mod hostile;
mod limits;
mod schemas;
mod util;
