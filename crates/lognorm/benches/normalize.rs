//! End-to-end normalize benches for the six JSON log types, against what
//! a user could pick instead, on the same bytes in the same run.
//!
//! Each type gets a generated NDJSON corpus (`json_gen.rs`, about 1 MiB;
//! 64 KiB with `--test`) and a group `normalize/<LogType>` whose variants
//! all read the same payload and report `Throughput::Bytes` of it:
//!
//! - `lognorm`: split the payload and normalize every record with a
//!   reused `Scratch` and `Context` (parse, coerce, timestamps,
//!   indicators, `p_*` fields, the row);
//! - `simd_json_tape`: the floor, and the unit of the ratios in the
//!   README: simd-json's `fill_tape` with reused `Buffers` and tape,
//!   parse only;
//! - `simd_json_write`: the same tape written back out as JSON;
//! - `serde_json_value`: `serde_json::Value` parsed and written back;
//! - Databricks.Audit only, hand-written serde structs for the schema's
//!   fields (strings borrowed from the input where they can be,
//!   `json` fields as a dynamic value), written with `serde_json`:
//!   `serde_simd_borrowed` parses with simd-json (reused buffers and
//!   tape), `serde_json_structs` with `serde_json`.
//!
//! The baselines split the payload at newlines with `memchr` and copy
//! each record into a reused buffer first, as simd-json needs (it parses
//! in place) and as lognorm does inside `normalize`; every variant pays
//! for that copy. (`fill_tape`, the issue's reference, copies the record
//! once more into its own padded buffer; lognorm calls
//! `fill_tape_padded` on its copy instead.) Every writer clears and
//! refills one reused `Vec` per record, like lognorm's row.
//!
//! `normalize/threads/{1,2}`: one `Registry` shared by N threads, each
//! with its own scratch, normalizing its own copy of the Databricks.Audit
//! corpus; throughput counts the bytes of all threads, so perfect
//! scaling shows the same per-thread time and N× the throughput.
//!
//! Each variant's result is checked once before it is timed: lognorm's
//! rows against the generator's expected event times and `p_any_*`
//! columns, the baselines' output against the input re-read by
//! `serde_json`.
//!
//! ```text
//! cargo bench --bench normalize               # measure
//! cargo bench --bench normalize -- --test     # each bench once (CI)
//! ```
//!
//! `LOGNORM_BENCH_DUMP=<dir>` writes each generated corpus to
//! `<dir>/<LogType>.jsonl`, to look at or to feed to other tools.
//!
//! To profile one variant, count instructions (a busy machine does not
//! change them) in the timed loop only, with criterion's `--profile-time`
//! and the bench binary `cargo bench --no-run` names:
//!
//! ```text
//! valgrind --tool=callgrind \
//!     --toggle-collect='criterion::bencher::Bencher<M>::iter' \
//!     target/release/deps/normalize-<hash> --bench --profile-time 2 \
//!     'normalize/Databricks.Audit/lognorm$'
//! callgrind_annotate callgrind.out.<pid> | head -40
//! ```

mod json_gen;
mod rng;

use std::borrow::Cow;
use std::fmt;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use json_gen::{Corpus, Expected, JSON_TYPES};
use lognorm::{Context, LogType, Registry, Scratch, Timestamp};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use serde_json::Value;
use simd_json::prelude::Writable;
use simd_json::{Buffers, Tape};

/// The generator's seed.
const SEED: u64 = 0x6a50_4e5e_ed00_2024;

/// The parse time every lognorm variant uses.
const PARSE_TIME: &str = "2024-06-03T12:00:00Z";

/// Whether criterion runs each bench once (`cargo bench -- --test`):
/// then the corpora are small.
fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// Bytes of generated events per log type.
fn corpus_bytes() -> usize {
    if test_mode() { 64 << 10 } else { 1 << 20 }
}

/// The non-empty lines of an NDJSON payload, found with `memchr`.
fn lines(payload: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', payload)
        .chain(std::iter::once(payload.len()));
    std::iter::from_fn(move || {
        loop {
            let end = ends.next()?;
            let line = payload.get(start..end)?;
            start = end + 1;
            if !line.is_empty() {
                return Some(line);
            }
        }
    })
}

/// Copies a record into the reused input buffer.
#[inline]
fn copy_in(input: &mut Vec<u8>, record: &[u8]) {
    input.clear();
    input.extend_from_slice(record);
}

