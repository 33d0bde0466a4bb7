//! No input panics, and every record yields exactly one outcome.

use lognorm::{RecordErrorKind, Registry, Scratch};
use proptest::prelude::*;

use crate::util::{context, made};

/// Normalizes every record; returns (records, events, errors).
fn run(name: &str, payload: &[u8]) -> (usize, usize, usize) {
    static REGISTRY: std::sync::LazyLock<Registry> =
        std::sync::LazyLock::new(Registry::builtin);
    let log_type = REGISTRY.log_type(name).unwrap();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let (mut records, mut events, mut errors) = (0, 0, 0);
    for record in log_type.split(payload) {
        records += 1;
        match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(_) => events += 1,
            Err(e) => {
                assert_eq!(e.raw(), record.bytes());
                errors += 1;
            }
        }
    }
    (records, events, errors)
}

const TYPES: [&str; 7] = [
    "Databricks.Audit",
    "Heroku.Runtime",
    "Hex.Audit",
    "OpenAI.Audit",
    "Wiz.Audit",
    "Wiz.Issues",
    "Wiz.VulnerabilityFinding",
];

/// JSON-ish text built from the shipped schemas' keys, so generated
/// records reach deep into the plans.
fn jsonish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "event",
        "actor",
        "id",
        "type",
        "metadata",
        "email",
        "timestamp",
        "occurred_at",
        "effective_at",
        "targets",
        "serviceName",
        "actionName",
        "response",
        "statusCode",
        "requestParams",
        "user",
        "projects",
        "score",
        "hasExploit",
        "ipAddresses",
        "vulnerableAsset",
        "sourceIP",
        "createdAt",
        "x",
    ]);
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("\"\"".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            f.to_string()
        } else {
            "1e308".into()
        }),
        "[a-z0-9@.:/ -]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("\"2024-01-02T03:04:05Z\"".to_owned()),
        Just("1704067200000".to_owned()),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| {
                let body: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for name in TYPES {
            let (records, events, errors) = run(name, &bytes);
            prop_assert_eq!(records, events + errors);
        }
    }

    #[test]
    fn generated_records_get_one_outcome_each(
        lines in prop::collection::vec(jsonish(), 1..8)
    ) {
        // With a first line that is an object, the payload is NDJSON: one
        // line, one record (objects or not). A payload that starts with
        // `[` is a JSON array instead, split by its elements.
        let payload = lines.join("\n");
        for name in TYPES {
            if name == "Heroku.Runtime" { continue; }
            let (records, events, errors) = run(name, payload.as_bytes());
            prop_assert_eq!(records, events + errors);
            if lines.len() > 1 && lines[0].starts_with('{') {
                prop_assert_eq!(records, lines.len());
            }
        }
    }
}

