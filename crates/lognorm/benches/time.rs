//! Timestamp benches: reading each time format and writing the output.
//!
//! Every bench reads the same number of generated instants (2000–2030,
//! nanosecond clock; 4,096 of them, 256 with `--test`) and reports
//! `Throughput::Elements`: timestamps are 10 to 35 bytes, so the cost per
//! value is the figure that matters, not bytes per second.
//!
//! - `time/rfc3339/parse`: `Timestamp::parse_rfc3339` directly, on a mix
//!   of layouts (`T` or space, 0/3/6/9 fraction digits, `Z` or an offset);
//! - `time/<format>/normalize` for `rfc3339`, `unix`, `unix_ms`,
//!   `unix_us`, `unix_ns`, `strftime` (`%d/%b/%Y:%H:%M:%S %z`),
//!   `strftime_f` (`%Y-%m-%d %H:%M:%S.%f`) and `layout`
//!   (`layout=01/02/2006 15:04:05.999`): the formats other than RFC 3339
//!   are only reachable through a schema, so each normalizes one-field
//!   records `{"t":…}` with a schema declaring `t` a timestamp of that
//!   format and `isEventTime`;
//! - `time/none/normalize`: the RFC 3339 records with `t` declared a
//!   `string`: everything of the above but the time format, so the
//!   difference is the format's cost (parse and write the timestamp);
//! - `time/output/write_to`: `Timestamp::write_to`, the 29-byte UTC text
//!   every row holds three times or more.
//!
//! Each bench checks every value against the instant it was generated
//! from before it is timed.
//!
//! ```text
//! cargo bench --bench time
//! cargo bench --bench time -- --test
//! ```

mod rng;

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lognorm::{Context, LogType, Registry, Scratch, Timestamp};
use rng::{XorShift, civil_from_days};

/// The generator's seed.
const SEED: u64 = 0x71e5_7a3b_0000_2024;

/// 2000-01-01T00:00:00Z and 2030-01-01T00:00:00Z in seconds.
const FROM: u64 = 946_684_800;
const TO: u64 = 1_893_456_000;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
    "Nov", "Dec",
];

/// The parse time of every record (no record falls back to it).
const PARSE_TIME: &str = "2024-06-03T12:00:00Z";

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// Values per bench.
fn count() -> usize {
    if test_mode() { 256 } else { 4096 }
}

/// `YYYY-MM-DD`, `HH:MM:SS` of seconds since the epoch.
fn civil(secs: i64) -> ((i64, u64, u64), (i64, i64, i64)) {
    let day = secs.div_euclid(86_400);
    let s = secs.rem_euclid(86_400);
    (civil_from_days(day), (s / 3600, s / 60 % 60, s % 60))
}

/// One generated instant written in a format, and the instant the text
/// means (the clock truncated to what the text holds).
struct Sample {
    text: String,
    want: Timestamp,
}

fn ts(nanos: i128) -> Timestamp {
    Timestamp::from_unix_nanos(nanos).expect("in range")
}

/// `n` instants in RFC 3339, in a mix of layouts.
fn rfc3339_samples(rng: &mut XorShift, n: usize) -> Vec<Sample> {
    (0..n)
        .map(|_| {
            let secs = rng.range(FROM, TO) as i64;
            let nanos = rng.below(1_000_000_000) as i64;
            let digits = *rng.pick(&[&0u32, &3, &3, &6, &9]);
            let unit = 10i64.pow(9 - digits);
            let frac = nanos / unit;
            // Zone offset in minutes: UTC half the time.
            let offset: i64 = if rng.chance(50) {
                0
            } else {
                *rng.pick(&[&-480i64, &-300, &60, &120, &330, &540])
            };
            let ((y, mo, d), (h, mi, s)) = civil(secs + offset * 60);
            let sep = if rng.chance(10) { ' ' } else { 'T' };
            let mut text =
                format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}");
            if digits > 0 {
                let _ = write!(text, ".{frac:0w$}", w = digits as usize);
            }
            if offset == 0 {
                text.push('Z');
            } else {
                let sign = if offset < 0 { '-' } else { '+' };
                let a = offset.abs();
                let _ = write!(text, "{sign}{:02}:{:02}", a / 60, a % 60);
            }
            let want =
                ts(i128::from(secs) * 1_000_000_000 + i128::from(frac * unit));
            Sample { text, want }
        })
        .collect()
}

/// `n` instants as JSON values of a numeric format: `unit` nanoseconds
/// per count (`1_000_000_000` for `unix`, which also gets fractions and
/// quoted values).
fn unix_samples(rng: &mut XorShift, n: usize, unit: i128) -> Vec<Sample> {
    (0..n)
        .map(|_| {
            let nanos = i128::from(rng.range(FROM, TO)) * 1_000_000_000
                + i128::from(rng.below(1_000_000_000));
            let count = nanos / unit;
            if unit == 1_000_000_000 {
                let ms = (nanos / 1_000_000) % 1000;
                match rng.below(10) {
                    0..=4 => Sample {
                        text: count.to_string(),
                        want: ts(count * unit),
                    },
                    5..=7 => Sample {
                        text: format!("{count}.{ms:03}"),
                        want: ts(count * unit + ms * 1_000_000),
                    },
                    _ => Sample {
                        text: format!("\"{count}\""),
                        want: ts(count * unit),
                    },
                }
            } else {
                Sample { text: count.to_string(), want: ts(count * unit) }
            }
        })
        .collect()
}

