//! The integration tests of lognorm-datafusion (one binary).

mod sql;
mod util;