#[test]
fn deep_nesting_is_a_limit_error() {
    let deep = format!(
        "{{\"requestParams\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let registry = Registry::builtin();
    let t = registry.log_type("Databricks.Audit").unwrap();
    let record = t.split(deep.as_bytes()).next().unwrap();
    let err =
        t.normalize(record, &mut context(), &mut Scratch::new()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);
    assert!(
        err.to_string().contains("nesting deeper than the limit"),
        "{err}"
    );
}

#[test]
fn nesting_within_the_limit_is_kept_in_json_fields() {
    let value = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let rec = format!(
        "{{\"timestamp\":1704067200000,\"serviceName\":\"s\",\"actionName\":\"a\",\"requestParams\":{value}}}"
    );
    let registry = Registry::builtin();
    let t = registry.log_type("Databricks.Audit").unwrap();
    let record = t.split(rec.as_bytes()).next().unwrap();
    let mut scratch = Scratch::new();
    let event = t.normalize(record, &mut context(), &mut scratch).unwrap();
    assert!(event.row().contains(&format!("\"requestParams\":{value}")));
}

#[test]
fn oversized_records_are_limit_errors() {
    let big = format!("{{\"id\":\"{}\"}}", "x".repeat(9 << 20));
    let registry = Registry::builtin();
    let t = registry.log_type("Wiz.Audit").unwrap();
    let record = t.split(big.as_bytes()).next().unwrap();
    let err =
        t.normalize(record, &mut context(), &mut Scratch::new()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);
    assert_eq!(err.path(), "");
    assert_eq!(err.raw().len(), big.len());
}

#[test]
fn invalid_utf8_is_a_syntax_error() {
    let registry = Registry::builtin();
    let t = registry.log_type("Wiz.Audit").unwrap();
    let payload = b"{\"id\":\"a\xff\",\"action\":\"x\",\"timestamp\":\"2024-01-01T00:00:00Z\"}";
    let record = t.split(payload).next().unwrap();
    let err =
        t.normalize(record, &mut context(), &mut Scratch::new()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Syntax);
    assert!(err.to_string().contains("invalid UTF-8"), "{err}");
}

// ---- big inputs ----
//
// Sizes a log source can send; each must end in the promised outcomes
// (one per record, limits as ordinary errors) without a stack overflow
// or a blow-up in time. Debug builds normalize fewer bytes where noted,
// so `cargo test` stays quick; `cargo test --release` runs the full
// sizes.

/// A small schema whose records are all optional: `{}` is an event.
static TINY: std::sync::LazyLock<Registry> = std::sync::LazyLock::new(|| {
    Registry::builder()
        .add_yaml(
            "tiny.yml",
            "schema: Tiny\nfields:\n  - name: n\n    type: int\n",
        )
        .unwrap()
        .build()
});

/// The first record of `payload` as `t` splits it, normalized.
fn first(
    t: &lognorm::LogType,
    payload: &[u8],
) -> Result<String, lognorm::RecordError> {
    let record = t.split(payload).next().expect("a record");
    let mut scratch = Scratch::new();
    t.normalize(record, &mut context(), &mut scratch)
        .map(|e| e.row().to_owned())
}

#[test]
fn deep_arrays_and_objects_are_limit_errors_everywhere() {
    const DEPTH: usize = 100_000;
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH));
    let registry = Registry::builtin();
    let wiz = registry.log_type("Wiz.Audit").unwrap();
    let limit = "nesting deeper than the limit";
    // In an undeclared field, a declared `json` field, or as the record.
    for record in [
        format!(r#"{{"zz":{arrays}}}"#),
        format!(r#"{{"actionParameters":{arrays}}}"#),
        format!(r#"{{"actionParameters":{objects}}}"#),
        objects.clone(),
    ] {
        let err = first(wiz, record.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), RecordErrorKind::Limit, "{err}");
        assert!(err.to_string().contains(limit), "{err}");
        assert_eq!(err.raw().len(), record.len());
    }
    // A payload that is one deep array is a JSON array payload: its one
    // element (99,999 levels) is the record.
    let records: Vec<_> = wiz.split(arrays.as_bytes()).collect();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].offset(), 1);
    assert_eq!(records[0].bytes().len(), 2 * (DEPTH - 1));
    let err = first(wiz, arrays.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit, "{err}");
    assert_eq!(
        err.to_string(),
        "record 1 (byte 1): expected valid JSON, found nesting deeper \
         than the limit at byte 128 (`[`)"
    );
}

