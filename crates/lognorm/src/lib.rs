//! Normalize raw security and audit logs into typed events.
//!
//! lognorm reads [Panther]-format YAML log schemas at run time, compiles
//! each into a plan that is cheap to run and safe to share between
//! threads, and normalizes records (JSON objects, or text records matched
//! by a `fastmatch`, `regex` or `csv` parser) into the row Panther's data
//! lake stores: the declared fields coerced to their types, timestamps in
//! UTC, and the `p_*` fields (`p_log_type`, `p_row_id`, `p_event_time`,
//! `p_parse_time`, the `p_any_*` indicator sets).
//!
//! It is a pure library: no I/O on the normalizing path, no clock, no
//! global state. The caller supplies bytes and a [`Context`] and gets an
//! [`Event`] or a [`RecordError`] for every record.
//!
//! [Panther]: https://docs.panther.com/data-onboarding/custom-log-types/reference
//!
//! # Example
//!
//! ```
//! use lognorm::{Context, IndicatorSet, Registry, Scratch, Timestamp};
//!
//! let yaml = r#"
//! schema: Custom.Login
//! fields:
//!   - name: user
//!     type: string
//!     required: true
//!     indicators: [username]
//!   - name: ip
//!     type: string
//!     indicators: [ip]
//!   - name: at
//!     type: timestamp
//!     timeFormats: [unix_ms]
//!     isEventTime: true
//!   - name: ok
//!     type: boolean
//! "#;
//! let registry = Registry::builder().add_yaml("login.yml", yaml)?.build();
//! let login = registry.log_type("Custom.Login").unwrap();
//!
//! let mut ctx = Context::new("2024-05-01T12:00:00Z".parse()?, *b"node01");
//! let mut scratch = Scratch::new();
//! let payload = br#"{"user":"ana","ip":"192.0.2.7","at":1714564800123,"ok":"true"}
//! {"ip":"192.0.2.8"}"#;
//!
//! let mut records = login.split(payload);
//! let event = login.normalize(records.next().unwrap(), &mut ctx, &mut scratch)?;
//! assert_eq!(
//!     event.row(),
//!     r#"{"user":"ana","ip":"192.0.2.7","at":"2024-05-01 12:00:00.123000000","ok":true,"#.to_owned()
//!         + r#""p_log_type":"Custom.Login","p_row_id":"6e6f6465303180bc9aa0f33100","#
//!         + r#""p_event_time":"2024-05-01 12:00:00.123000000","#
//!         + r#""p_parse_time":"2024-05-01 12:00:00.000000000","#
//!         + r#""p_any_ip_addresses":["192.0.2.7"],"p_any_usernames":["ana"]}"#,
//! );
//! assert_eq!(event.indicators(IndicatorSet::Usernames).collect::<Vec<_>>(), ["ana"]);
//!
//! let err = login.normalize(records.next().unwrap(), &mut ctx, &mut scratch).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "record 2 (byte 63): field `user`: expected a value (required), found nothing",
//! );
//! assert_eq!(err.raw(), br#"{"ip":"192.0.2.8"}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Registry and scratch
//!
//! A [`Registry`] holds compiled [`LogType`]s; it is immutable, `Send +
//! Sync`, and cheap to clone. Each thread keeps its own [`Scratch`]
//! (buffers reused for every record) and [`Context`] (parse time, source,
//! row-id generator). After warm-up, normalizing a record allocates
//! nothing.
//!
//! # Classification
//!
//! When one source sends records of several log types, a [`Classifier`]
//! ([`Registry::classifier`]) gives each record the candidate that fits
//! it best, whatever the order records arrive in (SPEC §11); its
//! per-caller [`ClassifyState`] keeps the order candidates are tried in and
//! each one's counters.
//!
//! # Untrusted input and limits
//!
//! No input panics, recurses without bound or allocates without bound.
//! Records larger or deeper than the [`Limits`] are ordinary record
//! errors. Every record of a payload yields exactly one outcome, and every
//! error names the record, the field path, what was expected and what was
//! found, and hands back the raw record. Input that is not in memory (a
//! file, a socket) is split by a [`SplitReader`]
//! ([`LogType::split_reader`]), which holds one record at a time: the
//! input's size is bounded by the disk, not by memory.
//!
//! # Schema tests
//!
//! [`schematest`] reads Panther's schema test files (the `pantherlog
//! test` format: an input payload and the rows it must give) and runs
//! them against a [`Registry`], comparing rows as Panther does.
//!
//! # Schema inference
//!
//! [`infer`] drafts a schema from sample records: types that hold every
//! sample, `required` fields, the event time and proposed indicators.
//!
//! # Performance
//!
//! Build the registry once and reuse a `Scratch` per thread. JSON records
//! are parsed by simd-json; the compiled plan walks the parsed tape once
//! and writes the row directly into the scratch's buffer.
//!
//! # Crate features
//!
//! - `arrow`: `lognorm::arrow`, records normalized straight into Arrow
//!   record batches (arrow-array, arrow-buffer, arrow-schema).
//! - `parquet` (implies `arrow`): `lognorm::parquet`, Parquet writer
//!   properties for those batches (parquet with only its `arrow` and `zstd`
//!   features).
//!
//! Without them, lognorm compiles none of Arrow or Parquet.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod bytes;
mod classify;
mod context;
mod error;
mod event;
pub mod indicators;
pub mod infer;
mod input;
mod limits;
mod normalize;
mod registry;
mod rowid;
mod schema;
pub mod schematest;
mod scratch;
mod sink;
mod time;
mod walk;

