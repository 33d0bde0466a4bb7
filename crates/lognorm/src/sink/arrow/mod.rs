//! The Arrow sink (feature `arrow`): records become rows of Arrow
//! column builders.
//!
//! - [`ArrowSink`]: the [`Sink`] writes each value straight into its
//!   column's builder as the walk reaches it (a string is copied once,
//!   from the record into its column). A record that fails is undone
//!   ([`Sink::abort`] truncates every column back to the rows before
//!   it), so it never leaves a partial row.
//! - [`columns`]: the column builders, laid out from the plan.
//! - [`decoder`]: the public `lognorm::arrow` API (`arrow_schema`,
//!   `BatchDecoder`); [`parquet`]: `lognorm::parquet` (feature
//!   `parquet`).

pub(crate) mod columns;
pub(crate) mod decoder;
#[cfg(feature = "parquet")]
pub(crate) mod parquet;

use crate::input::json::Strings;
use crate::time::{DayCache, Timestamp};

use self::columns::Column;
use super::Sink;
use super::json::escape::write_json_str;
use super::json::float::write_float;

/// No node: no field is open for a value.
const NONE: usize = usize::MAX;

/// An object or array the walk is inside of.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    /// The Struct or List node.
    node: usize,
    /// A Struct's row (the row its fields' values take).
    row: usize,
    /// A List's elements node (`NONE` for a Struct).
    elements: usize,
}

/// A position of a walk, to go back to when a value is not written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    target: usize,
    row: usize,
    skip: u32,
    json: Option<(usize, usize)>,
    /// The `json` value's text so far, when inside one.
    text: usize,
    discarding: bool,
    writes: usize,
}

/// The [`Sink`] that writes a record into Arrow column builders.
#[derive(Debug)]
pub(crate) struct ArrowSink<'a> {
    nodes: &'a mut [Column],
    /// The node of each column id (`FieldPlan::column`, unique in the
    /// plan).
    by_column: &'a [usize],
    frames: &'a mut Vec<Frame>,
    /// The innermost Struct's row.
    frame_row: usize,
    /// The node the next value goes to, and the row it takes there
    /// (nulls pad the column up to it first).
    target: usize,
    row: usize,
    /// Inside a value that is not written, this many objects and arrays
    /// deep: an object or array where the column has another type (it is
    /// a null), or a `json` value with nowhere to go.
    skip: u32,
    /// Inside a `json` value: its node and where its text starts; the
    /// text is written to `text`, the node's bytes taken out of it
    /// meanwhile (no lookup of the node for every piece).
    json: Option<(usize, usize)>,
    text: Vec<u8>,
    /// After a discovered key (SPEC §10): discovered fields are not
    /// columns of the log type's Arrow schema, so they are dropped.
    discarding: bool,
    /// Values and containers written in this record.
    pub writes: usize,
    /// Bytes of text written in this record (an upper bound).
    pub bytes: usize,
    /// A timestamp that nanoseconds since the epoch cannot hold (before
    /// 1677-09-21 or after 2262-04-11), which fails the record.
    pub out_of_range: Option<Timestamp>,
    /// A rewind past a written value, which the walker never asks for:
    /// the record fails rather than leave its columns uneven.
    pub broken: bool,
}

