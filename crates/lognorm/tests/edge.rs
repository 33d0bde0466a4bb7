//! Hostile edge cases of JSON and text records, each outcome pinned
//! exactly: invalid UTF-8, NUL bytes, lone surrogates, duplicate keys,
//! huge and non-finite numbers, negative zero and byte order marks.
//!
//! Each test states what lognorm does today. Where that is worth
//! changing, the comment says so and points at the report (a test marked
//! `#[ignore = "bug: …"]` states the behaviour we want instead).

use std::sync::LazyLock;

use lognorm::RecordErrorKind::{self, InvalidValue, Syntax};
use lognorm::{LogType, Registry, Scratch};

use crate::util::{context, normalize_lines};

/// A log type with one field of each scalar kind, an object and an
/// indicator field; nothing is required, so `{}` is an event.
const EDGE: &str = r#"
schema: Edge.Test
fields:
  - name: s
    type: string
  - name: i
    type: int
  - name: b
    type: bigint
  - name: f
    type: float
  - name: j
    type: json
  - name: o
    type: object
    fields:
      - name: x
        type: int
      - name: y
        type: int
  - name: ip
    type: string
    indicators: [ip]
  - name: e
    type: object
    isEmbeddedJSON: true
    fields:
      - name: x
        type: int
"#;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    Registry::builder()
        .add_builtin()
        .unwrap()
        .add_yaml("edge.yml", EDGE)
        .unwrap()
        .build()
});

fn edge() -> &'static LogType {
    REGISTRY.log_type("Edge.Test").unwrap()
}

fn heroku() -> &'static LogType {
    REGISTRY.log_type("Heroku.Runtime").unwrap()
}

/// A row without its `p_*` fields: `{"s":"a"}`, or `{}`.
fn declared(row: &str) -> String {
    let cut = row.find("\"p_log_type\"").expect("a row has p_log_type");
    format!("{}}}", row[..cut].trim_end_matches(','))
}

/// The outcomes of a payload: declared fields of each row, or
/// `error: <message>` (see `normalize_lines`, which also checks that each
/// row is valid JSON and each error carries its raw record).
fn outcomes(log_type: &LogType, payload: &[u8]) -> Vec<String> {
    normalize_lines(log_type, payload)
        .into_iter()
        .map(|l| if l.starts_with("error: ") { l } else { declared(&l) })
        .collect()
}

/// Normalizes a payload that must be exactly one record of `Edge.Test`:
/// its declared fields, or the error's kind and message.
fn one(payload: &[u8]) -> Result<String, (RecordErrorKind, String)> {
    one_of(edge(), payload)
}

fn one_of(
    log_type: &LogType,
    payload: &[u8],
) -> Result<String, (RecordErrorKind, String)> {
    let mut records = log_type.split(payload);
    let record = records.next().expect("one record");
    assert!(records.next().is_none(), "more than one record");
    let mut scratch = Scratch::new();
    match log_type.normalize(record, &mut context(), &mut scratch) {
        Ok(event) => {
            let row = event.row();
            serde_json::from_str::<serde_json::Value>(row)
                .unwrap_or_else(|e| panic!("row is not JSON ({e}): {row}"));
            Ok(declared(row))
        }
        Err(e) => {
            assert_eq!(e.raw(), record.bytes());
            Err((e.kind(), e.to_string()))
        }
    }
}

fn ok(row: &str) -> Result<String, (RecordErrorKind, String)> {
    Ok(row.to_owned())
}

fn err(
    kind: RecordErrorKind,
    msg: &str,
) -> Result<String, (RecordErrorKind, String)> {
    Err((kind, msg.to_owned()))
}

// ---- invalid UTF-8 ----

