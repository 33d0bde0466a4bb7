//! Inference from text samples: csv rows and lines.
//!
//! A text value is typed as the schema's coercions read it: a number
//! (`bigint` and `float` accept quoted numbers), `true`/`false`, an RFC
//! 3339 time, or else a string. csv columns and the parts of a line are
//! the fields of one flat object, so the JSON inference's types,
//! `required`, event time and indicators apply to them as they are.

use std::fmt::Write as _;

use super::{Inferrer, MAX_FIELDS, SampleFormat};
use crate::time::Timestamp;

/// The most bytes of a csv field read (longer ones are cut).
const MAX_CELL_BYTES: usize = 1 << 20;

/// What text samples hold beyond the field tree.
#[derive(Clone, Debug, Default)]
pub(super) struct TextState {
    /// csv: the delimiter, chosen from the first payload's first line.
    delimiter: Option<u8>,
    /// csv: the first row, kept until it is known whether it is a
    /// header.
    first_row: Option<Vec<String>>,
    /// csv: the widest row.
    columns: usize,
    /// csv: rows equal to the first, kept out of the columns: a repeated
    /// header (which the csv parser skips) if the first row is one.
    pub(super) repeats: u64,
    /// lines: every line so far starts with an RFC 3339 time and a space.
    timestamped: Option<bool>,
}

/// The field names of csv columns without a header.
fn column(i: usize) -> String {
    format!("column_{}", i + 1)
}

impl TextState {
    /// Reads a payload's rows or lines into `tree` (the record's node's
    /// fields); returns how many samples it held.
    pub(super) fn add_to(
        tree: &mut Inferrer,
        format: SampleFormat,
        payload: &[u8],
    ) -> u64 {
        match format {
            SampleFormat::Csv => csv_rows(tree, payload),
            _ => lines(tree, payload),
        }
    }

    /// Writes the `parser` block and the fields.
    pub(super) fn write(
        tree: &Inferrer,
        format: SampleFormat,
        out: &mut String,
    ) {
        match format {
            SampleFormat::Csv => write_csv(tree, out),
            _ => write_lines(tree, out),
        }
    }
}

/// Types one text value into node `id`: empty is absent (the schema
/// says `emptyValues: ['']`).
fn add_text(tree: &mut Inferrer, id: usize, v: &str) {
    if v.is_empty() {
        tree.node_mut(id).seen |= super::SEEN_NULL;
        return;
    }
    if let Ok(n) = v.parse::<i64>() {
        tree.number(id, super::SEEN_INT, n as f64);
    } else if let Some(f) = float(v) {
        tree.number(id, super::SEEN_FLOAT, f);
    } else if v == "true" || v == "false" {
        tree.scalar(id, super::SEEN_BOOL);
    } else if Timestamp::parse_rfc3339(v).is_some() {
        tree.scalar(id, super::SEEN_RFC3339);
    } else {
        tree.string(id, v);
    }
}

/// `v` as a finite float when it is written as JSON writes numbers.
pub(super) fn float(v: &str) -> Option<f64> {
    let number_like = v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    v.parse::<f64>().ok().filter(|f| number_like && f.is_finite())
}