impl<'a> ArrowSink<'a> {
    /// A sink writing into `nodes` (node 0 the record's Struct), with
    /// `frames` as its stack.
    #[inline]
    pub fn new(
        nodes: &'a mut [Column],
        by_column: &'a [usize],
        frames: &'a mut Vec<Frame>,
    ) -> ArrowSink<'a> {
        ArrowSink {
            nodes,
            by_column,
            frames,
            frame_row: 0,
            target: NONE,
            row: 0,
            skip: 0,
            json: None,
            text: Vec::new(),
            discarding: false,
            writes: 0,
            bytes: 0,
            out_of_range: None,
            broken: false,
        }
    }

    /// The column and row of the value about to be written, unless it is
    /// not written.
    #[inline(always)]
    fn open(&mut self) -> Option<(&mut Column, usize)> {
        if self.skip != 0 || self.discarding {
            return None;
        }
        self.writes += 1;
        let row = self.row;
        self.nodes.get_mut(self.target).map(|c| (c, row))
    }

    /// The `json` value's text, when inside one.
    #[inline(always)]
    fn json_text(&mut self) -> Option<&mut Vec<u8>> {
        match self.json {
            Some(_) => Some(&mut self.text),
            None => None,
        }
    }

    /// Gives the `json` value's node its bytes back (its text so far
    /// included), leaving the value.
    fn close_json(&mut self) -> Option<(usize, usize)> {
        let (node, start) = self.json.take()?;
        if let Some(Column::Utf8(b)) = self.nodes.get_mut(node) {
            std::mem::swap(&mut b.values, &mut self.text);
        }
        Some((node, start))
    }

    /// After an object or array ends: the next value goes to the
    /// enclosing List's elements, or waits for its key.
    #[inline]
    fn reopen(&mut self) {
        match self.frames.last() {
            Some(f) if f.elements != NONE => {
                self.target = f.elements;
                self.row = 0;
            }
            Some(f) => {
                self.target = NONE;
                self.frame_row = f.row;
            }
            None => self.target = NONE,
        }
    }

    /// Enters a value that is not written (see `skip`).
    #[inline]
    fn skip_in(&mut self) {
        self.skip += 1;
    }

    /// Leaves one level of a value that is not written.
    #[inline]
    fn skip_out(&mut self) {
        self.skip = self.skip.saturating_sub(1);
        if self.skip == 0 {
            self.reopen();
        }
    }

    /// An integer as the value: a column of another width takes it if
    /// it fits (else a null), Float64 as the row's reader reads it.
    #[inline(always)]
    fn integer(&mut self, n: i64) {
        let Some((column, row)) = self.open() else {
            return;
        };
        match column {
            Column::Int64(p) => p.put(row, n),
            Column::Int32(p) => match i32::try_from(n) {
                Ok(n) => p.put(row, n),
                Err(_) => column.null_at(row),
            },
            Column::Int16(p) => match i16::try_from(n) {
                Ok(n) => p.put(row, n),
                Err(_) => column.null_at(row),
            },
            Column::Float64(p) => p.put(row, n as f64),
            column => column.null_at(row),
        }
    }
}

