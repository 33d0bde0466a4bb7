//! JSON records: the tape simd-json parses a record onto, what the tape
//! does not keep (where each string and number literal sat in the
//! record), and simd-json's errors in lognorm's words.

use simd_json::{Buffers, Node, Tape};

use crate::error::{FieldError, RecordErrorKind as K};

/// The JSON number literal that starts at byte `start` of `text`, if one
/// does.
pub(crate) fn number_at(text: &[u8], start: usize) -> Option<&str> {
    let rest = text.get(start..)?;
    let len = rest
        .iter()
        .position(|b| {
            !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        })
        .unwrap_or(rest.len());
    let text = std::str::from_utf8(rest.get(..len)?).ok()?;
    // A safety net: a literal starts like a JSON number.
    text.starts_with(|c: char| c == '-' || c.is_ascii_digit()).then_some(text)
}

/// Parses `bytes` onto the scratch's tape and runs `walk` over it with
/// the record's literals and string provenance, or with the syntax
/// error; the tape is emptied again afterwards (its allocation kept).
///
/// Inlined with its closure into the driver (out of line, the closure
/// and the sink it moves cost ~60 instructions a record).
///
/// `input` receives the padded copy simd-json parses in place; `map` is
/// the reused node-to-offset map of [`Literals`].
#[inline(always)]
pub(crate) fn with_tape<R>(
    bytes: &[u8],
    input: &mut Vec<u8>,
    buffers: &mut Buffers,
    tape: &mut Tape<'static>,
    map: &mut Vec<u32>,
    walk: impl FnOnce(
        Result<(&[Node<'_>], Literals<'_>, Strings<'_>), FieldError>,
    ) -> R,
) -> R {
    input.clear();
    input.extend_from_slice(bytes);
    input.resize(bytes.len() + simd_json::INPUT_PADDING, 0);
    // Where the tape's strings will point (see `Strings`).
    let base = input.as_ptr() as usize;
    let mut t: Tape<'_> = std::mem::replace(tape, Tape(Vec::new())).reset();
    let parsed =
        simd_json::fill_tape_padded(input, bytes.len(), buffers, &mut t);
    let result = match parsed {
        Err(e) => walk(Err(syntax_error(&e, bytes))),
        Ok(()) => {
            let literals = Literals {
                record: bytes,
                structurals: buffers.structural_indexes(),
                map,
                built: false,
            };
            let strings = Strings::Record { text: bytes, base };
            walk(Ok((&t.0, literals, strings)))
        }
    };
    *tape = t.reset();
    result
}

/// Where the strings of a tape came from, so that strings which need no
/// escaping are copied from the record as they were sent, quotes
/// included, without a scan.
///
/// A JSON string written without escapes cannot hold `"` or `\\` (and raw
/// control characters are invalid JSON), so its text in the record,
/// quotes and all, is already valid output. Whether a string had escapes
/// is read from the record: simd-json unescapes in place, so a string on
/// the tape starts where its text started (right after the opening
/// quote), and it had no escapes exactly when the byte after it in the
/// record is the closing quote and the byte before that is not a
/// backslash. (Escapes shorten a string, so with one the byte after it is
/// still inside the text, and a quote inside the text is an escaped
/// one.) A string found anywhere else (embedded JSON, a line of text) is
/// scanned.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Strings<'a> {
    /// Nothing is known: every string is scanned.
    Unknown,
    /// The record's text, and the address of its copy that simd-json
    /// parsed (the tape's strings point into that copy).
    Record { text: &'a [u8], base: usize },
}

impl<'a> Strings<'a> {
    /// When `s`, a string of the tape, needs no escaping: the record from
    /// its opening quote on (its `s.len() + 2` bytes with the quotes, then
    /// whatever follows them in the record).
    #[inline(always)]
    pub fn token(self, s: &str) -> Option<&'a [u8]> {
        let Strings::Record { text, base } = self else { return None };
        let start = (s.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(s.len());
        let plain = start < text.len()
            && text.get(end) == Some(&b'"')
            && (s.is_empty() || text.get(end - 1) != Some(&b'\\'));
        text.get(start.wrapping_sub(1)..)
            .filter(|token| plain && token.first() == Some(&b'"'))
    }
}

/// Where the number literals of a record are: simd-json parses numbers,
/// but SPEC §3 wants a number's literal text for `string` fields and
/// `json` values kept as sent (`1.50`, `-0`, integers wider than 64 bits).
/// Tape node `k` starts at the `k`-th structural index that is not one of
/// `} ] : ,`; the map from node to byte offset is built lazily, once per
/// record, only when a literal is needed.
pub(crate) struct Literals<'a> {
    pub record: &'a [u8],
    pub structurals: &'a [u32],
    pub map: &'a mut Vec<u32>,
    pub built: bool,
}

impl<'a> Literals<'a> {
    /// The literal text of the number at tape node `i`, if it can be
    /// found (it always can for a record parsed from `record`).
    pub(crate) fn number(&mut self, i: usize) -> Option<&'a str> {
        if !self.built {
            self.map.clear();
            for &s in self.structurals {
                match self.record.get(s as usize) {
                    Some(b'}' | b']' | b':' | b',') | None => {}
                    Some(_) => self.map.push(s),
                }
            }
            self.built = true;
        }
        let start = *self.map.get(i)? as usize;
        number_at(self.record, start)
    }
}

/// The record error of a JSON record simd-json rejected.
#[cold]
pub(crate) fn syntax_error(e: &simd_json::Error, record: &[u8]) -> FieldError {
    let kind = if matches!(e.error(), simd_json::ErrorType::DepthLimitExceeded)
    {
        K::Limit
    } else {
        K::Syntax
    };
    FieldError::new(kind, "valid JSON", syntax_message(e, record))
}

