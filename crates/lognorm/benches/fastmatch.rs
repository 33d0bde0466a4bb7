//! fastmatch benches on generated Heroku runtime log lines.
//!
//! Every bench runs over the same 10,000 lines (see `heroku_gen.rs`),
//! reports `Throughput::Bytes` and checks its own result once before it
//! is timed, so a broken matcher cannot be fast by accident:
//!
//! - `fastmatch/heroku/memmem_scan`: the floor, the eight delimiters
//!   found in order with prebuilt `memmem::Finder`s, nothing captured;
//! - `fastmatch/heroku/regex_captures`: the `regex` crate capturing the
//!   same nine fields, `captures_read` with reused `CaptureLocations`;
//! - `fastmatch/heroku/pattern_matches`: `Pattern::matches`, reused
//!   `Captures`;
//! - `fastmatch/heroku/parser_parse`: `Parser::parse` with the schema's
//!   `emptyValues`, reused `ParseScratch`;
//! - `normalize/Heroku.Runtime/end_to_end`: one logplex body of all the
//!   lines, split and normalized with a reused `Scratch` and `Context`.
//!
//! ```text
//! cargo bench --bench fastmatch               # measure
//! cargo bench --bench fastmatch -- --test     # each bench once (CI)
//! ```

mod heroku_gen;
mod rng;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lognorm::fastmatch::{
    Captures, ParseScratch, Parser, ParserConfig, Pattern,
};
use lognorm::{Context, Registry, Scratch, Timestamp};
use memchr::memmem::Finder;
use regex::{CaptureLocations, Regex};

/// Lines per iteration.
const LINES: usize = 10_000;

/// The generator's seed.
const SEED: u64 = 0x5eed_4e70_c0de_2024;

/// The shipped schema, to check that the pattern below is its pattern.
const SCHEMA: &str = include_str!("../schemas/Heroku.Runtime.yml");

/// The Heroku.Runtime pattern.
const PATTERN: &str = "%{message_len} <%{priority}>%{version} \
                       %{timestamp} %{host_name} %{app_name} %{process_id} \
                       %{message_id} %{message}";

/// The Heroku.Runtime `emptyValues`.
const EMPTY_VALUES: &[&str] = &["-"];

/// The same nine fields as a regex. Each `[^ ]*` (`[^>]*`) field ends at
/// the first space (`>`), as a fastmatch field ends at the first
/// occurrence of its delimiter, so this is the pattern's exact meaning
/// for lines whose `message_len` has no space.
const REGEX: &str = concat!(
    r"^([^ ]*) <([^>]*)>([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ",
    r"((?s:.*))$",
);

/// The delimiters of the pattern, in order.
const DELIMS: [&str; 8] = [" <", ">", " ", " ", " ", " ", " ", " "];

/// The nine fields of a line, found the slow, obvious way: the oracle
/// every bench is checked against.
fn oracle(line: &str) -> [&str; 9] {
    let mut f = [""; 9];
    let (len, rest) = line.split_once(" <").expect("` <`");
    let (pri, rest) = rest.split_once('>').expect("`>`");
    f[0] = len;
    f[1] = pri;
    let mut rest = rest;
    for slot in &mut f[2..8] {
        let (v, r) = rest.split_once(' ').expect("a space");
        *slot = v;
        rest = r;
    }
    f[8] = rest;
    f
}

/// The generated lines and the payload, plus what every bench must find.
struct Fixture {
    lines: Vec<String>,
    /// Bytes of all lines, without line endings.
    line_bytes: u64,
    /// The lines as one logplex body, each followed by `\n`.
    payload: Vec<u8>,
    /// The sum over lines of the byte offset where `message` starts.
    message_starts: usize,
}

impl Fixture {
    fn new() -> Fixture {
        assert!(SCHEMA.contains(&format!("- '{PATTERN}'")), "pattern drift");
        let lines = heroku_gen::lines(LINES, SEED);
        let payload = heroku_gen::payload(&lines);
        let mut message_starts = 0;
        for line in &lines {
            let f = oracle(line);
            // The generator frames correctly: the count covers the
            // message after `LEN SP` and its newline.
            let count: usize = f[0].parse().expect("message_len");
            assert_eq!(count, line.len() - f[0].len() - 1 + 1, "{line}");
            message_starts += line.len() - f[8].len();
        }
        let line_bytes = lines.iter().map(|l| l.len() as u64).sum();
        Fixture { lines, line_bytes, payload, message_starts }
    }
}

/// The delimiter searchers of the baseline.
fn finders() -> Vec<Finder<'static>> {
    DELIMS.iter().map(|d| Finder::new(d.as_bytes()).into_owned()).collect()
}

