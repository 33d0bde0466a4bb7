//! `layout=<Go reference layout>` `timeFormat`s: the layouts of Go's
//! `time.Parse`, which Panther's own schemas use
//! (`layout=2006-01-02 15:04:05 MST`, `layout=01/02/2006 15:04:05.999`).
//!
//! A layout writes Go's reference time, `Mon Jan 2 15:04:05 MST 2006`
//! (`01/02 03:04:05PM '06 -0700`), the way values are written. This is an
//! independent implementation of the behaviour documented for Go's `time`
//! package, compiled once into [`Pattern`] items (see `pattern.rs`).
//!
//! | element | reads |
//! |---|---|
//! | `2006` / `06` | year, 4 digits / 2 digits (69–99 → 19xx, 00–68 → 20xx) |
//! | `01` / `1` | month, 2 digits / 1–2 digits |
//! | `Jan` / `January` | month name (any case) |
//! | `02` / `2` / `_2` | day, 2 digits / 1–2 digits / 1–2 digits after an optional space |
//! | `002` / `__2` | day of the year, 3 digits / 1–3 digits after up to 2 spaces |
//! | `Mon` / `Monday` | weekday name (any case; checked, ignored) |
//! | `15` | hour 0–23, 1–2 digits |
//! | `03` / `3` | hour 0–12, 2 digits / 1–2 digits |
//! | `04` / `4`, `05` / `5` | minute / second 0–59, 2 digits / 1–2 digits |
//! | `PM` / `pm` | `AM` or `PM` / `am` or `pm` |
//! | `.000`, `,000` (n zeros) | `.` or `,` then exactly n fraction digits |
//! | `.999`, `,999` | optional: `.` or `,` then any number of fraction digits |
//! | `-0700`, `-07:00`, `-07`, `-070000`, `-07:00:00` | numeric offset |
//! | `Z0700`, `Z07:00`, `Z07` | the same, or `Z` for UTC |
//! | `Z070000`, `Z07:00:00` | the same as `-070000`, `-07:00:00` (Go takes no `Z` there) |
//! | `MST` | zone name: `UTC`, `GMT`, `GMT+3`, `+07`, 3–5 capitals (checked, ignored) |
//!
//! As in Go: after seconds, a `.` or `,` and digits are read as a
//! fraction even when the layout has none; a run of spaces in the layout
//! matches a run of one or more spaces (or the end of the value); any
//! other text must appear as written; fractions keep nine digits; a
//! missing month or day is 1; a zone name never changes the instant (Go
//! knows only its local zone's names, UTC for Panther).
//!
//! Where this differs from Go: a layout without a year is an error (Go's
//! year would be 0, outside 0001–9999, so no value could parse), and so
//! is a layout that sets a field twice (`2006-01-01`: surely a typo; Go
//! lets the last one win). Numbers are ASCII digits only (Go's `06` would
//! take `+1`). Like Go, `PM` adds 12 to hours below 12 and `AM` makes 12
//! into 0, and a 12-hour `3` without AM/PM reads 12 as noon.

use super::pattern::{
    Case, Dialect, Field, Fraction, Item, Names, Number, Offset, Pattern, Sep,
    Zone,
};
use super::{TimeFormatError, TimeFormatErrorKind, Timestamp};

/// What announces a Go layout in a `timeFormat`.
pub(crate) const PREFIX: &str = "layout=";

/// A compiled Go reference layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LayoutFormat {
    /// The `timeFormat` as written, `layout=` included.
    spec: Box<str>,
    pattern: Pattern,
}

