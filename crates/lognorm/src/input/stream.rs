//! Input that is not in memory → records: [`SplitReader`].
//!
//! The reader runs the splitter's state machine ([`step_in_place`]) over a window
//! of the input held in one reused buffer: when a step's answer turns on
//! bytes not read yet, the reader reads more and tries again, resuming the
//! step's scan where it stopped (so input that trickles in a byte at a
//! time is still split in linear time). Records are handed out as slices
//! of the window, so each lies in one piece of memory; offsets and
//! numbers count over the whole stream.
//!
//! A record is never held longer than the limit: when the window from
//! the current record's start grows past the limit (plus a few bytes of
//! look-ahead) before the record's end is known, the reader keeps the
//! window and reads on with a small scanner per framing that finds where
//! the record ends without keeping its bytes ([`Skip`]).

use core::fmt;
use std::io::{self, Read};

use crate::input::split::{
    Cut, Framing, MAX_LEN_DIGITS, Progress, Record, Span, State, cuts,
    is_json_ws, is_text_ws, step_in_place,
};
use crate::limits::Limits;

/// The most bytes an oversize record keeps in [`Record::bytes`] (its
/// first; no more than the limit, at least one).
const OVERSIZE_PREFIX: usize = 1024;

/// How far past a record's end a step may look to know that it ended (a
/// frame start after a line ending): the window may hold this much more
/// than the limit before its record counts as oversize.
const LOOKAHEAD: usize = 64;

/// Bytes kept from one chunk to the next while skipping, so a record that
/// starts near the end of a chunk (an octet-counted frame found by its
/// `LEN SP <`) still starts the next window.
const CARRY: usize = 32;

/// The default size of one read.
const CHUNK: usize = 64 << 10;

/// Splits input read from an [`io::Read`] into records, with the rules of
/// [`split`](crate::split), without holding the input in memory.
///
/// [`next_record`](SplitReader::next_record) hands out one [`Record`] at
/// a time, borrowed from the reader's buffer; numbers and offsets count
/// from the start of the stream. The buffer is reused: in steady state
/// nothing is allocated, and it grows to about the longest record plus
/// one read (64 KiB by default).
///
/// # Limits
///
/// A record longer than [`max_record_bytes`](SplitReader::max_record_bytes)
/// (by default [`Limits`]' record limit, 8 MiB) is not held: the reader
/// reads past it to where it ends and hands it out
/// [oversize](Record::is_oversize), with its first bytes (1,024, or the
/// limit if less), its number, its offset and its length
/// ([`Record::full_len`]); normalizing it fails with a
/// [`Limit`](crate::RecordErrorKind::Limit) error. Nothing else is lost:
/// the records after it come out as usual. No payload limit applies: the
/// input's size is bounded by the disk, not by memory
/// ([`Limits::max_payload_bytes`] applies to what is split in one piece
/// with [`LogType::split`](crate::LogType::split)).
///
/// # Same records as `split`
///
/// The records are the ones [`split`](crate::split) finds in the whole
/// input, with the same numbers, offsets and bytes, whatever the sizes of
/// the reads; a JSON array too, read element by element. Where an
/// oversize record ends is found with the same rules, except that the
/// reader never holds more than the limit to decide it:
///
/// - a line (text, NDJSON): at its line ending;
/// - a JSON value, array element or malformed array's tail: where the
///   structural scan ends it;
/// - an octet-counted frame: at the next line that starts a frame, as for
///   a wrong count (a count reaching past the limit cannot be checked,
///   so it is not trusted);
/// - whitespace the reader must read past to know where a record ends
///   (between an array's `,` and its next element, at the start of the
///   first line) counts toward that record: more than the limit of it
///   makes the record oversize, from the separator or the line's start.
///
/// # Errors
///
/// [`next_record`](SplitReader::next_record) passes on the reader's
/// errors (it retries [`io::ErrorKind::Interrupted`]). After an error the
/// reader may be called again: it goes on where it stopped.
///
/// # Example
///
/// ```
/// use lognorm::{Framing, SplitReader};
///
/// // Any `io::Read`: a file, stdin, a socket; here bytes in memory.
/// let input: &[u8] = b"{\"a\":1}\n{\"b\":\n  2}\n{\"c\":\"0123456789\"}\n";
/// let mut reader = SplitReader::new(input, Framing::Json)
///     .max_record_bytes(16)
///     .chunk_bytes(4);
/// let mut seen = Vec::new();
/// while let Some(record) = reader.next_record()? {
///     seen.push((record.number(), record.offset(), record.full_len(), record.is_oversize()));
/// }
/// assert_eq!(seen, [(1, 0, 7, false), (2, 8, 10, false), (3, 19, 18, true)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// With a log type (framing and limit from it) and normalizing:
///
/// ```
/// use lognorm::{Context, Registry, Scratch};
///
/// let registry = Registry::builtin();
/// let wiz = registry.log_type("Wiz.Audit").unwrap();
/// let mut ctx = Context::new("2024-06-01T00:00:00Z".parse()?, *b"node01");
/// let mut scratch = Scratch::new();
/// let input: &[u8] = b"{\n  \"id\": \"e-1\",\n  \"action\": \"Login\",\n  \
///     \"timestamp\": \"2024-05-31T23:00:00Z\"\n}\n{\"id\": 7}\n";
/// let mut records = wiz.split_reader(input);
/// let mut outcomes = Vec::new();
/// while let Some(record) = records.next_record()? {
///     match wiz.normalize(record, &mut ctx, &mut scratch) {
///         Ok(event) => outcomes.push(event.event_time().to_string()),
///         Err(e) => outcomes.push(e.to_string()),
///     }
/// }
/// assert_eq!(outcomes[0], "2024-05-31 23:00:00.000000000");
/// assert_eq!(
///     outcomes[1],
///     "record 2 (byte 78): field `action`: expected a value (required), found nothing",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SplitReader<R> {
    reader: R,
    framing: Framing,
    /// `buf[..filled]` holds the input from offset `base` on (the window);
    /// the rest is room to read into.
    buf: Vec<u8>,
    filled: usize,
    base: usize,
    eof: bool,
    /// The splitter's state, its indices into the window.
    state: State,
    /// How far the last step got before the window ran out.
    prog: Progress,
    /// Records handed out so far.
    emitted: u64,
    limit: usize,
    chunk: usize,
    /// An oversize record being read past.
    skip: Option<Skipping>,
    /// Where to go on once the record a skip found is handed out.
    resume: Option<Resume>,
}