// ---------------------------------------------------------------------
// lognorm

/// Splits and normalizes the payload; returns (events, row bytes).
///
/// Never inlined, so it is one frame of its own in a profile.
#[inline(never)]
fn lognorm_all(
    lt: &LogType,
    ctx: &mut Context,
    scratch: &mut Scratch,
    payload: &[u8],
) -> (usize, usize) {
    let (mut events, mut row_bytes) = (0, 0);
    for record in lt.split(black_box(payload)) {
        if let Ok(event) = lt.normalize(record, ctx, scratch) {
            events += 1;
            // The bytes a sink writes; `row()` would check them as
            // UTF-8 again, which no baseline does to its output.
            row_bytes += event.row_bytes().len();
        }
    }
    (events, row_bytes)
}

/// Checks every event lognorm writes for the corpus against what the
/// generator expects.
fn check_lognorm(
    lt: &LogType,
    ctx: &mut Context,
    scratch: &mut Scratch,
    corpus: &Corpus,
) {
    let parse_time = ctx.parse_time();
    let p_log_type = format!(r#""p_log_type":"{}""#, lt.name());
    let records: Vec<_> = lt.split(&corpus.payload).collect();
    assert_eq!(records.len(), corpus.expected.len(), "{}", lt.name());
    for (record, want) in records.into_iter().zip(&corpus.expected) {
        let raw = String::from_utf8_lossy(record.bytes()).into_owned();
        let event = lt
            .normalize(record, ctx, scratch)
            .unwrap_or_else(|e| panic!("{e}\n{raw}"));
        let time = match want.event_time {
            Some(nanos) => Timestamp::from_unix_nanos(nanos).expect("range"),
            None => parse_time,
        };
        assert_eq!(event.event_time(), time, "{raw}");
        let row = event.row();
        let value: Value = serde_json::from_str(row)
            .unwrap_or_else(|e| panic!("row is not JSON: {e}\n{row}"));
        assert!(value.is_object(), "{row}");
        assert!(row.contains(&p_log_type), "{row}");
        assert!(row.contains(&format!(r#""p_event_time":"{time}""#)), "{row}");
        check_indicators(row, want);
    }
    let (events, row_bytes) = lognorm_all(lt, ctx, scratch, &corpus.payload);
    assert_eq!(events, corpus.expected.len());
    assert!(row_bytes > 0);
}

/// The row holds exactly the expected `p_any_*` columns.
fn check_indicators(row: &str, want: &Expected) {
    for column in &want.indicators {
        assert!(row.contains(column.as_str()), "want {column}\n{row}");
    }
    assert_eq!(
        row.matches("\"p_any_").count(),
        want.indicators.len(),
        "want exactly {:?}\n{row}",
        want.indicators
    );
}

// ---------------------------------------------------------------------
// simd-json and serde_json baselines

/// The reused state of the baselines: the mutable copy of the record,
/// simd-json's buffers and tape, and the output.
struct Baseline {
    input: Vec<u8>,
    buffers: Buffers,
    tape: Tape<'static>,
    out: Vec<u8>,
}

impl Baseline {
    fn new() -> Baseline {
        Baseline {
            input: Vec::new(),
            buffers: Buffers::default(),
            tape: Tape(Vec::new()),
            out: Vec::new(),
        }
    }
}

/// simd-json's tape of every record; returns (records, tape nodes).
fn tape_all(b: &mut Baseline, payload: &[u8]) -> (usize, usize) {
    let (mut records, mut nodes) = (0, 0);
    for line in lines(black_box(payload)) {
        copy_in(&mut b.input, line);
        let mut tape =
            std::mem::replace(&mut b.tape, Tape(Vec::new())).reset();
        if simd_json::fill_tape(&mut b.input, &mut b.buffers, &mut tape)
            .is_ok()
        {
            records += 1;
            nodes += tape.0.len();
        }
        b.tape = tape.reset();
    }
    (records, nodes)
}

/// simd-json's tape of every record, written back out as JSON; returns
/// (records, bytes written). `each` sees every record's output.
fn tape_write_all(
    b: &mut Baseline,
    payload: &[u8],
    mut each: impl FnMut(&[u8], &[u8]),
) -> (usize, usize) {
    let (mut records, mut written) = (0, 0);
    for line in lines(black_box(payload)) {
        copy_in(&mut b.input, line);
        let mut tape =
            std::mem::replace(&mut b.tape, Tape(Vec::new())).reset();
        if simd_json::fill_tape(&mut b.input, &mut b.buffers, &mut tape)
            .is_ok()
        {
            b.out.clear();
            if tape.as_value().write(&mut b.out).is_ok() {
                records += 1;
                written += b.out.len();
                each(line, &b.out);
            }
        }
        b.tape = tape.reset();
    }
    (records, written)
}

/// `serde_json::Value` of every record, written back out; returns
/// (records, bytes written).
fn serde_value_all(
    b: &mut Baseline,
    payload: &[u8],
    mut each: impl FnMut(&[u8], &[u8]),
) -> (usize, usize) {
    let (mut records, mut written) = (0, 0);
    for line in lines(black_box(payload)) {
        copy_in(&mut b.input, line);
        if let Ok(value) = serde_json::from_slice::<Value>(&b.input) {
            b.out.clear();
            if serde_json::to_writer(&mut b.out, &value).is_ok() {
                records += 1;
                written += b.out.len();
                each(line, &b.out);
            }
        }
    }
    (records, written)
}

/// The number of simd-json tape nodes of a value: one per value and one
/// per object key.
fn tape_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Object(m) => m.values().map(|v| 1 + tape_nodes(v)).sum(),
        Value::Array(a) => a.iter().map(tape_nodes).sum(),
        _ => 0,
    }
}

/// JSON equality, with floats equal to 1e-12 relative (simd-json and
/// serde_json may round the last bit differently).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x.is_f64() || y.is_f64() {
                let (x, y) = (x.as_f64(), y.as_f64());
                x.zip(y).is_some_and(|(x, y)| {
                    (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
                })
            } else {
                x == y
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Checks that `out` is the JSON of `record`.
fn check_round_trip(record: &[u8], out: &[u8]) {
    let want: Value = serde_json::from_slice(record).expect("generated JSON");
    let got: Value = serde_json::from_slice(out).expect("written JSON");
    assert!(
        same(&want, &got),
        "{}\n{}",
        String::from_utf8_lossy(record),
        String::from_utf8_lossy(out)
    );
}

// ---------------------------------------------------------------------
// Hand-written structs for Databricks.Audit

/// A string borrowed from the input when it has no escapes (serde_json)
/// or always (simd-json, which unescapes in place), else owned.
/// `Cow<'a, str>` alone would always be owned inside an `Option`.
#[derive(Debug)]
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Str<'a>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

impl Serialize for Str<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The Databricks.Audit schema's fields; `J` holds the `json` fields.
#[derive(Debug, serde::Deserialize, Serialize)]
struct DatabricksAudit<'a, J> {
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    version: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "auditLevel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    audit_level: Option<Str<'a>>,
    timestamp: i64,
    #[serde(
        borrow,
        rename = "orgId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    org_id: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "shardName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    shard_name: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "accountId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    account_id: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "sourceIPAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    source_ip_address: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "userAgent",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    user_agent: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "sessionId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    session_id: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "requestId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    request_id: Option<Str<'a>>,
    #[serde(borrow, rename = "serviceName")]
    service_name: Str<'a>,
    #[serde(borrow, rename = "actionName")]
    action_name: Str<'a>,
    #[serde(
        borrow,
        rename = "userIdentity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    user_identity: Option<UserIdentity<'a>>,
    #[serde(
        rename = "requestParams",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    request_params: Option<J>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    response: Option<Response<'a, J>>,
    #[serde(
        rename = "MAX_LOG_MESSAGE_LENGTH",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    max_log_message_length: Option<i64>,
}

#[derive(Debug, serde::Deserialize, Serialize)]
struct UserIdentity<'a> {
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    email: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "subjectName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    subject_name: Option<Str<'a>>,
}

#[derive(Debug, serde::Deserialize, Serialize)]
struct Response<'a, J> {
    #[serde(
        rename = "statusCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    status_code: Option<i64>,
    #[serde(
        borrow,
        rename = "errorMessage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    error_message: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    result: Option<J>,
}

