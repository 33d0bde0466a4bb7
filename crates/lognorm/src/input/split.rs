//! Payload → records (SPEC.md §2).
//!
//! A payload (one HTTP body, one file, one queue message) is cut into
//! records before anything is parsed. [`split`] returns an iterator of
//! [`Record`]s that borrow the payload; it allocates nothing. Input that
//! is not in memory is split by a [`SplitReader`](crate::SplitReader)
//! with the same rules.
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
//!
//! # How it is built
//!
//! A state machine whose states hold positions in the bytes at hand. One
//! [`step`] finds the next record, or says that its answer depends on
//! bytes past the end of what it was given (only when streaming: the
//! `EOF` parameter says whether more input may follow). A step that runs
//! out of input hands back a [`Progress`], so that the next try, with
//! more input, resumes its scan instead of starting over: streaming stays
//! linear even when the input trickles in a byte at a time.

use core::fmt;
use core::iter::FusedIterator;

use memchr::{memchr, memchr2, memchr3, memrchr};

use crate::error::{FieldError, RecordErrorKind};

/// The UTF-8 byte order mark, skipped at the start of a payload.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Most digits a `LEN` may have for `LEN SP <` to start an octet-counted
/// frame. Longer digit runs are not frame starts; the cap keeps each
/// frame-start check O(1), so splitting stays linear.
pub(crate) const MAX_LEN_DIGITS: usize = 20;

/// Most digits of a `LEN` that is trusted as a byte count. A longer `LEN`
/// is treated as a wrong count (it still starts a frame).
const MAX_TRUSTED_DIGITS: usize = 9;

/// One record of a payload: its bytes (borrowed), 1-based number and byte
/// offset in the payload.
///
/// A record from a [`SplitReader`](crate::SplitReader) may be
/// [oversize](Record::is_oversize): longer than the reader's limit, it
/// holds only its first bytes, and normalizing it fails with a
/// [`Limit`](crate::RecordErrorKind::Limit) error.
///
/// # Example
///
/// ```
/// use lognorm::Record;
///
/// let rec = Record::new(b"{\"a\":1}", 1, 0);
/// assert_eq!(rec.bytes(), b"{\"a\":1}");
/// assert_eq!((rec.number(), rec.offset()), (1, 0));
/// assert_eq!((rec.full_len(), rec.is_oversize()), (7, false));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    bytes: &'a [u8],
    number: u64,
    offset: usize,
    cut: Cut,
    /// The csv header row of the record's payload (empty when none).
    header: &'a [u8],
    /// `bytes` as text, when the split checked them already (as part of
    /// its payload: one check of the whole payload instead of one call a
    /// record, whose fixed cost was most of it on short lines).
    text: Option<&'a str>,
}

/// Records are equal when they are the same bytes at the same place (the
/// text a split attaches is those bytes again).
impl PartialEq for Record<'_> {
    fn eq(&self, other: &Self) -> bool {
        (self.bytes, self.number, self.offset, self.cut, self.header)
            == (
                other.bytes,
                other.number,
                other.offset,
                other.cut,
                other.header,
            )
    }
}

impl Eq for Record<'_> {}

/// Whether a record is whole, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The record's bytes are all there.
    Whole,
    /// The record starts past the payload limit (`limit`): it is the
    /// unsplit rest of the payload, and normalizing it fails.
    PastPayload { limit: usize },
    /// The record is `len` bytes long, more than a reader's record limit
    /// (`limit`): its bytes are its first ones only, and normalizing it
    /// fails.
    Oversize { len: usize, limit: usize },
}

impl<'a> Record<'a> {
    /// Makes a record from its bytes, 1-based number and byte offset in
    /// the payload.
    #[inline]
    #[must_use]
    pub const fn new(bytes: &'a [u8], number: u64, offset: usize) -> Self {
        Record {
            bytes,
            number,
            offset,
            cut: Cut::Whole,
            header: &[],
            text: None,
        }
    }

    /// The record's bytes as text, when its split checked them (text log
    /// types' splits check their payload's UTF-8 once).
    #[inline]
    pub(crate) fn text(&self) -> Option<&'a str> {
        self.text
    }

    /// The csv header row of the record's payload (empty when none).
    #[inline]
    pub(crate) fn header(&self) -> &'a [u8] {
        self.header
    }

    /// A record with the given [`Cut`].
    #[inline]
    pub(crate) const fn with_cut(mut self, cut: Cut) -> Self {
        self.cut = cut;
        self
    }

    /// The error normalizing this record fails with before it is read:
    /// the rest of a payload past the payload limit, or an oversize record
    /// of a reader.
    #[inline]
    pub(crate) fn limit_error(&self) -> Option<FieldError> {
        match self.cut {
            Cut::Whole => None,
            _ => self.cut_error(),
        }
    }

    #[cold]
    #[inline(never)]
    fn cut_error(&self) -> Option<FieldError> {
        match self.cut {
            Cut::Whole => None,
            Cut::PastPayload { limit } => Some(FieldError::new(
                RecordErrorKind::Limit,
                format!("a payload of at most {limit} bytes"),
                format!(
                    "{} more bytes from byte {} on (not split)",
                    self.bytes.len(),
                    self.offset
                ),
            )),
            Cut::Oversize { len, limit } => Some(FieldError::new(
                RecordErrorKind::Limit,
                format!("a record of at most {limit} bytes"),
                format!("{len} bytes"),
            )),
        }
    }

    /// The bytes of the record, borrowed from the payload (for an
    /// [oversize](Record::is_oversize) record, its first bytes only).
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

    /// The byte offset of the record's first byte in the payload (in the
    /// whole stream, for a [`SplitReader`](crate::SplitReader)).
    #[inline]
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Whether the record is longer than the limit of the
    /// [`SplitReader`](crate::SplitReader) that found it: its
    /// [`bytes`](Record::bytes) are then only its first bytes (1,024, or
    /// the limit if less), [`full_len`](Record::full_len) says how long
    /// it is, and
    /// normalizing it fails with a
    /// [`Limit`](crate::RecordErrorKind::Limit) error.
    #[inline]
    #[must_use]
    pub fn is_oversize(&self) -> bool {
        matches!(self.cut, Cut::Oversize { .. })
    }

    /// The length of the record in the payload, in bytes: the length of
    /// [`bytes`](Record::bytes), or for an oversize record the length of
    /// all of it.
    #[inline]
    #[must_use]
    pub fn full_len(&self) -> usize {
        match self.cut {
            Cut::Oversize { len, .. } => len,
            _ => self.bytes.len(),
        }
    }
}