impl LayoutFormat {
    /// Compiles `spec`, which starts with `layout=`.
    ///
    /// # Errors
    ///
    /// A layout without a year (`2006` or `06`), or one that sets a field
    /// twice; offsets in messages count from the start of `spec`.
    pub(crate) fn compile(
        spec: &str,
    ) -> Result<LayoutFormat, TimeFormatError> {
        let layout = spec.strip_prefix(PREFIX).unwrap_or(spec);
        let base = spec.len() - layout.len();
        let pieces = tokenize(layout.as_bytes());
        let mut seen: [Option<(usize, &str)>; What::COUNT] =
            [None; What::COUNT];
        let mut items = Vec::new();
        let mut literal = Vec::new();
        for (k, piece) in pieces.iter().enumerate() {
            let (token, at) = match *piece {
                Piece::Byte(b) => {
                    literal.push(b);
                    continue;
                }
                Piece::Token(token, at) => (token, at),
            };
            flush(&mut literal, &mut items);
            let end = at.saturating_add(token.len());
            let text = layout.get(at..end).unwrap_or_default();
            let what = token.what();
            if let Some(slot) = seen.get_mut(what as usize) {
                if let Some((first, first_text)) = *slot {
                    return Err(TimeFormatError::layout(
                        format!(
                            "{} given twice: `{first_text}` at byte {} and \
                             `{text}` at byte {}",
                            what.name(),
                            base + first,
                            base + at
                        ),
                        base + at,
                    ));
                }
                *slot = Some((at, text));
            }
            items.push(token.item());
            // Go reads a fraction after the seconds even if the layout
            // has none, unless the next element is a fraction.
            if what == What::Second {
                let next =
                    pieces.get(k + 1..).unwrap_or_default().iter().find_map(
                        |p| match p {
                            Piece::Token(t, _) => Some(t.what()),
                            Piece::Byte(_) => None,
                        },
                    );
                if next != Some(What::Fraction) {
                    items.push(Item::Fraction(Fraction {
                        sep: Sep::DotOrComma,
                        min: 1,
                        max: Fraction::ANY,
                        optional: true,
                    }));
                }
            }
        }
        flush(&mut literal, &mut items);
        if seen.get(What::Year as usize).copied().flatten().is_none() {
            return Err(TimeFormatError::layout(
                "no year in layout, expected `2006` or `06`".into(),
                base,
            ));
        }
        Ok(LayoutFormat {
            spec: spec.into(),
            pattern: Pattern::new(items, Dialect::Layout),
        })
    }

    /// The `timeFormat` text, `layout=` included.
    pub(crate) fn spec(&self) -> &str {
        &self.spec
    }

    /// Matches `s` against the layout; `None` if it does not match or does
    /// not name an instant within 0001..=9999.
    #[inline]
    pub(crate) fn parse(&self, s: &str) -> Option<Timestamp> {
        self.pattern.parse(s.as_bytes())
    }
}

/// Turns gathered literal bytes into items: each run of spaces is one
/// [`Item::Spaces`], the rest [`Item::Literal`]s.
fn flush(literal: &mut Vec<u8>, items: &mut Vec<Item>) {
    for run in literal.chunk_by(|a, b| (*a == b' ') == (*b == b' ')) {
        if run.first() == Some(&b' ') {
            items.push(Item::Spaces);
        } else {
            items.push(Item::Literal(run.into()));
        }
    }
    literal.clear();
}

/// A field a layout element sets, for the "given twice" check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    Year,
    Month,
    Day,
    YearDay,
    Weekday,
    Hour,
    Minute,
    Second,
    Fraction,
    AmPm,
    Offset,
    ZoneName,
}

impl What {
    const COUNT: usize = 12;

    fn name(self) -> &'static str {
        match self {
            What::Year => "year",
            What::Month => "month",
            What::Day => "day",
            What::YearDay => "day of the year",
            What::Weekday => "weekday",
            What::Hour => "hour",
            What::Minute => "minute",
            What::Second => "second",
            What::Fraction => "fraction of a second",
            What::AmPm => "AM/PM",
            What::Offset => "zone offset",
            What::ZoneName => "zone name",
        }
    }
}

/// A layout element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    /// `2006`
    LongYear,
    /// `06`
    Year,
    /// `January`
    LongMonth,
    /// `Jan`
    Month,
    /// `1`
    NumMonth,
    /// `01`
    ZeroMonth,
    /// `Monday`
    LongWeekday,
    /// `Mon`
    Weekday,
    /// `2`
    Day,
    /// `_2`
    UnderDay,
    /// `02`
    ZeroDay,
    /// `__2`
    UnderYearDay,
    /// `002`
    ZeroYearDay,
    /// `15`
    Hour,
    /// `3`
    Hour12,
    /// `03`
    ZeroHour12,
    /// `4`
    Minute,
    /// `04`
    ZeroMinute,
    /// `5`
    Second,
    /// `05`
    ZeroSecond,
    /// `PM`
    UpperPm,
    /// `pm`
    LowerPm,
    /// `MST`
    ZoneName,
    /// `-0700` and its kin; `len` is the element's length.
    Offset { minutes: bool, seconds: bool, colons: bool, z: bool, len: u8 },
    /// `.000` (`zeros`) or `.999`, with `digits` digits after the `.` or
    /// `,`.
    Fraction { zeros: bool, digits: u32 },
}

