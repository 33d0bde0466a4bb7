//! What the caller tells the normalizer about a stream of records.

use crate::{RowIdGenerator, Timestamp};

/// The caller's context for normalizing records: the parse time, the
/// optional source id and label, and the row-id generator.
///
/// The core reads no clock: `p_parse_time` is what the caller puts here.
/// Keep one `Context` per thread (or per stream) and update the parse
/// time as you see fit, for example once per payload.
///
/// ```
/// use lognorm::{Context, RowIdGenerator, Timestamp};
///
/// let now: Timestamp = "2024-01-02T03:04:05Z".parse()?;
/// let ctx = Context::new(now)
///     .with_source_id("a1b2")
///     .with_source_label("prod-webhook")
///     .with_row_ids(RowIdGenerator::new([1, 2, 3, 4, 5, 6], now));
/// assert_eq!(ctx.source_label(), Some("prod-webhook"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Context {
    parse_time: Timestamp,
    source_id: Option<Box<str>>,
    source_label: Option<Box<str>>,
    pub(crate) row_ids: RowIdGenerator,
    /// The row's text from `p_parse_time` to `p_source_label`, the same
    /// for every record until the context changes, so written once here
    /// rather than per row.
    tail: Vec<u8>,
    /// The parse time's text, for `p_event_time` when an event has none.
    parse_text: crate::time::TimeText,
}

impl Context {
    /// A context with `parse_time`, no source id or label, and a row-id
    /// generator with node id zero that starts at `parse_time`.
    pub fn new(parse_time: Timestamp) -> Context {
        let mut ctx = Context {
            parse_time,
            source_id: None,
            source_label: None,
            row_ids: RowIdGenerator::new([0; 6], parse_time),
            tail: Vec::new(),
            parse_text: parse_time.text(),
        };
        ctx.render_tail();
        ctx
    }

    /// Rewrites [`tail`](Context::tail) (in place: no allocation once
    /// it has grown).
    fn render_tail(&mut self) {
        let out = &mut self.tail;
        out.clear();
        self.parse_text = self.parse_time.text();
        out.extend_from_slice(b",\"p_parse_time\":\"");
        out.extend_from_slice(&self.parse_text);
        out.push(b'"');
        if let Some(id) = &self.source_id {
            out.extend_from_slice(b",\"p_source_id\":");
            crate::event::write_str(out, id);
        }
        if let Some(label) = &self.source_label {
            out.extend_from_slice(b",\"p_source_label\":");
            crate::event::write_str(out, label);
        }
    }

    /// The text of the parse time in a row.
    pub(crate) fn parse_time_text(&self) -> crate::time::TimeText {
        self.parse_text
    }

    /// `,"p_parse_time":…` up to the end of `p_source_label` (or of
    /// whichever of them is last).
    pub(crate) fn tail(&self) -> &[u8] {
        &self.tail
    }

    /// Sets `p_source_id`.
    pub fn with_source_id(mut self, id: &str) -> Context {
        self.source_id = Some(id.into());
        self.render_tail();
        self
    }

    /// Sets `p_source_label`.
    pub fn with_source_label(mut self, label: &str) -> Context {
        self.source_label = Some(label.into());
        self.render_tail();
        self
    }

    /// Uses `ids` for `p_row_id`.
    pub fn with_row_ids(mut self, ids: RowIdGenerator) -> Context {
        self.row_ids = ids;
        self
    }

    /// Changes the parse time of the records normalized from now on.
    pub fn set_parse_time(&mut self, parse_time: Timestamp) {
        if parse_time != self.parse_time {
            self.parse_time = parse_time;
            self.render_tail();
        }
    }

    /// `p_parse_time`, and `p_event_time` for events without an event
    /// time.
    pub fn parse_time(&self) -> Timestamp {
        self.parse_time
    }

    /// `p_source_id`, if set.
    pub fn source_id(&self) -> Option<&str> {
        self.source_id.as_deref()
    }

    /// `p_source_label`, if set.
    pub fn source_label(&self) -> Option<&str> {
        self.source_label.as_deref()
    }

    /// The row-id generator.
    pub fn row_ids(&self) -> &RowIdGenerator {
        &self.row_ids
    }
}
