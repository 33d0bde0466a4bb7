//! Payload → records (SPEC.md §2).
//!
//! A payload (one HTTP body, one file, one queue message) is cut into
//! records before anything is parsed. [`split`] returns an iterator of
//! [`Record`]s that borrow the payload; it allocates nothing.
//!
//! # Guarantees
//!
//! For every framing and every input (any bytes, valid UTF-8 or not):
//!
//! - the iterator never panics and never recurses;
//! - records are non-empty, come in increasing offset order and never
//!   overlap; their numbers are `1, 2, 3, …` in that order;
//! - every byte of the payload that is not inside a record is
//!   whitespace between records, a line ending, a leading UTF-8 byte order
//!   mark, or (JSON arrays only) a `[`, `,` or `]` that the array scanner
//!   consumed as structure. Nothing else is dropped: bytes that cannot be
//!   framed become records of their own, which then fail parsing or
//!   matching and are reported (a malformed JSON array always yields a
//!   record that does not parse).
//!
//! "Whitespace" is JSON whitespace (space, `\t`, `\r`, `\n`) for
//! [`Framing::Json`], and additionally `\x0b` and `\x0c` for the text
//! framings. A leading UTF-8 byte order mark (`EF BB BF`) is skipped in
//! every framing; offsets always count from the start of the payload.
//!
//! The rules for each framing are documented on [`Framing`].

use core::fmt;
use core::iter::FusedIterator;

use memchr::{memchr, memchr2};

/// The UTF-8 byte order mark, skipped at the start of a payload.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Most digits a `LEN` may have for `LEN SP <` to start an octet-counted
/// frame. Longer digit runs are not frame starts; the cap keeps each
/// frame-start check O(1), so splitting stays linear.
const MAX_LEN_DIGITS: usize = 20;

/// Most digits of a `LEN` that is trusted as a byte count. A longer `LEN`
/// is treated as a wrong count (it still starts a frame).
const MAX_TRUSTED_DIGITS: usize = 9;

/// One record of a payload: its bytes (borrowed), 1-based number and byte
/// offset in the payload.
///
/// # Example
///
/// ```
/// use lognorm::Record;
///
/// let rec = Record::new(b"{\"a\":1}", 1, 0);
/// assert_eq!(rec.bytes(), b"{\"a\":1}");
/// assert_eq!((rec.number(), rec.offset()), (1, 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    bytes: &'a [u8],
    number: u64,
    offset: usize,
    /// The csv header row of the record's payload (empty when none).
    header: &'a [u8],
    /// The record starts past the payload limit: it is the unsplit rest
    /// of the payload, and normalizing it fails.
    past_limit: bool,
}

impl<'a> Record<'a> {
    /// Makes a record from its bytes, 1-based number and byte offset in
    /// the payload.
    #[inline]
    #[must_use]
    pub const fn new(bytes: &'a [u8], number: u64, offset: usize) -> Self {
        Record { bytes, number, offset, past_limit: false, header: &[] }
    }

    /// Whether this is the unsplit rest of a payload larger than the
    /// payload limit.
    #[inline]
    pub(crate) fn past_limit(&self) -> bool {
        self.past_limit
    }

    /// The csv header row of the record's payload (empty when none).
    #[inline]
    pub(crate) fn header(&self) -> &'a [u8] {
        self.header
    }

    /// The bytes of the record, borrowed from the payload.
    #[inline]
    #[must_use]
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The 1-based number of the record in its payload.
    #[inline]
    #[must_use]
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The byte offset of the record's first byte in the payload.
    #[inline]
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// How a payload is cut into records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// JSON log types: one value, an array of values, or NDJSON.
    ///
    /// After a leading byte order mark and whitespace:
    ///
    /// - **`[`: an array.** Each element, without surrounding whitespace
    ///   and without its separating comma, is a record; `[]` yields
    ///   nothing. Elements are found by a structural scan (strings
    ///   skipped, a backslash escapes the next byte, `[]{}` nesting
    ///   counted without recursion, any depth): an element runs to the
    ///   next `,` or `]` outside strings and brackets. Element contents are
    ///   not validated here, so garbage next to an element (`[{} x, {}]`)
    ///   stays in that element's record and fails it alone.
    ///
    ///   **Malformed arrays.** When the array is unterminated, an element
    ///   is empty (`[,` or `,,`), a comma trails (`,]`) or bytes follow
    ///   the closing `]`, the last record runs from the last structural
    ///   byte the scanner consumed (the opening `[`, the last `,`, or the
    ///   closing `]`) to the end of the payload, trailing whitespace
    ///   removed. Elements before that point were already records. That
    ///   last record starts with `[`, `,` or `]`, so it never parses as a
    ///   JSON object: the damage is always reported, and no byte is lost.
    ///   For example `[{"a":1},{"b":` yields `{"a":1}` and `,{"b":`, and
    ///   `[{"a":1}] x` yields `{"a":1}` and `] x`.
    ///
    /// - **Anything else.** If the payload starts with `{` and that object
    ///   ends with only whitespace after it, the payload without
    ///   surrounding whitespace is one record (so a pretty-printed object
    ///   spanning lines works). Otherwise the payload is NDJSON: each line
    ///   (without `\n`) is a record with one trailing `\r` removed; lines
    ///   of only whitespace are skipped; other whitespace is left to the
    ///   JSON parser. Lines start after the byte order mark, so a first
    ///   line keeps its leading whitespace like every other line.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::{Framing, split};
    ///
    /// let recs: Vec<_> = split(b"[{\"a\":1}, {\"b\":2}]", Framing::Json)
    ///     .map(|r| (r.offset(), r.bytes()))
    ///     .collect();
    /// assert_eq!(recs, [(1, &b"{\"a\":1}"[..]), (10, b"{\"b\":2}")]);
    /// ```
    Json,
    /// Text log types: each line is a record.
    ///
    /// A record is a line without its line ending (`\n` or `\r\n`); all
    /// other whitespace is kept, so a frame with an empty message still
    /// matches. A last line without a newline counts (a lone `\r` at the
    /// very end is not a line ending and is kept). Lines of only space,
    /// `\t`, `\r`, `\x0b` and `\x0c` are blank and skipped.
    Lines,
    /// Syslog octet counting (RFC 6587; Heroku HTTPS log drains,
    /// `application/logplex-1`): a body of frames `LEN SP MSG`, where `LEN`
    /// is the byte count of `MSG` including its trailing newline.
    ///
    /// A *frame start* is 1 to 20 ASCII digits, a space and `<`. Each frame
    /// is one record: `LEN SP MSG` from the first digit, without one
    /// trailing `\n` or `\r\n`, so a pattern still sees the length.
    ///
    /// **Trusted counts.** Let `end` be the index just past the `LEN`
    /// bytes after `LEN SP`. The count is trusted when `LEN` has at most 9
    /// digits and the bytes from `end` are either the end of the body, a
    /// frame start, or one line ending (`\n` or `\r\n`) followed by the end
    /// of the body or a frame start (some senders do not count the
    /// newline). A trusted frame may contain newlines and frame-like text.
    /// One more check guards against counts one or two bytes too long,
    /// which land inside the next `LEN` (`19 <40>` inside `119 <40>`):
    /// when `end` directly follows a digit, the frame starting at `end` must
    /// itself have a count that ends as above.
    ///
    /// **Wrong counts.** Otherwise (count too long or too short, more than
    /// 9 digits) the frame runs to the next line that starts with a frame
    /// start, or to the end of the body. Its record ends at the end of its
    /// last non-blank line (line ending and trailing blank lines removed,
    /// other whitespace kept). Bytes at the start of the body that are not
    /// a frame start are one record of the same kind, up to the next frame
    /// line: garbage is reported, never dropped. Whitespace between frames
    /// is skipped.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::{Framing, split};
    ///
    /// let body = b"9 <1>1 a\nb\n99 <2>1 wrong count\n7 <3>1 c\n";
    /// let recs: Vec<_> =
    ///     split(body, Framing::OctetCounted).map(|r| r.bytes()).collect();
    /// assert_eq!(
    ///     recs,
    ///     [&b"9 <1>1 a\nb"[..], b"99 <2>1 wrong count", b"7 <3>1 c"],
    /// );
    /// ```
    OctetCounted,
    /// Text payloads whose framing is not known: [`Framing::OctetCounted`]
    /// when the first non-blank bytes are a frame start (`DIGITS SP <`),
    /// else [`Framing::Lines`]. JSON payloads are recognized by the caller,
    /// not here.
    Auto,
}

