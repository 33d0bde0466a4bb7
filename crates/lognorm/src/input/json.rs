//! JSON records: the tape simd-json parses a record onto, what the tape
//! does not keep (where each string and number literal sat in the
//! record), and simd-json's errors in lognorm's words.
//!
//! simd-json says *that* a record is not JSON, but often not *where*: a
//! truncated record is a "syntax error" at the start of its last string,
//! bytes after the value are an "internal error" at the value's last
//! byte, string errors sit at byte 0. So when simd-json rejects a record,
//! [`locate_syntax_error`] reads it again with a plain RFC 8259 scanner
//! (cold: it runs only to word an error) and reports the first error and
//! its byte. simd-json's own report is used only for what that scanner
//! accepts (numbers beyond `f64`, inputs over 4 GiB) and for the nesting
//! limit.

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
    /// When `s`, a string of the tape, is the record's own text (no
    /// escape in it, so quoted as it is): the record, and where `s` is in
    /// it, `text[start..end]`, between its quotes.
    #[inline(always)]
    fn place(self, s: &str) -> Option<(&'a [u8], usize, usize)> {
        let Strings::Record { text, base } = self else { return None };
        let start = (s.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(s.len());
        let plain = start > 0
            && start < text.len()
            && text.get(end) == Some(&b'"')
            && text.get(start - 1) == Some(&b'"')
            && (s.is_empty() || text.get(end - 1) != Some(&b'\\'));
        plain.then_some((text, start, end))
    }

    /// When `s`, a string of the tape, needs no escaping: the record from
    /// its opening quote on (its `s.len() + 2` bytes with the quotes, then
    /// whatever follows them in the record).
    #[inline(always)]
    pub fn token(self, s: &str) -> Option<&'a [u8]> {
        let (text, start, _) = self.place(s)?;
        text.get(start - 1..)
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

/// The message of a simd-json error, without simd-json's types: what is
/// wrong and at which byte of `record` (0-based), with the character
/// there in backticks when one is to blame.
///
/// | what | at |
/// |---|---|
/// | `unexpected end of input` | the record's length (where it ended) |
/// | `bytes after the value` | the first byte after the value that is not whitespace |
/// | `invalid JSON` | a byte that cannot start a value where one is due, or the first byte of a misspelled `true`, `false` or `null` |
/// | `a missing or malformed object key` | the byte where a key (a string) is due |
/// | ``a missing `:` after an object key`` | the byte after the key |
/// | ``a missing `,` or `}` in an object``, ``... `]` in an array`` | the byte after a member or element |
/// | `an invalid number` | the number's first byte |
/// | `a control character in a string`, `invalid UTF-8` | that byte |
/// | `an invalid escape sequence`, `an invalid \u escape` | the escape's backslash |
/// | `nesting deeper than the limit` | the bracket that goes too deep |
pub(crate) fn syntax_message(e: &simd_json::Error, record: &[u8]) -> String {
    use simd_json::ErrorType as E;
    if !matches!(e.error(), E::DepthLimitExceeded)
        && let Some(found) = locate_syntax_error(record)
    {
        return found.message(record);
    }
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
    match e.character() {
        Some(c) => {
            format!("{what} at byte {} (`{}`)", e.index(), c.escape_debug())
        }
        None => format!("{what} at byte {}", e.index()),
    }
}

/// The first syntax error of a record: where, what, and whether the
/// character there is quoted in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Found {
    at: usize,
    what: &'static str,
    quote: bool,
}

const EOF: &str = "unexpected end of input";
const AFTER: &str = "bytes after the value";
const VALUE: &str = "invalid JSON";
const KEY: &str = "a missing or malformed object key";
const COLON: &str = "a missing `:` after an object key";
const OBJECT_COMMA: &str = "a missing `,` or `}` in an object";
const ARRAY_COMMA: &str = "a missing `,` or `]` in an array";
const NUMBER: &str = "an invalid number";
const CONTROL: &str = "a control character in a string";
const UTF8: &str = "invalid UTF-8";
const ESCAPE: &str = "an invalid escape sequence";
const BAD_U: &str = "an invalid \\u escape";
/// The errors whose message quotes the character at fault.
const QUOTED: [&str; 7] =
    [AFTER, VALUE, KEY, COLON, OBJECT_COMMA, ARRAY_COMMA, NUMBER];