/// How a payload is cut into records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// JSON log types: an array of values, a stream of concatenated
    /// values, or NDJSON.
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
    /// - **Anything else: one record a line (NDJSON), or a value.** A
    ///   line (without `\n`, and one trailing `\r`) is a record; lines of
    ///   only whitespace are skipped; other whitespace, and bytes after a
    ///   line's value (`{…}{…}`, `{…} x`), are left to the JSON parser,
    ///   which fails that line alone. Lines start after the byte order
    ///   mark, so a first line keeps its leading whitespace like every
    ///   other line. Two exceptions:
    ///
    ///   - **A value over several lines**, as `jq .` and other
    ///     pretty-printers write it: when a line opens a `{` or `[` that
    ///     does not close on that line, the record is the value, from that
    ///     bracket to the one that closes it (found by the array scan's
    ///     rules); bytes after it on its last line start the next record.
    ///   - **Concatenated values.** When the payload starts with a value
    ///     over several lines, or with two values on its first line
    ///     (`{…}{…}`, `{…} {…}`, as Kinesis Firehose writes objects back to
    ///     back), every value is a record, bracket to bracket, also where
    ///     several share a line; bytes that do not start a value (a stray
    ///     `,` or `}`) are a record up to the end of their line, trailing
    ///     whitespace removed. (A payload whose first line is one value is
    ///     NDJSON: there, `{…}{…}` on a line is one record, which fails.)
    ///
    ///   **Damage stays in its record.** A value still open where a line
    ///   starts with `{` or `[` in its first column (the start of the next
    ///   value, as every NDJSON record and `jq .` value starts) is cut
    ///   there: its record ends at the end of the last non-blank line
    ///   before it (a truncated NDJSON line is that line) and fails as
    ///   truncated; the next record starts on that line. A line break
    ///   inside a string (never valid JSON; a line cut short in a string)
    ///   cuts the value at that line's end too. So a truncated value
    ///   never swallows the records after it; other lines (members
    ///   printed without indent, stray text after a value cut short
    ///   outside a string) stay in the open value. A
    ///   nested value whose `{` or `[` a printer put in the first column
    ///   cuts its parent (both fail, nothing is lost). A value still open
    ///   at the end of the payload runs to the end, trailing whitespace
    ///   removed.
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
    ///
    /// // `jq .` output: one record a value; a truncated value is cut
    /// // where the next one starts.
    /// let stream = b"{\n  \"a\": 1\n}\n{\n  \"b\": [\n{\n  \"c\": 3\n}\n";
    /// let recs: Vec<_> =
    ///     split(stream, Framing::Json).map(|r| r.bytes()).collect();
    /// assert_eq!(
    ///     recs,
    ///     [&b"{\n  \"a\": 1\n}"[..], b"{\n  \"b\": [", b"{\n  \"c\": 3\n}"],
    /// );
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
    /// A *frame start* is 1 to 20 ASCII digits, a space and `<`; or an
    /// empty frame `0 ` that is followed by such a start or by the end of
    /// the body (a frame with a count of zero: a record of its own, which
    /// fails to match, so it merges with no neighbour). Each frame is one
    /// record: `LEN SP MSG` from the first digit, without one trailing
    /// `\n` or `\r\n`, so a pattern still sees the length. Frames written
    /// back to back without line breaks are split where each count lands.
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
    /// The payload's longest valid UTF-8 prefix, when checked
    /// ([`Split::checking_text`]; else empty): records inside it carry
    /// their text.
    text: &'a str,
}

/// Where the splitter is; every `usize` is an index into the bytes at
/// hand (the payload, or a [`SplitReader`](crate::SplitReader)'s window).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Nothing more to emit.
    Done,
    /// At the start: a byte order mark may follow, then the framing.
    Start(Framing),
    /// [`Framing::Auto`] after the byte order mark: octet counting or
    /// lines, by the first non-blank bytes.
    AutoStart { body: usize },
    /// [`Framing::Json`] after the byte order mark: an array, or not.
    JsonStart { body: usize },
    /// Inside a JSON array: the next element starts at or after `pos`;
    /// `sep` is the last structural byte consumed (`[` or `,`).
    Array { pos: usize, sep: usize },
    /// A JSON array closed at `close`; only whitespace may follow.
    Closed { close: usize },
    /// Malformed JSON array: one last record from `start` to the end.
    Tail { start: usize },
    /// Text lines starting at `pos`.
    Lines { pos: usize },
    /// Octet-counted frames, the next one at or after `pos`.
    Octet { pos: usize },
    /// A JSON payload that is not an array (NDJSON, values over several
    /// lines, concatenated values), the next record at or after `pos`.
    /// `split`: whether values that close on their line are records of
    /// their own (decided by the first record); `mid`: `pos` is inside a
    /// line (after a value), not at its start.
    Json { pos: usize, split: Option<bool>, mid: bool },
}

impl State {
    /// The first index the state may still read or make a record of:
    /// the bytes before it are done with (`None` when done).
    pub(crate) fn hold(self) -> Option<usize> {
        match self {
            State::Done => None,
            State::Start(_) => Some(0),
            State::AutoStart { body } | State::JsonStart { body } => {
                Some(body)
            }
            State::Array { sep, .. } => Some(sep),
            State::Closed { close: at } | State::Tail { start: at } => {
                Some(at)
            }
            State::Lines { pos }
            | State::Octet { pos }
            | State::Json { pos, .. } => Some(pos),
        }
    }

    /// The state with every index moved `d` down (the bytes before
    /// [`hold`](State::hold) were dropped), or up when `up`.
    pub(crate) fn moved(self, d: usize, up: bool) -> State {
        let m = |i: usize| if up { i + d } else { i.saturating_sub(d) };
        match self {
            State::Done | State::Start(_) => self,
            State::AutoStart { body } => State::AutoStart { body: m(body) },
            State::JsonStart { body } => State::JsonStart { body: m(body) },
            State::Array { pos, sep } => {
                State::Array { pos: m(pos), sep: m(sep) }
            }
            State::Closed { close } => State::Closed { close: m(close) },
            State::Tail { start } => State::Tail { start: m(start) },
            State::Lines { pos } => State::Lines { pos: m(pos) },
            State::Octet { pos } => State::Octet { pos: m(pos) },
            State::Json { pos, split, mid } => {
                State::Json { pos: m(pos), split, mid }
            }
        }
    }
}

/// How far a step's scan got before the input ran out, so that the next
/// try of the same state resumes there. Meaningful only for the state it
/// came from; [`Progress::default`] starts afresh.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Progress {
    phase: Phase,
    /// Where to resume.
    at: usize,
    /// The start of the value or element being scanned.
    mark: usize,
    /// Where a JSON value closed ([`Phase::Rest`]).
    end: usize,
    /// Where the record starts (the line's start, or the value's).
    from: usize,
    /// The record is the whole line (NDJSON), not trimmed.
    whole: bool,
    depth: usize,
    in_str: bool,
}

/// What a [`Progress`] resumes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Phase {
    /// Nothing: start afresh.
    #[default]
    None,
    /// Skipping whitespace.
    Ws,
    /// Looking for the end of a line.
    Line,
    /// A value scan ([`scan_value`]).
    Value,
    /// An array element scan ([`scan_element`]).
    Element,
    /// The rest of the first JSON value's line, when it closes there.
    Rest,
    /// Looking for the next line that starts an octet-counted frame.
    FrameLine,
}

impl Progress {
    /// The progress with its indices moved `d` down.
    pub(crate) fn moved(self, d: usize) -> Progress {
        Progress {
            at: self.at.saturating_sub(d),
            mark: self.mark.saturating_sub(d),
            end: self.end.saturating_sub(d),
            from: self.from.saturating_sub(d),
            ..self
        }
    }
}

/// Marker: the answer depends on bytes past the end of the input at hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct More;

/// A record `start..end` in the bytes at hand.
pub(crate) type Span = (usize, usize);

/// What one step found: the next state and a record, or how far it got
/// before the input ran out (never when `EOF`).
pub(crate) type Step = Result<(State, Option<Span>), Progress>;

