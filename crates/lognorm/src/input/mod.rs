//! Input: payload bytes → records → parsed records.
//!
//! [`split`] cuts a payload into records, [`stream`] input that is not in
//! memory; [`text`] matches text lines into fields; JSON records are
//! parsed onto a simd-json tape by the driver (`crate::normalize`).

pub(crate) mod csv_split;
pub(crate) mod json;
pub(crate) mod split;
pub(crate) mod stream;
pub mod text;