/// What [`SplitReader::next_record`] does once the record found by a skip
/// has been handed out: move the bytes after it to the front.
#[derive(Clone, Copy, Debug)]
struct Resume {
    /// The next window: `buf[from..to]`, at stream offset `base`.
    from: usize,
    to: usize,
    base: usize,
    /// The state, its indices relative to `base`.
    state: State,
}

impl<R: Read> SplitReader<R> {
    /// A reader that splits `reader`'s bytes by `framing`, with the
    /// default record limit ([`Limits::record_bytes`], 8 MiB) and reads of
    /// 64 KiB.
    ///
    /// ```
    /// use lognorm::{Framing, SplitReader};
    ///
    /// let mut reader = SplitReader::new(&b"a\nb\n"[..], Framing::Lines);
    /// assert_eq!(reader.next_record()?.unwrap().bytes(), b"a");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(reader: R, framing: Framing) -> SplitReader<R> {
        SplitReader {
            reader,
            framing,
            buf: Vec::new(),
            filled: 0,
            base: 0,
            eof: false,
            state: State::Start(framing),
            prog: Progress::default(),
            emitted: 0,
            limit: Limits::new().record_bytes(),
            chunk: CHUNK,
            skip: None,
            resume: None,
        }
    }

    /// Sets the longest record held, in bytes; a longer one comes out
    /// [oversize](Record::is_oversize).
    ///
    /// ```
    /// use lognorm::{Framing, SplitReader};
    ///
    /// let mut reader =
    ///     SplitReader::new(&b"abcdef\nabc\n"[..], Framing::Lines).max_record_bytes(4);
    /// let first = reader.next_record()?.unwrap();
    /// assert!(first.is_oversize());
    /// // Its first bytes (no more than the limit) and its length.
    /// assert_eq!((first.bytes(), first.full_len()), (&b"abcd"[..], 6));
    /// assert_eq!(reader.next_record()?.unwrap().bytes(), b"abc");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn max_record_bytes(mut self, n: usize) -> SplitReader<R> {
        self.limit = n;
        self
    }

    /// Sets how many bytes one read asks for (at least 1; 64 KiB by
    /// default). Records never depend on it.
    #[must_use]
    pub fn chunk_bytes(mut self, n: usize) -> SplitReader<R> {
        self.chunk = n.max(1);
        self
    }

    /// The next record, or `None` at the end of the input.
    ///
    /// # Errors
    ///
    /// An error of the underlying reader (see the type's documentation).
    pub fn next_record(&mut self) -> io::Result<Option<Record<'_>>> {
        if let Some(resume) = self.resume.take() {
            self.apply(resume);
        }
        loop {
            if self.skip.is_some() {
                if let Some(span) = self.skip_on()? {
                    return Ok(Some(self.skipped_record(span)));
                }
                continue;
            }
            let p = self.buf.get(..self.filled).unwrap_or_default();
            let (state, prog) = (&mut self.state, self.prog);
            let found = if self.eof {
                step_in_place::<true>(p, state, prog)
            } else {
                step_in_place::<false>(p, state, prog)
            };
            match found {
                Ok(record) => {
                    self.prog = Progress::default();
                    if let Some(span) = record {
                        return Ok(Some(self.window_record(span)));
                    }
                    if self.state == State::Done {
                        return Ok(None);
                    }
                }
                Err(prog) => {
                    self.prog = prog;
                    self.fill()?;
                }
            }
        }
    }

    /// Starts over on `reader` (numbers and offsets from the start again),
    /// keeping the buffer; returns the previous reader.
    pub fn reset(&mut self, reader: R) -> R {
        self.filled = 0;
        self.base = 0;
        self.eof = false;
        self.state = State::Start(self.framing);
        self.prog = Progress::default();
        self.emitted = 0;
        self.skip = None;
        self.resume = None;
        std::mem::replace(&mut self.reader, reader)
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// Gives back the underlying reader (bytes already read are lost).
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// How many of its first bytes an oversize record of `len` bytes
    /// keeps: up to [`OVERSIZE_PREFIX`] and the limit, at least one (the
    /// window kept when skipping holds more than that).
    fn prefix(&self, len: usize) -> usize {
        len.min(OVERSIZE_PREFIX).min(self.limit.max(1))
    }

    /// The longest window held before the current record counts as
    /// oversize.
    fn cap(&self) -> usize {
        self.limit.saturating_add(LOOKAHEAD)
    }

    /// Reads more input into the window, or starts skipping when the
    /// window holds more than [`cap`](Self::cap) for one record.
    fn fill(&mut self) -> io::Result<()> {
        let hold = self.state.hold().unwrap_or(self.filled).min(self.filled);
        if self.filled - hold > self.cap() {
            self.drop_front(hold);
            self.start_skip();
            return Ok(());
        }
        if self.buf.len() - self.filled < self.chunk {
            self.drop_front(hold);
            grow(&mut self.buf, self.filled + self.chunk);
        }
        // One chunk at most: the window never holds more than the limit,
        // the look-ahead and a chunk.
        let room = self.filled..self.filled + self.chunk;
        let room = self.buf.get_mut(room).unwrap_or_default();
        match read_some(&mut self.reader, room)? {
            0 => self.eof = true,
            n => self.filled += n,
        }
        Ok(())
    }

    /// Drops the window's first `d` bytes (the splitter is done with
    /// them).
    fn drop_front(&mut self, d: usize) {
        if d == 0 {
            return;
        }
        self.buf.copy_within(d..self.filled, 0);
        self.filled -= d;
        self.base = self.base.saturating_add(d);
        self.state = self.state.moved(d, false);
        self.prog = self.prog.moved(d);
    }

    /// A record in the window, `span` its indices.
    fn window_record(&mut self, (s, e): Span) -> Record<'_> {
        self.emitted += 1;
        let offset = self.base.saturating_add(s);
        let len = e - s;
        let (end, cut) = if len > self.limit {
            let cut = Cut::Oversize { len, limit: self.limit };
            (s + self.prefix(len), cut)
        } else {
            (e, Cut::Whole)
        };
        let bytes = self.buf.get(s..end).unwrap_or_default();
        Record::new(bytes, self.emitted, offset).with_cut(cut)
    }

    /// Starts reading past the record the window holds too much of.
    fn start_skip(&mut self) {
        let p = self.buf.get(..self.filled).unwrap_or_default();
        let (skip, from) = Skip::start(p, self.state, self.base);
        self.skip = Some(Skipping {
            skip,
            from,
            keep: self.filled,
            sbase: self.base.saturating_add(self.filled),
            slen: 0,
        });
    }

    /// Reads on past an oversize record until it ends; returns the record
    /// found (stream offsets), if any. When there is none, the reader has
    /// moved on already.
    fn skip_on(&mut self) -> io::Result<Option<Span>> {
        let Some(mut run) = self.skip.take() else { return Ok(None) };
        // The window first, then chunks read after it.
        let (end, in_window) = loop {
            if run.from < run.keep {
                let window =
                    self.buf.get(run.from..run.keep).unwrap_or_default();
                let at = self.base.saturating_add(run.from);
                run.from = run.keep;
                match run.skip.feed(window, at) {
                    Some(end) => break (end, true),
                    None => continue,
                }
            }
            if run.slen > CARRY {
                let tail = run.keep + run.slen - CARRY;
                self.buf.copy_within(tail..run.keep + run.slen, run.keep);
                run.sbase = run.sbase.saturating_add(run.slen - CARRY);
                run.slen = CARRY;
            }
            grow(&mut self.buf, run.keep + CARRY + self.chunk);
            let start = run.keep + run.slen;
            let room = self.buf.get_mut(start..start + self.chunk);
            let room = room.unwrap_or_default();
            let n = match read_some(&mut self.reader, room) {
                Ok(n) => n,
                Err(e) => {
                    self.skip = Some(run);
                    return Err(e);
                }
            };
            let at = run.sbase.saturating_add(run.slen);
            if n == 0 {
                self.eof = true;
                break (run.skip.finish(at), false);
            }
            run.slen += n;
            let bytes = self.buf.get(start..start + n).unwrap_or_default();
            if let Some(end) = run.skip.feed(bytes, at) {
                break (end, false);
            }
        };
        if in_window {
            // The window still holds everything: go on there.
            self.state = end.next.moved(self.base, false);
            self.prog = Progress::default();
        } else {
            // Go on from the next state's first byte; the window stays
            // until the record is handed out. Bytes read since follow the
            // window in the buffer (until a carry moved them: then from
            // the carry on).
            let read = run.sbase.saturating_add(run.slen);
            let z = end.next.hold().unwrap_or(read).min(read);
            let contiguous = run.sbase == self.base.saturating_add(run.keep);
            let from = if z >= run.sbase {
                run.keep + (z - run.sbase)
            } else if contiguous && z >= self.base {
                z - self.base
            } else {
                debug_assert!(
                    false,
                    "the carry is too short for {:?}",
                    end.next
                );
                run.keep
            };
            let base = read - (run.keep + run.slen - from);
            self.resume = Some(Resume {
                from,
                to: run.keep + run.slen,
                base,
                state: end.next.moved(base, false),
            });
        }
        match end.record {
            Some(span) => Ok(Some(span)),
            None => {
                if let Some(resume) = self.resume.take() {
                    self.apply(resume);
                }
                Ok(None)
            }
        }
    }

    /// A record found by a skip (`span` in stream offsets): whole when it
    /// is within the limit and in the window kept, else oversize.
    fn skipped_record(&mut self, (s, e): Span) -> Record<'_> {
        self.emitted += 1;
        let len = e - s;
        let kept = self.base.saturating_add(self.filled);
        let i = s.saturating_sub(self.base);
        let (bytes, cut) = if len <= self.limit && e <= kept {
            (self.buf.get(i..i + len), Cut::Whole)
        } else {
            let to = (i + self.prefix(len)).min(self.filled);
            (self.buf.get(i..to), Cut::Oversize { len, limit: self.limit })
        };
        debug_assert!(bytes.is_some_and(|b| !b.is_empty()), "record not kept");
        Record::new(bytes.unwrap_or_default(), self.emitted, s).with_cut(cut)
    }

    /// Moves the bytes after a skipped record to the front.
    fn apply(&mut self, r: Resume) {
        self.buf.copy_within(r.from..r.to, 0);
        self.filled = r.to - r.from;
        self.base = r.base;
        self.state = r.state;
        self.prog = Progress::default();
    }
}