/// The structs with simd-json: reused buffers and tape, strings borrowed
/// from the input, `json` fields as `BorrowedValue`; written with
/// serde_json. Returns (records, bytes written).
fn structs_simd_all(
    b: &mut Baseline,
    payload: &[u8],
    mut each: impl FnMut(&[u8], &[u8]),
) -> (usize, usize) {
    let (mut records, mut written) = (0, 0);
    for line in lines(black_box(payload)) {
        copy_in(&mut b.input, line);
        let mut tape =
            std::mem::replace(&mut b.tape, Tape(Vec::new())).reset();
        if simd_json::fill_tape(&mut b.input, &mut b.buffers, &mut tape)
            .is_ok()
        {
            let mut de = simd_json::Deserializer::from_tape(tape);
            let event =
                DatabricksAudit::<simd_json::BorrowedValue<'_>>::deserialize(
                    &mut de,
                );
            tape = de.into_tape();
            if let Ok(event) = event {
                b.out.clear();
                if serde_json::to_writer(&mut b.out, &event).is_ok() {
                    records += 1;
                    written += b.out.len();
                    each(line, &b.out);
                }
            }
        }
        b.tape = tape.reset();
    }
    (records, written)
}

/// The structs with serde_json: strings borrowed when unescaped, `json`
/// fields as `serde_json::Value`. Returns (records, bytes written).
fn structs_serde_json_all(
    b: &mut Baseline,
    payload: &[u8],
    mut each: impl FnMut(&[u8], &[u8]),
) -> (usize, usize) {
    let (mut records, mut written) = (0, 0);
    for line in lines(black_box(payload)) {
        copy_in(&mut b.input, line);
        let event =
            serde_json::from_slice::<DatabricksAudit<'_, Value>>(&b.input);
        if let Ok(event) = event {
            b.out.clear();
            if serde_json::to_writer(&mut b.out, &event).is_ok() {
                records += 1;
                written += b.out.len();
                each(line, &b.out);
            }
        }
    }
    (records, written)
}

