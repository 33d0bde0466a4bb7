//! Allocation and memory tests with a counting global allocator (per
//! thread, so parallel tests do not disturb it; the only global allocator
//! of this test binary).
//!
//! - Steady state: after warm-up with the same scratch, each event of
//!   every shipped log type costs zero heap allocations, and an error
//!   costs a few small ones (the error's own parts).
//! - Memory bound: normalizing a large payload holds a small constant
//!   times the largest record, whatever the payload's size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;

use lognorm::{LogType, Registry, Scratch};

use crate::util::{context, testdata};

struct Counting;

thread_local! {
    /// Calls to `alloc` and `realloc` made by this thread.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    /// Bytes allocated minus bytes freed by this thread.
    static LIVE: Cell<i64> = const { Cell::new(0) };
    /// The highest `LIVE` since the last `reset_peak`.
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn grow(delta: i64) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn size(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

// SAFETY: forwards to the system allocator; only counts calls and bytes.
#[allow(unsafe_code, reason = "a counting allocator wraps the system one")]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        grow(size(layout.size()));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        grow(-size(layout.size()));
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(
        &self,
        ptr: *mut u8,
        layout: Layout,
        new: usize,
    ) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        grow(size(new) - size(layout.size()));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

fn live() -> i64 {
    LIVE.with(Cell::get)
}

/// Starts a new peak measurement at the current live bytes; returns them.
fn reset_peak() -> i64 {
    let now = live();
    PEAK.with(|p| p.set(now));
    now
}

fn peak() -> i64 {
    PEAK.with(Cell::get)
}

#[test]
fn the_counters_see_this_threads_allocations() {
    let (before, live_before) = (allocations(), live());
    let base = reset_peak();
    let probe: Vec<u8> = Vec::with_capacity(1000);
    assert_eq!(allocations() - before, 1);
    assert_eq!(live() - live_before, 1000);
    drop(probe);
    assert_eq!(live(), live_before);
    assert_eq!(peak() - base, 1000);
    let mut v: Vec<u8> = Vec::with_capacity(10);
    v.reserve_exact(90);
    assert_eq!(allocations() - before, 3);
    assert_eq!(live() - live_before, 90);
}

/// The payload files of a log type: `*.jsonl` for JSON types, `*.log`,
/// `*.csv` or `*.tsv` for text types (not the expected outputs), sorted.
fn inputs(log_type: &LogType) -> Vec<PathBuf> {
    let exts: &[&str] =
        if log_type.is_text() { &["log", "csv", "tsv"] } else { &["jsonl"] };
    let dir = testdata().join("logs").join(log_type.name());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            p.extension().is_some_and(|e| exts.iter().any(|x| e == *x))
                && !name.ends_with(".expected.jsonl")
        })
        .collect();
    files.sort();
    files
}

/// What normalizing every record of a log type's inputs cost, after
/// warm-up.
#[derive(Debug, Default)]
struct Cost {
    events: usize,
    errors: usize,
    /// The most allocations of one event (must be 0).
    event_max: u64,
    /// The most allocations of one error, and its message.
    error_max: (u64, String),
    /// Allocations of all errors.
    error_total: u64,
    /// The most bytes one record left allocated once its outcome was
    /// dropped (must be 0: nothing is retained per record).
    retained_max: i64,
}

fn steady_state_cost(log_type: &LogType) -> Cost {
    let payloads: Vec<Vec<u8>> =
        inputs(log_type).iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(!payloads.is_empty(), "{}: no inputs", log_type.name());
    let mut ctx = context();
    let mut scratch = Scratch::new();
    // Warm-up: buffers grow to the largest record of every input.
    for _ in 0..2 {
        for payload in &payloads {
            for record in log_type.split(payload) {
                let _ = log_type
                    .normalize(record, &mut ctx, &mut scratch)
                    .map(|e| e.row().len());
            }
        }
    }
    let mut cost = Cost::default();
    let mut worst = None;
    for payload in &payloads {
        for record in log_type.split(payload) {
            let (before, live_before) = (allocations(), live());
            let result = log_type.normalize(record, &mut ctx, &mut scratch);
            let n = allocations() - before;
            let ok = match &result {
                Ok(event) => !event.row().is_empty(),
                Err(e) => e.raw() != record.bytes(),
            };
            let is_event = result.is_ok();
            drop(result);
            cost.retained_max = cost.retained_max.max(live() - live_before);
            if is_event {
                assert!(ok);
                cost.events += 1;
                cost.event_max = cost.event_max.max(n);
            } else {
                assert!(!ok);
                cost.errors += 1;
                cost.error_total += n;
                if n > cost.error_max.0 {
                    cost.error_max.0 = n;
                    worst = Some(record);
                }
            }
        }
    }
    if let Some(record) = worst {
        let e = log_type.normalize(record, &mut ctx, &mut scratch);
        cost.error_max.1 = e.err().map(|e| e.to_string()).unwrap_or_default();
    }
    cost
}

