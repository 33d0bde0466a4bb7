//! strftime `timeFormat`s, read as Panther reads them: Panther's Go
//! code parses strftime patterns with the timefmt-go library, whose
//! directives follow C's `strptime(3)` plus Python's `%f`. This is an
//! independent implementation of that library's documented behaviour,
//! compiled once into [`Pattern`] items (see `pattern.rs`).
//!
//! Directives (numbers take 1 up to the given digits, greedily):
//!
//! | directive | reads |
//! |---|---|
//! | `%Y` | year, up to 4 digits |
//! | `%C` | century, up to 2 digits (with `%y`: `%C%y`) |
//! | `%y` | year in 2 digits: 69–99 → 19xx, 00–68 → 20xx |
//! | `%G`, `%g` | ISO week-based year (4 / 2 digits), for `%V` |
//! | `%m` | month 1–12 |
//! | `%b`, `%h`, `%B` | month name: `Jan` / `January` (any case) |
//! | `%d` | day 1–31; `%e` the same after an optional space |
//! | `%j` | day of the year 1–366 (used when there is no `%d`) |
//! | `%a`, `%A` | weekday name: `Mon` / `Monday` (checked, ignored) |
//! | `%u`, `%w` | weekday 1–7 (Monday = 1) / 0–6 (Sunday = 0) |
//! | `%V`, `%U`, `%W` | week: ISO 1–53 / Sunday-first 0–53 / Monday-first 0–53 |
//! | `%H` | hour 0–23; `%k` the same after an optional space |
//! | `%I` | hour 1–12; `%l` the same after an optional space |
//! | `%p`, `%P` | `AM` or `PM` (any case) |
//! | `%M`, `%S` | minute 0–59, second 0–59 (no leap second) |
//! | `%f` | fraction of a second, 1–6 digits (`.5` is 500 ms) |
//! | `%s` | seconds since the epoch, optional `-`, up to 19 digits |
//! | `%z` | `Z`, `±hh`, `±hhmm`, `±hh:mm`, `±hh:mm:ss` |
//! | `%:z`, `%::z`, `%:::z` | `±hh:mm` / `±hh:mm:ss` / `±hh[:mm[:ss]]` (and `Z`) |
//! | `%Z` | zone name: 3–5 capitals (checked, ignored) |
//! | `%t`, `%n` | one or more whitespace |
//! | `%%` | a `%` |
//! | `%c` `%+` `%v` `%r` `%F` `%D` `%x` `%T` `%X` `%R` | `%a %b %e %H:%M:%S %Y`, `%a %b %e %H:%M:%S %Z %Y`, `%e-%b-%Y`, `%I:%M:%S %p`, `%Y-%m-%d`, `%m/%d/%y` (twice), `%H:%M:%S` (twice), `%H:%M` |
//!
//! Extensions Panther does not read (so schemas that use them are not
//! portable): `%L` (1–3 fraction digits), `%N` (1 or more fraction
//! digits, the first nine kept), `%.f` (an optional `.` and fraction
//! digits, the first nine kept), and the flags `-`, `_` and `0` on
//! numeric directives (`%-d`, `%_d`: `_` allows leading spaces).
//!
//! Everything else in the pattern must appear in the value as written
//! (a space matches one space). Missing fields default as in Panther:
//! year 1900, January, day 1, midnight; see [`Dialect::Strftime`].

use super::pattern::{
    Case, Dialect, Field, Fraction, Item, Names, Number, Offset, Pattern, Sep,
    Zone,
};
use super::{TimeFormatError, TimeFormatErrorKind, Timestamp};