/// The Databricks.Audit schema's fields of a record, `null`s dropped:
/// what the structs must write.
fn databricks_projection(record: &[u8]) -> Value {
    const TOP: &[&str] = &[
        "version",
        "auditLevel",
        "timestamp",
        "orgId",
        "shardName",
        "accountId",
        "sourceIPAddress",
        "userAgent",
        "sessionId",
        "requestId",
        "serviceName",
        "actionName",
        "userIdentity",
        "requestParams",
        "response",
        "MAX_LOG_MESSAGE_LENGTH",
    ];
    fn keep(v: &Value, keys: &[&str]) -> Value {
        let Value::Object(m) = v else { return v.clone() };
        Value::Object(
            m.iter()
                .filter(|(k, v)| keys.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "userIdentity" => keep(v, &["email", "subjectName"]),
                        "response" => {
                            keep(v, &["statusCode", "errorMessage", "result"])
                        }
                        _ => v.clone(),
                    };
                    (k.clone(), v)
                })
                .collect(),
        )
    }
    let v: Value = serde_json::from_slice(record).expect("generated JSON");
    keep(&v, TOP)
}

fn check_projection(record: &[u8], out: &[u8]) {
    let want = databricks_projection(record);
    let got: Value = serde_json::from_slice(out).expect("written JSON");
    assert!(
        same(&want, &got),
        "{}\n{}",
        String::from_utf8_lossy(record),
        String::from_utf8_lossy(out)
    );
}

// ---------------------------------------------------------------------
// The benches