impl<R> fmt::Debug for SplitReader<R> {
    // The buffer may be megabytes: show where the reader is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SplitReader")
            .field("framing", &self.framing)
            .field("offset", &self.base)
            .field("window", &self.filled)
            .field("emitted", &self.emitted)
            .field("limit", &self.limit)
            .field("eof", &self.eof)
            .finish_non_exhaustive()
    }
}

/// Makes `buf` at least `len` long, allocating no more than that (the
/// buffer lives as long as the reader: no doubling).
fn grow(buf: &mut Vec<u8>, len: usize) {
    if buf.len() < len {
        buf.reserve_exact(len - buf.len());
        buf.resize(len, 0);
    }
}

/// One read, retried when interrupted.
fn read_some<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// A skip in progress.
#[derive(Debug)]
struct Skipping {
    skip: Skip,
    /// The next window byte to feed (the window is fed first).
    from: usize,
    /// `buf[..keep]`: the window when the skip began, kept.
    keep: usize,
    /// `buf[keep..keep + slen]`: bytes read since, from stream offset
    /// `sbase` (the last [`CARRY`] of the previous read, then the last
    /// read).
    sbase: usize,
    slen: usize,
}

/// Where a skipped record ends: the record (stream offsets), if any, and
/// the state to go on with (stream offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct End {
    record: Option<Span>,
    next: State,
}

/// What follows a blank line of a [`Skip::Line`] started before the
/// framing was known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Then {
    Lines,
    Auto,
}