#[test]
fn steady_state_events_do_not_allocate_for_every_shipped_type() {
    let registry = Registry::builtin();
    let mut total_events = 0;
    let mut total_errors = 0;
    let mut report = Vec::new();
    for log_type in registry.log_types() {
        let cost = steady_state_cost(log_type);
        assert_eq!(cost.event_max, 0, "{}", log_type.name());
        assert!(cost.events >= 5, "{}: {cost:?}", log_type.name());
        assert!(cost.errors >= 3, "{}: {cost:?}", log_type.name());
        // An error is a `RecordError`: one box holding the log type, the
        // field path, what was expected, what was found and the raw
        // record (up to 6 allocations), plus what the walker builds on
        // the way out: its box, the found text (quoted twice), a formatted
        // expectation (a timestamp error formats each format name), the
        // reversed field path (a Vec and one `Box<str>` per field name)
        // and the path string growing. Measured: 9.5 to 10.5 on average,
        // at most 17 (`event.targets[1].metadata.created`). The bounds
        // pin that: more would mean the error path does more work, or
        // work that grows with the record.
        assert!(
            cost.error_max.0 <= 17,
            "{}: an error cost {} allocations: {}",
            log_type.name(),
            cost.error_max.0,
            cost.error_max.1
        );
        assert!(
            cost.error_total <= 11 * cost.errors as u64,
            "{}: {cost:?}",
            log_type.name()
        );
        // Nothing outlives a record's outcome.
        assert_eq!(cost.retained_max, 0, "{}", log_type.name());
        total_events += cost.events;
        total_errors += cost.errors;
        report.push(format!(
            "{}: {} events (0 allocations), {} errors ({:.1} allocations \
             on average, at most {}: {})",
            log_type.name(),
            cost.events,
            cost.errors,
            cost.error_total as f64 / cost.errors as f64,
            cost.error_max.0,
            cost.error_max.1
        ));
    }
    // `cargo test alloc -- --nocapture` shows what each error cost.
    println!("{}", report.join("\n"));
    assert_eq!(registry.log_types().count(), 7);
    assert!(total_events > 250, "{total_events} events");
    assert!(total_errors > 30, "{total_errors} errors");
}

/// The regex and csv log types of the golden files (test schemas in
/// `testdata/schemas-text/`): matching (the one-pass DFA and the regex
/// crate's search), csv rows with and without quotes, header maps and
/// the shared text stage allocate nothing per event either.
#[test]
fn steady_state_events_do_not_allocate_for_regex_and_csv_types() {
    let mut b = Registry::builder();
    b.add_dir(testdata().join("schemas-text")).unwrap();
    let registry = b.build();
    let mut names = Vec::new();
    for log_type in registry.log_types() {
        let cost = steady_state_cost(log_type);
        assert_eq!(cost.event_max, 0, "{}", log_type.name());
        assert!(cost.events >= 3, "{}: {cost:?}", log_type.name());
        assert!(cost.errors >= 1, "{}: {cost:?}", log_type.name());
        assert!(cost.error_max.0 <= 17, "{}: {cost:?}", log_type.name());
        assert_eq!(cost.retained_max, 0, "{}", log_type.name());
        names.push(log_type.name().to_owned());
    }
    names.sort();
    assert_eq!(
        names,
        [
            "Test.ApacheAccess",
            "Test.CsvExport",
            "Test.NginxAccess",
            "Test.TsvAudit"
        ]
    );
}

