//! Normalized events: the `p_*` fields, the output row writer and the
//! typed view of an event. Every `p_*` name lives in this file.

use std::ops::Range;

use crate::indicators::{Collector, IndicatorSet};
use crate::{Context, Timestamp};

/// The set's column and its header in a row, from one table.
macro_rules! set_columns {
    ($($set:ident => $column:literal,)*) => {
        /// The column of an indicator set, as Panther names it.
        pub(crate) fn set_column(set: IndicatorSet) -> &'static str {
            match set {
                $(IndicatorSet::$set => $column,)*
            }
        }

        /// `,"column":[`, the start of a set's array in a row, padded to
        /// a 32-byte block, and its length: one inline block copy
        /// instead of a `memcpy` call.
        fn set_header(set: IndicatorSet) -> (&'static [u8; 32], usize) {
            match set {
                $(IndicatorSet::$set => {
                    const HEADER: &str = concat!(",\"", $column, "\":[");
                    const BLOCK: [u8; 32] = pad(HEADER);
                    (&BLOCK, HEADER.len())
                })*
            }
        }
    };
}

set_columns! {
    ActorIds => "p_any_actor_ids",
    AwsAccountIds => "p_any_aws_account_ids",
    AwsArns => "p_any_aws_arns",
    AwsInstanceIds => "p_any_aws_instance_ids",
    AwsTags => "p_any_aws_tags",
    DomainNames => "p_any_domain_names",
    Emails => "p_any_emails",
    IpAddresses => "p_any_ip_addresses",
    Md5Hashes => "p_any_md5_hashes",
    Sha1Hashes => "p_any_sha1_hashes",
    Sha256Hashes => "p_any_sha256_hashes",
    TraceIds => "p_any_trace_ids",
    Usernames => "p_any_usernames",
}

/// `s` at the start of a 32-byte block (cut if longer: the headers
/// above are at most 27 bytes, which a test checks).
const fn pad(s: &str) -> [u8; 32] {
    let mut block = [0u8; 32];
    let mut i = 0;
    while i < s.len() && i < 32 {
        block[i] = s.as_bytes()[i];
        i += 1;
    }
    block
}

/// Appends the first `len` bytes of `block`, copying the whole block and
/// cutting the row back: a fixed-size copy is inlined, where a copy of
/// `len` bytes is a `memcpy` call. The row's short, hot texts (keys,
/// plain strings, headers, the row id) are written this way.
#[inline(always)]
pub(crate) fn write_block<const N: usize>(
    out: &mut Vec<u8>,
    block: &[u8; N],
    len: usize,
) {
    let mark = out.len();
    out.extend_from_slice(block);
    out.truncate(mark + len);
}

/// True for the [`column_name`] of a top-level field that would collide
/// with the fields lognorm adds (every `p_` column is reserved).
pub(crate) fn is_reserved_column(column: &str) -> bool {
    column.starts_with("p_")
}

/// The output column for an input key, as Panther names columns: ASCII
/// letters, digits and `_` stay, `@` becomes the word `at_sign` set off
/// by underscores from the rest of the name, and every other character
/// becomes `_` (so `@timestamp` is `at_sign_timestamp`, `a@b` is
/// `a_at_sign_b` and `user.name` is `user_name`).
pub(crate) fn column_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => out.push(c),
            '@' => {
                if !out.is_empty() && !out.ends_with('_') {
                    out.push('_');
                }
                out.push_str("at_sign");
                if chars.peek().is_some_and(|&n| n != '_') {
                    out.push('_');
                }
            }
            _ => out.push('_'),
        }
    }
    out
}

/// Writes `"key":`.
pub(crate) fn write_key(out: &mut Vec<u8>, key: &str) {
    write_str(out, key);
    out.push(b':');
}

/// A field's output key with its separator, `,"column":`, ready to copy.
///
/// Written once per field of every row, so the copy avoids a `memcpy`
/// call: the bytes sit zero-padded in a fixed array, a fixed 32-byte
/// block is appended (an inline copy) and the row is cut back to the
/// key's length. Keys longer than the block take the plain path.
#[derive(Debug, Clone)]
pub(crate) struct OutKey {
    /// `,"column":` then zeros; one spare byte so that `[1..33]` exists.
    short: [u8; 33],
    /// The whole text when it does not fit `short` (else empty).
    long: Box<[u8]>,
    len: usize,
}