/// Splits `payload` into records according to `framing`.
///
/// See [`Framing`] for the rules and the module documentation for the
/// guarantees (no byte lost, increasing offsets, numbers from 1).
///
/// # Complexity
///
/// Linear in the payload length; nothing is allocated. NDJSON lines are
/// found with `memchr` when the next line starts with `{`; other JSON
/// records are found by a structural scan (the first value of a JSON
/// payload is scanned twice).
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
    Split {
        payload,
        state: State::Start(framing),
        emitted: 0,
        limit: usize::MAX,
        csv: None,
        text: "",
    }
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
        text: "",
    }
}

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

    /// Checks the payload's UTF-8 once, up to the limit, so that records
    /// carry their text and are not checked one by one (for text log
    /// types: about 75 instructions less an 80-byte record). A payload
    /// with invalid UTF-8 is checked up to its first error: the records
    /// before it carry their text, the others are checked alone.
    pub(crate) fn checking_text(mut self) -> Self {
        let p = self.payload;
        let upto = p.get(..self.limit).unwrap_or(p);
        self.text = match simdutf8::compat::from_utf8(upto) {
            Ok(text) => text,
            Err(e) => upto
                .get(..e.valid_up_to())
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
        };
        self
    }

    /// Moves to the next record and returns its span.
    fn advance(&mut self) -> Option<Span> {
        if let Some(csv) = &mut self.csv {
            return csv.advance(self.payload);
        }
        loop {
            let p = self.payload;
            let step =
                step_in_place::<true>(p, &mut self.state, Progress::default());
            // A step at the end of input always answers.
            let Ok(record) = step else {
                debug_assert!(false, "a step at the end of input wants more");
                self.state = State::Done;
                return None;
            };
            if record.is_some() || self.state == State::Done {
                return record;
            }
        }
    }
}

/// One move of the state machine on `p`: the next state and the record
/// found, if any, or (when more input may follow, `!EOF`) how far it got
/// when the answer turned on bytes past the end of `p`. Each move that
/// answers consumes input or ends, so repeated steps stop. `prog` is what
/// the last try of the same state on a shorter `p` handed back, or the
/// default.
pub(crate) fn step<const EOF: bool>(
    p: &[u8],
    state: State,
    prog: Progress,
) -> Step {
    match state {
        State::Done => Ok((State::Done, None)),
        State::Start(framing) => start_step::<EOF>(p, framing),
        State::AutoStart { body } => auto_step::<EOF>(p, body, prog),
        State::JsonStart { body } => json_start_step::<EOF>(p, body, prog),
        State::Array { pos, sep } => array_step::<EOF>(p, pos, sep, prog),
        State::Closed { close } => {
            let from = match prog.phase {
                Phase::Ws => prog.at.max(close + 1),
                _ => close + 1,
            };
            let after = skip_while(p, from, is_json_ws);
            if after < p.len() {
                Ok((State::Tail { start: close }, None))
            } else if EOF {
                Ok((State::Done, None))
            } else {
                Err(Progress {
                    phase: Phase::Ws,
                    at: after,
                    ..Progress::default()
                })
            }
        }
        State::Tail { start } if EOF => Ok((
            State::Done,
            Some((start, trim_end(p, start, p.len(), is_json_ws))),
        )),
        State::Tail { .. } => Err(Progress::default()),
        State::Lines { pos } => line_step::<EOF>(p, pos, prog),
        State::Octet { pos } => octet_step::<EOF>(p, pos, prog),
        State::Json { pos, split, mid } => {
            json_step::<EOF>(p, pos, split, mid, prog)
        }
    }
}

/// [`step`] on `state` in place, the hot paths first: a Heroku frame
/// ([`newline_frame`]) and an NDJSON line whose next line starts a record.
/// They update the state field by field: a whole new state returned
/// through memory was read back with wider loads than it was written
/// with (a store-forwarding stall). Measured splitting 64 MiB, ns a
/// record (before this reader-ready state machine; with it through
/// `step` alone; here, with [`newline_frame`] and [`strip_line_ending`]
/// inlined): Heroku frames 10, 18, 9; NDJSON lines 15, 24, 12.
#[inline(always)]
pub(crate) fn step_in_place<const EOF: bool>(
    p: &[u8],
    state: &mut State,
    prog: Progress,
) -> Result<Option<Span>, Progress> {
    if prog.phase == Phase::None {
        match state {
            State::Octet { pos } => {
                if let Some((end, rec_end)) = newline_frame::<EOF>(p, *pos) {
                    let start = std::mem::replace(pos, end);
                    return Ok(Some((start, rec_end)));
                }
            }
            State::Json { pos, split: Some(false), mid: false } => {
                if let Some((next, end)) = ndjson_line::<EOF>(p, *pos, *pos) {
                    let start = std::mem::replace(pos, next);
                    return Ok(Some((start, end)));
                }
            }
            _ => {}
        }
    }
    let (next, record) = step::<EOF>(p, *state, prog)?;
    *state = next;
    Ok(record)
}

/// The byte order mark, then the framing's first state.
fn start_step<const EOF: bool>(p: &[u8], framing: Framing) -> Step {
    if !EOF && p.len() < BOM.len() && BOM.starts_with(p) {
        return Err(Progress::default());
    }
    let body = if p.starts_with(BOM) { BOM.len() } else { 0 };
    let next = match framing {
        Framing::Json => State::JsonStart { body },
        Framing::Lines => State::Lines { pos: body },
        Framing::OctetCounted => State::Octet { pos: body },
        Framing::Auto => State::AutoStart { body },
    };
    Ok((next, None))
}

/// The start of the last line of `p[from..]`, if it has a line ending.
fn last_line_start(p: &[u8], from: usize) -> Option<usize> {
    memrchr(b'\n', p.get(from..).unwrap_or_default()).map(|k| from + k + 1)
}

/// While only whitespace has been seen from `body`: the lines before the
/// last are blank whatever the framing turns out to be, so the state
/// moves past them (holding only the last line), or waits for more.
/// `from..at` is what this try scanned (the bytes before had no line
/// ending, or the state would have moved past it).
fn blank_lines(
    p: &[u8],
    from: usize,
    at: usize,
    state: fn(usize) -> State,
) -> Step {
    match last_line_start(p, from) {
        Some(next) => Ok((state(next), None)),
        None => Err(Progress { phase: Phase::Ws, at, ..Progress::default() }),
    }
}

/// [`Framing::Auto`]: octet counting when the first non-blank bytes are a
/// frame start, else lines.
fn auto_step<const EOF: bool>(p: &[u8], body: usize, prog: Progress) -> Step {
    let from = match prog.phase {
        Phase::Ws => prog.at.max(body),
        _ => body,
    };
    let first = skip_while(p, from, is_text_ws);
    let lines = State::Lines { pos: body };
    if first >= p.len() {
        if EOF {
            return Ok((lines, None));
        }
        return blank_lines(p, from, first, |body| State::AutoStart { body });
    }
    match frame_start::<EOF>(p, first) {
        Ok(Some(_)) => Ok((State::Octet { pos: body }, None)),
        Ok(None) => Ok((lines, None)),
        Err(More) => Err(Progress {
            phase: Phase::Ws,
            at: first,
            ..Progress::default()
        }),
    }
}

/// [`Framing::Json`]: an array, or not.
fn json_start_step<const EOF: bool>(
    p: &[u8],
    body: usize,
    prog: Progress,
) -> Step {
    let from = match prog.phase {
        Phase::Ws => prog.at.max(body),
        _ => body,
    };
    let start = skip_while(p, from, is_json_ws);
    match p.get(start) {
        Some(b'[') => Ok((State::Array { pos: start + 1, sep: start }, None)),
        Some(_) => {
            Ok((State::Json { pos: body, split: None, mid: false }, None))
        }
        None if EOF => Ok((State::Done, None)),
        None => blank_lines(p, from, start, |body| State::JsonStart { body }),
    }
}