/// `n` instants as Apache access-log times, `03/Jun/2024:14:22:05 +0200`.
fn strftime_samples(rng: &mut XorShift, n: usize) -> Vec<Sample> {
    (0..n)
        .map(|_| {
            let secs = rng.range(FROM, TO) as i64;
            let offset = *rng.pick(&[&0i64, &0, &-420, &120, &330]);
            let ((y, mo, d), (h, mi, s)) = civil(secs + offset * 60);
            let sign = if offset < 0 { '-' } else { '+' };
            let a = offset.abs();
            let text = format!(
                "\"{d:02}/{}/{y:04}:{h:02}:{mi:02}:{s:02} {sign}{:02}{:02}\"",
                MONTHS[mo as usize - 1],
                a / 60,
                a % 60
            );
            Sample { text, want: ts(i128::from(secs) * 1_000_000_000) }
        })
        .collect()
}

/// `n` instants in UTC with microseconds, `2024-06-03 14:22:05.123456`
/// (`%Y-%m-%d %H:%M:%S.%f`), or in milliseconds as Go's
/// `01/02/2006 15:04:05.999` writes them (`06/03/2024 14:22:05.12`,
/// trailing zeros dropped) when `layout`.
fn fraction_samples(
    rng: &mut XorShift,
    n: usize,
    layout: bool,
) -> Vec<Sample> {
    (0..n)
        .map(|_| {
            let secs = rng.range(FROM, TO) as i64;
            let ((y, mo, d), (h, mi, s)) = civil(secs);
            let (text, nanos) = if layout {
                let ms = rng.below(1000) as i64;
                let frac = format!(".{ms:03}");
                let frac = frac.trim_end_matches('0').trim_end_matches('.');
                (
                    format!("\"{mo:02}/{d:02}/{y:04} {h:02}:{mi:02}:{s:02}{frac}\""),
                    ms * 1_000_000,
                )
            } else {
                let us = rng.below(1_000_000) as i64;
                (
                    format!("\"{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{us:06}\""),
                    us * 1000,
                )
            };
            let want = ts(i128::from(secs) * 1_000_000_000 + i128::from(nanos));
            Sample { text, want }
        })
        .collect()
}

/// A one-field schema: `t`, of `kind` (YAML for the type and its keys).
fn schema(name: &str, kind: &str) -> String {
    format!("schema: Bench.{name}\nfields:\n  - name: t\n    {kind}\n")
}

fn timestamp_schema(name: &str, format: &str) -> String {
    schema(
        name,
        &format!(
            "type: timestamp\n    timeFormats: ['{format}']\n    \
             isEventTime: true"
        ),
    )
}

/// NDJSON records `{"t":<value>}`; `quote` wraps the values in quotes.
fn payload(samples: &[Sample], quote: bool) -> Vec<u8> {
    let mut p = Vec::new();
    for s in samples {
        let q = if quote { "\"" } else { "" };
        p.extend_from_slice(
            format!("{{\"t\":{q}{}{q}}}\n", s.text).as_bytes(),
        );
    }
    p
}

/// Normalizes every record; returns the sum of the event times' seconds
/// (and of the row lengths, so the rows are written).
fn normalize_all(
    lt: &LogType,
    ctx: &mut Context,
    scratch: &mut Scratch,
    payload: &[u8],
) -> (i64, usize) {
    let (mut secs, mut bytes) = (0i64, 0);
    for record in lt.split(black_box(payload)) {
        if let Ok(event) = lt.normalize(record, ctx, scratch) {
            secs = secs.wrapping_add(event.event_time().unix_seconds());
            bytes += event.row_bytes().len();
        }
    }
    (secs, bytes)
}

fn parse_all(samples: &[Sample]) -> i64 {
    let mut secs = 0i64;
    for s in samples {
        if let Some(t) = Timestamp::parse_rfc3339(black_box(&s.text)) {
            secs = secs.wrapping_add(t.unix_seconds());
        }
    }
    secs
}

fn write_all(times: &[Timestamp], out: &mut Vec<u8>) -> usize {
    out.clear();
    for t in times {
        black_box(*t).write_to(out);
    }
    out.len()
}