impl OutKey {
    /// The output key of the column `column`.
    pub fn new(column: &str) -> OutKey {
        let mut text = vec![b','];
        write_key(&mut text, column);
        let mut short = [0u8; 33];
        // At most 32 bytes (a block) go in `short`.
        let fits = text.len() <= 32;
        let long = match short.get_mut(..text.len()).filter(|_| fits) {
            Some(head) => {
                head.copy_from_slice(&text);
                Box::default()
            }
            None => text.clone().into(),
        };
        OutKey { short, long, len: text.len() }
    }

    /// Appends the key, after a comma unless it is the object's `first`.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>, first: bool) {
        let skip = usize::from(first);
        let n = self.len - skip;
        if self.long.is_empty()
            && let Some(block) = self.short.get(skip..skip + 32)
            && let Ok(block) = <&[u8; 32]>::try_from(block)
        {
            write_block(out, block, n);
        } else {
            out.extend_from_slice(self.long.get(skip..).unwrap_or_default());
        }
    }
}

/// Bytes that need escaping in a JSON string: 0 = as is, `u` = `\u00XX`,
/// anything else = a backslash and that byte.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Writes `s` as a JSON string, quotes included.
///
/// Hand-written because it runs for every string of every row: it finds
/// the next byte that needs escaping sixteen bytes at a time (see
/// [`next_special`]), copies the run of plain bytes before it with one
/// `extend_from_slice`, and escapes only `"`, `\` and control characters
/// (valid UTF-8 passes through). Against a byte-by-byte table loop this
/// halved the escaper's instructions on the shipped log types (SWAR,
/// eight bytes a step), and the 16-byte SIMD scan halved the scan's time
/// again on strings of 4 to 250 bytes.
#[inline]
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    if write_short(out, s.as_bytes()) {
        return;
    }
    let mut rest = s.as_bytes();
    out.reserve(rest.len() + 2);
    out.push(b'"');
    while let Some(at) = next_special(rest) {
        let (plain, tail) = rest.split_at(at);
        out.extend_from_slice(plain);
        let Some((&b, tail)) = tail.split_first() else { break };
        escape(out, b);
        rest = tail;
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Writes `b` as a JSON string, quotes included, when it is at most 14
/// bytes long and has nothing to escape; returns false (writing nothing)
/// otherwise (also when `out` has no room for a 16-byte block).
///
/// Hand-optimized (hot path): most string values of log lines are short
/// (a host, an app, a process name), and the general path cost ~115
/// instructions for each (a `reserve`, a byte loop, a `memcpy` call, two
/// pushes). Here the string is read as two overlapping words (or, under
/// four bytes, its first, middle and last byte), checked with [`special`]
/// (every byte of the checked word is a byte of the string), then shifted
/// into one 16-byte value with its quotes, stored as one block and the
/// row cut back to length: about a third of the instructions.
#[inline(always)]
fn write_short(out: &mut Vec<u8>, b: &[u8]) -> bool {
    let len = b.len();
    let (value, check) = if len >= 9 {
        let (Some(lo), Some(hi)) = (b.first_chunk::<8>(), b.last_chunk::<8>())
        else {
            return false;
        };
        if len > 14 {
            return false;
        }
        let (lo, hi) = (u64::from_le_bytes(*lo), u64::from_le_bytes(*hi));
        // The words overlap on equal bytes, so `|` joins them.
        (
            u128::from(lo) | u128::from(hi) << (8 * (len - 8)),
            special(lo) | special(hi),
        )
    } else if let (Some(lo), Some(hi)) =
        (b.first_chunk::<4>(), b.last_chunk::<4>())
    {
        let (lo, hi) = (u32::from_le_bytes(*lo), u32::from_le_bytes(*hi));
        let value = u64::from(lo) | u64::from(hi) << (8 * (len - 4));
        (u128::from(value), special(u64::from(lo) | u64::from(hi) << 32))
    } else {
        // 0 to 3 bytes: the first, middle and last byte are all of them.
        let (Some(&first), Some(&mid), Some(&last)) =
            (b.first(), b.get(len / 2), b.last())
        else {
            // Empty: `""`.
            out.extend_from_slice(b"\"\"");
            return true;
        };
        let (first, mid, last) =
            (u64::from(first), u64::from(mid), u64::from(last));
        let value = first | mid << (8 * (len / 2)) | last << (8 * (len - 1));
        // Every byte of the checked word is one of the three.
        let word = first | mid << 8 | last << 16 | first << 24;
        (u128::from(value), special(word | word << 32))
    };
    // Without room for the block, the general path (which reserves just
    // what it writes) keeps the buffer's growth as it was: a row buffer
    // has the room after its first records.
    if check != 0 || out.capacity() - out.len() < 16 {
        return false;
    }
    let quote = u128::from(b'"');
    let block = quote | value << 8 | quote << (8 * (len + 1));
    write_block(out, &block.to_le_bytes(), len + 2);
    true
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

/// Writes `s`, a string of the tape, as a JSON string: copied from the
/// record when `strings` finds it needs no escaping, else scanned and
/// escaped.
///
/// A token of up to 32 bytes, when the record holds 32 bytes from its
/// start, is copied as one fixed 32-byte block and the row cut back to
/// its length: an inline copy instead of a `memcpy` call for most strings.
#[inline(always)]
pub(crate) fn write_json_str(
    out: &mut Vec<u8>,
    s: &str,
    strings: Strings<'_>,
) {
    let n = s.len() + 2;
    let token = strings.token(s);
    if let Some(block) = token.and_then(<[u8]>::first_chunk::<32>)
        && n <= 32
    {
        write_block(out, block, n);
    } else if let Some(text) = token.and_then(|token| token.get(..n)) {
        out.extend_from_slice(text);
    } else {
        write_str(out, s);
    }
}

/// Writes the escape sequence of one byte that needs it.
#[inline]
fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match ESCAPE[usize::from(b)] {
        0 => out.push(b),
        b'u' => {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        }
        esc => out.extend_from_slice(&[b'\\', esc]),
    }
}

/// The index of the first byte of `bytes` that must be escaped.
///
/// Sixteen bytes a step with SSE2 compares through `wide` (safe SIMD; the
/// baseline of every x86-64 CPU, portable fallbacks elsewhere). The last
/// partial block is read as the *overlapping* final sixteen bytes: the
/// bytes it shares with the previous block are known to be plain, so its
/// lowest flag is the answer. Strings shorter than a block use the same
/// trick with one or two eight-byte words ([`special`]), and only strings
/// under eight bytes are read byte by byte. Fixed-size loads only: no
/// `memcpy` into a padded buffer (a call and a store-forwarding stall).
#[inline]
fn next_special(bytes: &[u8]) -> Option<usize> {
    let len = bytes.len();
    if len >= 16 {
        let mut at = 0;
        while let Some(block) = bytes.get(at..at + 16) {
            if let Some(i) = block_special(block) {
                return Some(at + i);
            }
            at += 16;
        }
        if at == len {
            return None;
        }
        let start = len - 16;
        return bytes.get(start..).and_then(block_special).map(|i| start + i);
    }
    if len >= 8 {
        let word = |at: usize| {
            let w = bytes.get(at..at + 8)?;
            let mask = special(u64::from_le_bytes(w.try_into().ok()?));
            (mask != 0).then(|| at + (mask.trailing_zeros() / 8) as usize)
        };
        return word(0).or_else(|| word(len - 8));
    }
    bytes.iter().position(|&b| ESCAPE[usize::from(b)] != 0)
}

/// The index of the first byte needing an escape in a 16-byte block.
#[inline]
fn block_special(block: &[u8]) -> Option<usize> {
    use wide::u8x16;
    let v = u8x16::new(block.try_into().ok()?);
    // A byte is below 0x20 when min(byte, 0x1f) is the byte itself.
    let mask = (v.simd_eq(u8x16::splat(b'"'))
        | v.simd_eq(u8x16::splat(b'\\'))
        | v.min(u8x16::splat(0x1f)).simd_eq(v))
    .to_bitmask();
    (mask != 0).then(|| mask.trailing_zeros() as usize)
}

/// A mask with the high bit set in the bytes of `x` that are `"`, `\` or
/// below 0x20. The classic zero-byte test `(v - 0x01…) & !v & 0x80…` can
/// also flag a byte *above* a flagged one (a borrow runs upward), never
/// one below, so the lowest flag is always a real one.
#[inline]
const fn special(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote = x ^ (ONES * b'"' as u64);
    let backslash = x ^ (ONES * b'\\' as u64);
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    // Bytes below 0x20; `!x` drops bytes of 0x80 and above.
    let control = x.wrapping_sub(ONES * 0x20) & !x;
    (quote | backslash | control) & HIGH
}

/// The start of the `p_*` fields of a log type's rows, up to the row
/// id's opening quote: `"p_log_type":"Name","p_row_id":"`.
pub(crate) fn p_prefix(log_type: &str) -> Box<[u8]> {
    let mut out = b"\"p_log_type\":".to_vec();
    write_str(&mut out, log_type);
    out.extend_from_slice(b",\"p_row_id\":\"");
    out.into()
}

/// Appends the `p_*` fields to a row whose declared fields are written
/// (`out` ends after the last field, without the closing brace; `empty`
/// tells whether any field was written). `prefix` is the log type's
/// [`p_prefix`]; `event_text` is where `out` holds the event time's text
/// (`None`: the event takes the parse time). Returns the byte range of
/// the row id.
pub(crate) fn write_p_fields(
    out: &mut Vec<u8>,
    empty: bool,
    prefix: &[u8],
    event_text: Option<usize>,
    ctx: &mut Context,
    indicators: &Collector,
) -> Range<usize> {
    if !empty {
        out.push(b',');
    }
    out.extend_from_slice(prefix);
    let id_start = out.len();
    ctx.row_ids.write_next(out);
    let id = id_start..out.len();
    out.extend_from_slice(b"\",\"p_event_time\":\"");
    let len = crate::time::TEXT_LEN;
    match event_text.filter(|&at| at + len <= id_start) {
        Some(at) => out.extend_from_within(at..at + len),
        None => out.extend_from_slice(&ctx.parse_time_text()),
    }
    out.push(b'"');
    out.extend_from_slice(ctx.tail());
    for set in indicators.non_empty() {
        let (header, len) = set_header(set);
        write_block(out, header, len);
        for (i, v) in indicators.values(set).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(out, v);
        }
        out.push(b']');
    }
    out.push(b'}');
    id
}