/// The message of a simd-json error, without simd-json's types.
pub(crate) fn syntax_message(e: &simd_json::Error, record: &[u8]) -> String {
    use simd_json::ErrorType as E;
    let what = match e.error() {
        E::InvalidUtf8 => "invalid UTF-8",
        E::TrailingData => "bytes after the value",
        E::Eof => "unexpected end of input",
        E::DepthLimitExceeded => "nesting deeper than the limit",
        E::ExpectedObjectKey | E::KeyMustBeAString | E::BadKeyType => {
            "a missing or malformed object key"
        }
        E::ExpectedObjectColon => "a missing `:` after an object key",
        E::ExpectedMapComma => "a missing `,` or `}` in an object",
        E::ExpectedArrayComma => "a missing `,` or `]` in an array",
        E::ExpectedMapEnd | E::ExpectedObjectContent => "an unclosed object",
        E::ExpectedArrayContent => "an unclosed array",
        E::InvalidEscape => "an invalid escape sequence",
        E::InvalidUnicodeEscape | E::InvalidUnicodeCodepoint => {
            "an invalid \\u escape"
        }
        E::InvalidNumber | E::InvalidExponent => "an invalid number",
        E::UnterminatedString => "an unterminated string",
        E::InputTooLarge => "input too large",
        _ => "invalid JSON",
    };
    // simd-json reports some string errors (invalid UTF-8, control
    // characters, bad escapes) at byte 0: find the real place.
    if e.index() == 0
        && record.first().is_some_and(|&b| b != b'"')
        && let Some((at, what)) = locate_string_error(record)
    {
        return format!("{what} at byte {at}");
    }
    match e.character() {
        Some(c) => {
            format!("{what} at byte {} (`{}`)", e.index(), c.escape_debug())
        }
        None => format!("{what} at byte {}", e.index()),
    }
}

/// The first string error of a record simd-json rejected: the byte where
/// its UTF-8 stops being valid, a raw control character inside a string,
/// or a bad escape (the position of its backslash). Cold: runs only to
/// word an error.
#[cold]
fn locate_string_error(record: &[u8]) -> Option<(usize, &'static str)> {
    const BAD_U: &str = "an invalid \\u escape";
    let utf8 = std::str::from_utf8(record).err().map(|e| e.valid_up_to());
    let hex4 = |at: usize| {
        let digits = std::str::from_utf8(record.get(at..at + 4)?).ok()?;
        u32::from_str_radix(digits, 16).ok()
    };
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = record.get(i) {
        if utf8 == Some(i) {
            return Some((i, "invalid UTF-8"));
        }
        if !in_string {
            in_string = b == b'"';
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = false,
            0..=0x1f => return Some((i, "a control character in a string")),
            b'\\' => match record.get(i + 1) {
                Some(
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't',
                ) => {
                    i += 1;
                }
                Some(b'u') => {
                    let Some(unit) = hex4(i + 2) else {
                        return Some((i, BAD_U));
                    };
                    match unit {
                        0xD800..=0xDBFF => {
                            let low = (record.get(i + 6..i + 8)
                                == Some(b"\\u"))
                            .then(|| hex4(i + 8))
                            .flatten();
                            if !low.is_some_and(|l| {
                                (0xDC00..=0xDFFF).contains(&l)
                            }) {
                                return Some((i, BAD_U));
                            }
                            i += 11;
                        }
                        0xDC00..=0xDFFF => return Some((i, BAD_U)),
                        _ => i += 5,
                    }
                }
                _ => return Some((i, "an invalid escape sequence")),
            },
            _ => {}
        }
        i += 1;
    }
    utf8.map(|at| (at, "invalid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::json::escape::write_json_str;

    /// `Strings::Record` finds a parsed string's token exactly when its
    /// text in the record holds no escape, on simd-json's real tape.
    #[test]
    fn record_strings_are_plain_exactly_without_escapes() {
        let texts = [
            r#""""#,
            r#""plain""#,
            r#""a\"b""#,
            r#""ab\"""#,
            r#""a\\""#,
            r#""\\""#,
            r#""\"""#,
            r#""x\\\"""#,
            r#""\u0041""#,
            r#""é\u00e9""#,
            r#""\/""#,
            r#""tab\there""#,
            r#""\ud83d\udcc8 up""#,
        ];
        for text in texts {
            let record = format!(r#"{{{text}:{text},"k":[{text}]}}"#);
            let bytes = record.as_bytes();
            let mut input = bytes.to_vec();
            input.resize(bytes.len() + simd_json::INPUT_PADDING, 0);
            let base = input.as_ptr() as usize;
            let mut buffers = simd_json::Buffers::default();
            let mut tape = simd_json::Tape::null();
            simd_json::fill_tape_padded(
                &mut input,
                bytes.len(),
                &mut buffers,
                &mut tape,
            )
            .unwrap();
            let strings = Strings::Record { text: bytes, base };
            let escaped = text.contains('\\');
            let mut seen = 0;
            for node in &tape.0 {
                if let simd_json::Node::String(s) = node {
                    if *s == "k" {
                        continue;
                    }
                    seen += 1;
                    assert_eq!(
                        strings.token(s).is_some(),
                        !escaped,
                        "{text} -> {s:?}"
                    );
                    // Either way, what is written is the string as JSON.
                    let mut out = Vec::new();
                    write_json_str(&mut out, s, strings);
                    let back: String = serde_json::from_slice(&out).unwrap();
                    assert_eq!(back, *s);
                }
            }
            assert_eq!(seen, 3, "{record}");
            // A string from anywhere else is never taken for plain.
            assert!(strings.token("plain").is_none());
            assert!(strings.token(&record[1..]).is_none());
        }
    }
}