/// Iterator over the records of a payload, made by [`split`].
///
/// Holds a position in the payload and a record counter; each step costs
/// time linear in the bytes it consumes.
#[derive(Clone)]
pub struct Split<'a> {
    payload: &'a [u8],
    state: State,
    /// Records emitted so far (the number of the last one).
    emitted: u64,
    /// A record starting at or past this offset is not split out: the
    /// rest of the payload becomes one last record.
    limit: usize,
    /// The rows of a csv log type (`input::csv_split`), when set.
    csv: Option<Box<crate::input::csv_split::CsvSplit>>,
}

/// Where a [`Split`] is; every `usize` is an index into the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing more to emit.
    Done,
    /// One record `start..end`, then done.
    Single { start: usize, end: usize },
    /// Inside a JSON array: the next element starts at or after `pos`;
    /// `sep` is the last structural byte consumed (`[` or `,`).
    Array { pos: usize, sep: usize },
    /// A JSON array closed at `close`; only whitespace may follow.
    Closed { close: usize },
    /// Malformed JSON array: one last record from `start` to the end.
    Tail { start: usize },
    /// Lines (NDJSON when `json`) starting at `pos`.
    Lines { pos: usize, json: bool },
    /// Octet-counted frames, the next one at or after `pos`.
    Octet { pos: usize },
}

/// Splits `payload` into records according to `framing`.
///
/// See [`Framing`] for the rules and the module documentation for the
/// guarantees (no byte lost, increasing offsets, numbers from 1).
///
/// # Complexity
///
/// Linear in the payload length; nothing is allocated. For a JSON payload
/// starting with `{`, the first object is scanned once to tell a single
/// (pretty-printed) object from NDJSON, so its bytes are read twice.
///
/// # Example
///
/// ```
/// use lognorm::{Framing, split};
///
/// let payload = b"{\"a\":1}\r\n\r\n{\"b\":2}\n";
/// let recs: Vec<_> = split(payload, Framing::Json)
///     .map(|r| (r.number(), r.offset(), r.bytes()))
///     .collect();
/// assert_eq!(recs, [(1, 0, &b"{\"a\":1}"[..]), (2, 11, b"{\"b\":2}")]);
/// ```
pub fn split(payload: &[u8], framing: Framing) -> Split<'_> {
    let body = if payload.starts_with(BOM) { BOM.len() } else { 0 };
    let state = match framing {
        Framing::Json => json_state(payload, body),
        Framing::Lines => State::Lines { pos: body, json: false },
        Framing::OctetCounted => State::Octet { pos: body },
        Framing::Auto => {
            let first = skip_while(payload, body, is_text_ws);
            if frame_start(payload, first).is_some() {
                State::Octet { pos: body }
            } else {
                State::Lines { pos: body, json: false }
            }
        }
    };
    Split { payload, state, emitted: 0, limit: usize::MAX, csv: None }
}

/// Splits a payload of a csv log type into rows (see
/// `input::csv_split`).
pub(crate) fn split_csv(
    payload: &[u8],
    delimiter: u8,
    has_header: bool,
) -> Split<'_> {
    let body = if payload.starts_with(BOM) { BOM.len() } else { 0 };
    let csv =
        crate::input::csv_split::CsvSplit::new(delimiter, has_header, body);
    Split {
        payload,
        state: State::Done,
        emitted: 0,
        limit: usize::MAX,
        csv: Some(Box::new(csv)),
    }
}

/// The first state for a JSON payload whose body starts at `body`.
fn json_state(p: &[u8], body: usize) -> State {
    let start = skip_while(p, body, is_json_ws);
    match p.get(start) {
        None => State::Done,
        Some(b'[') => State::Array { pos: start + 1, sep: start },
        Some(b'{') => match scan_container(p, start) {
            Some(end) if skip_while(p, end, is_json_ws) == p.len() => {
                State::Single { start, end }
            }
            _ => State::Lines { pos: body, json: true },
        },
        Some(_) => State::Lines { pos: body, json: true },
    }
}