impl Sink for ArrowSink<'_> {
    type Mark = Mark;

    #[inline]
    fn begin_record(&mut self) {
        self.frames.clear();
        let row = self.nodes.first().map_or(0, Column::len);
        self.frames.push(Frame { node: 0, row, elements: NONE });
        self.frame_row = row;
        self.target = NONE;
        self.row = row;
        self.skip = 0;
        self.json = None;
        self.discarding = false;
        self.writes = 0;
        self.bytes = 0;
        self.out_of_range = None;
        self.broken = false;
    }

    /// Undoes the record: every column goes back to the rows before it.
    #[cold]
    fn abort(&mut self) {
        self.close_json();
        let rows = self.nodes.first().map_or(0, Column::len);
        columns::truncate(self.nodes, 0, rows);
        self.begin_record();
    }

    #[inline]
    fn mark(&self) -> Mark {
        Mark {
            target: self.target,
            row: self.row,
            skip: self.skip,
            json: self.json,
            text: self.text.len(),
            discarding: self.discarding,
            writes: self.writes,
        }
    }

    #[inline]
    fn rewind(&mut self, mark: Mark) {
        // Containers count as writes: the frames are as they were.
        if self.writes != mark.writes {
            self.broken = true;
            return;
        }
        // A `json` value's text since the mark (the value's own, when
        // it began after it).
        if self.json.is_some() {
            if mark.json.is_some() {
                self.text.truncate(mark.text);
            } else if let Some((node, start)) = self.close_json()
                && let Some(Column::Utf8(b)) = self.nodes.get_mut(node)
            {
                b.values.truncate(start);
            }
        }
        self.target = mark.target;
        self.row = mark.row;
        self.skip = mark.skip;
        self.json = mark.json;
        self.discarding = mark.discarding;
    }

    #[inline]
    fn key(&mut self, column: u32, _first: bool) {
        if self.skip != 0 || self.discarding {
            return;
        }
        // The walk keys the fields of the object it is in.
        self.target =
            self.by_column.get(column as usize).copied().unwrap_or(NONE);
        self.row = self.frame_row;
    }

    #[inline]
    fn discovered_key(&mut self, _column: &str, _first: bool) {
        self.discarding = true;
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
        if let Some(out) = self.json_text() {
            out.extend_from_slice(b"null");
            return;
        }
        if let Some((column, row)) = self.open() {
            column.null_at(row);
        }
    }

    #[inline]
    fn boolean(&mut self, b: bool) {
        if let Some(out) = self.json_text() {
            out.extend_from_slice(if b { b"true" } else { b"false" });
            return;
        }
        match self.open() {
            Some((Column::Boolean { values, nulls }, row)) => {
                if values.len() < row {
                    values.append_n(row - values.len(), false);
                    nulls.append_n_nulls(row - nulls.len());
                }
                values.append(b);
                nulls.append_non_null();
            }
            Some((column, row)) => column.null_at(row),
            None => {}
        }
    }

    #[inline]
    fn int(&mut self, n: i64) {
        if let Some(out) = self.json_text() {
            out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
            return;
        }
        self.integer(n);
    }

    #[inline]
    fn int_text(&mut self, n: i64, text: &str) {
        if let Some(out) = self.json_text() {
            out.extend_from_slice(text.as_bytes());
            return;
        }
        self.integer(n);
    }

    #[inline]
    fn uint(&mut self, n: u64) {
        if let Some(out) = self.json_text() {
            out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
            return;
        }
        match self.open() {
            Some((Column::Float64(p), row)) => p.put(row, n as f64),
            Some((column, row)) => column.null_at(row),
            None => {}
        }
    }

    #[inline]
    fn float(&mut self, f: f64) {
        if let Some(out) = self.json_text() {
            write_float(out, f);
            return;
        }
        match self.open() {
            Some((Column::Float64(p), row)) => p.put(row, f),
            Some((column, row)) => column.null_at(row),
            None => {}
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
        if let Some(out) = self.json_text() {
            write_json_str(out, s, strings);
            return;
        }
        self.bytes += s.len();
        match self.open() {
            Some((Column::Utf8(b), row)) => {
                b.pad_to(row);
                b.push(s.as_bytes());
            }
            Some((column, row)) => column.null_at(row),
            None => {}
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
        let ns = i64::try_from(t.unix_nanos()).ok();
        if ns.is_none() && self.skip == 0 && !self.discarding {
            self.out_of_range.get_or_insert(t);
        }
        match (self.open(), ns) {
            (Some((Column::Timestamp(p), row)), Some(ns)) => p.put(row, ns),
            (Some((column, row)), _) => column.null_at(row),
            (None, _) => {}
        }
    }

    #[inline]
    fn day_cache(&self) -> Option<&DayCache> {
        None
    }

    #[inline]
    fn begin_object(&mut self) {
        if let Some(out) = self.json_text() {
            out.push(b'{');
            return;
        }
        let node = self.target;
        match self.open() {
            Some((Column::Struct { nulls, len, .. }, row)) => {
                if *len < row {
                    nulls.append_n_nulls(row - *len);
                    *len = row;
                }
                let row = *len;
                self.frames.push(Frame { node, row, elements: NONE });
                self.frame_row = row;
                self.target = NONE;
            }
            Some((column, row)) => {
                column.null_at(row);
                self.skip_in();
            }
            None => self.skip_in(),
        }
    }

    #[inline]
    fn end_object(&mut self) {
        if let Some(out) = self.json_text() {
            out.push(b'}');
            return;
        }
        if self.skip != 0 {
            return self.skip_out();
        }
        if let Some(f) = self.frames.pop()
            && let Some(Column::Struct { nulls, len, .. }) =
                self.nodes.get_mut(f.node)
        {
            nulls.append_non_null();
            *len += 1;
        }
        self.reopen();
    }

    #[inline]
    fn begin_array(&mut self) {
        if let Some(out) = self.json_text() {
            out.push(b'[');
            return;
        }
        let node = self.target;
        match self.open() {
            Some((Column::List { offsets, nulls, values }, row)) => {
                columns::pad_list(offsets, nulls, row);
                let elements = *values;
                self.frames.push(Frame { node, row: 0, elements });
                self.target = elements;
                self.row = 0;
            }
            Some((column, row)) => {
                column.null_at(row);
                self.skip_in();
            }
            None => self.skip_in(),
        }
    }

    #[inline]
    fn end_array(&mut self) {
        if let Some(out) = self.json_text() {
            out.push(b']');
            return;
        }
        if self.skip != 0 {
            return self.skip_out();
        }
        if let Some(f) = self.frames.pop() {
            let n = self.nodes.get(f.elements).map_or(0, Column::len);
            if let Some(Column::List { offsets, nulls, .. }) =
                self.nodes.get_mut(f.node)
            {
                offsets.push(i32::try_from(n).unwrap_or(i32::MAX));
                nulls.append_non_null();
            }
        }
        self.reopen();
    }

    #[inline]
    fn begin_json(&mut self) {
        if self.skip != 0 || self.discarding {
            return self.skip_in();
        }
        let (node, row) = (self.target, self.row);
        match self.nodes.get_mut(node) {
            Some(Column::Utf8(b)) => {
                b.pad_to(row);
                std::mem::swap(&mut b.values, &mut self.text);
                self.json = Some((node, self.text.len()));
            }
            Some(column) => {
                self.writes += 1;
                column.null_at(row);
                self.skip_in();
            }
            None => self.skip_in(),
        }
    }

    #[inline]
    fn end_json(&mut self) {
        let Some((node, start)) = self.close_json() else {
            return self.skip_out();
        };
        if let Some(Column::Utf8(b)) = self.nodes.get_mut(node) {
            self.bytes += b.values.len() - start;
            self.writes += 1;
            b.end_value();
        }
    }
}

#[cfg(test)]
mod tests {
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;
    use arrow_array::{Array, ArrayRef};

    use super::columns::Builders;
    use super::*;
    use crate::registry::Registry;

    /// A log type of a bigint `n`, a `json` field `j`, a string `s` and
    /// a timestamp `t`, with their column ids.
    fn plan() -> Registry {
        let yaml = "schema: Test.One\nfields:\n  - name: n\n    type: bigint\n  \
                    - name: j\n    type: json\n  - name: s\n    type: string\n  \
                    - name: t\n    type: timestamp\n    timeFormats: [rfc3339]\n";
        Registry::builder().add_yaml("test.yml", yaml).expect("schema").build()
    }

    /// What the sink noted of a record.
    struct Noted {
        broken: bool,
        out_of_range: Option<Timestamp>,
    }

    /// Writes one record with `calls` into fresh builders, then takes
    /// the declared columns' arrays (`ended`: the row was ended as a
    /// successful record would be; otherwise it was aborted).
    fn written(
        calls: impl FnOnce(&mut ArrowSink<'_>),
        ended: bool,
    ) -> (Vec<ArrayRef>, Noted) {
        let registry = plan();
        let lt = registry.log_type("Test.One").expect("type");
        let mut b = Builders::new(lt.plan());
        let mut frames = Vec::new();
        let mut sink = ArrowSink::new(&mut b.nodes, &b.by_column, &mut frames);
        sink.begin_record();
        calls(&mut sink);
        let noted =
            Noted { broken: sink.broken, out_of_range: sink.out_of_range };
        if ended {
            let indicators = crate::indicators::Collector::default();
            let p = columns::PFields {
                event_time: 0,
                parse_time: 0,
                source_id: None,
                source_label: None,
                indicators: &indicators,
            };
            b.end_row(&p);
        } else {
            sink.abort();
        }
        let schema = columns::schema(lt.plan());
        let arrays = b.finish(&schema, "Test.One").expect("finish");
        (arrays.into_iter().take(4).collect(), noted)
    }

    fn key_of(name: &str) -> u32 {
        let registry = plan();
        let lt = registry.log_type("Test.One").expect("type");
        let columns = &lt.plan().columns;
        let i = columns.iter().position(|c| &**c == name).expect("column");
        u32::try_from(i).expect("small")
    }

    #[test]
    fn json_values_are_written_as_their_text() {
        let (j, s) = (key_of("j"), key_of("s"));
        let (arrays, noted) = written(
            |w| {
                w.key(j, true);
                w.begin_json();
                w.begin_object();
                w.separator(true);
                w.member("a\"", Strings::Unknown);
                w.begin_array();
                w.separator(true);
                w.number_text("1.50");
                w.separator(false);
                w.null();
                w.separator(false);
                w.string("x\n", Strings::Unknown);
                w.end_array();
                w.end_object();
                w.end_json();
                w.key(s, false);
                w.string("plain\n", Strings::Unknown);
            },
            true,
        );
        assert!(!noted.broken);
        assert_eq!(
            arrays[1].as_string::<i32>().value(0),
            "{\"a\\\"\":[1.50,null,\"x\\n\"]}"
        );
        assert_eq!(arrays[2].as_string::<i32>().value(0), "plain\n");
        assert!(arrays[0].is_null(0) && arrays[3].is_null(0));
    }

    /// A rewound field leaves nothing, text included; discovered fields
    /// are dropped; an aborted record leaves no row.
    #[test]
    fn rewind_abort_and_discovery_leave_nothing() {
        let (n, j, t) = (key_of("n"), key_of("j"), key_of("t"));
        let calls = |w: &mut ArrowSink<'_>| {
            w.key(n, true);
            w.int(1);
            let mark = w.mark();
            w.key(j, false);
            w.begin_json();
            w.string("gone", Strings::Unknown);
            w.rewind(mark);
            w.key(t, false);
            w.timestamp(Timestamp::from_unix(1, 5).unwrap(), true);
            w.discovered_key("new", false);
            w.string("dropped", Strings::Unknown);
            w.begin_json();
            w.int(3);
            w.end_json();
        };
        let (arrays, noted) = written(calls, true);
        assert!(!noted.broken);
        assert_eq!(arrays[0].as_primitive::<Int64Type>().values(), &[1]);
        assert!(arrays[1].is_null(0) && arrays[2].is_null(0));
        let j = arrays[1].as_string::<i32>();
        assert_eq!(j.value_data(), b"", "the rewound text is gone");
        assert_eq!(arrays[3].to_data().buffers()[0].len(), 8);
        let (arrays, _) = written(calls, false);
        assert!(arrays.iter().all(|a| a.is_empty()), "{arrays:?}");
    }

    /// A rewind past a written value marks the record broken (it fails).
    #[test]
    fn a_rewind_past_a_value_breaks_the_record() {
        let n = key_of("n");
        let (_, noted) = written(
            |w| {
                let mark = w.mark();
                w.key(n, true);
                w.int(1);
                w.rewind(mark);
            },
            false,
        );
        assert!(noted.broken);
    }

    /// A timestamp outside nanoseconds is noted (the record fails) and
    /// its column gets a null.
    #[test]
    fn timestamps_outside_nanoseconds_are_noted() {
        let t = key_of("t");
        let (arrays, noted) = written(
            |w| {
                w.key(t, true);
                w.timestamp(Timestamp::MIN, false);
            },
            true,
        );
        assert_eq!(noted.out_of_range, Some(Timestamp::MIN));
        assert!(arrays[3].is_null(0));
    }
}
