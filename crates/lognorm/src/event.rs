//! Normalized events: the row and the typed view of an event.

use std::ops::Range;

use crate::indicators::{Collector, IndicatorSet};
use crate::time::Timestamp;
use crate::walk::derive::{Derived, DiscoveredType};

/// A normalized event, borrowing the caller's [`Scratch`](crate::Scratch).
///
/// [`row`](Event::row) is the JSON row as Panther's data lake stores it;
/// the typed accessors read `p_event_time`, `p_parse_time`, `p_row_id` and
/// the `p_any_*` sets without parsing the row. The event is valid until
/// the scratch is used again; [`into_owned`](Event::into_owned) detaches
/// it.
#[derive(Clone, Copy, Debug)]
pub struct Event<'s> {
    row: &'s [u8],
    row_id: (usize, usize),
    event_time: Timestamp,
    parse_time: Timestamp,
    indicators: &'s Collector,
    derived: &'s Derived,
}

impl<'s> Event<'s> {
    pub(crate) fn new(
        row: &'s [u8],
        row_id: Range<usize>,
        event_time: Timestamp,
        parse_time: Timestamp,
        indicators: &'s Collector,
        derived: &'s Derived,
    ) -> Event<'s> {
        Event {
            row,
            row_id: (row_id.start, row_id.end),
            event_time,
            parse_time,
            indicators,
            derived,
        }
    }

    /// Where the row holds `p_row_id` (for a caller that builds the event
    /// again from the same scratch).
    pub(crate) fn row_id_range(&self) -> Range<usize> {
        self.row_id.0..self.row_id.1
    }

    /// The fields this record gave that its schema does not declare,
    /// as `(column, type)` in the order the row has them: kept only when
    /// the schema says `fieldDiscoveryEnabled: true` (empty otherwise).
    /// A pipeline adds them to the log type's discovered schema (Panther
    /// keeps it apart from the declared one).
    ///
    /// ```
    /// use lognorm::{Context, DiscoveredType, Registry, Scratch};
    ///
    /// let registry = Registry::builder()
    ///     .add_yaml("app.yml", "schema: Custom.App\nfieldDiscoveryEnabled: true\n\
    ///                           fields:\n  - name: user\n    type: string\n")?
    ///     .build();
    /// let log_type = registry.log_type("Custom.App").unwrap();
    /// let mut ctx = Context::new("2024-05-01T00:00:00Z".parse()?, *b"node01");
    /// let mut scratch = Scratch::new();
    /// let payload = br#"{"user":"ana","Login-Count":3,"at":"2024-04-30T23:59:59Z"}"#;
    /// let record = log_type.split(payload).next().unwrap();
    /// let event = log_type.normalize(record, &mut ctx, &mut scratch)?;
    /// assert!(event.row().starts_with(
    ///     r#"{"user":"ana","Login_Count":3,"at":"2024-04-30 23:59:59.000000000","#
    /// ));
    /// let found: Vec<(&str, DiscoveredType)> = event.discovered().collect();
    /// assert_eq!(
    ///     found,
    ///     [("Login_Count", DiscoveredType::Bigint), ("at", DiscoveredType::Timestamp)]
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn discovered(
        &self,
    ) -> impl ExactSizeIterator<Item = (&'s str, DiscoveredType)> + 's {
        self.derived.discovered()
    }

    /// The normalized row: one JSON object on one line.
    pub fn row(&self) -> &'s str {
        // The writer only writes valid UTF-8 (input strings are checked
        // by the parser); this check is a guard, never a failure, and
        // simdutf8 makes it cheap (about a tenth of the cost of
        // `std::str::from_utf8` on rows of a few hundred bytes).
        simdutf8::basic::from_utf8(self.row).unwrap_or_default()
    }

    /// The normalized row as bytes (no UTF-8 check).
    pub fn row_bytes(&self) -> &'s [u8] {
        self.row
    }

    /// `p_row_id`.
    pub fn row_id(&self) -> &'s str {
        let id = self.row.get(self.row_id.0..self.row_id.1);
        std::str::from_utf8(id.unwrap_or_default()).unwrap_or_default()
    }

    /// `p_event_time`: the first `isEventTime` field with a value, or the
    /// parse time.
    pub fn event_time(&self) -> Timestamp {
        self.event_time
    }

    /// `p_parse_time`.
    pub fn parse_time(&self) -> Timestamp {
        self.parse_time
    }

    /// The values of one `p_any_*` set, sorted bytewise and unique.
    pub fn indicators(
        &self,
        set: IndicatorSet,
    ) -> impl ExactSizeIterator<Item = &'s str> + 's {
        self.indicators.values(set)
    }

    /// The column name of a set, like `p_any_ip_addresses`.
    pub fn indicator_column(set: IndicatorSet) -> &'static str {
        crate::schema::columns::set_column(set)
    }

    /// Copies the event out of the scratch.
    pub fn into_owned(self) -> OwnedEvent {
        let indicators = IndicatorSet::ALL
            .iter()
            .filter(|&&set| !self.indicators.is_empty(set))
            .map(|&set| {
                (set, self.indicators.values(set).map(Into::into).collect())
            })
            .collect();
        OwnedEvent {
            row: self.row().into(),
            row_id: self.row_id.0..self.row_id.1,
            event_time: self.event_time,
            parse_time: self.parse_time,
            indicators,
        }
    }
}

/// An [`Event`] that owns its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedEvent {
    row: String,
    row_id: Range<usize>,
    event_time: Timestamp,
    parse_time: Timestamp,
    indicators: Vec<(IndicatorSet, Vec<String>)>,
}

impl OwnedEvent {
    /// The normalized row.
    pub fn row(&self) -> &str {
        &self.row
    }

    /// `p_row_id`.
    pub fn row_id(&self) -> &str {
        self.row.get(self.row_id.clone()).unwrap_or_default()
    }

    /// `p_event_time`.
    pub fn event_time(&self) -> Timestamp {
        self.event_time
    }

    /// `p_parse_time`.
    pub fn parse_time(&self) -> Timestamp {
        self.parse_time
    }

    /// The values of one `p_any_*` set, sorted and unique.
    pub fn indicators(&self, set: IndicatorSet) -> &[String] {
        self.indicators
            .iter()
            .find(|(s, _)| *s == set)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}