/// A scanner that finds where a record ends, a byte at a time, keeping
/// nothing of it: the same rules as the splitter's steps (see
/// [`SplitReader`] for where they differ), each byte seen once. All
/// positions are stream offsets.
#[derive(Clone, Copy, Debug)]
enum Skip {
    /// A text line from `start`.
    Line { start: usize, nonblank: bool, cr: bool, then: Then },
    /// An octet-counted frame from `start`, to the next line that starts
    /// a frame.
    Frame {
        start: usize,
        /// The record's end if the frame ended here: the first line ending
        /// after its last byte that is not whitespace.
        eol: Option<usize>,
        cr: bool,
        /// The start of the line being checked for a frame start, and the
        /// record's end if it is one.
        probe: Probe,
        line: usize,
        line_eol: Option<usize>,
    },
    /// A record of a JSON payload that is not an array.
    Json(JsonSkip),
    /// An array element from `start` (a record from `rec`), then the next
    /// one; at the end of input the tail from `sep`.
    Element {
        rec: usize,
        sep: usize,
        depth: usize,
        in_str: bool,
        esc: bool,
        last: usize,
    },
    /// Whitespace after an array's `[` or `,` at `sep`.
    ArrayWs { sep: usize, comma: bool },
    /// Whitespace after an array's closing `]`.
    ClosedWs { close: usize },
    /// A malformed array's tail, from `start` to the end of input.
    Tail { start: usize, last: usize },
}

/// Where a [`Skip::Frame`] is in checking a line for `DIGITS SP <`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Probe {
    Off,
    Digits(usize),
    Space,
}

/// A record of a JSON payload that is not an array, as
/// [`json_step`](crate::input::split) finds it.
#[derive(Clone, Copy, Debug)]
struct JsonSkip {
    split: Option<bool>,
    /// From [`State::JsonStart`]: a first `[` makes the payload an array.
    array_ok: bool,
    phase: JsonPhase,
    /// The current line's start, and whether it is one (not mid-line).
    line: usize,
    at_line: bool,
    /// Where the skip began, and where the window it kept ends.
    begin: usize,
    kept: usize,
    /// Where the record starts: `from` for a whole NDJSON line; `rs` for
    /// a trimmed record (its first byte that is not whitespace, or `from`
    /// when that is past the window kept: see [`SplitReader`] on
    /// whitespace).
    from: usize,
    rs: usize,
    whole: bool,
    depth: usize,
    in_str: bool,
    esc: bool,
    /// The previous byte was a line ending, in an open value.
    nl: bool,
    /// The value's first line ending, and the line's end before it.
    first_nl: Option<usize>,
    first_end: usize,
    cr: bool,
    /// The end of the last byte that is not whitespace.
    last: usize,
    /// Where the value closed ([`JsonPhase::Rest`]).
    closed: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonPhase {
    /// Whitespace before the record.
    Lead,
    /// In a value.
    Value,
    /// After a first value that closed on its line: another value there?
    Rest,
    /// To the end of the line.
    LineEnd,
}

impl Skip {
    /// The skip for the record `state` is on, in the window `p` (at
    /// stream offset `base`), and the window index to feed it from.
    fn start(p: &[u8], state: State, base: usize) -> (Skip, usize) {
        let at = |i: usize| base.saturating_add(i);
        let json = |pos: usize, split, mid: bool, array_ok| {
            Skip::Json(JsonSkip {
                split,
                array_ok,
                phase: JsonPhase::Lead,
                line: at(pos),
                at_line: !mid,
                begin: at(pos),
                kept: at(p.len()),
                from: 0,
                rs: 0,
                whole: false,
                depth: 0,
                in_str: false,
                esc: false,
                nl: false,
                first_nl: None,
                first_end: 0,
                cr: false,
                last: 0,
                closed: 0,
            })
        };
        let line = |start: usize, then| Skip::Line {
            start: at(start),
            nonblank: false,
            cr: false,
            then,
        };
        match state {
            State::Lines { pos } => (line(pos, Then::Lines), pos),
            State::AutoStart { body } => (line(body, Then::Auto), body),
            State::Octet { pos } => (
                Skip::Frame {
                    start: at(pos),
                    eol: None,
                    cr: false,
                    probe: Probe::Off,
                    line: 0,
                    line_eol: None,
                },
                pos,
            ),
            State::JsonStart { body } => (json(body, None, false, true), body),
            State::Json { pos, split, mid } => {
                (json(pos, split, mid, false), pos)
            }
            State::Array { pos, sep } => {
                let rest = p.get(pos..).unwrap_or_default();
                let x = rest.iter().position(|&b| !is_json_ws(b));
                if let Some(x) = x.map(|k| pos + k) {
                    let element = Skip::Element {
                        rec: at(x),
                        sep: at(sep),
                        depth: 0,
                        in_str: false,
                        esc: false,
                        last: at(x),
                    };
                    (element, x)
                } else {
                    let comma = p.get(sep) == Some(&b',');
                    (Skip::ArrayWs { sep: at(sep), comma }, p.len())
                }
            }
            State::Closed { close } => {
                (Skip::ClosedWs { close: at(close) }, close + 1)
            }
            State::Tail { start } => {
                (Skip::Tail { start: at(start), last: at(start) + 1 }, start)
            }
            // These hold a few bytes at most; never too many.
            State::Start(_) | State::Done => {
                debug_assert!(false, "skip from {state:?}");
                (line(0, Then::Lines), 0)
            }
        }
    }

    /// Feeds `bytes` (stream offset `at` on); returns where the record
    /// ended, once known.
    fn feed(&mut self, bytes: &[u8], at: usize) -> Option<End> {
        bytes
            .iter()
            .enumerate()
            .find_map(|(k, &b)| self.byte(b, at.saturating_add(k)))
    }