/// A JSON payload that is not an array: the next record at or after
/// `pos` (see [`Framing::Json`]).
fn json_step<const EOF: bool>(
    p: &[u8],
    pos: usize,
    split: Option<bool>,
    mid: bool,
    prog: Progress,
) -> Step {
    // A scan that ran out of input resumes where it stopped.
    match prog.phase {
        Phase::Value | Phase::Rest => {
            return json_value::<EOF>(
                p, prog.mark, split, prog.from, prog.whole, prog,
            );
        }
        Phase::Line => {
            let split = Some(split.unwrap_or(false));
            return json_line::<EOF>(
                p, prog.from, prog.whole, prog.mark, split, prog.at,
            );
        }
        _ => {}
    }
    let from = match prog.phase {
        Phase::Ws => prog.at.max(pos),
        _ => pos,
    };
    let s = skip_while(p, from, is_json_ws);
    if s >= p.len() {
        if EOF {
            return Ok((State::Done, None));
        }
        // Scanned `from..s` (no line ending before `from`, or the state
        // would have moved past it).
        return match last_line_start(p, from) {
            // Blank lines: done with.
            Some(next) => {
                Ok((State::Json { pos: next, split, mid: false }, None))
            }
            // Whitespace that no record will hold.
            _ if (mid || split == Some(true)) && s > pos => {
                Ok((State::Json { pos: s, split, mid }, None))
            }
            _ => Err(Progress {
                phase: Phase::Ws,
                at: s,
                ..Progress::default()
            }),
        };
    }
    let (line, at_line) =
        match memrchr(b'\n', p.get(pos..s).unwrap_or_default()) {
            Some(k) => (pos + k + 1, true),
            None => (pos, !mid),
        };
    // NDJSON keeps a line whole; other records are trimmed.
    let whole = at_line && split != Some(true);
    let from = if whole { line } else { s };
    if !matches!(p.get(s), Some(b'{' | b'[')) {
        return json_line::<EOF>(
            p,
            from,
            whole,
            s,
            Some(split.unwrap_or(false)),
            s,
        );
    }
    if split == Some(false)
        && whole
        && let Some((next, end)) = ndjson_line::<EOF>(p, line, s)
    {
        return Ok((
            State::Json { pos: next, split, mid: false },
            Some((line, end)),
        ));
    }
    json_value::<EOF>(p, s, split, from, whole, Progress::default())
}

/// NDJSON's fast path for the line from `line` whose value starts at `s`
/// (`{` or `[`): when the next line starts with a byte that cuts a value
/// (`{`, as NDJSON has it), or there is none, the line is a record
/// whatever it holds, as the value scan would find (the value closes on
/// the line, or the next line cuts it). Returns where the next line
/// starts and where the record ends; `None` to take the value scan.
#[inline]
fn ndjson_line<const EOF: bool>(
    p: &[u8],
    line: usize,
    s: usize,
) -> Option<(usize, usize)> {
    if !matches!(p.get(s), Some(b'{' | b'[')) {
        return None;
    }
    match memchr(b'\n', p.get(s..).unwrap_or_default()).map(|k| s + k) {
        Some(nl)
            if p.get(nl + 1).is_some_and(|&c| cuts(c))
                || (EOF && nl + 1 == p.len()) =>
        {
            Some((nl + 1, strip_line_ending(p, line, nl + 1)))
        }
        None if EOF => Some((p.len(), p.len())),
        _ => None,
    }
}

/// The record of the value at `s` (`{` or `[`): the value if it spans
/// lines or `split` says so, else its whole line (NDJSON). `from` is
/// where a line record starts, `whole` whether it is the whole line.
fn json_value<const EOF: bool>(
    p: &[u8],
    s: usize,
    split: Option<bool>,
    from: usize,
    whole: bool,
    prog: Progress,
) -> Step {
    let resume = |mut pr: Progress| {
        pr.from = from;
        pr.whole = whole;
        pr
    };
    let newline_in = |a: usize, b: usize| {
        memchr(b'\n', p.get(a..b).unwrap_or_default()).map(|k| a + k)
    };
    // A first record over several lines: a stream of values.
    let decided = Some(split.unwrap_or(true));
    let scanned = match prog.phase {
        Phase::Rest => ValueEnd::Closed(prog.end),
        _ => scan_value::<EOF>(p, s, prog).map_err(resume)?,
    };
    let trimmed = |end| Some((s, trim_end(p, s, end, is_json_ws)));
    match scanned {
        ValueEnd::Closed(e)
            if prog.phase == Phase::Rest || newline_in(s, e).is_none() =>
        {
            let split = match split {
                Some(split) => split,
                // The first record: another value after it on its line
                // makes every value a record of its own.
                None => {
                    let at = match prog.phase {
                        Phase::Rest => prog.at.max(e),
                        _ => e,
                    };
                    let j = skip_while(p, at, |b| {
                        matches!(b, b' ' | b'\t' | b'\r')
                    });
                    match p.get(j) {
                        Some(b'{' | b'[') => true,
                        Some(_) => false,
                        None if EOF => false,
                        None => {
                            return Err(resume(Progress {
                                phase: Phase::Rest,
                                at: j,
                                mark: s,
                                end: e,
                                ..Progress::default()
                            }));
                        }
                    }
                }
            };
            if split {
                Ok((
                    State::Json { pos: e, split: Some(true), mid: true },
                    Some((s, e)),
                ))
            } else {
                json_line::<EOF>(p, from, whole, s, Some(false), e)
            }
        }
        // Over several lines.
        ValueEnd::Closed(e) => Ok((
            State::Json { pos: e, split: decided, mid: true },
            Some((s, e)),
        )),
        ValueEnd::Cut(next) => {
            // Cut after its own line (and blank lines): a truncated line.
            let own = newline_in(s, next)
                .is_some_and(|nl| trim_end(p, s, next, is_json_ws) <= nl);
            let record = if own && whole {
                let nl = newline_in(s, next).unwrap_or(next);
                Some((from, strip_line_ending(p, from, nl + 1)))
            } else {
                trimmed(next)
            };
            let split =
                if own { Some(split.unwrap_or(false)) } else { decided };
            Ok((State::Json { pos: next, split, mid: false }, record))
        }
        ValueEnd::Eof => {
            // All on its first line (blank lines after): that line.
            let record = match newline_in(s, p.len()) {
                None if whole => Some((from, p.len())),
                Some(nl)
                    if whole && trim_end(p, s, p.len(), is_json_ws) <= nl =>
                {
                    Some((from, strip_line_ending(p, from, nl + 1)))
                }
                _ => trimmed(p.len()),
            };
            Ok((
                State::Json { pos: p.len(), split: decided, mid: true },
                record,
            ))
        }
    }
}

/// A record from `from` (its first byte that is not whitespace at `s`)
/// to the end of its line, looked for from `at`: the whole line without
/// its line ending when `whole` (NDJSON), else trailing whitespace
/// removed.
fn json_line<const EOF: bool>(
    p: &[u8],
    from: usize,
    whole: bool,
    s: usize,
    split: Option<bool>,
    at: usize,
) -> Step {
    let end = |to: usize, nl: bool| {
        if !whole {
            trim_end(p, s, to, is_json_ws)
        } else if nl {
            strip_line_ending(p, from, to + 1)
        } else {
            to
        }
    };
    match memchr(b'\n', p.get(at..).unwrap_or_default()).map(|k| at + k) {
        Some(nl) => Ok((
            State::Json { pos: nl + 1, split, mid: false },
            Some((from, end(nl, true))),
        )),
        None if EOF => Ok((
            State::Json { pos: p.len(), split, mid: false },
            Some((from, end(p.len(), false))),
        )),
        None => Err(Progress {
            phase: Phase::Line,
            at: p.len(),
            mark: s,
            from,
            whole,
            ..Progress::default()
        }),
    }
}

