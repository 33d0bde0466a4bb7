//! The regex and csv text parsers end to end, against what a Rust user
//! would otherwise pick, on the same bytes in the same run:
//!
//! - `text/regex/lognorm`: 10,000 generated Apache access lines split and
//!   normalized by a `parser: regex` log type (capture, coercion of the
//!   status and size, the timestamp, the client IP indicator, the row);
//! - `text/regex/regex_captures`: the `regex` crate's captures of the same
//!   pattern on each line, nothing else (the issue's floor: lognorm should
//!   cost at most 1.3× it);
//! - `text/csv/lognorm`: a 10,000-row CSV export with a header and quoted
//!   fields split and normalized by a `parser: csv` log type;
//! - `text/csv/csv_byte_records`: the `csv` crate reading the same payload
//!   into a reused `ByteRecord` (target: lognorm at least 0.5× its
//!   throughput);
//! - `text/csv/csv_serde_rows`: what a Rust user would write for the same
//!   job: the `csv` crate deserializing each row into a struct with serde,
//!   chrono reading and writing the timestamp, serde_json writing the row
//!   (`text_gen::csv_serde_rows`).
//!
//! Each variant's result is checked once before it is timed.
//!
//! ```text
//! cargo bench --bench textparsers
//! ```

mod rng;
mod text_gen;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lognorm::{Context, Registry, Scratch};
use regex::Regex;
use text_gen::{
    APACHE, CSV_SCHEMA, LINES, apache_payload, apache_schema, csv_payload,
};

fn text(c: &mut Criterion) {
    let mut b = Registry::builder();
    b.add_yaml("apache.yml", &apache_schema()).expect("schema");
    b.add_yaml("export.yml", CSV_SCHEMA).expect("schema");
    let registry = b.build();
    let parse_time = "2024-06-03T12:00:00Z".parse().expect("time");

    // regex
    let apache = registry.log_type("Bench.Apache").expect("log type");
    let payload = apache_payload();
    let re = Regex::new(APACHE).expect("regex");
    let mut ctx = Context::new(parse_time, *b"bench0");
    let mut scratch = Scratch::new();
    let events = apache
        .split(&payload)
        .filter(|&r| apache.normalize(r, &mut ctx, &mut scratch).is_ok())
        .count();
    assert_eq!(events, LINES, "every access line normalizes");
    let matched =
        payload.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    assert_eq!(matched, LINES);
    let mut g = c.benchmark_group("text/regex");
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.bench_function("lognorm", |bch| {
        bch.iter(|| {
            let mut n = 0;
            for r in apache.split(black_box(&payload)) {
                if let Ok(e) = apache.normalize(r, &mut ctx, &mut scratch) {
                    n += e.row_bytes().len();
                }
            }
            n
        });
    });
    let text = std::str::from_utf8(&payload).expect("utf-8");
    let mut locs = re.capture_locations();
    assert!(text.lines().all(|l| re.captures_read(&mut locs, l).is_some()));
    g.bench_function("regex_captures", |bch| {
        bch.iter(|| {
            let mut n = 0;
            for line in black_box(text).lines() {
                if re.captures_read(&mut locs, line).is_some() {
                    n += locs.get(1).map_or(0, |(s, e)| e - s);
                }
            }
            n
        });
    });
    g.finish();

    // csv
    let export = registry.log_type("Bench.Export").expect("log type");
    let payload = csv_payload();
    let events = export
        .split(&payload)
        .filter(|&r| export.normalize(r, &mut ctx, &mut scratch).is_ok())
        .count();
    assert_eq!(events, LINES, "every csv row normalizes");
    let mut g = c.benchmark_group("text/csv");
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.bench_function("lognorm", |bch| {
        bch.iter(|| {
            let mut n = 0;
            for r in export.split(black_box(&payload)) {
                if let Ok(e) = export.normalize(r, &mut ctx, &mut scratch) {
                    n += e.row_bytes().len();
                }
            }
            n
        });
    });
    let mut record = csv::ByteRecord::new();
    g.bench_function("csv_byte_records", |bch| {
        bch.iter(|| {
            let mut rdr = csv::Reader::from_reader(black_box(&payload[..]));
            let mut n = 0;
            while rdr.read_byte_record(&mut record).expect("csv") {
                n += record.len();
            }
            assert_eq!(n, LINES * 5);
            n
        });
    });
    let mut out = Vec::new();
    assert_eq!(text_gen::csv_serde_rows(&payload, &mut out).0, LINES);
    g.bench_function("csv_serde_rows", |bch| {
        bch.iter(|| text_gen::csv_serde_rows(black_box(&payload), &mut out));
    });
    g.finish();
}

criterion_group!(benches, text);
criterion_main!(benches);