/// One timestamp field per kind of time format, each read from text and
/// (where the format takes them) from numbers.
const TIMES_YAML: &str = r#"
schema: Alloc.Times
fields:
  - name: rfc
    type: timestamp
  - name: unix
    type: timestamp
    timeFormat: unix
  - name: clf
    type: timestamp
    timeFormat: '%d/%b/%Y:%H:%M:%S %z'
  - name: frac
    type: timestamp
    timeFormats: ['%Y-%m-%d %H:%M:%S.%f %Z', '%s']
  - name: week
    type: timestamp
    timeFormat: '%G-W%V-%u %r'
  - name: go
    type: timestamp
    timeFormat: 'layout=Mon, 02 Jan 2006 15:04:05.999 -07:00 MST'
  - name: cf
    type: timestamp
    timeFormat: cloudflare
    isEventTime: true
"#;

#[test]
fn every_time_format_reads_without_allocating() {
    let mut b = Registry::builder();
    b.add_yaml("times.yml", TIMES_YAML).unwrap();
    let registry = b.build();
    let times = registry.log_type("Alloc.Times").unwrap();
    let payload = concat!(
        r#"{"rfc":"2024-01-02T03:04:05.123456789+01:00","unix":1702857600.5,"#,
        r#""clf":"10/Oct/2000:13:55:36 -0700","frac":"2024-01-02 03:04:05.123456 UTC","#,
        r#""week":"2024-W01-1 01:02:03 PM","#,
        r#""go":"Fri, 21 Oct 2016 07:28:00,25 +02:00 CEST","cf":1600368586194526741}"#,
        "\n",
        r#"{"unix":"1702857600","frac":1702857600,"cf":"2020-09-17T18:00:01Z","#,
        r#""go":"fri, 21 OCT 2016 07:28:00 -00:30 GMT+3"}"#,
        "\n",
        r#"{"cf":1600365601,"frac":"2024-01-02 03:04:05.5 PST"}"#,
        "\n",
    )
    .as_bytes();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    for _ in 0..2 {
        for record in times.split(payload) {
            let row = times
                .normalize(record, &mut ctx, &mut scratch)
                .map(|e| e.row().len());
            assert!(row.is_ok(), "{row:?}");
        }
    }
    let mut events = 0;
    for record in times.split(payload) {
        let before = allocations();
        let event = times.normalize(record, &mut ctx, &mut scratch).unwrap();
        assert_eq!(allocations() - before, 0, "{}", event.row());
        events += 1;
    }
    assert_eq!(events, 3);
}

/// Every transformation, and field discovery (SPEC §10).
const TRANSFORMS_YAML: &str = r#"
schema: Alloc.Transforms
fieldDiscoveryEnabled: true
fields:
  - name: userId
    type: string
    rename: {from: PIN}
    mask: {type: redact, to: "****"}
  - name: uid
    type: bigint
    copy: {from: user.id}
  - name: full
    type: string
    concat: {paths: [host, port, user.name], separator: ":"}
  - name: port2
    type: int
    split: {from: addr, separator: ":", index: 1}
  - name: user
    type: object
    fields:
      - name: id
        type: bigint
"#;

#[test]
fn transformations_and_discovery_do_not_allocate() {
    let mut b = Registry::builder();
    b.add_yaml("transforms.yml", TRANSFORMS_YAML).unwrap();
    let registry = b.build();
    let lt = registry.log_type("Alloc.Transforms").unwrap();
    let payload = concat!(
        r#"{"PIN":"1234","user":{"id":7,"name":"ana"},"host":"h","port":443,"#,
        r#""addr":"h:8080","extra-1":"x","t":"2024-01-02T03:04:05Z","n":1.5,"#,
        r#""o":{"a":[1,2]},"b":true,"z":-4}"#,
        "\n",
        r#"{"z":1,"y":2,"x":3,"w":"2024-01-02T03:04:05Z","host":"only"}"#,
        "\n",
    )
    .as_bytes();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    for _ in 0..2 {
        for record in lt.split(payload) {
            let row = lt
                .normalize(record, &mut ctx, &mut scratch)
                .map(|e| e.row().len());
            assert!(row.is_ok(), "{row:?}");
        }
    }
    let mut discovered = 0;
    for record in lt.split(payload) {
        let before = allocations();
        let event = lt.normalize(record, &mut ctx, &mut scratch).unwrap();
        discovered += event.discovered().len();
        assert_eq!(allocations() - before, 0, "{}", event.row());
    }
    // Keys read only by `copy`, `concat` and `split` are undeclared too.
    assert_eq!(discovered, 9 + 5);
}