impl Found {
    fn message(self, record: &[u8]) -> String {
        let Found { at, what, quote } = self;
        // The whole character at `at` (the record is valid UTF-8 up to
        // here, or the error would be `invalid UTF-8`).
        let c = record
            .get(at..record.len().min(at + 4))
            .and_then(|b| String::from_utf8_lossy(b).chars().next());
        match c {
            Some(c) if quote => {
                format!("{what} at byte {at} (`{}`)", c.escape_debug())
            }
            _ => format!("{what} at byte {at}"),
        }
    }
}

/// The first error of `record` as JSON text (RFC 8259), or `None` when it
/// is valid. Beyond the RFC, an escaped lone surrogate (`\ud800`) is an
/// error, as simd-json and serde_json have it.
///
/// An explicit stack (one bit a level, on the heap only for records
/// deeper than 4,096 levels), no recursion; linear in the record. Cold:
/// runs only to word an error.
#[cold]
fn locate_syntax_error(record: &[u8]) -> Option<Found> {
    let mut scan = Scanner {
        r: record,
        bad_utf8: std::str::from_utf8(record).err().map(|e| e.valid_up_to()),
        stack: BitStack::new(),
    };
    scan.run().err()
}

/// A stack of bits: `true` for an object, `false` for an array.
struct BitStack {
    inline: [u64; 64],
    heap: Vec<u64>,
    len: usize,
}

impl BitStack {
    fn new() -> BitStack {
        BitStack { inline: [0; 64], heap: Vec::new(), len: 0 }
    }

    fn push(&mut self, bit: bool) {
        let (word, mask) = (self.len / 64, 1u64 << (self.len % 64));
        let slot = match self.inline.get_mut(word) {
            Some(w) => w,
            None => {
                let k = word - self.inline.len();
                if self.heap.len() <= k {
                    self.heap.push(0);
                }
                match self.heap.get_mut(k) {
                    Some(w) => w,
                    None => return,
                }
            }
        };
        if bit {
            *slot |= mask
        } else {
            *slot &= !mask
        }
        self.len += 1;
    }

    fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    /// The top bit, `None` when empty.
    fn top(&self) -> Option<bool> {
        let i = self.len.checked_sub(1)?;
        let (word, mask) = (i / 64, 1u64 << (i % 64));
        let w = match self.inline.get(word) {
            Some(w) => *w,
            None => *self.heap.get(word - self.inline.len())?,
        };
        Some(w & mask != 0)
    }
}

struct Scanner<'r> {
    r: &'r [u8],
    /// Where the record stops being valid UTF-8.
    bad_utf8: Option<usize>,
    stack: BitStack,
}