/// The csv delimiter of a first line: the most frequent of `,`, tab,
/// `;` and `|` outside quotes (`,` when none is there).
fn delimiter(payload: &[u8]) -> u8 {
    let line = payload.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let mut counts = [0usize; 4];
    let candidates = [b',', b'\t', b';', b'|'];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted
            && let Some(i) = candidates.iter().position(|&c| c == b)
        {
            counts[i] += 1;
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 { b',' } else { candidates[best] }
}

/// Reads csv rows: each field of a row is a cell; the first row of the
/// first payload is kept aside (a header or a row).
fn csv_rows(tree: &mut Inferrer, payload: &[u8]) -> u64 {
    let delimiter =
        *tree.text.delimiter.get_or_insert_with(|| delimiter(payload));
    let mut reader =
        csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut input = payload;
    let mut cell = Vec::new();
    let mut buf = [0u8; 4096];
    let mut row: Vec<String> = Vec::new();
    let mut rows = 0;
    // Where the current record starts in the payload, and how far the
    // reader got.
    let (mut start, mut at) = (0, 0);
    loop {
        let (result, read, written) = reader.read_field(input, &mut buf);
        input = input.get(read..).unwrap_or(&[]);
        at += read;
        if cell.len() < MAX_CELL_BYTES {
            cell.extend_from_slice(buf.get(..written).unwrap_or(&[]));
        }
        match result {
            csv_core::ReadFieldResult::InputEmpty => {
                if input.is_empty() {
                    // Ask for the end: the last field and record.
                    continue;
                }
            }
            csv_core::ReadFieldResult::OutputFull => {}
            csv_core::ReadFieldResult::Field { record_end } => {
                row.push(String::from_utf8_lossy(&cell).into_owned());
                cell.clear();
                if record_end {
                    // A line of only whitespace is blank: no record (as
                    // lognorm splits).
                    let raw = payload.get(start..at).unwrap_or(&[]);
                    if !raw.iter().all(u8::is_ascii_whitespace) {
                        rows += csv_row(tree, std::mem::take(&mut row));
                    }
                    row.clear();
                    start = at;
                }
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    rows
}

/// Adds one csv row; returns 1 (a sample, or the header).
fn csv_row(tree: &mut Inferrer, row: Vec<String>) -> u64 {
    if tree.text.first_row.is_none() {
        tree.text.columns = row.len();
        tree.text.first_row = Some(row);
        return 1;
    }
    if tree.text.first_row.as_ref() == Some(&row) {
        tree.text.repeats += 1;
        return 1;
    }
    tree.text.columns = tree.text.columns.max(row.len());
    tree.node_mut(0).objects += 1;
    for (i, v) in row.iter().enumerate().take(MAX_FIELDS) {
        if let Some(id) = tree.child(0, &column(i)) {
            add_text(tree, id, v);
        }
    }
    1
}

/// Whether the first row reads as a header: names that are all
/// different, not empty, and neither numbers, times, booleans nor
/// addresses.
fn is_header(row: &[String]) -> bool {
    let mut seen = std::collections::HashSet::new();
    row.iter().all(|v| {
        let column = crate::schema::columns::column_name(v);
        !v.is_empty()
            && v.len() <= 128
            && v.parse::<f64>().is_err()
            && v != "true"
            && v != "false"
            && Timestamp::parse_rfc3339(v).is_none()
            && super::indicators_of(v) == 0
            && !crate::schema::columns::is_reserved_column(&column)
            && seen.insert(column)
    })
}

/// Whether the csv samples start with a header row: it reads as one,
/// is as wide as the widest row, and rows follow it.
pub(super) fn has_header(tree: &Inferrer) -> bool {
    let first = tree.text.first_row.as_deref().unwrap_or(&[]);
    is_header(first)
        && first.len() == tree.text.columns
        && tree.node(0).objects > 0
}

fn write_csv(tree: &Inferrer, out: &mut String) {
    let first = tree.text.first_row.as_deref().unwrap_or(&[]);
    let header = has_header(tree);
    let mut tree = tree.clone();
    if !header {
        // The first row, and the rows equal to it, are data too.
        for _ in 0..=tree.text.repeats {
            tree.node_mut(0).objects += 1;
            for (i, v) in first.iter().enumerate().take(MAX_FIELDS) {
                if let Some(id) = tree.child(0, &column(i)) {
                    add_text(&mut tree, id, v);
                }
            }
        }
    }
    // A column of only empty cells (absent) is typed `string`.
    let ids: Vec<usize> =
        tree.node(0).fields.iter().map(|(_, id)| *id).collect();
    for id in ids {
        let node = tree.node_mut(id);
        if node.seen == super::SEEN_NULL {
            node.seen |= super::SEEN_EMPTY_STRING;
        }
    }
    let delimiter = char::from(tree.text.delimiter.unwrap_or(b','));
    let delimiter = if delimiter == '\t' {
        "\"\\t\"".to_owned()
    } else {
        format!("'{delimiter}'")
    };
    let _ = write!(out, "parser:\n  csv:\n    delimiter: {delimiter}\n");
    if header {
        out.push_str("    hasHeader: true\n");
        // The fields take the header's names.
        let node = tree.node_mut(0);
        for (i, (name, _)) in node.fields.iter_mut().enumerate() {
            if let Some(h) = first.get(i) {
                h.clone_into(name);
            }
        }
    } else {
        out.push_str("    columns:\n");
        for i in 0..tree.text.columns.min(MAX_FIELDS) {
            let _ = writeln!(out, "      - {}", column(i));
        }
    }
    out.push_str("    emptyValues: ['']\nfields:\n");
    tree.write_fields(out);
}

/// Reads lines (split as a text log type splits them: lines, or syslog
/// frames when the payload starts with one): a line that starts with an
/// RFC 3339 time and a space is `timestamp` and `message`, any other is
/// `message`.
fn lines(tree: &mut Inferrer, payload: &[u8]) -> u64 {
    let mut n = 0;
    for record in crate::split(payload, crate::Framing::Auto) {
        n += 1;
        let line = String::from_utf8_lossy(record.bytes());
        let stamped = line
            .split_once(' ')
            .and_then(|(t, _)| Timestamp::parse_rfc3339(t))
            .is_some();
        let all = tree.text.timestamped.unwrap_or(true) && stamped;
        tree.text.timestamped = Some(all);
    }
    tree.node_mut(0).objects += n;
    n
}

fn write_lines(tree: &Inferrer, out: &mut String) {
    if tree.text.timestamped == Some(true) {
        out.push_str(
            "parser:\n  fastmatch:\n    match:\n      - '%{timestamp} \
             %{message}'\nfields:\n  - name: timestamp\n    required: \
             true\n    type: timestamp\n    timeFormats:\n      - \
             rfc3339\n    isEventTime: true\n",
        );
    } else {
        out.push_str("parser:\n  fastmatch:\n    match:\n      - '%{message}'\nfields:\n");
    }
    out.push_str("  - name: message\n    required: true\n    type: string\n");
}
