//! What the caller tells the normalizer about a stream of records.

use crate::rowid::RowIdGenerator;
use crate::sink::json::tail::ContextText;
use crate::time::Timestamp;

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
    /// The JSON row's text of the fields above, rendered when they change.
    pub(crate) text: ContextText,
}

impl Context {
    /// A context with `parse_time`, no source id or label, and a row-id
    /// generator with node id zero that starts at `parse_time`.
    pub fn new(parse_time: Timestamp) -> Context {
        Context {
            parse_time,
            source_id: None,
            source_label: None,
            row_ids: RowIdGenerator::new([0; 6], parse_time),
            text: ContextText::new(parse_time, None, None),
        }
    }

    /// Renders [`text`](Context::text) again (in place: no allocation
    /// once it has grown).
    fn render(&mut self) {
        self.text.render(
            self.parse_time,
            self.source_id.as_deref(),
            self.source_label.as_deref(),
        );
    }

    /// Sets `p_source_id`.
    pub fn with_source_id(mut self, id: &str) -> Context {
        self.source_id = Some(id.into());
        self.render();
        self
    }

    /// Sets `p_source_label`.
    pub fn with_source_label(mut self, label: &str) -> Context {
        self.source_label = Some(label.into());
        self.render();
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
            self.render();
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