/// A normalized event, borrowing the caller's [`Scratch`](crate::Scratch).
///
/// [`row`](Event::row) is the JSON row as Panther's data lake stores it;
/// the typed accessors read `p_event_time`, `p_parse_time`, `p_row_id` and
/// the `p_any_*` sets without parsing the row. The event is valid until
/// the scratch is used again; [`into_owned`](Event::into_owned) detaches
/// it.
#[derive(Clone, Copy, Debug)]
pub struct Event<'s> {
    row: &'s [u8],
    row_id: (usize, usize),
    event_time: Timestamp,
    parse_time: Timestamp,
    indicators: &'s Collector,
}

impl<'s> Event<'s> {
    pub(crate) fn new(
        row: &'s [u8],
        row_id: Range<usize>,
        event_time: Timestamp,
        parse_time: Timestamp,
        indicators: &'s Collector,
    ) -> Event<'s> {
        Event {
            row,
            row_id: (row_id.start, row_id.end),
            event_time,
            parse_time,
            indicators,
        }
    }

    /// The normalized row: one JSON object on one line.
    pub fn row(&self) -> &'s str {
        // The writer only writes valid UTF-8 (input strings are checked
        // by the parser); this check is a guard, never a failure, and
        // simdutf8 makes it cheap (about a tenth of the cost of
        // `std::str::from_utf8` on rows of a few hundred bytes).
        simdutf8::basic::from_utf8(self.row).unwrap_or_default()
    }

    /// The normalized row as bytes (no UTF-8 check).
    pub fn row_bytes(&self) -> &'s [u8] {
        self.row
    }

    /// `p_row_id`.
    pub fn row_id(&self) -> &'s str {
        let id = self.row.get(self.row_id.0..self.row_id.1);
        std::str::from_utf8(id.unwrap_or_default()).unwrap_or_default()
    }

    /// `p_event_time`: the first `isEventTime` field with a value, or the
    /// parse time.
    pub fn event_time(&self) -> Timestamp {
        self.event_time
    }

    /// `p_parse_time`.
    pub fn parse_time(&self) -> Timestamp {
        self.parse_time
    }

    /// The values of one `p_any_*` set, sorted bytewise and unique.
    pub fn indicators(
        &self,
        set: IndicatorSet,
    ) -> impl ExactSizeIterator<Item = &'s str> + 's {
        self.indicators.values(set)
    }

    /// The column name of a set, like `p_any_ip_addresses`.
    pub fn indicator_column(set: IndicatorSet) -> &'static str {
        set_column(set)
    }

    /// Copies the event out of the scratch.
    pub fn into_owned(self) -> OwnedEvent {
        let indicators = IndicatorSet::ALL
            .iter()
            .filter(|&&set| !self.indicators.is_empty(set))
            .map(|&set| {
                (set, self.indicators.values(set).map(Into::into).collect())
            })
            .collect();
        OwnedEvent {
            row: self.row().into(),
            row_id: self.row_id.0..self.row_id.1,
            event_time: self.event_time,
            parse_time: self.parse_time,
            indicators,
        }
    }
}