/// A Wiz.Audit record of about `size` bytes whose bulk is `shape`:
/// 0 a long string, 1 a dense array of numbers in a `json` field, 2 an
/// object of many short keys in a `json` field, 3 escaped text.
fn wiz_record(n: usize, size: usize, shape: usize) -> String {
    let head = format!(
        r#"{{"id":"{n}","action":"Login","timestamp":"2024-01-01T00:00:00Z","sourceIP":"192.0.2.{}","user":{{"id":"u{n}","name":"user{}"}}"#,
        n % 250,
        n % 97
    );
    let room = size.saturating_sub(head.len() + 40);
    let bulk = match shape {
        0 => format!(r#","userAgent":"{}""#, "Mozilla/5.0 ".repeat(room / 12)),
        1 => {
            let items: Vec<&str> = vec!["7"; room / 2];
            format!(r#","actionParameters":[{}]"#, items.join(","))
        }
        2 => {
            let items: Vec<String> =
                (0..room / 11).map(|k| format!(r#""k{k:05}":1"#)).collect();
            format!(r#","actionParameters":{{{}}}"#, items.join(","))
        }
        _ => format!(r#","userAgent":"{}""#, "\\n\\u00e9".repeat(room / 8)),
    };
    format!("{head}{bulk}}}")
}

/// The most live bytes normalizing may hold, per byte of the largest
/// record. Scratch buffers sized by a record of `L` bytes with `S`
/// structural characters (`{}[],:` and each scalar, S <= L):
///
/// | buffer | bytes |
/// |---|---|
/// | lognorm's padded copy of the record (a Vec that doubles) | <= 2L |
/// | simd-json's aligned input copy and string buffer | ~2L |
/// | simd-json's structural indexes (u32, Vec doubling) | <= 8S |
/// | the tape, reserved at one node per structural (24 bytes a node) | 24S |
/// | the number-literal map (u32 per node) | <= 4S |
/// | the row, doubling | <= 2R |
///
/// For Wiz.Audit the row `R` is about `L` (strings and `json` values are
/// copied, and an escape is never longer in the row than in the record),
/// so at most ~6L + 36S <= 42L, plus a few fixed kilobytes. A
/// string-heavy record (few structurals) needs ~6L. 48 leaves room for
/// the fixed part and allocator rounding; anything that held memory per
/// record of the payload (instead of per largest record) would exceed it
/// by far on a 20 MB payload.
///
/// (Not every schema has R ~ L: a `timestamp` array turns each `0` of
/// `[0,0,…]` into a 31-byte timestamp, R ~ 16L. See the report.)
const MAX_HELD_PER_RECORD_BYTE: i64 = 48;

/// For records whose bulk is one long string: ~6L (see above).
const MAX_HELD_PER_STRING_BYTE: i64 = 8;

/// Normalizes every record of `payload` with a fresh scratch; returns the
/// peak live bytes above what was live at the start, and the rows if
/// `keep` (preallocated, so the list itself does not grow).
fn held(log_type: &LogType, payload: &[u8], keep: bool) -> (i64, Vec<String>) {
    let count = log_type.split(payload).count();
    let mut rows = Vec::with_capacity(if keep { count } else { 0 });
    let base = reset_peak();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    for record in log_type.split(payload) {
        let event =
            log_type.normalize(record, &mut ctx, &mut scratch).unwrap();
        assert!(event.row().len() > 100);
        if keep {
            rows.push(event.row().to_owned());
        }
    }
    (peak() - base, rows)
}

#[test]
fn memory_is_bounded_by_the_largest_record() {
    let registry = Registry::builtin();
    let wiz = registry.log_type("Wiz.Audit").unwrap();

    // One 100 KB record of each shape alone: string-heavy ones need a
    // few times their size, dense ones (a structural every other byte)
    // up to the table's bound.
    let mut ratios = Vec::new();
    for shape in 0..4 {
        let record = wiz_record(0, 100_000, shape);
        let (bytes, _) = held(wiz, record.as_bytes(), false);
        let len = record.len() as i64;
        ratios.push(format!("{:.1}", bytes as f64 / len as f64));
        let bound = if shape == 0 {
            MAX_HELD_PER_STRING_BYTE
        } else {
            MAX_HELD_PER_RECORD_BYTE
        };
        assert!(bytes <= bound * len, "shape {shape}: {bytes} for {len}");
    }

    // About 20 MB: mostly records of 300 bytes, every 40th between 10
    // and 100 KB, of every shape.
    let mut payload = Vec::with_capacity(21 << 20);
    let mut n = 0;
    while payload.len() < 20 << 20 {
        // Every 40th record is big: the first four are 100 KB, one of
        // each shape; then 25, 50, 75 and 10 KB.
        let (size, shape) = if n % 40 == 39 {
            let k = n / 40;
            ([100_000, 25_000, 50_000, 75_000, 10_000][(k / 4) % 5], k % 4)
        } else {
            (300, n % 4)
        };
        payload.extend_from_slice(wiz_record(n, size, shape).as_bytes());
        payload.push(b'\n');
        n += 1;
    }
    let largest =
        wiz.split(&payload).map(|r| r.bytes().len()).max().unwrap() as i64;
    assert!((95_000..=101_000).contains(&largest), "{largest}");

    // Each row dropped: the caller holds only the payload.
    let (dropped, _) = held(wiz, &payload, false);
    // Every row kept: add exactly their bytes.
    let (kept, rows) = held(wiz, &payload, true);
    assert_eq!(rows.len(), n);
    let row_bytes: i64 = rows.iter().map(|r| r.len() as i64).sum();
    println!(
        "alone: {} x the record (shapes 0..4); 20 MB payload, {n} records, \
         largest {largest} bytes: peak {dropped} bytes = {:.1} x largest \
         (rows dropped); {} bytes = {:.1} x largest + {row_bytes} bytes of \
         rows (rows kept)",
        ratios.join(", "),
        dropped as f64 / largest as f64,
        kept,
        (kept - row_bytes) as f64 / largest as f64,
    );
    assert!(dropped <= MAX_HELD_PER_RECORD_BYTE * largest, "{dropped}");
    assert!(kept <= MAX_HELD_PER_RECORD_BYTE * largest + row_bytes, "{kept}");
    // The rows themselves are most of what the caller keeps.
    assert!(row_bytes > 18 << 20, "{row_bytes}");
}

#[test]
fn streamed_input_holds_one_record_and_allocates_nothing_per_record() {
    // 32 MiB of NDJSON made as it is read (never in memory), lines of 300
    // bytes and every 200th of 2 MiB, through a SplitReader with a 256 KiB
    // record limit and 16 KiB reads: the reader's buffer stays near the
    // limit plus two reads, and once it has grown, records cost nothing.
    const LIMIT: usize = 256 << 10;
    const CHUNK: usize = 16 << 10;
    // The lines are made before measuring; the reader copies them.
    let short = format!("{}\n", wiz_record(0, 300, 0));
    let long = format!("{}\n", wiz_record(0, 2 << 20, 0));
    let n = (32 << 20) / ((long.len() + 199 * short.len()) / 200);
    let line = |i: usize, out: &mut Vec<u8>| {
        let text = if i % 200 == 199 { &long } else { &short };
        out.extend_from_slice(text.as_bytes());
    };
    let mut reader = crate::util::made(n, 1 << 20, line);
    reader.pending.reserve(long.len());
    let mut records =
        lognorm::SplitReader::new(reader, lognorm::Framing::Json)
            .max_record_bytes(LIMIT)
            .chunk_bytes(CHUNK);
    let base = reset_peak();
    let (mut seen, mut oversize, mut steady) = (0, 0, u64::MAX);
    while let Some(record) = records.next_record().unwrap() {
        seen += 1;
        oversize += usize::from(record.is_oversize());
        // After the first long record, the buffer is as large as it gets.
        if seen == 400 {
            steady = allocations();
        }
    }
    let steady = allocations() - steady;
    let held = peak() - base;
    println!(
        "streamed {n} records, {oversize} oversize: peak {held} bytes, {steady} allocations after warm-up"
    );
    assert_eq!((seen, oversize), (n, n / 200));
    assert_eq!(steady, 0);
    assert!(held <= (LIMIT + 64 + 3 * CHUNK + 64) as i64, "{held}");
}

/// The Arrow decoder (feature `arrow`): once its builders have held a
/// batch, normalizing the same records into the next batch allocates
/// nothing per event. What allocates is once per batch and column (a
/// column's null bitmap, made at its first null), so the bound is the
/// number of column builders while the batch holds hundreds of events.
#[cfg(feature = "arrow")]
#[test]
fn arrow_batches_do_not_allocate_per_event() {
    use lognorm::arrow::{BatchDecoder, arrow_schema};

    /// The builders of a field: itself and every field inside it.
    fn builders(data_type: &arrow_schema::DataType) -> usize {
        use arrow_schema::DataType;
        1 + match data_type {
            DataType::Struct(fields) => {
                fields.iter().map(|f| builders(f.data_type())).sum()
            }
            DataType::List(item) => builders(item.data_type()),
            _ => 0,
        }
    }

    let registry = Registry::builtin();
    for log_type in registry.log_types() {
        let payloads: Vec<Vec<u8>> = inputs(log_type)
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        let columns: usize = arrow_schema(log_type)
            .fields()
            .iter()
            .map(|f| builders(f.data_type()))
            .sum();
        let mut ctx = context();
        let mut decoder = BatchDecoder::new(log_type, usize::MAX);
        let mut batch = |decoder: &mut BatchDecoder<'_>, measure: bool| {
            let (mut events, mut spent) = (0, 0);
            for _ in 0..30 {
                for payload in &payloads {
                    for record in log_type.split(payload) {
                        let (before, rows) = (allocations(), decoder.len());
                        decoder.decode_record(record, &mut ctx).unwrap();
                        if decoder.len() > rows {
                            events += 1;
                            spent += allocations() - before;
                        }
                    }
                }
            }
            let batches = decoder.flush().unwrap().unwrap();
            assert_eq!(batches.events.num_rows(), events);
            if measure {
                println!(
                    "{}: {events} events into a batch: {spent} \
                     allocations ({columns} column builders)",
                    log_type.name()
                );
                assert!(events >= 300, "{}: {events} events", log_type.name());
                assert!(
                    spent <= columns as u64,
                    "{}: {spent} allocations for {events} events \
                     ({columns} column builders)",
                    log_type.name()
                );
            }
        };
        batch(&mut decoder, false);
        batch(&mut decoder, true);
    }
}

/// Classifying a stream of one type's records over all seven shipped
/// types, after warm-up, allocates nothing: the key scan keeps every
/// other candidate from being walked and failing (a failed candidate's
/// error would cost its few small allocations; the counters show none).
#[test]
fn classifying_one_types_stream_does_not_allocate() {
    let registry = Registry::builtin();
    let names: Vec<&str> = registry.log_types().map(LogType::name).collect();
    let c = registry.classifier(&names).unwrap();
    for log_type in registry.log_types() {
        let payloads: Vec<Vec<u8>> = inputs(log_type)
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        let mut ctx = context();
        let mut scratch = Scratch::new();
        let mut state = c.state();
        let mut records = Vec::new();
        for payload in &payloads {
            for record in log_type.split(payload) {
                if log_type.normalize(record, &mut ctx, &mut scratch).is_ok() {
                    records.push(record);
                }
            }
        }
        assert!(records.len() > 10, "{}", log_type.name());
        for _ in 0..2 {
            for &record in &records {
                let _ = c.classify(record, &mut ctx, &mut scratch, &mut state);
            }
        }
        let failed: u64 = state.counts().iter().map(|n| n.failed).sum();
        for &record in &records {
            let before = allocations();
            let won = c.classify(record, &mut ctx, &mut scratch, &mut state);
            let n = allocations() - before;
            assert_eq!(won.unwrap().0.name(), log_type.name());
            assert_eq!(n, 0, "{}: an event allocated", log_type.name());
        }
        let now: u64 = state.counts().iter().map(|n| n.failed).sum();
        assert_eq!(now, failed, "{}: a candidate failed", log_type.name());
    }
}
