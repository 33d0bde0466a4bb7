//! The Arrow sink (feature `arrow`): records become rows of Arrow
//! column builders.
//!
//! - [`Stage`] and [`ArrowSink`]: the [`Sink`] stages one record as a
//!   flat list of typed [`Token`]s (strings and `json` text in one byte
//!   buffer; a string that is the record's own text, as most are, only
//!   by its place in the record), so [`Sink::mark`], [`Sink::rewind`]
//!   and [`Sink::abort`] are truncations and a failed record never
//!   reaches a column.
//! - [`columns`]: the column builders, laid out from the plan, that a
//!   staged record is committed to once the walk succeeded.
//! - [`decoder`]: the public `lognorm::arrow` API (`arrow_schema`,
//!   `BatchDecoder`); [`parquet`]: `lognorm::parquet` (feature
//!   `parquet`).

pub(crate) mod columns;
pub(crate) mod decoder;
#[cfg(feature = "parquet")]
pub(crate) mod parquet;

use crate::input::json::Strings;
use crate::time::{DayCache, Timestamp};

use super::Sink;
use super::json::escape::write_json_str;
use super::json::float::write_float;

/// One staged call of a walk (see the module docs of `crate::sink`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Token {
    /// The declared field with this column id follows.
    Key(u32),
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// A string: `Stage::text[start..end]`.
    Str(usize, usize),
    /// A string that is the record's own text (a tape string without
    /// escapes, not copied into the stage): `record[start..end]`.
    Raw(usize, usize),
    /// A `json` value's JSON text: `Stage::text[start..end]`.
    Json(usize, usize),
    /// A timestamp in nanoseconds since the Unix epoch.
    Time(i64),
    BeginObject,
    EndObject,
    BeginArray,
    EndArray,
}

/// One record, staged. Kept in the decoder and reused: it stops growing
/// after the first records.
#[derive(Debug, Default)]
pub(crate) struct Stage {
    pub tokens: Vec<Token>,
    /// The bytes of the staged strings and `json` texts (valid UTF-8).
    pub text: Vec<u8>,
    /// The bytes of the [`Token::Raw`] strings (a column's share of the
    /// record's text).
    pub raw: usize,
    /// Inside a `json` value: where its text starts.
    json: Option<usize>,
    /// After a discovered key (SPEC §10): discovered fields are not
    /// columns of the log type's Arrow schema, so they are dropped.
    discarding: bool,
    /// A timestamp that nanoseconds since the epoch cannot hold (before
    /// 1677-09-21 or after 2262-04-11), which fails the record.
    pub out_of_range: Option<Timestamp>,
}

impl Stage {
    /// Empties the stage for the next record (keeping its buffers).
    #[inline]
    pub fn clear(&mut self) {
        self.tokens.clear();
        self.text.clear();
        self.raw = 0;
        self.json = None;
        self.discarding = false;
        self.out_of_range = None;
    }
}

/// A position in a [`Stage`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    tokens: usize,
    text: usize,
    raw: usize,
    json: Option<usize>,
    discarding: bool,
}

/// The [`Sink`] that stages a record for the Arrow column builders.
#[derive(Debug)]
pub(crate) struct ArrowSink<'a> {
    stage: &'a mut Stage,
}

impl<'a> ArrowSink<'a> {
    /// A sink staging into `stage`.
    #[inline]
    pub fn new(stage: &'a mut Stage) -> ArrowSink<'a> {
        ArrowSink { stage }
    }

    /// Stages `token` (outside a `json` value).
    #[inline(always)]
    fn push(&mut self, token: Token) {
        if !self.stage.discarding {
            self.stage.tokens.push(token);
        }
    }

    /// The `json` value's text, when inside one (and not discarding).
    #[inline(always)]
    fn json_text(&mut self) -> Option<&mut Vec<u8>> {
        match self.stage.json {
            Some(_) if !self.stage.discarding => Some(&mut self.stage.text),
            _ => None,
        }
    }
}

impl Sink for ArrowSink<'_> {
    type Mark = Mark;

