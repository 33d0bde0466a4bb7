//! Integration tests: one binary (see Cargo.toml).

mod alloc;
mod fuzz;
mod golden;
mod hostile;
mod schemas;
mod util;