pub use classify::{
    Classifier, ClassifierError, ClassifyError, ClassifyState, Counts, Rule,
};
pub use context::Context;
pub use error::{
    Location, RecordError, RecordErrorKind, SchemaError, SchemaErrorKind,
};
pub use event::{Event, OwnedEvent};
pub use indicators::{Indicator, IndicatorSet};
pub use input::split::{Framing, Record, Split, split};
pub use input::stream::SplitReader;
pub use input::text::fastmatch;
pub use limits::Limits;
pub use registry::{LogType, OnDuplicate, Registry, RegistryBuilder};
pub use rowid::RowIdGenerator;
pub use scratch::Scratch;
pub use time::{ParseTimestampError, Timestamp};
pub use walk::derive::DiscoveredType;

/// Columnar output (feature `arrow`): records normalized straight into
/// Arrow record batches, without JSON text in between.
///
/// [`arrow_schema`](arrow::arrow_schema) derives a log type's Arrow
/// schema from its compiled plan; a [`BatchDecoder`](arrow::BatchDecoder)
/// takes payloads and hands back [`Batches`](arrow::Batches) of the
/// size the caller sets: the events and, beside them, the records that
/// failed (dead letters, columnar too). The values equal those of the
/// JSON rows ([`LogType::normalize`]) read into the same schema; a
/// record that fails leaves nothing in any event column. With the
/// feature `parquet`, `lognorm::parquet::writer_properties` tunes Parquet
/// files of these batches.
///
/// # Example
///
/// ```
/// use arrow_array::cast::AsArray;
/// use lognorm::arrow::BatchDecoder;
/// use lognorm::{Context, Registry};
///
/// let registry = Registry::builtin();
/// let wiz = registry.log_type("Wiz.Audit").unwrap();
/// let mut ctx = Context::new("2024-01-01T00:00:00Z".parse()?, *b"node01");
/// let mut decoder = BatchDecoder::new(wiz, 8192);
/// decoder.decode(br#"{"id":"e1","action":"Login","timestamp":"2024-01-01T00:00:05Z"}
/// {"id":"e2","timestamp":"yesterday"}"#, &mut ctx)?;
/// while let Some(batches) = decoder.flush()? {
///     assert_eq!(batches.events.num_rows(), 1);
///     let id = batches.events.column_by_name("id").unwrap().as_string::<i32>();
///     assert_eq!(id.value(0), "e1");
///     assert_eq!(batches.failures.num_rows(), 1);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "arrow")]
pub mod arrow {
    pub use crate::sink::arrow::decoder::{
        BatchDecoder, Batches, arrow_schema, failures_schema,
    };
}

/// Parquet writer properties for the batches of [`arrow`] (feature
/// `parquet`); the caller keeps the parquet crate's `ArrowWriter`.
#[cfg(feature = "parquet")]
pub mod parquet {
    pub use crate::sink::arrow::parquet::{
        ROW_GROUP_ROWS, writer_properties, writer_properties_builder,
    };
}

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
