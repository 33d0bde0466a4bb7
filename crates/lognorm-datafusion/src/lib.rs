//! Raw log files as [DataFusion](datafusion) tables: each file is
//! normalized by [lognorm] with its Panther-format schema, straight into
//! Arrow record batches, and queried with SQL or DataFrames.
//!
//! - [`LognormFormat`] and [`LognormFormatFactory`]: the `LOGNORM` file
//!   format, so that
//!   `CREATE EXTERNAL TABLE t STORED AS LOGNORM LOCATION 'logs/'
//!   OPTIONS ('log_type' 'Hex.Audit')` makes a table of the events (see
//!   [`LognormOptions`] for every option); `'failures' 'true'` makes the
//!   table of the records that failed ([`failures_schema`]).
//! - [`ReadLogs`]: the table function `read_logs(path, log_type)`.
//! - [`register`]: both, with a session.
//!
//! Records are normalized one at a time with no state between them, so
//! a large file is read by several partitions, each a byte range
//! starting at a line (see [`LognormOptions::split_files`]).
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use datafusion::arrow::array::AsArray;
//! use datafusion::arrow::datatypes::Int64Type;
//! use datafusion::prelude::SessionContext;
//!
//! # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
//! let ctx = SessionContext::new();
//! lognorm_datafusion::register(&ctx, Arc::new(lognorm::Registry::builtin()))?;
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/logs/Hex.Audit");
//! ctx.sql(&format!(
//!     "CREATE EXTERNAL TABLE hex STORED AS LOGNORM LOCATION '{dir}/realistic.jsonl' \
//!      OPTIONS ('log_type' 'Hex.Audit')"
//! ))
//! .await?;
//! let sql = "SELECT count(*) FROM (SELECT unnest(p_any_ip_addresses) AS ip FROM hex) \
//!            WHERE ip = '192.0.2.10'";
//! let batches = ctx.sql(sql).await?.collect().await?;
//! assert_eq!(batches[0].column(0).as_primitive::<Int64Type>().value(0), 2);
//!
//! // The records that failed, with the table function.
//! let sql = format!("SELECT count(*) FROM read_logs('{dir}/errors.jsonl', 'Hex.Audit', 'failures')");
//! let batches = ctx.sql(&sql).await?.collect().await?;
//! assert_eq!(batches[0].column(0).as_primitive::<Int64Type>().value(0), 15);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

#[cfg(feature = "proto")]
mod codec;
mod format;
mod options;
mod source;
mod table;
mod udtf;

use std::sync::Arc;

use datafusion::common::Result;
use datafusion::prelude::SessionContext;
use lognorm::Registry;

#[cfg(feature = "proto")]
pub use codec::LognormCodec;
pub use format::{LognormFormat, LognormFormatFactory};
pub use options::LognormOptions;
pub use source::{LognormSource, failures_schema};
pub use table::LognormTable;
use table::LognormTableFactory;
pub use udtf::ReadLogs;

/// Registers with `ctx` the `LOGNORM` format (for `CREATE EXTERNAL
/// TABLE ... STORED AS LOGNORM`) and the table function `read_logs`,
/// both over the log types of `registry`.
///
/// # Errors
///
/// When a format is already registered as `lognorm`.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use datafusion::prelude::SessionContext;
///
/// let ctx = SessionContext::new();
/// lognorm_datafusion::register(&ctx, Arc::new(lognorm::Registry::builtin()))?;
/// assert!(ctx.table_function("read_logs").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn register(ctx: &SessionContext, registry: Arc<Registry>) -> Result<()> {
    {
        let state = ctx.state_ref();
        let mut state = state.write();
        state.register_file_format(
            Arc::new(LognormFormatFactory::new(Arc::clone(&registry))),
            false,
        )?;
        state.table_factories_mut().insert(
            "LOGNORM".to_string(),
            Arc::new(LognormTableFactory::default()),
        );
    }
    ctx.register_udtf("read_logs", Arc::new(ReadLogs::new(registry)));
    Ok(())
}
