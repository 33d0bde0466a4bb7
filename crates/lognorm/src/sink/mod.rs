//! Sinks: where the walk writes a record's values.
//!
//! The walker (`crate::walk`) reads a record through the compiled plan
//! and calls a [`Sink`] for every value it keeps, in schema order; the
//! sink decides the output format. [`json::JsonRow`] writes the JSON row
//! Panther's data lake stores. A columnar sink (Arrow builders) is a
//! second implementation of the same trait: the walker is generic over
//! it and monomorphized, so no sink pays for another.
//!
//! # The calls of one record
//!
//! ```text
//! begin_record
//!   key(column, first)  value            for each declared field kept
//!   discovered_key(column, first) value  for each discovered field
//!   value := null | boolean | int | int_text | uint | float
//!          | number_text | string | timestamp
//!          | begin_object (key value)* end_object        declared object
//!          | begin_array (separator value)* end_array    declared array
//!          | begin_json json end_json                    a `json` value
//!   json  := scalar | begin_object (member json)* end_object
//!          | begin_array (separator json)* end_array
//! ```
//!
//! A field that turns out not to be kept (`""` for a number, an empty
//! array) is taken back with [`Sink::rewind`] to the [`Sink::mark`] made
//! before its key. A record that fails leaves the sink as
//! [`Sink::begin_record`] found it once [`Sink::abort`] is called; the
//! driver calls it for every failed record.

#[cfg(feature = "arrow")]
pub(crate) mod arrow;
pub(crate) mod json;

use crate::input::json::Strings;
use crate::schema::ObjectPlan;
use crate::time::{DayCache, Timestamp};

/// The output of a walk. See the module docs for the order of calls.
///
/// Every method is called on the hot path: implementations mark them
/// `#[inline]`.
pub(crate) trait Sink {
    /// A position to [`rewind`](Sink::rewind) to.
    type Mark: Copy;

    /// A record starts.
    fn begin_record(&mut self);
    /// The record failed: forget everything written since
    /// [`begin_record`](Sink::begin_record).
    fn abort(&mut self);

    /// The current position.
    fn mark(&self) -> Self::Mark;
    /// Takes back everything written since `mark`.
    fn rewind(&mut self, mark: Self::Mark);

    /// The declared field with column id `column` follows; `first` when
    /// no field of its object was kept before it.
    fn key(&mut self, column: u32, first: bool);
    /// A discovered field (SPEC §10) follows, under `column` (a column
    /// name: ASCII letters, digits and `_`), after the declared fields;
    /// `first` when no field was written before it.
    fn discovered_key(&mut self, column: &str, first: bool);
    /// The element or member separator of arrays and `json` objects:
    /// nothing before the `first`.
    fn separator(&mut self, first: bool);
    /// A member key of an object inside a `json` value (after its
    /// [`separator`](Sink::separator)).
    fn member(&mut self, key: &str, strings: Strings<'_>);

    /// `null` (an array element kept for its position, or inside `json`).
    fn null(&mut self);
    /// A boolean.
    fn boolean(&mut self, b: bool);
    /// An integer.
    fn int(&mut self, n: i64);
    /// An integer whose canonical decimal text (what `itoa` writes for
    /// `n`) is `text`, as a text record or a quoted number sent it.
    fn int_text(&mut self, n: i64, text: &str);
    /// An unsigned integer (a `float` field, or inside `json`).
    fn uint(&mut self, n: u64);
    /// A finite float.
    fn float(&mut self, f: f64);
    /// A JSON number literal as the sender wrote it (inside `json`).
    fn number_text(&mut self, text: &str);
    /// A string; `strings` tells where the string came from, so a sink
    /// that writes JSON can copy a string that needs no escaping as sent.
    fn string(&mut self, s: &str, strings: Strings<'_>);
    /// A timestamp; `event_time` when it is the best event time so far.
    fn timestamp(&mut self, t: Timestamp, event_time: bool);
    /// The cache of the last day written, which the timestamp readers
    /// use too (see `crate::time::DayCache`), when the sink keeps one.
    fn day_cache(&self) -> Option<&DayCache>;

    /// A declared object's fields follow.
    fn begin_object(&mut self);
    /// The declared object is complete.
    fn end_object(&mut self);
    /// A declared array's elements follow.
    fn begin_array(&mut self);
    /// The declared array is complete.
    fn end_array(&mut self);
    /// A `json` value follows (written with the scalar, object, array,
    /// separator and member calls).
    fn begin_json(&mut self);
    /// The `json` value is complete.
    fn end_json(&mut self);

    /// The walk read key `key` of a declared object of `plan`: `field` is
    /// the declared field it names, `None` when the schema does not
    /// declare it (the key is skipped). Only the classifier's sink looks:
    /// it counts the undeclared keys (its measure of fit) and reads the
    /// root object's keys for ranking the other candidates; the default
    /// does nothing, so for every other sink the call compiles to nothing.
    #[inline(always)]
    fn object_key(
        &mut self,
        _plan: &ObjectPlan,
        _field: Option<usize>,
        _key: &str,
    ) {
    }
}