/// A compiled strftime pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StrftimeFormat {
    /// The pattern as written in the schema.
    spec: Box<str>,
    pattern: Pattern,
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
        let mut out = Items::default();
        let bytes = spec.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b != b'%' {
                out.literal(&[b]);
                i += 1;
                continue;
            }
            let (directive, len) = Directive::at(bytes, i)
                .ok_or_else(|| directive_error(spec, i))?;
            if !out.directive(directive) {
                return Err(directive_error(spec, i));
            }
            i += len;
        }
        Ok(StrftimeFormat {
            spec: spec.into(),
            pattern: Pattern::new(out.finish(), Dialect::Strftime),
        })
    }

    /// The pattern text.
    pub(crate) fn spec(&self) -> &str {
        &self.spec
    }

    /// Matches `s` against the pattern; `None` if it does not match or does
    /// not name an instant within 0001..=9999 (see `pattern.rs`).
    #[inline]
    pub(crate) fn parse(&self, s: &str) -> Option<Timestamp> {
        self.pattern.parse(s.as_bytes())
    }
}

/// One directive as written: its flag, colons, dot and letter.
#[derive(Clone, Copy, Debug)]
struct Directive {
    /// `-`, `_` or `0` after the `%`.
    flag: Option<u8>,
    /// Colons before `z`.
    colons: u8,
    /// A `.` before `f`.
    dot: bool,
    /// The letter (or `%`).
    letter: u8,
}

impl Directive {
    /// The directive at byte `at` of `spec` (a `%`) and its length; `None`
    /// if the pattern ends inside it.
    fn at(spec: &[u8], at: usize) -> Option<(Directive, usize)> {
        let mut i = at + 1;
        let flag = match spec.get(i) {
            Some(&f @ (b'-' | b'_' | b'0')) => {
                i += 1;
                Some(f)
            }
            _ => None,
        };
        let mut colons = 0;
        while colons < 3 && spec.get(i) == Some(&b':') {
            colons += 1;
            i += 1;
        }
        let dot = spec.get(i) == Some(&b'.');
        if dot {
            i += 1;
        }
        let letter = *spec.get(i)?;
        Some((Directive { flag, colons, dot, letter }, i + 1 - at))
    }
}

/// Items being built: literal bytes are gathered into one item.
#[derive(Default)]
struct Items {
    items: Vec<Item>,
    literal: Vec<u8>,
}

impl Items {
    fn literal(&mut self, bytes: &[u8]) {
        self.literal.extend_from_slice(bytes);
    }

    fn push(&mut self, item: Item) {
        self.flush();
        self.items.push(item);
    }

    fn flush(&mut self) {
        if !self.literal.is_empty() {
            let lit = std::mem::take(&mut self.literal);
            self.items.push(Item::Literal(lit.into_boxed_slice()));
        }
    }

    fn finish(mut self) -> Vec<Item> {
        self.flush();
        self.items
    }

    /// Adds the items of `d`; `false` if it is not a directive (or its
    /// flags do not go with its letter).
    fn directive(&mut self, d: Directive) -> bool {
        if d.colons > 0 {
            if d.flag.is_some() || d.dot || d.letter != b'z' {
                return false;
            }
            self.push(Item::Offset(Offset::Strftime(d.colons)));
            return true;
        }
        if d.dot {
            if d.flag.is_some() || d.letter != b'f' {
                return false;
            }
            self.push(Item::Fraction(Fraction {
                sep: Sep::Dot,
                min: 1,
                max: Fraction::ANY,
                optional: true,
            }));
            return true;
        }
        if let Some(n) = number(d.letter) {
            let n = match d.flag {
                // Space padding: as many leading spaces as the width
                // leaves room for.
                Some(b'_') => n.spaces(n.max - 1),
                _ => n,
            };
            self.push(Item::Number(n));
            return true;
        }
        if d.flag.is_some() {
            return false;
        }
        if let Some(expansion) = composite(d.letter) {
            // Expansions hold only simple directives and literal bytes.
            let mut chars = expansion.bytes();
            while let Some(c) = chars.next() {
                if c == b'%' {
                    let Some(letter) = chars.next() else { return false };
                    let simple = Directive {
                        flag: None,
                        colons: 0,
                        dot: false,
                        letter,
                    };
                    if !self.simple(simple) {
                        return false;
                    }
                } else {
                    self.literal(&[c]);
                }
            }
            return true;
        }
        self.simple(d)
    }