fn time(c: &mut Criterion) {
    let n = count();
    let mut rng = XorShift::new(SEED);
    let rfc = rfc3339_samples(&mut rng, n);
    let want_secs = |samples: &[Sample]| {
        samples.iter().fold(0i64, |a, s| a.wrapping_add(s.want.unix_seconds()))
    };

    let mut g = c.benchmark_group("time");
    g.throughput(Throughput::Elements(n as u64));

    // RFC 3339, directly.
    for s in &rfc {
        assert_eq!(
            Timestamp::parse_rfc3339(&s.text),
            Some(s.want),
            "{}",
            s.text
        );
    }
    assert_eq!(parse_all(&rfc), want_secs(&rfc));
    g.bench_function("rfc3339/parse", |b| b.iter(|| parse_all(&rfc)));

    // Every format through a one-field schema.
    let cases: Vec<(&str, String, Vec<Sample>, bool)> = vec![
        ("rfc3339", timestamp_schema("Rfc3339", "rfc3339"), rfc, true),
        (
            "unix",
            timestamp_schema("Unix", "unix"),
            unix_samples(&mut rng, n, 1_000_000_000),
            false,
        ),
        (
            "unix_ms",
            timestamp_schema("UnixMs", "unix_ms"),
            unix_samples(&mut rng, n, 1_000_000),
            false,
        ),
        (
            "unix_us",
            timestamp_schema("UnixUs", "unix_us"),
            unix_samples(&mut rng, n, 1_000),
            false,
        ),
        (
            "unix_ns",
            timestamp_schema("UnixNs", "unix_ns"),
            unix_samples(&mut rng, n, 1),
            false,
        ),
        (
            "strftime",
            timestamp_schema("Strftime", "%d/%b/%Y:%H:%M:%S %z"),
            strftime_samples(&mut rng, n),
            false,
        ),
        (
            "strftime_f",
            timestamp_schema("StrftimeF", "%Y-%m-%d %H:%M:%S.%f"),
            fraction_samples(&mut rng, n, false),
            false,
        ),
        (
            "layout",
            timestamp_schema("Layout", "layout=01/02/2006 15:04:05.999"),
            fraction_samples(&mut rng, n, true),
            false,
        ),
    ];
    let parse_time: Timestamp = PARSE_TIME.parse().expect("timestamp");
    let mut none = None;
    for (format, yaml, samples, quote) in &cases {
        let registry = Registry::builder()
            .add_yaml("time.yml", yaml)
            .unwrap_or_else(|e| panic!("{e}\n{yaml}"))
            .build();
        let lt = registry.log_types().next().expect("one type");
        let payload = payload(samples, *quote);
        let mut ctx = Context::new(parse_time, *b"bench0");
        let mut scratch = Scratch::new();
        let records: Vec<_> = lt.split(&payload).collect();
        assert_eq!(records.len(), n);
        for (record, s) in records.into_iter().zip(samples) {
            let event = lt
                .normalize(record, &mut ctx, &mut scratch)
                .unwrap_or_else(|e| panic!("{format}: {e}"));
            assert_eq!(event.event_time(), s.want, "{format}: {}", s.text);
            let t = format!(r#"{{"t":"{}","#, s.want);
            assert!(event.row().starts_with(&t), "{}", event.row());
        }
        let (secs, bytes) =
            normalize_all(lt, &mut ctx, &mut scratch, &payload);
        assert_eq!(secs, want_secs(samples), "{format}");
        assert!(bytes > payload.len());
        g.bench_function(format!("{format}/normalize"), |b| {
            b.iter(|| normalize_all(lt, &mut ctx, &mut scratch, &payload))
        });
        if *format == "rfc3339" {
            none = Some(payload);
        }
    }

    // The same RFC 3339 records with `t` a string: no time format.
    let payload = none.expect("rfc3339 case");
    let registry = Registry::builder()
        .add_yaml("none.yml", &schema("None", "type: string"))
        .expect("schema")
        .build();
    let lt = registry.log_types().next().expect("one type");
    let mut ctx = Context::new(parse_time, *b"bench0");
    let mut scratch = Scratch::new();
    let (secs, bytes) = normalize_all(lt, &mut ctx, &mut scratch, &payload);
    // No event time: every event has the parse time.
    assert_eq!(secs, parse_time.unix_seconds().wrapping_mul(n as i64));
    assert!(bytes > payload.len());
    g.bench_function("none/normalize", |b| {
        b.iter(|| normalize_all(lt, &mut ctx, &mut scratch, &payload))
    });

    // The output text.
    let times: Vec<Timestamp> = cases[0].2.iter().map(|s| s.want).collect();
    let mut out = Vec::new();
    assert_eq!(write_all(&times, &mut out), 29 * n);
    for (chunk, t) in out.chunks(29).zip(&times) {
        let want = t.to_chrono().format("%Y-%m-%d %H:%M:%S%.9f").to_string();
        assert_eq!(chunk, want.as_bytes());
    }
    g.bench_function("output/write_to", |b| {
        b.iter(|| write_all(&times, &mut out))
    });
    g.finish();
}

criterion_group!(benches, time);
criterion_main!(benches);