#[test]
fn invalid_utf8_fails_the_record_wherever_it_is() {
    // A string value, a key, an undeclared field, a truncated sequence,
    // an encoded surrogate (ED A0 80) and an overlong `/` (C0 AF): every
    // one fails the whole record as a syntax error, raw bytes kept.
    // The position is the first byte that is not valid UTF-8.
    for (record, at) in [
        (&b"{\"s\":\"a\xffb\"}"[..], 7),
        (b"{\"\xff\":1,\"s\":\"x\"}", 2),
        (b"{\"zz\":\"\xff\",\"s\":\"x\"}", 7),
        (b"{\"s\":\"x\",\"zz\":\"\xe2\x82\"}", 15),
        (b"{\"s\":\"\xed\xa0\x80\"}", 6),
        (b"{\"s\":\"\xc0\xaf\"}", 6),
    ] {
        let msg = format!(
            "record 1 (byte 0): expected valid JSON, found invalid UTF-8 \
             at byte {at}"
        );
        assert_eq!(one(record), err(Syntax, &msg), "{record:?}");
    }
    // Each record of a payload fails alone; its neighbours are kept.
    assert_eq!(
        outcomes(edge(), b"{\"s\":\"a\"}\n{\"s\":\"\xff\"}\n{\"s\":\"c\"}"),
        [
            r#"{"s":"a"}"#,
            "error: record 2 (byte 10): expected valid JSON, found \
             invalid UTF-8 at byte 6",
            r#"{"s":"c"}"#,
        ]
    );
}

#[test]
fn invalid_utf8_in_a_text_line() {
    let line = b"83 <40>1 2012-11-30T06:45:29+00:00 host app web.3 - bad \xff";
    assert_eq!(
        one_of(heroku(), line),
        err(
            Syntax,
            "record 1 (byte 0): expected a line of valid UTF-8, found \
             invalid UTF-8"
        )
    );
}

// ---- NUL and other control characters ----

#[test]
fn raw_control_characters_in_json_strings_are_syntax_errors() {
    // RFC 8259 §7: U+0000..U+001F must be escaped inside strings, so a
    // raw NUL (or 0x1F) is invalid JSON. DEL (0x7F) need not be escaped
    // and is kept as is. The position is the control character's.
    let msg = |at: usize| {
        format!(
            "record 1 (byte 0): expected valid JSON, found a control \
             character in a string at byte {at}"
        )
    };
    assert_eq!(one(b"{\"s\":\"a\x00b\"}"), err(Syntax, &msg(7)));
    assert_eq!(one(b"{\"zz\":\"\x00\",\"s\":\"x\"}"), err(Syntax, &msg(7)));
    assert_eq!(one(b"{\"s\":\"a\x1fb\"}"), err(Syntax, &msg(7)));
    assert_eq!(one(b"{\"s\":\"a\x7fb\"}"), ok("{\"s\":\"a\x7fb\"}"));
}

