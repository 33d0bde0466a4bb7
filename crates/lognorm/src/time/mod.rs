//! Timestamps: the [`Timestamp`] instant, the `timeFormat` plans that read
//! one ([`TimeFormat`]) and the UTC text every timestamp is written as.
//!
//! Layout of this module:
//!
//! - `civil.rs`: days <-> proleptic Gregorian dates (pure arithmetic);
//! - `rfc3339.rs`: the hand-written `rfc3339` reader (hot path);
//! - `output.rs`: the hand-written `YYYY-MM-DD HH:MM:SS.fffffffff` writer
//!   (hot path);
//! - `unix.rs`: `unix`, `unix_ms`, `unix_us` and `unix_ns` from text and
//!   JSON numbers;
//! - `cloudflare.rs`: `cloudflare`, Cloudflare's seconds, nanoseconds or
//!   RFC 3339;
//! - `pattern.rs`: the items strftime patterns and Go layouts compile to,
//!   and the reader that matches values against them (hot path);
//! - `strftime.rs`: strftime patterns, in Panther's dialect;
//! - `layout.rs`: `layout=` Go reference layouts.
//!
//! Every reader returns `None` on failure: the caller knows the field and
//! the value and builds the record error itself.

mod civil;
mod cloudflare;
mod layout;
mod output;
mod pattern;

/// The 29 bytes of a timestamp's text in a row.
pub(crate) type TimeText = [u8; output::LEN];

/// The length of a timestamp's text in a row.
pub(crate) const TEXT_LEN: usize = output::LEN;
mod rfc3339;
mod strftime;
mod unix;

use std::fmt;
use std::str::FromStr;

pub(crate) use layout::LayoutFormat;
pub(crate) use output::DayCache;
pub(crate) use strftime::StrftimeFormat;
use unix::Unit;

/// Seconds from the Unix epoch to `0001-01-01T00:00:00Z`.
const MIN_SECS: i64 = -62_135_596_800;
/// Seconds from the Unix epoch to `9999-12-31T23:59:59Z`.
const MAX_SECS: i64 = 253_402_300_799;
/// Nanoseconds in one second.
const NANOS_PER_SEC: u32 = 1_000_000_000;

/// A UTC instant with nanosecond precision, always within the years
/// 0001..=9999.
///
/// It is stored as whole seconds since the Unix epoch plus the nanoseconds
/// within that second, so ordering and equality are the ordering and
/// equality of instants. Its text form ([`Display`](fmt::Display) and
/// [`Timestamp::write_to`]) is the normalized output layout
/// `YYYY-MM-DD HH:MM:SS.fffffffff`, which [`FromStr`] and
/// [`Timestamp::parse_rfc3339`] read back.
///
/// # Example
///
/// ```
/// use lognorm::Timestamp;
///
/// let ts: Timestamp = "2023-12-18T00:00:00.5+01:00".parse()?;
/// assert_eq!(ts.unix_seconds(), 1_702_854_000);
/// assert_eq!(ts.subsec_nanos(), 500_000_000);
/// assert_eq!(ts.to_string(), "2023-12-17 23:00:00.500000000");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z (floor, so an instant
    /// before the epoch has negative seconds and positive nanoseconds).
    secs: i64,
    /// Nanoseconds within the second, `0..1_000_000_000`.
    nanos: u32,
}

impl Timestamp {
    /// The earliest instant: `0001-01-01T00:00:00Z`.
    pub const MIN: Timestamp = Timestamp { secs: MIN_SECS, nanos: 0 };

    /// The latest instant: `9999-12-31T23:59:59.999999999Z`.
    pub const MAX: Timestamp =
        Timestamp { secs: MAX_SECS, nanos: NANOS_PER_SEC - 1 };

    /// The instant `secs` seconds plus `nanos` nanoseconds after the Unix
    /// epoch.
    ///
    /// Returns `None` if `nanos` is one second or more, or if the instant
    /// is outside the years 0001..=9999.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::Timestamp;
    ///
    /// let ts = Timestamp::from_unix(-1, 250_000_000).ok_or("range")?;
    /// assert_eq!(ts.to_string(), "1969-12-31 23:59:59.250000000");
    /// assert_eq!(Timestamp::from_unix(0, 1_000_000_000), None);
    /// assert_eq!(Timestamp::from_unix(253_402_300_800, 0), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    #[inline]
    pub const fn from_unix(secs: i64, nanos: u32) -> Option<Timestamp> {
        if nanos < NANOS_PER_SEC && secs >= MIN_SECS && secs <= MAX_SECS {
            Some(Timestamp { secs, nanos })
        } else {
            None
        }
    }