/// A record `start..end` in the payload.
type Span = (usize, usize);

impl Split<'_> {
    /// Stops splitting at `limit` bytes: a record that starts at or past
    /// it is, with everything after it, one last record that fails to
    /// normalize (see [`Limits::max_payload_bytes`]).
    ///
    /// [`Limits::max_payload_bytes`]: crate::Limits::max_payload_bytes
    pub(crate) fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Moves to the next record and returns its span.
    fn advance(&mut self) -> Option<Span> {
        if let Some(csv) = &mut self.csv {
            return csv.advance(self.payload);
        }
        loop {
            let (state, record) = step(self.payload, self.state);
            self.state = state;
            if record.is_some() || state == State::Done {
                return record;
            }
        }
    }
}

/// One move of the state machine: the next state and the record found,
/// if any. Each move consumes input or ends, so [`Split::advance`] stops.
fn step(p: &[u8], state: State) -> (State, Option<Span>) {
    match state {
        State::Done => (State::Done, None),
        State::Single { start, end } => (State::Done, Some((start, end))),
        State::Array { pos, sep } => array_step(p, pos, sep),
        State::Closed { close } => {
            if skip_while(p, close + 1, is_json_ws) >= p.len() {
                (State::Done, None)
            } else {
                (State::Tail { start: close }, None)
            }
        }
        State::Tail { start } => (
            State::Done,
            Some((start, trim_end(p, start, p.len(), is_json_ws))),
        ),
        State::Lines { pos, json } => line_step(p, pos, json),
        State::Octet { pos } => octet_step(p, pos),
    }
}

/// Inside a JSON array: the next element at or after `pos`; `sep` is the
/// last structural byte consumed.
fn array_step(p: &[u8], pos: usize, sep: usize) -> (State, Option<Span>) {
    let start = skip_while(p, pos, is_json_ws);
    let malformed = (State::Tail { start: sep }, None);
    match p.get(start) {
        // Unterminated, or an empty element.
        None | Some(b',') => malformed,
        // Trailing comma.
        Some(b']') if p.get(sep) == Some(&b',') => malformed,
        Some(b']') => (State::Closed { close: start }, None),
        Some(_) => {
            let Some(stop) = scan_element(p, start) else { return malformed };
            let next = if p.get(stop) == Some(&b',') {
                State::Array { pos: stop + 1, sep: stop }
            } else {
                State::Closed { close: stop }
            };
            (next, Some((start, trim_end(p, start, stop, is_json_ws))))
        }
    }
}

/// The line starting at `pos`, unless blank (NDJSON when `json`).
fn line_step(p: &[u8], pos: usize, json: bool) -> (State, Option<Span>) {
    let rest = p.get(pos..).unwrap_or_default();
    if rest.is_empty() {
        return (State::Done, None);
    }
    let (end, next) = match memchr(b'\n', rest) {
        Some(k) => (strip_line_ending(p, pos, pos + k + 1), pos + k + 1),
        None => (p.len(), p.len()),
    };
    let line = p.get(pos..end).unwrap_or_default();
    let blank = if json {
        line.iter().all(|&b| is_json_ws(b))
    } else {
        line.iter().all(|&b| is_text_ws(b))
    };
    (State::Lines { pos: next, json }, (!blank).then_some((pos, end)))
}

/// The octet-counted frame at or after `pos`.
#[inline]
fn octet_step(p: &[u8], pos: usize) -> (State, Option<Span>) {
    match newline_frame(p, pos) {
        Some((end, rec_end)) => {
            (State::Octet { pos: end }, Some((pos, rec_end)))
        }
        None => octet_step_general(p, pos),
    }
}

/// The usual frame, as Heroku's drains send them: at `start` itself, a
/// count of one to four digits, ` <`, and a message whose count includes
/// the newline ending it, followed by the end of the payload or the next
/// frame's start. Returns where the next frame starts and where the
/// record ends (without its line ending).
///
/// Hand-optimized (hot path, once a line): [`octet_step_general`] gives
/// the same answer for these frames, but it reads the count's digits
/// twice and checks the end against every kind of boundary; this reads
/// each byte once (about a third of the instructions of a split Heroku
/// line). A proptest holds the two to the same answers.
#[inline]
fn newline_frame(p: &[u8], start: usize) -> Option<(usize, usize)> {
    let d = |b: &u8| b.is_ascii_digit();
    let value = |b: &u8| usize::from(b.wrapping_sub(b'0'));
    let (count, digits) = match p.get(start..)? {
        [a, b' ', b'<', ..] if d(a) => (value(a), 1),
        [a, b, b' ', b'<', ..] if d(a) && d(b) => {
            (value(a) * 10 + value(b), 2)
        }
        [a, b, c, b' ', b'<', ..] if d(a) && d(b) && d(c) => {
            (value(a) * 100 + value(b) * 10 + value(c), 3)
        }
        [a, b, c, e, b' ', b'<', ..] if d(a) && d(b) && d(c) && d(e) => {
            (value(a) * 1000 + value(b) * 100 + value(c) * 10 + value(e), 4)
        }
        _ => return None,
    };
    let end = start + digits + 1 + count;
    if p.get(end - 1) != Some(&b'\n')
        || (end != p.len() && frame_start(p, end).is_none())
    {
        return None;
    }
    Some((end, strip_line_ending(p, start, end)))
}

/// The octet-counted frame at or after `pos`, any shape.
fn octet_step_general(p: &[u8], pos: usize) -> (State, Option<Span>) {
    let start = skip_while(p, pos, is_text_ws);
    if start >= p.len() {
        return (State::Done, None);
    }
    if let Some(end) = trusted_frame_end(p, start) {
        let mut rec_end = strip_line_ending(p, start, end);
        // A count that splits `\r\n`: drop the `\r` too.
        if rec_end == end
            && p.get(end) == Some(&b'\n')
            && p.get(end - 1) == Some(&b'\r')
        {
            rec_end -= 1;
        }
        return (State::Octet { pos: end }, Some((start, rec_end)));
    }
    let end = next_frame_line(p, start);
    (State::Octet { pos: end }, Some((start, last_line_end(p, start, end))))
}