    /// One byte at stream offset `at`.
    fn byte(&mut self, b: u8, at: usize) -> Option<End> {
        match self {
            Skip::Line { start, nonblank, cr, then } => {
                if b == b'\n' {
                    let end = at - usize::from(*cr);
                    let next = match (*nonblank, *then) {
                        (false, Then::Auto) => {
                            State::AutoStart { body: at + 1 }
                        }
                        _ => State::Lines { pos: at + 1 },
                    };
                    return Some(End {
                        record: nonblank.then_some((*start, end)),
                        next,
                    });
                }
                *nonblank |= !is_text_ws(b);
                *cr = b == b'\r';
                None
            }
            Skip::Frame { start, eol, cr, probe, line, line_eol } => {
                *probe = match (*probe, b) {
                    (Probe::Digits(n), b'0'..=b'9') if n < MAX_LEN_DIGITS => {
                        Probe::Digits(n + 1)
                    }
                    (Probe::Digits(n), b' ') if n > 0 => Probe::Space,
                    (Probe::Space, b'<') => {
                        let end = line_eol.unwrap_or(*line);
                        return Some(End {
                            record: Some((*start, end)),
                            next: State::Octet { pos: *line },
                        });
                    }
                    _ => Probe::Off,
                };
                if b == b'\n' {
                    if eol.is_none() {
                        *eol = Some(at - usize::from(*cr));
                    }
                    *probe = Probe::Digits(0);
                    *line = at + 1;
                    *line_eol = *eol;
                } else if !is_text_ws(b) {
                    *eol = None;
                }
                *cr = b == b'\r';
                None
            }
            Skip::Json(j) => j.byte(b, at),
            Skip::Element { rec, depth, in_str, esc, last, .. } => {
                if *in_str {
                    if *esc {
                        *esc = false;
                    } else if b == b'"' {
                        *in_str = false;
                    } else if b == b'\\' {
                        *esc = true;
                    }
                } else {
                    match b {
                        b'"' => *in_str = true,
                        b'[' | b'{' => *depth += 1,
                        b']' | b',' if *depth == 0 => {
                            let next = if b == b',' {
                                State::Array { pos: at + 1, sep: at }
                            } else {
                                State::Closed { close: at }
                            };
                            return Some(End {
                                record: Some((*rec, *last)),
                                next,
                            });
                        }
                        b']' | b'}' => *depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                if !is_json_ws(b) {
                    *last = at + 1;
                }
                None
            }
            Skip::ArrayWs { sep, comma } => {
                if is_json_ws(b) {
                    return None;
                }
                match b {
                    b',' => *self = Skip::Tail { start: *sep, last: at + 1 },
                    b']' if *comma => {
                        *self = Skip::Tail { start: *sep, last: at + 1 }
                    }
                    b']' => {
                        return Some(End {
                            record: None,
                            next: State::Closed { close: at },
                        });
                    }
                    _ => {
                        // More than the limit of whitespace before an
                        // element: the record runs from the separator.
                        *self = Skip::Element {
                            rec: *sep,
                            sep: *sep,
                            depth: 0,
                            in_str: false,
                            esc: false,
                            last: *sep + 1,
                        };
                        return self.byte(b, at);
                    }
                }
                None
            }
            Skip::ClosedWs { close } => {
                if !is_json_ws(b) {
                    *self = Skip::Tail { start: *close, last: at + 1 };
                }
                None
            }
            Skip::Tail { last, .. } => {
                if !is_json_ws(b) {
                    *last = at + 1;
                }
                None
            }
        }
    }

    /// The end of input, at stream offset `at`.
    fn finish(&mut self, at: usize) -> End {
        let record = match *self {
            Skip::Line { start, nonblank, .. } => {
                nonblank.then_some((start, at))
            }
            Skip::Frame { start, eol, .. } => Some((start, eol.unwrap_or(at))),
            Skip::Json(j) => return j.finish(at),
            Skip::Element { sep, last, .. } => Some((sep, last)),
            Skip::ArrayWs { sep, .. } => Some((sep, sep + 1)),
            Skip::ClosedWs { .. } => None,
            Skip::Tail { start, last } => Some((start, last)),
        };
        End { record, next: State::Done }
    }
}

impl JsonSkip {
    fn byte(&mut self, b: u8, at: usize) -> Option<End> {
        match self.phase {
            JsonPhase::Lead => {
                // Blank lines, and whitespace no record holds, are done
                // with: the splitter goes on after them.
                if b == b'\n' {
                    let next = if self.array_ok {
                        State::JsonStart { body: at + 1 }
                    } else {
                        let split = self.split;
                        State::Json { pos: at + 1, split, mid: false }
                    };
                    return Some(End { record: None, next });
                }
                if is_json_ws(b) {
                    return None;
                }
                if self.array_ok && b == b'[' {
                    return Some(End {
                        record: None,
                        next: State::Array { pos: at + 1, sep: at },
                    });
                }
                self.whole = self.at_line && self.split != Some(true);
                if !self.whole && at > self.begin {
                    let split = self.split;
                    return Some(End {
                        record: None,
                        next: State::Json { pos: at, split, mid: true },
                    });
                }
                self.from = if self.whole { self.line } else { at };
                self.rs = if at < self.kept { at } else { self.from };
                self.last = at + 1;
                self.cr = false;
                if matches!(b, b'{' | b'[') {
                    self.phase = JsonPhase::Value;
                    self.depth = 1;
                } else {
                    self.phase = JsonPhase::LineEnd;
                }
                None
            }
            JsonPhase::Value => self.value_byte(b, at),
            JsonPhase::Rest => match b {
                b' ' | b'\t' | b'\r' => {
                    self.cr = b == b'\r';
                    None
                }
                b'{' | b'[' => Some(End {
                    record: Some((self.rs, self.closed)),
                    next: State::Json {
                        pos: at,
                        split: Some(true),
                        mid: true,
                    },
                }),
                b'\n' => {
                    let end = if self.whole {
                        at - usize::from(self.cr)
                    } else {
                        self.closed
                    };
                    Some(End {
                        record: Some((self.from, end)),
                        next: State::Json {
                            pos: at + 1,
                            split: Some(false),
                            mid: false,
                        },
                    })
                }
                _ => {
                    self.split = Some(false);
                    self.phase = JsonPhase::LineEnd;
                    self.byte(b, at)
                }
            },
            JsonPhase::LineEnd => {
                if b == b'\n' {
                    let end = if self.whole {
                        at - usize::from(self.cr)
                    } else {
                        self.last
                    };
                    let split = Some(self.split.unwrap_or(false));
                    return Some(End {
                        record: Some((self.from, end)),
                        next: State::Json { pos: at + 1, split, mid: false },
                    });
                }
                self.cr = b == b'\r';
                if !is_json_ws(b) {
                    self.last = at + 1;
                }
                None
            }
        }
    }

    /// A byte of a value (after its opening bracket).
    fn value_byte(&mut self, b: u8, at: usize) -> Option<End> {
        if self.nl {
            self.nl = false;
            if cuts(b) {
                // Cut: after its own line (and blank lines), a truncated
                // line.
                let own = self.first_nl.is_some_and(|nl| self.last <= nl);
                let record = if own && self.whole {
                    (self.from, self.first_end)
                } else {
                    (self.rs, self.last)
                };
                let split = self.split.unwrap_or(!own);
                return Some(End {
                    record: Some(record),
                    next: State::Json {
                        pos: at,
                        split: Some(split),
                        mid: false,
                    },
                });
            }
        }
        let mut newline = false;
        if self.in_str {
            if self.esc {
                self.esc = false;
                newline = b == b'\n';
            } else {
                match b {
                    b'"' => self.in_str = false,
                    b'\\' => self.esc = true,
                    b'\n' => newline = true,
                    _ => {}
                }
            }
        } else {
            match b {
                b'"' => self.in_str = true,
                b'[' | b'{' => self.depth += 1,
                b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return self.closed_at(at + 1);
                    }
                }
                b'\n' => newline = true,
                _ => {}
            }
        }
        if newline {
            self.nl = true;
            if self.first_nl.is_none() {
                self.first_nl = Some(at);
                self.first_end = at - usize::from(self.cr);
            }
        }
        self.cr = b == b'\r';
        if !is_json_ws(b) {
            self.last = at + 1;
        }
        None
    }