/// Whether a line starting with `c` cuts a value still open before it:
/// a line that starts a value (`{` or `[` in its first column), as every
/// NDJSON record and every `jq .` value does. Any other line continues
/// the open value, so a value printed without indenting its members
/// (Panther's own test inputs have them) stays one record.
#[inline]
pub(crate) fn cuts(c: u8) -> bool {
    matches!(c, b'{' | b'[')
}

/// How a value scan ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValueEnd {
    /// At the bracket that closes the value; the index after it.
    Closed(usize),
    /// Cut by a line that [cuts](cuts) it: the index of its first byte.
    Cut(usize),
    /// At the end of input, still open.
    Eof,
}

/// Scans the value opening at `start` (`{` or `[`): strings skipped (a
/// backslash escapes the next byte, unless that is a newline), `[]{}`
/// nesting counted, any depth, no recursion; a line that does not start
/// with whitespace or a closing bracket cuts the value, in a string or
/// not (see [`Framing::Json`]).
///
/// Hot path for streams of values: strings are skipped with `memchr3`.
fn scan_value<const EOF: bool>(
    p: &[u8],
    start: usize,
    prog: Progress,
) -> Result<ValueEnd, Progress> {
    let (mut i, mut depth, mut in_str) = match prog.phase {
        Phase::Value => (prog.at, prog.depth, prog.in_str),
        _ => (start, 0, false),
    };
    let out = |at: usize, depth: usize, in_str: bool| {
        if EOF {
            Ok(ValueEnd::Eof)
        } else {
            Err(Progress {
                phase: Phase::Value,
                at,
                mark: start,
                depth,
                in_str,
                ..Progress::default()
            })
        }
    };
    loop {
        if in_str {
            let rest = p.get(i..).unwrap_or_default();
            let Some(k) = memchr3(b'"', b'\\', b'\n', rest) else {
                return out(p.len(), depth, true);
            };
            let j = i + k;
            match (rest.get(k), p.get(j + 1)) {
                (Some(b'"'), _) => {
                    in_str = false;
                    i = j + 1;
                }
                (Some(b'\\'), None) => return out(j, depth, true),
                (Some(b'\\'), Some(b'\n')) => i = j + 1,
                (Some(b'\\'), Some(_)) => i = j + 2,
                // A line break inside a string is never JSON: the value is
                // damaged, and ends with its line.
                (_, None) => return out(j, depth, true),
                (_, Some(_)) => return Ok(ValueEnd::Cut(j + 1)),
            }
            continue;
        }
        let Some(&b) = p.get(i) else { return out(i, depth, false) };
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(ValueEnd::Closed(i + 1));
                }
            }
            b'\n' => match p.get(i + 1) {
                Some(&c) if cuts(c) => return Ok(ValueEnd::Cut(i + 1)),
                None => return out(i, depth, false),
                Some(_) => {}
            },
            _ => {}
        }
        i += 1;
    }
}

/// Inside a JSON array: the next element at or after `pos`; `sep` is the
/// last structural byte consumed.
fn array_step<const EOF: bool>(
    p: &[u8],
    pos: usize,
    sep: usize,
    prog: Progress,
) -> Step {
    let start = match prog.phase {
        Phase::Element => prog.mark,
        Phase::Ws => skip_while(p, prog.at.max(pos), is_json_ws),
        _ => skip_while(p, pos, is_json_ws),
    };
    let malformed = Ok((State::Tail { start: sep }, None));
    match p.get(start) {
        None if !EOF => Err(Progress {
            phase: Phase::Ws,
            at: start,
            ..Progress::default()
        }),
        // Unterminated, or an empty element.
        None | Some(b',') => malformed,
        // Trailing comma.
        Some(b']') if p.get(sep) == Some(&b',') => malformed,
        Some(b']') => Ok((State::Closed { close: start }, None)),
        Some(_) => {
            let Some(stop) = scan_element::<EOF>(p, start, prog)? else {
                return malformed;
            };
            let next = if p.get(stop) == Some(&b',') {
                State::Array { pos: stop + 1, sep: stop }
            } else {
                State::Closed { close: stop }
            };
            Ok((next, Some((start, trim_end(p, start, stop, is_json_ws)))))
        }
    }
}

/// The text line starting at `pos`, unless blank.
fn line_step<const EOF: bool>(p: &[u8], pos: usize, prog: Progress) -> Step {
    let from = match prog.phase {
        Phase::Line => prog.at.max(pos),
        _ => pos,
    };
    let (end, next) = match memchr(b'\n', p.get(from..).unwrap_or_default()) {
        Some(k) => (strip_line_ending(p, pos, from + k + 1), from + k + 1),
        None if !EOF => {
            return Err(Progress {
                phase: Phase::Line,
                at: p.len(),
                ..Progress::default()
            });
        }
        None if pos >= p.len() => return Ok((State::Done, None)),
        None => (p.len(), p.len()),
    };
    let line = p.get(pos..end).unwrap_or_default();
    let blank = line.iter().all(|&b| is_text_ws(b));
    Ok((State::Lines { pos: next }, (!blank).then_some((pos, end))))
}

/// The octet-counted frame at or after `pos`.
#[inline]
fn octet_step<const EOF: bool>(p: &[u8], pos: usize, prog: Progress) -> Step {
    if prog.phase == Phase::None
        && let Some((end, rec_end)) = newline_frame::<EOF>(p, pos)
    {
        return Ok((State::Octet { pos: end }, Some((pos, rec_end))));
    }
    octet_step_general::<EOF>(p, pos, prog)
}

/// The usual frame, as Heroku's drains send them: at `start` itself, a
/// count of one to four digits, ` <`, and a message whose count includes
/// the newline ending it, followed by the end of the payload or the next
/// frame's start. Returns where the next frame starts and where the
/// record ends (without its line ending). `None` when the frame is not of
/// this kind, or when that depends on bytes past the end of `p`.
///
/// Hand-optimized (hot path, once a line): [`octet_step_general`] gives
/// the same answer for these frames, but it reads the count's digits
/// twice and checks the end against every kind of boundary; this reads
/// each byte once (about a third of the instructions of a split Heroku
/// line). A proptest holds the two to the same answers.
#[inline(always)]
fn newline_frame<const EOF: bool>(
    p: &[u8],
    start: usize,
) -> Option<(usize, usize)> {
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
    if p.get(end - 1) != Some(&b'\n') {
        return None;
    }
    let boundary = if end == p.len() {
        EOF
    } else {
        matches!(frame_start::<EOF>(p, end), Ok(Some(_)))
    };
    boundary.then(|| (end, strip_line_ending(p, start, end)))
}

