//! Property tests with oracles (STYLE §9):
//!
//! - (a) split + normalize: N generated records, in every framing
//!   (NDJSON, concatenated pretty-printed JSON, arrays, lines,
//!   octet-counted frames; whole and streamed), give exactly N outcomes in
//!   order, of the kind the generator intended,
//!   each error with its record's exact bytes, number and offset;
//! - (b) normalizing is deterministic and the scratch carries nothing
//!   from one record to the next: the same record gives the same row
//!   (apart from `p_row_id`) with the same or a fresh scratch;
//! - (c) extraction agrees with serde_json: generated JSON objects against
//!   a schema with a field of every type, each column checked against
//!   what serde_json reads from the same text under SPEC §3's coercions;
//! - (d) timestamps: generated instants written in every time format read
//!   back to the same instant, in the column and in `p_event_time`;
//! - (e) `p_any_*` arrays are sorted bytewise and unique.
//!
//! Case counts are modest (`PROPTEST_CASES` raises them for long runs).

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, Utc};
use lognorm::RecordErrorKind as K;
use lognorm::{
    Context, Framing, IndicatorSet, Limits, LogType, Record, Registry,
    Scratch, Timestamp,
};
use proptest::prelude::*;
use serde_json::Value;

use crate::util::context;

/// Cases per property: modest, the whole suite shares two cores.
fn cases(n: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig { cases: n, ..ProptestConfig::default() }
}

/// Small limits, so "oversized" records stay cheap.
const LIMITS: Limits =
    Limits::new().max_record_bytes(4096).max_string_bytes(512);

/// The test schemas of (c), (d) and (e).
const TYPES_YAML: &str = r#"
schema: Props.Types
fields:
  - name: s
    type: string
  - name: i
    type: int
  - name: b
    type: bigint
  - name: f
    type: float
  - name: t
    type: boolean
  - name: ts
    type: timestamp
    timeFormats: [rfc3339]
  - name: o
    type: object
    fields:
      - name: s
        type: string
      - name: n
        type: bigint
  - name: as
    type: array
    element:
      type: string
  - name: ai
    type: array
    element:
      type: int
  - name: j
    type: json
"#;

const TIMES_YAML: &str = r#"
schema: Props.Times
fields:
  - name: rfc
    type: timestamp
    timeFormats: [rfc3339]
    isEventTime: true
  - name: unix
    type: timestamp
    timeFormats: [unix]
    isEventTime: true
  - name: ms
    type: timestamp
    timeFormats: [unix_ms]
    isEventTime: true
  - name: us
    type: timestamp
    timeFormats: [unix_us]
    isEventTime: true
  - name: ns
    type: timestamp
    timeFormats: [unix_ns]
    isEventTime: true
  - name: plain
    type: timestamp
    timeFormats: ['%Y-%m-%d %H:%M:%S']
    isEventTime: true
  - name: clf
    type: timestamp
    timeFormats: ['%d/%b/%Y:%H:%M:%S %z']
    isEventTime: true
  - name: iso
    type: timestamp
    timeFormats: ['%Y-%m-%dT%H:%M:%S%.f%:z']
    isEventTime: true
  - name: frac
    type: timestamp
    timeFormats: ['%Y-%m-%d %H:%M:%S.%f']
    isEventTime: true
  - name: go
    type: timestamp
    timeFormats: ['layout=2006-01-02T15:04:05.999999999Z07:00']
    isEventTime: true
  - name: cf
    type: timestamp
    timeFormats: [cloudflare]
    isEventTime: true
"#;

const INDICATORS_YAML: &str = r#"
schema: Props.Indicators
fields:
  - name: user
    type: string
    indicators: [username]
  - name: users
    type: array
    element:
      type: string
      indicators: [username, actor_id]
  - name: host
    type: string
    indicators: [hostname]
  - name: ips
    type: array
    element:
      type: string
      indicators: [ip]
  - name: url
    type: string
    indicators: [url]
  - name: email
    type: string
    indicators: [email]
  - name: hash
    type: string
    indicators: [md5, sha1, sha256]
  - name: arn
    type: string
    indicators: [aws_arn]
  - name: nested
    type: object
    fields:
      - name: user
        type: string
        indicators: [username]
      - name: addr
        type: string
        indicators: [net_addr]
"#;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    Registry::builder()
        .limits(LIMITS)
        .add_builtin()
        .unwrap()
        .add_yaml("types.yml", TYPES_YAML)
        .unwrap()
        .add_yaml("times.yml", TIMES_YAML)
        .unwrap()
        .add_yaml("indicators.yml", INDICATORS_YAML)
        .unwrap()
        .build()
});

fn log_type(name: &str) -> &'static LogType {
    REGISTRY.log_type(name).unwrap()
}

// =====================================================================
// (a) N records in, N outcomes out
// =====================================================================

/// The outcome a generated record must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Event,
    Error(K),
}

/// A generated record: its exact bytes and the outcome it must get.
#[derive(Clone, Debug)]
struct Gen {
    bytes: Vec<u8>,
    want: Want,
}

fn make(bytes: impl Into<Vec<u8>>, want: Want) -> Gen {
    Gen { bytes: bytes.into(), want }
}

/// Text for string values: printable ASCII without `"`/`\`, some
/// non-ASCII; never a newline.
fn plain_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::char::range(' ', '~')
                .prop_filter("no quote", |c| *c != '"' && *c != '\\'),
            1 => prop::sample::select(vec!['é', '日', '😀', '\u{7f}']),
        ],
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn rfc3339_text() -> impl Strategy<Value = String> {
    (0i64..4_000_000_000, 0u32..1_000_000_000).prop_map(|(s, n)| {
        DateTime::<Utc>::from_timestamp(s, n)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%S%.fZ")
            .to_string()
    })
}