    /// The value closed: `e` is the index after its bracket.
    fn closed_at(&mut self, e: usize) -> Option<End> {
        if self.first_nl.is_some() {
            let split = Some(self.split.unwrap_or(true));
            return Some(End {
                record: Some((self.rs, e)),
                next: State::Json { pos: e, split, mid: true },
            });
        }
        match self.split {
            Some(true) => Some(End {
                record: Some((self.rs, e)),
                next: State::Json { pos: e, split: Some(true), mid: true },
            }),
            None => {
                self.phase = JsonPhase::Rest;
                self.closed = e;
                self.last = e;
                self.cr = false;
                None
            }
            Some(false) => {
                self.phase = JsonPhase::LineEnd;
                self.last = e;
                self.cr = false;
                None
            }
        }
    }

    fn finish(&self, at: usize) -> End {
        let record = match self.phase {
            JsonPhase::Lead => None,
            JsonPhase::Value => Some(match self.first_nl {
                None if self.whole => (self.from, at),
                Some(nl) if self.whole && self.last <= nl => {
                    (self.from, self.first_end)
                }
                _ => (self.rs, self.last),
            }),
            JsonPhase::Rest => {
                Some((self.from, if self.whole { at } else { self.closed }))
            }
            JsonPhase::LineEnd => {
                Some((self.from, if self.whole { at } else { self.last }))
            }
        };
        End { record, next: State::Done }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::split::split;

    /// A reader that returns at most `sizes[i]` bytes on its i-th read
    /// (cycling), and an `Interrupted` or `WouldBlock` error before the
    /// reads listed in `errors`.
    struct Trickle<'a> {
        data: &'a [u8],
        sizes: Vec<usize>,
        reads: usize,
        errors: Vec<usize>,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if let Some(k) = self.errors.iter().position(|&r| r == self.reads)
            {
                self.errors.remove(k);
                let kind = if k % 2 == 0 {
                    io::ErrorKind::Interrupted
                } else {
                    io::ErrorKind::WouldBlock
                };
                return Err(kind.into());
            }
            let size = self.sizes[self.reads % self.sizes.len()].max(1);
            self.reads += 1;
            let n = size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// A record as compared: number, offset, full length, bytes, oversize.
    type Rec = (u64, usize, usize, Vec<u8>, bool);

    fn rec(r: &Record<'_>) -> Rec {
        (
            r.number(),
            r.offset(),
            r.full_len(),
            r.bytes().to_vec(),
            r.is_oversize(),
        )
    }

    /// The records of the whole payload, with the reader's limit applied:
    /// a longer record is oversize and keeps its first bytes.
    fn whole(p: &[u8], framing: Framing, limit: usize) -> Vec<Rec> {
        split(p, framing)
            .map(|r| {
                let b = r.bytes();
                if b.len() > limit {
                    let keep = b.len().min(OVERSIZE_PREFIX).min(limit.max(1));
                    let prefix = b[..keep].to_vec();
                    (r.number(), r.offset(), b.len(), prefix, true)
                } else {
                    rec(&r)
                }
            })
            .collect()
    }

    fn streamed(
        p: &[u8],
        framing: Framing,
        limit: usize,
        chunk: usize,
        sizes: &[usize],
        errors: &[usize],
    ) -> Vec<Rec> {
        let reader = Trickle {
            data: p,
            sizes: sizes.to_vec(),
            reads: 0,
            errors: errors.to_vec(),
        };
        let mut r = SplitReader::new(reader, framing)
            .max_record_bytes(limit)
            .chunk_bytes(chunk);
        let mut out = Vec::new();
        let mut failures = 0;
        loop {
            match r.next_record() {
                Ok(Some(record)) => out.push(rec(&record)),
                Ok(None) => break,
                Err(e) => {
                    assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
                    failures += 1;
                    assert!(failures < 100);
                }
            }
        }
        assert!(r.next_record().unwrap().is_none(), "fused");
        out
    }

    fn lines(p: &str, limit: usize, sizes: &[usize]) -> Vec<Rec> {
        streamed(p.as_bytes(), Framing::Lines, limit, 3, sizes, &[])
    }

    #[test]
    fn records_never_straddle_reads() {
        let p = "ab\ncd\r\n\n  \nefgh\nlast";
        for sizes in [&[1][..], &[2, 5], &[100]] {
            assert_eq!(
                lines(p, 100, sizes),
                whole(p.as_bytes(), Framing::Lines, 100)
            );
        }
        assert_eq!(lines(p, 100, &[1]).len(), 4);
    }

    #[test]
    fn oversize_lines_are_skipped_not_held() {
        let p =
            format!("ab\n{}\r\ncd\n{}", "x".repeat(3000), "y".repeat(2000));
        let got =
            streamed(p.as_bytes(), Framing::Lines, 100, 7, &[3, 11], &[]);
        assert_eq!(got, whole(p.as_bytes(), Framing::Lines, 100));
        assert_eq!(
            got.iter().map(|r| (r.1, r.2, r.4)).collect::<Vec<_>>(),
            [
                (0, 2, false),
                (3, 3000, true),
                (3005, 2, false),
                (3008, 2000, true)
            ]
        );
        assert_eq!(got[1].3, b"x".repeat(100));
        // A blank line longer than the limit is no record.
        let p = format!("a\n{}\nb", " ".repeat(500));
        assert_eq!(
            lines(&p, 10, &[4])
                .iter()
                .map(|r| r.3.clone())
                .collect::<Vec<_>>(),
            [b"a".to_vec(), b"b".to_vec()]
        );
    }

    #[test]
    fn the_buffer_stays_near_the_limit() {
        // 1 MiB of short records and of long ones, read in 4 KiB reads:
        // the buffer holds a record and a read, not the input.
        let (mut p, mut pairs) = (String::new(), 0);
        while p.len() < 1 << 20 {
            pairs += 1;
            p.push_str("{\"a\":1}\n");
            p.push_str(&format!("{{\"b\":\"{}\"}}\n", "z".repeat(20_000)));
        }
        let mut r = SplitReader::new(p.as_bytes(), Framing::Json)
            .max_record_bytes(1000)
            .chunk_bytes(4096);
        let (mut n, mut oversize) = (0, 0);
        while let Some(record) = r.next_record().unwrap() {
            n += 1;
            oversize += usize::from(record.is_oversize());
            assert!(record.bytes().len() <= 1000);
        }
        assert_eq!((n, oversize), (2 * pairs, pairs));
        // At most: a window of the limit, the look-ahead and a read,
        // then the carry and a read while skipping.
        let most = 1000 + LOOKAHEAD + 2 * 4096 + CARRY + 4096;
        assert!(r.buf.capacity() <= most, "{}", r.buf.capacity());
    }

    #[test]
    fn oversize_json_values_elements_and_frames() {
        let big = "x".repeat(300);
        // A value over several lines, an NDJSON line, an array element,
        // a malformed array's tail, an octet-counted frame.
        for (p, framing) in [
            (
                format!("{{\n  \"a\": \"{big}\"\n}}\n{{\"b\":1}}"),
                Framing::Json,
            ),
            (
                format!("{{\"a\":1}}\n{{\"a\":\"{big}\"}} x\n{{\"c\":2}}\n"),
                Framing::Json,
            ),
            (
                format!("{{\"a\":1}}{{\"b\":\"{big}\"}} {{\"c\":2}}"),
                Framing::Json,
            ),
            (
                format!("[{{\"a\":1}}, {{\"b\":\"{big}\"}} ,{{\"c\":2}}]"),
                Framing::Json,
            ),
            (format!("[{{\"a\":1}}, {{\"b\":\"{big}\" \n\n"), Framing::Json),
            (format!("[{{\"a\":1}}] {big}\n"), Framing::Json),
            (
                format!("6 <1>1 a\n{} <2>1 {big}\n6 <3>1 c\n", big.len() + 5),
                Framing::OctetCounted,
            ),
        ] {
            let want = whole(p.as_bytes(), framing, 100);
            assert!(want.iter().any(|r| r.4), "{p}");
            for sizes in [&[1][..], &[7, 2], &[1000]] {
                assert_eq!(
                    streamed(p.as_bytes(), framing, 100, 5, sizes, &[]),
                    want,
                    "{p:?}"
                );
            }
        }
    }

    #[test]
    fn errors_of_the_reader_are_passed_on_and_the_reader_goes_on() {
        let p = format!("a\n{}\nb\n", "x".repeat(200));
        let want = whole(p.as_bytes(), Framing::Lines, 50);
        for errors in [&[0][..], &[1, 2, 3], &[5, 9, 20, 40, 60]] {
            assert_eq!(
                streamed(p.as_bytes(), Framing::Lines, 50, 4, &[3], errors),
                want
            );
        }
    }

    #[test]
    fn whitespace_past_the_limit_counts_toward_the_record() {
        // Between an array's `,` and its element: the record runs from
        // the separator (a documented difference from `split`).
        let p = format!(
            "[{{\"a\":1}},{}{{\"b\":2}},{{\"c\":3}}]",
            " ".repeat(300)
        );
        let got = streamed(p.as_bytes(), Framing::Json, 50, 8, &[8], &[]);
        let got: Vec<_> = got.iter().map(|r| (r.1, r.2, r.4)).collect();
        assert_eq!(got, [(1, 7, false), (8, 308, true), (317, 7, false)]);
        // Whitespace the reader need not hold is not counted: between
        // lines, values, frames, and after a closed array.
        for (p, framing) in [
            (format!("a\n{}\nb", "\n".repeat(300)), Framing::Lines),
            (format!("{{\n}}{}{{\"b\":2}}", " ".repeat(300)), Framing::Json),
            (
                format!("{{\"a\":1}}\n{}\n{{\"b\":2}}", "\n".repeat(300)),
                Framing::Json,
            ),
            (format!("[{{\"a\":1}}]{}", " \n".repeat(300)), Framing::Json),
            (
                format!("5 <1>a\n{}5 <2>b\n", " \n".repeat(300)),
                Framing::OctetCounted,
            ),
            (format!("{}5 <2>b\n", "\n".repeat(300)), Framing::Auto),
        ] {
            let want = whole(p.as_bytes(), framing, 50);
            assert!(want.iter().all(|r| !r.4));
            assert_eq!(
                streamed(p.as_bytes(), framing, 50, 8, &[8], &[]),
                want,
                "{p:?}"
            );
        }
    }

    #[test]
    fn log_types_stream_with_their_framing_and_limit() {
        let registry = crate::Registry::builder()
            .limits(Limits::new().max_record_bytes(64))
            .add_builtin()
            .unwrap()
            .build();
        let wiz = registry.log_type("Wiz.Audit").unwrap();
        let input = format!("{{\"id\":\"{}\"}}\n{{}}\n", "x".repeat(100));
        let mut records = wiz.split_reader(input.as_bytes());
        let first = records.next_record().unwrap().unwrap();
        assert!(first.is_oversize());
        let mut ctx = crate::Context::new(
            crate::Timestamp::from_unix(0, 0).unwrap(),
            [0; 6],
        );
        let mut scratch = crate::Scratch::new();
        let e = wiz.normalize(first, &mut ctx, &mut scratch).unwrap_err();
        assert_eq!(
            e.to_string(),
            "record 1 (byte 0): expected a record of at most 64 bytes, found 109 bytes"
        );
        assert!(e.is_limit());
        assert_eq!(e.raw(), &input.as_bytes()[..64]);
        let second = records.next_record().unwrap().unwrap();
        assert_eq!(
            (second.number(), second.offset(), second.bytes()),
            (2, 110, &b"{}"[..])
        );
        assert!(records.next_record().unwrap().is_none());
        assert_eq!(
            format!("{records:?}"),
            "SplitReader { framing: Json, offset: 113, window: 0, emitted: 2, \
             limit: 64, eof: true, .. }"
        );
        // Starting over on new input keeps the buffer.
        let _ = records.reset(b"{}".as_slice());
        assert_eq!(records.next_record().unwrap().unwrap().offset(), 0);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn arb_payload() -> impl Strategy<Value = Vec<u8>> {
            let interesting = prop::sample::select(
                b"[]{},\"\\ \n\r\t\x0b0123 <a:\xef\xbb\xbf".to_vec(),
            );
            let json_lines = prop::collection::vec(
                prop::sample::select(vec![
                    "{\"a\":1}",
                    "{\"b\":[1,{\"c\":\"}\"}]}",
                    "{\n  \"d\": 2\n}",
                    "{\"e\":",
                    "[1,\n 2]",
                    "x",
                    "",
                    " ",
                    "{}{}",
                    "\"\\\"{\"",
                    "{\n\"f\":",
                    "  {\"g\":3}",
                    "}",
                    "]",
                    ",",
                ]),
                0..12,
            )
            .prop_map(|v| v.join("\n").into_bytes());
            let frames =
                prop::collection::vec(("[a-z <>0-9\n]{0,20}", -1i8..=1), 0..6)
                    .prop_map(|v| {
                        let mut out = String::new();
                        for (body, miss) in v {
                            let msg = format!("<{body}\n");
                            let count = msg
                                .len()
                                .saturating_add_signed(isize::from(miss));
                            out.push_str(&format!("{count} {msg}"));
                        }
                        out.into_bytes()
                    });
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..64),
                prop::collection::vec(interesting, 0..96),
                json_lines,
                frames,
            ]
        }

