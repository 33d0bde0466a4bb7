//! `lognorm::arrow`: payloads in, Arrow record batches out.

use std::collections::VecDeque;
use std::io::Write as _;
use std::sync::Arc;

use arrow_array::types::UInt64Type;
use arrow_array::{ArrayRef, BinaryArray, PrimitiveArray, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};

use crate::context::Context;
use crate::error::{FieldError, RecordError, RecordErrorKind as K};
use crate::input::json::{Strings, with_tape};
use crate::input::split::Record;
use crate::registry::LogType;
use crate::scratch::Scratch;
use crate::sink::Sink;
use crate::time::Timestamp;
use crate::walk::Walker;

use super::columns::{Builders, Bytes, PFields};
use super::{ArrowSink, Frame};

/// The most bytes of text (and list elements) one batch takes before it
/// is cut, below the `i32` offsets of Utf8, Binary and List arrays.
const MAX_WEIGHT: usize = i32::MAX as usize - (1 << 20);

/// The Arrow schema of `log_type`'s event batches.
///
/// The declared fields come first, in schema order and named as in the
/// JSON row: `string` is Utf8, `smallint`/`int`/`bigint` Int16/Int32/
/// Int64, `float` Float64, `boolean` Boolean, `timestamp`
/// Timestamp(ns, "UTC"), `object` a Struct of its fields, `array` a List
/// of its element, and `json` Utf8 holding the value's JSON text (its
/// field's metadata says `"lognorm.type": "json"`, so it can move to a
/// variant type later). Every declared field is nullable. Then the
/// `p_*` columns: `p_log_type` (a Dictionary of Int32 keys to Utf8),
/// `p_row_id` (Utf8), `p_event_time` and `p_parse_time` (timestamps),
/// `p_source_id` and `p_source_label` (nullable Utf8), and every
/// `p_any_*` column as a nullable List of Utf8 (null when the set is
/// empty). Discovered fields (`fieldDiscoveryEnabled`) are not columns:
/// they are left out of the batches.
///
/// # Example
///
/// ```
/// use arrow_schema::DataType;
/// use lognorm::Registry;
///
/// let yaml = "schema: Custom.Ping\nfields:\n  - name: host\n    type: string\n";
/// let registry = Registry::builder().add_yaml("ping.yml", yaml)?.build();
/// let schema = lognorm::arrow::arrow_schema(registry.log_type("Custom.Ping").unwrap());
/// assert_eq!(schema.field(0).name(), "host");
/// assert_eq!(schema.field(0).data_type(), &DataType::Utf8);
/// assert_eq!(schema.field(1).name(), "p_log_type");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn arrow_schema(log_type: &LogType) -> SchemaRef {
    Arc::new(super::columns::schema(log_type.plan()))
}

/// The Arrow schema of failures batches ([`Batches::failures`]): one row
/// per record that failed, with `record_number` (UInt64, 1-based in its
/// payload), `offset` (UInt64, the record's byte offset in its payload),
/// `log_type` (Utf8), `error` (Utf8, the [`RecordError`]'s message) and
/// `raw` (Binary, the record's bytes).
///
/// # Example
///
/// ```
/// let schema = lognorm::arrow::failures_schema();
/// assert_eq!(schema.field(4).name(), "raw");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn failures_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("record_number", DataType::UInt64, false),
        Field::new("offset", DataType::UInt64, false),
        Field::new("log_type", DataType::Utf8, false),
        Field::new("error", DataType::Utf8, false),
        Field::new("raw", DataType::Binary, false),
    ]))
}

/// A batch of events and the batch of the records that failed while it
/// filled (dead letters, columnar too).
#[derive(Clone, Debug)]
pub struct Batches {
    /// The events, of the log type's [`arrow_schema()`].
    pub events: RecordBatch,
    /// The failed records, of [`failures_schema`].
    pub failures: RecordBatch,
}

/// The builders of a failures batch.
#[derive(Debug)]
struct Failures {
    numbers: Vec<u64>,
    offsets: Vec<u64>,
    errors: Bytes,
    raw: Bytes,
}

impl Failures {
    fn new() -> Failures {
        Failures {
            numbers: Vec::new(),
            offsets: Vec::new(),
            errors: Bytes::new(),
            raw: Bytes::new(),
        }
    }

    fn push(&mut self, e: &RecordError) {
        self.numbers.push(e.record_number());
        self.offsets.push(e.offset() as u64);
        // Writing to a `Vec` cannot fail.
        let _ = write!(self.errors.values, "{e}");
        self.errors.end_value();
        self.raw.push(e.raw());
    }

