//! The `rfc3339` reader: `YYYY-MM-DDTHH:MM:SS[.fraction][zone]`.
//!
//! Hot path: this is the default time format, read once per timestamp
//! value, so it is hand-written over bytes with slice patterns (no chrono,
//! no allocation, no indexing that could panic). The rules are documented
//! on [`Timestamp::parse_rfc3339`].

use super::civil::{days_from_civil, days_in_month};
use super::{MAX_SECS, MIN_SECS, Timestamp};

/// `10^(9 - n)` for `n` fraction digits: scales a short fraction to
/// nanoseconds.
const SCALE: [u32; 10] = [
    1_000_000_000,
    100_000_000,
    10_000_000,
    1_000_000,
    100_000,
    10_000,
    1_000,
    100,
    10,
    1,
];

/// Reads one RFC 3339 timestamp; `None` if `s` is anything else.
pub(super) fn parse(s: &[u8]) -> Option<Timestamp> {
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        mo0,
        mo1,
        b'-',
        d0,
        d1,
        b'T' | b't' | b' ',
        h0,
        h1,
        b':',
        mi0,
        mi1,
        b':',
        s0,
        s1,
        ref rest @ ..,
    ] = *s
    else {
        return None;
    };

    let year = i64::from(two(y0, y1)? * 100 + two(y2, y3)?);
    let month = two(mo0, mo1)?;
    let day = two(d0, d1)?;
    let hour = two(h0, h1)?;
    let minute = two(mi0, mi1)?;
    let second = two(s0, s1)?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }

    let (nanos, rest) = match rest {
        [b'.', tail @ ..] => fraction(tail)?,
        _ => (0, rest),
    };

    let offset = match *rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh0, oh1, b':', om0, om1]
        | [sign @ (b'+' | b'-'), oh0, oh1, om0, om1] => {
            let oh = two(oh0, oh1)?;
            let om = two(om0, om1)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let off = i64::from(oh * 3600 + om * 60);
            if sign == b'-' { -off } else { off }
        }
        _ => return None,
    };

    let local = days_from_civil(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second);
    // Local time minus the zone's offset east of UTC is UTC.
    let secs = local - offset;
    if !(MIN_SECS..=MAX_SECS).contains(&secs) {
        return None;
    }
    Timestamp::from_unix(secs, nanos)
}

/// Reads the digits after the `.`: at least one, the first nine kept,
/// the rest truncated. Returns the nanoseconds and what follows the digits.
#[inline]
fn fraction(s: &[u8]) -> Option<(u32, &[u8])> {
    // One pass: count the digits and accumulate the first nine.
    let (mut v, mut n) = (0u32, 0);
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if n < 9 {
            v = v * 10 + u32::from(d);
        }
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let scale = SCALE.get(n).copied().unwrap_or(1);
    Some((v * scale, s.get(n..)?))
}

/// The value of two ASCII digits.
#[inline]
fn two(a: u8, b: u8) -> Option<u32> {
    Some(digit(a)? * 10 + digit(b)?)
}