#[test]
fn one_string_at_and_past_the_limit() {
    // Limits::new(): a string value of at most 1 MiB (decoded bytes).
    const MAX: usize = 1 << 20;
    let registry = Registry::builtin();
    let wiz = registry.log_type("Wiz.Audit").unwrap();
    let record = |id: &str| {
        format!(
            r#"{{"id":"{id}","action":"a","timestamp":"2024-01-01T00:00:00Z"}}"#
        )
    };
    let at = "x".repeat(MAX);
    let row = first(wiz, record(&at).as_bytes()).unwrap();
    assert!(row.starts_with(&format!(r#"{{"id":"{at}","action""#)));

    let over = "x".repeat(MAX + 1);
    let err = first(wiz, record(&over).as_bytes()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);
    assert_eq!(
        err.to_string(),
        "record 1 (byte 0): field `id`: expected a string of at most \
         1048576 bytes, found 1048577 bytes"
    );
    assert_eq!(err.path(), "id");

    // The limit counts decoded bytes: 2 MiB of `\n` escapes is 1 MiB.
    assert!(first(wiz, record(&"\\n".repeat(MAX)).as_bytes()).is_ok());
    let err =
        first(wiz, record(&"\\n".repeat(MAX + 1)).as_bytes()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);

    // Multi-byte characters count in bytes: 2 bytes each.
    let err =
        first(wiz, record(&"é".repeat(MAX / 2 + 1)).as_bytes()).unwrap_err();
    assert!(err.to_string().ends_with("found 1048578 bytes"), "{err}");

    // A string inside a `json` value is held to it too; an undeclared
    // field is skipped unread, so its strings are not.
    let in_json = format!(
        r#"{{"id":"i","action":"a","timestamp":"2024-01-01T00:00:00Z","actionParameters":"{over}"}}"#
    );
    let err = first(wiz, in_json.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "record 1 (byte 0): field `actionParameters`: expected a string of \
         at most 1048576 bytes, found 1048577 bytes"
    );
    let undeclared = in_json.replace("actionParameters", "zz");
    assert!(first(wiz, undeclared.as_bytes()).is_ok());

    // A smaller limit is honoured the same way.
    let strict = Registry::builder()
        .limits(lognorm::Limits::new().max_string_bytes(4))
        .add_builtin()
        .unwrap()
        .build();
    let wiz = strict.log_type("Wiz.Audit").unwrap();
    assert!(first(wiz, record("abcd").as_bytes()).is_ok());
    assert_eq!(
        first(wiz, record("abcde").as_bytes()).unwrap_err().to_string(),
        "record 1 (byte 0): field `id`: expected a string of at most 4 \
         bytes, found 5 bytes"
    );
}

#[test]
fn one_record_at_and_past_the_size_limit() {
    const MAX: usize = 8 << 20;
    let registry = Registry::builtin();
    let wiz = registry.log_type("Wiz.Audit").unwrap();
    // Padded with JSON whitespace inside the object to exactly `len`.
    let record = |len: usize| {
        let head =
            r#"{"id":"i","action":"a","timestamp":"2024-01-01T00:00:00Z""#;
        format!("{head}{}}}", " ".repeat(len - head.len() - 1))
    };
    assert_eq!(record(MAX).len(), MAX);
    assert!(first(wiz, record(MAX).as_bytes()).is_ok());
    let err = first(wiz, record(MAX + 1).as_bytes()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);
    assert_eq!(
        err.to_string(),
        "record 1 (byte 0): expected a record of at most 8388608 bytes, \
         found 8388609 bytes"
    );
    assert_eq!(err.raw().len(), MAX + 1);
}

#[test]
fn many_mib_of_tiny_ndjson_records() {
    // 100 MiB in release; 8 MiB in debug, where normalizing costs ~15 µs
    // a record (100 MiB would take about half a minute).
    let mib = if cfg!(debug_assertions) { 8 } else { 100 };
    let registry = Registry::builtin();
    let wiz = registry.log_type("Wiz.Audit").unwrap();
    let mut payload = Vec::with_capacity(mib << 20);
    let mut n = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        if n % 1000 == 999 {
            // Every thousandth record is broken.
            line.extend_from_slice(format!("{{\"id\":\"{n}\"\n").as_bytes());
        } else {
            line.extend_from_slice(
                format!(
                    "{{\"id\":\"{n}\",\"action\":\"a\",\"timestamp\":\"2024-01-01T00:00:00Z\"}}\n"
                )
                .as_bytes(),
            );
        }
        if payload.len() + line.len() > mib << 20 {
            break;
        }
        payload.extend_from_slice(&line);
        n += 1;
    }
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let (mut events, mut errors, mut next_offset) = (0usize, 0usize, 0);
    for (i, record) in wiz.split(&payload).enumerate() {
        assert_eq!(record.number(), i as u64 + 1);
        assert_eq!(record.offset(), next_offset);
        next_offset += record.bytes().len() + 1;
        match wiz.normalize(record, &mut ctx, &mut scratch) {
            Ok(_) => events += 1,
            Err(e) => {
                assert_eq!(i % 1000, 999, "{e}");
                assert_eq!(e.raw(), record.bytes());
                errors += 1;
            }
        }
    }
    assert_eq!(next_offset, payload.len());
    assert_eq!(events + errors, n);
    assert_eq!(errors, n / 1000);
    assert!(n > (mib << 20) / 70, "{n} records");
}

#[test]
fn heroku_lines_of_ten_million_spaces() {
    let registry = Registry::builtin();
    let heroku = registry.log_type("Heroku.Runtime").unwrap();
    let frame = "52 <40>1 2012-11-30T06:45:29+00:00 host app web.3 - hi\n";
    let spaces = " ".repeat(10_000_000);
    // Only spaces: a blank line, no record.
    assert_eq!(run("Heroku.Runtime", spaces.as_bytes()), (0, 0, 0));
    // Between two frames: whitespace between frames, skipped.
    let body = format!("{frame}{spaces}\n{frame}");
    assert_eq!(run("Heroku.Runtime", body.as_bytes()), (2, 2, 0));
    // As the message of a frame: the record is over the size limit.
    let big = format!("{}{spaces}", frame.trim_end());
    let err = first(heroku, big.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "record 1 (byte 0): expected a record of at most 8388608 bytes, \
         found 10000054 bytes"
    );
    // Within the record limit the message is one string over 1 MiB.
    let big = format!("{}{}", frame.trim_end(), &spaces[..8_000_000]);
    let err = first(heroku, big.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "record 1 (byte 0): field `message`: expected a string of at most \
         1048576 bytes, found 8000002 bytes"
    );
}

#[test]
fn ten_mb_line_without_a_newline() {
    let registry = Registry::builtin();
    let x = "x".repeat(10_000_000);
    let unterminated = format!(r#"{{"id":"{x}"#);
    for (name, payload) in [
        ("Heroku.Runtime", x.as_bytes()),
        ("Wiz.Audit", x.as_bytes()),
        ("Wiz.Audit", unterminated.as_bytes()),
    ] {
        let t = registry.log_type(name).unwrap();
        let records: Vec<_> = t.split(payload).collect();
        assert_eq!(records.len(), 1, "{name}");
        assert_eq!(records[0].bytes().len(), payload.len());
        let err = first(t, payload).unwrap_err();
        assert_eq!(err.kind(), RecordErrorKind::Limit);
        assert_eq!(
            err.to_string(),
            format!(
                "record 1 (byte 0): expected a record of at most 8388608 \
                 bytes, found {} bytes",
                payload.len()
            )
        );
        assert_eq!(err.raw(), payload);
    }
}

#[test]
fn json_array_of_a_million_tiny_elements() {
    const N: usize = 1_000_000;
    let tiny = TINY.log_type("Tiny").unwrap();
    let mut payload = b"[".to_vec();
    for i in 0..N {
        if i > 0 {
            payload.push(b',');
        }
        // `{}`, `{"n":1}` and, every 100th, a wrong type.
        payload.extend_from_slice(match i % 100 {
            99 => br#"{"n":"x"}"#,
            k if k % 2 == 0 => b"{}",
            _ => br#"{"n":1}"#,
        });
    }
    payload.push(b']');
    // Splitting: every element, in order, at the right offset.
    let mut offset = 1;
    let mut count = 0;
    for (i, record) in tiny.split(&payload).enumerate() {
        assert_eq!(record.offset(), offset);
        assert_eq!(record.number(), i as u64 + 1);
        offset += record.bytes().len() + 1;
        count += 1;
    }
    assert_eq!(count, N);
    assert_eq!(offset, payload.len());
    // Normalizing: all of them in release; the first 200,000 in debug
    // (about 8 µs each there).
    let take = if cfg!(debug_assertions) { 200_000 } else { N };
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let (mut events, mut errors) = (0, 0);
    for record in tiny.split(&payload).take(take) {
        match tiny.normalize(record, &mut ctx, &mut scratch) {
            Ok(_) => events += 1,
            Err(e) => {
                assert_eq!(e.kind(), RecordErrorKind::InvalidValue, "{e}");
                errors += 1;
            }
        }
    }
    assert_eq!(errors, take / 100);
    assert_eq!(events, take - take / 100);
}

/// A schema whose `fields` nest `levels` objects deep.
fn nested_schema(levels: usize, anchor: bool) -> String {
    let name = if anchor { "&a Deep" } else { "Deep" };
    let mut y = format!("schema: {name}\nfields:\n");
    let mut indent = String::new();
    for i in 0..levels {
        y.push_str(&format!(
            "{indent}  - name: f{i}\n{indent}    type: object\n{indent}    fields:\n"
        ));
        indent.push_str("    ");
    }
    y.push_str(&format!("{indent}  - name: leaf\n{indent}    type: string\n"));
    y
}

/// Compiling a schema recurses with the YAML's nesting: deep schemas are
/// limit errors found before any deep recursion, and schemas at the
/// limit (also through the serde reader, which an anchor selects, and
/// which recurses a dozen frames per level) fit in a 2 MiB thread stack
/// in a debug build. Before the depth pre-check, 200 levels overflowed
/// this stack.
#[test]
fn deep_schemas_fit_a_thread_stack() {
    let depth = lognorm::Limits::new().schema_depth();
    let cases = [
        (nested_schema(200, false), "YAML nested deeper than"),
        (nested_schema(200, true), "YAML nested deeper than"),
        (nested_schema(depth + 1, false), "fields nested deeper than"),
        (nested_schema(depth + 1, true), "fields nested deeper than"),
        (
            format!(
                "schema: D\nfields: {}{}",
                "[".repeat(5000),
                "]".repeat(5000)
            ),
            "recursion limit exceeded",
        ),
    ];
    for (yaml, want) in cases {
        let err = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let mut builder = Registry::builder();
                let result = builder.add_yaml("deep.yml", &yaml);
                result.err().map(|e| (e.kind(), e.to_string()))
            })
            .unwrap()
            .join()
            .unwrap();
        let (kind, message) = err.expect("a deep schema is an error");
        assert!(message.contains(want), "{message}");
        if want.starts_with("YAML") {
            assert_eq!(kind, lognorm::SchemaErrorKind::Limit, "{message}");
        }
    }
    // At the limit: compiles, through either reader.
    for anchor in [false, true] {
        let yaml = nested_schema(depth - 1, anchor);
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                Registry::builder().add_yaml("deep.yml", &yaml).unwrap();
            })
            .unwrap()
            .join()
            .unwrap();
    }
}