impl Token {
    /// The element's length in the layout.
    fn len(self) -> usize {
        match self {
            Token::Day
            | Token::NumMonth
            | Token::Hour12
            | Token::Minute
            | Token::Second => 1,
            Token::Year
            | Token::ZeroMonth
            | Token::UnderDay
            | Token::ZeroDay
            | Token::Hour
            | Token::ZeroHour12
            | Token::ZeroMinute
            | Token::ZeroSecond
            | Token::UpperPm
            | Token::LowerPm => 2,
            Token::Month
            | Token::Weekday
            | Token::UnderYearDay
            | Token::ZeroYearDay
            | Token::ZoneName => 3,
            Token::LongYear => 4,
            Token::LongWeekday => 6,
            Token::LongMonth => 7,
            Token::Offset { len, .. } => usize::from(len),
            Token::Fraction { digits, .. } => {
                1 + usize::try_from(digits).unwrap_or(usize::MAX - 1)
            }
        }
    }

    fn what(self) -> What {
        match self {
            Token::LongYear | Token::Year => What::Year,
            Token::LongMonth
            | Token::Month
            | Token::NumMonth
            | Token::ZeroMonth => What::Month,
            Token::LongWeekday | Token::Weekday => What::Weekday,
            Token::Day | Token::UnderDay | Token::ZeroDay => What::Day,
            Token::UnderYearDay | Token::ZeroYearDay => What::YearDay,
            Token::Hour | Token::Hour12 | Token::ZeroHour12 => What::Hour,
            Token::Minute | Token::ZeroMinute => What::Minute,
            Token::Second | Token::ZeroSecond => What::Second,
            Token::UpperPm | Token::LowerPm => What::AmPm,
            Token::ZoneName => What::ZoneName,
            Token::Offset { .. } => What::Offset,
            Token::Fraction { .. } => What::Fraction,
        }
    }

    fn item(self) -> Item {
        let n = Number::new;
        Item::Number(match self {
            Token::LongYear => n(Field::Year, 4, 0, 9999).fixed(),
            Token::Year => n(Field::Year2, 2, 0, 99).fixed(),
            Token::NumMonth => n(Field::Month, 2, 1, 12),
            Token::ZeroMonth => n(Field::Month, 2, 1, 12).fixed(),
            Token::Day => n(Field::Day, 2, 1, 31),
            Token::UnderDay => n(Field::Day, 2, 1, 31).spaces(1),
            Token::ZeroDay => n(Field::Day, 2, 1, 31).fixed(),
            Token::UnderYearDay => n(Field::YearDay, 3, 1, 366).spaces(2),
            Token::ZeroYearDay => n(Field::YearDay, 3, 1, 366).fixed(),
            Token::Hour => n(Field::Hour, 2, 0, 23),
            Token::Hour12 => n(Field::Hour, 2, 0, 12),
            Token::ZeroHour12 => n(Field::Hour, 2, 0, 12).fixed(),
            Token::Minute => n(Field::Minute, 2, 0, 59),
            Token::ZeroMinute => n(Field::Minute, 2, 0, 59).fixed(),
            Token::Second => n(Field::Second, 2, 0, 59),
            Token::ZeroSecond => n(Field::Second, 2, 0, 59).fixed(),
            Token::LongMonth => return Item::Month(Names::Long),
            Token::Month => return Item::Month(Names::Short),
            Token::LongWeekday => return Item::Weekday(Names::Long),
            Token::Weekday => return Item::Weekday(Names::Short),
            Token::UpperPm => return Item::AmPm(Case::Upper),
            Token::LowerPm => return Item::AmPm(Case::Lower),
            Token::ZoneName => return Item::Zone(Zone::Go),
            Token::Offset { minutes, seconds, colons, z, .. } => {
                return Item::Offset(Offset::Go {
                    minutes,
                    seconds,
                    colons,
                    z,
                });
            }
            Token::Fraction { zeros: true, digits } => {
                return Item::Fraction(Fraction {
                    sep: Sep::DotOrComma,
                    min: digits,
                    max: digits,
                    optional: false,
                });
            }
            Token::Fraction { zeros: false, .. } => {
                return Item::Fraction(Fraction {
                    sep: Sep::DotOrComma,
                    min: 1,
                    max: Fraction::ANY,
                    optional: true,
                });
            }
        })
    }
}

/// A layout byte that is literal text, or an element and its offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    Byte(u8),
    Token(Token, usize),
}

