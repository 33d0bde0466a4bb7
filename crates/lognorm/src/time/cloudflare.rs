//! The `cloudflare` `timeFormat`: whatever Cloudflare's Logpush and
//! Logpull write for their `timestamp_format` option, which is one of
//! `unixnano` (the default: an integer of nanoseconds), `unix` (an integer
//! of seconds) or `rfc3339` (a string). Panther's Cloudflare schemas
//! declare their timestamps this way, and its test logs hold all three
//! (`1600365601`, `1600368586194526741`, `"2020-09-17T18:00:01Z"`).
//!
//! An integer (a JSON number, or text `-?digits`) is seconds when it is a
//! second within the years 0001..=9999 (at most 253,402,300,799), and
//! nanoseconds otherwise: Cloudflare's nanoseconds for any instant after
//! 1970-01-01T00:04:13Z are larger than that, its seconds always smaller.
//! Other text is read as `rfc3339`. A JSON float that is not integral is
//! fractional seconds, as `unix` reads it.

use super::unix::{self, Unit};
use super::{DayCache, MAX_SECS, MIN_SECS, Timestamp, rfc3339};

/// An integer in Cloudflare's `unix` or `unixnano` (see the module docs).
pub(super) fn from_integer(v: i128) -> Option<Timestamp> {
    let unit = if (i128::from(MIN_SECS)..=i128::from(MAX_SECS)).contains(&v) {
        Unit::S
    } else {
        Unit::Ns
    };
    unix::from_integer(v, unit)
}

/// Text: an integer as [`from_integer`], anything else as `rfc3339`.
pub(super) fn parse_str(s: &str, day: Option<&DayCache>) -> Option<Timestamp> {
    let bytes = s.as_bytes();
    match bytes.first() {
        Some(b'-' | b'0'..=b'9')
            if bytes.iter().skip(1).all(u8::is_ascii_digit) =>
        {
            from_integer(unix::integer_text(bytes)?)
        }
        _ => rfc3339::parse_cached(bytes, day),
    }
}

/// A JSON float: integral as [`from_integer`], else fractional seconds.
pub(super) fn from_f64(v: f64) -> Option<Timestamp> {
    match unix::integral_float(v) {
        Some(n) => from_integer(n),
        None => unix::from_float_seconds(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: Option<Timestamp>) -> Option<String> {
        t.map(|t| t.to_string())
    }

    #[test]
    fn panthers_cloudflare_test_values() {
        assert_eq!(
            text(from_integer(1_600_365_601)).as_deref(),
            Some("2020-09-17 18:00:01.000000000")
        );
        assert_eq!(
            text(from_integer(1_600_368_586_194_526_741)).as_deref(),
            Some("2020-09-17 18:49:46.194526741")
        );
        assert_eq!(
            text(parse_str("2020-09-17T18:00:01Z", None)).as_deref(),
            Some("2020-09-17 18:00:01.000000000")
        );
        assert_eq!(
            text(parse_str("1600365601", None)).as_deref(),
            Some("2020-09-17 18:00:01.000000000")
        );
        assert_eq!(
            text(parse_str("1600368586194526741", None)).as_deref(),
            Some("2020-09-17 18:49:46.194526741")
        );
    }

    #[test]
    fn seconds_or_nanoseconds() {
        assert_eq!(
            text(from_integer(253_402_300_799)).as_deref(),
            Some("9999-12-31 23:59:59.000000000")
        );
        assert_eq!(
            text(from_integer(253_402_300_800)).as_deref(),
            Some("1970-01-01 00:04:13.402300800")
        );
        assert_eq!(
            text(from_integer(-62_135_596_800)).as_deref(),
            Some("0001-01-01 00:00:00.000000000")
        );
        assert_eq!(
            text(from_integer(-62_135_596_801)).as_deref(),
            Some("1969-12-31 23:58:57.864403199")
        );
        assert_eq!(
            text(from_integer(0)).as_deref(),
            Some("1970-01-01 00:00:00.000000000")
        );
        assert_eq!(from_integer(i128::MAX), None);
        assert_eq!(
            text(parse_str("-1", None)).as_deref(),
            Some("1969-12-31 23:59:59.000000000")
        );
    }

    #[test]
    fn text_forms() {
        assert_eq!(parse_str("", None), None);
        assert_eq!(parse_str("-", None), None);
        assert_eq!(parse_str("+1", None), None);
        assert_eq!(parse_str("1.5", None), None);
        assert_eq!(parse_str(" 1", None), None);
        assert_eq!(
            parse_str("99999999999999999999999999999999999999999", None),
            None
        );
        assert_eq!(
            text(parse_str("2020-09-17 18:00:01.5+01:00", None)).as_deref(),
            Some("2020-09-17 17:00:01.500000000")
        );
        assert_eq!(parse_str("Thu, 17 Sep 2020 18:00:01 GMT", None), None);
    }

    #[test]
    fn floats() {
        assert_eq!(
            text(from_f64(1_600_365_601.0)).as_deref(),
            Some("2020-09-17 18:00:01.000000000")
        );
        assert_eq!(
            text(from_f64(1_600_365_601.25)).as_deref(),
            Some("2020-09-17 18:00:01.250000000")
        );
        assert_eq!(
            text(from_f64(1.600_368_586_194_526_7e18)).as_deref(),
            Some("2020-09-17 18:49:46.194526720")
        );
        assert_eq!(from_f64(f64::NAN), None);
        assert_eq!(from_f64(f64::INFINITY), None);
    }
}
