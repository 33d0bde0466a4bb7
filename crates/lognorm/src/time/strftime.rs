//! strftime `timeFormat`s: compiled once with chrono's `StrftimeItems`
//! into owned items, matched with `chrono::format::parse`.
//!
//! Resolution rules (what a parsed set of fields means):
//!
//! - with an offset (`%z`, `%:z`, `%#z`, ...), the text is local time at
//!   that offset; without one, the wall clock is UTC (`%Z` only skips the
//!   zone name and does not change this);
//! - `%s` alone is a complete instant (other fields, if any, must agree);
//!   chrono reads it unsigned, so instants before 1970 need another
//!   format (`unix` takes negative seconds);
//! - the date must be complete (year plus month and day, or an ordinal
//!   day, or an ISO week date) and must exist: `2023-02-30` fails;
//! - a missing time of day is midnight, and an hour without minutes is on
//!   the hour (`%Y%m%d%H`); seconds default to 0; a 12-hour clock needs
//!   `%p`;
//! - second 60 (a leap second) fails, as in `rfc3339`;
//! - the instant must be within the years 0001..=9999.
//!
//! Whitespace follows chrono: a space in the pattern matches any run of
//! whitespace (including none), and numeric fields skip leading spaces
//! (`%e` reads ` 8`). One exception keeps values consistent with
//! `rfc3339`: a value starting with whitespace fails unless the pattern
//! starts with whitespace or a space-padded field (`%e`, `%k`, `%l`,
//! `%_d`, ...).

use chrono::format::{Item, Pad, Parsed, StrftimeItems};

use super::{TimeFormatError, TimeFormatErrorKind, Timestamp};

/// A compiled strftime pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StrftimeFormat {
    /// The pattern as written in the schema.
    spec: Box<str>,
    /// chrono's items for `spec`, owning their literal text.
    items: Box<[Item<'static>]>,
    /// Whether a value may start with whitespace: the pattern starts with
    /// whitespace or a space-padded field.
    leading_space: bool,
}

impl StrftimeFormat {
    /// Compiles `spec`.
    ///
    /// # Errors
    ///
    /// An unknown directive (``unknown directive `%Q` at byte 3``) or a
    /// `%` at the end of the pattern
    /// (``incomplete directive `%` at byte 8``).
    pub(crate) fn compile(
        spec: &str,
    ) -> Result<StrftimeFormat, TimeFormatError> {
        let mut items = Vec::new();
        for item in StrftimeItems::new(spec) {
            if item == Item::Error {
                return Err(locate_error(spec));
            }
            items.push(item.to_owned());
        }
        let leading_space = match items.first() {
            Some(Item::OwnedSpace(_) | Item::Numeric(_, Pad::Space)) => true,
            Some(Item::OwnedLiteral(l)) => starts_with_space(l),
            _ => false,
        };
        Ok(StrftimeFormat {
            spec: spec.into(),
            items: items.into_boxed_slice(),
            leading_space,
        })
    }

    /// The pattern text.
    pub(crate) fn spec(&self) -> &str {
        &self.spec
    }

    /// Matches `s` against the pattern; `None` if it does not match or does
    /// not name an instant within 0001..=9999 (see the module docs).
    pub(crate) fn parse(&self, s: &str) -> Option<Timestamp> {
        if !self.leading_space && starts_with_space(s) {
            return None;
        }
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, s, self.items.iter()).ok()?;
        if parsed.timestamp().is_none() {
            default_time_of_day(&mut parsed)?;
        }
        let utc = if parsed.offset().is_some() {
            parsed.to_datetime().ok()?.to_utc()
        } else {
            parsed.to_naive_datetime_with_offset(0).ok()?.and_utc()
        };
        Timestamp::from_chrono(utc)
    }
}

/// Whether `s` starts with whitespace (as chrono's `Space` item sees it).
#[inline]
fn starts_with_space(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_whitespace)
}

/// Fills in a missing time of day (midnight) or missing minutes (on the
/// hour). Fails only if chrono refuses a value, which cannot happen for
/// unset fields.
fn default_time_of_day(parsed: &mut Parsed) -> Option<()> {
    let hour_set =
        parsed.hour_div_12().is_some() || parsed.hour_mod_12().is_some();
    let rest_unset = parsed.minute().is_none()
        && parsed.second().is_none()
        && parsed.nanosecond().is_none();
    if !hour_set && rest_unset {
        parsed.set_hour(0).ok()?;
        parsed.set_minute(0).ok()?;
    } else if hour_set && rest_unset {
        parsed.set_minute(0).ok()?;
    }
    Some(())
}

/// Finds the directive chrono rejected in `spec` and builds the error.
///
/// Directives start at a `%`, and literal text never contains one (it is
/// written `%%`), so cutting the pattern just before a directive never
/// splits another. The first prefix, cut before each directive in turn,
/// that chrono rejects ends with the culprit.
#[cold]
#[inline(never)]
fn locate_error(spec: &str) -> TimeFormatError {
    let starts = directive_starts(spec);
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(spec.len());
        let prefix = spec.get(..end).unwrap_or(spec);
        if StrftimeItems::new(prefix).any(|item| item == Item::Error) {
            return directive_error(spec, start);
        }
    }
    // Unreachable if chrono reported an error; keep a sensible message.
    TimeFormatError {
        kind: TimeFormatErrorKind::UnknownDirective(spec.into()),
        offset: 0,
    }
}

