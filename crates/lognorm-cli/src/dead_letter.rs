//! Dead letters: one JSON line per record that failed, with its exact
//! bytes so a dead-letter table can replay it.

use std::io::{self, Write};

use lognorm::RecordError;

/// Writes the dead letter of `e`, read from `input`, as one JSON line:
///
/// ```text
/// {"input":"a.jsonl","record":2,"offset":17,"log_type":"Wiz.Audit","error":"record 2 (byte 17): ...","raw":"..."}
/// ```
///
/// `raw` is the record as text when it is valid UTF-8; otherwise the key
/// is `raw_base64` and the value the record's bytes in standard base64
/// (RFC 4648 §4, padded). Nothing is replaced, so the bytes round-trip.
pub(crate) fn write(
    out: &mut impl Write,
    input: &str,
    e: &RecordError,
) -> io::Result<()> {
    let at = (e.record_number(), e.offset());
    write_parts(out, input, at, e.log_type(), &e.to_string(), e.raw())
}

/// Writes the dead letter of a record no candidate of a classifier
/// accepted, as [`write`] does; `log_type` is the candidate list as given
/// and `error` names each candidate's error.
pub(crate) fn write_unclassified(
    out: &mut impl Write,
    input: &str,
    e: &lognorm::ClassifyError,
    log_types: &str,
) -> io::Result<()> {
    let at = (e.record_number(), e.offset());
    write_parts(out, input, at, log_types, &e.to_string(), e.raw())
}

fn write_parts(
    out: &mut impl Write,
    input: &str,
    (record, offset): (u64, usize),
    log_type: &str,
    error: &str,
    raw: &[u8],
) -> io::Result<()> {
    out.write_all(b"{\"input\":")?;
    json_str(out, input)?;
    write!(out, ",\"record\":{record},\"offset\":{offset},")?;
    out.write_all(b"\"log_type\":")?;
    json_str(out, log_type)?;
    out.write_all(b",\"error\":")?;
    json_str(out, error)?;
    match std::str::from_utf8(raw) {
        Ok(text) => {
            out.write_all(b",\"raw\":")?;
            json_str(out, text)?;
        }
        Err(_) => {
            out.write_all(b",\"raw_base64\":\"")?;
            base64(out, raw)?;
            out.write_all(b"\"")?;
        }
    }
    out.write_all(b"}\n")
}

/// Appends the dead letter of `e` to `out` (see [`write`]).
pub(crate) fn to_vec(out: &mut Vec<u8>, input: &str, e: &RecordError) {
    // Writing to a `Vec` does not fail.
    let _ = write(out, input, e);
}

/// Writes `s` as a JSON string: `"` and `\` escaped, control characters
/// as `\n`, `\r`, `\t` or `\u00XX`, everything else as it is.
fn json_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..0x20 => b"",
            _ => continue,
        };
        out.write_all(s.as_bytes().get(run..i).unwrap_or_default())?;
        if escape.is_empty() {
            write!(out, "\\u{b:04x}")?;
        } else {
            out.write_all(escape)?;
        }
        run = i + 1;
    }
    out.write_all(s.as_bytes().get(run..).unwrap_or_default())?;
    out.write_all(b"\"")
}

/// Writes `bytes` in standard base64 with `=` padding (RFC 4648 §4).
fn base64(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
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
        out.write_all(&quad)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base64_string(bytes: &[u8]) -> String {
        let mut out = Vec::new();
        base64(&mut out, bytes).unwrap();
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
    fn json_str_escapes_quotes_backslashes_and_control_characters() {
        let mut out = Vec::new();
        json_str(&mut out, "a\"b\\c\nd\re\tf\u{0}g\u{1f}h é\u{7f}").unwrap();
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
        write(&mut out, "in \"1\".jsonl", &e).unwrap();
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