/// Wiz.Audit records of every kind (single-line, balanced brackets, no
/// top-level comma: they frame the same way in NDJSON and arrays).
fn wiz_record() -> impl Strategy<Value = Gen> {
    let id = "[a-z0-9]{1,8}";
    let event = (id, plain_text(20), rfc3339_text(), any::<bool>()).prop_map(
        |(id, agent, ts, ip)| {
            let mut r = format!(
                r#"{{"id":"{id}","action":"Login","timestamp":"{ts}","userAgent":"{agent}""#
            );
            if ip {
                r.push_str(r#","sourceIP":"192.0.2.9""#);
            }
            r.push('}');
            make(r, Want::Event)
        },
    );
    let syntax = (id, 0..10usize).prop_map(|(id, k)| {
        let text: Vec<u8> = match k {
            0 => format!(r#"{{"id":"{id}" "action":"a"}}"#).into(),
            1 => format!(r#"{{"id":"{id}","action":tru}}"#).into(),
            2 => br#"{"id":01}"#.to_vec(),
            3 => format!(r#"{{"id":"{id}\x"}}"#).into(),
            4 => format!(r#"{{id:"{id}"}}"#).into(),
            5 => format!(r#"{{"id":"{id}",}}"#).into(),
            6 => br#"{"id":NaN}"#.to_vec(),
            7 => format!("nope{id}").into(),
            8 => br#"{"id":"\ud800"}"#.to_vec(),
            _ => b"{\"id\":\"\xff\"}".to_vec(),
        };
        make(text, Want::Error(K::Syntax))
    });
    let not_object = prop::sample::select(vec![
        "123", "\"str\"", "null", "[1,2]", "true", "-0.5",
    ])
    .prop_map(|t| make(t, Want::Error(K::NotObject)));
    let invalid = (id, rfc3339_text(), 0..4usize).prop_map(|(id, ts, k)| {
        match k {
            0 => make(
                format!(r#"{{"id":{{"x":"{id}"}},"action":"a","timestamp":"{ts}"}}"#),
                Want::Error(K::InvalidValue),
            ),
            1 => make(
                format!(r#"{{"id":"{id}","action":"a","timestamp":"yesterday"}}"#),
                Want::Error(K::InvalidTimestamp),
            ),
            2 => make(
                format!(r#"{{"id":"{id}","action":"a","timestamp":"{ts}","user":"bob"}}"#),
                Want::Error(K::InvalidValue),
            ),
            _ => make(
                format!(r#"{{"action":"a","timestamp":"{ts}"}}"#),
                Want::Error(K::MissingField),
            ),
        }
    });
    // Past the record limit (4096), or one string past 512 bytes.
    let big = (id, 513..6000usize).prop_map(|(id, n)| {
        let r = format!(
            r#"{{"id":"{id}","action":"a","timestamp":"2024-01-01T00:00:00Z","userAgent":"{}"}}"#,
            "x".repeat(n)
        );
        make(r, Want::Error(K::Limit))
    });
    prop_oneof![5 => event, 2 => syntax, 1 => not_object, 2 => invalid, 1 => big]
}

/// The Heroku frame message (after `LEN SP`): `<PRI>1 TS host app proc -
/// MSG`, of every kind. `newlines` allows newlines inside the message.
fn heroku_message(newlines: bool) -> impl Strategy<Value = Gen> {
    let text = prop::collection::vec(
        prop_oneof![
            6 => plain_text(12),
            1 => Just(if newlines { "\n" } else { " " }.to_owned()),
            1 => Just(if newlines { "\n12 <40>1 not a frame" } else { "x" }.to_owned()),
        ],
        0..4,
    )
    .prop_map(|v| v.concat());
    let event = (0u16..192, rfc3339_text(), text.clone()).prop_map(
        |(pri, ts, msg)| {
            make(format!("<{pri}>1 {ts} host app web.1 - {msg}"), Want::Event)
        },
    );
    let bad =
        (rfc3339_text(), text, 0..4usize).prop_map(|(ts, msg, k)| match k {
            0 => make(
                format!("<x>1 {ts} host app web.1 - {msg}"),
                Want::Error(K::InvalidValue),
            ),
            1 => make(
                format!("<40>1 2024-02-30T00:00:00Z host app web.1 - {msg}"),
                Want::Error(K::InvalidTimestamp),
            ),
            2 => make("<40>1 short", Want::Error(K::NoMatch)),
            _ => {
                let mut b =
                    format!("<40>1 {ts} host app web.1 - ").into_bytes();
                b.extend_from_slice(b"bad \xff utf-8");
                make(b, Want::Error(K::Syntax))
            }
        });
    let big = (4100..6000usize).prop_map(|n| {
        make(
            format!(
                "<40>1 2024-01-01T00:00:00Z host app web.1 - {}",
                "x".repeat(n)
            ),
            Want::Error(K::Limit),
        )
    });
    prop_oneof![5 => event, 3 => bad, 1 => big]
}

/// A text line for `Framing::Lines`: `LEN <PRI>…` with any LEN, or a line
/// that matches nothing.
fn heroku_line() -> impl Strategy<Value = Gen> {
    prop_oneof![
        6 => (0u32..100_000, heroku_message(false)).prop_map(|(len, m)| {
            let mut bytes = format!("{len} ").into_bytes();
            bytes.extend_from_slice(&m.bytes);
            Gen { bytes, want: m.want }
        }),
        1 => "[a-z][a-z ]{0,20}[a-z]"
            .prop_map(|s| make(s, Want::Error(K::NoMatch))),
    ]
}

/// One record as split and normalized: bytes, number, offset, outcome.
type Found = (Vec<u8>, u64, usize, Want);

/// What the split and normalize of one payload gave: per record, its
/// bytes, number, offset and outcome.
fn outcomes(
    t: &LogType,
    payload: &[u8],
    framing: Option<Framing>,
) -> Vec<Found> {
    let records: Vec<Record<'_>> = match framing {
        Some(f) => lognorm::split(payload, f).collect(),
        None => t.split(payload).collect(),
    };
    let mut ctx = context();
    let mut scratch = Scratch::new();
    records
        .into_iter()
        .map(|r| {
            let want = match t.normalize(r, &mut ctx, &mut scratch) {
                Ok(event) => {
                    serde_json::from_str::<Value>(event.row()).unwrap();
                    Want::Event
                }
                Err(e) => {
                    assert_eq!(e.raw(), r.bytes(), "{e}");
                    assert_eq!(e.record_number(), r.number());
                    assert_eq!(e.offset(), r.offset());
                    assert_eq!(e.log_type(), t.name());
                    Want::Error(e.kind())
                }
            };
            (r.bytes().to_vec(), r.number(), r.offset(), want)
        })
        .collect()
}

/// As [`outcomes`], read through the log type's [`SplitReader`] in reads
/// of `chunk` bytes.
///
/// [`SplitReader`]: lognorm::SplitReader
fn outcomes_streamed(
    t: &LogType,
    payload: &[u8],
    framing: Option<Framing>,
    chunk: usize,
) -> Vec<Found> {
    let records = match framing {
        Some(f) => lognorm::SplitReader::new(payload, f)
            .max_record_bytes(LIMITS.record_bytes()),
        None => t.split_reader(payload),
    };
    let mut records = records.chunk_bytes(chunk);
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    while let Some(r) = records.next_record().unwrap() {
        let want = match t.normalize(r, &mut ctx, &mut scratch) {
            Ok(_) => Want::Event,
            Err(e) => {
                assert_eq!(e.raw(), r.bytes(), "{e}");
                assert_eq!(e.record_number(), r.number());
                assert_eq!(e.offset(), r.offset());
                Want::Error(e.kind())
            }
        };
        out.push((r.bytes().to_vec(), r.number(), r.offset(), want));
    }
    out
}

/// What a [`SplitReader`] hands out for `want`: a record longer than the
/// record limit keeps its first 1,024 bytes (and fails as too long).
///
/// [`SplitReader`]: lognorm::SplitReader
fn streamed(want: &[Found]) -> Vec<Found> {
    want.iter()
        .map(|(bytes, n, offset, w)| {
            let keep = if bytes.len() > LIMITS.record_bytes() {
                1024
            } else {
                bytes.len()
            };
            (bytes[..keep].to_vec(), *n, *offset, *w)
        })
        .collect()
}

/// Joins records with separators; returns the payload and, per record,
/// (bytes, number, offset, outcome) as the split must find them.
fn assemble(
    prefix: &[u8],
    records: &[Gen],
    seps: &[&[u8]],
    suffix: &[u8],
) -> (Vec<u8>, Vec<Found>) {
    let mut payload = prefix.to_vec();
    let mut want = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            payload.extend_from_slice(seps[i % seps.len()]);
        }
        want.push((r.bytes.clone(), i as u64 + 1, payload.len(), r.want));
        payload.extend_from_slice(&r.bytes);
    }
    payload.extend_from_slice(suffix);
    (payload, want)
}

/// NDJSON: the first record is an event, so the payload is never taken
/// for a single object or an array.
fn ndjson_case() -> impl Strategy<Value = (Vec<Gen>, Vec<&'static [u8]>)> {
    let sep =
        prop::sample::select(vec![&b"\n"[..], b"\r\n", b"\n\n", b"\n \t\r\n"]);
    (
        wiz_record().prop_filter("an event first", |g| g.want == Want::Event),
        prop::collection::vec(wiz_record(), 0..12),
        prop::collection::vec(sep, 1..4),
    )
        .prop_map(|(first, rest, seps)| {
            let mut records = vec![first];
            records.extend(rest);
            (records, seps)
        })
}

/// Concatenated values, as `jq .` writes them (pretty-printed, one after
/// the other) or Kinesis Firehose (back to back): the first record is a
/// pretty-printed event, so every value is a record; the others are
/// pretty-printed when they are JSON, or as generated. Records that do not
/// start a value (`nope…`, `"str"`, `123`) run to the end of their line,
/// so a newline follows them.
fn stream_case() -> impl Strategy<Value = Vec<(Gen, &'static [u8])>> {
    let sep = prop::sample::select(vec![
        &b"\n"[..],
        b"",
        b" ",
        b"\n\n",
        b"\r\n",
        b"\t",
    ]);
    (
        wiz_record().prop_filter("an event first", |g| g.want == Want::Event),
        prop::collection::vec((wiz_record(), any::<bool>(), sep), 0..10),
    )
        .prop_map(|(first, rest)| {
            let pretty = |g: &Gen| -> Gen {
                let v: Value = serde_json::from_slice(&g.bytes).unwrap();
                make(serde_json::to_string_pretty(&v).unwrap(), g.want)
            };
            let mut records = vec![(pretty(&first), &b"\n"[..])];
            for (g, p, sep) in rest {
                let json = serde_json::from_slice::<Value>(&g.bytes)
                    .is_ok_and(|v| v.is_object());
                let g = if json && p { pretty(&g) } else { g };
                records.push((g, sep));
            }
            // After a record that is not a value, a line ending.
            for i in 1..records.len() {
                if !matches!(records[i - 1].0.bytes[0], b'{' | b'[') {
                    records[i].1 = b"\n";
                }
            }
            records
        })
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn ndjson_records_each_get_their_outcome(
        (records, seps) in ndjson_case(),
        chunk in 1usize..300,
    ) {
        let t = log_type("Wiz.Audit");
        let (payload, want) = assemble(b"", &records, &seps, b"\n");
        prop_assert_eq!(outcomes(t, &payload, None), want.clone());
        prop_assert_eq!(outcomes_streamed(t, &payload, None, chunk), streamed(&want));
    }

    #[test]
    fn concatenated_json_values_each_get_their_outcome(
        records in stream_case(),
        chunk in 1usize..300,
    ) {
        let t = log_type("Wiz.Audit");
        let mut payload = Vec::new();
        let mut want = Vec::new();
        for (i, (g, sep)) in records.iter().enumerate() {
            if i > 0 {
                payload.extend_from_slice(sep);
            }
            want.push((g.bytes.clone(), i as u64 + 1, payload.len(), g.want));
            payload.extend_from_slice(&g.bytes);
        }
        payload.push(b'\n');
        prop_assert_eq!(outcomes(t, &payload, None), want.clone());
        prop_assert_eq!(outcomes_streamed(t, &payload, None, chunk), streamed(&want));
    }

    #[test]
    fn json_array_elements_each_get_their_outcome(
        records in prop::collection::vec(wiz_record(), 0..12),
        seps in prop::collection::vec(
            prop::sample::select(vec![&b","[..], b", ", b" ,\n ", b",\r\n"]),
            1..3,
        ),
        bom in any::<bool>(),
        chunk in 1usize..300,
    ) {
        let t = log_type("Wiz.Audit");
        let prefix: &[u8] = if bom { b"\xEF\xBB\xBF[ " } else { b"[" };
        let (payload, want) = assemble(prefix, &records, &seps, b"\n]\n");
        prop_assert_eq!(outcomes(t, &payload, None), want.clone());
        prop_assert_eq!(outcomes_streamed(t, &payload, None, chunk), streamed(&want));
    }

    #[test]
    fn text_lines_each_get_their_outcome(
        records in prop::collection::vec(heroku_line(), 1..12),
        seps in prop::collection::vec(
            prop::sample::select(vec![&b"\n"[..], b"\r\n", b"\n\n", b"\n \t\n"]),
            1..3,
        ),
        chunk in 1usize..300,
    ) {
        let t = log_type("Heroku.Runtime");
        let (payload, want) = assemble(b"", &records, &seps, b"\r\n");
        let lines = Some(Framing::Lines);
        prop_assert_eq!(outcomes(t, &payload, lines), want.clone());
        prop_assert_eq!(outcomes_streamed(t, &payload, lines, chunk), streamed(&want));
    }

    #[test]
    fn octet_counted_frames_each_get_their_outcome(
        messages in prop::collection::vec(heroku_message(true), 1..10),
        chunk in 1usize..300,
    ) {
        // `LEN SP MSG\n` with LEN counting MSG and its newline: every
        // count is right, so every frame is one record, newlines and
        // frame-like text in messages included.
        let t = log_type("Heroku.Runtime");
        let frames: Vec<Gen> = messages
            .iter()
            .map(|m| {
                let mut bytes = format!("{} ", m.bytes.len() + 1).into_bytes();
                bytes.extend_from_slice(&m.bytes);
                Gen { bytes, want: m.want }
            })
            .collect();
        let (payload, want) = assemble(b"", &frames, &[b"\n"], b"\n");
        prop_assert_eq!(outcomes(t, &payload, None), want.clone());
        prop_assert_eq!(outcomes_streamed(t, &payload, None, chunk), streamed(&want));
    }
}

// =====================================================================
// (c) extraction against serde_json
// =====================================================================

/// A generated JSON value that remembers the literal text of its numbers
/// and how its strings are escaped.
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    /// A number literal, as written.
    Num(String),
    /// A string and the escaping style of its text (see `escape`).
    Str(String, u8),
    Arr(Vec<J>),
    /// Keys in order; a key may repeat.
    Obj(Vec<(String, J)>),
}

/// JSON string text for `s`: style 0 minimal escapes, 1 every non-ASCII
/// character as `\uXXXX` (surrogate pairs above the BMP), 2 also `/` and
/// letters as escapes.
fn escape(s: &str, style: u8) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '/' if style == 2 => out.push_str("\\/"),
            'a' if style == 2 => out.push_str("\\u0061"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if style >= 1 && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl J {
    fn text(&self) -> String {
        match self {
            J::Null => "null".into(),
            J::Bool(b) => b.to_string(),
            J::Num(n) => n.clone(),
            J::Str(s, style) => escape(s, *style),
            J::Arr(items) => {
                let items: Vec<String> = items.iter().map(J::text).collect();
                format!("[{}]", items.join(","))
            }
            J::Obj(kv) => {
                let kv: Vec<String> = kv
                    .iter()
                    .map(|(k, v)| format!("{}:{}", escape(k, 0), v.text()))
                    .collect();
                format!("{{{}}}", kv.join(","))
            }
        }
    }

    /// The last value of `key` (duplicate keys: the last one wins).
    fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(kv) => {
                kv.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
            }
            _ => None,
        }
    }
}

fn number_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (-3i64..300).prop_map(|n| n.to_string()),
        (-2_147_483_650i64..-2_147_483_640).prop_map(|n| n.to_string()),
        (2_147_483_640i64..2_147_483_650).prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:?}")),
        any::<f32>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f}")),
        prop::sample::select(vec![
            "-0",
            "0.0",
            "-0.0",
            "1.50",
            "0e0",
            "1E+2",
            "2.5e-3",
            "1e-7",
            "12345678901234567890123",
            "-9223372036854775809",
            "18446744073709551616",
            "9007199254740993",
            "0.1",
            "100e-2",
        ])
        .prop_map(str::to_owned),
    ]
}

fn string_value() -> impl Strategy<Value = String> {
    // No `:` (so no string is a timestamp by chance), some escapes.
    prop::collection::vec(
        prop_oneof![
            6 => prop::char::range(' ', '~').prop_filter("no colon", |c| *c != ':'),
            1 => prop::sample::select(vec![
                'é', '日', '😀', '\n', '\t', '\u{1}', '\0', '"', '\\', '/', '\u{feff}',
            ]),
        ],
        0..12,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn arb_json() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        number_literal().prop_map(J::Num),
        (string_value(), 0u8..3).prop_map(|(s, e)| J::Str(s, e)),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Arr),
            prop::collection::vec(
                (
                    prop::sample::select(vec!["a", "b", "s", "n", "é", ""]),
                    inner
                ),
                0..5
            )
            .prop_map(|kv| J::Obj(
                kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

/// A value that fits `field` most of the time, and anything otherwise.
fn value_for(field: &'static str) -> BoxedStrategy<J> {
    let str_ = |s: &'static str| J::Str(s.to_owned(), 0);
    let typed: BoxedStrategy<J> = match field {
        "s" => prop_oneof![
            (string_value(), 0u8..3).prop_map(|(s, e)| J::Str(s, e)),
            number_literal().prop_map(J::Num),
            any::<bool>().prop_map(J::Bool),
        ]
        .boxed(),
        "i" | "b" | "n" => prop_oneof![
            4 => any::<i32>().prop_map(|n| J::Num(n.to_string())),
            2 => number_literal().prop_map(J::Num),
            1 => any::<i64>().prop_map(|n| J::Str(n.to_string(), 0)),
            1 => prop::sample::select(vec!["", "+7", "-0", "1.0", " 1", "x"])
                .prop_map(str_),
        ]
        .boxed(),
        "f" => prop_oneof![
            3 => number_literal().prop_map(J::Num),
            1 => number_literal().prop_map(|n| J::Str(n, 0)),
            1 => prop::sample::select(vec![
                "", "NaN", "inf", "-infinity", "1e999", "+1.5", ".5", "5.", "x",
            ])
            .prop_map(str_),
        ]
        .boxed(),
        "t" => prop_oneof![
            any::<bool>().prop_map(J::Bool),
            prop::sample::select(vec!["0", "1", "2", "-0", "1.0"])
                .prop_map(|n| J::Num(n.to_owned())),
            prop::sample::select(vec![
                "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE",
                "false", "False", "", "yes", "tRUE", " true",
            ])
            .prop_map(str_),
        ]
        .boxed(),
        "ts" => prop_oneof![
            4 => (0i64..253_402_300_799, 0u32..1_000_000_000, 0usize..10)
                .prop_map(|(s, n, digits)| {
                    let t = DateTime::<Utc>::from_timestamp(s, n).unwrap();
                    let frac = format!("{:09}", n);
                    let frac = if digits == 0 {
                        String::new()
                    } else {
                        format!(".{}", &frac[..digits])
                    };
                    J::Str(format!("{}{frac}Z", t.format("%Y-%m-%dT%H:%M:%S")), 0)
                }),
            1 => Just(str_("")),
        ]
        .boxed(),
        "o" => prop::collection::vec(
            (prop::sample::select(vec!["s", "n", "zz"]), value_or_any(&["s", "n"])),
            0..4,
        )
        .prop_map(|kv| J::Obj(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
        .boxed(),
        "as" => prop::collection::vec(
            prop_oneof![
                4 => value_for("s"),
                1 => Just(J::Null),
            ],
            0..5,
        )
        .prop_map(J::Arr)
        .boxed(),
        "ai" => prop::collection::vec(
            prop_oneof![
                4 => value_for("i"),
                1 => Just(J::Null),
            ],
            0..5,
        )
        .prop_map(J::Arr)
        .boxed(),
        _ => arb_json().boxed(),
    };
    prop_oneof![
        8 => typed,
        1 => Just(J::Null),
        1 => arb_json(),
    ]
    .boxed()
}

/// For the sub-fields of `o`: `s` or `n` by key, decided at build time.
fn value_or_any(_keys: &[&str]) -> BoxedStrategy<J> {
    prop_oneof![
        (string_value(), 0u8..3).prop_map(|(s, e)| J::Str(s, e)),
        (-5i64..5).prop_map(|n| J::Num(n.to_string())),
        number_literal().prop_map(J::Num),
        arb_json(),
    ]
    .boxed()
}

const TOP: [&str; 12] =
    ["s", "i", "b", "f", "t", "ts", "o", "as", "ai", "j", "zz", "é"];

fn record() -> impl Strategy<Value = J> {
    prop::collection::vec(
        prop::sample::select(TOP.to_vec())
            .prop_flat_map(|k| (Just(k), value_for(k))),
        0..12,
    )
    .prop_map(|kv| {
        J::Obj(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    })
}

/// What a field must become: absent, a value, or an error (kind, path).
type Expect = Result<Option<Value>, (K, String)>;

fn is_integer_literal(lit: &str) -> bool {
    let digits = lit.strip_prefix('-').unwrap_or(lit);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The integer simd-json reads from a literal, when it reads one (it
/// reads integers beyond 64 bits as floats).
fn json_integer(lit: &str) -> Option<i128> {
    if !is_integer_literal(lit) {
        return None;
    }
    let n: i128 = lit.parse().ok()?;
    (n >= i128::from(i64::MIN) && n <= i128::from(u64::MAX)).then_some(n)
}

fn type_error(kind: K, path: &str) -> Expect {
    Err((kind, path.to_owned()))
}

/// SPEC §3 for one value of a scalar kind (`string`, `int`, `bigint`,
/// `float`, `boolean`, `timestamp`).
fn expect_scalar(kind: &str, v: &J, path: &str) -> Expect {
    let bad = || type_error(K::InvalidValue, path);
    match (kind, v) {
        (_, J::Null) => Ok(None),
        ("string", J::Str(s, _)) => Ok(Some(Value::String(s.clone()))),
        ("string", J::Num(lit)) => Ok(Some(Value::String(lit.clone()))),
        ("string", J::Bool(b)) => Ok(Some(Value::String(b.to_string()))),
        ("int" | "bigint", J::Str(s, _)) if s.is_empty() => Ok(None),
        ("int" | "bigint", J::Str(s, _)) | ("int" | "bigint", J::Num(s)) => {
            let n: Option<i128> = match v {
                J::Num(_) => json_integer(s),
                // Rust's integer parse: optional sign, digits.
                _ => s.parse::<i128>().ok().or_else(|| {
                    let d = s.strip_prefix(['+', '-']).unwrap_or(s);
                    // Too many digits for i128 are still "out of range".
                    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                        .then_some(i128::MAX)
                }),
            };
            let Some(n) = n else { return bad() };
            let (lo, hi) = if kind == "int" {
                (i128::from(i32::MIN), i128::from(i32::MAX))
            } else {
                (i128::from(i64::MIN), i128::from(i64::MAX))
            };
            if n < lo || n > hi {
                return bad();
            }
            Ok(Some(Value::from(i64::try_from(n).unwrap())))
        }
        ("float", J::Str(s, _)) if s.is_empty() => Ok(None),
        ("float", J::Str(s, _)) | ("float", J::Num(s)) => {
            match s.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Some(Value::from(f))),
                _ => bad(),
            }
        }
        ("boolean", J::Bool(b)) => Ok(Some(Value::Bool(*b))),
        ("boolean", J::Num(lit)) => match json_integer(lit) {
            Some(0) => Ok(Some(Value::Bool(false))),
            Some(1) => Ok(Some(Value::Bool(true))),
            _ => bad(),
        },
        ("boolean", J::Str(s, _)) => match s.as_str() {
            "" => Ok(None),
            "1" | "t" | "T" | "TRUE" | "true" | "True" => {
                Ok(Some(Value::Bool(true)))
            }
            "0" | "f" | "F" | "FALSE" | "false" | "False" => {
                Ok(Some(Value::Bool(false)))
            }
            _ => bad(),
        },
        ("timestamp", J::Str(s, _)) if s.is_empty() => Ok(None),
        ("timestamp", J::Str(s, _)) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => Ok(Some(Value::String(
                t.to_utc().format("%Y-%m-%d %H:%M:%S%.9f").to_string(),
            ))),
            Err(_) => type_error(K::InvalidTimestamp, path),
        },
        ("timestamp", J::Num(_) | J::Bool(_)) => {
            type_error(K::InvalidTimestamp, path)
        }
        _ => bad(),
    }
}

/// SPEC §3 for the whole record against `Props.Types`: the expected
/// columns in schema order, or the first error (schema order, depth
/// first).
fn expect_record(rec: &J) -> Result<Vec<(&'static str, Value)>, (K, String)> {
    let mut out = Vec::new();
    for (name, kind) in [
        ("s", "string"),
        ("i", "int"),
        ("b", "bigint"),
        ("f", "float"),
        ("t", "boolean"),
        ("ts", "timestamp"),
        ("o", "object"),
        ("as", "array string"),
        ("ai", "array int"),
        ("j", "json"),
    ] {
        let Some(v) = rec.get(name) else { continue };
        let got: Expect = match kind {
            // A `json` field's null is omitted like any other (SPEC §3).
            "json" => match v {
                J::Null => Ok(None),
                v => Ok(Some(serde_json::from_str(&v.text()).unwrap())),
            },
            "object" => match v {
                J::Null => Ok(None),
                J::Obj(_) => {
                    let mut map = serde_json::Map::new();
                    for (sub, kind) in [("s", "string"), ("n", "bigint")] {
                        let Some(x) = v.get(sub) else { continue };
                        if let Some(x) =
                            expect_scalar(kind, x, &format!("o.{sub}"))?
                        {
                            map.insert(sub.to_owned(), x);
                        }
                    }
                    Ok(Some(Value::Object(map)))
                }
                _ => type_error(K::InvalidValue, name),
            },
            "array string" | "array int" => match v {
                J::Null => Ok(None),
                J::Arr(items) if items.is_empty() => Ok(None),
                J::Arr(items) => {
                    let elem =
                        if kind == "array int" { "int" } else { "string" };
                    let mut arr = Vec::new();
                    for (k, x) in items.iter().enumerate() {
                        let x =
                            expect_scalar(elem, x, &format!("{name}[{k}]"))?;
                        arr.push(x.unwrap_or(Value::Null));
                    }
                    Ok(Some(Value::Array(arr)))
                }
                _ => type_error(K::InvalidValue, name),
            },
            scalar => expect_scalar(scalar, v, name),
        };
        if let Some(value) = got? {
            out.push((name, value));
        }
    }
    Ok(out)
}

/// Numbers compare by value (a float column may be written `1.0` or
/// `1`); everything else exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64())
        {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn extraction_agrees_with_serde_json(rec in record()) {
        let text = rec.text();
        // The generator writes valid JSON: serde_json reads it.
        let parsed: Value = serde_json::from_str(&text).unwrap();
        prop_assert!(parsed.is_object());
        let t = log_type("Props.Types");
        let record = Record::new(text.as_bytes(), 1, 0);
        let mut scratch = Scratch::new();
        let got = t.normalize(record, &mut context(), &mut scratch);
        match (expect_record(&rec), got) {
            (Ok(columns), Ok(event)) => {
                let row: Value = serde_json::from_str(event.row()).unwrap();
                let row = row.as_object().unwrap();
                let declared: Vec<&String> =
                    row.keys().filter(|k| !k.starts_with("p_")).collect();
                prop_assert_eq!(declared.len(), columns.len(), "{}", event.row());
                for (name, want) in &columns {
                    if *name == "f" {
                        // serde_json's default float parsing may be off by
                        // an ulp (no `float_roundtrip`): read the column's
                        // text with Rust's exact parser instead.
                        let at = event.row().find("\"f\":").unwrap() + 4;
                        let text = &event.row()[at..];
                        let end = text.find([',', '}']).unwrap();
                        let got: f64 = text[..end].parse().unwrap();
                        prop_assert_eq!(
                            Some(got),
                            want.as_f64(),
                            "column f\nrecord {}\nrow {}",
                            text,
                            event.row()
                        );
                        continue;
                    }
                    let got = row.get(*name);
                    prop_assert!(
                        got.is_some_and(|g| same(g, want)),
                        "column {}: want {} got {:?}\nrecord {}\nrow {}",
                        name, want, got, text, event.row()
                    );
                }
                // Declared columns come first, in schema order.
                let order: Vec<usize> = columns
                    .iter()
                    .map(|(n, _)| event.row().find(&format!("\"{n}\":")).unwrap())
                    .collect();
                prop_assert!(order.windows(2).all(|w| w[0] < w[1]));
            }
            (Err((kind, path)), Err(e)) => {
                prop_assert_eq!(
                    (e.kind(), e.path()),
                    (kind, path.as_str()),
                    "{}\nrecord {}", e, text
                );
            }
            (want, got) => {
                prop_assert!(
                    false,
                    "want {:?}\ngot {:?}\nrecord {}",
                    want,
                    got.map(|e| e.row().to_owned()),
                    text
                );
            }
        }
    }
}

// =====================================================================
// (b) determinism: same record, same row (apart from p_row_id)
// =====================================================================

/// The row without the value of `p_row_id`.
fn without_row_id(row: &str) -> String {
    let start = row.find("\"p_row_id\":\"").unwrap() + 12;
    let end = start + row[start..].find('"').unwrap();
    format!("{}{}", &row[..start], &row[end..])
}

/// A context like `context()` with a source id and label, whose row ids
/// start `skip` ids later.
fn ctx(skip: usize) -> Context {
    let t: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
    let mut c = Context::new(t, *b"props!")
        .with_source_id("src-1")
        .with_source_label("label");
    let mut scratch = Scratch::new();
    let t = log_type("Props.Types");
    for _ in 0..skip {
        let _ = t.normalize(Record::new(b"{}", 1, 0), &mut c, &mut scratch);
    }
    c
}

/// Normalizes `bytes` as `t`: the row without its row id, or the error
/// message.
fn run_one(
    t: &LogType,
    bytes: &[u8],
    ctx: &mut Context,
    scratch: &mut Scratch,
) -> Result<(String, String), String> {
    let record = Record::new(bytes, 3, 17);
    t.normalize(record, ctx, scratch)
        .map(|e| (without_row_id(e.row()), e.row_id().to_owned()))
        .map_err(|e| format!("{:?} {e} {:?}", e.kind(), e.raw()))
}

/// Records of several log types: (log type, bytes).
fn any_record() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    prop_oneof![
        record().prop_map(|r| ("Props.Types", r.text().into_bytes())),
        wiz_record().prop_map(|g| ("Wiz.Audit", g.bytes)),
        heroku_line().prop_map(|g| ("Heroku.Runtime", g.bytes)),
        indicator_record()
            .prop_map(|r| ("Props.Indicators", r.text().into_bytes())),
    ]
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn normalizing_is_deterministic(
        (name_a, a) in any_record(),
        (name_b, b) in any_record(),
        skip in 0usize..3,
    ) {
        let ta = log_type(name_a);
        let tb = log_type(name_b);
        // A, then B, then A again with one scratch and one context...
        let mut c1 = ctx(0);
        let mut s1 = Scratch::new();
        let first = run_one(ta, &a, &mut c1, &mut s1);
        let _ = run_one(tb, &b, &mut c1, &mut s1);
        let again = run_one(ta, &a, &mut c1, &mut s1);
        // ... and A with a fresh scratch and a context further on.
        let mut c2 = ctx(skip + 1);
        let fresh = run_one(ta, &a, &mut c2, &mut Scratch::new());
        match (&first, &again, &fresh) {
            (Ok((r1, id1)), Ok((r2, id2)), Ok((r3, id3))) => {
                prop_assert_eq!(r1, r2);
                prop_assert_eq!(r1, r3);
                // The row ids differ: each comes from the generator.
                prop_assert_ne!(id1, id2);
                prop_assert_ne!(id1, id3);
            }
            (Err(e1), Err(e2), Err(e3)) => {
                prop_assert_eq!(e1, e2);
                prop_assert_eq!(e1, e3);
            }
            _ => prop_assert!(false, "{first:?}\n{again:?}\n{fresh:?}"),
        }
    }
}

// =====================================================================
// (d) timestamps round-trip
// =====================================================================

/// How one field of `Props.Times` writes an instant, and the instant it
/// must read back (the written one, cut to the format's precision).
fn write_time(field: &str, nanos: i128, style: u8) -> (String, i128) {
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).unwrap();
    let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap();
    let utc = DateTime::<Utc>::from_timestamp(secs, sub).unwrap();
    // A zone offset, -14:00..=+14:00 in minutes, from the style.
    let offset_minutes = (i32::from(style) * 37) % (14 * 60 * 2 + 1) - 14 * 60;
    let zone = FixedOffset::east_opt(offset_minutes * 60).unwrap();
    let local = utc.with_timezone(&zone);
    let quoted = style.is_multiple_of(2);
    let q = |s: String| if quoted { format!("\"{s}\"") } else { s };
    let per = |unit: i128| nanos.div_euclid(unit);
    match field {
        "rfc" => {
            let digits = usize::from(style % 10);
            let cut = 10i128.pow(9 - digits as u32);
            let kept = nanos.div_euclid(cut) * cut;
            let t = DateTime::<Utc>::from_timestamp(
                i64::try_from(kept.div_euclid(1_000_000_000)).unwrap(),
                u32::try_from(kept.rem_euclid(1_000_000_000)).unwrap(),
            )
            .unwrap()
            .with_timezone(&zone);
            let frac = format!("{:09}", t.timestamp_subsec_nanos());
            let frac = if digits == 0 {
                String::new()
            } else {
                format!(".{}", &frac[..digits])
            };
            let sep = ["T", "t", " "][usize::from(style / 10 % 3)];
            let off = t.offset().local_minus_utc() / 60;
            let (sign, off) = if off < 0 { ('-', -off) } else { ('+', off) };
            // Z, z, no zone (UTC), +hhmm or +hh:mm.
            let tz = match style / 30 % 4 {
                0 if off == 0 => "Z".to_owned(),
                1 if off == 0 && style.is_multiple_of(2) => "z".to_owned(),
                1 if off == 0 => String::new(),
                2 => format!("{sign}{:02}{:02}", off / 60, off % 60),
                _ => format!("{sign}{:02}:{:02}", off / 60, off % 60),
            };
            let text = format!(
                "{}{sep}{}{frac}{tz}",
                t.format("%Y-%m-%d"),
                t.format("%H:%M:%S")
            );
            (format!("\"{text}\""), kept)
        }
        "unix" => {
            // As text: exact, up to nine digits. As a number: at most
            // 15 significant digits, which an f64 holds exactly enough
            // that its shortest form is the literal.
            let digits = if quoted {
                u32::from(style % 10)
            } else {
                u32::from(style % 5)
            };
            let cut = 10i128.pow(9 - digits);
            let kept = nanos.div_euclid(cut) * cut;
            let whole = kept.abs() / 1_000_000_000;
            let frac = kept.abs() % 1_000_000_000;
            let sign = if kept < 0 { "-" } else { "" };
            let frac = if digits == 0 {
                String::new()
            } else {
                format!(".{:09}", frac)[..=digits as usize].to_owned()
            };
            let sig = whole.to_string().len() + digits as usize;
            if !quoted && sig > 15 {
                return (format!("\"{sign}{whole}{frac}\""), kept);
            }
            (q(format!("{sign}{whole}{frac}")), kept)
        }
        "ms" => (q(per(1_000_000).to_string()), per(1_000_000) * 1_000_000),
        "us" => (q(per(1_000).to_string()), per(1_000) * 1_000),
        "ns" => {
            // A JSON integer beyond 64 bits would be read as a float.
            let quoted = quoted || i64::try_from(nanos).is_err();
            let text = nanos.to_string();
            (if quoted { format!("\"{text}\"") } else { text }, nanos)
        }
        "plain" => (
            format!("\"{}\"", utc.format("%Y-%m-%d %H:%M:%S")),
            per(1_000_000_000) * 1_000_000_000,
        ),
        "clf" => (
            format!("\"{}\"", local.format("%d/%b/%Y:%H:%M:%S %z")),
            per(1_000_000_000) * 1_000_000_000,
        ),
        "frac" => {
            // `%f`: 1 to 6 digits, a fraction of a second (issue 15).
            let digits = usize::from(style % 6) + 1;
            let cut = 10i128.pow(9 - digits as u32);
            let kept = nanos.div_euclid(cut) * cut;
            let frac = format!("{:09}", kept.rem_euclid(1_000_000_000));
            let text = format!(
                "\"{}.{}\"",
                utc.format("%Y-%m-%d %H:%M:%S"),
                &frac[..digits]
            );
            (text, kept)
        }
        "go" => {
            // Go's `.999999999`: no fraction or 1 to 9 digits after `.` or
            // `,`; `Z07:00`: `Z` for UTC or `±hh:mm`.
            let digits = usize::from(style % 10);
            let cut = 10i128.pow(9 - digits as u32);
            let kept = nanos.div_euclid(cut) * cut;
            let frac = format!("{:09}", kept.rem_euclid(1_000_000_000));
            let sep = if style.is_multiple_of(3) { "," } else { "." };
            let frac = if digits == 0 {
                String::new()
            } else {
                format!("{sep}{}", &frac[..digits])
            };
            let zone = if offset_minutes == 0 {
                "Z".to_owned()
            } else {
                local.format("%:z").to_string()
            };
            let wall = local.format("%Y-%m-%dT%H:%M:%S");
            (format!("\"{wall}{frac}{zone}\""), kept)
        }
        "cf" => {
            // Cloudflare: unix seconds, unixnano or RFC 3339. Nanoseconds
            // that look like seconds are written as seconds.
            let secs_range = -62_135_596_800..=253_402_300_799;
            match style % 3 {
                0 if i64::try_from(nanos).is_ok()
                    && !secs_range.contains(&nanos) =>
                {
                    (q(nanos.to_string()), nanos)
                }
                1 => (
                    format!("\"{}\"", utc.format("%Y-%m-%dT%H:%M:%S%.fZ")),
                    nanos,
                ),
                _ => (
                    q(per(1_000_000_000).to_string()),
                    per(1_000_000_000) * 1_000_000_000,
                ),
            }
        }
        _ => {
            (format!("\"{}\"", local.format("%Y-%m-%dT%H:%M:%S%.f%:z")), nanos)
        }
    }
}

fn utc_text(nanos: i128) -> String {
    Timestamp::from_unix_nanos(nanos).unwrap().to_string()
}

const TIME_FIELDS: [&str; 11] = [
    "rfc", "unix", "ms", "us", "ns", "plain", "clf", "iso", "frac", "go", "cf",
];

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn timestamps_read_back_to_the_instant_written(
        // Years 0002..=9998, so no offset takes a local time out of range.
        nanos in -62_104_060_800_000_000_000i128..253_370_764_800_000_000_000,
        present in prop::collection::vec(any::<bool>(), 11),
        styles in prop::collection::vec(any::<u8>(), 11),
    ) {
        let t = log_type("Props.Times");
        let mut fields = Vec::new();
        let mut want = Vec::new();
        for (k, field) in TIME_FIELDS.iter().enumerate() {
            if !present[k] {
                continue;
            }
            let (text, kept) = write_time(field, nanos, styles[k]);
            fields.push(format!("\"{field}\":{text}"));
            want.push((*field, kept));
        }
        let text = format!("{{{}}}", fields.join(","));
        let mut scratch = Scratch::new();
        let event = t
            .normalize(Record::new(text.as_bytes(), 1, 0), &mut context(), &mut scratch)
            .map_err(|e| format!("{e}\nrecord {text}"))
            .unwrap();
        let row: Value = serde_json::from_str(event.row()).unwrap();
        for (field, kept) in &want {
            let want = utc_text(*kept);
            prop_assert_eq!(
                row[*field].as_str(),
                Some(want.as_str()),
                "{} in {}", field, text
            );
        }
        // The first present field (schema order) is the event time.
        let event_time = want
            .first()
            .map_or_else(|| context().parse_time().to_string(), |(_, k)| utc_text(*k));
        prop_assert_eq!(row["p_event_time"].as_str(), Some(event_time.as_str()));
        prop_assert_eq!(event.event_time().to_string(), event_time);
    }
}

// =====================================================================
// (e) indicator sets sorted and unique
// =====================================================================

fn indicator_value() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "alice",
        "Alice",
        "bob",
        " bob ",
        "",
        "  ",
        "é",
        "b\u{e9}",
        "192.0.2.1",
        "192.0.2.10",
        "::1",
        "2001:db8::1",
        "2001:DB8::1",
        "example.com",
        "Example.com",
        "a.example.com",
        "[::1]:443",
        "10.0.0.1:8080",
        "host:22",
        "https://example.com/x",
        "http://192.0.2.1:80/",
        "mailto:x",
        "ana@example.com",
        "d41d8cd98f00b204e9800998ecf8427e",
        "D41D8CD98F00B204E9800998ECF8427E",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "arn:aws:iam::123456789012:user/ana",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
        "z",
        "Z",
        "0",
    ])
    .prop_map(str::to_owned)
}