impl<'a> Iterator for Split<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let (start, end) = self.advance()?;
        debug_assert!(start < end && end <= self.payload.len());
        if start >= self.limit {
            self.state = State::Done;
            let rest = self.payload.get(start..)?;
            self.emitted += 1;
            let mut record = Record::new(rest, self.emitted, start);
            record.past_limit = true;
            return Some(record);
        }
        // Always in range by construction; `get` keeps a bug from
        // becoming a panic on input.
        let bytes = self.payload.get(start..end)?;
        self.emitted += 1;
        let mut record = Record::new(bytes, self.emitted, start);
        if let Some(csv) = &self.csv {
            record.header = csv.header(self.payload);
        }
        Some(record)
    }
}

impl FusedIterator for Split<'_> {}

impl fmt::Debug for Split<'_> {
    // The payload may be megabytes: show its length, not its bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Split")
            .field("payload_len", &self.payload.len())
            .field("state", &self.state)
            .field("emitted", &self.emitted)
            .field("limit", &self.limit)
            .finish()
    }
}

/// JSON insignificant whitespace.
#[inline]
fn is_json_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whitespace for text records: JSON whitespace plus `\x0b` and `\x0c`.
#[inline]
fn is_text_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
}

/// The first index at or after `i` whose byte is not `ws` (or the length).
#[inline]
fn skip_while(p: &[u8], i: usize, ws: fn(u8) -> bool) -> usize {
    let rest = p.get(i..).unwrap_or_default();
    i + rest.iter().position(|&b| !ws(b)).unwrap_or(rest.len())
}

/// `end` moved back over `ws` bytes, not before `start`.
#[inline]
fn trim_end(p: &[u8], start: usize, end: usize, ws: fn(u8) -> bool) -> usize {
    let part = p.get(start..end).unwrap_or_default();
    start + part.iter().rposition(|&b| !ws(b)).map_or(0, |k| k + 1)
}

/// Skips a JSON string whose body starts at `i` (just after the opening
/// `"`); returns the index after the closing `"`, or `None` if the string
/// is unterminated. A backslash escapes the next byte.
///
/// Hot path: strings hold most of a JSON payload's bytes, so they are
/// skipped with `memchr2` instead of byte by byte.
#[inline]
fn skip_string(p: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let rest = p.get(i..)?;
        let k = memchr2(b'"', b'\\', rest)?;
        if rest.get(k) == Some(&b'"') {
            return Some(i + k + 1);
        }
        i += k + 2;
    }
}