    #[inline]
    fn begin_record(&mut self) {
        self.stage.clear();
    }

    #[inline]
    fn abort(&mut self) {
        self.stage.clear();
    }

    #[inline]
    fn mark(&self) -> Mark {
        Mark {
            tokens: self.stage.tokens.len(),
            text: self.stage.text.len(),
            raw: self.stage.raw,
            json: self.stage.json,
            discarding: self.stage.discarding,
        }
    }

    #[inline]
    fn rewind(&mut self, mark: Mark) {
        self.stage.tokens.truncate(mark.tokens);
        self.stage.text.truncate(mark.text);
        self.stage.raw = mark.raw;
        self.stage.json = mark.json;
        self.stage.discarding = mark.discarding;
    }

    #[inline]
    fn key(&mut self, column: u32, _first: bool) {
        self.push(Token::Key(column));
    }

    #[inline]
    fn discovered_key(&mut self, _column: &str, _first: bool) {
        self.stage.discarding = true;
    }

    #[inline]
    fn separator(&mut self, first: bool) {
        if let Some(out) = self.json_text()
            && !first
        {
            out.push(b',');
        }
    }

    #[inline]
    fn member(&mut self, key: &str, strings: Strings<'_>) {
        if let Some(out) = self.json_text() {
            write_json_str(out, key, strings);
            out.push(b':');
        }
    }

    #[inline]
    fn null(&mut self) {
        match self.json_text() {
            Some(out) => out.extend_from_slice(b"null"),
            None => self.push(Token::Null),
        }
    }

    #[inline]
    fn boolean(&mut self, b: bool) {
        match self.json_text() {
            Some(out) => {
                out.extend_from_slice(if b { b"true" } else { b"false" });
            }
            None => self.push(Token::Bool(b)),
        }
    }

    #[inline]
    fn int(&mut self, n: i64) {
        match self.json_text() {
            Some(out) => {
                out.extend_from_slice(
                    itoa::Buffer::new().format(n).as_bytes(),
                );
            }
            None => self.push(Token::Int(n)),
        }
    }

    #[inline]
    fn int_text(&mut self, n: i64, text: &str) {
        match self.json_text() {
            Some(out) => out.extend_from_slice(text.as_bytes()),
            None => self.push(Token::Int(n)),
        }
    }

    #[inline]
    fn uint(&mut self, n: u64) {
        match self.json_text() {
            Some(out) => {
                out.extend_from_slice(
                    itoa::Buffer::new().format(n).as_bytes(),
                );
            }
            None => self.push(Token::UInt(n)),
        }
    }

    #[inline]
    fn float(&mut self, f: f64) {
        match self.json_text() {
            Some(out) => write_float(out, f),
            None => self.push(Token::Float(f)),
        }
    }

    #[inline]
    fn number_text(&mut self, text: &str) {
        match self.json_text() {
            Some(out) => out.extend_from_slice(text.as_bytes()),
            // Only `json` values carry literals; kept as text otherwise.
            None => self.string(text, Strings::Unknown),
        }
    }

    #[inline(always)]
    fn string(&mut self, s: &str, strings: Strings<'_>) {
        if self.stage.discarding {
            return;
        }
        let text = &mut self.stage.text;
        if self.stage.json.is_some() {
            write_json_str(text, s, strings);
        } else if let Some((start, end)) = strings.span(s) {
            // Copied once, from the record into its column.
            self.stage.raw += end - start;
            self.stage.tokens.push(Token::Raw(start, end));
        } else {
            let start = text.len();
            text.extend_from_slice(s.as_bytes());
            self.stage.tokens.push(Token::Str(start, text.len()));
        }
    }

    #[inline]
    fn timestamp(&mut self, t: Timestamp, _event_time: bool) {
        if let Some(out) = self.json_text() {
            out.push(b'"');
            t.write_to(out);
            out.push(b'"');
            return;
        }
        match i64::try_from(t.unix_nanos()) {
            Ok(ns) => self.push(Token::Time(ns)),
            Err(_) => {
                if !self.stage.discarding {
                    self.stage.out_of_range.get_or_insert(t);
                }
                self.push(Token::Null);
            }
        }
    }

