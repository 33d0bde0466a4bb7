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
/// # Row ids
///
/// `p_row_id` must be unique across every writer of a table, and lognorm
/// reads no clock and draws no random number, so the caller names the
/// writer: [`Context::new`] takes a 6-byte *node id* that no other
/// thread or process normalizing at the same time uses (a host number
/// and a worker number, a MAC address, bytes drawn at start-up). Two
/// contexts with distinct node ids never make the same row id; two with
/// the same node id do when they start in the same millisecond.
///
/// ```
/// use lognorm::{Context, Timestamp};
///
/// let now: Timestamp = "2024-01-02T03:04:05Z".parse()?;
/// // Host 7, worker thread 2.
/// let ctx = Context::new(now, [0, 0, 0, 7, 0, 2])
///     .with_source_id("a1b2")
///     .with_source_label("prod-webhook");
/// assert_eq!(ctx.source_label(), Some("prod-webhook"));
/// assert_eq!(ctx.row_ids().node_id(), [0, 0, 0, 7, 0, 2]);
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
    /// A context with `parse_time`, no source id or label, and row ids
    /// for the writer `node_id` (see [Row ids](Context#row-ids)) that
    /// start at `parse_time`.
    pub fn new(parse_time: Timestamp, node_id: [u8; 6]) -> Context {
        Context {
            parse_time,
            source_id: None,
            source_label: None,
            row_ids: RowIdGenerator::new(node_id, parse_time),
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

    /// Uses `ids` for `p_row_id` (a generator with another start).
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Two workers that start in the same millisecond with their own
    /// node ids never write the same row id (issue: duplicate row ids by
    /// default, when the node id was optional and zero).
    #[test]
    fn workers_with_their_own_node_ids_never_collide() {
        let t: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let mut seen = std::collections::HashSet::new();
        for worker in 0..4u8 {
            let mut ctx = Context::new(t, [0, 0, 0, 1, 0, worker]);
            for _ in 0..300 {
                let mut id = Vec::new();
                ctx.row_ids.write_next(&mut id);
                assert!(seen.insert(id), "worker {worker}: a duplicate id");
            }
        }
        assert_eq!(seen.len(), 1200);
    }
}
