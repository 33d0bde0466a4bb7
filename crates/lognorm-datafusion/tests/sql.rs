//! SQL over the golden inputs: every answer equals what lognorm's JSON
//! rows give.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{Int64Type, UInt64Type};
use datafusion::physical_plan::ExecutionPlanProperties;
use datafusion::prelude::SessionContext;

use crate::util::{
    PARSE_TIME, event_time_ns, golden_inputs, json_path, lit, number, query,
    registry, session, testdata, text,
};

/// `CREATE EXTERNAL TABLE name` over `location`, of `log_type`, at the
/// golden files' parse time, with `extra` options.
async fn create(
    ctx: &SessionContext,
    name: &str,
    location: &Path,
    log_type: &str,
    extra: &str,
) {
    let sql = format!(
        "CREATE EXTERNAL TABLE {name} STORED AS LOGNORM LOCATION {} \
         OPTIONS ('log_type' '{log_type}', 'parse_time' '{PARSE_TIME}'{extra})",
        lit(location)
    );
    query(ctx, &sql).await;
}

/// A fresh empty folder for one test.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("lognorm-datafusion-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// For every golden input: `count(*)` of `read_logs` is the number of
/// JSON rows, and its failures are the JSON path's errors, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn count_and_failures_equal_the_json_path() {
    let registry = registry();
    let ctx = session(2);
    let (mut inputs, mut rows, mut errors) = (0, 0, 0);
    for input in golden_inputs() {
        let log_type = registry.log_type(&input.log_type).unwrap();
        let want = json_path(log_type, &std::fs::read(&input.path).unwrap());
        let path = lit(&input.path);
        let t = &input.log_type;
        let count = number(
            &ctx,
            &format!("SELECT count(*) FROM read_logs({path}, '{t}')"),
        )
        .await;
        assert_eq!(
            count as usize,
            want.rows.len(),
            "{}",
            input.path.display()
        );
        let batches = query(
            &ctx,
            &format!(
                "SELECT error FROM read_logs({path}, '{t}', 'failures') ORDER BY \"offset\""
            ),
        )
        .await;
        let got: Vec<String> = batches
            .iter()
            .flat_map(|b| {
                let c = b.column(0).as_string::<i32>();
                (0..c.len())
                    .map(|i| c.value(i).to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(got, want.errors, "{}", input.path.display());
        (inputs, rows, errors) =
            (inputs + 1, rows + want.rows.len(), errors + want.errors.len());
    }
    println!("{inputs} inputs, {rows} rows, {errors} failures");
    assert!(inputs >= 20 && rows >= 300 && errors >= 100);
}

/// A filter on `p_event_time` keeps the events the JSON rows' event
/// times say, for every golden input (the median event time as bound).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_time_filter_equals_the_json_rows() {
    let registry = registry();
    let ctx = session(2);
    let mut kept = 0;
    for (i, input) in golden_inputs().iter().enumerate() {
        let log_type = registry.log_type(&input.log_type).unwrap();
        let want = json_path(log_type, &std::fs::read(&input.path).unwrap());
        let mut times: Vec<i64> =
            want.rows.iter().map(event_time_ns).collect();
        if times.is_empty() {
            continue;
        }
        times.sort_unstable();
        let bound = times[times.len() / 2];
        let text = want
            .rows
            .iter()
            .find(|r| event_time_ns(r) == bound)
            .unwrap()["p_event_time"]
            .as_str()
            .unwrap()
            .replace(' ', "T");
        let table = format!("t{i}");
        create(&ctx, &table, &input.path, &input.log_type, "").await;
        let batches = query(
            &ctx,
            &format!(
                "SELECT CAST(p_event_time AS BIGINT) FROM {table} \
                 WHERE p_event_time >= TIMESTAMP '{text}Z' ORDER BY 1"
            ),
        )
        .await;
        let got: Vec<i64> = batches
            .iter()
            .flat_map(|b| {
                b.column(0).as_primitive::<Int64Type>().values().to_vec()
            })
            .collect();
        let want: Vec<i64> =
            times.into_iter().filter(|t| *t >= bound).collect();
        assert_eq!(got, want, "{}", input.path.display());
        kept += got.len();
    }
    assert!(kept >= 150, "{kept} events kept");
}

/// `unnest(p_any_ip_addresses)` gives every address as often as the
/// JSON rows hold it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unnest_of_ip_addresses_equals_the_json_rows() {
    let registry = registry();
    let ctx = session(2);
    let mut total = 0;
    for (i, input) in golden_inputs().iter().enumerate() {
        let log_type = registry.log_type(&input.log_type).unwrap();
        let json = json_path(log_type, &std::fs::read(&input.path).unwrap());
        let mut want: BTreeMap<String, i64> = BTreeMap::new();
        for row in &json.rows {
            for ip in
                row["p_any_ip_addresses"].as_array().into_iter().flatten()
            {
                *want.entry(ip.as_str().unwrap().to_string()).or_default() +=
                    1;
            }
        }
        if arrow_schema_lacks_ips(log_type) {
            assert!(want.is_empty());
            continue;
        }
        let table = format!("t{i}");
        create(&ctx, &table, &input.path, &input.log_type, "").await;
        let batches = query(
            &ctx,
            &format!(
                "SELECT ip, count(*) FROM (SELECT unnest(p_any_ip_addresses) AS ip \
                 FROM {table}) GROUP BY ip ORDER BY ip"
            ),
        )
        .await;
        let mut got = BTreeMap::new();
        for b in &batches {
            let ips = b.column(0).as_string::<i32>();
            let n = b.column(1).as_primitive::<Int64Type>();
            for k in 0..b.num_rows() {
                got.insert(ips.value(k).to_string(), n.value(k));
            }
        }
        assert_eq!(got, want, "{}", input.path.display());
        total += got.values().sum::<i64>();
    }
    assert!(total >= 50, "{total} addresses");
}

