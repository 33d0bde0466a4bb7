//! The unix formats: `unix` (seconds, optional fraction), `unix_ms`,
//! `unix_us` and `unix_ns` (integers), from text and from JSON numbers.
//!
//! Text is read as exact decimal (never through `f64`): `-?digits` for the
//! integer formats, `-?digits(.digits)?` for `unix`, with up to nine
//! fraction digits kept and further ones truncated. No whitespace, no `+`,
//! no exponent. Arithmetic is in `i128` nanoseconds with checked
//! operations, so overflow is a failure, never a panic.

use super::Timestamp;

/// The unit of a unix format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    /// Seconds (`unix`).
    S,
    /// Milliseconds (`unix_ms`).
    Ms,
    /// Microseconds (`unix_us`).
    Us,
    /// Nanoseconds (`unix_ns`).
    Ns,
}

impl Unit {
    /// Nanoseconds in one unit.
    const fn nanos(self) -> i128 {
        match self {
            Unit::S => 1_000_000_000,
            Unit::Ms => 1_000_000,
            Unit::Us => 1_000,
            Unit::Ns => 1,
        }
    }
}

/// Floats at or beyond this magnitude are out of range in every unit
/// (the range is about ±2.6e20 ns) and are refused before conversion.
const FLOAT_LIMIT: f64 = 1e21;

/// `v` units after the epoch.
///
/// Hand-optimized (hot path): a value that fits `i64` (every timestamp
/// in range, in every unit but nanoseconds past 2262) is split into
/// seconds and nanoseconds with `i64` division by a constant, a
/// multiply; the `i128` form calls `__divti3` and `__modti3` (~120
/// instructions a Databricks record). Both give the same result
/// (`fast_integer_is_the_i128_definition`).
#[inline]
pub(super) fn from_integer(v: i128, unit: Unit) -> Option<Timestamp> {
    match i64::try_from(v) {
        Ok(v) => match unit {
            Unit::S => Timestamp::from_unix(v, 0),
            Unit::Ms => split::<1_000>(v),
            Unit::Us => split::<1_000_000>(v),
            Unit::Ns => split::<1_000_000_000>(v),
        },
        Err(_) => from_integer_wide(v, unit),
    }
}

/// `v` units after the epoch, through `i128` nanoseconds: the
/// definition [`from_integer`] is held to.
fn from_integer_wide(v: i128, unit: Unit) -> Option<Timestamp> {
    Timestamp::from_unix_nanos(v.checked_mul(unit.nanos())?)
}

/// `v` counted in `1 / PER_SEC` seconds.
#[inline]
fn split<const PER_SEC: i64>(v: i64) -> Option<Timestamp> {
    let secs = v.div_euclid(PER_SEC);
    // In 0..PER_SEC, and PER_SEC divides 10^9: the product is below 10^9.
    let sub = v.rem_euclid(PER_SEC) * (1_000_000_000 / PER_SEC);
    Timestamp::from_unix(secs, u32::try_from(sub).ok()?)
}

/// Reads `-?digits` as a count of `unit`s.
pub(super) fn parse_integer(s: &[u8], unit: Unit) -> Option<Timestamp> {
    from_integer(integer_text(s)?, unit)
}

/// Reads `-?digits` exactly; `None` for other text or more than `i128`
/// holds.
pub(super) fn integer_text(s: &[u8]) -> Option<i128> {
    let (negative, digits) = split_sign(s);
    let (magnitude, rest) = integer(digits)?;
    if !rest.is_empty() {
        return None;
    }
    Some(if negative { -magnitude } else { magnitude })
}

/// Reads `-?digits(.digits)?` as seconds; fraction digits past the ninth
/// are truncated.
pub(super) fn parse_decimal(s: &[u8]) -> Option<Timestamp> {
    let (negative, digits) = split_sign(s);
    let (whole, rest) = integer(digits)?;
    let frac = match rest {
        [] => 0,
        [b'.', tail @ ..] => fraction(tail)?,
        _ => return None,
    };
    let magnitude = whole.checked_mul(Unit::S.nanos())?.checked_add(frac)?;
    Timestamp::from_unix_nanos(if negative { -magnitude } else { magnitude })
}

/// Fractional seconds from a JSON float.
///
/// The float's shortest round-trip decimal text (ryu) is read exactly, so
/// `1702857600.123` becomes 123,000,000 ns rather than the binary value's
/// 122,999,906 ns. Only tiny magnitudes print with an exponent; those are
/// scaled arithmetically instead.
pub(super) fn from_float_seconds(v: f64) -> Option<Timestamp> {
    if !v.is_finite() || v.abs() >= FLOAT_LIMIT {
        return None;
    }
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(v);
    if text.contains(['e', 'E']) {
        // |v| < 1e-5 (or >= 1e16, already refused): plain scaling is exact
        // enough at nanosecond resolution. The cast cannot saturate: the
        // magnitude is below FLOAT_LIMIT * 1e9.
        return Timestamp::from_unix_nanos((v * 1e9).round() as i128);
    }
    parse_decimal(text.as_bytes())
}