fn json_type(c: &mut Criterion, registry: &Registry, name: &str) {
    let corpus = json_gen::corpus(name, corpus_bytes(), SEED);
    let payload = &corpus.payload[..];
    let n = corpus.expected.len();
    assert!(n > 0);
    eprintln!(
        "normalize/{name}: {n} events, {} bytes, {} bytes per event",
        payload.len(),
        payload.len() / n
    );
    if let Ok(dir) = std::env::var("LOGNORM_BENCH_DUMP") {
        let path = std::path::Path::new(&dir).join(format!("{name}.jsonl"));
        std::fs::write(path, payload).expect("dump");
    }

    // Check every variant once before timing it.
    let lt = registry.log_type(name).expect("shipped");
    let parse_time: Timestamp = PARSE_TIME.parse().expect("timestamp");
    let mut ctx = Context::new(parse_time, *b"bench0");
    let mut scratch = Scratch::new();
    check_lognorm(lt, &mut ctx, &mut scratch, &corpus);

    let mut b = Baseline::new();
    let nodes: usize = lines(payload)
        .map(|l| tape_nodes(&serde_json::from_slice(l).expect("JSON")))
        .sum();
    assert_eq!(tape_all(&mut b, payload), (n, nodes), "{name}");
    let (records, written) = tape_write_all(&mut b, payload, check_round_trip);
    assert_eq!(records, n);
    assert!(written > 0);
    let (records, written) =
        serde_value_all(&mut b, payload, check_round_trip);
    assert_eq!(records, n);
    assert!(written > 0);

    let mut g = c.benchmark_group(format!("normalize/{name}"));
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.bench_function("lognorm", |bench| {
        bench.iter(|| lognorm_all(lt, &mut ctx, &mut scratch, payload))
    });
    g.bench_function("simd_json_tape", |bench| {
        bench.iter(|| tape_all(&mut b, payload))
    });
    g.bench_function("simd_json_write", |bench| {
        bench.iter(|| tape_write_all(&mut b, payload, |_, _| ()))
    });
    g.bench_function("serde_json_value", |bench| {
        bench.iter(|| serde_value_all(&mut b, payload, |_, _| ()))
    });
    if name == "Databricks.Audit" {
        let (records, written) =
            structs_simd_all(&mut b, payload, check_projection);
        assert_eq!(records, n);
        assert!(written > 0);
        let (records, written) =
            structs_serde_json_all(&mut b, payload, check_projection);
        assert_eq!(records, n);
        assert!(written > 0);
        g.bench_function("serde_simd_borrowed", |bench| {
            bench.iter(|| structs_simd_all(&mut b, payload, |_, _| ()))
        });
        g.bench_function("serde_json_structs", |bench| {
            bench.iter(|| structs_serde_json_all(&mut b, payload, |_, _| ()))
        });
    }
    g.finish();
}

fn json_types(c: &mut Criterion) {
    let registry = Registry::builtin();
    for name in JSON_TYPES {
        json_type(c, &registry, name);
    }
}

/// `iters` passes over `payload` on each of `n` threads sharing
/// `registry`, each with its own scratch and its own copy of the
/// payload; the wall time from when all threads are ready (copied and
/// warmed up) until the last one is done. Every pass must normalize
/// `events` events.
fn threads_run(
    registry: &Registry,
    name: &str,
    (payload, events): (&[u8], usize),
    n: usize,
    iters: u64,
) -> Duration {
    let ready = Barrier::new(n + 1);
    let copies: Vec<Vec<u8>> = (0..n).map(|_| payload.to_vec()).collect();
    std::thread::scope(|s| {
        let workers: Vec<_> = copies
            .iter()
            .map(|copy| {
                let registry = registry.clone();
                let ready = &ready;
                s.spawn(move || {
                    let lt = registry.log_type(name).expect("shipped");
                    let parse_time: Timestamp =
                        PARSE_TIME.parse().expect("timestamp");
                    let mut ctx = Context::new(parse_time, *b"bench0");
                    let mut scratch = Scratch::new();
                    // Warm-up: the scratch grows to the largest record.
                    let first = lognorm_all(lt, &mut ctx, &mut scratch, copy);
                    assert_eq!(first.0, events);
                    ready.wait();
                    let mut done = 0;
                    for _ in 0..iters {
                        done +=
                            lognorm_all(lt, &mut ctx, &mut scratch, copy).0;
                    }
                    done
                })
            })
            .collect();
        ready.wait();
        let start = Instant::now();
        for w in workers {
            let done = w.join().expect("worker");
            assert_eq!(done as u64, events as u64 * iters);
        }
        start.elapsed()
    })
}

fn threads(c: &mut Criterion) {
    let name = "Databricks.Audit";
    let registry = Registry::builtin();
    let corpus = json_gen::corpus(name, corpus_bytes(), SEED);
    let payload = &corpus.payload[..];
    let n = corpus.expected.len();

    let mut g = c.benchmark_group("normalize/threads");
    for threads in [1, 2] {
        // Every thread normalizes every record of its copy, every pass.
        let elapsed = threads_run(&registry, name, (payload, n), threads, 2);
        assert!(elapsed > Duration::ZERO);

        g.throughput(Throughput::Bytes((threads * payload.len()) as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(threads),
            &threads,
            |bench, &threads| {
                bench.iter_custom(|iters| {
                    threads_run(&registry, name, (payload, n), threads, iters)
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, json_types, threads);
criterion_main!(benches);
