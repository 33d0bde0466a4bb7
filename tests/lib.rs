//! Integration tests: one binary (see Cargo.toml).

mod alloc;
mod edge;
mod fastmatch;
mod fuzz;
mod golden;
mod hostile;
mod limits;
mod props;
mod schemas;
mod util;