/// The octet-counted frame at or after `pos`, any shape.
fn octet_step_general<const EOF: bool>(
    p: &[u8],
    pos: usize,
    prog: Progress,
) -> Step {
    let start = skip_while(p, pos, is_text_ws);
    if !EOF && start > pos {
        // Whitespace between frames: drop it, hold nothing.
        return Ok((State::Octet { pos: start }, None));
    }
    if start >= p.len() {
        return if EOF {
            Ok((State::Done, None))
        } else {
            Err(Progress::default())
        };
    }
    // Once the count is found wrong, the answer is the next frame line.
    if prog.phase != Phase::FrameLine {
        match trusted_frame_end::<EOF>(p, start) {
            Err(More) => return Err(Progress::default()),
            Ok(Some(end)) => {
                let mut rec_end = strip_line_ending(p, start, end);
                // A count that splits `\r\n`: drop the `\r` too.
                if rec_end == end
                    && p.get(end) == Some(&b'\n')
                    && p.get(end - 1) == Some(&b'\r')
                {
                    rec_end -= 1;
                }
                return Ok((
                    State::Octet { pos: end },
                    Some((start, rec_end)),
                ));
            }
            Ok(None) => {}
        }
    }
    let end = next_frame_line::<EOF>(p, start, prog)?;
    Ok((
        State::Octet { pos: end },
        Some((start, last_line_end(p, start, end))),
    ))
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
            let cut = Cut::PastPayload { limit: self.limit };
            return Some(Record::new(rest, self.emitted, start).with_cut(cut));
        }
        // Always in range by construction; `get` keeps a bug from
        // becoming a panic on input.
        let bytes = self.payload.get(start..end)?;
        self.emitted += 1;
        let mut record = Record::new(bytes, self.emitted, start);
        if let Some(csv) = &self.csv {
            record.header = csv.header(self.payload);
        }
        record.text = self.text.get(start..end);
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
pub(crate) fn is_json_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whitespace for text records: JSON whitespace plus `\x0b` and `\x0c`.
#[inline]
pub(crate) fn is_text_ws(b: u8) -> bool {
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
/// `"`); returns the index after the closing `"`, or, if the input ends
/// first, where to resume once more arrives. A backslash escapes the
/// next byte.
///
/// Hot path: strings hold most of a JSON payload's bytes, so they are
/// skipped with `memchr2` instead of byte by byte.
#[inline]
fn skip_string(p: &[u8], mut i: usize) -> Result<usize, usize> {
    loop {
        let rest = p.get(i..).unwrap_or_default();
        let Some(k) = memchr2(b'"', b'\\', rest) else { return Err(p.len()) };
        if rest.get(k) == Some(&b'"') {
            return Ok(i + k + 1);
        }
        if i + k + 1 >= p.len() {
            return Err(i + k);
        }
        i += k + 2;
    }
}

/// Scans one array element starting at `start` and returns the index of
/// the `,` or `]` that ends it (outside strings and brackets), or `None`
/// if the payload ends first.
///
/// Hot path for JSON arrays: a flat loop over structural bytes, strings
/// skipped by [`skip_string`], nesting counted (never recursion), so any
/// depth is fine. Mismatched brackets are not an error here: the element's
/// record fails parsing later.
fn scan_element<const EOF: bool>(
    p: &[u8],
    start: usize,
    prog: Progress,
) -> Result<Option<usize>, Progress> {
    let (mut i, mut depth, mut in_str) = match prog.phase {
        Phase::Element => (prog.at, prog.depth, prog.in_str),
        _ => (start, 0, false),
    };
    let out = |at: usize, depth: usize, in_str: bool| {
        if EOF {
            Ok(None)
        } else {
            Err(Progress {
                phase: Phase::Element,
                at,
                mark: start,
                depth,
                in_str,
                ..Progress::default()
            })
        }
    };
    loop {
        if in_str {
            match skip_string(p, i) {
                Ok(after) => {
                    in_str = false;
                    i = after;
                }
                Err(resume) => return out(resume, depth, true),
            }
            continue;
        }
        let Some(&b) = p.get(i) else { return out(i, depth, false) };
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => depth += 1,
            b']' | b',' if depth == 0 => return Ok(Some(i)),
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
}

/// If an octet-counted frame starts at `i` (1 to [`MAX_LEN_DIGITS`]
/// digits, a space, `<`; or `0 `, an empty frame, when a frame of a
/// message or the end of the body follows it), returns the number of
/// digits; [`More`] when the input ends before that is known.
#[inline]
fn frame_start<const EOF: bool>(
    p: &[u8],
    i: usize,
) -> Result<Option<usize>, More> {
    let found = message_frame_start::<EOF>(p, i)?;
    if found.is_some() || p.get(i..i + 2) != Some(b"0 ") {
        return Ok(found);
    }
    // `0 `: a frame with nothing in it, so a sender's empty frame is one
    // record of its own and merges with no neighbour. What follows must
    // start a frame of a message (not another `0 `: no chains, so the
    // check stays O(1)) or end the body.
    let next = i + 2;
    if next == p.len() {
        return if EOF { Ok(Some(1)) } else { Err(More) };
    }
    Ok(message_frame_start::<EOF>(p, next)?.map(|_| 1))
}

/// [`frame_start`] for a frame that holds a message: `DIGITS SP <`.
#[inline]
fn message_frame_start<const EOF: bool>(
    p: &[u8],
    i: usize,
) -> Result<Option<usize>, More> {
    let rest = p.get(i..).unwrap_or_default();
    let digits = rest
        .iter()
        .take(MAX_LEN_DIGITS + 1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits > MAX_LEN_DIGITS {
        return Ok(None);
    }
    match rest.get(digits..digits + 2) {
        Some([b' ', b'<']) if digits > 0 => Ok(Some(digits)),
        Some(_) => Ok(None),
        None => {
            let tail = rest.get(digits..).unwrap_or_default();
            let open =
                b" <".starts_with(tail) && (digits > 0 || tail.is_empty());
            if !EOF && open { Err(More) } else { Ok(None) }
        }
    }
}

/// The end of the frame starting at `start` as its `LEN` says, if `LEN`
/// has at most [`MAX_TRUSTED_DIGITS`] digits and the end is in the body.
fn counted_end<const EOF: bool>(
    p: &[u8],
    start: usize,
) -> Result<Option<usize>, More> {
    let Some(digits) = frame_start::<EOF>(p, start)? else { return Ok(None) };
    if digits > MAX_TRUSTED_DIGITS {
        return Ok(None);
    }
    // At most 9 digits: below 10^9, fits any `usize` of 32 bits or more.
    let count = p
        .get(start..start + digits)
        .unwrap_or_default()
        .iter()
        .fold(0usize, |n, &d| n * 10 + usize::from(d.wrapping_sub(b'0')));
    let Some(end) = (start + digits + 1).checked_add(count) else {
        return Ok(None);
    };
    if end <= p.len() {
        Ok(Some(end))
    } else if EOF {
        Ok(None)
    } else {
        Err(More)
    }
}

/// If a frame may end at `i` (the end of the body or a frame start,
/// possibly after one line ending), returns where the next frame starts
/// (the body length at the end).
fn boundary<const EOF: bool>(
    p: &[u8],
    i: usize,
) -> Result<Option<usize>, More> {
    let Some(rest) = p.get(i..) else { return Ok(None) };
    let after = match rest {
        [] if EOF => return Ok(Some(i)),
        [] | [b'\r'] if !EOF => return Err(More),
        [b'\n', ..] => i + 1,
        [b'\r', b'\n', ..] => i + 2,
        _ => return Ok(frame_start::<EOF>(p, i)?.map(|_| i)),
    };
    if after == p.len() {
        return if EOF { Ok(Some(after)) } else { Err(More) };
    }
    Ok(frame_start::<EOF>(p, after)?.map(|_| after))
}

/// The end of the frame starting at `start` if its count is trusted (see
/// [`Framing::OctetCounted`]).
fn trusted_frame_end<const EOF: bool>(
    p: &[u8],
    start: usize,
) -> Result<Option<usize>, More> {
    let Some(end) = counted_end::<EOF>(p, start)? else { return Ok(None) };
    let Some(next) = boundary::<EOF>(p, end)? else { return Ok(None) };
    // A count one or two too long lands inside the next frame's `LEN`
    // (`84 <…up\n119 <40>…` lands on `19 <40>`), which also looks like a
    // frame start. Right after a digit, trust it only if that frame's own
    // count lands on a boundary too (a message ending in a digit, without
    // newlines between frames, passes; a miscount almost never does).
    if next == end
        && end < p.len()
        && p.get(end - 1).is_some_and(u8::is_ascii_digit)
    {
        let Some(then) = counted_end::<EOF>(p, end)? else { return Ok(None) };
        if boundary::<EOF>(p, then)?.is_none() {
            return Ok(None);
        }
    }
    Ok(Some(end))
}

/// The start of the first line after `start` that begins with a frame
/// start, or the payload length.
fn next_frame_line<const EOF: bool>(
    p: &[u8],
    start: usize,
    prog: Progress,
) -> Result<usize, Progress> {
    let mut from = match prog.phase {
        Phase::FrameLine => prog.at.max(start),
        _ => start,
    };
    let more =
        |at| Progress { phase: Phase::FrameLine, at, ..Progress::default() };
    loop {
        let rest = p.get(from..).unwrap_or_default();
        let Some(k) = memchr(b'\n', rest) else {
            return if EOF { Ok(p.len()) } else { Err(more(p.len())) };
        };
        match frame_start::<EOF>(p, from + k + 1) {
            Ok(Some(_)) => return Ok(from + k + 1),
            Ok(None) => from += k + 1,
            // Resume at this line ending.
            Err(More) => return Err(more(from + k)),
        }
    }
}

/// `end` without one trailing `\n` or `\r\n`.
#[inline(always)]
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

    /// A checked split hands out each record's text up to the payload's
    /// first invalid UTF-8 byte (and only up to the limit); later records
    /// carry none and are checked alone.
    #[test]
    fn checked_splits_carry_the_text_before_the_first_bad_byte() {
        let p = &[b"a\nb\xc3\xa9\nc".as_slice(), b"\xff\nd\n"].concat();
        fn texts(s: Split<'_>) -> Vec<Option<String>> {
            s.map(|r| r.text().map(str::to_owned)).collect()
        }
        let t = |v: &[Option<&str>]| {
            v.iter().map(|t| t.map(str::to_owned)).collect::<Vec<_>>()
        };
        let lines = split(p, Framing::Lines);
        assert_eq!(
            texts(lines.clone().checking_text()),
            t(&[Some("a"), Some("bé"), None, None])
        );
        assert_eq!(texts(lines.clone()), t(&[None; 4]));
        let limited = lines.with_limit(2).checking_text();
        assert_eq!(texts(limited), t(&[Some("a"), None]));
        let csv = split_csv(b"h\nx\ny", b',', true).checking_text();
        assert_eq!(texts(csv), t(&[Some("x"), Some("y")]));
    }

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
        // One line: NDJSON, so the line keeps its whitespace.
        assert_eq!(json(" \r\n\t{\"a\":1} \n\n"), v(&[(3, "\t{\"a\":1} ")]));
        // Over several lines: a stream of one value, trimmed.
        assert_eq!(json(" \n{\n \"a\":1}\n\n"), v(&[(2, "{\n \"a\":1}")]));
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
        // A pretty object followed by more: a stream of values.
        assert_eq!(json("{\n}\n{}"), v(&[(0, "{\n}"), (4, "{}")]));
    }

    #[test]
    fn json_stream_of_values() {
        // `jq .` output: one record a value, whatever its lines.
        let p = "{\n  \"a\": 1\n}\n{\n  \"b\": [\n    2\n  ]\n}\n";
        assert_eq!(
            json(p),
            v(&[
                (0, "{\n  \"a\": 1\n}"),
                (13, "{\n  \"b\": [\n    2\n  ]\n}")
            ])
        );
        // Concatenated on one line, with or without whitespace; arrays
        // are values too.
        assert_eq!(
            json("{\"a\":1}{\"b\":2} {\"c\":3}\t[4]\n{}"),
            v(&[
                (0, "{\"a\":1}"),
                (7, "{\"b\":2}"),
                (15, "{\"c\":3}"),
                (23, "[4]"),
                (27, "{}"),
            ])
        );
        // Then pretty, then compact lines: still a stream.
        assert_eq!(
            json("{}{\n}\n{\"a\":1}\n{\"b\":\n 2}"),
            v(&[
                (0, "{}"),
                (2, "{\n}"),
                (6, "{\"a\":1}"),
                (14, "{\"b\":\n 2}")
            ])
        );
        // Strings with brackets, escaped quotes and `\n{` escaped.
        let p = "{\n \"a\": \"}{[\\\"\\n{\"\n}{\"b\":\"\\\\\"}";
        assert_eq!(
            json(p),
            v(&[
                (0, "{\n \"a\": \"}{[\\\"\\n{\"\n}"),
                (20, "{\"b\":\"\\\\\"}")
            ])
        );
    }

    #[test]
    fn json_stream_damage_stays_in_its_record() {
        // A truncated value is cut where a line starts with `{`.
        let p = "{\n  \"a\": [1,\n\n{\n  \"b\": 2\n}\n";
        assert_eq!(
            json(p),
            v(&[(0, "{\n  \"a\": [1,"), (14, "{\n  \"b\": 2\n}")])
        );
        // Also inside a string, and after an escaping backslash.
        let p = "{\n \"a\": \"x\n{\n \"b\": \"y\\\n{\"c\":3}";
        assert_eq!(
            json(p),
            v(&[
                (0, "{\n \"a\": \"x"),
                (11, "{\n \"b\": \"y\\"),
                (23, "{\"c\":3}")
            ])
        );
        // Bytes that start no value: a record to the end of their line.
        let p = "{\n}, x \n} {\n\"a\":1}]\n{}";
        assert_eq!(
            json(p),
            v(&[
                (0, "{\n}"),
                (3, ", x"),
                (8, "} {"),
                (12, "\"a\":1}]"),
                (20, "{}"),
            ])
        );
        // Unclosed at the end: to the end, trailing whitespace removed.
        assert_eq!(
            json("{\n}\n{\"a\":\n [1, \n\n"),
            v(&[(0, "{\n}"), (4, "{\"a\":\n [1,")])
        );
        // A first value of a lone `{` line cut by the next: a stream.
        assert_eq!(
            json("{\n{\n \"b\": 2\n}\n"),
            v(&[(0, "{"), (2, "{\n \"b\": 2\n}")])
        );
        // A line break in a string cuts the value at its line's end; a
        // value cut short outside a string keeps a following line that
        // starts no value, and fails with it.
        assert_eq!(
            json("{\"a\":\"x\\\\\n\"text\"\n{}"),
            v(&[(0, "{\"a\":\"x\\\\"), (10, "\"text\""), (17, "{}")])
        );
        assert_eq!(
            json("{\"a\":1,\n\"text\"\n{}"),
            v(&[(0, "{\"a\":1,\n\"text\""), (15, "{}")])
        );
        // Members printed without indent stay in their value (Panther's
        // own test inputs are printed so) ...
        assert_eq!(
            json("{\n\"a\": [1,\n2],\n\"b\": 1\n}\n{}"),
            v(&[(0, "{\n\"a\": [1,\n2],\n\"b\": 1\n}"), (24, "{}")])
        );
        // ... but a nested value opened in the first column cuts its
        // parent (they fail, nothing is lost).
        assert_eq!(
            json("{\n\"a\": [\n{\n\"b\": 1\n}\n]\n}"),
            v(&[
                (0, "{\n\"a\": ["),
                (9, "{\n\"b\": 1\n}"),
                (20, "]"),
                (22, "}"),
            ])
        );
    }

    #[test]
    fn json_ndjson_or_stream_by_the_first_value() {
        // The first line is a value and nothing else: NDJSON, so a later
        // line `{…}{…}` or `{…} x` is one record (that fails).
        assert_eq!(
            json("{\"a\":1} \n{\"b\":2}{\"c\":3}\n {\"d\":4} x"),
            v(&[
                (0, "{\"a\":1} "),
                (9, "{\"b\":2}{\"c\":3}"),
                (24, " {\"d\":4} x")
            ])
        );
        // Garbage after the first value on its line: NDJSON too.
        assert_eq!(
            json("{\"a\":1} x\n{\"b\":2}{\"c\":3}"),
            v(&[(0, "{\"a\":1} x"), (10, "{\"b\":2}{\"c\":3}")])
        );
        // A truncated first line: NDJSON, each line alone.
        assert_eq!(
            json("{\"a\":[\n{\"b\":2}\n  {\"c\":3}\n"),
            v(&[(0, "{\"a\":["), (7, "{\"b\":2}"), (15, "  {\"c\":3}")])
        );
        // Unclosed and alone: NDJSON on one line, a stream over several.
        assert_eq!(json("{\"a\":[ "), v(&[(0, "{\"a\":[ ")]));
        assert_eq!(json("{\"a\":[\n 1 "), v(&[(0, "{\"a\":[\n 1")]));
        // Another value after the first on its line: a stream.
        assert_eq!(
            json("{\"a\":1} [2]\n{\"b\":2}{\"c\":3}"),
            v(&[
                (0, "{\"a\":1}"),
                (8, "[2]"),
                (12, "{\"b\":2}"),
                (19, "{\"c\":3}")
            ])
        );
    }

    #[test]
    fn json_values_over_several_lines_in_ndjson() {
        // NDJSON (the first line is one value): a value over several
        // lines is still one record, whatever comes before it (jq prints
        // an empty object `{}` on one line).
        let p = "{}\n{\n  \"a\": 1\n}\n{\"b\":2} x\n[\n 3\n]\n{}{}\n";
        assert_eq!(
            json(p),
            v(&[
                (0, "{}"),
                (3, "{\n  \"a\": 1\n}"),
                (16, "{\"b\":2} x"),
                (26, "[\n 3\n]"),
                (33, "{}{}"),
            ])
        );
        // Kinesis Firehose: objects back to back, no newlines.
        assert_eq!(
            json("{\"a\":1}{\"b\":2}{\"c\":3}"),
            v(&[(0, "{\"a\":1}"), (7, "{\"b\":2}"), (14, "{\"c\":3}")])
        );
        // After a pretty first value, values are records everywhere.
        assert_eq!(
            json("{\n}\n{}{} x\n"),
            v(&[(0, "{\n}"), (4, "{}"), (6, "{}"), (9, "x")])
        );
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
            "Split { payload_len: 2, state: Start(Json), emitted: 0, \
             limit: 18446744073709551615 }"
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
        let past = Cut::PastPayload { limit: 8 };
        assert_eq!((all[0].bytes(), all[0].cut), (&p[..7], Cut::Whole));
        assert_eq!((all[1].number(), all[1].offset()), (2, 8));
        assert_eq!((all[1].bytes(), all[1].cut), (&p[8..], past));
        assert_eq!(
            all[1].limit_error().map(|e| format!("{e:?}")),
            Some(
                "FieldError(FieldErrorInner { kind: Limit, expected: \
                 \"a payload of at most 8 bytes\", found: \"16 more bytes \
                 from byte 8 on (not split)\", rev_path: [] })"
                    .to_owned()
            )
        );
        assert!(all[0].limit_error().is_none());
        // A record that starts before the limit is whole, even if it ends
        // past it.
        let all: Vec<_> = split(p, Framing::Json).with_limit(9).collect();
        assert_eq!(all.len(), 3);
        assert!(all[1].cut == Cut::Whole && all[2].cut != Cut::Whole);
        assert_eq!(all[2].bytes(), &p[16..]);
        // Arrays and octet-counted frames stop the same way.
        let a = b"[1, 2, 3]";
        let all: Vec<_> = split(a, Framing::Json).with_limit(4).collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].bytes(), &a[4..]);
        assert_eq!(all[1].cut, Cut::PastPayload { limit: 4 });
        let o = b"8 <1>1 abc8 <1>1 def8 <1>1 ghi";
        let all: Vec<_> =
            split(o, Framing::OctetCounted).with_limit(5).collect();
        assert_eq!(all.len(), 2);
        assert_eq!((all[1].offset(), all[1].bytes()), (10, &o[10..]));
        assert_eq!(all[1].cut, Cut::PastPayload { limit: 5 });
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

            /// Concatenated values (the first pretty-printed, the others
            /// pretty or compact), separated by any whitespace or none:
            /// one record a value, exactly its text.
            #[test]
            fn stream_round_trip(
                objs in prop::collection::vec((arb_object(), any::<bool>()), 1..6),
                seps in prop::collection::vec("[ \t\r\n]{0,3}", 6),
                lead in "[ \t\r\n]{0,3}",
            ) {
                let mut payload = lead.clone();
                let mut want = Vec::new();
                for (i, (obj, pretty)) in objs.iter().enumerate() {
                    let mut obj = obj.clone();
                    if i == 0 {
                        // Pretty over several lines: a stream, not NDJSON.
                        obj.as_object_mut().unwrap().insert("k".into(), Value::Null);
                    }
                    let text = if i == 0 || *pretty {
                        serde_json::to_string_pretty(&obj).unwrap()
                    } else {
                        obj.to_string()
                    };
                    want.push((payload.len(), text.clone()));
                    payload.push_str(&text);
                    payload.push_str(&seps[i]);
                }
                let got: Vec<(usize, String)> = split(payload.as_bytes(), Framing::Json)
                    .map(|r| (r.offset(), String::from_utf8(r.bytes().to_vec()).unwrap()))
                    .collect();
                prop_assert_eq!(got, want);
            }

            /// A value cut short in a pretty stream is one record; the
            /// values before and after it are whole.
            #[test]
            fn stream_damage_stays_in_its_record(
                objs in prop::collection::vec(arb_object(), 2..6),
                damaged in any::<prop::sample::Index>(),
                cut in any::<prop::sample::Index>(),
            ) {
                let texts: Vec<String> = objs
                    .iter()
                    .map(|o| serde_json::to_string_pretty(o).unwrap())
                    .collect();
                let k = damaged.index(texts.len());
                let mut payload = String::new();
                let mut want = Vec::new();
                for (i, text) in texts.iter().enumerate() {
                    let mut text = text.as_str();
                    if i == k {
                        // Cut inside, at a character boundary.
                        let mut at = 1 + cut.index(text.len() - 1);
                        while !text.is_char_boundary(at) {
                            at -= 1;
                        }
                        text = text[..at].trim_end();
                    }
                    want.push((payload.len(), text.to_owned()));
                    payload.push_str(text);
                    payload.push('\n');
                }
                let got: Vec<(usize, String)> = split(payload.as_bytes(), Framing::Json)
                    .map(|r| (r.offset(), String::from_utf8(r.bytes().to_vec()).unwrap()))
                    .collect();
                // An empty first object is `{}`, one line: NDJSON, which
                // gives the same records here.
                prop_assert_eq!(got, want);
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
                    if let Some((end, rec_end)) = newline_frame::<true>(p, pos) {
                        prop_assert_eq!(
                            octet_step_general::<true>(p, pos, Progress::default()),
                            Ok((State::Octet { pos: end }, Some((pos, rec_end)))),
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