/// Splits a layout into literal bytes and elements, left to right; at
/// each byte the longest element that starts there wins, as in Go.
fn tokenize(layout: &[u8]) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(layout.len());
    let mut i = 0;
    while let Some(&b) = layout.get(i) {
        match token_at(layout.get(i..).unwrap_or_default()) {
            Some(token) => {
                pieces.push(Piece::Token(token, i));
                i = i.saturating_add(token.len());
            }
            None => {
                pieces.push(Piece::Byte(b));
                i += 1;
            }
        }
    }
    pieces
}

/// The element at the start of `l`, if one starts there.
fn token_at(l: &[u8]) -> Option<Token> {
    let at = |k: usize| l.get(k).copied();
    let lower_next = |k: usize| at(k).is_some_and(|c| c.is_ascii_lowercase());
    Some(match at(0)? {
        b'J' if l.starts_with(b"January") => Token::LongMonth,
        b'J' if l.starts_with(b"Jan") && !lower_next(3) => Token::Month,
        b'M' if l.starts_with(b"Monday") => Token::LongWeekday,
        b'M' if l.starts_with(b"Mon") && !lower_next(3) => Token::Weekday,
        b'M' if l.starts_with(b"MST") => Token::ZoneName,
        b'0' => match at(1)? {
            b'1' => Token::ZeroMonth,
            b'2' => Token::ZeroDay,
            b'3' => Token::ZeroHour12,
            b'4' => Token::ZeroMinute,
            b'5' => Token::ZeroSecond,
            b'6' => Token::Year,
            b'0' if at(2) == Some(b'2') => Token::ZeroYearDay,
            _ => return None,
        },
        b'1' if at(1) == Some(b'5') => Token::Hour,
        b'1' => Token::NumMonth,
        b'2' if l.starts_with(b"2006") => Token::LongYear,
        b'2' => Token::Day,
        // `_2006` is a literal `_` before the year.
        b'_' if l.starts_with(b"_2006") => return None,
        b'_' if at(1) == Some(b'2') => Token::UnderDay,
        b'_' if l.starts_with(b"__2") => Token::UnderYearDay,
        b'3' => Token::Hour12,
        b'4' => Token::Minute,
        b'5' => Token::Second,
        b'P' if at(1) == Some(b'M') => Token::UpperPm,
        b'p' if at(1) == Some(b'm') => Token::LowerPm,
        sign @ (b'-' | b'Z') => offset(l, sign == b'Z')?,
        b'.' | b',' => {
            let digit = at(1)?;
            if digit != b'0' && digit != b'9' {
                return None;
            }
            let n = l.get(1..)?.iter().take_while(|&&c| c == digit).count();
            // The run must end the number: `.0001` is no fraction.
            if at(1 + n).is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
            Token::Fraction {
                zeros: digit == b'0',
                digits: u32::try_from(n).unwrap_or(u32::MAX),
            }
        }
        _ => return None,
    })
}

/// The offset element at the start of `l` (after `-` or `Z`), longest
/// first.
fn offset(l: &[u8], z: bool) -> Option<Token> {
    let rest = l.get(1..)?;
    let forms: [(&[u8], bool, bool, bool); 5] = [
        (b"070000", true, true, false),
        (b"07:00:00", true, true, true),
        (b"0700", true, false, false),
        (b"07:00", true, false, true),
        (b"07", false, false, false),
    ];
    let (form, minutes, seconds, colons) =
        forms.into_iter().find(|(form, ..)| rest.starts_with(form))?;
    // Go reads `Z` as UTC for `Z0700`, `Z07:00` and `Z07` only.
    let z = z && !seconds;
    let len = u8::try_from(1 + form.len()).unwrap_or(u8::MAX);
    Some(Token::Offset { minutes, seconds, colons, z, len })
}

