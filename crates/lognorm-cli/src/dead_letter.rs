//! Dead letters: one JSON line per record that failed, with its exact
//! bytes so a dead-letter table can replay it.

use std::fmt::{self, Write as _};

use lognorm::{RecordError, write_json_str};

/// Appends the dead letter of `e`, read from `input`, as one JSON line:
///
/// ```text
/// {"input":"a.jsonl","record":2,"offset":17,"log_type":"Wiz.Audit","error":"record 2 (byte 17): ...","raw":"..."}
/// ```
///
/// `raw` is the record as text when it is valid UTF-8; otherwise the key
/// is `raw_base64` and the value the record's bytes in standard base64
/// (RFC 4648 §4, padded). Nothing is replaced, so the bytes round-trip.
pub(crate) fn to_vec(out: &mut Vec<u8>, input: &str, e: &RecordError) {
    let at = (e.record_number(), e.offset() as u64);
    write_parts(out, input, at, e.log_type(), e, e.raw());
}

/// Appends the dead letter of a record no candidate of a classifier
/// accepted, as [`to_vec`] does; `log_type` is the candidate list as
/// given and `error` names each candidate's error.
pub(crate) fn write_unclassified(
    out: &mut Vec<u8>,
    input: &str,
    e: &lognorm::ClassifyError,
    log_types: &str,
) {
    let at = (e.record_number(), e.offset() as u64);
    write_parts(out, input, at, log_types, e, e.raw());
}

fn write_parts(
    out: &mut Vec<u8>,
    input: &str,
    (record, offset): (u64, u64),
    log_type: &str,
    error: &dyn fmt::Display,
    raw: &[u8],
) {
    out.extend_from_slice(b"{\"input\":");
    write_json_str(out, input);
    out.extend_from_slice(b",\"record\":");
    out.extend_from_slice(itoa::Buffer::new().format(record).as_bytes());
    out.extend_from_slice(b",\"offset\":");
    out.extend_from_slice(itoa::Buffer::new().format(offset).as_bytes());
    out.extend_from_slice(b",\"log_type\":");
    write_json_str(out, log_type);
    out.extend_from_slice(b",\"error\":\"");
    // Escaped as it is formatted: no message string per failed record.
    // Writing to a `Vec` does not fail.
    let _ = write!(Escaper(out), "{error}");
    out.push(b'"');
    match std::str::from_utf8(raw) {
        Ok(text) => {
            out.extend_from_slice(b",\"raw\":");
            write_json_str(out, text);
        }
        Err(_) => {
            out.extend_from_slice(b",\"raw_base64\":\"");
            base64(out, raw);
            out.push(b'"');
        }
    }
    out.extend_from_slice(b"}\n");
}

/// Appends the dead letter of a record that failed, from its parts (a
/// row of `lognorm::arrow::failures_schema`); see [`to_vec`].
#[cfg(feature = "parquet")]
pub(crate) fn to_vec_parts(
    out: &mut Vec<u8>,
    input: &str,
    at: (u64, u64),
    log_type: &str,
    error: &str,
    raw: &[u8],
) {
    write_parts(out, input, at, log_type, &error, raw);
}

/// A `fmt::Write` that appends what it is given JSON-escaped, without
/// quotes: the pieces of an error message, each a few words.
struct Escaper<'w>(&'w mut Vec<u8>);

impl fmt::Write for Escaper<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // The library's escaper writes a whole JSON string: its quotes
        // are taken off again (a piece is a few bytes long).
        let start = self.0.len();
        write_json_str(self.0, s);
        self.0.pop();
        self.0.remove(start);
        Ok(())
    }
}