/// Whether the log type's events have no `p_any_ip_addresses` column.
fn arrow_schema_lacks_ips(log_type: &lognorm::LogType) -> bool {
    lognorm::arrow::arrow_schema(log_type)
        .field_with_name("p_any_ip_addresses")
        .is_err()
}

/// `COPY (SELECT ...) TO ... STORED AS PARQUET` then a Parquet table of
/// the file: the same rows as the lognorm table (row ids are the same
/// from scan to scan), as many as the JSON rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_to_parquet_reads_back_the_same_rows() {
    let registry = registry();
    let ctx = session(2);
    let dir = scratch_dir("parquet");
    let mut copied = 0;
    for (i, input) in golden_inputs().iter().enumerate() {
        let log_type = registry.log_type(&input.log_type).unwrap();
        let json = json_path(log_type, &std::fs::read(&input.path).unwrap());
        if json.rows.is_empty() {
            continue;
        }
        let table = format!("t{i}");
        create(&ctx, &table, &input.path, &input.log_type, "").await;
        let file = dir.join(format!("{table}.parquet"));
        let n = number(
            &ctx,
            &format!(
                "COPY (SELECT * FROM {table}) TO {} STORED AS PARQUET",
                lit(&file)
            ),
        )
        .await;
        assert_eq!(n as usize, json.rows.len(), "{}", input.path.display());
        query(
            &ctx,
            &format!(
                "CREATE EXTERNAL TABLE back{i} STORED AS PARQUET LOCATION {}",
                lit(&file)
            ),
        )
        .await;
        let want =
            text(&ctx, &format!("SELECT * FROM {table} ORDER BY p_row_id"))
                .await;
        let got =
            text(&ctx, &format!("SELECT * FROM back{i} ORDER BY p_row_id"))
                .await;
        assert_eq!(got, want, "{}", input.path.display());
        let ids = number(
            &ctx,
            &format!("SELECT count(DISTINCT p_row_id) FROM back{i}"),
        )
        .await;
        assert_eq!(ids as usize, json.rows.len());
        copied += 1;
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(copied >= 15, "{copied} inputs");
}