    /// The instant `nanos` nanoseconds after the Unix epoch (negative:
    /// before it).
    ///
    /// Returns `None` outside the years 0001..=9999.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::Timestamp;
    ///
    /// let ts = Timestamp::from_unix_nanos(-1).ok_or("range")?;
    /// assert_eq!(ts.unix_seconds(), -1);
    /// assert_eq!(ts.subsec_nanos(), 999_999_999);
    /// assert_eq!(Timestamp::from_unix_nanos(ts.unix_nanos()), Some(ts));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn from_unix_nanos(nanos: i128) -> Option<Timestamp> {
        let per_sec = i128::from(NANOS_PER_SEC);
        let secs = i64::try_from(nanos.div_euclid(per_sec)).ok()?;
        let sub = u32::try_from(nanos.rem_euclid(per_sec)).ok()?;
        Timestamp::from_unix(secs, sub)
    }

    /// Whole seconds since the Unix epoch, rounded towards the past (so
    /// `1969-12-31T23:59:59.5Z` is `-1`).
    #[must_use]
    #[inline]
    pub const fn unix_seconds(self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`Timestamp::unix_seconds`], `0..1_000_000_000`.
    #[must_use]
    #[inline]
    pub const fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Nanoseconds since the Unix epoch (negative before it). Every
    /// timestamp fits: the range needs about 69 bits.
    #[must_use]
    #[inline]
    pub const fn unix_nanos(self) -> i128 {
        // Widening casts; `i128::from` is not const.
        self.secs as i128 * NANOS_PER_SEC as i128 + self.nanos as i128
    }

    /// Converts a chrono UTC date-time.
    ///
    /// Returns `None` outside the years 0001..=9999 and for a leap second
    /// (chrono's second 60, which this crate never accepts).
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::Timestamp;
    ///
    /// let dt = chrono::DateTime::from_timestamp(1_702_857_600, 7)
    ///     .ok_or("range")?;
    /// let ts = Timestamp::from_chrono(dt).ok_or("range")?;
    /// assert_eq!(ts.to_string(), "2023-12-18 00:00:00.000000007");
    /// assert_eq!(ts.to_chrono(), dt);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn from_chrono(
        dt: chrono::DateTime<chrono::Utc>,
    ) -> Option<Timestamp> {
        Timestamp::from_unix(dt.timestamp(), dt.timestamp_subsec_nanos())
    }

    /// Converts to a chrono UTC date-time (always representable).
    #[must_use]
    #[inline]
    pub fn to_chrono(self) -> chrono::DateTime<chrono::Utc> {
        // chrono covers roughly ±262,000 years, so this never falls back;
        // the fallback only avoids a panic path.
        chrono::DateTime::from_timestamp(self.secs, self.nanos)
            .unwrap_or(chrono::DateTime::UNIX_EPOCH)
    }

    /// Reads an RFC 3339 timestamp, as the `rfc3339` time format does.
    ///
    /// The layout is `YYYY-MM-DDTHH:MM:SS[.fraction][zone]`:
    ///
    /// - the date/time separator is `T`, `t` or one space;
    /// - the date must exist (leap years included), the hour is 00–23, the
    ///   minute 00–59 and the second 00–59 (no leap second);
    /// - the fraction has at least one digit; the first nine are kept and
    ///   further digits (which must still be digits) are truncated;
    /// - the zone is `Z`, `z`, `±hh:mm` or `±hhmm` (hh ≤ 23, mm ≤ 59); no
    ///   zone means UTC, so [`Timestamp::write_to`]'s output reads back;
    /// - the instant, after applying the zone, must be within the years
    ///   0001..=9999.
    ///
    /// Anything else fails: surrounding whitespace, a date alone, trailing
    /// bytes.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::Timestamp;
    ///
    /// let a = Timestamp::parse_rfc3339("2024-02-29T12:00:00Z");
    /// let b = Timestamp::parse_rfc3339("2024-02-29 13:30:00+0130");
    /// assert!(a.is_some());
    /// assert_eq!(a, b);
    /// assert_eq!(Timestamp::parse_rfc3339("2023-02-29T12:00:00Z"), None);
    /// assert_eq!(Timestamp::parse_rfc3339(" 2024-02-29T12:00:00Z"), None);
    /// ```
    ///
    /// # Complexity
    ///
    /// Linear in the length of `s`; no allocation.
    #[must_use]
    #[inline]
    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        rfc3339::parse(s.as_bytes())
    }

    /// Appends the UTC text `YYYY-MM-DD HH:MM:SS.fffffffff` (always 29
    /// bytes: a space, nine fraction digits, no zone) to `out`.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::Timestamp;
    ///
    /// let mut out = b"t=".to_vec();
    /// Timestamp::MAX.write_to(&mut out);
    /// assert_eq!(out, b"t=9999-12-31 23:59:59.999999999");
    /// ```
    ///
    /// # Complexity
    ///
    /// Constant time; allocates only if `out` must grow.
    #[inline]
    pub fn write_to(self, out: &mut Vec<u8>) {
        output::append(self, out);
    }

    /// [`write_to`](Timestamp::write_to), with the date taken from `cache`
    /// when it is the day `cache` last wrote.
    #[inline]
    pub(crate) fn write_to_cached(
        self,
        out: &mut Vec<u8>,
        cache: &mut DayCache,
    ) {
        output::append_cached(self, out, cache);
    }

    /// The text [`write_to`](Timestamp::write_to) writes, as a value.
    #[inline]
    pub(crate) fn text(self) -> TimeText {
        output::format(self)
    }
}

