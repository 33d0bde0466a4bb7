//! Integration tests: one binary (see Cargo.toml).

mod alloc;
mod edge;
mod fastmatch;
mod golden;
mod hostile;
mod props;
mod schemas;
mod util;