        fn arb_framing() -> impl Strategy<Value = Framing> {
            prop::sample::select(vec![
                Framing::Json,
                Framing::Lines,
                Framing::OctetCounted,
                Framing::Auto,
            ])
        }

        // Case count: proptest's default (256), or `PROPTEST_CASES`.
        proptest! {
            /// With room for every record: the same records as splitting
            /// the whole payload, whatever the reads and chunks.
            #[test]
            fn streaming_finds_the_records_of_the_whole(
                p in arb_payload(),
                framing in arb_framing(),
                chunk in 1usize..40,
                sizes in prop::collection::vec(1usize..20, 1..4),
                errors in prop::collection::vec(0usize..30, 0..3),
            ) {
                let limit = p.len();
                prop_assert_eq!(
                    streamed(&p, framing, limit, chunk, &sizes, &errors),
                    whole(&p, framing, limit)
                );
            }

            /// With a small limit: records in order, numbered from 1, not
            /// overlapping; a record within the limit is its bytes, a
            /// longer one is oversize with its first bytes; the bytes
            /// outside records are only what splitting may drop. For text
            /// lines, and JSON without runs of whitespace longer than the
            /// look-ahead, exactly the records of the whole payload.
            #[test]
            fn oversize_records_lose_nothing_else(
                p in arb_payload(),
                framing in arb_framing(),
                limit in 0usize..40,
                chunk in 1usize..40,
                sizes in prop::collection::vec(1usize..20, 1..4),
            ) {
                let got = streamed(&p, framing, limit, chunk, &sizes, &[]);
                let mut covered = vec![false; p.len()];
                let mut end = 0;
                for (i, (number, offset, len, bytes, oversize)) in got.iter().enumerate() {
                    prop_assert_eq!(*number, i as u64 + 1);
                    prop_assert!(*offset >= end && *len > 0);
                    end = offset + len;
                    prop_assert!(end <= p.len());
                    prop_assert_eq!(*oversize, *len > limit);
                    let keep = if *oversize {
                        (*len).min(OVERSIZE_PREFIX).min(limit.max(1))
                    } else {
                        *len
                    };
                    let want = &p[*offset..offset + keep];
                    prop_assert_eq!(&bytes[..], want);
                    covered[*offset..end].iter_mut().for_each(|c| *c = true);
                }
                let bom = if p.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
                for (i, &b) in p.iter().enumerate().skip(bom) {
                    if !covered[i] {
                        let ok = match framing {
                            Framing::Json => is_json_ws(b) || matches!(b, b'[' | b',' | b']'),
                            _ => is_text_ws(b),
                        };
                        prop_assert!(ok, "lost byte {:#x} at {}", b, i);
                    }
                }
                let ws_runs_short = p
                    .split(|&b| !is_json_ws(b))
                    .all(|run| run.len() < LOOKAHEAD);
                if framing == Framing::Lines || framing == Framing::Json && ws_runs_short {
                    prop_assert_eq!(got, whole(&p, framing, limit));
                }
            }
        }
    }
}
