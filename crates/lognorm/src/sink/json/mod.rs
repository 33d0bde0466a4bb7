//! The JSON row writer: the row Panther's data lake stores, one JSON
//! object per event (SPEC §3).
//!
//! - [`JsonFormat`]: what a log type's rows share, built once when the
//!   log type is compiled: each column's pre-encoded key
//!   ([`keys::OutKey`]) and the start of the `p_*` fields.
//! - [`JsonRow`]: the [`Sink`] that writes one row into a reused buffer.
//! - [`escape`]: the string escaper; [`tail`]: the `p_*` fields.

pub(crate) mod escape;
pub(crate) mod float;
pub(crate) mod keys;
pub(crate) mod tail;

use std::ops::Range;

use crate::indicators::Collector;
use crate::input::json::Strings;
use crate::rowid::RowIdGenerator;
use crate::schema::Schema;
use crate::time::{DayCache, Timestamp};

use super::Sink;
use escape::{write_json_str, write_str};
use float::write_float;
use keys::OutKey;
use tail::ContextText;

/// What the rows of one log type share: each column's key, by column id,
/// and the start of the `p_*` fields.
#[derive(Debug)]
pub(crate) struct JsonFormat {
    keys: Box<[OutKey]>,
    p_prefix: Box<[u8]>,
}

impl JsonFormat {
    /// The row format of `schema`.
    pub fn new(schema: &Schema) -> JsonFormat {
        JsonFormat {
            keys: schema.columns.iter().map(|c| OutKey::new(c)).collect(),
            p_prefix: tail::p_prefix(&schema.name),
        }
    }
}

/// A [`Sink`] that writes one JSON row into `out`.
#[derive(Debug)]
pub(crate) struct JsonRow<'a> {
    out: &'a mut Vec<u8>,
    keys: &'a [OutKey],
    day: &'a mut DayCache,
    /// Where `out` holds the text of the best event time so far, so
    /// `p_event_time` copies it instead of formatting it a second time.
    /// (A written value is never taken back while the record goes on.)
    event_at: Option<usize>,
}

impl<'a> JsonRow<'a> {
    /// A row writer for `format`'s rows into `out`, with the day cache of
    /// the thread's scratch.
    #[inline]
    pub fn new(
        format: &'a JsonFormat,
        out: &'a mut Vec<u8>,
        day: &'a mut DayCache,
    ) -> JsonRow<'a> {
        JsonRow { out, keys: &format.keys, day, event_at: None }
    }

    /// The buffers back (the classifier walks several candidates, one
    /// after another, into one buffer).
    pub fn into_parts(self) -> (&'a mut Vec<u8>, &'a mut DayCache) {
        (self.out, self.day)
    }

    /// Appends the `p_*` fields and closes the row; `event_time` is the
    /// event time a field gave (`None`: the event takes the parse time).
    /// Returns the row id's byte range.
    #[inline]
    pub fn finish(
        self,
        format: &JsonFormat,
        event_time: Option<Timestamp>,
        row_ids: &mut RowIdGenerator,
        context: &ContextText,
        indicators: &Collector,
    ) -> Range<usize> {
        let empty = self.out.len() <= 1;
        let at = self.event_at.filter(|_| event_time.is_some());
        debug_assert!(at.is_none_or(|at| {
            let text = event_time.map(Timestamp::text);
            self.out.get(at..at + crate::time::TEXT_LEN)
                == text.as_ref().map(|t| &t[..])
        }));
        tail::write_p_fields(
            self.out,
            empty,
            &format.p_prefix,
            at,
            row_ids,
            context,
            indicators,
        )
    }
}

impl Sink for JsonRow<'_> {
    type Mark = usize;

    #[inline]
    fn begin_record(&mut self) {
        self.out.clear();
        self.out.push(b'{');
        self.event_at = None;
    }

    #[inline]
    fn abort(&mut self) {
        self.out.clear();
        self.event_at = None;
    }

    #[inline(always)]
    fn mark(&self) -> usize {
        self.out.len()
    }

    #[inline(always)]
    fn rewind(&mut self, mark: usize) {
        self.out.truncate(mark);
    }

    #[inline(always)]
    fn key(&mut self, column: u32, first: bool) {
        if let Some(key) = self.keys.get(column as usize) {
            key.write(self.out, first);
        }
    }

    #[inline]
    fn discovered_key(&mut self, column: &str, first: bool) {
        if !first {
            self.out.push(b',');
        }
        self.out.push(b'"');
        self.out.extend_from_slice(column.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    #[inline(always)]
    fn separator(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
    }

    // Always: with the classifier's sink beside it, the inliner left it
    // out of line (+280 instructions a Databricks.Audit record).
    #[inline(always)]
    fn member(&mut self, key: &str, strings: Strings<'_>) {
        write_json_str(self.out, key, strings);
        self.out.push(b':');
    }

    #[inline]
    fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    #[inline(always)]
    fn boolean(&mut self, b: bool) {
        self.out.extend_from_slice(if b { b"true" } else { b"false" });
    }

    #[inline]
    fn int(&mut self, n: i64) {
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    #[inline(always)]
    fn int_text(&mut self, _: i64, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    #[inline]
    fn uint(&mut self, n: u64) {
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    #[inline]
    fn float(&mut self, f: f64) {
        write_float(self.out, f);
    }

    #[inline]
    fn number_text(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    #[inline(always)]
    fn string(&mut self, s: &str, strings: Strings<'_>) {
        write_json_str(self.out, s, strings);
    }

    #[inline(always)]
    fn timestamp(&mut self, t: Timestamp, event_time: bool) {
        self.out.push(b'"');
        if event_time {
            self.event_at = Some(self.out.len());
        }
        t.write_to_cached(self.out, self.day);
        self.out.push(b'"');
    }

    #[inline(always)]
    fn day_cache(&self) -> Option<&DayCache> {
        Some(self.day)
    }

    #[inline]
    fn begin_object(&mut self) {
        self.out.push(b'{');
    }

    #[inline]
    fn end_object(&mut self) {
        self.out.push(b'}');
    }

    #[inline]
    fn begin_array(&mut self) {
        self.out.push(b'[');
    }

    #[inline]
    fn end_array(&mut self) {
        self.out.push(b']');
    }

    #[inline(always)]
    fn begin_json(&mut self) {}

    #[inline(always)]
    fn end_json(&mut self) {}
}

/// A JSON string's text for an error message.
#[cold]
pub(crate) fn quoted(s: &str) -> String {
    let mut json = Vec::with_capacity(s.len() + 2);
    write_str(&mut json, s);
    String::from_utf8(json).unwrap_or_default()
}