    #[inline]
    fn day_cache(&self) -> Option<&DayCache> {
        None
    }

    #[inline]
    fn begin_object(&mut self) {
        match self.json_text() {
            Some(out) => out.push(b'{'),
            None => self.push(Token::BeginObject),
        }
    }

    #[inline]
    fn end_object(&mut self) {
        match self.json_text() {
            Some(out) => out.push(b'}'),
            None => self.push(Token::EndObject),
        }
    }

    #[inline]
    fn begin_array(&mut self) {
        match self.json_text() {
            Some(out) => out.push(b'['),
            None => self.push(Token::BeginArray),
        }
    }

    #[inline]
    fn end_array(&mut self) {
        match self.json_text() {
            Some(out) => out.push(b']'),
            None => self.push(Token::EndArray),
        }
    }

    #[inline]
    fn begin_json(&mut self) {
        if !self.stage.discarding {
            self.stage.json = Some(self.stage.text.len());
        }
    }

    #[inline]
    fn end_json(&mut self) {
        if let Some(start) = self.stage.json.take() {
            let end = self.stage.text.len();
            self.push(Token::Json(start, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The staged tokens and text after `calls`.
    fn staged(calls: impl FnOnce(&mut ArrowSink<'_>)) -> Stage {
        let mut stage = Stage::default();
        let mut sink = ArrowSink::new(&mut stage);
        sink.begin_record();
        calls(&mut sink);
        stage
    }

    #[test]
    fn json_values_are_staged_as_their_text() {
        let stage = staged(|s| {
            s.key(0, true);
            s.begin_json();
            s.begin_object();
            s.separator(true);
            s.member("a\"", Strings::Unknown);
            s.begin_array();
            s.separator(true);
            s.number_text("1.50");
            s.separator(false);
            s.null();
            s.separator(false);
            s.string("x\n", Strings::Unknown);
            s.end_array();
            s.end_object();
            s.end_json();
            s.key(1, false);
            s.string("plain\n", Strings::Unknown);
        });
        assert_eq!(
            stage.tokens,
            [
                Token::Key(0),
                Token::Json(0, 25),
                Token::Key(1),
                Token::Str(25, 31)
            ]
        );
        assert_eq!(
            std::str::from_utf8(&stage.text).unwrap(),
            "{\"a\\\"\":[1.50,null,\"x\\n\"]}plain\n"
        );
    }

    /// A rewound field leaves nothing, text included; an aborted record
    /// leaves an empty stage; discovered fields are dropped.
    #[test]
    fn rewind_abort_and_discovery_leave_nothing() {
        let stage = staged(|s| {
            s.key(0, true);
            s.int(1);
            let mark = s.mark();
            s.key(1, false);
            s.begin_json();
            s.string("gone", Strings::Unknown);
            s.rewind(mark);
            s.key(2, false);
            s.timestamp(Timestamp::from_unix(1, 5).unwrap(), true);
            s.discovered_key("new", false);
            s.string("dropped", Strings::Unknown);
            s.begin_json();
            s.int(3);
            s.end_json();
        });
        assert_eq!(
            stage.tokens,
            [
                Token::Key(0),
                Token::Int(1),
                Token::Key(2),
                Token::Time(1_000_000_005)
            ]
        );
        assert!(stage.text.is_empty());
        let mut stage = stage;
        let mut sink = ArrowSink::new(&mut stage);
        sink.abort();
        assert!(stage.tokens.is_empty() && stage.json.is_none());
    }

    #[test]
    fn timestamps_outside_nanoseconds_are_noted() {
        let stage = staged(|s| {
            s.key(0, true);
            s.timestamp(Timestamp::MIN, false);
        });
        assert_eq!(stage.tokens, [Token::Key(0), Token::Null]);
        assert_eq!(stage.out_of_range, Some(Timestamp::MIN));
    }
}