// ---- streamed input (SplitReader) ----

#[test]
fn streamed_input_is_bounded_by_the_disk_not_the_memory() {
    // 64 MiB in release (8 in debug) of NDJSON made as it is read: every
    // 500th record a 3 MiB line, past a 1 MiB record limit. Each comes out
    // oversize with its number, offset and length; the others normalize;
    // offsets run on over the whole stream.
    let mib = if cfg!(debug_assertions) { 8 } else { 64 };
    let limits = lognorm::Limits::new().max_record_bytes(1 << 20);
    let registry =
        Registry::builder().limits(limits).add_builtin().unwrap().build();
    let wiz = registry.log_type("Wiz.Audit").unwrap();
    let line = |i: usize, out: &mut Vec<u8>| {
        let pad = if i % 500 == 499 { 3 << 20 } else { 0 };
        out.extend_from_slice(
            format!(
                "{{\"id\":\"{i}\",\"action\":\"a\",\"timestamp\":\"2024-01-01T00:00:00Z\",\"userAgent\":\"{}\"}}\n",
                "u".repeat(pad)
            )
            .as_bytes(),
        );
    };
    let n = (mib << 20) / (3 << 20) * 500;
    let mut records = wiz.split_reader(made(n, 1 << 16, line));
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let (mut events, mut oversize, mut offset) = (0, 0, 0);
    let mut text = Vec::new();
    while let Some(record) = records.next_record().unwrap() {
        let i = usize::try_from(record.number()).unwrap() - 1;
        text.clear();
        line(i, &mut text);
        assert_eq!(record.offset(), offset);
        assert_eq!(record.full_len(), text.len() - 1);
        offset += text.len();
        match wiz.normalize(record, &mut ctx, &mut scratch) {
            Ok(_) => events += 1,
            Err(e) => {
                assert_eq!(i % 500, 499, "{e}");
                assert!(record.is_oversize());
                assert_eq!(
                    e.to_string(),
                    format!(
                        "record {} (byte {}): expected a record of at most \
                         1048576 bytes, found {} bytes",
                        i + 1,
                        record.offset(),
                        text.len() - 1
                    )
                );
                assert_eq!(e.raw(), &text[..1024]);
                oversize += 1;
            }
        }
    }
    assert_eq!((events + oversize, oversize), (n, n / 500));
}