    fn finish(
        &mut self,
        schema: &SchemaRef,
        log_type: &str,
    ) -> Result<RecordBatch, ArrowError> {
        let numbers = std::mem::take(&mut self.numbers);
        let n = numbers.len();
        let offsets = std::mem::take(&mut self.offsets);
        let (o, v, nulls) = self.raw.take();
        let columns: Vec<ArrayRef> = vec![
            Arc::new(PrimitiveArray::<UInt64Type>::from(numbers)),
            Arc::new(PrimitiveArray::<UInt64Type>::from(offsets)),
            Arc::new(arrow_array::StringArray::from(vec![log_type; n])),
            Arc::new(self.errors.finish_utf8()?),
            Arc::new(BinaryArray::try_new(o, v, nulls)?),
        ];
        RecordBatch::try_new(schema.clone(), columns)
    }
}

/// Normalizes payloads of one log type straight into Arrow record
/// batches, in the shape of arrow-json's decoder: [`decode`] payloads,
/// then [`flush`] batches of at most the batch size the caller set.
/// The builders are kept and reused from batch to batch.
///
/// Records are normalized exactly as [`LogType::normalize`] does, into
/// the columns of [`arrow_schema()`] instead of JSON text; each record
/// that fails becomes a row of the companion failures batch instead, and
/// leaves nothing in any event column. A batch is also cut early, before
/// its text passes 2 GiB (Arrow's 32-bit offsets).
///
/// [`decode`]: BatchDecoder::decode
/// [`flush`]: BatchDecoder::flush
///
/// # Example
///
/// ```
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::Int32Type;
/// use lognorm::arrow::BatchDecoder;
/// use lognorm::{Context, Registry};
///
/// let yaml = "schema: Custom.Ping\nfields:\n  - name: ms\n    type: int\n    required: true\n";
/// let registry = Registry::builder().add_yaml("ping.yml", yaml)?.build();
/// let ping = registry.log_type("Custom.Ping").unwrap();
/// let mut ctx = Context::new("2024-05-01T12:00:00Z".parse()?, *b"node01");
///
/// let mut decoder = BatchDecoder::new(ping, 1024);
/// decoder.decode(b"{\"ms\":7}\n{\"ms\":\"x\"}\n{\"ms\":9}\n", &mut ctx)?;
/// let batches = decoder.flush()?.unwrap();
/// let ms = batches.events.column(0).as_primitive::<Int32Type>();
/// assert_eq!(ms.values(), &[7, 9]);
/// assert_eq!(
///     batches.failures.column(3).as_string::<i32>().value(0),
///     "record 2 (byte 9): field `ms`: expected int, found `\"x\"`",
/// );
/// assert!(decoder.flush()?.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BatchDecoder<'r> {
    log_type: &'r LogType,
    schema: SchemaRef,
    failures_schema: SchemaRef,
    batch_size: usize,
    scratch: Scratch,
    /// The sink's stack of objects and arrays, reused.
    frames: Vec<Frame>,
    builders: Builders,
    failures: Failures,
    /// Bytes of text and list elements in the batch so far.
    weight: usize,
    /// [`MAX_WEIGHT`] (smaller in tests).
    max_weight: usize,
    /// Full batches not flushed yet.
    ready: VecDeque<Batches>,
}