/// A folder of good and bad records: the events table holds every good
/// one, the failures table every bad one, with its file and offset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_folder_reports_every_bad_record() {
    let registry = registry();
    let log_type = registry.log_type("Hex.Audit").unwrap();
    let dir = scratch_dir("mixed");
    let (mut rows, mut failures) = (0, Vec::new());
    for name in ["array.json", "errors.jsonl", "realistic.jsonl"] {
        let payload =
            std::fs::read(testdata().join("logs/Hex.Audit").join(name))
                .unwrap();
        std::fs::write(dir.join(name), &payload).unwrap();
        let json = json_path(log_type, &payload);
        rows += json.rows.len();
        for (e, o) in json.errors.iter().zip(&json.offsets) {
            failures.push(format!("{name} {o} {e}"));
        }
    }
    assert!(failures.len() >= 5, "{failures:?}");
    let ctx = session(2);
    create(&ctx, "events", &dir, "Hex.Audit", "").await;
    create(&ctx, "failures", &dir, "Hex.Audit", ", 'failures' 'true'").await;
    assert_eq!(
        number(&ctx, "SELECT count(*) FROM events").await as usize,
        rows
    );
    let batches = query(
        &ctx,
        "SELECT file, \"offset\", error, log_type FROM failures ORDER BY file, \"offset\"",
    )
    .await;
    let mut got = Vec::new();
    for b in &batches {
        let (file, offset) = (
            b.column(0).as_string::<i32>(),
            b.column(1).as_primitive::<UInt64Type>(),
        );
        let (error, name) =
            (b.column(2).as_string::<i32>(), b.column(3).as_string::<i32>());
        for k in 0..b.num_rows() {
            assert_eq!(name.value(k), "Hex.Audit");
            let base = file.value(k).rsplit('/').next().unwrap();
            got.push(format!("{base} {} {}", offset.value(k), error.value(k)));
        }
    }
    assert_eq!(got, failures);
    // read_logs over the folder: the same events and failures.
    let count =
        format!("SELECT count(*) FROM read_logs({}, 'Hex.Audit')", lit(&dir));
    assert_eq!(number(&ctx, &count).await as usize, rows);
    let count = format!(
        "SELECT count(*) FROM read_logs({}, 'Hex.Audit', 'failures')",
        lit(&dir)
    );
    assert_eq!(number(&ctx, &count).await as usize, failures.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file larger than the repartition threshold is read by several
/// partitions, each a byte range, and the answers are those of the
/// whole file: every event once, every failure once at its offset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_file_is_split_by_byte_range() {
    let registry = registry();
    let log_type = registry.log_type("Wiz.Audit").unwrap();
    let logs = testdata().join("logs/Wiz.Audit");
    let mut payload = Vec::new();
    for _ in 0..7 {
        for name in ["corpus.jsonl", "errors.jsonl", "realistic.jsonl"] {
            payload
                .extend_from_slice(&std::fs::read(logs.join(name)).unwrap());
            if payload.last() != Some(&b'\n') {
                payload.push(b'\n');
            }
        }
    }
    let dir = scratch_dir("split");
    let file = dir.join("big.jsonl");
    std::fs::write(&file, &payload).unwrap();
    let want = json_path(log_type, &payload);
    // The ranges (a quarter of the file each) start and end mid-line.
    let quarter = payload.len().div_ceil(4);
    for k in 1..4 {
        assert_ne!(payload[k * quarter - 1], b'\n', "range {k}");
    }

    let ctx = session(4);
    query(&ctx, "SET datafusion.optimizer.repartition_file_min_size = 1024")
        .await;
    create(&ctx, "big", &file, "Wiz.Audit", "").await;
    create(&ctx, "big_failures", &file, "Wiz.Audit", ", 'failures' 'true'")
        .await;
    let plan = ctx
        .sql("SELECT id FROM big")
        .await
        .unwrap()
        .create_physical_plan()
        .await
        .unwrap();
    assert_eq!(plan.output_partitioning().partition_count(), 4);

    let count = number(&ctx, "SELECT count(*) FROM big").await;
    assert_eq!(count as usize, want.rows.len());
    let distinct =
        number(&ctx, "SELECT count(DISTINCT p_row_id) FROM big").await;
    assert_eq!(distinct, count);
    let mut want_times: Vec<i64> =
        want.rows.iter().map(event_time_ns).collect();
    want_times.sort_unstable();
    let batches =
        query(&ctx, "SELECT CAST(p_event_time AS BIGINT) FROM big ORDER BY 1")
            .await;
    let got_times: Vec<i64> = batches
        .iter()
        .flat_map(|b| {
            b.column(0).as_primitive::<Int64Type>().values().to_vec()
        })
        .collect();
    assert_eq!(got_times, want_times);

    let batches =
        query(&ctx, "SELECT \"offset\" FROM big_failures ORDER BY 1").await;
    let got_offsets: Vec<u64> = batches
        .iter()
        .flat_map(|b| {
            b.column(0).as_primitive::<UInt64Type>().values().to_vec()
        })
        .collect();
    assert_eq!(got_offsets, want.offsets);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `split_files` false keeps one partition per file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn split_files_false_reads_a_file_whole() {
    let ctx = session(4);
    query(&ctx, "SET datafusion.optimizer.repartition_file_min_size = 16")
        .await;
    let file = testdata().join("logs/Wiz.Audit/corpus.jsonl");
    create(&ctx, "whole", &file, "Wiz.Audit", ", 'split_files' 'false'").await;
    let plan = ctx
        .sql("SELECT id FROM whole")
        .await
        .unwrap()
        .create_physical_plan()
        .await
        .unwrap();
    assert_eq!(plan.output_partitioning().partition_count(), 1);
}

/// Unknown log types and options are refused with their names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tables_are_refused() {
    let ctx = session(1);
    let file = testdata().join("logs/Wiz.Audit/corpus.jsonl");
    let err = ctx
        .sql(&format!(
            "CREATE EXTERNAL TABLE x STORED AS LOGNORM LOCATION {} OPTIONS ('log_type' 'Nope.Thing')",
            lit(&file)
        ))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected a log type of the registry (")
            && err.contains("found `Nope.Thing`"),
        "{err}"
    );
    let err = ctx
        .sql(&format!(
            "SELECT * FROM read_logs({}, 'Wiz.Audit', 'x')",
            lit(&file)
        ))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("read_logs: argument 3: expected `failures`, found `x`"),
        "{err}"
    );
    let err = ctx
        .sql(&format!("SELECT * FROM read_logs({})", lit(&file)))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("read_logs: expected (path, log type)"), "{err}");
}