impl Scanner<'_> {
    /// An error at `at`; invalid UTF-8 at or before it wins (every byte
    /// before `at` was read as part of a valid token, so it is at `at`).
    fn err(&self, at: usize, what: &'static str) -> Found {
        match self.bad_utf8 {
            Some(u) if u <= at => Found { at: u, what: UTF8, quote: false },
            _ => Found { at, what, quote: QUOTED.contains(&what) },
        }
    }

    fn eof(&self) -> Found {
        self.err(self.r.len(), EOF)
    }

    fn ws(&self, mut i: usize) -> usize {
        while matches!(self.r.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            i += 1;
        }
        i
    }

    /// The byte at `i`, or the end-of-input error.
    fn at(&self, i: usize) -> Result<u8, Found> {
        self.r.get(i).copied().ok_or_else(|| self.eof())
    }

    /// Reads the whole record: one value, then only whitespace.
    fn run(&mut self) -> Result<(), Found> {
        let mut i = self.ws(0);
        'value: loop {
            // A value is due at `i`.
            i = match self.at(i)? {
                b'{' => {
                    i = self.ws(i + 1);
                    if self.at(i)? == b'}' {
                        i + 1
                    } else {
                        self.stack.push(true);
                        i = self.key(i)?;
                        continue 'value;
                    }
                }
                b'[' => {
                    i = self.ws(i + 1);
                    if self.at(i)? == b']' {
                        i + 1
                    } else {
                        self.stack.push(false);
                        continue 'value;
                    }
                }
                b'"' => self.string(i)?,
                b'-' | b'0'..=b'9' => self.number(i)?,
                b't' => self.literal(i, b"true")?,
                b'f' => self.literal(i, b"false")?,
                b'n' => self.literal(i, b"null")?,
                _ => return Err(self.err(i, VALUE)),
            };
            // After a value: close containers until one goes on.
            loop {
                i = self.ws(i);
                let Some(object) = self.stack.top() else {
                    return match self.r.get(i) {
                        None => Ok(()),
                        Some(_) => Err(self.err(i, AFTER)),
                    };
                };
                let (close, comma_err) = if object {
                    (b'}', OBJECT_COMMA)
                } else {
                    (b']', ARRAY_COMMA)
                };
                match self.at(i)? {
                    b',' => {
                        i = self.ws(i + 1);
                        if object {
                            i = self.key(i)?;
                        }
                        continue 'value;
                    }
                    b if b == close => {
                        self.stack.pop();
                        i += 1;
                    }
                    _ => return Err(self.err(i, comma_err)),
                }
            }
        }
    }

    /// A key and its colon at `i`; returns where the value is due.
    fn key(&self, i: usize) -> Result<usize, Found> {
        if self.at(i)? != b'"' {
            return Err(self.err(i, KEY));
        }
        let i = self.ws(self.string(i)?);
        if self.at(i)? != b':' {
            return Err(self.err(i, COLON));
        }
        Ok(self.ws(i + 1))
    }

    /// The string opening at `i`; returns the index after it.
    fn string(&self, i: usize) -> Result<usize, Found> {
        let mut i = i + 1;
        loop {
            if self.bad_utf8 == Some(i) {
                return Err(self.err(i, UTF8));
            }
            match self.at(i)? {
                b'"' => return Ok(i + 1),
                0..=0x1f => return Err(self.err(i, CONTROL)),
                b'\\' => i = self.escape(i)?,
                _ => i += 1,
            }
        }
    }

    /// The escape whose backslash is at `at`; returns the index after it.
    fn escape(&self, at: usize) -> Result<usize, Found> {
        match self.at(at + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                Ok(at + 2)
            }
            b'u' => {
                let unit = self.hex4(at, at + 2)?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate needs a low one right after.
                        for (k, &want) in b"\\u".iter().enumerate() {
                            if self.at(at + 6 + k)? != want {
                                return Err(self.err(at, BAD_U));
                            }
                        }
                        let low = self.hex4(at, at + 8)?;
                        if (0xDC00..=0xDFFF).contains(&low) {
                            Ok(at + 12)
                        } else {
                            Err(self.err(at, BAD_U))
                        }
                    }
                    0xDC00..=0xDFFF => Err(self.err(at, BAD_U)),
                    _ => Ok(at + 6),
                }
            }
            _ => Err(self.err(at, ESCAPE)),
        }
    }

    /// Four hex digits at `i` of the `\u` escape at `at`.
    fn hex4(&self, at: usize, i: usize) -> Result<u32, Found> {
        let mut unit = 0;
        for k in 0..4 {
            let d = char::from(self.at(i + k)?).to_digit(16);
            unit = unit * 16 + d.ok_or_else(|| self.err(at, BAD_U))?;
        }
        Ok(unit)
    }

    /// The number starting at `start`; returns the index after it. A
    /// digit, `.`, `e`, `E`, `+` or `-` right after it makes it invalid
    /// (`01`, `1.2.3`); any other byte is left to the caller.
    fn number(&self, start: usize) -> Result<usize, Found> {
        let bad = || self.err(start, NUMBER);
        let digits = |mut i: usize| -> Result<usize, Found> {
            if !self.at(i)?.is_ascii_digit() {
                return Err(bad());
            }
            while self.r.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            Ok(i)
        };
        let mut i = start + usize::from(self.r.get(start) == Some(&b'-'));
        i = match self.at(i)? {
            b'0' => i + 1,
            _ => digits(i)?,
        };
        if self.r.get(i) == Some(&b'.') {
            i = digits(i + 1)?;
        }
        if matches!(self.r.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(self.r.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i = digits(i)?;
        }
        match self.r.get(i) {
            Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') => Err(bad()),
            _ => Ok(i),
        }
    }

    /// The literal `word` at `i`; a record that ends inside it is
    /// truncated, any other difference makes it invalid.
    fn literal(&self, i: usize, word: &[u8]) -> Result<usize, Found> {
        for (k, &want) in word.iter().enumerate() {
            if self.at(i + k)? != want {
                return Err(self.err(i, VALUE));
            }
        }
        Ok(i + word.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::json::escape::write_json_str;

    /// simd-json's verdict on `record`, in lognorm's words.
    fn msg(record: &[u8]) -> String {
        let mut bytes = record.to_vec();
        match simd_json::to_tape(&mut bytes) {
            Ok(_) => "ok".to_owned(),
            Err(e) => syntax_message(&e, record),
        }
    }

    #[test]
    fn truncated_records_end_where_the_input_ends() {
        for r in [
            r#"{"a":"x","b":"y"#,
            r#"{"a":"x","b":"y""#,
            r#"{"a":"x","b":"#,
            r#"{"a":"x","b""#,
            r#"{"a":"x","#,
            r#"{"a":1"#,
            r#"{"a":tr"#,
            r#"{"a":[1,2"#,
            r#"{"a":{"b":1}"#,
            "{",
            "{ \n",
            r#"{"a":"\u12"#,
            r#"{"a":"\ud800"#,
            r#"{"a":"\ud800\u"#,
            r#"{"a":"\ud800\udc"#,
            r#"{"a":"x\"#,
            r#"{"a":-"#,
            r#"{"a":1."#,
            r#"{"a":1e"#,
            r#"{"a":1e+"#,
            "[1,2",
            "",
            "  ",
            "\"abc",
        ] {
            let want = format!("unexpected end of input at byte {}", r.len());
            assert_eq!(msg(r.as_bytes()), want, "{r}");
        }
    }

    #[test]
    fn bytes_after_the_value_point_at_the_first_of_them() {
        for (r, want) in [
            (r#"{"a":1}{"b":2}"#, "bytes after the value at byte 7 (`{`)"),
            (r#"{"a":1} {"b":2}"#, "bytes after the value at byte 8 (`{`)"),
            (r#"{"a":1} x"#, "bytes after the value at byte 8 (`x`)"),
            (r#"{"a":1}}"#, "bytes after the value at byte 7 (`}`)"),
            (r#"{"a":1}]"#, "bytes after the value at byte 7 (`]`)"),
            (r#"{"a":1},"#, "bytes after the value at byte 7 (`,`)"),
            ("{}\r\n\t\u{c}", "bytes after the value at byte 5 (`\\u{c}`)"),
            ("1 2", "bytes after the value at byte 2 (`2`)"),
            ("{}\u{feff}", "bytes after the value at byte 2 (`\\u{feff}`)"),
        ] {
            assert_eq!(msg(r.as_bytes()), want, "{r}");
        }
        assert_eq!(msg(b"{\"a\":1}\xff"), "invalid UTF-8 at byte 7");
    }

    #[test]
    fn other_errors_point_at_the_byte_at_fault() {
        for (r, want) in [
            (
                r#"{"a":1,}"#,
                "a missing or malformed object key at byte 7 (`}`)",
            ),
            (r#"{1:2}"#, "a missing or malformed object key at byte 1 (`1`)"),
            (
                r#"{'a':1}"#,
                "a missing or malformed object key at byte 1 (`\\'`)",
            ),
            (
                r#"{"a" 1}"#,
                "a missing `:` after an object key at byte 5 (`1`)",
            ),
            (
                r#"{"a":1 "b":2}"#,
                "a missing `,` or `}` in an object at byte 7 (`\\\"`)",
            ),
            (
                r#"{"a":1]"#,
                "a missing `,` or `}` in an object at byte 6 (`]`)",
            ),
            (
                r#"{"a":[1 2]}"#,
                "a missing `,` or `]` in an array at byte 8 (`2`)",
            ),
            (
                r#"{"a":[1}"#,
                "a missing `,` or `]` in an array at byte 7 (`}`)",
            ),
            (r#"{"a":[1,]}"#, "invalid JSON at byte 8 (`]`)"),
            (r#"{"a":}"#, "invalid JSON at byte 5 (`}`)"),
            (r#"{"a":x}"#, "invalid JSON at byte 5 (`x`)"),
            (r#"{"a":nul}"#, "invalid JSON at byte 5 (`n`)"),
            (r#"{"a":True}"#, "invalid JSON at byte 5 (`T`)"),
            (r#"{"a":.5}"#, "invalid JSON at byte 5 (`.`)"),
            (r#"{"é":é}"#, "invalid JSON at byte 6 (`é`)"),
            ("]", "invalid JSON at byte 0 (`]`)"),
            ("\u{feff}{}", "invalid JSON at byte 0 (`\\u{feff}`)"),
            (r#"{"a":-}"#, "an invalid number at byte 5 (`-`)"),
            (r#"{"a":01}"#, "an invalid number at byte 5 (`0`)"),
            (r#"{"a":1.5.2}"#, "an invalid number at byte 5 (`1`)"),
            (r#"{"a":-1e+}"#, "an invalid number at byte 5 (`-`)"),
            (
                r#"{"a":1x}"#,
                "a missing `,` or `}` in an object at byte 6 (`x`)",
            ),
            // Valid syntax simd-json rejects: its own report.
            (r#"{"a":1e400}"#, "an invalid number at byte 5 (`1`)"),
            (r#"{"a":"\x"}"#, "an invalid escape sequence at byte 6"),
            (r#"{"a":"\u00zz"}"#, "an invalid \\u escape at byte 6"),
            (r#"{"a":"\ud800x"}"#, "an invalid \\u escape at byte 6"),
            (r#"{"a":"\ud800\u0041"}"#, "an invalid \\u escape at byte 6"),
            (r#"{"a":"\udc00"}"#, "an invalid \\u escape at byte 6"),
            (
                "{\"a\":\"a\u{1}\"}",
                "a control character in a string at byte 7",
            ),
            ("{\"a\":\"a\nb\"}", "a control character in a string at byte 7"),
        ] {
            assert_eq!(msg(r.as_bytes()), want, "{r}");
        }
        assert_eq!(msg(b"{\"a\":\"\xc3\"}"), "invalid UTF-8 at byte 6");
        assert_eq!(msg(b"{\"a\":\xff}"), "invalid UTF-8 at byte 5");
        assert_eq!(msg(b"{\"\xed\xa0\x80\":1}"), "invalid UTF-8 at byte 2");
        // The first error wins: a bad escape before invalid UTF-8.
        assert_eq!(
            msg(b"{\"a\":\"\\x\xff\"}"),
            "an invalid escape sequence at byte 6"
        );
    }

    #[test]
    fn nesting_past_the_limit_keeps_simd_jsons_report() {
        let mut bytes = b"[[[1]]]".to_vec();
        let mut buffers = simd_json::Buffers::with_max_depth(bytes.len(), 2);
        let e = simd_json::to_tape_with_buffers(&mut bytes, &mut buffers)
            .unwrap_err();
        assert_eq!(
            syntax_message(&e, b"[[[1]]]"),
            "nesting deeper than the limit at byte 2 (`[`)"
        );
        let err = format!("{:?}", syntax_error(&e, b"[[[1]]]"));
        assert!(err.contains("kind: Limit"), "{err}");
    }

    #[test]
    fn deep_records_are_read_without_recursion() {
        // 100,000 levels (past the inline stack), then a bad byte.
        let n = 100_000;
        let r = format!("{}x{}", "[{\"a\":".repeat(n), "}]".repeat(n));
        let found = locate_syntax_error(r.as_bytes()).unwrap();
        assert_eq!(
            found.message(r.as_bytes()),
            format!("invalid JSON at byte {} (`x`)", 6 * n)
        );
        let r = format!("{}1{}", "[{\"a\":".repeat(n), "}]".repeat(n));
        assert_eq!(locate_syntax_error(r.as_bytes()), None);
        let r = format!("{}1{}]", "[{\"a\":".repeat(n), "}]".repeat(n - 1));
        assert_eq!(
            locate_syntax_error(r.as_bytes()).unwrap().message(r.as_bytes()),
            format!(
                "a missing `,` or `}}` in an object at byte {} (`]`)",
                6 * n + 1 + 2 * (n - 1)
            )
        );
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;
        use serde_json::Value;

        fn arb_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                (-1e6f64..1e6).prop_map(Value::from),
                "[a-z\"\\\\/\n\t\u{1}é😀]{0,6}".prop_map(Value::String),
            ];
            leaf.prop_recursive(4, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4)
                        .prop_map(Value::Array),
                    prop::collection::btree_map("[a-z\"]{0,3}", inner, 0..4)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        fn arb_object_text() -> impl Strategy<Value = String> {
            (
                prop::collection::btree_map("[a-z\"]{0,3}", arb_value(), 0..4),
                any::<bool>(),
            )
                .prop_map(|(m, pretty)| {
                    let v = Value::Object(m.into_iter().collect());
                    if pretty {
                        serde_json::to_string_pretty(&v).unwrap()
                    } else {
                        v.to_string()
                    }
                })
        }

        // Case count: proptest's default (256), or `PROPTEST_CASES`.
        proptest! {
            /// Any object cut short ends where it was cut.
            #[test]
            fn cut_objects_end_where_cut(
                text in arb_object_text(),
                cut in any::<prop::sample::Index>(),
            ) {
                let cut = cut.index(text.len());
                let r = &text.as_bytes()[..cut];
                let found = locate_syntax_error(r).unwrap();
                // Cutting inside a character leaves invalid UTF-8.
                if std::str::from_utf8(r).is_ok() {
                    prop_assert_eq!(
                        found.message(r),
                        format!("unexpected end of input at byte {cut}")
                    );
                } else {
                    prop_assert_eq!(found.what, UTF8);
                }
            }

            /// Bytes after an object: the first that is not whitespace.
            #[test]
            fn bytes_after_objects(
                text in arb_object_text(),
                ws in "[ \t\r\n]{0,3}",
                rest in "[^ \t\r\n][a-z{}\\[\\], ]{0,3}",
            ) {
                let r = format!("{text}{ws}{rest}");
                let at = text.len() + ws.len();
                let c = rest.chars().next().unwrap().escape_debug().to_string();
                prop_assert_eq!(
                    locate_syntax_error(r.as_bytes()).unwrap().message(r.as_bytes()),
                    format!("bytes after the value at byte {at} (`{c}`)")
                );
            }

            /// The scanner accepts what serde_json accepts, and the other
            /// way round except numbers serde_json cannot hold.
            #[test]
            fn agrees_with_serde_json(
                bytes in prop::collection::vec(
                    prop::sample::select(
                        b"{}[],:\"\\/ \t\n-+.0123eEtrufalsn\xc3\xa9\xff\x01u".to_vec()
                    ),
                    0..24,
                ),
            ) {
                let ours = locate_syntax_error(&bytes);
                let theirs = serde_json::from_slice::<Value>(&bytes);
                match (&ours, &theirs) {
                    (None, Err(e)) => prop_assert!(
                        e.to_string().starts_with("number out of range"),
                        "{:?}: {}", bytes, e
                    ),
                    (Some(f), Ok(_)) => prop_assert!(false, "{:?}: {:?}", bytes, f),
                    _ => {}
                }
                if let Some(f) = ours {
                    prop_assert!(f.at <= bytes.len());
                    prop_assert_eq!(f.what == EOF, f.at == bytes.len() && f.what != UTF8);
                }
            }
        }
    }

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