/// An integral float's value; `None` for NaN, infinities, fractions and
/// magnitudes that are out of range in every unit.
pub(super) fn integral_float(v: f64) -> Option<i128> {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < FLOAT_LIMIT {
        // Integral and below 2^70, so the cast is exact.
        Some(v as i128)
    } else {
        None
    }
}

/// An integral float as a count of `unit`s (`1.7e12` for `unix_ms`).
pub(super) fn from_integral_float(v: f64, unit: Unit) -> Option<Timestamp> {
    from_integer(integral_float(v)?, unit)
}

/// Splits off one leading `-`.
#[inline]
fn split_sign(s: &[u8]) -> (bool, &[u8]) {
    match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    }
}

/// Reads one or more leading digits; returns the value and the rest.
/// Fails on no digits or overflow.
#[inline]
fn integer(s: &[u8]) -> Option<(i128, &[u8])> {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let (digits, rest) = s.split_at_checked(n)?;
    if digits.is_empty() {
        return None;
    }
    let mut v: i128 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
    }
    Some((v, rest))
}

/// Reads the digits after a `.` (at least one, all digits) as
/// nanoseconds, keeping the first nine.
#[inline]
fn fraction(s: &[u8]) -> Option<i128> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i128 = 0;
    let mut kept = 0;
    for &d in s.iter().take(9) {
        v = v * 10 + i128::from(d - b'0');
        kept += 1;
    }
    for _ in kept..9 {
        v *= 10;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(secs: i64, nanos: u32) -> Option<Timestamp> {
        Timestamp::from_unix(secs, nanos)
    }

    fn dec(s: &str) -> Option<Timestamp> {
        parse_decimal(s.as_bytes())
    }

    fn int(s: &str, unit: Unit) -> Option<Timestamp> {
        parse_integer(s.as_bytes(), unit)
    }

    #[test]
    fn decimal_seconds() {
        assert_eq!(dec("1702857600"), ts(1_702_857_600, 0));
        assert_eq!(dec("1702857600.5"), ts(1_702_857_600, 500_000_000));
        assert_eq!(dec("1702857600.123"), ts(1_702_857_600, 123_000_000));
        assert_eq!(
            dec("1702857600.123456789"),
            ts(1_702_857_600, 123_456_789)
        );
        assert_eq!(
            dec("1702857600.1234567899"),
            ts(1_702_857_600, 123_456_789)
        );
        assert_eq!(dec("0"), ts(0, 0));
        assert_eq!(dec("-0"), ts(0, 0));
        assert_eq!(dec("-0.0"), ts(0, 0));
        assert_eq!(dec("007"), ts(7, 0));
        assert_eq!(dec("-1"), ts(-1, 0));
        assert_eq!(dec("-1.5"), ts(-2, 500_000_000));
        assert_eq!(dec("-0.000000001"), ts(-1, 999_999_999));
        assert_eq!(dec("-62135596800"), ts(-62_135_596_800, 0));
        assert_eq!(dec("-62135596800.000000001"), None);
        assert_eq!(
            dec("253402300799.999999999"),
            ts(253_402_300_799, 999_999_999)
        );
        assert_eq!(dec("253402300800"), None);
        assert_eq!(dec("99999999999999999999999999999999999999999"), None);
        assert_eq!(dec(&"9".repeat(1000)), None);
        for s in [
            "", "-", "+1", " 1", "1 ", "1.", ".5", "-.5", "1.5.", "1.5a",
            "1e9", "1E9", "0x10", "1_000", "--1", "1.-5", "١",
        ] {
            assert_eq!(dec(s), None, "input {s:?}");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(
            int("1702857600123", Unit::Ms),
            ts(1_702_857_600, 123_000_000)
        );
        assert_eq!(
            int("1702857600123456", Unit::Us),
            ts(1_702_857_600, 123_456_000)
        );
        assert_eq!(
            int("1702857600123456789", Unit::Ns),
            ts(1_702_857_600, 123_456_789)
        );
        assert_eq!(int("-1", Unit::Ms), ts(-1, 999_000_000));
        assert_eq!(int("-0", Unit::Ns), ts(0, 0));
        assert_eq!(
            int("9223372036854775807", Unit::Ns),
            ts(9_223_372_036, 854_775_807)
        );
        assert_eq!(int("9223372036854775807", Unit::Ms), None);
        assert_eq!(
            int("253402300799999", Unit::Ms),
            ts(253_402_300_799, 999_000_000)
        );
        assert_eq!(int("253402300800000", Unit::Ms), None);
        assert_eq!(int("-62135596800000001", Unit::Us), None);
        assert_eq!(
            int("99999999999999999999999999999999999999999", Unit::Ns),
            None
        );
        for s in ["", "-", "+1", "1.0", "1.5", "1e3", " 1", "1 ", "--1", "1-"]
        {
            assert_eq!(int(s, Unit::Ms), None, "input {s:?}");
        }
    }

    #[test]
    fn from_integers() {
        assert_eq!(
            from_integer(i64::MAX.into(), Unit::Ns),
            ts(9_223_372_036, 854_775_807)
        );
        assert_eq!(from_integer(i64::MAX.into(), Unit::Ms), None);
        assert_eq!(
            from_integer(u64::MAX.into(), Unit::Ns),
            ts(18_446_744_073, 709_551_615)
        );
        assert_eq!(from_integer(u64::MAX.into(), Unit::Us), None);
        assert_eq!(from_integer(i128::MAX, Unit::S), None);
        assert_eq!(from_integer(i128::MIN, Unit::Ms), None);
        assert_eq!(from_integer(-1, Unit::S), ts(-1, 0));
    }

    proptest::proptest! {
        #[test]
        fn fast_integer_is_the_i128_definition(
            v in proptest::prop_oneof![
                proptest::num::i64::ANY,
                -253_402_300_800_000_000i64..253_402_300_800_000_000,
                -10_000i64..10_000,
            ],
        ) {
            for unit in [Unit::S, Unit::Ms, Unit::Us, Unit::Ns] {
                let v = i128::from(v);
                proptest::prop_assert_eq!(
                    from_integer(v, unit),
                    from_integer_wide(v, unit),
                    "{} in {:?}", v, unit
                );
            }
        }
    }

    #[test]
    fn integer_range_edges() {
        // The first and last instants in range, and one unit past each,
        // in every unit, on both paths.
        let (min, max) = (-62_135_596_800i128, 253_402_300_799i128);
        for (unit, per_sec) in [
            (Unit::S, 1i128),
            (Unit::Ms, 1_000),
            (Unit::Us, 1_000_000),
            (Unit::Ns, 1_000_000_000),
        ] {
            let first = min * per_sec;
            let last = (max + 1) * per_sec - 1;
            for v in [first - 1, first, last, last + 1, i128::from(i64::MIN)] {
                assert_eq!(
                    from_integer(v, unit),
                    from_integer_wide(v, unit),
                    "{v} in {unit:?}"
                );
            }
            assert!(from_integer(first, unit).is_some(), "{unit:?}");
            assert!(from_integer(first - 1, unit).is_none(), "{unit:?}");
            assert!(from_integer(last, unit).is_some(), "{unit:?}");
            assert!(from_integer(last + 1, unit).is_none(), "{unit:?}");
        }
    }

    #[test]
    fn float_seconds() {
        assert_eq!(from_float_seconds(1_702_857_600.0), ts(1_702_857_600, 0));
        assert_eq!(
            from_float_seconds(1_702_857_600.5),
            ts(1_702_857_600, 500_000_000)
        );
        // Shortest round-trip text, not the binary value.
        assert_eq!(
            from_float_seconds(1_702_857_600.123),
            ts(1_702_857_600, 123_000_000)
        );
        assert_eq!(from_float_seconds(0.1), ts(0, 100_000_000));
        assert_eq!(from_float_seconds(-1.5), ts(-2, 500_000_000));
        assert_eq!(from_float_seconds(-0.0), ts(0, 0));
        // Exponent forms from ryu.
        assert_eq!(from_float_seconds(1.5e-7), ts(0, 150));
        assert_eq!(from_float_seconds(-2e-9), ts(-1, 999_999_998));
        assert_eq!(from_float_seconds(1e-12), ts(0, 0));
        assert_eq!(from_float_seconds(2.5e11), ts(250_000_000_000, 0));
        assert_eq!(from_float_seconds(2.6e11), None);
        assert_eq!(from_float_seconds(-6.3e10), None);
        assert_eq!(from_float_seconds(1e16), None);
        assert_eq!(from_float_seconds(f64::MAX), None);
        assert_eq!(from_float_seconds(f64::NAN), None);
        assert_eq!(from_float_seconds(f64::NEG_INFINITY), None);
    }

    #[test]
    fn integral_floats() {
        assert_eq!(integral_float(1.7e12), Some(1_700_000_000_000));
        assert_eq!(integral_float(-3.0), Some(-3));
        assert_eq!(integral_float(-0.0), Some(0));
        assert_eq!(integral_float(1.5), None);
        assert_eq!(integral_float(1e21), None);
        assert_eq!(integral_float(f64::NAN), None);
        assert_eq!(integral_float(f64::INFINITY), None);
        assert_eq!(
            from_integral_float(1.7e12, Unit::Ms),
            ts(1_700_000_000, 0)
        );
        assert_eq!(
            from_integral_float(1.7e18, Unit::Ns),
            ts(1_700_000_000, 0)
        );
        assert_eq!(from_integral_float(1.7e18, Unit::Ms), None);
        assert_eq!(from_integral_float(1.7e12 + 0.5, Unit::Ms), None);
    }
}