impl fmt::Display for Timestamp {
    /// Writes `YYYY-MM-DD HH:MM:SS.fffffffff` in UTC, as
    /// [`Timestamp::write_to`] does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = output::format(*self);
        // The buffer holds ASCII digits and punctuation only.
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    /// Reads RFC 3339 text, as [`Timestamp::parse_rfc3339`] does.
    fn from_str(s: &str) -> Result<Timestamp, ParseTimestampError> {
        Timestamp::parse_rfc3339(s).ok_or(ParseTimestampError { _priv: () })
    }
}

/// The error of [`Timestamp::from_str`](FromStr::from_str): the text is
/// not an RFC 3339 timestamp within the years 0001..=9999.
///
/// # Example
///
/// ```
/// use lognorm::Timestamp;
///
/// let err = "2023-12-18".parse::<Timestamp>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid rfc3339 timestamp");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseTimestampError {
    _priv: (),
}

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid rfc3339 timestamp")
    }
}

impl std::error::Error for ParseTimestampError {}

/// A compiled `timeFormat`: how one timestamp value is read.
///
/// Built once when a schema is loaded ([`TimeFormat::compile`]) and shared
/// read-only afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TimeFormat {
    /// `rfc3339`: see [`Timestamp::parse_rfc3339`]. Text only.
    Rfc3339,
    /// `unix`: seconds since the epoch, with an optional fraction.
    Unix,
    /// `unix_ms`: whole milliseconds since the epoch.
    UnixMs,
    /// `unix_us`: whole microseconds since the epoch.
    UnixUs,
    /// `unix_ns`: whole nanoseconds since the epoch.
    UnixNs,
    /// `cloudflare`: Cloudflare's `unix` or `unixnano` integers, or RFC
    /// 3339 text (see `cloudflare.rs`).
    Cloudflare,
    /// A strftime pattern, such as `%d/%b/%Y:%H:%M:%S %z`.
    Strftime(StrftimeFormat),
    /// A Go reference layout, such as `layout=2006-01-02 15:04:05 MST`.
    Layout(LayoutFormat),
}

impl TimeFormat {
    /// Compiles a `timeFormat` value: `rfc3339`, `unix`, `unix_ms`,
    /// `unix_us`, `unix_ns`, `cloudflare` (exact, lowercase), a Go layout
    /// (`layout=` and the layout), or a strftime pattern (any other text
    /// containing `%`).
    ///
    /// # Errors
    ///
    /// A pattern with an unknown or incomplete directive, a layout without
    /// a year or with a field given twice (the error carries its byte
    /// offset in `spec`), or text that is none of these.
    pub(crate) fn compile(spec: &str) -> Result<TimeFormat, TimeFormatError> {
        Ok(match spec {
            "rfc3339" => TimeFormat::Rfc3339,
            "unix" => TimeFormat::Unix,
            "unix_ms" => TimeFormat::UnixMs,
            "unix_us" => TimeFormat::UnixUs,
            "unix_ns" => TimeFormat::UnixNs,
            "cloudflare" => TimeFormat::Cloudflare,
            _ if spec.starts_with(layout::PREFIX) => {
                TimeFormat::Layout(LayoutFormat::compile(spec)?)
            }
            _ if spec.contains('%') => {
                TimeFormat::Strftime(StrftimeFormat::compile(spec)?)
            }
            _ => return Err(TimeFormatError::unknown_format(spec)),
        })
    }

