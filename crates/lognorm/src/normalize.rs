//! The driver: one record through the stages.
//!
//! limits → input (a JSON record parsed onto a tape, or a text line
//! matched by the schema's parser) → walk (the plan, generic over the
//! sink) → sink (the JSON row and its `p_*` fields) → [`Event`].

use crate::context::Context;
use crate::error::{FieldError, RecordError, RecordErrorKind as K};
use crate::event::Event;
use crate::input::json::{Strings, with_tape};
use crate::input::split::Record;
use crate::input::text::{Mismatch, TextCaptures, TextParser, Values};
use crate::limits::Limits;
use crate::registry::LogType;
use crate::schema::Schema;
use crate::scratch::Scratch;
use crate::sink::Sink;
use crate::sink::json::JsonRow;
use crate::walk::{Found, Walker};

/// Normalizes one record of `log_type` into an event (see
/// [`LogType::normalize`]).
pub(crate) fn normalize<'s>(
    log_type: &LogType,
    record: Record<'_>,
    ctx: &mut Context,
    scratch: &'s mut Scratch,
) -> Result<Event<'s>, RecordError> {
    let (schema, limits) = (&log_type.schema, &log_type.limits);
    let error = |e| RecordError::new(&schema.name, record, e);
    let bytes = record.bytes();
    if let Err(e) = check_size(record, limits) {
        return Err(error(e));
    }
    scratch.prepare(schema.slots, limits);
    let Scratch {
        input,
        buffers,
        tape,
        slots,
        hints,
        stack,
        out,
        indicators,
        literals,
        text,
        day,
        derived,
        ..
    } = scratch;
    let mut sink = JsonRow::new(&log_type.json, out, day);
    sink.begin_record();
    let (result, mut sink) = match &schema.text {
        // Inlined: out of line, the closure moved the sink in and out by
        // value (~100 instructions a record).
        None => with_tape(
            bytes,
            input,
            buffers,
            tape,
            literals,
            #[inline(always)]
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
            let result = walk_text(&mut w, schema, parser, text, &record);
            let (event_time, sink) = w.finish();
            (result.map(|()| event_time), sink)
        }
    };
    let event_time = match result {
        Ok(t) => t,
        Err(e) => {
            sink.abort();
            return Err(error(e));
        }
    };
    indicators.finish();
    let row_id = sink.finish(
        &log_type.json,
        event_time,
        &mut ctx.row_ids,
        &ctx.text,
        indicators,
    );
    let parse_time = ctx.parse_time();
    let event_time = event_time.unwrap_or(parse_time);
    Ok(Event::new(out, row_id, event_time, parse_time, indicators, derived))
}

/// The record's size against the limits.
#[inline]
pub(crate) fn check_size(
    record: Record<'_>,
    limits: &Limits,
) -> Result<(), FieldError> {
    let bytes = record.bytes();
    // Past the payload limit, or longer than a reader's limit.
    if let Some(e) = record.limit_error() {
        return Err(e);
    }
    if bytes.len() > limits.record_bytes() {
        return Err(FieldError::new(
            K::Limit,
            format!("a record of at most {} bytes", limits.record_bytes()),
            format!("{} bytes", bytes.len()),
        ));
    }
    Ok(())
}

/// Matches a text record with the schema's parser, then writes the
/// matched values through the walker in schema order: each root field
/// knows its parser field (mapped when the schema was compiled), so no
/// tape is built and no key is looked up.
#[inline]
pub(crate) fn walk_text<S: Sink>(
    w: &mut Walker<'_, S>,
    schema: &Schema,
    parser: &TextParser,
    captures: &mut TextCaptures,
    record: &Record<'_>,
) -> Result<(), FieldError> {
    // The split's text when it checked the payload, else simdutf8: a
    // SIMD check, several times faster than std's on lines of a few
    // hundred bytes.
    let line = match record.text() {
        Some(line) => line,
        None => match simdutf8::basic::from_utf8(record.bytes()) {
            Ok(line) => line,
            Err(_) => {
                return Err(FieldError::new(
                    K::Syntax,
                    "a line of valid UTF-8",
                    "invalid UTF-8".to_owned(),
                ));
            }
        },
    };
    let line = match parser.parse(line, record.header(), captures) {
        Ok(line) => line,
        Err(m) => return Err(mismatch(m, line)),
    };
    let sources = schema.text_sources.iter();
    let mut wrote = false;
    let values = parser.values(captures, line);
    if schema.root.transforms {
        return transformed_text(w, schema, values);
    }
    for (field, &source) in schema.root.fields.iter().zip(sources) {
        let found = match values.get(source as usize) {
            Some(value) => Found::Text(value),
            None => Found::Missing,
        };
        wrote |= w.field(field, found, wrote)?;
    }
    Ok(())
}

