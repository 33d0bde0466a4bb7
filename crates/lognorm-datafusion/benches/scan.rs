//! `SELECT count(*) ... WHERE` over a large raw file (issue 21): a
//! lognorm table with 1 and 2 target partitions (the file split by byte
//! range), against DataFusion's own NDJSON reader on lognorm's
//! normalized rows of the same records, 1 and 2 partitions too.
//!
//! The file is the shipped Wiz.Audit samples (`corpus`, `realistic`,
//! `errors`) repeated to about 100 MiB (4 MiB with `--test`), written to
//! a temporary folder with its JSON rows beside it, once, outside the
//! timing. Each variant's answer is checked once before it is timed:
//! the two tables count the same events.
//!
//! ```text
//! cargo bench -p lognorm-datafusion --bench scan              # measure
//! cargo bench -p lognorm-datafusion --bench scan -- --test    # each once
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema};
use datafusion::prelude::{NdJsonReadOptions, SessionConfig, SessionContext};
use lognorm::{Context, Registry, Scratch};

/// The parse time of every event.
const PARSE_TIME: &str = "2024-01-01T00:00:00Z";

/// The filter: events from 2024 on (`p_event_time` is a timestamp in the
/// lognorm table, text in the JSON rows).
const WHERE_LOGNORM: &str = "p_event_time >= TIMESTAMP '2024-01-01T00:00:00Z'";
const WHERE_JSON: &str = "p_event_time >= '2024-01-01 00:00:00'";

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// The raw file and the JSON rows file, written once.
fn files() -> (PathBuf, PathBuf, u64) {
    let target: usize = if test_mode() { 4 << 20 } else { 100 << 20 };
    let logs = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/logs/Wiz.Audit");
    let mut sample = Vec::new();
    for name in ["corpus.jsonl", "realistic.jsonl", "errors.jsonl"] {
        sample.extend_from_slice(
            &std::fs::read(logs.join(name)).expect("shipped sample"),
        );
        if sample.last() != Some(&b'\n') {
            sample.push(b'\n');
        }
    }
    let mut raw = Vec::with_capacity(target + sample.len());
    while raw.len() < target {
        raw.extend_from_slice(&sample);
    }
    let registry = Registry::builtin();
    let wiz = registry.log_type("Wiz.Audit").expect("shipped log type");
    let mut ctx =
        Context::new(PARSE_TIME.parse().expect("a timestamp"), *b"bench1");
    let mut scratch = Scratch::new();
    let mut rows = Vec::with_capacity(raw.len() * 2);
    for record in wiz.split(&raw) {
        if let Ok(event) = wiz.normalize(record, &mut ctx, &mut scratch) {
            rows.extend_from_slice(event.row().as_bytes());
            rows.push(b'\n');
        }
    }
    let dir = std::env::temp_dir()
        .join(format!("lognorm-bench-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let (raw_path, rows_path) =
        (dir.join("wiz.jsonl"), dir.join("wiz.rows.json"));
    std::fs::write(&raw_path, &raw).expect("the raw file");
    std::fs::write(&rows_path, &rows).expect("the rows file");
    (raw_path, rows_path, raw.len() as u64)
}

/// A session with `partitions` target partitions, files of 1 MiB and
/// more split by byte range, and the two tables.
fn session(
    rt: &tokio::runtime::Runtime,
    raw: &Path,
    rows: &Path,
    partitions: usize,
) -> SessionContext {
    let mut config = SessionConfig::new().with_target_partitions(partitions);
    config.options_mut().optimizer.repartition_file_min_size = 1 << 20;
    let ctx = SessionContext::new_with_config(config);
    lognorm_datafusion::register(&ctx, Arc::new(Registry::builtin()))
        .expect("registered");
    rt.block_on(async {
        let sql = format!(
            "CREATE EXTERNAL TABLE raw STORED AS LOGNORM LOCATION '{}' \
             OPTIONS ('log_type' 'Wiz.Audit', 'parse_time' '{PARSE_TIME}')",
            raw.display()
        );
        ctx.sql(&sql).await.expect("a table");
        // The rows' `json` values defeat schema inference: the one column
        // the query reads, as text (the reader still parses every row).
        let schema = Schema::new(vec![Field::new(
            "p_event_time",
            DataType::Utf8,
            true,
        )]);
        let options = NdJsonReadOptions::default().schema(&schema);
        ctx.register_json("rows", rows.display().to_string(), options)
            .await
            .expect("a table");
    });
    ctx
}

/// The count `sql` answers.
fn count(
    rt: &tokio::runtime::Runtime,
    ctx: &SessionContext,
    sql: &str,
) -> i64 {
    rt.block_on(async {
        let batches =
            ctx.sql(sql).await.expect("planned").collect().await.expect("run");
        let column = batches[0].column(0).as_primitive::<Int64Type>();
        assert_eq!(column.len(), 1);
        column.value(0)
    })
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a runtime");
    let (raw, rows, bytes) = files();
    let mut group = c.benchmark_group("datafusion/Wiz.Audit");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    for partitions in [1, 2] {
        let ctx = session(&rt, &raw, &rows, partitions);
        let lognorm =
            format!("SELECT count(*) FROM raw WHERE {WHERE_LOGNORM}");
        let json = format!("SELECT count(*) FROM rows WHERE {WHERE_JSON}");
        let (n, all) = (
            count(&rt, &ctx, &lognorm),
            count(&rt, &ctx, "SELECT count(*) FROM raw"),
        );
        assert!(0 < n && n < all, "{n} of {all} events kept");
        assert_eq!(count(&rt, &ctx, &json), n);
        group.bench_function(format!("lognorm_raw/{partitions}"), |b| {
            b.iter(|| count(&rt, &ctx, &lognorm))
        });
        group.bench_function(format!("ndjson_rows/{partitions}"), |b| {
            b.iter(|| count(&rt, &ctx, &json))
        });
    }
    group.finish();
    if let Some(dir) = raw.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