    /// The text this format was compiled from, for error messages.
    pub(crate) fn name(&self) -> &str {
        match self {
            TimeFormat::Rfc3339 => "rfc3339",
            TimeFormat::Unix => "unix",
            TimeFormat::UnixMs => "unix_ms",
            TimeFormat::UnixUs => "unix_us",
            TimeFormat::UnixNs => "unix_ns",
            TimeFormat::Cloudflare => "cloudflare",
            TimeFormat::Strftime(f) => f.spec(),
            TimeFormat::Layout(f) => f.spec(),
        }
    }

    /// [`parse_str_cached`](TimeFormat::parse_str_cached) without a day.
    #[cfg(test)]
    pub(crate) fn parse_str(&self, s: &str) -> Option<Timestamp> {
        self.parse_str_cached(s, None)
    }

    /// Reads a JSON string value or a text field; the rfc3339 reader
    /// takes the day number of a date that is `day`'s text from `day`.
    ///
    /// The unix formats read the decimal text exactly (`unix` keeps up to
    /// nine fraction digits, the others take integers only); no
    /// whitespace, `+` or exponent. Returns `None` if `s` does not parse
    /// or the instant is outside the years 0001..=9999.
    ///
    /// # Complexity
    ///
    /// Linear in the length of `s`; no allocation.
    #[inline]
    pub(crate) fn parse_str_cached(
        &self,
        s: &str,
        day: Option<&DayCache>,
    ) -> Option<Timestamp> {
        match self {
            TimeFormat::Rfc3339 => rfc3339::parse_cached(s.as_bytes(), day),
            TimeFormat::Unix => unix::parse_decimal(s.as_bytes()),
            TimeFormat::UnixMs => unix::parse_integer(s.as_bytes(), Unit::Ms),
            TimeFormat::UnixUs => unix::parse_integer(s.as_bytes(), Unit::Us),
            TimeFormat::UnixNs => unix::parse_integer(s.as_bytes(), Unit::Ns),
            TimeFormat::Cloudflare => cloudflare::parse_str(s, day),
            TimeFormat::Strftime(f) => f.parse(s),
            TimeFormat::Layout(f) => f.parse(s),
        }
    }

    /// Reads a JSON integer.
    ///
    /// The unix formats take it in their unit, `cloudflare` as seconds or
    /// nanoseconds. A strftime pattern or Go layout reads the integer's
    /// decimal text (so `%s` or `%Y%m%d` take numbers too); `rfc3339`
    /// takes no numbers.
    pub(crate) fn parse_i64(&self, v: i64) -> Option<Timestamp> {
        self.parse_integer(v.into())
    }

    /// Reads a JSON unsigned integer; see [`TimeFormat::parse_i64`].
    pub(crate) fn parse_u64(&self, v: u64) -> Option<Timestamp> {
        self.parse_integer(v.into())
    }

    fn parse_integer(&self, v: i128) -> Option<Timestamp> {
        match self {
            TimeFormat::Rfc3339 => None,
            TimeFormat::Unix => unix::from_integer(v, Unit::S),
            TimeFormat::UnixMs => unix::from_integer(v, Unit::Ms),
            TimeFormat::UnixUs => unix::from_integer(v, Unit::Us),
            TimeFormat::UnixNs => unix::from_integer(v, Unit::Ns),
            TimeFormat::Cloudflare => cloudflare::from_integer(v),
            TimeFormat::Strftime(f) => f.parse(itoa::Buffer::new().format(v)),
            TimeFormat::Layout(f) => f.parse(itoa::Buffer::new().format(v)),
        }
    }

    /// Reads a JSON float.
    ///
    /// `unix` takes fractional seconds: the float's shortest round-trip
    /// decimal text is read, so `1702857600.123` gives exactly 123 ms.
    /// `cloudflare` reads an integral float as an integer, others as
    /// `unix` does. `unix_ms`, `unix_us`, `unix_ns`, strftime patterns and
    /// Go layouts take a float only if it is integral (`1.7e12` for
    /// `unix_ms`), then read it as an integer; `rfc3339` takes no numbers.
    /// NaN and infinities fail.
    pub(crate) fn parse_f64(&self, v: f64) -> Option<Timestamp> {
        match self {
            TimeFormat::Rfc3339 => None,
            TimeFormat::Unix => unix::from_float_seconds(v),
            TimeFormat::UnixMs => unix::from_integral_float(v, Unit::Ms),
            TimeFormat::UnixUs => unix::from_integral_float(v, Unit::Us),
            TimeFormat::UnixNs => unix::from_integral_float(v, Unit::Ns),
            TimeFormat::Cloudflare => cloudflare::from_f64(v),
            TimeFormat::Strftime(f) => {
                let v = unix::integral_float(v)?;
                let v = i64::try_from(v).ok()?;
                f.parse(itoa::Buffer::new().format(v))
            }
            TimeFormat::Layout(f) => {
                let v = unix::integral_float(v)?;
                let v = i64::try_from(v).ok()?;
                f.parse(itoa::Buffer::new().format(v))
            }
        }
    }
}