fn indicator_record() -> impl Strategy<Value = J> {
    let s = |v: String| J::Str(v, 0);
    let keys = prop::sample::select(vec![
        "user", "users", "host", "ips", "url", "email", "hash", "arn",
        "nested",
    ]);
    prop::collection::vec(
        (
            keys,
            prop::collection::vec(indicator_value(), 1..5),
            prop::collection::vec(indicator_value(), 0..3),
        ),
        0..10,
    )
    .prop_map(move |entries| {
        J::Obj(
            entries
                .into_iter()
                .map(|(k, vals, more)| {
                    let v = match k {
                        "users" | "ips" => {
                            J::Arr(vals.into_iter().map(s).collect())
                        }
                        "nested" => J::Obj(vec![
                            ("user".into(), s(vals[0].clone())),
                            (
                                "addr".into(),
                                s(more.first().cloned().unwrap_or_default()),
                            ),
                        ]),
                        _ => s(vals[0].clone()),
                    };
                    (k.to_owned(), v)
                })
                .collect(),
        )
    })
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn indicator_sets_are_sorted_and_unique(rec in indicator_record()) {
        let t = log_type("Props.Indicators");
        let text = rec.text();
        let mut scratch = Scratch::new();
        let event = t
            .normalize(Record::new(text.as_bytes(), 1, 0), &mut context(), &mut scratch)
            .unwrap();
        let row: Value = serde_json::from_str(event.row()).unwrap();
        let row = row.as_object().unwrap();
        for set in IndicatorSet::ALL {
            let column = lognorm::Event::indicator_column(set);
            let values: Vec<&str> = event.indicators(set).collect();
            match row.get(column) {
                None => prop_assert!(values.is_empty(), "{column}"),
                Some(v) => {
                    let arr: Vec<&str> =
                        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
                    prop_assert!(!arr.is_empty(), "{column} written empty");
                    prop_assert!(
                        arr.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()),
                        "{} not sorted and unique: {:?}", column, arr
                    );
                    prop_assert_eq!(&arr, &values);
                }
            }
        }
        // The p_any_* columns come last, sorted by name.
        let cols: Vec<&String> = row.keys().filter(|k| k.starts_with("p_any_")).collect();
        let positions: Vec<usize> = cols
            .iter()
            .map(|c| event.row().find(&format!("\"{c}\":")).unwrap())
            .collect();
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
        // Usernames: exactly the trimmed, non-empty values of the
        // `username` fields (last key wins), sorted and deduplicated.
        let mut users: Vec<String> = Vec::new();
        let mut add = |v: &J| {
            if let J::Str(s, _) = v {
                let s = s.trim();
                if !s.is_empty() {
                    users.push(s.to_owned());
                }
            }
        };
        if let Some(v) = rec.get("user") { add(v); }
        if let Some(J::Arr(items)) = rec.get("users") { items.iter().for_each(&mut add); }
        if let Some(v) = rec.get("nested").and_then(|n| n.get("user")) { add(v); }
        users.sort();
        users.dedup();
        let got: Vec<&str> = event.indicators(IndicatorSet::Usernames).collect();
        prop_assert_eq!(got, users.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

// =====================================================================
// The generators reach every outcome (or the properties prove little)
// =====================================================================

fn sample<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    (0..n).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect()
}

#[test]
fn generators_cover_every_outcome() {
    use std::collections::BTreeMap;
    // (a): every intended outcome, for JSON and text records.
    for (what, gens) in [
        ("wiz", sample(wiz_record(), 500)),
        ("heroku", sample(heroku_message(true), 500)),
    ] {
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for g in gens {
            *kinds.entry(format!("{:?}", g.want)).or_default() += 1;
        }
        let want: &[&str] = if what == "wiz" {
            &[
                "Event",
                "Error(Syntax)",
                "Error(NotObject)",
                "Error(InvalidValue)",
                "Error(InvalidTimestamp)",
                "Error(MissingField)",
                "Error(Limit)",
            ]
        } else {
            &[
                "Event",
                "Error(Syntax)",
                "Error(InvalidValue)",
                "Error(InvalidTimestamp)",
                "Error(NoMatch)",
                "Error(Limit)",
            ]
        };
        for k in want {
            assert!(
                kinds.get(*k).copied().unwrap_or(0) >= 10,
                "{what}: {kinds:?}"
            );
        }
    }
    // (c): events and errors both common; every column and error path
    // shows up.
    let t = log_type("Props.Types");
    let mut scratch = Scratch::new();
    let (mut events, mut columns, mut paths) =
        (0, BTreeMap::new(), BTreeMap::new());
    let records = sample(record(), 1000);
    for rec in &records {
        let text = rec.text();
        match t.normalize(
            Record::new(text.as_bytes(), 1, 0),
            &mut context(),
            &mut scratch,
        ) {
            Ok(event) => {
                events += 1;
                let row: Value = serde_json::from_str(event.row()).unwrap();
                for k in row.as_object().unwrap().keys() {
                    *columns.entry(k.clone()).or_insert(0) += 1;
                }
            }
            Err(e) => {
                let path = e.path().split('[').next().unwrap().to_owned();
                *paths.entry(path).or_insert(0) += 1;
            }
        }
    }
    assert!((250..=750).contains(&events), "{events} events of 1000");
    for c in ["s", "i", "b", "f", "t", "ts", "o", "as", "ai", "j"] {
        assert!(
            columns.get(c).copied().unwrap_or(0) >= 25,
            "{c}: {columns:?}"
        );
    }
    for p in ["s", "i", "b", "f", "t", "ts", "o", "o.s", "o.n", "as", "ai"] {
        assert!(paths.get(p).copied().unwrap_or(0) >= 3, "{p}: {paths:?}");
    }
}
