//! Every limit of `Limits`: going past it is an ordinary error with a
//! pinned message (a record error for records and payloads, a schema
//! error for schemas), and staying within it works.

use lognorm::{Limits, RecordErrorKind, Registry, SchemaErrorKind, Scratch};

use crate::util::context;

const SCHEMA: &str = "
schema: Limits.Json
fields:
  - name: a
    type: string
  - name: j
    type: json
";

fn registry(limits: Limits) -> Registry {
    Registry::builder()
        .limits(limits)
        .add_yaml("t.yml", SCHEMA)
        .unwrap()
        .build()
}

/// (row or `error: …`) per record.
fn outcomes(registry: &Registry, payload: &[u8]) -> Vec<String> {
    let t = registry.log_type("Limits.Json").unwrap();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    t.split(payload)
        .map(|r| match t.normalize(r, &mut ctx, &mut scratch) {
            // The declared fields only: the `p_*` fields are tested
            // elsewhere.
            Ok(e) => {
                let row = e.row();
                row[..row.find(",\"p_log_type\"").unwrap()].to_owned() + "}"
            }
            Err(e) => {
                assert_eq!(e.raw(), r.bytes());
                format!("error: {e}")
            }
        })
        .collect()
}

#[test]
fn payload_limit_turns_the_rest_into_one_failing_record() {
    let r = registry(Limits::new().max_payload_bytes(20));
    let payload =
        b"{\"a\":\"1\"}\n{\"a\":\"2\"}\n{\"a\":\"3\"}\n{\"a\":\"4\"}\n";
    assert_eq!(
        outcomes(&r, payload),
        [
            r#"{"a":"1"}"#.to_owned(),
            r#"{"a":"2"}"#.to_owned(),
            "error: record 3 (byte 20): expected a payload of at most 20 \
             bytes, found 20 more bytes from byte 20 on (not split)"
                .to_owned(),
        ]
    );
    // The failing record carries every byte that was not split.
    let t = r.log_type("Limits.Json").unwrap();
    let last = t.split(payload).last().unwrap();
    assert_eq!(last.bytes(), &payload[20..]);
}

#[test]
fn record_member_limit() {
    let r = registry(Limits::new().max_record_fields(4));
    let ok = br#"{"a":"x","j":{"b":1,"c":2}}"#; // 2 + 2 members
    let over = br#"{"a":"x","j":{"b":1,"c":{"d":3}}}"#; // 2 + 2 + 1
    assert_eq!(outcomes(&r, ok), [r#"{"a":"x","j":{"b":1,"c":2}}"#]);
    assert_eq!(
        outcomes(&r, over),
        ["error: record 1 (byte 0): field `j`: expected at most 4 object \
          members in one record, found more"]
    );
    // Members of undeclared subtrees are skipped unread and not counted.
    let skipped = br#"{"a":"x","u":{"1":1,"2":2,"3":3,"4":4,"5":5}}"#;
    assert_eq!(outcomes(&r, skipped), [r#"{"a":"x"}"#]);
    // The root object's own members count.
    let wide = br#"{"a":"x","b":1,"c":2,"d":3,"e":4}"#;
    let err = &outcomes(&r, wide)[0];
    assert!(err.contains("at most 4 object members"), "{err}");
}

#[test]
fn default_limits_are_documented_values() {
    let l = Limits::new();
    assert_eq!(l.payload_bytes(), 256 << 20);
    assert_eq!(l.record_bytes(), 8 << 20);
    assert_eq!(l.depth(), 128);
    assert_eq!(l.record_fields(), 100_000);
    assert_eq!(l.string_bytes(), 1 << 20);
    assert_eq!(l.indicator_values(), 10_000);
    assert_eq!(l.schema_bytes(), 1 << 20);
    assert_eq!(l.schema_depth(), 16);
    assert_eq!(l.schema_fields(), 10_000);
    assert_eq!(l.patterns(), 64);
    assert_eq!(l.pattern_bytes(), 4096);
}

#[test]
fn schema_size_limit() {
    let err = Registry::builder()
        .limits(Limits::new().max_schema_bytes(40))
        .add_yaml("t.yml", SCHEMA)
        .unwrap_err();
    assert_eq!(err.kind(), SchemaErrorKind::Limit);
    assert_eq!(
        err.to_string(),
        format!(
            "t.yml: a schema of {} bytes, more than the limit of 40 bytes",
            SCHEMA.len()
        )
    );
}

const TEXT: &str = "
schema: Limits.Text
parser:
  fastmatch:
    match:
      - '%{a} %{b}'
      - '%{a}'
fields:
  - name: a
    type: string
  - name: b
    type: string
";

#[test]
fn pattern_count_and_length_limits() {
    let err = Registry::builder()
        .limits(Limits::new().max_patterns(1))
        .add_yaml("l.yml", TEXT)
        .unwrap_err();
    assert_eq!(err.kind(), SchemaErrorKind::Limit);
    assert_eq!(
        err.to_string(),
        "l.yml:6:7: parser.fastmatch.match: 2 patterns, more than the \
         limit of 1"
    );
    let err = Registry::builder()
        .limits(Limits::new().max_pattern_bytes(8))
        .add_yaml("l.yml", TEXT)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "l.yml:6:9: parser.fastmatch.match[0]: a pattern of 9 bytes, more \
         than the limit of 8 bytes"
    );
    assert!(
        Registry::builder()
            .limits(Limits::new().max_patterns(2).max_pattern_bytes(9))
            .add_yaml("l.yml", TEXT)
            .is_ok()
    );
}

#[test]
fn string_limit_fails_the_record() {
    let r = registry(Limits::new().max_string_bytes(4));
    assert_eq!(outcomes(&r, br#"{"a":"1234"}"#), [r#"{"a":"1234"}"#]);
    let t = r.log_type("Limits.Json").unwrap();
    let (mut ctx, mut scratch) = (context(), Scratch::new());
    let record = t.split(br#"{"a":"12345"}"#).next().unwrap();
    let err = t.normalize(record, &mut ctx, &mut scratch).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);
    assert_eq!(
        err.to_string(),
        "record 1 (byte 0): field `a`: expected a string of at most 4 bytes, \
         found 5 bytes"
    );
}