/// Why a `timeFormat` did not compile.
///
/// Display: ``unknown directive `%Q` at byte 3``,
/// ``incomplete directive `%` at byte 8``,
/// ``month given twice: `01` at byte 12 and `01` at byte 15`` (a layout)
/// or ``unknown time format `foo` ``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TimeFormatError {
    kind: TimeFormatErrorKind,
    offset: usize,
}

/// The kinds of [`TimeFormatError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TimeFormatErrorKind {
    /// Text that is not a named format, a layout or a strftime pattern;
    /// holds the text.
    UnknownFormat(Box<str>),
    /// A strftime directive that is not in the dialect; holds the
    /// directive's text.
    UnknownDirective(Box<str>),
    /// A `%` (possibly with modifiers) at the end of the pattern; holds
    /// the directive's text.
    IncompleteDirective(Box<str>),
    /// A Go layout that cannot read any value; holds the message.
    Layout(Box<str>),
}

impl TimeFormatError {
    #[cold]
    #[inline(never)]
    fn unknown_format(spec: &str) -> TimeFormatError {
        TimeFormatError {
            kind: TimeFormatErrorKind::UnknownFormat(spec.into()),
            offset: 0,
        }
    }

    /// What went wrong.
    pub(crate) fn kind(&self) -> &TimeFormatErrorKind {
        &self.kind
    }