/// Writes `bytes` in standard base64 with `=` padding (RFC 4648 §4).
fn base64(out: &mut Vec<u8>, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        for (g, b) in group.iter_mut().zip(chunk) {
            *g = *b;
        }
        let n = u32::from_be_bytes([0, group[0], group[1], group[2]]);
        let sextet = |shift: u32| ALPHABET[(n >> shift & 63) as usize];
        let mut quad = [sextet(18), sextet(12), sextet(6), sextet(0)];
        // 1 byte gives 2 characters, 2 give 3; the rest is padding.
        for q in quad.iter_mut().skip(chunk.len() + 1) {
            *q = b'=';
        }
        out.extend_from_slice(&quad);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base64_string(bytes: &[u8]) -> String {
        let mut out = Vec::new();
        base64(&mut out, bytes);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64_string(plain.as_bytes()), encoded, "{plain}");
        }
    }

    /// A plain oracle: every byte as eight bits, the bit string cut into
    /// sixes (the last padded with zero bits), then `=` to a multiple of
    /// four characters.
    fn base64_by_bits(bytes: &[u8]) -> String {
        let alphabet: Vec<char> =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                .chars()
                .collect();
        let mut bits: Vec<u8> = bytes
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1))
            .collect();
        while !bits.len().is_multiple_of(6) {
            bits.push(0);
        }
        let mut s: String = bits
            .chunks(6)
            .map(|six| {
                alphabet[six.iter().fold(0, |v, b| v * 2 + *b as usize)]
            })
            .collect();
        while !s.len().is_multiple_of(4) {
            s.push('=');
        }
        s
    }

    #[test]
    fn base64_matches_the_bit_oracle_on_every_byte_and_length() {
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..=all.len() {
            let bytes = &all[all.len() - len..];
            assert_eq!(base64_string(bytes), base64_by_bits(bytes), "{len}");
        }
    }

    #[test]
    fn messages_escape_quotes_backslashes_and_control_characters() {
        let mut out = b"\"".to_vec();
        let text = "a\"b\\c\nd\re\tf\u{0}g\u{1f}h é\u{7f}";
        write!(Escaper(&mut out), "{text}").unwrap();
        out.push(b'"');
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""a\"b\\c\nd\re\tf\u0000g\u001fh é"#.to_owned() + "\u{7f}\""
        );
    }

    fn dead_letter(payload: &[u8]) -> String {
        let registry = lognorm::Registry::builtin();
        let wiz = registry.log_type("Wiz.Audit").unwrap();
        let mut ctx = lognorm::Context::new(lognorm::Timestamp::MIN, [0; 6]);
        let mut scratch = lognorm::Scratch::new();
        let record = wiz.split(payload).next().unwrap();
        let e = wiz.normalize(record, &mut ctx, &mut scratch).unwrap_err();
        let mut out = Vec::new();
        to_vec(&mut out, "in \"1\".jsonl", &e);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_utf8_record_keeps_its_text_in_raw() {
        assert_eq!(
            dead_letter(b"{\"id\":\"x\"}"),
            concat!(
                r#"{"input":"in \"1\".jsonl","record":1,"offset":0,"#,
                r#""log_type":"Wiz.Audit","error":"record 1 (byte 0): "#,
                r#"field `action`: expected a value (required), found "#,
                r#"nothing","raw":"{\"id\":\"x\"}"}"#,
                "\n"
            )
        );
    }

    #[test]
    fn the_error_message_is_escaped_as_it_is_written() {
        // The message quotes the found value, quotes and control
        // characters included; it is escaped while it is formatted.
        let letter = dead_letter(
            b"{\"id\":\"i\",\"action\":\"a\\nb\",\"timestamp\":\"x\\\"y\"}",
        );
        let error = letter.split(",\"error\":").nth(1).unwrap();
        assert_eq!(
            error.split(",\"raw\":").next().unwrap(),
            concat!(
                r#""record 1 (byte 0): field `timestamp`: expected "#,
                r#"timestamp in format `rfc3339`, found `\"x\\\"y\"`""#
            )
        );
    }

    #[test]
    fn a_record_that_is_not_utf8_keeps_its_bytes_in_raw_base64() {
        // {"id":"\xff"} in base64 is eyJpZCI6Iv8ifQ==.
        assert_eq!(
            dead_letter(b"{\"id\":\"\xff\"}"),
            concat!(
                r#"{"input":"in \"1\".jsonl","record":1,"offset":0,"#,
                r#""log_type":"Wiz.Audit","error":"record 1 (byte 0): "#,
                r#"expected valid JSON, found invalid UTF-8 at byte 7","#,
                r#""raw_base64":"eyJpZCI6Iv8ifQ=="}"#,
                "\n"
            )
        );
    }
}