    /// Adds a directive that is not a number or a composite.
    fn simple(&mut self, d: Directive) -> bool {
        if let Some(n) = number(d.letter) {
            self.push(Item::Number(n));
            return true;
        }
        let fraction = |min, max| {
            Item::Fraction(Fraction {
                sep: Sep::None,
                min,
                max,
                optional: false,
            })
        };
        let item = match d.letter {
            b'B' => Item::Month(Names::Long),
            b'b' | b'h' => Item::Month(Names::Short),
            b'A' => Item::Weekday(Names::Long),
            b'a' => Item::Weekday(Names::Short),
            b'p' | b'P' => Item::AmPm(Case::Any),
            b'f' => fraction(1, 6),
            b'L' => fraction(1, 3),
            b'N' => fraction(1, Fraction::ANY),
            b's' => Item::UnixSeconds,
            b'z' => Item::Offset(Offset::Strftime(0)),
            b'Z' => Item::Zone(Zone::Strftime),
            b't' | b'n' => Item::Whitespace,
            b'%' => {
                self.literal(b"%");
                return true;
            }
            _ => return false,
        };
        self.push(item);
        true
    }
}

/// The number a letter reads, if it is a numeric directive.
fn number(letter: u8) -> Option<Number> {
    use Field::*;
    Some(match letter {
        b'Y' => Number::new(Year, 4, 0, 9999),
        b'C' => Number::new(Century, 2, 0, 99),
        b'y' => Number::new(Year2, 2, 0, 99),
        b'G' => Number::new(IsoYear, 4, 0, 9999),
        b'g' => Number::new(IsoYear2, 2, 0, 99),
        b'm' => Number::new(Month, 2, 1, 12),
        b'd' => Number::new(Day, 2, 1, 31),
        b'e' => Number::new(Day, 2, 1, 31).spaces(1),
        b'j' => Number::new(YearDay, 3, 1, 366),
        b'H' => Number::new(Hour, 2, 0, 23),
        b'k' => Number::new(Hour, 2, 0, 23).spaces(1),
        b'I' => Number::new(Hour12, 2, 1, 12),
        b'l' => Number::new(Hour12, 2, 1, 12).spaces(1),
        b'M' => Number::new(Minute, 2, 0, 59),
        b'S' => Number::new(Second, 2, 0, 59),
        b'V' => Number::new(IsoWeek, 2, 1, 53),
        b'U' => Number::new(SundayWeek, 2, 0, 53),
        b'W' => Number::new(MondayWeek, 2, 0, 53),
        b'u' => Number::new(WeekdayFrom1, 1, 1, 7),
        b'w' => Number::new(WeekdayFrom0, 1, 0, 6),
        _ => return None,
    })
}

/// What a composite directive stands for.
fn composite(letter: u8) -> Option<&'static str> {
    Some(match letter {
        b'c' => "%a %b %e %H:%M:%S %Y",
        b'+' => "%a %b %e %H:%M:%S %Z %Y",
        b'v' => "%e-%b-%Y",
        b'r' => "%I:%M:%S %p",
        b'F' => "%Y-%m-%d",
        b'D' | b'x' => "%m/%d/%y",
        b'T' | b'X' => "%H:%M:%S",
        b'R' => "%H:%M",
        _ => return None,
    })
}