#[test]
fn escaped_nul_is_kept_and_written_escaped() {
    assert_eq!(one(br#"{"s":"a\u0000b"}"#), ok(r#"{"s":"a\u0000b"}"#));
    assert_eq!(one(br#"{"j":["\u0000"]}"#), ok(r#"{"j":["\u0000"]}"#));
    // A key with an escaped NUL is just another (undeclared) key.
    assert_eq!(one(br#"{"s\u0000":1,"s":"x"}"#), ok(r#"{"s":"x"}"#));
    // The row reads back to the same string.
    let row: serde_json::Value =
        serde_json::from_str(&one(br#"{"s":"a\u0000b"}"#).unwrap()).unwrap();
    assert_eq!(row["s"], "a\0b");
}

#[test]
fn raw_nul_in_a_text_line_is_kept_and_escaped() {
    let line = b"83 <40>1 2012-11-30T06:45:29+00:00 host app web.3 - a \x00 b";
    assert_eq!(
        one_of(heroku(), line),
        ok(
            r#"{"message_len":83,"priority":40,"version":"1","timestamp":"2012-11-30 06:45:29.000000000","host_name":"host","app_name":"app","process_id":"web.3","message":"a \u0000 b"}"#
        )
    );
}

// ---- lone surrogates ----

#[test]
fn lone_surrogate_escapes_fail_the_record() {
    // `\ud800` alone, `\udc00` first, a high surrogate followed by a
    // non-surrogate escape, and in an undeclared field: all rejected, as
    // serde_json does (Go's encoding/json writes U+FFFD instead).
    // The position is the escape's backslash.
    for (record, at) in [
        (&br#"{"s":"\ud800"}"#[..], 6),
        (br#"{"s":"\udc00x"}"#, 6),
        (br#"{"s":"\ud800\u0041"}"#, 6),
        (br#"{"s":"\udbff"}"#, 6),
        (br#"{"zz":"\ud800","s":"x"}"#, 7),
        (br#"{"j":{"\udc00":1}}"#, 7),
    ] {
        let msg = format!(
            "record 1 (byte 0): expected valid JSON, found an invalid \\u \
             escape at byte {at}"
        );
        assert_eq!(one(record), err(Syntax, &msg), "{record:?}");
        assert!(serde_json::from_slice::<serde_json::Value>(record).is_err());
    }
    // A proper pair is one character.
    assert_eq!(one(br#"{"s":"\ud83d\ude00"}"#), ok(r#"{"s":"😀"}"#));
    assert_eq!(one(br#"{"s":"\udbff\udfff"}"#), ok("{\"s\":\"\u{10ffff}\"}"));
}

// ---- duplicate keys ----

#[test]
fn duplicate_keys_last_one_wins() {
    assert_eq!(one(br#"{"i":1,"i":2}"#), ok(r#"{"i":2}"#));
    // The earlier value is not looked at, even when it is invalid ...
    assert_eq!(one(br#"{"i":"x","i":2}"#), ok(r#"{"i":2}"#));
    // ... and a later invalid value fails the record.
    assert_eq!(
        one(br#"{"i":2,"i":"x"}"#),
        err(
            InvalidValue,
            r#"record 1 (byte 0): field `i`: expected int, found `"x"`"#
        )
    );
    // A later null makes the field absent.
    assert_eq!(one(br#"{"s":"a","s":null}"#), ok("{}"));
    // Objects are not merged: the last one is taken whole.
    assert_eq!(one(br#"{"o":{"x":1},"o":{"y":2}}"#), ok(r#"{"o":{"y":2}}"#));
    // Inside nested declared objects too.
    assert_eq!(one(br#"{"o":{"x":1,"x":3}}"#), ok(r#"{"o":{"x":3}}"#));
    // A `json` value is kept as sent, duplicates included.
    assert_eq!(one(br#"{"j":{"a":1,"a":2}}"#), ok(r#"{"j":{"a":1,"a":2}}"#));
    assert_eq!(one(br#"{"j":{"a":1},"j":[1]}"#), ok(r#"{"j":[1]}"#));
}

#[test]
fn duplicate_keys_only_the_last_value_reaches_the_indicators() {
    let payload = br#"{"ip":"192.0.2.1","ip":"192.0.2.2"}"#;
    let record = edge().split(payload).next().unwrap();
    let mut scratch = Scratch::new();
    let event =
        edge().normalize(record, &mut context(), &mut scratch).unwrap();
    assert!(event.row().starts_with(r#"{"ip":"192.0.2.2","p_log_type""#));
    assert!(
        event.row().ends_with(r#""p_any_ip_addresses":["192.0.2.2"]}"#),
        "{}",
        event.row()
    );
}

// ---- very long numbers ----

/// 400 nines.
fn nines() -> String {
    "9".repeat(400)
}

#[test]
fn integer_of_400_digits_fails_the_record_anywhere() {
    // simd-json reads integers wider than 64 bits as floats
    // (`big-int-as-float`); a value above f64::MAX (~1.8e308) is "an
    // invalid number", whichever field holds it, even an undeclared one.
    let d = nines();
    for (key, at) in [("i", 5), ("b", 5), ("f", 5), ("s", 5), ("j", 5)] {
        for sign in ["", "-"] {
            let record = format!(r#"{{"{key}":{sign}{d}}}"#);
            let first = if sign.is_empty() { '9' } else { '-' };
            assert_eq!(
                one(record.as_bytes()),
                err(
                    Syntax,
                    &format!(
                        "record 1 (byte 0): expected valid JSON, found an \
                         invalid number at byte {at} (`{first}`)"
                    )
                ),
                "{key} {sign}"
            );
        }
    }
    let record = format!(r#"{{"s":"x","zz":{d}}}"#);
    assert_eq!(
        one(record.as_bytes()),
        err(
            Syntax,
            "record 1 (byte 0): expected valid JSON, found an invalid \
             number at byte 14 (`9`)"
        )
    );
    // With a fraction, too.
    let record = format!(r#"{{"j":{d}.5}}"#);
    assert!(one(record.as_bytes()).is_err());
    // The limit is the value, not the digit count: 1e308 written out
    // (309 digits) is kept as sent in a `json` field; 2e308 is not.
    let big = format!("1{}", "0".repeat(308));
    assert_eq!(
        one(format!(r#"{{"j":{big}}}"#).as_bytes()),
        ok(&format!(r#"{{"j":{big}}}"#))
    );
    let too_big = format!("2{}", "0".repeat(308));
    assert!(one(format!(r#"{{"j":{too_big}}}"#).as_bytes()).is_err());
}

#[test]
fn fraction_of_400_digits() {
    let d = nines();
    let frac = format!("0.{d}");
    let run = |key: &str| one(format!(r#"{{"{key}":{frac}}}"#).as_bytes());
    // `int` and `bigint` need integer literals. The message quotes the
    // literal as sent (cut at 64 characters), not the parsed `1.0`.
    assert_eq!(
        run("i"),
        err(
            InvalidValue,
            &format!(
                "record 1 (byte 0): field `i`: expected int, found `{}…`",
                &frac[..64]
            )
        )
    );
    assert_eq!(
        run("b"),
        err(
            InvalidValue,
            &format!(
                "record 1 (byte 0): field `b`: expected bigint, found `{}…`",
                &frac[..64]
            )
        )
    );
    // A float rounds to the nearest double, as any float column does.
    assert_eq!(run("f"), ok(r#"{"f":1.0}"#));
    // `string` and `json` keep the literal exactly.
    assert_eq!(run("s"), ok(&format!(r#"{{"s":"{frac}"}}"#)));
    assert_eq!(run("j"), ok(&format!(r#"{{"j":{frac}}}"#)));
    assert_eq!(run("zz"), ok("{}"));
    let one_nines = format!("1.{d}");
    assert_eq!(
        one(format!(r#"{{"f":{one_nines},"j":[{one_nines}]}}"#).as_bytes()),
        ok(&format!(r#"{{"f":2.0,"j":[{one_nines}]}}"#))
    );
}

#[test]
fn long_numbers_as_strings() {
    // Quoted, the same digits reach the field's coercion: numbers are
    // out of range (message cut at 64 characters), strings are kept.
    let d = nines();
    let cut = &d[..63];
    assert_eq!(
        one(format!(r#"{{"i":"{d}"}}"#).as_bytes()),
        err(
            InvalidValue,
            &format!(
                "record 1 (byte 0): field `i`: expected int in range \
                 -2147483648..=2147483647, found `\"{cut}…`"
            )
        )
    );
    assert_eq!(
        one(format!(r#"{{"b":"-{d}"}}"#).as_bytes()),
        err(
            InvalidValue,
            &format!(
                "record 1 (byte 0): field `b`: expected bigint in range \
                 -9223372036854775808..=9223372036854775807, found `\"-{}…`",
                &d[..62]
            )
        )
    );
    assert_eq!(
        one(format!(r#"{{"f":"{d}"}}"#).as_bytes()),
        err(
            InvalidValue,
            &format!(
                "record 1 (byte 0): field `f`: expected float (a finite \
                 number), found `\"{cut}…`"
            )
        )
    );
    assert_eq!(
        one(format!(r#"{{"s":"{d}"}}"#).as_bytes()),
        ok(&format!(r#"{{"s":"{d}"}}"#))
    );
}

#[test]
fn integers_just_past_64_bits() {
    // 23 digits: read as a float; a `bigint` rejects it, and the message
    // quotes the literal.
    let n = "12345678901234567890123";
    assert_eq!(
        one(format!(r#"{{"b":{n}}}"#).as_bytes()),
        err(
            InvalidValue,
            "record 1 (byte 0): field `b`: expected bigint, found \
             `12345678901234567890123`"
        )
    );
    assert_eq!(
        one(format!(r#"{{"s":{n},"j":-{n}}}"#).as_bytes()),
        ok(&format!(r#"{{"s":"{n}","j":-{n}}}"#))
    );
    // u64::MAX is still an integer: out of range for bigint.
    assert_eq!(
        one(br#"{"b":18446744073709551615}"#),
        err(
            InvalidValue,
            "record 1 (byte 0): field `b`: expected bigint in range \
             -9223372036854775808..=9223372036854775807, found \
             `18446744073709551615`"
        )
    );
}

// ---- 1e999 ----

#[test]
fn infinite_literals_fail_the_record_anywhere() {
    for lit in ["1e999", "-1e999", "1E400", "1e+999"] {
        for key in ["i", "f", "s", "j", "zz"] {
            let record = format!(r#"{{"{key}":{lit}}}"#);
            let at = 4 + key.len();
            let first = &lit[..1];
            assert_eq!(
                one(record.as_bytes()),
                err(
                    Syntax,
                    &format!(
                        "record 1 (byte 0): expected valid JSON, found an \
                         invalid number at byte {at} (`{first}`)"
                    )
                ),
                "{record}"
            );
        }
    }
    // Quoted: a float field rejects it (SPEC §3 (fix)), a string keeps it.
    assert_eq!(
        one(br#"{"f":"1e999"}"#),
        err(
            InvalidValue,
            r#"record 1 (byte 0): field `f`: expected float (a finite number), found `"1e999"`"#
        )
    );
    assert_eq!(
        one(br#"{"f":"-inf"}"#),
        err(
            InvalidValue,
            r#"record 1 (byte 0): field `f`: expected float (a finite number), found `"-inf"`"#
        )
    );
    assert_eq!(one(br#"{"s":"1e999"}"#), ok(r#"{"s":"1e999"}"#));
    // Underflow is not an error: a float column gets 0.0, `json` and
    // `string` keep the literal.
    assert_eq!(
        one(br#"{"f":1e-999,"s":1e-999,"j":-1e-999}"#),
        ok(r#"{"s":"1e-999","f":0.0,"j":-1e-999}"#)
    );
}

// ---- negative zero ----

#[test]
fn negative_zero() {
    // int and bigint: `-0` is the integer 0; `-0.0` is not an integer
    // literal.
    assert_eq!(one(br#"{"i":-0,"b":-0}"#), ok(r#"{"i":0,"b":0}"#));
    assert_eq!(one(br#"{"i":"-0"}"#), ok(r#"{"i":0}"#));
    assert_eq!(
        one(br#"{"i":-0.0}"#),
        err(
            InvalidValue,
            "record 1 (byte 0): field `i`: expected int, found `-0.0`"
        )
    );
    assert_eq!(
        one(br#"{"b":-0e0}"#),
        err(
            InvalidValue,
            "record 1 (byte 0): field `b`: expected bigint, found `-0e0`"
        )
    );
    // float: the JSON integer `-0` is written `0`; `-0.0` and the
    // string "-0" keep the sign.
    assert_eq!(one(br#"{"f":-0}"#), ok(r#"{"f":0}"#));
    assert_eq!(one(br#"{"f":-0.0}"#), ok(r#"{"f":-0.0}"#));
    assert_eq!(one(br#"{"f":"-0"}"#), ok(r#"{"f":-0.0}"#));
    // string and json: the literal as sent.
    assert_eq!(one(br#"{"s":-0}"#), ok(r#"{"s":"-0"}"#));
    assert_eq!(one(br#"{"s":-0.0}"#), ok(r#"{"s":"-0.0"}"#));
    assert_eq!(one(br#"{"s":-0e0}"#), ok(r#"{"s":"-0e0"}"#));
    assert_eq!(
        one(br#"{"j":[-0,-0.0,-0E+0]}"#),
        ok(r#"{"j":[-0,-0.0,-0E+0]}"#)
    );
}

// ---- byte order marks ----

const BOM: &str = "\u{feff}";

#[test]
fn bom_at_the_start_of_a_payload_is_skipped() {
    // Single object, NDJSON and array payloads; offsets still count from
    // the start of the payload (the BOM is 3 bytes).
    let mut scratch = Scratch::new();
    for (payload, offsets) in [
        (format!(r#"{BOM}{{"s":"a"}}"#), vec![3]),
        (format!("{BOM}{{\"s\":\"a\"}}\n{{\"s\":\"b\"}}\n"), vec![3, 13]),
        (format!(r#"{BOM}[{{"s":"a"}},{{"s":"b"}}]"#), vec![4, 14]),
    ] {
        let got: Vec<usize> =
            edge().split(payload.as_bytes()).map(|r| r.offset()).collect();
        assert_eq!(got, offsets, "{payload:?}");
        for record in edge().split(payload.as_bytes()) {
            assert!(
                edge().normalize(record, &mut context(), &mut scratch).is_ok()
            );
        }
    }
    assert_eq!(
        outcomes(edge(), format!("{BOM}{{\"s\":\"a\"}}\n").as_bytes()),
        [r#"{"s":"a"}"#]
    );
}

#[test]
fn bom_anywhere_else_before_a_record_fails_it() {
    // At the start of an NDJSON line other than the first, of an array
    // element, after leading whitespace, or a second BOM: the record
    // fails (nothing is dropped). The message shows the character at
    // fault, U+FEFF, escaped (simd-json reported its first byte, which
    // lognorm printed as `ï`).
    assert_eq!(
        outcomes(
            edge(),
            format!("{{\"s\":\"a\"}}\n{BOM}{{\"s\":\"b\"}}").as_bytes()
        ),
        [
            r#"{"s":"a"}"#,
            "error: record 2 (byte 10): expected valid JSON, found invalid \
             JSON at byte 0 (`\\u{feff}`)"
        ]
    );
    assert_eq!(
        outcomes(
            edge(),
            format!(r#"[{{"s":"a"}},{BOM}{{"s":"b"}}]"#).as_bytes()
        ),
        [
            r#"{"s":"a"}"#,
            "error: record 2 (byte 11): expected valid JSON, found invalid \
             JSON at byte 0 (`\\u{feff}`)"
        ]
    );
    assert_eq!(
        outcomes(edge(), format!(r#" {BOM}{{"s":"a"}}"#).as_bytes()),
        ["error: record 1 (byte 0): expected valid JSON, found invalid \
          JSON at byte 1 (`\\u{feff}`)"]
    );
    assert_eq!(
        outcomes(edge(), format!(r#"{BOM}{BOM}{{"s":"a"}}"#).as_bytes()),
        ["error: record 1 (byte 3): expected valid JSON, found invalid \
          JSON at byte 0 (`\\u{feff}`)"]
    );
}

#[test]
fn bom_inside_a_string_is_kept() {
    // U+FEFF is an ordinary character inside a value (raw or escaped).
    assert_eq!(
        one(format!(r#"{{"s":"{BOM}b","j":"\ufeff"}}"#).as_bytes()),
        ok(&format!(r#"{{"s":"{BOM}b","j":"{BOM}"}}"#))
    );
}

#[test]
fn bom_in_text_payloads() {
    let frame = "52 <40>1 2012-11-30T06:45:29+00:00 host app web.3 - hi\n";
    // At the start of a Heroku body: skipped, like JSON.
    assert_eq!(
        outcomes(heroku(), format!("{BOM}{frame}").as_bytes()),
        [
            r#"{"message_len":52,"priority":40,"version":"1","timestamp":"2012-11-30 06:45:29.000000000","host_name":"host","app_name":"app","process_id":"web.3","message":"hi"}"#
        ]
    );
    // Before a later frame, `BOM 52 <40>` is not a frame start, so the
    // previous frame's count is not trusted and that frame runs on over
    // the next line: the two messages are merged into one record. No byte
    // is lost, but two events become one (see the report).
    assert_eq!(
        outcomes(heroku(), format!("{frame}{BOM}{frame}").as_bytes()),
        [format!(
            r#"{{"message_len":52,"priority":40,"version":"1","timestamp":"2012-11-30 06:45:29.000000000","host_name":"host","app_name":"app","process_id":"web.3","message":"hi\n{BOM}{}"}}"#,
            frame.trim_end()
        )]
    );
}

// ---- positions and literals in messages ----

#[test]
fn syntax_error_positions_point_at_the_bad_byte() {
    for (record, at) in [
        (&b"{\"s\":\"a\xffb\"}"[..], 7),
        (b"{\"s\":\"a\x00b\"}", 7),
        (br#"{"s":"\ud800"}"#, 6),
    ] {
        let (_, msg) = one(record).unwrap_err();
        assert!(msg.ends_with(&format!("at byte {at}")), "{msg}");
    }
}

#[test]
fn number_errors_quote_the_literal() {
    let frac = format!("0.{}", nines());
    let (_, msg) = one(format!(r#"{{"i":{frac}}}"#).as_bytes()).unwrap_err();
    assert!(msg.ends_with(&format!("found `{}…`", &frac[..64])), "{msg}");
    let (_, msg) = one(br#"{"b":12345678901234567890123}"#).unwrap_err();
    assert!(msg.ends_with("found `12345678901234567890123`"), "{msg}");
}

// ---- numbers inside embedded JSON (issue: a new user's first hour, 2) ----

/// Numbers of an `isEmbeddedJSON` value are kept as sent, as they are in
/// a `json` field of the record itself: `json` values, and the literal
/// text a `string` field takes from a number.
#[test]
fn embedded_json_keeps_numbers_as_sent() {
    const SCHEMA: &str = r#"
schema: Edge.Embedded
fields:
  - name: d
    type: json
    isEmbeddedJSON: true
  - name: o
    type: object
    isEmbeddedJSON: true
    fields:
      - name: s
        type: string
      - name: j
        type: json
      - name: f
        type: float
"#;
    let registry =
        Registry::builder().add_yaml("embedded.yml", SCHEMA).unwrap().build();
    let lt = registry.log_type("Edge.Embedded").unwrap();
    let rows = normalize_lines(
        lt,
        br#"{"d":"{\"a\":[2.50,1e2,12345678901234567890123]}"}
{"o":"{\"s\":1.50,\"j\":{\"n\":-0.0,\"m\":[1E+2]},\"f\":2.50}"}
{"d":"[1.0, {\"x\": 0.10}]","o":"{\"s\":-0}"}"#,
    );
    let declared: Vec<&str> = rows
        .iter()
        .map(|r| r.split(",\"p_log_type").next().unwrap())
        .collect();
    assert_eq!(
        declared,
        [
            r#"{"d":{"a":[2.50,1e2,12345678901234567890123]}"#,
            r#"{"o":{"s":"1.50","j":{"n":-0.0,"m":[1E+2]},"f":2.5}"#,
            r#"{"d":[1.0,{"x":0.10}],"o":{"s":"-0"}"#,
        ]
    );
}

#[test]
fn syntax_errors_name_the_end_of_input_and_the_bytes_after_the_value() {
    // A record cut short fails where the input ended (not at the start of
    // its last string); bytes after the value are named at the first of
    // them (not at the value's last byte). NDJSON lines, so `{…}{…}` on a
    // later line is one record.
    assert_eq!(
        outcomes(
            edge(),
            b"{\"s\":\"a\"}\n{\"s\":\"a\",\"j\":\"x\n\
              {\"s\":\"b\"}{\"s\":\"c\"}\n{\"s\":\"d\"} x\n{\"s\":\"e\"}}\n"
        ),
        [
            r#"{"s":"a"}"#,
            "error: record 2 (byte 10): expected valid JSON, found \
             unexpected end of input at byte 15",
            "error: record 3 (byte 26): expected valid JSON, found bytes \
             after the value at byte 9 (`{`)",
            "error: record 4 (byte 45): expected valid JSON, found bytes \
             after the value at byte 10 (`x`)",
            "error: record 5 (byte 57): expected valid JSON, found bytes \
             after the value at byte 9 (`}`)",
        ]
    );
    // The same words for embedded JSON text.
    assert_eq!(
        one(br#"{"e":"{\"x\":1"}"#),
        err(
            InvalidValue,
            "record 1 (byte 0): field `e`: expected object as embedded JSON \
             text, found invalid JSON (unexpected end of input at byte 6)"
        )
    );
    assert_eq!(one(br#"{"e":"{\"x\":1}"}"#), ok(r#"{"e":{"x":1}}"#));
}

// ---- drain bodies as captured (issue 17, item 4) ----

/// Logplex frames written back to back without a line break are split
/// where each count lands on the next frame's start, and a frame with a
/// count of zero is an empty record that fails to match: no frame is
/// merged with its neighbour, and the frames after it normalize.
#[test]
fn drain_frames_back_to_back_and_empty_frames_stand_alone() {
    let msg =
        |n: u8| format!("<190>1 2024-05-01T12:20:0{n}Z host app web.1 - m{n}");
    let frame = |n: u8| format!("{} {}", msg(n).len(), msg(n));
    let payload = format!("{}{}0 {}0 ", frame(1), frame(2), frame(3));
    let got = outcomes(heroku(), payload.as_bytes());
    assert_eq!(got.len(), 5, "{got:#?}");
    for (i, n) in [(0, 1), (1, 2), (3, 3)] {
        assert!(
            got[i].contains(&format!(r#""message":"m{n}""#)),
            "{}",
            got[i]
        );
    }
    for i in [2, 4] {
        assert!(
            got[i].starts_with("error: ")
                && got[i].ends_with(
                    "expected a line matching one of the schema's patterns, \
                     found `0 `"
                ),
            "{}",
            got[i]
        );
    }
}