    /// The byte offset in the `timeFormat` text where the problem starts
    /// (0 for an unknown format name). The message already includes it.
    #[cfg(test)]
    pub(crate) fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for TimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TimeFormatErrorKind::UnknownFormat(s) => {
                write!(f, "unknown time format `{s}`")
            }
            TimeFormatErrorKind::UnknownDirective(d) => {
                write!(f, "unknown directive `{d}` at byte {}", self.offset)
            }
            TimeFormatErrorKind::IncompleteDirective(d) => {
                write!(f, "incomplete directive `{d}` at byte {}", self.offset)
            }
            TimeFormatErrorKind::Layout(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for TimeFormatError {}

/// The round-trip tests' writer (strftime and layouts): the instant
/// `secs.nanos` as chrono formats it with `pattern`, at a fixed offset of
/// `offset_minutes` when `zoned`, else in UTC.
#[cfg(test)]
pub(crate) fn chrono_text(
    secs: i64,
    nanos: u32,
    offset_minutes: i32,
    pattern: &str,
    zoned: bool,
) -> String {
    let utc = chrono::DateTime::from_timestamp(secs, nanos).unwrap();
    if zoned {
        let zone = chrono::FixedOffset::east_opt(offset_minutes * 60).unwrap();
        utc.with_timezone(&zone).format(pattern).to_string()
    } else {
        utc.format(pattern).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(secs: i64, nanos: u32) -> Timestamp {
        Timestamp::from_unix(secs, nanos).unwrap()
    }

    fn text(t: Option<Timestamp>) -> Option<String> {
        t.map(|t| t.to_string())
    }

    fn compile(spec: &str) -> TimeFormat {
        TimeFormat::compile(spec).unwrap()
    }

    fn compile_err(spec: &str) -> String {
        TimeFormat::compile(spec).unwrap_err().to_string()
    }

    #[test]
    fn bounds() {
        assert_eq!(Timestamp::MIN.unix_seconds(), -62_135_596_800);
        assert_eq!(Timestamp::MIN.subsec_nanos(), 0);
        assert_eq!(Timestamp::MAX.unix_seconds(), 253_402_300_799);
        assert_eq!(Timestamp::MAX.subsec_nanos(), 999_999_999);
        assert_eq!(Timestamp::from_unix(MIN_SECS, 0), Some(Timestamp::MIN));
        assert_eq!(
            Timestamp::from_unix(MAX_SECS, 999_999_999),
            Some(Timestamp::MAX)
        );
        assert_eq!(Timestamp::from_unix(MIN_SECS - 1, 999_999_999), None);
        assert_eq!(Timestamp::from_unix(MAX_SECS + 1, 0), None);
        assert_eq!(Timestamp::from_unix(0, 1_000_000_000), None);
        assert_eq!(Timestamp::from_unix(i64::MIN, 0), None);
        assert_eq!(Timestamp::from_unix(i64::MAX, 0), None);
    }

    #[test]
    fn unix_nanos() {
        assert_eq!(ts(-1, 1).unix_nanos(), -999_999_999);
        assert_eq!(Timestamp::MAX.unix_nanos(), 253_402_300_799_999_999_999);
        assert_eq!(Timestamp::MIN.unix_nanos(), -62_135_596_800_000_000_000);
        assert_eq!(Timestamp::from_unix_nanos(-1), Some(ts(-1, 999_999_999)));
        assert_eq!(
            Timestamp::from_unix_nanos(253_402_300_800_000_000_000),
            None
        );
        assert_eq!(Timestamp::from_unix_nanos(i128::MIN), None);
        assert_eq!(Timestamp::from_unix_nanos(i128::MAX), None);
    }

    #[test]
    fn ordering() {
        assert!(ts(-1, 999_999_999) < ts(0, 0));
        assert!(ts(0, 1) < ts(1, 0));
        assert!(Timestamp::MIN < Timestamp::MAX);
    }

    #[test]
    fn chrono_conversions() {
        let dt = chrono::DateTime::from_timestamp(-5, 123).unwrap();
        assert_eq!(Timestamp::from_chrono(dt), Some(ts(-5, 123)));
        assert_eq!(ts(-5, 123).to_chrono(), dt);
        let year0 = chrono::DateTime::from_timestamp(MIN_SECS - 1, 0).unwrap();
        assert_eq!(Timestamp::from_chrono(year0), None);
        let y10k = chrono::DateTime::from_timestamp(MAX_SECS + 1, 0).unwrap();
        assert_eq!(Timestamp::from_chrono(y10k), None);
        // A leap second (chrono's nanos >= 1e9) is refused.
        let leap =
            chrono::DateTime::from_timestamp(59, 1_500_000_000).unwrap();
        assert_eq!(Timestamp::from_chrono(leap), None);
        assert_eq!(
            Timestamp::MIN.to_chrono().to_rfc3339(),
            "0001-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn display_and_from_str() {
        assert_eq!(ts(0, 0).to_string(), "1970-01-01 00:00:00.000000000");
        assert_eq!(
            format!("[{}]", ts(1, 2)),
            "[1970-01-01 00:00:01.000000002]"
        );
        let back: Timestamp = "1970-01-01 00:00:01.000000002".parse().unwrap();
        assert_eq!(back, ts(1, 2));
        let err = "nope".parse::<Timestamp>().unwrap_err();
        assert_eq!(err.to_string(), "invalid rfc3339 timestamp");
    }

    #[test]
    fn compile_named() {
        assert_eq!(compile("rfc3339"), TimeFormat::Rfc3339);
        assert_eq!(compile("unix"), TimeFormat::Unix);
        assert_eq!(compile("unix_ms"), TimeFormat::UnixMs);
        assert_eq!(compile("unix_us"), TimeFormat::UnixUs);
        assert_eq!(compile("unix_ns"), TimeFormat::UnixNs);
        assert_eq!(compile("cloudflare"), TimeFormat::Cloudflare);
        for name in
            ["rfc3339", "unix", "unix_ms", "unix_us", "unix_ns", "cloudflare"]
        {
            assert_eq!(compile(name).name(), name);
        }
        let f = compile("%Y-%m-%d %H:%M:%S");
        assert_eq!(f.name(), "%Y-%m-%d %H:%M:%S");
        assert!(matches!(f, TimeFormat::Strftime(_)));
        let f = compile("layout=2006-01-02 15:04:05 MST");
        assert_eq!(f.name(), "layout=2006-01-02 15:04:05 MST");
        assert!(matches!(f, TimeFormat::Layout(_)));
        // `layout=` wins over `%`: a layout may hold a `%`.
        assert!(matches!(compile("layout=2006%"), TimeFormat::Layout(_)));
    }

    #[test]
    fn compile_errors() {
        assert_eq!(compile_err("foo"), "unknown time format `foo`");
        assert_eq!(compile_err("RFC3339"), "unknown time format `RFC3339`");
        assert_eq!(compile_err(""), "unknown time format ``");
        assert_eq!(compile_err("%Y-%Q"), "unknown directive `%Q` at byte 3");
        assert_eq!(
            compile_err("%Y-%m-%"),
            "incomplete directive `%` at byte 6"
        );
        let err = TimeFormat::compile("%Y %Q").unwrap_err();
        assert_eq!(err.offset(), 3);
        assert_eq!(
            err.kind(),
            &TimeFormatErrorKind::UnknownDirective("%Q".into())
        );
        assert_eq!(TimeFormat::compile("foo").unwrap_err().offset(), 0);
        // Near misses of the named formats and of `layout=`.
        assert_eq!(
            compile_err("Cloudflare"),
            "unknown time format `Cloudflare`"
        );
        assert_eq!(
            compile_err("layout:2006-01-02 15:04:05.000"),
            "unknown time format `layout:2006-01-02 15:04:05.000`"
        );
        assert_eq!(
            compile_err("2006-01-02"),
            "unknown time format `2006-01-02`"
        );
        assert_eq!(
            compile_err("layout=15:04"),
            "no year in layout, expected `2006` or `06`"
        );
        let err = TimeFormat::compile("layout=2006-01-01").unwrap_err();
        assert_eq!(
            err.to_string(),
            "month given twice: `01` at byte 12 and `01` at byte 15"
        );
        assert_eq!(err.offset(), 15);
        assert!(matches!(err.kind(), TimeFormatErrorKind::Layout(_)));
    }

    #[test]
    fn rfc3339_format_by_kind() {
        let f = compile("rfc3339");
        assert_eq!(
            text(f.parse_str("2023-12-18T01:02:03Z")).as_deref(),
            Some("2023-12-18 01:02:03.000000000")
        );
        assert_eq!(f.parse_str("1702857600"), None);
        assert_eq!(f.parse_i64(1_702_857_600), None);
        assert_eq!(f.parse_u64(1_702_857_600), None);
        assert_eq!(f.parse_f64(1_702_857_600.0), None);
    }

    #[test]
    fn unix_formats_by_kind() {
        let s = compile("unix");
        let ms = compile("unix_ms");
        let us = compile("unix_us");
        let ns = compile("unix_ns");
        let want = Some(ts(1_702_857_600, 0));
        assert_eq!(s.parse_i64(1_702_857_600), want);
        assert_eq!(s.parse_u64(1_702_857_600), want);
        assert_eq!(s.parse_f64(1_702_857_600.0), want);
        assert_eq!(s.parse_str("1702857600"), want);
        assert_eq!(ms.parse_i64(1_702_857_600_000), want);
        assert_eq!(ms.parse_u64(1_702_857_600_000), want);
        assert_eq!(ms.parse_f64(1.702_857_6e12), want);
        assert_eq!(ms.parse_str("1702857600000"), want);
        assert_eq!(us.parse_i64(1_702_857_600_000_000), want);
        assert_eq!(us.parse_u64(1_702_857_600_000_000), want);
        assert_eq!(us.parse_str("1702857600000000"), want);
        assert_eq!(ns.parse_i64(1_702_857_600_000_000_000), want);
        assert_eq!(ns.parse_u64(1_702_857_600_000_000_000), want);
        assert_eq!(ns.parse_str("1702857600000000000"), want);

        assert_eq!(
            s.parse_f64(1_702_857_600.5),
            Some(ts(1_702_857_600, 500_000_000))
        );
        assert_eq!(
            s.parse_str("1702857600.5"),
            Some(ts(1_702_857_600, 500_000_000))
        );
        assert_eq!(ms.parse_f64(1_702_857_600_000.5), None);
        assert_eq!(ms.parse_str("1702857600000.5"), None);

        // Negative values.
        assert_eq!(s.parse_i64(-1), Some(ts(-1, 0)));
        assert_eq!(ms.parse_i64(-1), Some(ts(-1, 999_000_000)));
        assert_eq!(us.parse_str("-1"), Some(ts(-1, 999_999_000)));
        assert_eq!(ns.parse_i64(-1), Some(ts(-1, 999_999_999)));

        // Overflow: i64::MAX ns is 2262, i64::MAX ms is far past 9999.
        assert_eq!(
            text(ns.parse_i64(i64::MAX)).as_deref(),
            Some("2262-04-11 23:47:16.854775807")
        );
        assert_eq!(
            text(ns.parse_i64(i64::MIN)).as_deref(),
            Some("1677-09-21 00:12:43.145224192")
        );
        assert_eq!(ms.parse_i64(i64::MAX), None);
        assert_eq!(ms.parse_i64(i64::MIN), None);
        assert_eq!(us.parse_i64(i64::MAX), None);
        assert_eq!(s.parse_i64(i64::MAX), None);
        assert_eq!(s.parse_u64(u64::MAX), None);
        assert_eq!(
            text(ns.parse_u64(u64::MAX)).as_deref(),
            Some("2554-07-21 23:34:33.709551615")
        );
        assert_eq!(us.parse_u64(u64::MAX), None);
        assert_eq!(s.parse_f64(f64::NAN), None);
        assert_eq!(s.parse_f64(f64::INFINITY), None);
        assert_eq!(ms.parse_f64(f64::NEG_INFINITY), None);
        assert_eq!(ms.parse_f64(1e300), None);
    }

    #[test]
    fn strftime_by_kind() {
        let f = compile("%s");
        let want = Some(ts(1_702_857_600, 0));
        assert_eq!(f.parse_str("1702857600"), want);
        assert_eq!(f.parse_i64(1_702_857_600), want);
        assert_eq!(f.parse_u64(1_702_857_600), want);
        assert_eq!(f.parse_f64(1_702_857_600.0), want);
        assert_eq!(f.parse_f64(1_702_857_600.5), None);
        // `%s` takes a sign, as Panther's.
        assert_eq!(f.parse_i64(-1), Some(ts(-1, 0)));
        let d = compile("%Y%m%d");
        assert_eq!(d.parse_u64(20_231_218), want);
        assert_eq!(d.parse_i64(20_230_230), None);
    }

    #[test]
    fn layout_by_kind() {
        let f = compile("layout=20060102");
        let want = Some(ts(1_702_857_600, 0));
        assert_eq!(f.parse_str("20231218"), want);
        assert_eq!(f.parse_i64(20_231_218), want);
        assert_eq!(f.parse_u64(20_231_218), want);
        assert_eq!(f.parse_f64(20_231_218.0), want);
        assert_eq!(f.parse_f64(20_231_218.5), None);
        assert_eq!(f.parse_i64(-20_231_218), None);
    }

    #[test]
    fn cloudflare_by_kind() {
        let f = compile("cloudflare");
        let secs = Some(ts(1_600_365_601, 0));
        assert_eq!(f.parse_i64(1_600_365_601), secs);
        assert_eq!(f.parse_u64(1_600_365_601), secs);
        assert_eq!(f.parse_f64(1_600_365_601.0), secs);
        assert_eq!(f.parse_str("1600365601"), secs);
        assert_eq!(f.parse_str("2020-09-17T18:00:01Z"), secs);
        let nanos = Some(ts(1_600_368_586, 194_526_741));
        assert_eq!(f.parse_i64(1_600_368_586_194_526_741), nanos);
        assert_eq!(f.parse_u64(1_600_368_586_194_526_741), nanos);
        assert_eq!(f.parse_str("1600368586194526741"), nanos);
        assert_eq!(
            f.parse_f64(1_600_365_601.5),
            Some(ts(1_600_365_601, 500_000_000))
        );
        assert_eq!(
            text(f.parse_u64(u64::MAX)).as_deref(),
            Some("2554-07-21 23:34:33.709551615")
        );
        assert_eq!(f.parse_str("99999999999999999999999"), None);
        assert_eq!(f.parse_str("nope"), None);
    }

    fn arb_timestamp() -> impl Strategy<Value = Timestamp> {
        (MIN_SECS..=MAX_SECS, 0..NANOS_PER_SEC).prop_map(|(s, n)| ts(s, n))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn write_then_parse_round_trips(t in arb_timestamp()) {
            let mut out = Vec::new();
            t.write_to(&mut out);
            prop_assert_eq!(out.len(), 29);
            let s = std::str::from_utf8(&out).unwrap();
            prop_assert_eq!(Timestamp::parse_rfc3339(s), Some(t));
            prop_assert_eq!(s.parse::<Timestamp>(), Ok(t));
        }

        #[test]
        fn chrono_round_trips(t in arb_timestamp()) {
            prop_assert_eq!(Timestamp::from_chrono(t.to_chrono()), Some(t));
            prop_assert_eq!(t.to_chrono().timestamp(), t.unix_seconds());
        }

        #[test]
        fn unix_nanos_round_trips(t in arb_timestamp()) {
            let back = Timestamp::from_unix_nanos(t.unix_nanos());
            prop_assert_eq!(back, Some(t));
        }

        #[test]
        fn unix_text_round_trips(t in arb_timestamp()) {
            let n = t.unix_nanos();
            let (sign, abs) = if n < 0 { ("-", -n) } else { ("", n) };
            let (whole, frac) = (abs / 1_000_000_000, abs % 1_000_000_000);
            let secs = format!("{sign}{whole}.{frac:09}");
            prop_assert_eq!(compile("unix").parse_str(&secs), Some(t));
            let ns = n.to_string();
            prop_assert_eq!(compile("unix_ns").parse_str(&ns), Some(t));
            let ms = n.div_euclid(1_000_000);
            let ms_text = ms.to_string();
            let back = compile("unix_ms").parse_str(&ms_text).unwrap();
            prop_assert_eq!(back.unix_nanos(), ms * 1_000_000);
        }
    }
}