/// The error for the directive at byte `start`: its text is `%`, any
/// flag, width, colon or dot characters, then one character.
#[cold]
#[inline(never)]
fn directive_error(spec: &str, start: usize) -> TimeFormatError {
    let tail = spec.get(start + 1..).unwrap_or("");
    let modifiers = tail
        .bytes()
        .take_while(|b| {
            matches!(b, b'-' | b'_' | b'0'..=b'9' | b'.' | b':' | b'#' | b'^')
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

    /// `2024-01-01 HH:MM:SS.fffffffff` for the time of day given.
    fn jan1(time: &str) -> Option<String> {
        Some(format!("2024-01-01 {time}"))
    }

    #[test]
    fn issue_15_fraction_is_a_fraction() {
        // `%f` reads the digits as a fraction of a second, not as
        // nanoseconds (issue 15).
        let f = "%Y-%m-%dT%H:%M:%S.%fZ";
        assert_eq!(
            p(f, "2024-01-01T01:02:03.123456Z"),
            jan1("01:02:03.123456000")
        );
        assert_eq!(p(f, "2024-01-01T01:02:03.5Z"), jan1("01:02:03.500000000"));
        assert_eq!(
            p(f, "2024-01-01T01:02:03.000001Z"),
            jan1("01:02:03.000001000")
        );
        assert_eq!(
            p(f, "2024-01-01T01:02:03.050Z"),
            jan1("01:02:03.050000000")
        );
        // At most six digits, as in Panther and Python: a seventh is left
        // for the rest of the pattern, here `Z`.
        assert_eq!(p(f, "2024-01-01T01:02:03.1234567Z"), None);
        assert_eq!(p(f, "2024-01-01T01:02:03.Z"), None);
        assert_eq!(p(f, "2024-01-01T01:02:03Z"), None);
        // Panther's own Lacework schema spells nanoseconds `%f000`.
        let lacework = "%Y-%m-%d %H:%M:%S.%f000";
        assert_eq!(
            p(lacework, "2024-01-01 01:02:03.123456000"),
            jan1("01:02:03.123456000")
        );
        assert_eq!(p(lacework, "2024-01-01 01:02:03.123456789"), None);
        // Salesforce: `20130715233322.670`.
        assert_eq!(
            p("%Y%m%d%H%M%S.%f", "20130715233322.670").as_deref(),
            Some("2013-07-15 23:33:22.670000000")
        );
        // Jamf Pro: a comma before the fraction.
        assert_eq!(
            p("%Y-%m-%dT%H:%M:%S,%f", "2024-01-01T01:02:03,25"),
            jan1("01:02:03.250000000")
        );
    }

    #[test]
    fn fraction_extensions() {
        // `%L`: 1–3 digits; `%N`: any number, nine kept; `%.f`: optional.
        assert_eq!(
            p("%Y-%m-%d %H:%M:%S.%L", "2024-01-01 00:00:00.5"),
            jan1("00:00:00.500000000")
        );
        assert_eq!(
            p("%Y-%m-%d %H:%M:%S.%L", "2024-01-01 00:00:00.1234"),
            None
        );
        assert_eq!(
            p("%Y-%m-%d %H:%M:%S.%N", "2024-01-01 00:00:00.1234567891"),
            jan1("00:00:00.123456789")
        );
        assert_eq!(
            p("%Y-%m-%d %H:%M:%S.%N", "2024-01-01 00:00:00.0574991"),
            jan1("00:00:00.057499100")
        );
        let dotf = "%Y-%m-%d %H:%M:%S%.f";
        assert_eq!(p(dotf, "2024-01-01 00:00:00"), jan1("00:00:00.000000000"));
        assert_eq!(
            p(dotf, "2024-01-01 00:00:00.25"),
            jan1("00:00:00.250000000")
        );
        assert_eq!(
            p(dotf, "2024-01-01 00:00:00.123456789123"),
            jan1("00:00:00.123456789")
        );
        assert_eq!(p(dotf, "2024-01-01 00:00:00."), None);
        assert_eq!(p(dotf, "2024-01-01 00:00:00,5"), None);
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
        // Numbers take 1 up to their width.
        assert_eq!(
            p(f, "2023-1-8 1:2:3").as_deref(),
            Some("2023-01-08 01:02:03.000000000")
        );
        assert_eq!(p(f, "2023-02-30 00:00:00"), None);
        assert_eq!(p(f, "2023-02-29 00:00:00"), None);
        assert_eq!(p(f, "2023-13-01 00:00:00"), None);
        assert_eq!(p(f, "2023-12-18 24:00:00"), None);
        assert_eq!(p(f, "2023-12-18 23:60:00"), None);
        assert_eq!(p(f, "2023-12-18 23:59:60"), None);
        assert_eq!(p(f, "2023-12-18 01:02:03 "), None);
        assert_eq!(p(f, " 2023-12-18 01:02:03"), None);
        assert_eq!(p(f, "\t2023-12-18 01:02:03"), None);
        assert_eq!(p(f, "+2023-12-18 01:02:03"), None);
        // A space matches one space (Panther: literal text is exact).
        assert_eq!(p(f, "2023-12-18  01:02:03"), None);
        assert_eq!(p(f, "2023-12-18\t01:02:03"), None);
        assert_eq!(p(f, "2023-12-1801:02:03"), None);
        assert_eq!(p(f, "2023-12-18 01:02:03Z"), None);
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
        assert_eq!(p(f, "10000-01-01 00:00:00"), None);
    }

    #[test]
    fn space_padded_fields() {
        assert_eq!(
            p("%e/%m/%Y", " 8/12/2023").as_deref(),
            Some("2023-12-08 00:00:00.000000000")
        );
        assert_eq!(
            p("%e/%m/%Y", "8/12/2023").as_deref(),
            Some("2023-12-08 00:00:00.000000000")
        );
        assert_eq!(p("%e/%m/%Y", "  8/12/2023"), None);
        assert_eq!(
            p("%_d/%m/%Y", " 8/12/2023").as_deref(),
            Some("2023-12-08 00:00:00.000000000")
        );
        assert_eq!(
            p("%-d/%-m/%Y", "8/2/2023").as_deref(),
            Some("2023-02-08 00:00:00.000000000")
        );
        assert_eq!(
            p("%0d/%m/%Y", "08/12/2023").as_deref(),
            Some("2023-12-08 00:00:00.000000000")
        );
        assert_eq!(p("%d/%m/%Y", " 8/12/2023"), None);
        assert_eq!(
            p("%Y-%m-%d %k:%M", "2023-12-18  7:08").as_deref(),
            Some("2023-12-18 07:08:00.000000000")
        );
        assert_eq!(
            p("%Y-%m-%d %l:%M %p", "2023-12-18  7:08 pm").as_deref(),
            Some("2023-12-18 19:08:00.000000000")
        );
        assert_eq!(
            p("%_Y", "  99").as_deref(),
            Some("0099-01-01 00:00:00.000000000")
        );
        // A tab or newline directive takes any run of whitespace.
        assert_eq!(
            p("%Y%t%m%n%d", "2023 \t12\r\n18").as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        assert_eq!(p("%Y%t%m", "202312"), None);
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
        assert_eq!(
            p(f, "10/oct/2000:13:55:36 +05:30").as_deref(),
            Some("2000-10-10 08:25:36.000000000")
        );
        assert_eq!(
            p(f, "10/OCT/2000:13:55:36 Z").as_deref(),
            Some("2000-10-10 13:55:36.000000000")
        );
        assert_eq!(p(f, "10/Foo/2000:13:55:36 -0700"), None);
        assert_eq!(p(f, "10/October/2000:13:55:36 -0700"), None);
        assert_eq!(p(f, "31/Apr/2000:13:55:36 -0700"), None);
        assert_eq!(p(f, "10/Oct/2000:13:55:36"), None);
        assert_eq!(p(f, "10/Oct/2000:13:55:36 -07"), oct10("20:55:36"));
        assert_eq!(p(f, "10/Oct/2000:13:55:36 0700"), None);
        // The offset can push an instant out of range.
        assert_eq!(p(f, "31/Dec/9999:23:59:59 -0100"), None);
        assert_eq!(p(f, "01/Jan/0001:00:00:00 +0100"), None);
    }

    fn oct10(time: &str) -> Option<String> {
        Some(format!("2000-10-10 {time}.000000000"))
    }

    #[test]
    fn offsets_with_colons() {
        let f = |z: &str| format!("%Y-%m-%dT%H:%M:%S{z}");
        let want = Some("2023-12-17 19:32:03.000000000".to_owned());
        assert_eq!(p(&f("%:z"), "2023-12-18T01:02:03+05:30"), want);
        assert_eq!(p(&f("%:z"), "2023-12-18T01:02:03+0530"), None);
        assert_eq!(p(&f("%z"), "2023-12-18T01:02:03+05:30"), want);
        assert_eq!(
            p(&f("%::z"), "2023-12-18T01:02:03+05:30:15").as_deref(),
            Some("2023-12-17 19:31:48.000000000")
        );
        assert_eq!(p(&f("%::z"), "2023-12-18T01:02:03+05:30"), None);
        assert_eq!(
            p(&f("%:::z"), "2023-12-18T01:02:03-05").as_deref(),
            Some("2023-12-18 06:02:03.000000000")
        );
        assert_eq!(
            p(&f("%:z"), "2023-12-18T01:02:03Z").as_deref(),
            Some("2023-12-18 01:02:03.000000000")
        );
        // The chrono form this crate read before still works.
        assert_eq!(
            p("%Y-%m-%dT%H:%M:%S%.f%:z", "2023-12-18T01:02:03.25+05:30")
                .as_deref(),
            Some("2023-12-17 19:32:03.250000000")
        );
    }

    #[test]
    fn zone_names_are_checked_and_ignored() {
        let f = "%Y-%m-%d %H:%M:%S %Z";
        for zone in ["UTC", "GMT", "PST", "CEST", "AEDT", "ACWST"] {
            assert_eq!(
                p(f, &format!("2023-12-18 01:02:03 {zone}")).as_deref(),
                Some("2023-12-18 01:02:03.000000000"),
                "{zone}"
            );
        }
        for zone in ["", "P", "PS", "pst", "ABCD", "ABCDEF", "UTC+1", "+0100"]
        {
            assert_eq!(p(f, &format!("2023-12-18 01:02:03 {zone}")), None);
        }
        // With an offset too, the offset counts.
        assert_eq!(
            p("%H:%M %z %Z %Y", "10:00 +0100 CET 2024").as_deref(),
            Some("2024-01-01 09:00:00.000000000")
        );
        // osquery's `%a %b %d %H:%M:%S %Y %Z`.
        assert_eq!(
            p("%a %b %d %H:%M:%S %Y %Z", "Mon Dec 18 01:02:03 2023 UTC")
                .as_deref(),
            Some("2023-12-18 01:02:03.000000000")
        );
    }

    #[test]
    fn weekday_names_are_checked_and_ignored() {
        let f = "%a, %d %b %Y %H:%M:%S %z";
        assert_eq!(
            p(f, "Thu, 22 Apr 2021 07:00:00 -0700").as_deref(),
            Some("2021-04-22 14:00:00.000000000")
        );
        // A weekday that does not match the date is not checked.
        assert_eq!(
            p(f, "Mon, 22 Apr 2021 07:00:00 -0700").as_deref(),
            Some("2021-04-22 14:00:00.000000000")
        );
        assert_eq!(p(f, "Thx, 22 Apr 2021 07:00:00 -0700"), None);
        assert_eq!(
            p("%A %B %d %Y", "thursday APRIL 22 2021").as_deref(),
            Some("2021-04-22 00:00:00.000000000")
        );
        assert_eq!(p("%A %B %d %Y", "Thu April 22 2021"), None);
    }

    #[test]
    fn unix_seconds_directive() {
        assert_eq!(
            p("%s", "1702857600").as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        assert_eq!(
            p("%s", "-1").as_deref(),
            Some("1969-12-31 23:59:59.000000000")
        );
        assert_eq!(p("%s", "253402300800"), None);
        assert_eq!(p("%s", "99999999999999999999999"), None);
        assert_eq!(p("%s", "17028576OO"), None);
        assert_eq!(p("%s", "+1"), None);
        assert_eq!(
            p("%s.%f", "1702857600.25").as_deref(),
            Some("2023-12-18 00:00:00.250000000")
        );
        assert_eq!(
            p("%s%.f", "1702857600.25").as_deref(),
            Some("2023-12-18 00:00:00.250000000")
        );
    }

    #[test]
    fn missing_parts_default_as_in_panther() {
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
            p("%Y-%j", "2024-060").as_deref(),
            Some("2024-02-29 00:00:00.000000000")
        );
        // Panther's syslog example `%b %d %H:%M:%S` has no year: 1900.
        assert_eq!(
            p("%b %d %H:%M:%S", "Dec 18 01:02:03").as_deref(),
            Some("1900-12-18 01:02:03.000000000")
        );
        assert_eq!(
            p("%H:%M:%S", "01:02:03").as_deref(),
            Some("1900-01-01 01:02:03.000000000")
        );
        assert_eq!(
            p("%Y-%m %H:%M:%S", "2023-12 01:02:03").as_deref(),
            Some("2023-12-01 01:02:03.000000000")
        );
        // A 12-hour clock without AM/PM is AM.
        assert_eq!(
            p("%Y-%m-%d %I:%M", "2023-12-18 12:02").as_deref(),
            Some("2023-12-18 00:02:00.000000000")
        );
        assert_eq!(
            p("%Y-%m-%d %I:%M %p", "2023-12-18 01:02 PM").as_deref(),
            Some("2023-12-18 13:02:00.000000000")
        );
        assert_eq!(
            p("%r", "12:00:00 am").as_deref(),
            Some("1900-01-01 00:00:00.000000000")
        );
    }

    #[test]
    fn composites() {
        let want = Some("2023-12-08 01:02:03.000000000".to_owned());
        assert_eq!(p("%F %T", "2023-12-08 01:02:03"), want);
        assert_eq!(p("%D %X", "12/08/23 01:02:03"), want);
        assert_eq!(p("%x %R:%S", "12/08/23 01:02:03"), want);
        assert_eq!(p("%c", "Fri Dec  8 01:02:03 2023"), want);
        assert_eq!(p("%+", "Fri Dec  8 01:02:03 UTC 2023"), want);
        assert_eq!(
            p("%v", " 8-Dec-2023").as_deref(),
            Some("2023-12-08 00:00:00.000000000")
        );
        assert_eq!(p("%F", "2023-12-08 "), None);
    }

    #[test]
    fn week_directives() {
        assert_eq!(
            p("%G-W%V-%u", "2024-W01-1").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p("%G-W%V-%a", "2020-W53-Sun").as_deref(),
            Some("2021-01-03 00:00:00.000000000")
        );
        assert_eq!(
            p("%Y %U %w", "2024 01 0").as_deref(),
            Some("2024-01-07 00:00:00.000000000")
        );
        assert_eq!(
            p("%Y %W %A", "2024 01 Monday").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p("%g %V", "24 01").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(p("%Y %V", "2024 01"), None);
        assert_eq!(p("%G %W", "2024 01"), None);
        assert_eq!(p("%G %j", "2024 001"), None);
        assert_eq!(p("%Y %V", "2024 54"), None);
        assert_eq!(p("%Y %u", "2024 8"), None);
    }

    #[test]
    fn century_and_short_year() {
        assert_eq!(
            p("%C%y-%m-%d", "2023-12-18").as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        assert_eq!(
            p("%C%y-%m-%d", "1999-12-18").as_deref(),
            Some("1999-12-18 00:00:00.000000000")
        );
        assert_eq!(
            p("%y%m%d", "691218").as_deref(),
            Some("1969-12-18 00:00:00.000000000")
        );
        assert_eq!(
            p("%y%m%d", "681218").as_deref(),
            Some("2068-12-18 00:00:00.000000000")
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
        assert_eq!(err("%Y %3f"), "unknown directive `%3f` at byte 3");
        assert_eq!(err("%Y %.3f"), "unknown directive `%.3f` at byte 3");
        assert_eq!(err("%Y %:"), "incomplete directive `%:` at byte 3");
        assert_eq!(err("%::::z"), "unknown directive `%::::z` at byte 0");
        assert_eq!(err("%:Y"), "unknown directive `%:Y` at byte 0");
        assert_eq!(err("%.s"), "unknown directive `%.s` at byte 0");
        assert_eq!(err("%-b"), "unknown directive `%-b` at byte 0");
        assert_eq!(err("%-F"), "unknown directive `%-F` at byte 0");
        assert_eq!(err("%#z"), "unknown directive `%#z` at byte 0");
        assert_eq!(err("%^a"), "unknown directive `%^a` at byte 0");
        assert_eq!(err("%Ey"), "unknown directive `%E` at byte 0");
        assert_eq!(err("%Od"), "unknown directive `%O` at byte 0");
        assert_eq!(err("%i"), "unknown directive `%i` at byte 0");
        assert!(StrftimeFormat::compile("100%% %Y").is_ok());
        assert!(StrftimeFormat::compile("").is_ok());
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
        assert_eq!(f.parse("AT 2023-12-18!"), None);
        assert_eq!(
            p("100%% %Y", "100% 2023").as_deref(),
            Some("2023-01-01 00:00:00.000000000")
        );
    }

    #[test]
    fn literals_merge_into_one_item() {
        let f = StrftimeFormat::compile("at %Y, %% ok").unwrap();
        assert_eq!(
            f.pattern.items(),
            [
                Item::Literal(b"at ".to_vec().into()),
                Item::Number(Number::new(Field::Year, 4, 0, 9999)),
                Item::Literal(b", % ok".to_vec().into()),
            ]
        );
    }

    /// Round trips: `(chrono's pattern, ours, digits kept, zoned)`. chrono
    /// writes the text (its `%6f` is six fraction digits, which our `%f`
    /// reads; its `%Z` is no name, so names are left out); ours reads it
    /// back. Unzoned patterns are written in UTC.
    const ROUND_TRIPS: &[(&str, &str, u32, bool)] = &[
        ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", 0, false),
        ("%Y-%m-%dT%H:%M:%S.%6fZ", "%Y-%m-%dT%H:%M:%S.%fZ", 6, false),
        ("%F %T.%3f", "%F %T.%L", 3, false),
        ("%F %T.%9f", "%F %T.%N", 9, false),
        ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", 9, false),
        ("%d/%b/%Y:%H:%M:%S %z", "%d/%b/%Y:%H:%M:%S %z", 0, true),
        (
            "%a, %d %B %Y %I:%M:%S %p %:z",
            "%a, %d %B %Y %I:%M:%S %p %:z",
            0,
            true,
        ),
        (
            "%A %e %h %Y %l:%M:%S %P %::z",
            "%A %e %h %Y %l:%M:%S %P %::z",
            0,
            true,
        ),
        ("%Y%j %k:%M:%S", "%Y%j %k:%M:%S", 0, false),
        ("%G-W%V-%u %T", "%G-W%V-%u %T", 0, false),
        ("%Y %U %w %R:%S", "%Y %U %w %R:%S", 0, false),
        ("%Y %W %a %X", "%Y %W %a %X", 0, false),
        ("%c", "%c", 0, false),
        ("%D %r", "%D %r", 0, false),
        ("%v %T", "%v %T", 0, false),
        ("%C%y%m%d%H%M%S", "%C%y%m%d%H%M%S", 0, false),
        ("%s", "%s", 0, false),
        ("%s.%6f", "%s.%f", 6, false),
        ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%z", 0, true),
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Every directive reads back what chrono wrote, cut to the
        /// digits the text holds.
        #[test]
        fn reads_back_what_chrono_writes(
            // 1970..2068, where `%y` and `%D` are unambiguous.
            secs in 0i64..3_124_137_600,
            nanos in 0u32..1_000_000_000,
            offset_minutes in -14i32 * 60..=14 * 60,
            case in 0..ROUND_TRIPS.len(),
        ) {
            let (theirs, ours, digits, zoned) = ROUND_TRIPS[case];
            let text = crate::time::chrono_text(
                secs, nanos, offset_minutes, theirs, zoned,
            );
            let cut = 10u32.pow(9 - digits);
            let want = Timestamp::from_unix(secs, nanos / cut * cut);
            let got = StrftimeFormat::compile(ours).unwrap().parse(&text);
            proptest::prop_assert_eq!(got, want, "{} {}", ours, text);
        }
    }
}