/// Scans one array element starting at `i` and returns the index of the
/// `,` or `]` that ends it (outside strings and brackets), or `None` if the
/// payload ends first.
///
/// Hot path for JSON arrays: a flat loop over structural bytes, strings
/// skipped by [`skip_string`], nesting counted (never recursion), so any
/// depth is fine. Mismatched brackets are not an error here: the element's
/// record fails parsing later.
fn scan_element(p: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let Some(&b) = p.get(i) {
        match b {
            b'"' => {
                i = skip_string(p, i + 1)?;
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b',' if depth == 0 => return Some(i),
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Scans the container opening at `i` (`{` or `[`) and returns the index
/// after the bracket that closes it, or `None` if the payload ends first.
/// Same scanner as [`scan_element`].
fn scan_container(p: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let Some(&b) = p.get(i) {
        match b {
            b'"' => {
                i = skip_string(p, i + 1)?;
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// If an octet-counted frame starts at `i` (1 to [`MAX_LEN_DIGITS`]
/// digits, a space, `<`), returns the number of digits.
#[inline]
fn frame_start(p: &[u8], i: usize) -> Option<usize> {
    let rest = p.get(i..)?;
    let digits = rest
        .iter()
        .take(MAX_LEN_DIGITS + 1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > MAX_LEN_DIGITS {
        return None;
    }
    match rest.get(digits..digits + 2) {
        Some([b' ', b'<']) => Some(digits),
        _ => None,
    }
}

/// The end of the frame starting at `start` as its `LEN` says, if `LEN`
/// has at most [`MAX_TRUSTED_DIGITS`] digits and the end is in the body.
fn counted_end(p: &[u8], start: usize) -> Option<usize> {
    let digits = frame_start(p, start)?;
    if digits > MAX_TRUSTED_DIGITS {
        return None;
    }
    // At most 9 digits: below 10^9, fits any `usize` of 32 bits or more.
    let count = p
        .get(start..start + digits)?
        .iter()
        .fold(0usize, |n, &d| n * 10 + usize::from(d - b'0'));
    let end = (start + digits + 1).checked_add(count)?;
    (end <= p.len()).then_some(end)
}

/// If a frame may end at `i` (the end of the body or a frame start,
/// possibly after one line ending), returns where the next frame starts
/// (the body length at the end).
fn boundary(p: &[u8], i: usize) -> Option<usize> {
    let after = match p.get(i..)? {
        [] => return Some(i),
        [b'\n', ..] => i + 1,
        [b'\r', b'\n', ..] => i + 2,
        _ => return frame_start(p, i).map(|_| i),
    };
    (after == p.len() || frame_start(p, after).is_some()).then_some(after)
}

/// The end of the frame starting at `start` if its count is trusted (see
/// [`Framing::OctetCounted`]).
fn trusted_frame_end(p: &[u8], start: usize) -> Option<usize> {
    let end = counted_end(p, start)?;
    let next = boundary(p, end)?;
    // A count one or two too long lands inside the next frame's `LEN`
    // (`84 <…up\n119 <40>…` lands on `19 <40>`), which also looks like a
    // frame start. Right after a digit, trust it only if that frame's own
    // count lands on a boundary too (a message ending in a digit, without
    // newlines between frames, passes; a miscount almost never does).
    if next == end
        && end < p.len()
        && p.get(end - 1).is_some_and(u8::is_ascii_digit)
    {
        boundary(p, counted_end(p, end)?)?;
    }
    Some(end)
}

/// The start of the first line after `start` that begins with a frame
/// start, or the payload length.
fn next_frame_line(p: &[u8], start: usize) -> usize {
    let mut from = start;
    loop {
        let rest = p.get(from..).unwrap_or_default();
        let Some(k) = memchr(b'\n', rest) else { return p.len() };
        from += k + 1;
        if frame_start(p, from).is_some() {
            return from;
        }
    }
}

/// `end` without one trailing `\n` or `\r\n`.
#[inline]
fn strip_line_ending(p: &[u8], start: usize, end: usize) -> usize {
    match p.get(start..end).unwrap_or_default() {
        [.., b'\r', b'\n'] => end - 2,
        [.., b'\n'] => end - 1,
        _ => end,
    }
}

/// The end of the last non-blank line of `start..end` without its line
/// ending (`\n` or `\r\n`). `p[start]` must not be whitespace.
fn last_line_end(p: &[u8], start: usize, end: usize) -> usize {
    let last = trim_end(p, start, end, is_text_ws);
    let tail = p.get(last..end).unwrap_or_default();
    memchr(b'\n', tail)
        .map_or(end, |k| strip_line_ending(p, last, last + k + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records of `payload` as `(offset, text)`, checking the numbers.
    fn recs(payload: &[u8], framing: Framing) -> Vec<(usize, String)> {
        split(payload, framing)
            .enumerate()
            .map(|(i, r)| {
                assert_eq!(r.number(), i as u64 + 1);
                (r.offset(), String::from_utf8_lossy(r.bytes()).into_owned())
            })
            .collect()
    }

    fn json(payload: &str) -> Vec<(usize, String)> {
        recs(payload.as_bytes(), Framing::Json)
    }

    fn v(items: &[(usize, &str)]) -> Vec<(usize, String)> {
        items.iter().map(|&(o, s)| (o, s.to_owned())).collect()
    }

    #[test]
    fn record_accessors() {
        let r = Record::new(b"abc", 7, 42);
        assert_eq!((r.bytes(), r.number(), r.offset()), (&b"abc"[..], 7, 42));
    }

    #[test]
    fn json_single_object() {
        assert_eq!(json(r#"{"a":1}"#), v(&[(0, r#"{"a":1}"#)]));
        assert_eq!(json(" \r\n\t{\"a\":1} \n\n"), v(&[(4, r#"{"a":1}"#)]));
    }

    #[test]
    fn json_pretty_single_object() {
        let p = "\n{\n  \"a\": [1,\n    2],\n  \"b\": \"x\\\"}\\n\",\n  \
                 \"c\": {\"d\": \"]\"}\n}\n";
        let want = &p[1..p.len() - 1];
        assert_eq!(json(p), v(&[(1, want)]));
    }

    #[test]
    fn json_array_of_three() {
        // Strings with `]`, `,`, `\"`, escaped backslashes, nested arrays.
        let p = concat!(
            r#"[{"a":"],","b":[1,[2,{"c":"\"]"}]]},"#,
            r#"{"d":"\\"},{"e":"\\\"x\\\\"}]"#,
        );
        assert_eq!(
            json(p),
            v(&[
                (1, r#"{"a":"],","b":[1,[2,{"c":"\"]"}]]}"#),
                (36, r#"{"d":"\\"}"#),
                (47, r#"{"e":"\\\"x\\\\"}"#),
            ])
        );
    }

    #[test]
    fn json_empty_array() {
        assert_eq!(json("[]"), v(&[]));
        assert_eq!(json(" [ \n ] \r\n"), v(&[]));
    }

    #[test]
    fn json_array_with_whitespace() {
        let p = "[\n  {\"a\":1} ,\n\t{\"b\":\n2}\r\n]\n";
        assert_eq!(json(p), v(&[(4, r#"{"a":1}"#), (15, "{\"b\":\n2}")]));
        // Non-object elements are records too (they fail later).
        assert_eq!(
            json("[1, \"x\" ,null]"),
            v(&[(1, "1"), (4, "\"x\""), (9, "null")])
        );
    }

    #[test]
    fn json_malformed_arrays() {
        // Unterminated inside an element.
        assert_eq!(
            json(r#"[{"a":1},{"b":"#),
            v(&[(1, r#"{"a":1}"#), (8, r#",{"b":"#)])
        );
        // Unterminated string swallows the rest.
        assert_eq!(
            json(r#"[{"a":"x}, {"b":2}]"#),
            v(&[(0, r#"[{"a":"x}, {"b":2}]"#)])
        );
        // Unterminated after a complete element: the `[` is included.
        assert_eq!(json("[{\"a\":1} \n"), v(&[(0, r#"[{"a":1}"#)]));
        assert_eq!(json("[{\"a\":1},\n"), v(&[(1, r#"{"a":1}"#), (8, ",")]));
        assert_eq!(json("["), v(&[(0, "[")]));
        // Trailing comma.
        assert_eq!(json(r#"[{"a":1},]"#), v(&[(1, r#"{"a":1}"#), (8, ",]")]));
        // Empty elements.
        assert_eq!(json(r#"[,{"a":1}]"#), v(&[(0, r#"[,{"a":1}]"#)]));
        assert_eq!(
            json(r#"[{"a":1},,{"b":2}]"#),
            v(&[(1, r#"{"a":1}"#), (8, r#",,{"b":2}]"#)])
        );
        // Garbage between elements stays with its element.
        assert_eq!(
            json(r#"[{"a":1} x,{"b":2}]"#),
            v(&[(1, r#"{"a":1} x"#), (11, r#"{"b":2}"#)])
        );
        // Missing comma.
        assert_eq!(
            json(r#"[{"a":1} {"b":2}]"#),
            v(&[(1, r#"{"a":1} {"b":2}"#)])
        );
        // Stray closing brace.
        assert_eq!(
            json(r#"[{"a":1}},{"b":2}]"#),
            v(&[(1, r#"{"a":1}}"#), (10, r#"{"b":2}"#)])
        );
        // Bytes after the closing bracket.
        assert_eq!(
            json("[{\"a\":1}] x \n"),
            v(&[(1, r#"{"a":1}"#), (8, "] x")])
        );
        assert_eq!(json(r#"[] {"a":1}"#), v(&[(1, r#"] {"a":1}"#)]));
        assert_eq!(json("[1]\n[2]"), v(&[(1, "1"), (2, "]\n[2]")]));
    }

    #[test]
    fn json_deep_nesting() {
        let n = 1_000_000;
        let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let arr = format!("[{deep}]");
        let r: Vec<_> = split(arr.as_bytes(), Framing::Json).collect();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].offset(), r[0].bytes()), (1, deep.as_bytes()));

        let obj = format!("{{\"a\":{deep}}}");
        let r: Vec<_> = split(obj.as_bytes(), Framing::Json).collect();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].offset(), r[0].bytes()), (0, obj.as_bytes()));

        // Unterminated deep array: one record, the whole payload.
        let open = "[".repeat(n);
        let r: Vec<_> = split(open.as_bytes(), Framing::Json).collect();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].offset(), r[0].bytes()), (0, open.as_bytes()));
    }

    #[test]
    fn json_ndjson() {
        let p =
            "{\"a\":1}\r\n\r\n  \t \n{\"b\":2}\n\n { \"c\":3} \r\n{\"d\":4}";
        assert_eq!(
            json(p),
            v(&[
                (0, r#"{"a":1}"#),
                (16, r#"{"b":2}"#),
                (25, r#" { "c":3} "#),
                (37, r#"{"d":4}"#),
            ])
        );
        // Only one trailing `\r` is removed; `\x0c` is not JSON whitespace.
        assert_eq!(
            json("{}\n{}\r\r\n\x0c\n"),
            v(&[(0, "{}"), (3, "{}\r"), (8, "\x0c")])
        );
        // Leading whitespace on the first line is kept like on others.
        assert_eq!(
            json("\n  {\"a\":1}\n{}"),
            v(&[(1, "  {\"a\":1}"), (11, "{}")])
        );
        // A truncated first line does not swallow the others.
        assert_eq!(
            json("{\"a\":\n{\"b\":2}\n{\"c\":3}\n"),
            v(&[(0, r#"{"a":"#), (6, r#"{"b":2}"#), (14, r#"{"c":3}"#)])
        );
        // Not starting with `{` or `[`: lines.
        assert_eq!(json("x\n\"y\" \n"), v(&[(0, "x"), (2, "\"y\" ")]));
        // A pretty object followed by more: NDJSON, every line a record.
        assert_eq!(json("{\n}\n{}"), v(&[(0, "{"), (2, "}"), (4, "{}")]));
    }

    #[test]
    fn json_bom_and_empty() {
        assert_eq!(json("\u{feff}{\"a\":1}"), v(&[(3, r#"{"a":1}"#)]));
        assert_eq!(json("\u{feff} [ {\"a\":1} ]"), v(&[(6, r#"{"a":1}"#)]));
        assert_eq!(json("\u{feff}{}\n{}\n"), v(&[(3, "{}"), (6, "{}")]));
        assert_eq!(json("\u{feff}[{},"), v(&[(4, "{}"), (6, ",")]));
        assert_eq!(json(""), v(&[]));
        assert_eq!(json(" \r\n\t"), v(&[]));
        assert_eq!(json("\u{feff}"), v(&[]));
        // A BOM later in the payload is content.
        assert_eq!(json("{}\n\u{feff}{}"), v(&[(0, "{}"), (3, "\u{feff}{}")]));
    }

    #[test]
    fn lines() {
        let p = "a b \r\n\r\n \t\x0b\x0c\r\n  x\n\n5 <1>1 \nlast\r";
        assert_eq!(
            recs(p.as_bytes(), Framing::Lines),
            v(&[(0, "a b "), (14, "  x"), (19, "5 <1>1 "), (27, "last\r")])
        );
        assert_eq!(
            recs(b"\xEF\xBB\xBFone\ntwo\n", Framing::Lines),
            v(&[(3, "one"), (7, "two")])
        );
        assert_eq!(recs(b"", Framing::Lines), v(&[]));
        assert_eq!(recs(b"\n\r\n \n", Framing::Lines), v(&[]));
        // Invalid UTF-8 is split all the same.
        let r: Vec<_> = split(b"\xff\xfe\n\x80", Framing::Lines)
            .map(|r| r.bytes())
            .collect();
        assert_eq!(r, [&b"\xff\xfe"[..], b"\x80"]);
    }

    fn octet(p: &str) -> Vec<(usize, String)> {
        recs(p.as_bytes(), Framing::OctetCounted)
    }

    #[test]
    fn octet_correct_counts() {
        // Counts include the trailing newline.
        let p = "9 <1>1 abc\n10 <2>1 a\nb\n\n7 <3>1 c\n";
        assert_eq!(
            octet(p),
            v(&[(0, "9 <1>1 abc"), (11, "10 <2>1 a\nb\n"), (24, "7 <3>1 c")])
        );
        // Counts without the newline, messages with frame-like text.
        let p = "14 <1>1 x\n12 <3>y\n9 <2>1 last\r\n";
        assert_eq!(
            octet(p),
            v(&[(0, "14 <1>1 x\n12 <3>y"), (18, "9 <2>1 last")])
        );
        // No newlines at all (RFC 6587 style).
        assert_eq!(
            octet("5 <1>1 6 <2>1 x"),
            v(&[(0, "5 <1>1 "), (7, "6 <2>1 x")])
        );
        // A message ending in a digit right before the next `LEN`.
        assert_eq!(
            octet("7 <1>1 a512 <2>1 abcdefg"),
            v(&[(0, "7 <1>1 a5"), (9, "12 <2>1 abcdefg")])
        );
    }

    #[test]
    fn octet_empty_message() {
        assert_eq!(octet("5 <1>1 "), v(&[(0, "5 <1>1 ")]));
        assert_eq!(
            octet("6 <1>1 \n5 <1>1 \n"),
            v(&[(0, "6 <1>1 "), (8, "5 <1>1 ")])
        );
        assert_eq!(octet("6 <1>1 \r\n"), v(&[(0, "6 <1>1 ")]));
    }

    #[test]
    fn octet_wrong_counts() {
        // Too long: runs to the next frame line.
        let p = "99 <1>1 a\nb\n7 <2>1 c\n";
        assert_eq!(octet(p), v(&[(0, "99 <1>1 a\nb"), (12, "7 <2>1 c")]));
        // Too long, every frame.
        let p = "10 <1>1 abc\n11 <2>1 a\nb\n\n8 <3>1 c\n";
        assert_eq!(
            octet(p),
            v(&[(0, "10 <1>1 abc"), (12, "11 <2>1 a\nb"), (25, "8 <3>1 c")])
        );
        // One too long, landing inside the next `LEN` (`0 <2>…`).
        let p = "10 <1>1 abc\n10 <2>1 defg\n";
        assert_eq!(octet(p), v(&[(0, "10 <1>1 abc"), (12, "10 <2>1 defg")]));
        // Too short: the same.
        let p = "3 <1>1 abc\n7 <2>1 c\n";
        assert_eq!(octet(p), v(&[(0, "3 <1>1 abc"), (11, "7 <2>1 c")]));
        // Too short, last frame: to the end; blank lines dropped, spaces kept.
        assert_eq!(
            octet("7 <2>1 c\n1 <1>1 x \r\n\n \n"),
            v(&[(0, "7 <2>1 c"), (9, "1 <1>1 x ")])
        );
        // Wrong count with frame-like text inside a line: not a boundary.
        let p = "4 <1>1 a 12 <3>b\n6 <2>1\n";
        assert_eq!(octet(p), v(&[(0, "4 <1>1 a 12 <3>b"), (17, "6 <2>1")]));
        // Counts longer than 9 digits, overflowing, or past the end.
        let p = "1234567890 <1>1 a\n99999999999999999999 <1>1 b\n\
                 999999999 <1>1 c\n";
        assert_eq!(
            octet(p),
            v(&[
                (0, "1234567890 <1>1 a"),
                (18, "99999999999999999999 <1>1 b"),
                (46, "999999999 <1>1 c"),
            ])
        );
        // 21 digits do not start a frame: the line belongs to the previous.
        let p = format!("3 <1>x\n{} <1>y\n", "1".repeat(21));
        assert_eq!(octet(&p), v(&[(0, &p[..p.len() - 1])]));
    }

    #[test]
    fn octet_garbage() {
        let p = "junk\nmore <\n\n10 <1>1 abc\nx";
        assert_eq!(
            octet(p),
            v(&[(0, "junk\nmore <"), (13, "10 <1>1 abc\nx")])
        );
        assert_eq!(octet("\n \u{feff}x"), v(&[(2, "\u{feff}x")]));
        assert_eq!(octet("\u{feff}\n 6 <1>a\n"), v(&[(5, "6 <1>a")]));
        assert_eq!(octet("0 <"), v(&[(0, "0 <")]));
        assert_eq!(octet(" \n\t"), v(&[]));
    }

    #[test]
    fn auto() {
        let p = b"\n  10 <1>1 abc\nx\n";
        assert_eq!(recs(p, Framing::Auto), recs(p, Framing::OctetCounted));
        assert_eq!(recs(p, Framing::Auto), v(&[(3, "10 <1>1 abc\nx")]));
        let p = b"\xEF\xBB\xBF10 <1>1 abc\n";
        assert_eq!(recs(p, Framing::Auto), v(&[(3, "10 <1>1 abc")]));
        let p = b"x\n10 <1>1 abc\n";
        assert_eq!(recs(p, Framing::Auto), v(&[(0, "x"), (2, "10 <1>1 abc")]));
        let p = b"10 <1>1 abc\n";
        assert_ne!(split(p, Framing::Auto).count(), 0);
    }

    #[test]
    fn debug_and_fused() {
        let mut s = split(b"{}", Framing::Json);
        assert_eq!(
            format!("{s:?}"),
            "Split { payload_len: 2, state: Single { start: 0, end: 2 }, \
             emitted: 0, limit: 18446744073709551615 }"
        );
        assert!(s.next().is_some());
        assert_eq!((s.next(), s.next()), (None, None));
    }

    /// Past the payload limit, the rest of the payload is one record,
    /// marked, and nothing follows it.
    #[test]
    fn payload_limit() {
        let p = b"{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n";
        let all: Vec<_> = split(p, Framing::Json).with_limit(8).collect();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].bytes(), all[0].past_limit()), (&p[..7], false));
        assert_eq!((all[1].number(), all[1].offset()), (2, 8));
        assert_eq!((all[1].bytes(), all[1].past_limit()), (&p[8..], true));
        // A record that starts before the limit is whole, even if it ends
        // past it.
        let all: Vec<_> = split(p, Framing::Json).with_limit(9).collect();
        assert_eq!(all.len(), 3);
        assert!(!all[1].past_limit() && all[2].past_limit());
        assert_eq!(all[2].bytes(), &p[16..]);
        // Arrays and octet-counted frames stop the same way.
        let a = b"[1, 2, 3]";
        let all: Vec<_> = split(a, Framing::Json).with_limit(4).collect();
        assert_eq!(all.len(), 2);
        assert_eq!((all[1].bytes(), all[1].past_limit()), (&a[4..], true));
        let o = b"8 <1>1 abc8 <1>1 def8 <1>1 ghi";
        let all: Vec<_> =
            split(o, Framing::OctetCounted).with_limit(5).collect();
        assert_eq!(all.len(), 2);
        assert_eq!((all[1].offset(), all[1].bytes()), (10, &o[10..]));
        assert!(all[1].past_limit());
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;
        use serde_json::{Map, Value};

        fn arb_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                "[a-z\\[\\]{},\"\\\\ \n\r\t<0-9é]{0,8}"
                    .prop_map(Value::String),
            ];
            leaf.prop_recursive(4, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4)
                        .prop_map(Value::Array),
                    prop::collection::btree_map(
                        "[a-z\"\\\\,\\]]{0,4}",
                        inner,
                        0..4
                    )
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        fn arb_object() -> impl Strategy<Value = Value> {
            prop::collection::btree_map("[a-z\"\\]]{0,4}", arb_value(), 0..4)
                .prop_map(|m| {
                    Value::Object(m.into_iter().collect::<Map<_, _>>())
                })
        }

        fn texts(payload: &[u8]) -> Vec<&[u8]> {
            split(payload, Framing::Json).map(|r| r.bytes()).collect()
        }

        /// Checks the invariants every split must keep.
        fn check(payload: &[u8], framing: Framing) {
            let mut covered = vec![false; payload.len()];
            let mut prev_end = 0;
            for (i, r) in split(payload, framing).enumerate() {
                assert_eq!(r.number(), i as u64 + 1);
                assert!(!r.bytes().is_empty());
                assert!(r.offset() >= prev_end, "overlap or disorder");
                let end = r.offset() + r.bytes().len();
                assert_eq!(&payload[r.offset()..end], r.bytes());
                covered[r.offset()..end].iter_mut().for_each(|c| *c = true);
                prev_end = end;
            }
            let bom = if payload.starts_with(BOM) { 3 } else { 0 };
            for (i, &b) in payload.iter().enumerate().skip(bom) {
                if covered[i] {
                    continue;
                }
                match framing {
                    Framing::Json => assert!(
                        is_json_ws(b) || matches!(b, b'[' | b',' | b']'),
                        "lost byte {b:#x} at {i}"
                    ),
                    _ => assert!(is_text_ws(b), "lost byte {b:#x} at {i}"),
                }
            }
            // A JSON array that is not valid yields a record that fails.
            let body = &payload[bom..];
            let first = body.iter().find(|&&b| !is_json_ws(b));
            if framing == Framing::Json
                && first == Some(&b'[')
                && serde_json::from_slice::<Value>(body).is_err()
            {
                assert!(
                    split(payload, framing).any(|r| {
                        serde_json::from_slice::<Value>(r.bytes()).is_err()
                    }),
                    "malformed array reported by no record"
                );
            }
        }

        fn arb_payload() -> impl Strategy<Value = Vec<u8>> {
            let interesting = prop::sample::select(
                b"[]{},\"\\ \n\r\t\x0b\x0c0123 <a:\xef\xbb\xbf".to_vec(),
            );
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..64),
                prop::collection::vec(interesting, 0..64),
            ]
        }

        // Case count: proptest's default (256), or `PROPTEST_CASES`.
        proptest! {
            #[test]
            fn ndjson_round_trip(
                objs in prop::collection::vec(arb_object(), 0..6),
                crlf in any::<bool>(),
                trailing in any::<bool>(),
            ) {
                let lines: Vec<String> =
                    objs.iter().map(Value::to_string).collect();
                let nl = if crlf { "\r\n" } else { "\n" };
                let mut payload = lines.join(nl);
                if trailing {
                    payload.push_str(nl);
                }
                let want: Vec<&[u8]> =
                    lines.iter().map(String::as_bytes).collect();
                prop_assert_eq!(texts(payload.as_bytes()), want);
            }

            #[test]
            fn array_round_trip(
                objs in prop::collection::vec(arb_object(), 0..6),
                pretty in any::<bool>(),
                ws in "[ \t\r\n]{0,3}",
            ) {
                let elems: Vec<String> = objs
                    .iter()
                    .map(|o| if pretty {
                        serde_json::to_string_pretty(o).unwrap()
                    } else {
                        o.to_string()
                    })
                    .collect();
                let payload = format!(
                    "{ws}[{ws}{}{ws}]{ws}",
                    elems.join(&format!("{ws},{ws}")),
                );
                let want: Vec<&[u8]> =
                    elems.iter().map(String::as_bytes).collect();
                prop_assert_eq!(texts(payload.as_bytes()), want);
            }

            #[test]
            fn octet_round_trip(
                frames in prop::collection::vec(
                    ("[a-z <>0-9\n]{0,20}", any::<bool>(), any::<bool>()),
                    0..6,
                ),
            ) {
                let mut payload = String::new();
                let mut want = Vec::new();
                for (body, with_nl, sep_nl) in &frames {
                    let start = payload.len();
                    if *with_nl {
                        // LEN counts MSG including its trailing newline.
                        let msg = format!("<{body}\n");
                        let frame = format!("{} {msg}", msg.len());
                        payload.push_str(&frame);
                        let rec = &payload[start..payload.len() - 1];
                        want.push((start, rec.to_owned()));
                    } else {
                        // LEN counts MSG only; a newline may follow.
                        let msg = format!("<{body}");
                        let frame = format!("{} {msg}", msg.len());
                        let rec = frame.strip_suffix('\n').unwrap_or(&frame);
                        want.push((start, rec.to_owned()));
                        payload.push_str(&frame);
                        if *sep_nl {
                            payload.push('\n');
                        }
                    }
                }
                let got = |framing| -> Vec<(usize, String)> {
                    split(payload.as_bytes(), framing)
                        .map(|r| {
                            let text = std::str::from_utf8(r.bytes());
                            (r.offset(), text.unwrap().to_owned())
                        })
                        .collect()
                };
                prop_assert_eq!(&got(Framing::OctetCounted), &want);
                prop_assert_eq!(&got(Framing::Auto), &want);
            }

            /// The fast path for newline-ended frames answers as the
            /// general one whenever it answers: counts right, one or two
            /// too short or long, `\r\n`, digits before the newline,
            /// from every position.
            #[test]
            fn newline_frames_split_as_the_general_path(
                frames in prop::collection::vec(
                    ("[a-z <>0-9\r\n]{0,12}", -2i8..=2, any::<bool>()),
                    1..5,
                ),
            ) {
                let mut payload = String::new();
                for (body, miss, crlf) in &frames {
                    let msg = format!("<{body}{}", if *crlf { "\r\n" } else { "\n" });
                    let count = msg.len().saturating_add_signed(isize::from(*miss));
                    payload.push_str(&format!("{count} {msg}"));
                }
                let p = payload.as_bytes();
                for pos in 0..p.len() {
                    if let Some((end, rec_end)) = newline_frame(p, pos) {
                        prop_assert_eq!(
                            octet_step_general(p, pos),
                            (State::Octet { pos: end }, Some((pos, rec_end))),
                            "{:?} at {}", payload, pos
                        );
                    }
                }
            }

            #[test]
            fn never_panics_nor_loses(payload in arb_payload()) {
                for framing in [
                    Framing::Json,
                    Framing::Lines,
                    Framing::OctetCounted,
                    Framing::Auto,
                ] {
                    check(&payload, framing);
                }
            }

            #[test]
            fn malformed_json_arrays_fail(
                objs in prop::collection::vec(arb_object(), 1..4),
                cut in any::<prop::sample::Index>(),
            ) {
                // A truncated array: the last record never parses.
                let elems: Vec<String> =
                    objs.iter().map(Value::to_string).collect();
                let full = format!("[{}]", elems.join(","));
                let payload = &full.as_bytes()[..cut.index(full.len())];
                check(payload, Framing::Json);
                if let Some(last) = split(payload, Framing::Json).last() {
                    let parsed = serde_json::from_slice::<Map<String, Value>>(
                        last.bytes(),
                    );
                    prop_assert!(parsed.is_err());
                }
            }
        }
    }
}
