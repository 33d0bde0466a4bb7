//! Helpers: a session with lognorm registered, the golden inputs, and
//! their JSON rows by lognorm's normal path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::prelude::{SessionConfig, SessionContext};
use lognorm::{Context, LogType, Registry, Scratch};
use serde_json::Value;

/// The parse time of the golden files.
pub const PARSE_TIME: &str = "2024-01-01T00:00:00Z";

/// The repo-root `testdata/`.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// The log types of the golden inputs: the shipped ones and the test
/// schemas of `testdata/schemas-text/` (regex and csv log types no
/// shipped schema covers), as the core crate's golden tests load them.
pub fn registry() -> Registry {
    let mut b = Registry::builder();
    b.add_builtin().unwrap();
    b.add_dir(testdata().join("schemas-text")).unwrap();
    b.build()
}

/// A session with lognorm's format and `read_logs` over [`registry`]'s
/// log types, `partitions` target partitions.
pub fn session(partitions: usize) -> SessionContext {
    let config = SessionConfig::new().with_target_partitions(partitions);
    let ctx = SessionContext::new_with_config(config);
    lognorm_datafusion::register(&ctx, Arc::new(registry())).unwrap();
    ctx
}

/// The batches of `sql`.
pub async fn query(ctx: &SessionContext, sql: &str) -> Vec<RecordBatch> {
    let df = ctx.sql(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    df.collect().await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// `sql`'s answer as a table of text.
pub async fn text(ctx: &SessionContext, sql: &str) -> String {
    pretty_format_batches(&query(ctx, sql).await).unwrap().to_string()
}

/// The single number `sql` answers (like `SELECT count(*) ...`).
pub async fn number(ctx: &SessionContext, sql: &str) -> i64 {
    let batches = query(ctx, sql).await;
    let batch = batches.iter().find(|b| b.num_rows() > 0).unwrap();
    let column = datafusion::arrow::compute::cast(
        batch.column(0),
        &datafusion::arrow::datatypes::DataType::Int64,
    )
    .unwrap();
    column
        .as_any()
        .downcast_ref::<datafusion::arrow::array::Int64Array>()
        .unwrap()
        .value(0)
}

/// A golden input: its log type's name and the file.
pub struct Input {
    pub log_type: String,
    pub path: PathBuf,
}

/// Every golden input (`testdata/logs/<Type>/<case>`, not the expected
/// rows), in name order.
pub fn golden_inputs() -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(testdata().join("logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let log_type = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_str().unwrap();
            if name.ends_with(".expected.jsonl") || name.starts_with('.') {
                continue;
            }
            inputs.push(Input { log_type: log_type.clone(), path });
        }
    }
    inputs
}

/// What lognorm's normal path (`LogType::normalize`, JSON rows) makes of
/// a payload: the rows, and the errors' messages.
pub struct JsonPath {
    pub rows: Vec<Value>,
    pub errors: Vec<String>,
    /// The failed records' byte offsets.
    pub offsets: Vec<u64>,
}

/// The JSON rows and errors of `payload`.
pub fn json_path(log_type: &LogType, payload: &[u8]) -> JsonPath {
    let mut ctx = Context::new(PARSE_TIME.parse().unwrap(), *b"lognor");
    let mut scratch = Scratch::new();
    let (mut rows, mut errors, mut offsets) =
        (Vec::new(), Vec::new(), Vec::new());
    for record in log_type.split(payload) {
        match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(event) => rows.push(serde_json::from_str(event.row()).unwrap()),
            Err(e) => {
                errors.push(e.to_string());
                offsets.push(e.offset() as u64);
            }
        }
    }
    JsonPath { rows, errors, offsets }
}

/// A JSON row's `p_event_time` (`2024-06-10 08:00:00.000000000`) in
/// nanoseconds since the epoch.
pub fn event_time_ns(row: &Value) -> i64 {
    let text = row["p_event_time"].as_str().unwrap();
    let t: lognorm::Timestamp =
        format!("{}Z", text.replace(' ', "T")).parse().unwrap();
    i64::try_from(t.unix_nanos()).unwrap()
}

/// A SQL string literal of `path`.
pub fn lit(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}