/// The value of one ASCII digit.
#[inline]
fn digit(b: u8) -> Option<u32> {
    let d = b.wrapping_sub(b'0');
    if d < 10 { Some(u32::from(d)) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The UTC text of what `s` parses to, or `None`.
    fn p(s: &str) -> Option<String> {
        parse(s.as_bytes()).map(|t| t.to_string())
    }

    fn ok(s: &str, want: &str) {
        assert_eq!(p(s).as_deref(), Some(want), "input {s:?}");
    }

    fn bad(s: &str) {
        assert_eq!(p(s), None, "input {s:?}");
    }

    #[test]
    fn separators() {
        let want = "2023-12-18 01:02:03.000000000";
        ok("2023-12-18T01:02:03Z", want);
        ok("2023-12-18t01:02:03Z", want);
        ok("2023-12-18 01:02:03Z", want);
        bad("2023-12-18  01:02:03Z");
        bad("2023-12-18_01:02:03Z");
        bad("2023-12-18\t01:02:03Z");
        bad("2023/12/18T01:02:03Z");
        bad("2023-12-18T01.02.03Z");
    }

    #[test]
    fn zones() {
        ok("2023-12-18T01:02:03Z", "2023-12-18 01:02:03.000000000");
        ok("2023-12-18T01:02:03z", "2023-12-18 01:02:03.000000000");
        ok("2023-12-18T01:02:03", "2023-12-18 01:02:03.000000000");
        ok("2023-12-18T01:02:03+05:30", "2023-12-17 19:32:03.000000000");
        ok("2023-12-18T01:02:03+0530", "2023-12-17 19:32:03.000000000");
        ok("2023-12-18T01:02:03-08:00", "2023-12-18 09:02:03.000000000");
        ok("2023-12-18T01:02:03-0800", "2023-12-18 09:02:03.000000000");
        ok("2023-12-18T01:02:03+00:00", "2023-12-18 01:02:03.000000000");
        ok("2023-12-18T01:02:03-00:00", "2023-12-18 01:02:03.000000000");
        ok("2023-12-18T01:02:03+23:59", "2023-12-17 01:03:03.000000000");
        ok("2023-12-18T01:02:03.5-01:00", "2023-12-18 02:02:03.500000000");
        bad("2023-12-18T01:02:03+24:00");
        bad("2023-12-18T01:02:03+05:60");
        bad("2023-12-18T01:02:03+05");
        bad("2023-12-18T01:02:03+5:30");
        bad("2023-12-18T01:02:03+05:3");
        bad("2023-12-18T01:02:03+05:30:00");
        bad("2023-12-18T01:02:03+053");
        bad("2023-12-18T01:02:03 +05:30");
        bad("2023-12-18T01:02:03ZZ");
        bad("2023-12-18T01:02:03UTC");
        bad("2023-12-18T01:02:03GMT");
        bad("2023-12-18T01:02:03±05:30");
    }

    #[test]
    fn fractions() {
        bad("2023-12-18T01:02:03.Z");
        bad("2023-12-18T01:02:03.");
        let cases = [
            ("", "000000000"),
            (".1", "100000000"),
            (".12", "120000000"),
            (".123", "123000000"),
            (".1234", "123400000"),
            (".12345", "123450000"),
            (".123456", "123456000"),
            (".1234567", "123456700"),
            (".12345678", "123456780"),
            (".123456789", "123456789"),
            (".1234567891", "123456789"),
            (".12345678912", "123456789"),
            (".123456789129", "123456789"),
            (".000000001", "000000001"),
            (".999999999999", "999999999"),
        ];
        for (frac, nanos) in cases {
            for zone in ["Z", "", "+00:00"] {
                let s = format!("2023-12-18T01:02:03{frac}{zone}");
                ok(&s, &format!("2023-12-18 01:02:03.{nanos}"));
            }
        }
        bad("2023-12-18T01:02:03.1234567891a");
        bad("2023-12-18T01:02:03.12x");
        bad("2023-12-18T01:02:03,5Z");
        bad("2023-12-18T01:02:03..5Z");
    }

    #[test]
    fn calendar() {
        ok("2024-02-29T00:00:00Z", "2024-02-29 00:00:00.000000000");
        ok("2000-02-29T00:00:00Z", "2000-02-29 00:00:00.000000000");
        bad("2023-02-29T00:00:00Z");
        bad("1900-02-29T00:00:00Z");
        bad("2023-02-30T00:00:00Z");
        bad("2023-04-31T00:00:00Z");
        ok("2023-12-31T00:00:00Z", "2023-12-31 00:00:00.000000000");
        bad("2023-12-32T00:00:00Z");
        bad("2023-13-01T00:00:00Z");
        bad("2023-00-01T00:00:00Z");
        bad("2023-01-00T00:00:00Z");
        ok("2023-12-18T23:59:59Z", "2023-12-18 23:59:59.000000000");
        bad("2023-12-18T24:00:00Z");
        bad("2023-12-18T23:60:00Z");
        bad("2023-12-18T23:59:60Z");
        bad("2016-12-31T23:59:60Z");
        bad("2023-12-18T99:99:99Z");
    }

    #[test]
    fn year_range() {
        ok("0001-01-01T00:00:00Z", "0001-01-01 00:00:00.000000000");
        ok("9999-12-31T23:59:59.999999999Z", "9999-12-31 23:59:59.999999999");
        bad("0000-12-31T23:59:59Z");
        bad("0000-01-01T00:00:00Z");
        bad("10000-01-01T00:00:00Z");
        bad("+10000-01-01T00:00:00Z");
        bad("-0001-01-01T00:00:00Z");
        // The zone can push an instant out of range...
        bad("0001-01-01T00:00:00+00:01");
        bad("9999-12-31T23:59:59-00:01");
        bad("9999-12-31T23:30:00-01:00");
        // ...or into range: the result is what counts.
        ok("0000-12-31T23:00:00-01:00", "0001-01-01 00:00:00.000000000");
        ok("9999-12-31T23:59:59+00:01", "9999-12-31 23:58:59.000000000");
    }

    #[test]
    fn shape() {
        bad("");
        bad("2023-12-18");
        bad("2023-12-18T");
        bad("2023-12-18T01:02");
        bad("2023-12-18T01:02Z");
        bad("2023-12-18T1:02:03Z");
        bad("23-12-18T01:02:03Z");
        bad(" 2023-12-18T01:02:03Z");
        bad("2023-12-18T01:02:03Z ");
        bad("2023-12-18T01:02:03Z\n");
        bad("2023-12-18T01:02:03 ");
        bad("2023-12-18T01:02:03Zx");
        bad("2023-12-18T01:02:03.5 ");
        bad("２023-12-18T01:02:03Z");
        bad("2023-12-18T01:02:0３Z");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn never_panics(s in ".{0,40}") {
            if let Some(t) = parse(s.as_bytes()) {
                prop_assert!(t >= Timestamp::MIN && t <= Timestamp::MAX);
            }
        }

        /// Near-miss inputs: chrono's RFC 3339 reader as the oracle where
        /// both define the input (chrono's zone needs a colon, allows
        /// second 60 and wider years).
        #[test]
        fn agrees_with_chrono(
            s in concat!(
                "[0-9]{4}-[01][0-9]-[0-3][0-9][Tt ]",
                "[0-2][0-9]:[0-6][0-9]:[0-6][0-9]",
                "(\\.[0-9]{1,12})?",
                "([Zz]|[+-][0-2][0-9]:[0-6][0-9])?",
            )
        ) {
            let ours = parse(s.as_bytes());
            let has_zone = s
                .get(19..)
                .is_some_and(|t| t.contains(['+', '-', 'Z', 'z']));
            let with_zone = if has_zone { s.clone() } else { format!("{s}Z") };
            let theirs = chrono::DateTime::parse_from_rfc3339(&with_zone)
                .ok()
                .map(|d| d.with_timezone(&chrono::Utc))
                .and_then(Timestamp::from_chrono);
            let leap = s.get(17..19) == Some("60");
            if leap {
                prop_assert_eq!(ours, None);
            } else {
                prop_assert_eq!(ours, theirs);
            }
        }
    }
}
