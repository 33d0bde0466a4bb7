//! JSON records: simd-json's errors in lognorm's words.

use crate::error::{FieldError, RecordErrorKind as K};

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