/// The baseline: the offset where `message` starts, found by searching
/// each delimiter after the previous one.
#[inline]
fn memmem_scan(finders: &[Finder<'static>], line: &[u8]) -> Option<usize> {
    let mut pos = 0;
    for f in finders {
        pos += f.find(line.get(pos..)?)? + f.needle().len();
    }
    Some(pos)
}

fn scan_all(finders: &[Finder<'static>], lines: &[String]) -> usize {
    lines
        .iter()
        .map(|l| memmem_scan(finders, black_box(l.as_bytes())).unwrap_or(0))
        .sum()
}

fn regex_all(
    re: &Regex,
    locs: &mut CaptureLocations,
    lines: &[String],
) -> usize {
    let mut n = 0;
    for line in lines {
        if re.captures_read(locs, black_box(line)).is_some() {
            n += 1;
        }
    }
    n
}

fn matches_all(p: &Pattern, caps: &mut Captures, lines: &[String]) -> usize {
    let mut n = 0;
    for line in lines {
        if p.matches(black_box(line), caps) {
            n += 1;
        }
    }
    n
}

fn parse_all(p: &Parser, out: &mut ParseScratch, lines: &[String]) -> usize {
    let mut n = 0;
    for line in lines {
        if p.parse(black_box(line), out) {
            n += 1;
        }
    }
    n
}

/// Splits and normalizes the payload; returns (events, row bytes).
///
/// Never inlined, so it is one frame of its own in a profile.
#[inline(never)]
fn normalize_all(
    lt: &lognorm::LogType,
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

fn heroku(c: &mut Criterion) {
    let fx = Fixture::new();
    let lines = &fx.lines[..];

    let mut g = c.benchmark_group("fastmatch/heroku");
    g.throughput(Throughput::Bytes(fx.line_bytes));

    // The floor: find the delimiters, capture nothing.
    let finders = finders();
    for line in lines {
        let start = memmem_scan(&finders, line.as_bytes());
        assert_eq!(start, Some(line.len() - oracle(line)[8].len()), "{line}");
    }
    assert_eq!(scan_all(&finders, lines), fx.message_starts);
    g.bench_function("memmem_scan", |b| b.iter(|| scan_all(&finders, lines)));

    // regex: the same nine captures.
    let re = Regex::new(REGEX).expect("regex");
    let mut locs = re.capture_locations();
    for line in lines {
        assert!(re.captures_read(&mut locs, line).is_some(), "{line}");
        for (i, want) in oracle(line).into_iter().enumerate() {
            let (s, e) = locs.get(i + 1).expect("group");
            assert_eq!(&line[s..e], want, "regex field {i}: {line}");
        }
    }
    assert_eq!(regex_all(&re, &mut locs, lines), LINES);
    g.bench_function("regex_captures", |b| {
        b.iter(|| regex_all(&re, &mut locs, lines))
    });

    // fastmatch: one pattern, the captures of every field.
    let pattern = Pattern::compile(PATTERN).expect("pattern");
    let mut caps = Captures::new();
    for line in lines {
        assert!(pattern.matches(line, &mut caps), "{line}");
        assert_eq!(caps.len(), 9);
        for (i, want) in oracle(line).into_iter().enumerate() {
            assert_eq!(caps.get(line, i), Some(want), "field {i}: {line}");
        }
    }
    assert_eq!(matches_all(&pattern, &mut caps, lines), LINES);
    g.bench_function("pattern_matches", |b| {
        b.iter(|| matches_all(&pattern, &mut caps, lines))
    });

    // fastmatch: the schema's parser, with `-` as an empty value.
    let parser = Parser::compile(ParserConfig {
        match_: &[PATTERN],
        empty_values: EMPTY_VALUES,
        ..ParserConfig::default()
    })
    .expect("parser");
    assert_eq!(parser.field_names().len(), 9);
    let mut out = ParseScratch::new();
    let mut absent = 0;
    for line in lines {
        assert!(parser.parse(line, &mut out), "{line}");
        for (i, want) in oracle(line).into_iter().enumerate() {
            let want = (!EMPTY_VALUES.contains(&want)).then_some(want);
            absent += usize::from(want.is_none());
            assert_eq!(out.get(line, i), want, "field {i}: {line}");
        }
    }
    // Heroku sends `-` as the message id: one absent field per line.
    assert_eq!(absent, LINES);
    assert_eq!(parse_all(&parser, &mut out, lines), LINES);
    g.bench_function("parser_parse", |b| {
        b.iter(|| parse_all(&parser, &mut out, lines))
    });
    g.finish();

    // The whole path: split the body, normalize every record.
    let registry = Registry::builtin();
    let lt = registry.log_type("Heroku.Runtime").expect("shipped");
    let parse_time: Timestamp =
        "2024-05-01T13:00:00Z".parse().expect("timestamp");
    let mut ctx = Context::new(parse_time, *b"bench0");
    let mut scratch = Scratch::new();
    let records: Vec<_> = lt.split(&fx.payload).collect();
    assert_eq!(records.len(), LINES);
    for (record, line) in records.iter().zip(lines) {
        assert_eq!(record.bytes(), line.as_bytes());
    }
    for (record, line) in records.iter().zip(lines).take(100) {
        let event = lt
            .normalize(*record, &mut ctx, &mut scratch)
            .unwrap_or_else(|e| panic!("{e}: {line}"));
        let f = oracle(line);
        let time = Timestamp::parse_rfc3339(f[3]).expect("rfc3339");
        assert_eq!(event.event_time(), time);
        let row = event.row();
        let head = format!(
            r#"{{"message_len":{},"priority":{},"version":"{}","#,
            f[0], f[1], f[2]
        );
        assert!(row.starts_with(&head), "{row}");
        assert!(row.contains(r#""host_name":"host","#), "{row}");
        assert!(!row.contains(r#""message_id""#), "{row}");
        assert!(row.contains(r#""p_log_type":"Heroku.Runtime""#), "{row}");
    }
    let (events, row_bytes) =
        normalize_all(lt, &mut ctx, &mut scratch, &fx.payload);
    assert_eq!(events, LINES);
    assert!(row_bytes > fx.payload.len());

    let mut g = c.benchmark_group("normalize/Heroku.Runtime");
    g.throughput(Throughput::Bytes(fx.payload.len() as u64));
    g.bench_function("end_to_end", |b| {
        b.iter(|| normalize_all(lt, &mut ctx, &mut scratch, &fx.payload))
    });
    g.finish();
}

criterion_group!(benches, heroku);
criterion_main!(benches);