impl TimeFormatError {
    /// A layout error: `message` about the element at byte `offset`.
    #[cold]
    #[inline(never)]
    fn layout(message: String, offset: usize) -> TimeFormatError {
        TimeFormatError {
            kind: TimeFormatErrorKind::Layout(message.into()),
            offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(layout: &str) -> LayoutFormat {
        LayoutFormat::compile(&format!("layout={layout}")).unwrap()
    }

    fn p(layout: &str, s: &str) -> Option<String> {
        compile(layout).parse(s).map(|t| t.to_string())
    }

    fn err(layout: &str) -> String {
        LayoutFormat::compile(&format!("layout={layout}"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn panthers_layouts() {
        // OneLogin: `2020-04-09 18:37:33 UTC`.
        let l = "2006-01-02 15:04:05 MST";
        assert_eq!(
            p(l, "2020-04-09 18:37:33 UTC").as_deref(),
            Some("2020-04-09 18:37:33.000000000")
        );
        assert_eq!(
            p(l, "2020-04-09 18:37:33 PDT").as_deref(),
            Some("2020-04-09 18:37:33.000000000")
        );
        assert_eq!(p(l, "2020-04-09 18:37:33"), None);
        assert_eq!(p(l, "2020-04-09 18:37:33 utc"), None);
        // CrowdStrike: `01/02/2006 15:04:05.999`.
        let l = "01/02/2006 15:04:05.999";
        assert_eq!(
            p(l, "05/24/2020 23:50:06.99").as_deref(),
            Some("2020-05-24 23:50:06.990000000")
        );
        assert_eq!(
            p(l, "05/24/2020 23:50:06").as_deref(),
            Some("2020-05-24 23:50:06.000000000")
        );
        assert_eq!(
            p(l, "05/24/2020 23:50:06,1234567891").as_deref(),
            Some("2020-05-24 23:50:06.123456789")
        );
        assert_eq!(p(l, "5/24/2020 23:50:06"), None);
        assert_eq!(p(l, "05/24/2020 23:50:06."), None);
        // Microsoft 365: `2006-01-02T15:04:05`, an unannounced fraction
        // read all the same.
        let l = "2006-01-02T15:04:05";
        assert_eq!(
            p(l, "2021-02-24T10:27:19").as_deref(),
            Some("2021-02-24 10:27:19.000000000")
        );
        assert_eq!(
            p(l, "2021-02-24T10:27:19.0574991").as_deref(),
            Some("2021-02-24 10:27:19.057499100")
        );
        assert_eq!(p(l, "2021-02-24T10:27:19Z"), None);
        // Cloudflare's HTTP dates: `Mon, 02 Jan 2006 15:04:05 MST`.
        let l = "Mon, 02 Jan 2006 15:04:05 MST";
        assert_eq!(
            p(l, "Fri, 21 Oct 2016 07:28:00 GMT").as_deref(),
            Some("2016-10-21 07:28:00.000000000")
        );
        assert_eq!(p(l, "Fri, 21 Oct 2016 07:28:00"), None);
    }

    #[test]
    fn numbers_by_width() {
        assert_eq!(
            p("2006-1-2 3:4:5", "2024-2-9 1:2:3").as_deref(),
            Some("2024-02-09 01:02:03.000000000")
        );
        assert_eq!(
            p("2006-1-2 3:4:5", "2024-12-19 11:12:13").as_deref(),
            Some("2024-12-19 11:12:13.000000000")
        );
        assert_eq!(p("2006-01-02", "2024-1-02"), None);
        assert_eq!(p("2006-01-02", "24-01-02"), None);
        assert_eq!(p("2006-01-02", "20240-01-02"), None);
        assert_eq!(
            p("06-01-02", "69-01-02").as_deref(),
            Some("1969-01-02 00:00:00.000000000")
        );
        assert_eq!(
            p("06-01-02", "68-01-02").as_deref(),
            Some("2068-01-02 00:00:00.000000000")
        );
        assert_eq!(p("06-01-02", "+1-01-02"), None);
        // `_2` takes one optional space.
        assert_eq!(
            p("Jan _2 2006", "Feb  9 2024").as_deref(),
            Some("2024-02-09 00:00:00.000000000")
        );
        assert_eq!(
            p("Jan _2 2006", "Feb 19 2024").as_deref(),
            Some("2024-02-19 00:00:00.000000000")
        );
        // Day of the year.
        assert_eq!(
            p("2006.002", "2024.060").as_deref(),
            Some("2024-02-29 00:00:00.000000000")
        );
        assert_eq!(p("2006.002", "2024.60"), None);
        assert_eq!(
            p("2006 __2", "2024  60").as_deref(),
            Some("2024-02-29 00:00:00.000000000")
        );
        assert_eq!(p("2006-002 01/02", "2024-060 03/01"), None);
        // Hours 24 and minutes 60 do not exist.
        assert_eq!(p("2006 15:04", "2024 24:00"), None);
        assert_eq!(p("2006 15:04", "2024 23:60"), None);
        assert_eq!(p("2006 15:04:05", "2024 23:59:60"), None);
        assert_eq!(p("2006-01-02", "2023-02-29"), None);
    }

    #[test]
    fn am_pm() {
        let l = "2006-01-02 03:04PM";
        assert_eq!(
            p(l, "2024-01-02 12:30AM").as_deref(),
            Some("2024-01-02 00:30:00.000000000")
        );
        assert_eq!(
            p(l, "2024-01-02 12:30PM").as_deref(),
            Some("2024-01-02 12:30:00.000000000")
        );
        assert_eq!(
            p(l, "2024-01-02 01:30PM").as_deref(),
            Some("2024-01-02 13:30:00.000000000")
        );
        assert_eq!(p(l, "2024-01-02 01:30pm"), None);
        assert_eq!(p(l, "2024-01-02 13:30PM"), None);
        assert_eq!(
            p("2006 3pm", "2024 7am").as_deref(),
            Some("2024-01-01 07:00:00.000000000")
        );
        // Without AM/PM a 12-hour clock's 12 is noon, as in Go.
        assert_eq!(
            p("2006 3:04", "2024 12:00").as_deref(),
            Some("2024-01-01 12:00:00.000000000")
        );
    }

    #[test]
    fn fractions() {
        let l = "2006-01-02 15:04:05.000";
        assert_eq!(
            p(l, "2024-01-02 03:04:05.123").as_deref(),
            Some("2024-01-02 03:04:05.123000000")
        );
        assert_eq!(
            p(l, "2024-01-02 03:04:05,123").as_deref(),
            Some("2024-01-02 03:04:05.123000000")
        );
        assert_eq!(p(l, "2024-01-02 03:04:05.12"), None);
        assert_eq!(p(l, "2024-01-02 03:04:05.1234"), None);
        assert_eq!(p(l, "2024-01-02 03:04:05"), None);
        let l = "2006-01-02 15:04:05,999999";
        assert_eq!(
            p(l, "2024-01-02 03:04:05.5").as_deref(),
            Some("2024-01-02 03:04:05.500000000")
        );
        // A fraction in the middle of a layout.
        assert_eq!(
            p("15:04:05.000 2006", "03:04:05.250 2024").as_deref(),
            Some("2024-01-01 03:04:05.250000000")
        );
        // `.0001` is no fraction (the zeros run into a `1`): `.00` is
        // text, then `01` the month.
        assert_eq!(
            p("2006.0001", "2024.0012").as_deref(),
            Some("2024-12-01 00:00:00.000000000")
        );
        // Twelve zeros: twelve digits, nine kept.
        assert_eq!(
            p("2006 05.000000000000", "2024 01.123456789999").as_deref(),
            Some("2024-01-01 00:00:01.123456789")
        );
    }

    #[test]
    fn offsets_and_zones() {
        let l = "2006-01-02T15:04:05Z07:00";
        assert_eq!(
            p(l, "2024-01-02T03:04:05Z").as_deref(),
            Some("2024-01-02 03:04:05.000000000")
        );
        assert_eq!(
            p(l, "2024-01-02T03:04:05+01:30").as_deref(),
            Some("2024-01-02 01:34:05.000000000")
        );
        assert_eq!(
            p(l, "2024-01-02T03:04:05.5-01:00").as_deref(),
            Some("2024-01-02 04:04:05.500000000")
        );
        assert_eq!(p(l, "2024-01-02T03:04:05+0130"), None);
        assert_eq!(p(l, "2024-01-02T03:04:05z"), None);
        let off = |layout: &str, offset: &str| {
            p(&format!("2006 {layout}"), &format!("2024 {offset}"))
        };
        let want = |t: &str| Some(format!("2024-01-01 {t}.000000000"));
        assert_eq!(
            off("-0700", "+0100").as_deref(),
            Some("2023-12-31 23:00:00.000000000")
        );
        assert_eq!(off("-0700", "Z"), None);
        assert_eq!(off("Z0700", "Z"), want("00:00:00"));
        assert_eq!(off("-07", "-01"), want("01:00:00"));
        assert_eq!(off("Z07", "Z"), want("00:00:00"));
        assert_eq!(off("-070000", "-000030"), want("00:00:30"));
        assert_eq!(off("-07:00:00", "-00:00:30"), want("00:00:30"));
        assert_eq!(off("Z070000", "Z"), None);
        assert_eq!(off("Z07:00:00", "-00:01:00"), want("00:01:00"));
        // Zone names: checked, ignored; `UTC` and `Z` win over offsets.
        let l = "2006 15:04 -0700 MST";
        assert_eq!(
            p(l, "2024 10:00 +0100 CET").as_deref(),
            Some("2024-01-01 09:00:00.000000000")
        );
        assert_eq!(
            p(l, "2024 10:00 +0100 UTC").as_deref(),
            Some("2024-01-01 10:00:00.000000000")
        );
        for zone in [
            "GMT", "GMT+3", "GMT-11", "+07", "-03", "ChST", "WITA", "AEST",
            "ACWST",
        ] {
            assert_eq!(
                p("2006 15:04 MST", &format!("2024 10:00 {zone}")).as_deref(),
                Some("2024-01-01 10:00:00.000000000"),
                "{zone}"
            );
        }
        for zone in
            ["", "-3", "PS", "ABCD", "ABCDEF", "GMT+0700", "+24", "Pst"]
        {
            assert_eq!(
                p("2006 15:04 MST", &format!("2024 10:00 {zone}")),
                None,
                "{zone}"
            );
        }
    }

    #[test]
    fn names() {
        let l = "Monday, January 2 2006";
        assert_eq!(
            p(l, "friday, MARCH 8 2024").as_deref(),
            Some("2024-03-08 00:00:00.000000000")
        );
        assert_eq!(p(l, "Fri, March 8 2024"), None);
        // `Jan` before a lower-case letter is text; `Mon` too.
        assert_eq!(
            p("Janet 2006", "Janet 2024").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p("Month 2006", "Month 2024").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p("JanX 2006", "FebX 2024").as_deref(),
            Some("2024-02-01 00:00:00.000000000")
        );
    }

    #[test]
    fn spaces_collapse() {
        let l = "2006-01-02  15:04";
        for v in ["2024-01-02 03:04", "2024-01-02     03:04"] {
            assert_eq!(
                p(l, v).as_deref(),
                Some("2024-01-02 03:04:00.000000000"),
                "{v}"
            );
        }
        assert_eq!(p(l, "2024-01-0203:04"), None);
        assert_eq!(p(l, "2024-01-02\t03:04"), None);
        assert_eq!(
            p("2006 ", "2024").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(p("2006", "2024 "), None);
        assert_eq!(p("2006", " 2024"), None);
    }

    #[test]
    fn literal_text() {
        assert_eq!(
            p("at 2006!", "at 2024!").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(p("at 2006!", "at 2024?"), None);
        assert_eq!(
            p("_2006", "_2024").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p("é2006%", "é2024%").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
    }

    #[test]
    fn tokens() {
        let t = |l: &str| {
            tokenize(l.as_bytes())
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Token(t, at) => Some((t, at)),
                    Piece::Byte(_) => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            t("Mon Jan _2 15:04:05 MST 2006"),
            [
                (Token::Weekday, 0),
                (Token::Month, 4),
                (Token::UnderDay, 8),
                (Token::Hour, 11),
                (Token::ZeroMinute, 14),
                (Token::ZeroSecond, 17),
                (Token::ZoneName, 20),
                (Token::LongYear, 24),
            ]
        );
        assert_eq!(
            t("__2 002 _2006 1 2 3 4 5 06 pm PM"),
            [
                (Token::UnderYearDay, 0),
                (Token::ZeroYearDay, 4),
                (Token::LongYear, 9),
                (Token::NumMonth, 14),
                (Token::Day, 16),
                (Token::Hour12, 18),
                (Token::Minute, 20),
                (Token::Second, 22),
                (Token::Year, 24),
                (Token::LowerPm, 27),
                (Token::UpperPm, 30),
            ]
        );
        assert_eq!(
            t(".000,999.9x.01"),
            [
                (Token::Fraction { zeros: true, digits: 3 }, 0),
                (Token::Fraction { zeros: false, digits: 3 }, 4),
                (Token::Fraction { zeros: false, digits: 1 }, 8),
                (Token::ZeroMonth, 12),
            ]
        );
        let off = |minutes, seconds, colons, z, len| Token::Offset {
            minutes,
            seconds,
            colons,
            z,
            len,
        };
        assert_eq!(
            t("-070000 -07:00:00 -0700 -07:00 -07 Z0700 Z07:00 Z07 Z070000"),
            [
                (off(true, true, false, false, 7), 0),
                (off(true, true, true, false, 9), 8),
                (off(true, false, false, false, 5), 18),
                (off(true, false, true, false, 6), 24),
                (off(false, false, false, false, 3), 31),
                (off(true, false, false, true, 5), 35),
                (off(true, false, true, true, 6), 41),
                (off(false, false, false, true, 3), 48),
                (off(true, true, false, false, 7), 52),
            ]
        );
        assert_eq!(
            t("-08 Z08 January Monday"),
            [(Token::LongMonth, 8), (Token::LongWeekday, 16)]
        );
    }

    #[test]
    fn compile_errors() {
        assert_eq!(err(""), "no year in layout, expected `2006` or `06`");
        assert_eq!(
            err("15:04:05"),
            "no year in layout, expected `2006` or `06`"
        );
        // A wrong reference year is a day, a month and text.
        assert_eq!(
            err("2016-01-02"),
            "month given twice: `01` at byte 8 and `01` at byte 12"
        );
        assert_eq!(
            err("%Y-%m-%d"),
            "no year in layout, expected `2006` or `06`"
        );
        assert_eq!(
            err("2006-01-01"),
            "month given twice: `01` at byte 12 and `01` at byte 15"
        );
        assert_eq!(
            err("2006-01-02 15:04:01"),
            "month given twice: `01` at byte 12 and `01` at byte 24"
        );
        assert_eq!(
            err("Jan 2006 06"),
            "year given twice: `2006` at byte 11 and `06` at byte 16"
        );
        assert_eq!(
            err("2006 -0700 Z07:00"),
            "zone offset given twice: `-0700` at byte 12 and `Z07:00` at byte 18"
        );
        assert_eq!(
            err("2006 .000 .999"),
            "fraction of a second given twice: `.000` at byte 12 and `.999` at byte 17"
        );
        assert!(LayoutFormat::compile("layout=2006 -0700 MST").is_ok());
        assert!(LayoutFormat::compile("layout=05.000 2006").is_ok());
    }

    #[test]
    fn spec_is_kept() {
        let f = compile("2006");
        assert_eq!(f.spec(), "layout=2006");
    }

    /// Round trips: `(chrono's pattern, the layout, digits kept, zoned)`.
    /// chrono writes the text; the layout reads it back. Unzoned patterns
    /// are written in UTC (a zone name is written as text, and ignored).
    const ROUND_TRIPS: &[(&str, &str, u32, bool)] = &[
        ("%Y-%m-%dT%H:%M:%S%.3f%:z", "2006-01-02T15:04:05.000Z07:00", 3, true),
        (
            "%Y-%m-%d %H:%M:%S%.f %z",
            "2006-01-02 15:04:05.999999999 -0700",
            9,
            true,
        ),
        (
            "%Y-%m-%dT%H:%M:%S,%6f%::z",
            "2006-01-02T15:04:05,000000-07:00:00",
            6,
            true,
        ),
        ("%a %b %e %H:%M:%S %Y", "Mon Jan _2 15:04:05 2006", 0, false),
        ("%d %b %y %H:%M %z", "02 Jan 06 15:04 -0700", 0, true),
        (
            "%A, %d-%b-%y %H:%M:%S PST",
            "Monday, 02-Jan-06 15:04:05 MST",
            0,
            false,
        ),
        (
            "%a, %d %b %Y %H:%M:%S GMT",
            "Mon, 02 Jan 2006 15:04:05 MST",
            0,
            false,
        ),
        ("%m/%d/%Y %I:%M:%S%p", "01/02/2006 03:04:05PM", 0, false),
        ("%b %e %Y %-I:%-M:%-S %P", "Jan _2 2006 3:4:5 pm", 0, false),
        ("%Y.%j %H:%M:%S", "2006.002 15:04:05", 0, false),
        ("%Y%m%d%H%M%S", "20060102150405", 0, false),
        ("%m/%d/%Y %H:%M:%S.%f", "01/02/2006 15:04:05", 9, false),
        ("%B %-d, %Y %H:%M", "January 2, 2006 15:04", 0, false),
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Every element reads back what chrono wrote, cut to the digits
        /// the text holds.
        #[test]
        fn reads_back_what_chrono_writes(
            // 1970..2068, where `06` is unambiguous.
            secs in 0i64..3_124_137_600,
            nanos in 0u32..1_000_000_000,
            offset_minutes in -14i32 * 60..=14 * 60,
            case in 0..ROUND_TRIPS.len(),
        ) {
            let (theirs, layout, digits, zoned) = ROUND_TRIPS[case];
            let text = crate::time::chrono_text(
                secs, nanos, offset_minutes, theirs, zoned,
            );
            let cut = 10u32.pow(9 - digits);
            let kept = if theirs.contains("%M") && !theirs.contains("%S") {
                // Minutes only: the seconds are not written.
                Timestamp::from_unix(secs - secs % 60, 0)
            } else {
                Timestamp::from_unix(secs, nanos / cut * cut)
            };
            let got = compile(layout).parse(&text);
            proptest::prop_assert_eq!(got, kept, "{} {}", layout, text);
        }
    }
}
