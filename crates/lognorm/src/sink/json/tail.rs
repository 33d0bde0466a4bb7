//! The `p_*` fields at the end of a JSON row.

use std::ops::Range;

use crate::bytes::write_block;
use crate::indicators::{Collector, IndicatorSet};
use crate::rowid::RowIdGenerator;
use crate::schema::columns::{
    P_EVENT_TIME, P_LOG_TYPE, P_PARSE_TIME, P_ROW_ID, P_SOURCE_ID,
    P_SOURCE_LABEL, set_column,
};
use crate::time::{TimeText, Timestamp};

use super::escape::write_str;
use super::keys::write_key;

/// The start of the `p_*` fields of a log type's rows, up to the row
/// id's opening quote: `"p_log_type":"Name","p_row_id":"`.
pub(crate) fn p_prefix(log_type: &str) -> Box<[u8]> {
    let mut out = Vec::new();
    write_key(&mut out, P_LOG_TYPE);
    write_str(&mut out, log_type);
    out.push(b',');
    write_key(&mut out, P_ROW_ID);
    out.push(b'"');
    out.into()
}

/// The end of the row id and the key of `p_event_time`, `","p_event_time":"`,
/// padded to a block, and its length.
const EVENT_TIME_KEY: ([u8; 32], usize) = {
    let name = P_EVENT_TIME.as_bytes();
    let mut block = [0u8; 32];
    block[0] = b'"';
    block[1] = b',';
    block[2] = b'"';
    let mut i = 0;
    while i < name.len() {
        block[3 + i] = name[i];
        i += 1;
    }
    block[3 + i] = b'"';
    block[4 + i] = b':';
    block[5 + i] = b'"';
    (block, name.len() + 6)
};

/// The row's text from `p_parse_time` to `p_source_label`, the same for
/// every record until the context changes, so rendered once (when the
/// context changes) rather than per row.
#[derive(Clone, Debug)]
pub(crate) struct ContextText {
    /// `,"p_parse_time":"…"` up to the end of `p_source_label` (or of
    /// whichever of them is last).
    pub tail: Vec<u8>,
    /// The parse time's text, for `p_event_time` when an event has none.
    pub parse_text: TimeText,
}

impl ContextText {
    /// The text of a context's fields.
    pub fn new(
        parse_time: Timestamp,
        source_id: Option<&str>,
        source_label: Option<&str>,
    ) -> ContextText {
        let mut text =
            ContextText { tail: Vec::new(), parse_text: parse_time.text() };
        text.render(parse_time, source_id, source_label);
        text
    }

    /// Rewrites the text (in place: no allocation once it has grown).
    pub fn render(
        &mut self,
        parse_time: Timestamp,
        source_id: Option<&str>,
        source_label: Option<&str>,
    ) {
        let out = &mut self.tail;
        out.clear();
        self.parse_text = parse_time.text();
        out.push(b',');
        write_key(out, P_PARSE_TIME);
        out.push(b'"');
        out.extend_from_slice(&self.parse_text);
        out.push(b'"');
        for (column, value) in
            [(P_SOURCE_ID, source_id), (P_SOURCE_LABEL, source_label)]
        {
            if let Some(value) = value {
                out.push(b',');
                write_key(out, column);
                write_str(out, value);
            }
        }
    }
}

/// `,"column":[`, the start of a set's array in a row, padded to a
/// 32-byte block, and its length: one inline block copy instead of a
/// `memcpy` call.
const fn header(set: IndicatorSet) -> ([u8; 32], usize) {
    let column = set_column(set).as_bytes();
    let mut block = [0u8; 32];
    block[0] = b',';
    block[1] = b'"';
    let mut i = 0;
    while i < column.len() {
        block[2 + i] = column[i];
        i += 1;
    }
    block[2 + i] = b'"';
    block[3 + i] = b':';
    block[4 + i] = b'[';
    (block, column.len() + 5)
}

/// [`header`] of every set, by [`IndicatorSet::index`] (a column too long
/// for its block would fail to compile).
const HEADERS: [([u8; 32], usize); IndicatorSet::ALL.len()] = {
    let mut table = [([0u8; 32], 0); IndicatorSet::ALL.len()];
    let mut k = 0;
    while k < table.len() {
        table[k] = header(IndicatorSet::ALL[k]);
        k += 1;
    }
    table
};

#[inline]
fn set_header(set: IndicatorSet) -> (&'static [u8; 32], usize) {
    match HEADERS.get(set.index()) {
        Some((block, len)) => (block, *len),
        None => (&[0; 32], 0),
    }
}

/// Appends the `p_*` fields to a row whose declared fields are written
/// (`out` ends after the last field, without the closing brace; `empty`
/// tells whether any field was written). `prefix` is the log type's
/// [`p_prefix`]; `event_text` is where `out` holds the event time's text
/// (`None`: the event takes the parse time). Returns the byte range of
/// the row id.
///
/// Out of line, as one call a row: inlined into the driver, it crowded
/// the walk's registers (callgrind: 6 instructions a Hex.Audit row more).
#[inline(never)]
pub(crate) fn write_p_fields(
    out: &mut Vec<u8>,
    empty: bool,
    prefix: &[u8],
    event_text: Option<usize>,
    row_ids: &mut RowIdGenerator,
    context: &ContextText,
    indicators: &Collector,
) -> Range<usize> {
    if !empty {
        out.push(b',');
    }
    out.extend_from_slice(prefix);
    let id_start = out.len();
    row_ids.write_next(out);
    let id = id_start..out.len();
    write_block(out, &EVENT_TIME_KEY.0, EVENT_TIME_KEY.1);
    let len = crate::time::TEXT_LEN;
    match event_text.filter(|&at| at + len <= id_start) {
        Some(at) => out.extend_from_within(at..at + len),
        None => out.extend_from_slice(&context.parse_text),
    }
    out.push(b'"');
    out.extend_from_slice(&context.tail);
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

    #[test]
    fn event_time_key_is_the_column() {
        let mut want = b"\",".to_vec();
        write_key(&mut want, P_EVENT_TIME);
        want.push(b'"');
        assert_eq!(EVENT_TIME_KEY.0[..EVENT_TIME_KEY.1], want);
    }

    #[test]
    fn context_text_holds_the_set_fields_in_order() {
        let t: Timestamp = "2024-01-02T03:04:05Z".parse().unwrap();
        let text = ContextText::new(t, Some("id\"1"), Some("label"));
        assert_eq!(
            String::from_utf8(text.tail).unwrap(),
            concat!(
                r#","p_parse_time":"2024-01-02 03:04:05.000000000","#,
                r#""p_source_id":"id\"1","p_source_label":"label""#
            )
        );
        assert_eq!(&*p_prefix("A.B"), br#""p_log_type":"A.B","p_row_id":""#);
    }
}
