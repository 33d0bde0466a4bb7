//! `read_logs(path, log_type)`: a table function for ad-hoc SQL.

use std::sync::Arc;

use datafusion::catalog::{TableFunctionImpl, TableProvider};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::Expr;
use lognorm::Registry;

use crate::format::LognormFormat;
use crate::options::LognormOptions;
use crate::table::LognormTable;

/// The table function `read_logs(path, log_type)`: the events of the
/// raw log files at `path` (a file, a folder, or a glob like
/// `'logs/*.jsonl'`), normalized as the log type `log_type` of the
/// registry; `read_logs(path, log_type, 'failures')` gives the records
/// that failed instead ([`failures_schema`](crate::failures_schema)).
///
/// [`register`](crate::register) registers it as `read_logs`.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use datafusion::prelude::SessionContext;
/// use lognorm_datafusion::ReadLogs;
///
/// let ctx = SessionContext::new();
/// let registry = Arc::new(lognorm::Registry::builtin());
/// ctx.register_udtf("read_logs", Arc::new(ReadLogs::new(registry)));
/// ```
#[derive(Clone, Debug)]
pub struct ReadLogs {
    registry: Arc<Registry>,
}

impl ReadLogs {
    /// `read_logs` over the log types of `registry`.
    pub fn new(registry: Arc<Registry>) -> ReadLogs {
        ReadLogs { registry }
    }
}

impl TableFunctionImpl for ReadLogs {
    fn call(&self, args: &[Expr]) -> Result<Arc<dyn TableProvider>> {
        let mut strings = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            match arg {
                Expr::Literal(ScalarValue::Utf8(Some(s)), _)
                | Expr::Literal(ScalarValue::LargeUtf8(Some(s)), _)
                | Expr::Literal(ScalarValue::Utf8View(Some(s)), _) => {
                    strings.push(s.as_str());
                }
                other => {
                    return plan_err!(
                        "read_logs: argument {}: expected a string literal, found `{other}`",
                        i + 1
                    );
                }
            }
        }
        let (path, options) = match strings.as_slice() {
            [path, log_type] => (*path, LognormOptions::new(log_type)),
            [path, log_type, "failures"] => {
                let mut options = LognormOptions::new(log_type);
                options.failures = true;
                (*path, options)
            }
            [_, _, other] => {
                return plan_err!(
                    "read_logs: argument 3: expected `failures`, found `{other}`"
                );
            }
            _ => {
                return plan_err!(
                    "read_logs: expected (path, log type) or (path, log type, \
                     'failures'), found {} arguments",
                    args.len()
                );
            }
        };
        let format = LognormFormat::new(Arc::clone(&self.registry), options)?;
        let partitions =
            std::thread::available_parallelism().map_or(1, usize::from);
        let table =
            LognormTable::try_new(&[path.to_string()], format, partitions)?;
        Ok(Arc::new(table))
    }
}