impl<'r> BatchDecoder<'r> {
    /// A decoder of `log_type`'s payloads into batches of `batch_size`
    /// events (at least 1).
    pub fn new(log_type: &'r LogType, batch_size: usize) -> BatchDecoder<'r> {
        let plan = log_type.plan();
        BatchDecoder {
            log_type,
            schema: arrow_schema(log_type),
            failures_schema: failures_schema(),
            batch_size: batch_size.max(1),
            scratch: Scratch::new(),
            frames: Vec::new(),
            builders: Builders::new(plan),
            failures: Failures::new(),
            weight: 0,
            max_weight: MAX_WEIGHT,
            ready: VecDeque::new(),
        }
    }

    /// The schema of the event batches ([`arrow_schema()`]).
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Normalizes every record of `payload` (split as
    /// [`LogType::split`] does). Each time `batch_size` events are
    /// buffered, they and the failures so far become a batch that waits
    /// for [`flush`](BatchDecoder::flush).
    ///
    /// # Errors
    ///
    /// An [`ArrowError`] if a finished batch does not fit its schema (a
    /// bug: please report it). Records that fail are not errors here:
    /// they are rows of the failures batch.
    pub fn decode(
        &mut self,
        payload: &[u8],
        ctx: &mut Context,
    ) -> Result<(), ArrowError> {
        for record in self.log_type.split(payload) {
            self.decode_record(record, ctx)?;
        }
        Ok(())
    }

    /// Normalizes one record (from [`LogType::split`] or a
    /// [`SplitReader`](crate::SplitReader)); see
    /// [`decode`](BatchDecoder::decode).
    ///
    /// # Errors
    ///
    /// As [`decode`](BatchDecoder::decode).
    pub fn decode_record(
        &mut self,
        record: Record<'_>,
        ctx: &mut Context,
    ) -> Result<(), ArrowError> {
        let name = self.log_type.name();
        // At most twice: a record that would take the batch past
        // `MAX_WEIGHT` is undone, the batch cut, and the record written
        // again into the next one.
        loop {
            let walked = walk(
                self.log_type,
                record,
                &mut self.scratch,
                &mut self.builders,
                &mut self.frames,
            )
            .and_then(|(event_time, weight)| {
                let parse_time = ns(ctx.parse_time(), "parse time")?;
                let event_time = match event_time {
                    Some(t) => ns(t, "event time")?,
                    None => parse_time,
                };
                Ok((event_time, parse_time, weight))
            });
            match walked {
                Ok((event_time, parse_time, mut weight)) => {
                    weight += 64
                        + ctx.source_id().map_or(0, str::len)
                        + ctx.source_label().map_or(0, str::len);
                    let indicators = &self.scratch.indicators;
                    for set in indicators.non_empty() {
                        weight += indicators
                            .values(set)
                            .map(str::len)
                            .sum::<usize>();
                    }
                    if self.over_weight(weight) && self.builders.rows() > 0 {
                        self.builders.undo();
                        self.cut()?;
                        continue;
                    }
                    self.weight = self.weight.saturating_add(weight);
                    ctx.row_ids.write_next(&mut self.builders.row_id.values);
                    let p = PFields {
                        event_time,
                        parse_time,
                        source_id: ctx.source_id(),
                        source_label: ctx.source_label(),
                        indicators: &self.scratch.indicators,
                    };
                    self.builders.end_row(&p);
                    if self.builders.rows() >= self.batch_size {
                        self.cut()?;
                    }
                }
                Err(e) => {
                    // `walk` undid what the record wrote.
                    let e = RecordError::new(name, record, e);
                    // The message quotes at most the found value, the
                    // field path and what was expected, with a short
                    // frame.
                    let message =
                        e.found().len() + e.path().len() + e.expected().len();
                    self.reserve(e.raw().len() + message + 256)?;
                    self.failures.push(&e);
                }
            }
            return Ok(());
        }
    }

    /// Whether `weight` more bytes would take the batch past
    /// [`MAX_WEIGHT`].
    fn over_weight(&self, weight: usize) -> bool {
        self.weight.saturating_add(weight) > self.max_weight
    }

    /// Makes room for `weight` more bytes in the batch: cuts it first if
    /// they would take it past [`MAX_WEIGHT`].
    fn reserve(&mut self, weight: usize) -> Result<(), ArrowError> {
        if self.over_weight(weight) {
            self.cut()?;
        }
        self.weight = self.weight.saturating_add(weight);
        Ok(())
    }

    /// Finishes the batch so far (even if empty) into `ready`.
    fn cut(&mut self) -> Result<(), ArrowError> {
        let name = self.log_type.name();
        let columns = self.builders.finish(&self.schema, name)?;
        let events = RecordBatch::try_new(self.schema.clone(), columns)?;
        let failures = self.failures.finish(&self.failures_schema, name)?;
        self.weight = 0;
        self.ready.push_back(Batches { events, failures });
        Ok(())
    }

    /// The events buffered and not yet in a finished batch.
    pub fn len(&self) -> usize {
        self.builders.rows()
    }

    /// Whether no event is buffered (see [`len`](BatchDecoder::len)).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a batch of `batch_size` events waits to be flushed.
    pub fn has_full_batch(&self) -> bool {
        !self.ready.is_empty()
    }

    /// The oldest finished batch, else the events and failures buffered
    /// so far (fewer than `batch_size` events), else `None`.
    ///
    /// # Errors
    ///
    /// As [`decode`](BatchDecoder::decode).
    pub fn flush(&mut self) -> Result<Option<Batches>, ArrowError> {
        if let Some(batches) = self.ready.pop_front() {
            return Ok(Some(batches));
        }
        if self.builders.rows() == 0 && self.failures.numbers.is_empty() {
            return Ok(None);
        }
        self.cut()?;
        Ok(self.ready.pop_front())
    }
}

/// `t` in nanoseconds since the epoch, or the error of a record whose
/// `what` does not fit.
fn ns(t: Timestamp, what: &str) -> Result<i64, FieldError> {
    i64::try_from(t.unix_nanos()).map_err(|_| out_of_range(t, what))
}

#[cold]
fn out_of_range(t: Timestamp, what: &str) -> FieldError {
    FieldError::new(
        K::InvalidValue,
        format!(
            "a {what} within Arrow's nanosecond range (1677-09-21 to \
             2262-04-11)"
        ),
        crate::error::quote(&t.to_string()),
    )
}

/// Walks one record of `log_type` into the columns of `builders`, as
/// `crate::normalize::normalize` does into a JSON row: the event time
/// the walk found and the record's weight (bytes of text and values
/// written), or the record's error (what it wrote is then undone).
fn walk(
    log_type: &LogType,
    record: Record<'_>,
    scratch: &mut Scratch,
    builders: &mut Builders,
    frames: &mut Vec<Frame>,
) -> Result<(Option<Timestamp>, usize), FieldError> {
    let (schema, limits) = (&log_type.schema, &log_type.limits);
    crate::normalize::check_size(record, limits)?;
    scratch.prepare(schema.slots, limits);
    let Scratch {
        input,
        buffers,
        tape,
        slots,
        hints,
        stack,
        indicators,
        literals,
        text,
        derived,
        ..
    } = scratch;
    let mut sink =
        ArrowSink::new(&mut builders.nodes, &builders.by_column, frames);
    sink.begin_record();
    let (result, mut sink) = match &schema.text {
        None => with_tape(
            record.bytes(),
            input,
            buffers,
            tape,
            literals,
            |parsed| {
                let (t, l, s) = match parsed {
                    Ok(parsed) => parsed,
                    Err(e) => return (Err(e), sink),
                };
                let mut w = Walker::new(
                    sink,
                    Some(l),
                    s,
                    slots,
                    hints,
                    indicators,
                    stack,
                    limits,
                    derived,
                );
                let result = w.root(&schema.root, t);
                let (event_time, sink) = w.finish();
                (result.map(|()| event_time), sink)
            },
        ),
        Some(parser) => {
            let mut w = Walker::new(
                sink,
                None,
                Strings::Unknown,
                slots,
                hints,
                indicators,
                stack,
                limits,
                derived,
            );
            let result = crate::normalize::walk_text(
                &mut w, schema, parser, text, &record,
            );
            let (event_time, sink) = w.finish();
            (result.map(|()| event_time), sink)
        }
    };
    let result = result.and_then(|t| {
        if let Some(bad) = sink.out_of_range {
            return Err(out_of_range(bad, "timestamp"));
        }
        if sink.broken {
            return Err(FieldError::new(
                K::InvalidValue,
                "a value lognorm can write (a bug: please report it)"
                    .to_owned(),
                "a value taken back after it was written".to_owned(),
            ));
        }
        Ok((t, sink.bytes + sink.writes))
    });
    if result.is_err() {
        sink.abort();
    } else {
        indicators.finish();
    }
    result
}

#[cfg(test)]
mod tests {
    use arrow_array::cast::AsArray;

    use super::*;
    use crate::registry::Registry;

    /// A record that would take the batch past its weight is undone and
    /// written again as the first row of the next batch: nothing is lost,
    /// repeated or cut short.
    #[test]
    fn a_record_past_the_weight_starts_the_next_batch() {
        let yaml = "schema: Test.Weight\nfields:\n  - name: s\n    \
                    type: string\n  - name: l\n    type: array\n    \
                    element:\n      type: string\n";
        let registry = Registry::builder()
            .add_yaml("w.yml", yaml)
            .expect("schema")
            .build();
        let lt = registry.log_type("Test.Weight").expect("type");
        let mut ctx = Context::new(
            "2024-05-01T12:00:00Z".parse().expect("t"),
            *b"test01",
        );
        let mut payload = String::new();
        for i in 0..5 {
            let s = "x".repeat(100 + i);
            payload += &format!("{{\"s\":\"{s}\",\"l\":[\"{i}\",\"y\"]}}\n");
        }
        let mut decoder = BatchDecoder::new(lt, 100);
        // Room for two records a batch (each weighs about 200).
        decoder.max_weight = 500;
        decoder.decode(payload.as_bytes(), &mut ctx).expect("decode");
        let mut sizes = Vec::new();
        let mut values = Vec::new();
        while let Some(b) = decoder.flush().expect("flush") {
            sizes.push(b.events.num_rows());
            let s = b.events.column(0).as_string::<i32>();
            let l = b.events.column(1).as_list::<i32>();
            for r in 0..b.events.num_rows() {
                let first = l.value(r);
                let first = first.as_string::<i32>().value(0).to_owned();
                values.push((s.value(r).len(), first));
            }
        }
        assert_eq!(sizes, [2, 2, 1]);
        let want: Vec<_> = (0..5).map(|i| (100 + i, i.to_string())).collect();
        assert_eq!(values, want);
    }
}