/// Byte offsets of every directive in `spec` (each `%`, except the second
/// of `%%`).
fn directive_starts(spec: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut iter = spec.bytes().enumerate();
    while let Some((i, b)) = iter.next() {
        if b == b'%' {
            starts.push(i);
            if spec.as_bytes().get(i + 1) == Some(&b'%') {
                iter.next();
            }
        }
    }
    starts
}

/// The error for the directive at byte `start`: its text is `%`, any
/// padding/width/colon modifiers, then one character.
fn directive_error(spec: &str, start: usize) -> TimeFormatError {
    let tail = spec.get(start + 1..).unwrap_or("");
    let modifiers = tail
        .bytes()
        .take_while(|b| {
            matches!(b, b'-' | b'_' | b'0'..=b'9' | b'.' | b':' | b'#')
        })
        .count();
    let after = tail.get(modifiers..).unwrap_or("");
    let len = 1 + modifiers + after.chars().next().map_or(0, char::len_utf8);
    let text: Box<str> = spec.get(start..start + len).unwrap_or(spec).into();
    let kind = if after.is_empty() {
        TimeFormatErrorKind::IncompleteDirective(text)
    } else {
        TimeFormatErrorKind::UnknownDirective(text)
    };
    TimeFormatError { kind, offset: start }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(spec: &str, s: &str) -> Option<String> {
        StrftimeFormat::compile(spec).unwrap().parse(s).map(|t| t.to_string())
    }

    fn err(spec: &str) -> String {
        StrftimeFormat::compile(spec).unwrap_err().to_string()
    }

    #[test]
    fn plain_wall_clock_is_utc() {
        let f = "%Y-%m-%d %H:%M:%S";
        assert_eq!(
            p(f, "2023-12-18 01:02:03").as_deref(),
            Some("2023-12-18 01:02:03.000000000")
        );
        assert_eq!(
            p(f, "2024-02-29 00:00:00").as_deref(),
            Some("2024-02-29 00:00:00.000000000")
        );
        assert_eq!(p(f, "2023-02-30 00:00:00"), None);
        assert_eq!(p(f, "2023-02-29 00:00:00"), None);
        assert_eq!(p(f, "2023-12-18 24:00:00"), None);
        assert_eq!(p(f, "2023-12-18 23:59:60"), None);
        assert_eq!(p(f, "2023-12-18 01:02:03 "), None);
        assert_eq!(p(f, " 2023-12-18 01:02:03"), None);
        assert_eq!(p(f, "\t2023-12-18 01:02:03"), None);
        // Inner runs of whitespace are chrono's business.
        assert_eq!(
            p(f, "2023-12-18   01:02:03").as_deref(),
            Some("2023-12-18 01:02:03.000000000")
        );
        assert_eq!(
            p(" %Y-%m-%d", "  2023-12-18").as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        assert_eq!(
            p("%e/%m/%Y", " 8/12/2023").as_deref(),
            Some("2023-12-08 00:00:00.000000000")
        );
        assert_eq!(
            p("%_d/%m/%Y", " 8/12/2023").as_deref(),
            Some("2023-12-08 00:00:00.000000000")
        );
        assert_eq!(p("%d/%m/%Y", " 8/12/2023"), None);
        assert_eq!(p("%d/%m/%Y", "08/12/2023 "), None);
        assert_eq!(p(f, "2023-12-18 01:02:03Z"), None);
        assert_eq!(p(f, "2023-12-18"), None);
        assert_eq!(p(f, ""), None);
        assert_eq!(p(f, "0000-12-31 23:59:59"), None);
        assert_eq!(
            p(f, "0001-01-01 00:00:00").as_deref(),
            Some("0001-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p(f, "9999-12-31 23:59:59").as_deref(),
            Some("9999-12-31 23:59:59.000000000")
        );
        assert_eq!(p(f, "+10000-01-01 00:00:00"), None);
    }

    #[test]
    fn apache_with_offset() {
        let f = "%d/%b/%Y:%H:%M:%S %z";
        assert_eq!(
            p(f, "10/Oct/2000:13:55:36 -0700").as_deref(),
            Some("2000-10-10 20:55:36.000000000")
        );
        assert_eq!(
            p(f, "01/Jan/2024:00:30:00 +0100").as_deref(),
            Some("2023-12-31 23:30:00.000000000")
        );
        assert_eq!(p(f, "10/Foo/2000:13:55:36 -0700"), None);
        assert_eq!(p(f, "31/Apr/2000:13:55:36 -0700"), None);
        assert_eq!(p(f, "10/Oct/2000:13:55:36"), None);
        // The offset can push an instant out of range.
        assert_eq!(p(f, "31/Dec/9999:23:59:59 -0100"), None);
        assert_eq!(p(f, "01/Jan/0001:00:00:00 +0100"), None);
    }

    #[test]
    fn fraction_and_offset() {
        let f = "%Y-%m-%dT%H:%M:%S%.f%z";
        assert_eq!(
            p(f, "2023-12-18T01:02:03.123456789+0000").as_deref(),
            Some("2023-12-18 01:02:03.123456789")
        );
        assert_eq!(
            p(f, "2023-12-18T01:02:03.5-0130").as_deref(),
            Some("2023-12-18 02:32:03.500000000")
        );
        assert_eq!(
            p(f, "2023-12-18T01:02:03+0200").as_deref(),
            Some("2023-12-17 23:02:03.000000000")
        );
        assert_eq!(p(f, "2023-12-18T01:02:03.5"), None);
        let colon = "%Y-%m-%dT%H:%M:%S%.f%:z";
        assert_eq!(
            p(colon, "2023-12-18T01:02:03.25+05:30").as_deref(),
            Some("2023-12-17 19:32:03.250000000")
        );
    }

    #[test]
    fn unix_seconds_directive() {
        assert_eq!(
            p("%s", "1702857600").as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        // chrono reads `%s` unsigned.
        assert_eq!(p("%s", "-1"), None);
        assert_eq!(p("%s", "253402300800"), None);
        assert_eq!(p("%s", "99999999999999999999999"), None);
        assert_eq!(p("%s", "17028576OO"), None);
        assert_eq!(
            p("%s%.f", "1702857600.25").as_deref(),
            Some("2023-12-18 00:00:00.250000000")
        );
    }

    #[test]
    fn missing_parts() {
        // A date alone is midnight UTC; an hour alone is on the hour.
        assert_eq!(
            p("%Y-%m-%d", "2023-12-18").as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        assert_eq!(
            p("%Y%m%d%H", "2023121807").as_deref(),
            Some("2023-12-18 07:00:00.000000000")
        );
        assert_eq!(
            p("%Y-%m-%d %H:%M", "2023-12-18 07:08").as_deref(),
            Some("2023-12-18 07:08:00.000000000")
        );
        assert_eq!(
            p("%Y-%j", "2024-060").as_deref(),
            Some("2024-02-29 00:00:00.000000000")
        );
        // Missing date parts fail.
        assert_eq!(p("%H:%M:%S", "01:02:03"), None);
        assert_eq!(p("%m-%d %H:%M:%S", "12-18 01:02:03"), None);
        assert_eq!(p("%Y-%m %H:%M:%S", "2023-12 01:02:03"), None);
        // Minutes without an hour, a 12-hour clock without AM/PM.
        assert_eq!(p("%Y-%m-%d %M:%S", "2023-12-18 02:03"), None);
        assert_eq!(p("%Y-%m-%d %I:%M", "2023-12-18 01:02"), None);
        assert_eq!(
            p("%Y-%m-%d %I:%M %p", "2023-12-18 01:02 PM").as_deref(),
            Some("2023-12-18 13:02:00.000000000")
        );
    }

    #[test]
    fn zone_name_is_skipped() {
        assert_eq!(
            p("%Y-%m-%d %H:%M:%S %Z", "2023-12-18 01:02:03 PST").as_deref(),
            Some("2023-12-18 01:02:03.000000000")
        );
    }

    #[test]
    fn compile_errors() {
        assert_eq!(err("%Q"), "unknown directive `%Q` at byte 0");
        assert_eq!(err("%Y-%Q"), "unknown directive `%Q` at byte 3");
        assert_eq!(err("%Y-%m-%d %"), "incomplete directive `%` at byte 9");
        assert_eq!(err("%"), "incomplete directive `%` at byte 0");
        assert_eq!(err("%%%Q"), "unknown directive `%Q` at byte 2");
        assert_eq!(err("%Y %-"), "incomplete directive `%-` at byte 3");
        assert_eq!(err("é%Y%é"), "unknown directive `%é` at byte 4");
        assert_eq!(err("%Y %3Q"), "unknown directive `%3Q` at byte 3");
        assert!(StrftimeFormat::compile("100%% %Y").is_ok());
    }

    #[test]
    fn literal_text_is_owned() {
        let spec = String::from("at %Y-%m-%d!");
        let f = StrftimeFormat::compile(&spec).unwrap();
        drop(spec);
        assert_eq!(f.spec(), "at %Y-%m-%d!");
        assert_eq!(
            f.parse("at 2023-12-18!").map(|t| t.to_string()).as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        assert_eq!(f.parse("at 2023-12-18?"), None);
    }

    #[test]
    fn directive_starts_skip_escaped_percent() {
        assert_eq!(directive_starts("a%%b%Y%%%m"), vec![1, 4, 6, 8]);
        assert_eq!(directive_starts("%"), vec![0]);
        assert_eq!(directive_starts("abc"), Vec::<usize>::new());
    }
}