#[test]
fn a_ten_mb_line_streamed_without_a_newline() {
    // As `ten_mb_line_without_a_newline`, read through a SplitReader: one
    // oversize record of the same length and message, 1 KiB of it kept.
    let registry = Registry::builtin();
    let x = "x".repeat(10_000_000);
    let unterminated = format!(r#"{{"id":"{x}"#);
    for (name, payload) in [
        ("Heroku.Runtime", x.as_bytes()),
        ("Wiz.Audit", x.as_bytes()),
        ("Wiz.Audit", unterminated.as_bytes()),
    ] {
        let t = registry.log_type(name).unwrap();
        let mut records = t.split_reader(payload);
        let record = records.next_record().unwrap().unwrap();
        assert_eq!(
            (record.full_len(), record.bytes()),
            (payload.len(), &payload[..1024])
        );
        let err = t
            .normalize(record, &mut context(), &mut Scratch::new())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            first(t, payload).unwrap_err().to_string()
        );
        assert!(records.next_record().unwrap().is_none());
    }
}

#[test]
fn input_read_a_byte_at_a_time_is_split_in_linear_time() {
    // A reader that returns one byte a read: each step resumes its scan
    // where the last one stopped, so these take about a second in a debug
    // build; a splitter that rescans what it holds at every read takes
    // minutes (340 s when the blank-line scan of one state rescanned).
    let started = std::time::Instant::now();
    let big = "v".repeat(256 << 10);
    let pretty = format!(
        "{{\n  \"a\": \"{big}\",\n  \"b\": [\n    1\n  ]\n}}\n{{\"c\":1}}\n"
    );
    let array = format!("[{{\"a\":\"{big}\"}},{{\"c\":1}}]");
    let frame = format!("{} <1>{big}\n5 <2>c\n", big.len() + 4);
    let spaces = " ".repeat(256 << 10);
    let indented = format!("{spaces}{{\"c\":1}}\n{{}}");
    let blank = format!("{spaces}\n{spaces}x\n");
    let closed = format!("[1]{spaces}\n");
    let rest = format!("{{\"a\":1}}{spaces}{{}}\n");
    let garbage = format!("x{big}\n{{}}");
    let wrong = format!("9 <1>{big}\n5 <2>c\n");
    for (payload, framing) in [
        (pretty.as_bytes(), lognorm::Framing::Json),
        (array.as_bytes(), lognorm::Framing::Json),
        (frame.as_bytes(), lognorm::Framing::OctetCounted),
        (big.as_bytes(), lognorm::Framing::Lines),
        (indented.as_bytes(), lognorm::Framing::Json),
        (blank.as_bytes(), lognorm::Framing::Json),
        (blank.as_bytes(), lognorm::Framing::Auto),
        (closed.as_bytes(), lognorm::Framing::Json),
        (rest.as_bytes(), lognorm::Framing::Json),
        (garbage.as_bytes(), lognorm::Framing::Json),
        (wrong.as_bytes(), lognorm::Framing::OctetCounted),
    ] {
        let pieces = payload.chunks(1).map(<[u8]>::to_vec).collect::<Vec<_>>();
        let mut k = 0;
        let reader = made(pieces.len(), 1, move |_, out: &mut Vec<u8>| {
            out.extend_from_slice(&pieces[k]);
            k += 1;
        });
        let mut records = lognorm::SplitReader::new(reader, framing);
        let mut got = Vec::new();
        while let Some(r) = records.next_record().unwrap() {
            got.push((r.offset(), r.bytes().to_vec()));
        }
        let want: Vec<_> = lognorm::split(payload, framing)
            .map(|r| (r.offset(), r.bytes().to_vec()))
            .collect();
        assert_eq!(got, want);
    }
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
}