/// An [`Event`] that owns its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedEvent {
    row: String,
    row_id: Range<usize>,
    event_time: Timestamp,
    parse_time: Timestamp,
    indicators: Vec<(IndicatorSet, Vec<String>)>,
}

impl OwnedEvent {
    /// The normalized row.
    pub fn row(&self) -> &str {
        &self.row
    }

    /// `p_row_id`.
    pub fn row_id(&self) -> &str {
        self.row.get(self.row_id.clone()).unwrap_or_default()
    }

    /// `p_event_time`.
    pub fn event_time(&self) -> Timestamp {
        self.event_time
    }

    /// `p_parse_time`.
    pub fn parse_time(&self) -> Timestamp {
        self.parse_time
    }

    /// The values of one `p_any_*` set, sorted and unique.
    pub fn indicators(&self, set: IndicatorSet) -> &[String] {
        self.indicators
            .iter()
            .find(|(s, _)| *s == set)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every set header fits its block and is `,"column":[`.
    #[test]
    fn set_headers_fit_their_blocks() {
        for set in IndicatorSet::ALL {
            let (block, len) = set_header(set);
            let header = format!(",\"{}\":[", set_column(set));
            assert!(len <= 32, "{header}");
            assert_eq!(&block[..len], header.as_bytes());
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

    fn s(v: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_like_json() {
        assert_eq!(s("plain"), r#""plain""#);
        assert_eq!(s("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(s("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(s("\u{0}\u{1f}"), r#""\u0000\u001f""#);
        assert_eq!(s("é😀\u{7f}"), "\"é😀\u{7f}\"");
        assert_eq!(s(""), r#""""#);
        assert_eq!(s("0123456\"89abcdef"), r#""0123456\"89abcdef""#);
        assert_eq!(
            s("a long string with no escapes at all, over 8 bytes"),
            r#""a long string with no escapes at all, over 8 bytes""#
        );
    }

    /// The block / word search agrees with a byte-by-byte one on every
    /// position and every byte value, in every length class (bytes, one
    /// or two words, whole blocks, an overlapping last block); SWAR
    /// borrows must never hide or invent a hit.
    #[test]
    fn special_bytes_are_found_at_every_offset() {
        for len in 0..50 {
            for at in 0..=len {
                for b in 0..=255u8 {
                    let mut v = vec![b'x'; len];
                    if at < len {
                        v[at] = b;
                    }
                    // Bytes above the hit that could trigger a borrow.
                    for k in at + 1..len {
                        v[k] = [0x00, 0x21, 0x80, 0xff][k % 4];
                    }
                    let naive =
                        v.iter().position(|&c| ESCAPE[usize::from(c)] != 0);
                    assert_eq!(next_special(&v), naive, "{v:?}");
                }
            }
        }
    }

    /// The short-string path takes exactly the strings of up to 14 bytes
    /// without a byte to escape, and writes them as the byte-by-byte
    /// escaper does: every length, every byte value at every position,
    /// with bytes that could trigger a SWAR borrow around it.
    #[test]
    fn short_strings_are_taken_exactly_when_plain() {
        for len in 0..=16 {
            for at in 0..=len {
                for b in 0..=255u8 {
                    let mut v = vec![b'x'; len];
                    for k in 0..len {
                        v[k] = [b'x', 0x21, 0x80, 0xff, b'#', b']'][k % 6];
                    }
                    if at < len {
                        v[at] = b;
                    }
                    let plain = v.iter().all(|&c| ESCAPE[usize::from(c)] == 0);
                    let mut out = Vec::with_capacity(32);
                    out.extend_from_slice(b"prefix");
                    let taken = write_short(&mut out, &v);
                    assert_eq!(taken, plain && len <= 14, "{v:?}");
                    if taken {
                        assert_eq!(out[6..], naive(&v), "{v:?}");
                    } else {
                        assert_eq!(out, b"prefix", "{v:?}");
                    }
                    // No room for the block: not taken, nothing grows
                    // (the empty string is two bytes either way).
                    let mut full = b"prefix".to_vec();
                    let room = full.capacity();
                    if len > 0 && room - full.len() < 16 {
                        assert!(!write_short(&mut full, &v), "{v:?}");
                        assert_eq!(full.capacity(), room);
                    }
                }
            }
        }
    }

    /// The escaper byte by byte, as the JSON grammar says it.
    fn naive(v: &[u8]) -> Vec<u8> {
        let mut out = vec![b'"'];
        for &b in v {
            escape(&mut out, b);
        }
        out.push(b'"');
        out
    }

    /// The escaper agrees with a byte-by-byte one wherever the bytes to
    /// escape fall: every length class (bytes, words, whole blocks, an
    /// overlapping last block), one or two escapes at every pair of
    /// positions, every escape kind, after other output.
    #[test]
    fn strings_are_escaped_like_bytes_at_every_offset() {
        for len in 0..50 {
            for a in 0..=len {
                for b in a..=len {
                    for (i, kind) in
                        [b'"', b'\\', 0x01, b'\n'].iter().enumerate()
                    {
                        let mut v = vec![b'x'; len];
                        if a < len {
                            v[a] = *kind;
                        }
                        if b < len && b > a {
                            v[b] = [b'\n', b'"', b'\\', 0x1f][i];
                        }
                        let text = std::str::from_utf8(&v).unwrap();
                        let mut out = b"prefix".to_vec();
                        write_str(&mut out, text);
                        assert_eq!(out[6..], naive(&v), "{text:?}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn strings_are_escaped_like_bytes(
            v in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => proptest::char::range('a', 'z'),
                    1 => proptest::sample::select(
                        vec!['"', '\\', '\n', '\u{0}', '\u{1f}', 'é', '😀']
                    ),
                ],
                0..120,
            )
        ) {
            let text: String = v.into_iter().collect();
            let mut out = Vec::new();
            write_str(&mut out, &text);
            proptest::prop_assert_eq!(out, naive(text.as_bytes()));
        }
    }

    #[test]
    fn out_keys_are_written_with_and_without_the_comma() {
        // `,"` + column + `":` is 4 bytes longer than the column: texts
        // of 5, 31, 32 (a whole block), 33 and 44 bytes.
        for column in [
            "a",
            "twenty_seven_bytes_column_n",
            "twenty_eight_bytes_column_na",
            "twenty_nine_bytes_column_name",
            "a_column_name_of_forty_bytes_in_all_okay",
        ] {
            let key = OutKey::new(column);
            let mut want = Vec::new();
            write_key(&mut want, column);
            let mut out = b"{".to_vec();
            key.write(&mut out, true);
            key.write(&mut out, false);
            let mut both = b"{".to_vec();
            both.extend_from_slice(&want);
            both.push(b',');
            both.extend_from_slice(&want);
            assert_eq!(out, both, "{column}");
        }
    }

    #[test]
    fn escaped_strings_read_back() {
        for v in ["", "x", "\"\\\u{0}\u{1}\n", "ü\t😀/"] {
            let back: String = serde_json::from_str(&s(v)).unwrap();
            assert_eq!(back, v);
        }
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name("@timestamp"), "at_sign_timestamp");
        assert_eq!(column_name("user.name"), "user_name");
        assert_eq!(column_name("a-b c"), "a_b_c");
        assert_eq!(column_name("ok_Name9"), "ok_Name9");
        assert_eq!(column_name("é"), "_");
        assert_eq!(column_name("a@b"), "a_at_sign_b");
        assert_eq!(column_name("x@"), "x_at_sign");
        assert_eq!(column_name("x_@_y"), "x_at_sign_y");
        assert!(is_reserved_column(&column_name("p_event_time")));
        assert!(is_reserved_column(&column_name("p.x")));
        assert!(!is_reserved_column(&column_name("pid")));
    }
}