/// [`walk_text`]'s loop for a schema with transformations (only `mask`,
/// and `rename`, which only moves the source, apply to text). Out of
/// line, so the common loop stays as small as it was (inlined twice, the
/// field writer cost ~150 instructions a Heroku line).
#[inline(never)]
fn transformed_text<S: Sink>(
    w: &mut Walker<'_, S>,
    schema: &Schema,
    values: Values<'_>,
) -> Result<(), FieldError> {
    let sources = schema.text_sources.iter();
    let mut wrote = false;
    for (field, &source) in schema.root.fields.iter().zip(sources) {
        let found = match values.get(source as usize) {
            Some(value) => Found::Text(value),
            None => Found::Missing,
        };
        wrote |= match field.transform.as_deref() {
            Some(t) => w.finish_field(field, t, found, wrote)?,
            None => w.field(field, found, wrote)?,
        };
    }
    Ok(())
}

/// The error of a text record that gave no values.
#[cold]
#[inline(never)]
fn mismatch(m: Mismatch, line: &str) -> FieldError {
    match m {
        Mismatch::NoMatch => FieldError::new(
            K::NoMatch,
            "a line matching one of the schema's patterns",
            crate::error::quote(line),
        ),
        Mismatch::Columns { found, expected } => FieldError::new(
            K::NoMatch,
            format!("a csv row of {expected} columns"),
            format!("{found} columns"),
        ),
        Mismatch::NoHeader => FieldError::new(
            K::NoMatch,
            "a csv row after the payload's header row",
            "no header row (split the payload with `LogType::split`)"
                .to_owned(),
        ),
        Mismatch::Rows => FieldError::new(
            K::NoMatch,
            "one csv row",
            "more than one row (split the payload with `LogType::split`)"
                .to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::context::Context;
    use crate::input::split::Record;
    use crate::limits::Limits;
    use crate::registry::Registry;
    use crate::scratch::Scratch;

    const SCHEMA: &str = "schema: Test.Driver\nfields:\n  - name: a\n    \
                          type: int\n    required: true\n";

    fn run(limits: Limits, records: &[&[u8]]) -> Vec<String> {
        let mut b = Registry::builder();
        b.limits(limits).add_yaml("driver.yml", SCHEMA).unwrap();
        let registry = b.build();
        let lt = registry.log_type("Test.Driver").unwrap();
        let mut ctx =
            Context::new("2024-01-01T00:00:00Z".parse().unwrap(), *b"driver");
        let mut scratch = Scratch::new();
        let mut out = Vec::new();
        for (i, bytes) in records.iter().enumerate() {
            let record = Record::new(bytes, i as u64 + 1, 0);
            out.push(
                match super::normalize(lt, record, &mut ctx, &mut scratch) {
                    // The declared fields, up to the `p_*` fields.
                    Ok(e) => {
                        e.row().split(",\"p_log_type").next().unwrap().into()
                    }
                    Err(e) => {
                        // A failed record leaves no row behind.
                        assert!(scratch.out.is_empty());
                        format!("error: {e}")
                    }
                },
            );
        }
        out
    }

    /// Each stage's failure is one record's error; the next record is
    /// written from a clean row.
    #[test]
    fn each_stage_fails_one_record_and_the_next_starts_clean() {
        let got = run(
            Limits::new().max_record_bytes(12),
            &[
                b"{\"a\":1}",
                b"{\"a\":1",
                b"{\"a\":\"x\"}",
                b"{\"a\":123456789}",
                b"{}",
                b"{\"a\":2}",
            ],
        );
        assert_eq!(
            got,
            [
                r#"{"a":1"#,
                "error: record 2 (byte 0): expected valid JSON, found \
                 unexpected end of input at byte 6",
                "error: record 3 (byte 0): field `a`: expected int, found \
                 `\"x\"`",
                "error: record 4 (byte 0): expected a record of at most 12 \
                 bytes, found 15 bytes",
                "error: record 5 (byte 0): field `a`: expected a value \
                 (required), found nothing",
                r#"{"a":2"#,
            ]
        );
    }
}
