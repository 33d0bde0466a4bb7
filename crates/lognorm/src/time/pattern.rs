//! Compiled time patterns: the items that strftime patterns
//! (`strftime.rs`) and Go reference layouts (`layout.rs`) compile to, and
//! the reader that matches a value against them.
//!
//! A pattern is compiled once, when its schema loads, into a list of
//! [`Item`]s. Reading a value walks the items left to right over the
//! value's bytes, collecting [`Fields`] on the stack (no allocation, no
//! backtracking: every item takes what it can greedily), and the value
//! must be used up exactly. [`Fields::resolve`] then turns the fields into
//! an instant with the rules of the pattern's [`Dialect`]: what a missing
//! year means, how AM/PM applies, week dates.
//!
//! Rules shared by both dialects:
//!
//! - numbers are ASCII digits, at most the item's width, at least its
//!   minimum, within the item's range (a month is 1–12, a second 0–59: a
//!   leap second fails);
//! - names (months, weekdays, AM/PM in strftime) match ASCII
//!   case-insensitively;
//! - a weekday is checked for shape and otherwise ignored (it only picks
//!   the day in a strftime week date);
//! - a zone name is checked for shape and otherwise ignored: the wall
//!   clock is UTC unless a numeric offset is given. This is what Panther
//!   does: Go knows only the names of its local zone, and Panther's local
//!   zone is UTC;
//! - the date must exist (`2023-02-30` and day-of-year 366 in 2023 fail)
//!   and the instant, after the offset, must be within the years
//!   0001..=9999.

use super::Timestamp;
use super::civil::{
    civil_from_days, days_from_civil, days_in_month, is_leap_year,
};

/// Seconds in a day.
const SECS_PER_DAY: i64 = 86_400;

/// Fraction digits kept: nanoseconds.
const FRACTION_DIGITS: u32 = 9;

/// The rules that fill in what a value leaves out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dialect {
    /// strftime as Panther reads it (the Go library timefmt-go): a
    /// missing year is 1900, a missing month or day is 1; `%I` reads 12 as
    /// 0 and PM adds 12; `%j` and week dates (`%G`/`%V`, `%U`, `%W`) give
    /// the day when there is no day of the month.
    Strftime,
    /// Go's `time.Parse`: a missing year is 0 (so the value fails: years
    /// start at 0001); PM adds 12 to hours below 12 and AM makes 12 into 0;
    /// a day of the year must agree with a month and day if both are given.
    Layout,
}

/// What a number item sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    /// The year, as written (`%Y`, `2006`).
    Year,
    /// A two-digit year: 69–99 are 19xx, 00–68 are 20xx (`%y`, `06`).
    Year2,
    /// The century: the year is `century * 100 + year % 100` (`%C`).
    Century,
    /// The ISO 8601 week-based year (`%G`).
    IsoYear,
    /// The ISO week-based year in two digits, as [`Field::Year2`] (`%g`).
    IsoYear2,
    /// The month, 1–12.
    Month,
    /// The day of the month.
    Day,
    /// The day of the year, 1–366.
    YearDay,
    /// The hour on a 24-hour clock (or Go's hour, which AM/PM adjusts).
    Hour,
    /// The hour on a 12-hour clock, 1–12, 12 read as 0 (`%I`, `%l`).
    Hour12,
    /// The minute.
    Minute,
    /// The second (no leap second).
    Second,
    /// The ISO 8601 week, 1–53, weeks start on Monday (`%V`).
    IsoWeek,
    /// The week of the year, weeks start on Sunday, 0–53 (`%U`).
    SundayWeek,
    /// The week of the year, weeks start on Monday, 0–53 (`%W`).
    MondayWeek,
    /// The weekday, 0 = Sunday .. 6 (`%w`).
    WeekdayFrom0,
    /// The weekday, 1 = Monday .. 7 = Sunday (`%u`).
    WeekdayFrom1,
}

/// A number: `min..=max` digits, after up to `spaces` optional spaces,
/// whose value is in `lo..=hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Number {
    pub(super) field: Field,
    pub(super) min: u8,
    pub(super) max: u8,
    pub(super) spaces: u8,
    pub(super) lo: u16,
    pub(super) hi: u16,
}

impl Number {
    /// A number of 1 to `max` digits in `lo..=hi`, no leading spaces.
    pub(super) const fn new(field: Field, max: u8, lo: u16, hi: u16) -> Self {
        Number { field, min: 1, max, spaces: 0, lo, hi }
    }

    /// The same number with exactly `max` digits.
    pub(super) const fn fixed(self) -> Self {
        Number { min: self.max, ..self }
    }

    /// The same number after up to `n` optional spaces.
    pub(super) const fn spaces(self, n: u8) -> Self {
        Number { spaces: n, ..self }
    }
}

/// What separates a fraction from the seconds before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sep {
    /// Nothing: the digits start at once (the pattern spells the dot).
    None,
    /// A `.`.
    Dot,
    /// A `.` or a `,` (Go: either, whatever the layout shows).
    DotOrComma,
}

/// Fraction digits read as a fraction of a second: `min..=max` digits
/// (`max` may be [`Fraction::ANY`]), the first nine kept, further ones
/// truncated. An optional fraction is read only when its separator and a
/// digit are there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fraction {
    pub(super) sep: Sep,
    pub(super) min: u32,
    pub(super) max: u32,
    pub(super) optional: bool,
}

impl Fraction {
    /// No upper bound on the digits.
    pub(super) const ANY: u32 = u32::MAX;
}

/// Name lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Names {
    /// Three letters: `Jan`, `Mon`.
    Short,
    /// In full: `January`, `Monday`.
    Long,
}

/// How AM and PM are spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Case {
    /// `AM`, `pm`, `Am`: any case (strftime).
    Any,
    /// `AM`, `PM` only (Go's `PM`).
    Upper,
    /// `am`, `pm` only (Go's `pm`).
    Lower,
}

/// A numeric zone offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Offset {
    /// strftime's `%z` with 0 to 3 colons (`%z`, `%:z`, `%::z`, `%:::z`):
    ///
    /// - `%z`: `Z`, `±hh`, `±hhmm`, `±hh:mm` or `±hh:mm:ss`;
    /// - `%:z`: `Z` or `±hh:mm`;
    /// - `%::z`: `Z` or `±hh:mm:ss`;
    /// - `%:::z`: `Z`, `±hh`, `±hh:mm` or `±hh:mm:ss`.
    ///
    /// Hours 00–23, minutes and seconds 00–59, two digits each.
    Strftime(u8),
    /// A Go offset: sign, two-digit hours, then (per the flags) a colon,
    /// two-digit minutes, a colon, two-digit seconds. `z`: `Z` alone
    /// means UTC. Hours up to 24, minutes and seconds up to 60 (Go's
    /// ranges).
    Go { minutes: bool, seconds: bool, colons: bool, z: bool },
}

/// A zone name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Zone {
    /// strftime's `%Z`: the run of `A`–`Z` there, which must be 3 letters,
    /// 4 ending in `T` (or `WITA`), or 5 ending in `T`.
    Strftime,
    /// Go's `MST`: `UTC`; `GMT` with an optional `±h` or `±hh` (up to
    /// 23); `±h` or `±hh` alone; `ChST` or `MeST`; otherwise 3 capital
    /// letters, 4 ending in `T` (or `WITA`), or 5 ending in `T`.
    Go,
}

/// One step of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Item {
    /// Bytes that must be there as written.
    Literal(Box<[u8]>),
    /// Go's layout space: one or more spaces, or none at the end of the
    /// value.
    Spaces,
    /// strftime's `%t` and `%n`: one or more ASCII whitespace bytes.
    Whitespace,
    /// A number.
    Number(Number),
    /// A fraction of a second.
    Fraction(Fraction),
    /// A month name.
    Month(Names),
    /// A weekday name.
    Weekday(Names),
    /// AM or PM.
    AmPm(Case),
    /// A numeric zone offset.
    Offset(Offset),
    /// A zone name.
    Zone(Zone),
    /// strftime's `%s`: an optional `-`, then 1 to 19 digits of seconds
    /// since the epoch, setting the date and the time of day (in UTC).
    UnixSeconds,
}

/// A compiled pattern: its items and its dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Pattern {
    items: Box<[Item]>,
    dialect: Dialect,
}

impl Pattern {
    /// A pattern of `items`, read with `dialect`'s rules.
    pub(super) fn new(items: Vec<Item>, dialect: Dialect) -> Pattern {
        Pattern { items: items.into_boxed_slice(), dialect }
    }

    /// The items, for tests.
    #[cfg(test)]
    pub(super) fn items(&self) -> &[Item] {
        &self.items
    }

    /// Matches the whole of `s`; `None` if it does not match or does not
    /// name an instant within 0001..=9999.
    ///
    /// # Complexity
    ///
    /// Linear in the length of `s` plus the pattern's items; no
    /// allocation.
    pub(super) fn parse(&self, s: &[u8]) -> Option<Timestamp> {
        let mut fields = Fields::default();
        let mut at = 0;
        for item in &self.items {
            at = read(item, s, at, &mut fields)?;
        }
        if at != s.len() {
            return None;
        }
        fields.resolve(self.dialect)
    }
}

/// Which day a week starts on, as a weekday number (0 = Sunday).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WeekStart {
    Sunday = 0,
    Monday = 1,
    /// ISO weeks: the week of January 4th (a Thursday's week) is week 1.
    Thursday = 4,
}

/// What a value said, field by field.
#[derive(Clone, Copy, Debug, Default)]
struct Fields {
    year: Option<i64>,
    /// Whether `year` is an ISO week-based year (`%G`, `%g`).
    iso_year: bool,
    century: Option<i64>,
    month: Option<u32>,
    day: Option<u32>,
    year_day: Option<u32>,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// `Some(true)` for PM, `Some(false)` for AM.
    pm: Option<bool>,
    week: Option<(u32, WeekStart)>,
    /// 1 = Sunday .. 7 = Saturday.
    weekday: Option<u32>,
    /// Seconds east of UTC.
    offset: Option<i64>,
    /// An explicit UTC (Go's `Z` or `UTC`), which wins over an offset.
    utc: bool,
}

impl Fields {
    fn set(&mut self, field: Field, v: u32) {
        match field {
            Field::Year => {
                (self.year, self.iso_year) = (Some(v.into()), false)
            }
            Field::Year2 => {
                (self.year, self.iso_year) = (Some(two_digit_year(v)), false);
            }
            Field::Century => self.century = Some(v.into()),
            Field::IsoYear => {
                (self.year, self.iso_year) = (Some(v.into()), true)
            }
            Field::IsoYear2 => {
                (self.year, self.iso_year) = (Some(two_digit_year(v)), true);
            }
            Field::Month => self.month = Some(v),
            Field::Day => self.day = Some(v),
            Field::YearDay => self.year_day = Some(v),
            Field::Hour => self.hour = v,
            Field::Hour12 => self.hour = v % 12,
            Field::Minute => self.minute = v,
            Field::Second => self.second = v,
            Field::IsoWeek => self.week = Some((v, WeekStart::Thursday)),
            Field::SundayWeek => self.week = Some((v, WeekStart::Sunday)),
            Field::MondayWeek => self.week = Some((v, WeekStart::Monday)),
            Field::WeekdayFrom0 => self.weekday = Some(v + 1),
            Field::WeekdayFrom1 => self.weekday = Some(v % 7 + 1),
        }
    }

    /// Sets the date and time of day from seconds since the epoch.
    fn set_unix(&mut self, secs: i64) {
        let (y, m, d) = civil_from_days(secs.div_euclid(SECS_PER_DAY));
        let tod = secs.rem_euclid(SECS_PER_DAY);
        (self.year, self.iso_year) = (Some(y), false);
        (self.month, self.day) = (Some(m), Some(d));
        // In 0..86_400: each part fits.
        self.hour = u32::try_from(tod / 3600).unwrap_or(0);
        self.minute = u32::try_from(tod / 60 % 60).unwrap_or(0);
        self.second = u32::try_from(tod % 60).unwrap_or(0);
    }

    /// The instant the fields name, by `dialect`'s rules.
    fn resolve(self, dialect: Dialect) -> Option<Timestamp> {
        let days = match dialect {
            Dialect::Strftime => self.strftime_days()?,
            Dialect::Layout => self.layout_days()?,
        };
        let hour = i64::from(match (dialect, self.pm) {
            (Dialect::Strftime, Some(true)) => self.hour + 12,
            (Dialect::Layout, Some(true)) if self.hour < 12 => self.hour + 12,
            (Dialect::Layout, Some(false)) if self.hour == 12 => 0,
            _ => self.hour,
        });
        if hour > 23 {
            return None;
        }
        let offset = if self.utc { 0 } else { self.offset.unwrap_or(0) };
        let secs = days * SECS_PER_DAY
            + hour * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - offset;
        Timestamp::from_unix(secs, self.nanos)
    }

    /// The day (since the epoch) by timefmt's rules: year 1900 and month 1
    /// by default; without a day of the month, a day of the year or a
    /// week date gives the day, else it is 1.
    fn strftime_days(&self) -> Option<i64> {
        let mut year = self.year.unwrap_or(1900);
        if let Some(century) = self.century {
            year = century * 100 + year.rem_euclid(100);
        }
        let month = self.month.unwrap_or(1);
        if let Some(day) = self.day {
            return date(year, month, day);
        }
        if let Some(year_day) = self.year_day {
            if self.iso_year {
                return None; // `%j` needs `%Y`, as in timefmt
            }
            let in_year = if is_leap_year(year) { 366 } else { 365 };
            if year_day > in_year {
                return None;
            }
            return Some(
                days_from_civil(year, 1, 1) + i64::from(year_day) - 1,
            );
        }
        if let Some((week, start)) = self.week {
            // `%V` counts in ISO years (`%G`), `%U` and `%W` in plain ones.
            if (start == WeekStart::Thursday) != self.iso_year {
                return None;
            }
            return Some(week_date(year, week, start, self.weekday));
        }
        date(year, month, 1)
    }

    /// The day (since the epoch) by Go's rules: year 0 by default
    /// (which then fails), month and day 1; a day of the year must agree
    /// with a month and a day given beside it.
    fn layout_days(&self) -> Option<i64> {
        let year = self.year.unwrap_or(0);
        let Some(year_day) = self.year_day else {
            return date(year, self.month.unwrap_or(1), self.day.unwrap_or(1));
        };
        let start = days_from_civil(year, 1, 1);
        let in_year = if is_leap_year(year) { 366 } else { 365 };
        if year_day > in_year {
            return None;
        }
        let days = start + i64::from(year_day) - 1;
        let (_, m, d) = civil_from_days(days);
        if self.month.is_some_and(|x| x != m)
            || self.day.is_some_and(|x| x != d)
        {
            return None;
        }
        Some(days)
    }
}

/// A two-digit year: 69–99 are 1969–1999, 00–68 are 2000–2068.
fn two_digit_year(v: u32) -> i64 {
    i64::from(v) + if v < 69 { 2000 } else { 1900 }
}

/// The day (since the epoch) of a date that exists.
fn date(year: i64, month: u32, day: u32) -> Option<i64> {
    if (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
    {
        Some(days_from_civil(year, month, day))
    } else {
        None
    }
}

/// The weekday of a day since the epoch: 0 = Sunday (1970-01-01 was a
/// Thursday).
fn weekday_of(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

/// The day of a week date: week `week` of `year` (weeks starting on
/// `start`), on `weekday` (1 = Sunday .. 7 = Saturday; by default the
/// first day of the week).
///
/// Weeks are counted from the week holding day `-start` of January
/// (December 31st, 30th or 27th of the year before), so that week 1 is
/// the first week that starts (Sunday, Monday) in the year or, for ISO
/// weeks, the week of January 4th. Sunday ends a week that starts on
/// Monday, so it belongs to the next count.
fn week_date(
    year: i64,
    week: u32,
    start: WeekStart,
    weekday: Option<u32>,
) -> i64 {
    let weekday = i64::from(weekday.unwrap_or(match start {
        WeekStart::Sunday => 1,
        WeekStart::Monday | WeekStart::Thursday => 2,
    }));
    let mut week = i64::from(week);
    if start != WeekStart::Sunday && weekday == 1 {
        week += 1;
    }
    let anchor = days_from_civil(year, 1, 1) - 1 - start as i64;
    anchor - weekday_of(anchor) + week * 7 + weekday - 1
}

/// Reads `item` from `s` at `at`; returns where the next item starts.
#[inline]
fn read(item: &Item, s: &[u8], at: usize, f: &mut Fields) -> Option<usize> {
    let rest = s.get(at..)?;
    let used = match item {
        Item::Literal(lit) => {
            if !rest.starts_with(lit) {
                return None;
            }
            lit.len()
        }
        Item::Spaces => {
            let n = rest.iter().take_while(|&&b| b == b' ').count();
            if n == 0 && !rest.is_empty() {
                return None;
            }
            n
        }
        Item::Whitespace => {
            let n = rest
                .iter()
                .take_while(|&&b| matches!(b, b' ' | b'\t'..=b'\r'))
                .count();
            if n == 0 {
                return None;
            }
            n
        }
        Item::Number(n) => {
            let (v, used) = number(rest, n)?;
            f.set(n.field, v);
            used
        }
        Item::Fraction(fr) => {
            let (nanos, used) = fraction(rest, fr)?;
            if used > 0 {
                f.nanos = nanos;
            }
            used
        }
        Item::Month(names) => {
            let (i, used) = name(rest, &MONTHS, *names)?;
            f.month = Some(i + 1);
            used
        }
        Item::Weekday(names) => {
            let (i, used) = name(rest, &WEEKDAYS, *names)?;
            f.weekday = Some(i + 1);
            used
        }
        Item::AmPm(case) => {
            let (pm, used) = am_pm(rest, *case)?;
            f.pm = Some(pm);
            used
        }
        Item::Offset(Offset::Strftime(colons)) => {
            let (offset, used) = strftime_offset(rest, *colons)?;
            f.offset = Some(offset);
            used
        }
        Item::Offset(Offset::Go { minutes, seconds, colons, z }) => {
            if *z && rest.first() == Some(&b'Z') {
                f.utc = true;
                1
            } else {
                let (offset, used) =
                    go_offset(rest, *minutes, *seconds, *colons)?;
                f.offset = Some(offset);
                used
            }
        }
        Item::Zone(Zone::Strftime) => strftime_zone(rest)?,
        Item::Zone(Zone::Go) => {
            if rest.starts_with(b"UTC") {
                f.utc = true;
                3
            } else {
                go_zone(rest)?
            }
        }
        Item::UnixSeconds => {
            let (secs, used) = unix_seconds(rest)?;
            f.set_unix(secs);
            used
        }
    };
    at.checked_add(used)
}

/// English month names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English weekday names, Sunday first.
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Leading ASCII digits of `s`, at most `max`.
#[inline]
fn digits(s: &[u8], max: usize) -> usize {
    s.iter().take(max).take_while(|b| b.is_ascii_digit()).count()
}

/// Reads a number item; returns its value and the bytes used.
#[inline]
fn number(s: &[u8], n: &Number) -> Option<(u32, usize)> {
    let pad = s
        .iter()
        .take(usize::from(n.spaces))
        .take_while(|&&b| b == b' ')
        .count();
    let body = s.get(pad..)?;
    let len = digits(body, usize::from(n.max));
    if len < usize::from(n.min) {
        return None;
    }
    let v = body.get(..len)?.iter().fold(0u32, |v, &d| {
        v.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    });
    if v < u32::from(n.lo) || v > u32::from(n.hi) {
        return None;
    }
    Some((v, pad + len))
}

/// Reads a fraction item; returns the nanoseconds and the bytes used (0
/// for an optional fraction that is not there).
#[inline]
fn fraction(s: &[u8], fr: &Fraction) -> Option<(u32, usize)> {
    let sep = match (fr.sep, s.first()) {
        (Sep::None, _) => 0,
        (Sep::Dot, Some(b'.')) | (Sep::DotOrComma, Some(b'.' | b',')) => 1,
        _ if fr.optional => return Some((0, 0)),
        _ => return None,
    };
    let body = s.get(sep..)?;
    let max = usize::try_from(fr.max).unwrap_or(usize::MAX);
    let len = digits(body, max);
    if len == 0 && fr.optional {
        return Some((0, 0));
    }
    if len < usize::try_from(fr.min).unwrap_or(usize::MAX) {
        return None;
    }
    let kept = body.get(..len.min(FRACTION_DIGITS as usize))?;
    let mut nanos = 0u32;
    for &d in kept {
        nanos = nanos * 10 + u32::from(d - b'0');
    }
    for _ in kept.len()..FRACTION_DIGITS as usize {
        nanos *= 10;
    }
    Some((nanos, sep + len))
}

/// Reads one of `names` (in full or its first three letters), ASCII
/// case-insensitively; returns its index and length.
fn name(s: &[u8], names: &[&str], len: Names) -> Option<(u32, usize)> {
    names.iter().zip(0u32..).find_map(|(full, i)| {
        let want = match len {
            Names::Long => full.as_bytes(),
            Names::Short => full.as_bytes().get(..3)?,
        };
        let got = s.get(..want.len())?;
        got.eq_ignore_ascii_case(want).then_some((i, want.len()))
    })
}

/// Reads `AM` or `PM`; returns whether it is PM.
fn am_pm(s: &[u8], case: Case) -> Option<(bool, usize)> {
    let two = s.get(..2)?;
    let pm = match (case, two) {
        (Case::Upper, b"AM") | (Case::Lower, b"am") => false,
        (Case::Upper, b"PM") | (Case::Lower, b"pm") => true,
        (Case::Any, _) if two.eq_ignore_ascii_case(b"AM") => false,
        (Case::Any, _) if two.eq_ignore_ascii_case(b"PM") => true,
        _ => return None,
    };
    Some((pm, 2))
}

/// Exactly two digits at `at`, at most `hi`.
fn two_digits(s: &[u8], at: usize, hi: u32) -> Option<u32> {
    match s.get(at..at + 2)? {
        &[a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            let v = u32::from(a - b'0') * 10 + u32::from(b - b'0');
            (v <= hi).then_some(v)
        }
        _ => None,
    }
}

/// The sign of an offset: `+` is 1, `-` is -1.
fn sign(b: Option<&u8>) -> Option<i64> {
    match b {
        Some(b'+') => Some(1),
        Some(b'-') => Some(-1),
        _ => None,
    }
}

/// Reads strftime's `%z` with `colons` colons (see [`Offset::Strftime`]);
/// returns seconds east of UTC.
fn strftime_offset(s: &[u8], colons: u8) -> Option<(i64, usize)> {
    if s.first() == Some(&b'Z') {
        return Some((0, 1));
    }
    let sign = sign(s.first())?;
    let hours = two_digits(s, 1, 23)?;
    let mut at = 3;
    // `%z` takes a colon if one is there; then it may take seconds too.
    let colon = s.get(at) == Some(&b':');
    if colon {
        at += 1;
    } else if colons == 1 || colons == 2 {
        return None;
    }
    let mut minutes = 0;
    let mut seconds = 0;
    match two_digits(s, at, 59) {
        Some(m) => {
            minutes = m;
            at += 2;
            let more = colons >= 2 || (colons == 0 && colon);
            if more && s.get(at) == Some(&b':') {
                match two_digits(s, at + 1, 59) {
                    Some(sec) => (seconds, at) = (sec, at + 3),
                    None if colons == 2 => return None,
                    None => {}
                }
            } else if colons == 2 {
                return None;
            }
        }
        // `%z` and `%:::z` make the minutes optional (a colon taken
        // before them stays taken, as in timefmt).
        None if (colons == 0 && !colon) || colons == 3 => {}
        None => return None,
    }
    let secs = i64::from(hours * 3600 + minutes * 60 + seconds);
    Some((sign * secs, at))
}

/// Reads a Go numeric offset (see [`Offset::Go`]); returns seconds east
/// of UTC.
fn go_offset(
    s: &[u8],
    minutes: bool,
    seconds: bool,
    colons: bool,
) -> Option<(i64, usize)> {
    let sign = sign(s.first())?;
    let hours = two_digits(s, 1, 24)?;
    let mut at = 3;
    let part = |at: &mut usize| -> Option<u32> {
        if colons {
            if s.get(*at) != Some(&b':') {
                return None;
            }
            *at += 1;
        }
        let v = two_digits(s, *at, 60)?;
        *at += 2;
        Some(v)
    };
    let m = if minutes { part(&mut at)? } else { 0 };
    let sec = if seconds { part(&mut at)? } else { 0 };
    Some((sign * i64::from(hours * 3600 + m * 60 + sec), at))
}

/// Whether a run of `n` capital letters `run` (as many as there are, up
/// to 6) is a zone abbreviation in Go's eyes: 3 letters, 4 ending in `T`
/// (or `WITA`), 5 ending in `T`.
fn capitals_are_zone(run: &[u8]) -> bool {
    match run.len() {
        3 => true,
        4 => run.ends_with(b"T") || run == b"WITA",
        5 => run.ends_with(b"T"),
        _ => false,
    }
}

/// The length of the run of capital letters at the start of `s`, up to 6.
fn capitals(s: &[u8]) -> usize {
    s.iter().take(6).take_while(|b| b.is_ascii_uppercase()).count()
}

/// Reads strftime's `%Z` (see [`Zone::Strftime`]); returns its length.
fn strftime_zone(s: &[u8]) -> Option<usize> {
    let n = s.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let run = s.get(..n)?;
    // `UTC` and `GMT` are three letters; longer runs starting so are not
    // names Go reads.
    let utc_like =
        n > 3 && (run.starts_with(b"UTC") || run.starts_with(b"GMT"));
    (capitals_are_zone(run) && !utc_like).then_some(n)
}

/// The length of `±h…` (a sign and digits worth at most 23) at the start
/// of `s`; 0 if there is none.
fn signed_hours(s: &[u8]) -> usize {
    if sign(s.first()).is_none() {
        return 0;
    }
    let body = s.get(1..).unwrap_or_default();
    let n = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let value = body.iter().take(n).try_fold(0u32, |v, &d| {
        v.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    });
    match value {
        Some(v) if n > 0 && v <= 23 => 1 + n,
        _ => 0,
    }
}

/// Reads Go's `MST` other than `UTC` (see [`Zone::Go`]); returns its
/// length.
fn go_zone(s: &[u8]) -> Option<usize> {
    if s.len() < 3 {
        return None;
    }
    if s.starts_with(b"ChST") || s.starts_with(b"MeST") {
        return Some(4);
    }
    if let Some(rest) = s.strip_prefix(b"GMT") {
        return Some(3 + signed_hours(rest));
    }
    if sign(s.first()).is_some() {
        return match signed_hours(s) {
            0 => None,
            n => Some(n),
        };
    }
    let n = capitals(s);
    let run = s.get(..n)?;
    capitals_are_zone(run).then_some(n)
}

/// Reads `%s`: an optional `-` and 1 to 19 digits of seconds since the
/// epoch, within 0001..=9999.
fn unix_seconds(s: &[u8]) -> Option<(i64, usize)> {
    let neg = s.first() == Some(&b'-');
    let body = s.get(usize::from(neg)..)?;
    let len = digits(body, 19);
    if len == 0 {
        return None;
    }
    let mut v: i64 = 0;
    for &d in body.get(..len)? {
        v = v.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    let secs = if neg { -v } else { v };
    Timestamp::from_unix(secs, 0)?;
    Some((secs, usize::from(neg) + len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(items: Vec<Item>, dialect: Dialect, s: &str) -> Option<String> {
        Pattern::new(items, dialect).parse(s.as_bytes()).map(|t| t.to_string())
    }

    fn lit(s: &str) -> Item {
        Item::Literal(s.as_bytes().into())
    }

    fn num(field: Field, max: u8, lo: u16, hi: u16) -> Item {
        Item::Number(Number::new(field, max, lo, hi))
    }

    #[test]
    fn numbers_are_greedy_and_ranged() {
        let n = Number::new(Field::Month, 2, 1, 12);
        assert_eq!(number(b"12x", &n), Some((12, 2)));
        assert_eq!(number(b"1x", &n), Some((1, 1)));
        assert_eq!(number(b"123", &n), Some((12, 2)));
        assert_eq!(number(b"13", &n), None);
        assert_eq!(number(b"0", &n), None);
        assert_eq!(number(b"x", &n), None);
        assert_eq!(number(b"", &n), None);
        assert_eq!(number(b" 1", &n), None);
        assert_eq!(number(b" 1", &n.spaces(1)), Some((1, 2)));
        assert_eq!(number(b"  1", &n.spaces(1)), None);
        assert_eq!(number(b"  1", &n.spaces(2)), Some((1, 3)));
        assert_eq!(number(b"1", &n.fixed()), None);
        assert_eq!(number(b"01", &n.fixed()), Some((1, 2)));
        // Non-ASCII digits are not digits.
        assert_eq!(number("١".as_bytes(), &n), None);
    }

    #[test]
    fn fractions_scale_and_truncate() {
        let f = |sep, min, max, optional, s: &str| {
            fraction(s.as_bytes(), &Fraction { sep, min, max, optional })
        };
        assert_eq!(f(Sep::None, 1, 6, false, "5"), Some((500_000_000, 1)));
        assert_eq!(
            f(Sep::None, 1, 6, false, "123456"),
            Some((123_456_000, 6))
        );
        assert_eq!(
            f(Sep::None, 1, 6, false, "1234567"),
            Some((123_456_000, 6))
        );
        assert_eq!(f(Sep::None, 1, 6, false, "x"), None);
        assert_eq!(f(Sep::None, 1, 3, false, "0123"), Some((12_000_000, 3)));
        let any = Fraction::ANY;
        assert_eq!(
            f(Sep::None, 1, any, false, "123456789987"),
            Some((123_456_789, 12))
        );
        assert_eq!(f(Sep::Dot, 1, any, true, ".25Z"), Some((250_000_000, 3)));
        assert_eq!(f(Sep::Dot, 1, any, true, ",25"), Some((0, 0)));
        assert_eq!(f(Sep::Dot, 1, any, true, ".Z"), Some((0, 0)));
        assert_eq!(f(Sep::Dot, 1, any, true, ""), Some((0, 0)));
        assert_eq!(
            f(Sep::DotOrComma, 3, 3, false, ",123"),
            Some((123_000_000, 4))
        );
        assert_eq!(f(Sep::DotOrComma, 3, 3, false, ".12"), None);
        assert_eq!(f(Sep::DotOrComma, 3, 3, false, "123"), None);
        assert_eq!(
            f(Sep::DotOrComma, 3, 3, false, ".1234"),
            Some((123_000_000, 4))
        );
    }

    #[test]
    fn names_fold_ascii_case() {
        assert_eq!(name(b"jan", &MONTHS, Names::Short), Some((0, 3)));
        assert_eq!(name(b"DECEMBER", &MONTHS, Names::Long), Some((11, 8)));
        assert_eq!(name(b"January", &MONTHS, Names::Short), Some((0, 3)));
        assert_eq!(name(b"Janu", &MONTHS, Names::Long), None);
        assert_eq!(name(b"Sept", &MONTHS, Names::Short), Some((8, 3)));
        assert_eq!(name(b"Ja", &MONTHS, Names::Short), None);
        assert_eq!(name(b"sat", &WEEKDAYS, Names::Short), Some((6, 3)));
        assert_eq!(name(b"Thursday", &WEEKDAYS, Names::Long), Some((4, 8)));
    }

    #[test]
    fn am_pm_by_case() {
        assert_eq!(am_pm(b"pm", Case::Any), Some((true, 2)));
        assert_eq!(am_pm(b"Am", Case::Any), Some((false, 2)));
        assert_eq!(am_pm(b"PM", Case::Upper), Some((true, 2)));
        assert_eq!(am_pm(b"pm", Case::Upper), None);
        assert_eq!(am_pm(b"am", Case::Lower), Some((false, 2)));
        assert_eq!(am_pm(b"AM", Case::Lower), None);
        assert_eq!(am_pm(b"P", Case::Any), None);
        assert_eq!(am_pm(b"XM", Case::Any), None);
    }

    #[test]
    fn strftime_offsets() {
        let z = |colons, s: &str| strftime_offset(s.as_bytes(), colons);
        for colons in 0..=3 {
            assert_eq!(z(colons, "Z"), Some((0, 1)));
            assert_eq!(z(colons, "0000"), None);
            assert_eq!(z(colons, "+2400"), None);
            assert_eq!(z(colons, "+1"), None);
        }
        // `%z`
        assert_eq!(z(0, "+0530"), Some((19_800, 5)));
        assert_eq!(z(0, "-0530"), Some((-19_800, 5)));
        assert_eq!(z(0, "+05:30"), Some((19_800, 6)));
        assert_eq!(z(0, "+05"), Some((18_000, 3)));
        assert_eq!(z(0, "+05:30:15"), Some((19_815, 9)));
        assert_eq!(z(0, "+053015"), Some((19_800, 5)));
        assert_eq!(z(0, "+0560"), Some((18_000, 3)));
        assert_eq!(z(0, "+05:"), None);
        assert_eq!(z(0, "+05:3"), None);
        // `%:z`
        assert_eq!(z(1, "+05:30"), Some((19_800, 6)));
        assert_eq!(z(1, "+0530"), None);
        assert_eq!(z(1, "+05"), None);
        assert_eq!(z(1, "+05:30:15"), Some((19_800, 6)));
        // `%::z`
        assert_eq!(z(2, "+05:30:15"), Some((19_815, 9)));
        assert_eq!(z(2, "+05:30"), None);
        assert_eq!(z(2, "+05:30:1"), None);
        // `%:::z`
        assert_eq!(z(3, "+05"), Some((18_000, 3)));
        assert_eq!(z(3, "+0530"), Some((19_800, 5)));
        assert_eq!(z(3, "+05:30"), Some((19_800, 6)));
        assert_eq!(z(3, "-05:30:15"), Some((-19_815, 9)));
        assert_eq!(z(3, "+05:30:"), Some((19_800, 6)));
    }

    #[test]
    fn go_offsets() {
        let z = |m, s, c, v: &str| go_offset(v.as_bytes(), m, s, c);
        assert_eq!(z(true, false, false, "-0700"), Some((-25_200, 5)));
        assert_eq!(z(true, false, true, "+07:30"), Some((27_000, 6)));
        assert_eq!(z(false, false, false, "+07"), Some((25_200, 3)));
        assert_eq!(z(true, true, false, "+073015"), Some((27_015, 7)));
        assert_eq!(z(true, true, true, "+07:30:15"), Some((27_015, 9)));
        // Go's ranges: hours up to 24, minutes and seconds up to 60.
        assert_eq!(z(true, false, false, "+2460"), Some((90_000, 5)));
        assert_eq!(z(true, false, false, "+2500"), None);
        assert_eq!(z(true, false, false, "+0761"), None);
        assert_eq!(z(true, false, true, "+0730"), None);
        assert_eq!(z(true, false, false, "+07:30"), None);
        assert_eq!(z(true, false, false, "0700"), None);
        assert_eq!(z(true, false, false, "+070"), None);
    }

    #[test]
    fn zone_names() {
        let s = |v: &str| strftime_zone(v.as_bytes());
        assert_eq!(s("UTC"), Some(3));
        assert_eq!(s("GMT"), Some(3));
        assert_eq!(s("PST rest"), Some(3));
        assert_eq!(s("CEST"), Some(4));
        assert_eq!(s("WITA"), Some(4));
        assert_eq!(s("ACDT1"), Some(4));
        assert_eq!(s("ACWST"), Some(5));
        assert_eq!(s("ABCD"), None);
        assert_eq!(s("ABCDE"), None);
        assert_eq!(s("ABCDEFT"), None);
        assert_eq!(s("UTCT"), None);
        assert_eq!(s("PS"), None);
        assert_eq!(s("pst"), None);
        assert_eq!(s(""), None);
        let g = |v: &str| go_zone(v.as_bytes());
        assert_eq!(g("PST"), Some(3));
        assert_eq!(g("CEST"), Some(4));
        assert_eq!(g("ChST"), Some(4));
        assert_eq!(g("MeST"), Some(4));
        assert_eq!(g("GMT"), Some(3));
        assert_eq!(g("GMT+3"), Some(5));
        assert_eq!(g("GMT-11"), Some(6));
        assert_eq!(g("GMT+24"), Some(3));
        assert_eq!(g("+07"), Some(3));
        assert_eq!(g("-7x"), Some(2));
        assert_eq!(g("+0700"), None);
        assert_eq!(g("+x"), None);
        assert_eq!(g("ABCD"), None);
        assert_eq!(g("ABCDET"), None);
        assert_eq!(g("ABCDEFT"), None);
        assert_eq!(g("AB"), None);
        assert_eq!(g("PS1"), None);
        assert_eq!(g("Pst"), None);
    }

    #[test]
    fn unix_seconds_in_range() {
        assert_eq!(unix_seconds(b"0"), Some((0, 1)));
        assert_eq!(unix_seconds(b"-1x"), Some((-1, 2)));
        assert_eq!(unix_seconds(b"00001"), Some((1, 5)));
        assert_eq!(unix_seconds(b"253402300799"), Some((253_402_300_799, 12)));
        assert_eq!(unix_seconds(b"253402300800"), None);
        assert_eq!(unix_seconds(b"-62135596801"), None);
        assert_eq!(unix_seconds(b"99999999999999999999"), None);
        assert_eq!(unix_seconds(b"-"), None);
        assert_eq!(unix_seconds(b"+1"), None);
    }

    #[test]
    fn strftime_defaults() {
        let p = |items, s| parse(items, Dialect::Strftime, s);
        // No year: 1900, as Panther.
        let md = vec![
            num(Field::Month, 2, 1, 12),
            lit("/"),
            num(Field::Day, 2, 1, 31),
        ];
        assert_eq!(p(md.clone(), "02/29").as_deref(), None);
        assert_eq!(
            p(md, "12/31").as_deref(),
            Some("1900-12-31 00:00:00.000000000")
        );
        assert_eq!(
            p(vec![num(Field::Hour, 2, 0, 23)], "7").as_deref(),
            Some("1900-01-01 07:00:00.000000000")
        );
        // Century and two-digit year.
        let cy =
            vec![num(Field::Century, 2, 0, 99), num(Field::Year2, 2, 0, 99)];
        assert_eq!(
            p(cy.clone(), "2099").as_deref(),
            Some("2099-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p(cy, "1970").as_deref(),
            Some("1970-01-01 00:00:00.000000000")
        );
        let c = vec![num(Field::Century, 2, 0, 99)];
        assert_eq!(
            p(c, "20").as_deref(),
            Some("2000-01-01 00:00:00.000000000")
        );
        let y = vec![num(Field::Year2, 2, 0, 99)];
        assert_eq!(
            p(y.clone(), "68").as_deref(),
            Some("2068-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p(y, "69").as_deref(),
            Some("1969-01-01 00:00:00.000000000")
        );
    }

    #[test]
    fn strftime_am_pm() {
        let items =
            |h: Field| vec![num(h, 2, 0, 23), lit(" "), Item::AmPm(Case::Any)];
        let p = |h, s| parse(items(h), Dialect::Strftime, s);
        assert_eq!(
            p(Field::Hour12, "12 AM").as_deref(),
            Some("1900-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p(Field::Hour12, "12 PM").as_deref(),
            Some("1900-01-01 12:00:00.000000000")
        );
        assert_eq!(
            p(Field::Hour12, "1 pm").as_deref(),
            Some("1900-01-01 13:00:00.000000000")
        );
        // PM adds 12 to any hour, so a 24-hour 13 PM is 25: no such hour.
        assert_eq!(
            p(Field::Hour, "1 PM").as_deref(),
            Some("1900-01-01 13:00:00.000000000")
        );
        assert_eq!(p(Field::Hour, "13 PM"), None);
        // Without AM/PM, %I is AM.
        let i = vec![num(Field::Hour12, 2, 1, 12)];
        assert_eq!(
            parse(i, Dialect::Strftime, "12").as_deref(),
            Some("1900-01-01 00:00:00.000000000")
        );
    }

    #[test]
    fn layout_am_pm_and_year() {
        let items = vec![
            num(Field::Year, 4, 0, 9999),
            lit(" "),
            num(Field::Hour, 2, 0, 12),
            Item::AmPm(Case::Upper),
        ];
        let p = |s| parse(items.clone(), Dialect::Layout, s);
        assert_eq!(
            p("2024 12AM").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p("2024 12PM").as_deref(),
            Some("2024-01-01 12:00:00.000000000")
        );
        assert_eq!(
            p("2024 1PM").as_deref(),
            Some("2024-01-01 13:00:00.000000000")
        );
        assert_eq!(
            p("2024 0AM").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(p("2024 1pm"), None);
        // No year: year 0, out of range.
        let h = vec![num(Field::Hour, 2, 0, 23)];
        assert_eq!(parse(h, Dialect::Layout, "7"), None);
    }

    #[test]
    fn year_days() {
        let items = vec![
            num(Field::Year, 4, 0, 9999),
            lit("-"),
            num(Field::YearDay, 3, 1, 366),
        ];
        for dialect in [Dialect::Strftime, Dialect::Layout] {
            let p = |s| parse(items.clone(), dialect, s);
            assert_eq!(
                p("2024-060").as_deref(),
                Some("2024-02-29 00:00:00.000000000")
            );
            assert_eq!(
                p("2024-366").as_deref(),
                Some("2024-12-31 00:00:00.000000000")
            );
            assert_eq!(
                p("2023-365").as_deref(),
                Some("2023-12-31 00:00:00.000000000")
            );
            assert_eq!(p("2023-366"), None);
            assert_eq!(p("2023-000"), None);
            assert_eq!(
                p("2023-1").as_deref(),
                Some("2023-01-01 00:00:00.000000000")
            );
        }
        // Go checks a day of the year against the month and day.
        let both = vec![
            num(Field::Year, 4, 0, 9999),
            lit("-"),
            num(Field::YearDay, 3, 1, 366),
            lit(" "),
            num(Field::Month, 2, 1, 12),
            lit("/"),
            num(Field::Day, 2, 1, 31),
        ];
        let p = |d, s| parse(both.clone(), d, s);
        assert_eq!(
            p(Dialect::Layout, "2024-060 02/29").as_deref(),
            Some("2024-02-29 00:00:00.000000000")
        );
        assert_eq!(p(Dialect::Layout, "2024-060 03/01"), None);
        // strftime: the day of the month wins.
        assert_eq!(
            p(Dialect::Strftime, "2024-060 03/01").as_deref(),
            Some("2024-03-01 00:00:00.000000000")
        );
    }

    /// Week dates against chrono's ISO week and `%U`/`%W` arithmetic.
    fn week_items(week: Field, year: Field) -> Vec<Item> {
        vec![
            num(year, 4, 0, 9999),
            lit("-"),
            num(week, 2, 0, 53),
            lit("-"),
            num(Field::WeekdayFrom1, 1, 1, 7),
        ]
    }

    #[test]
    fn week_dates() {
        let iso = week_items(Field::IsoWeek, Field::IsoYear);
        let p =
            |items: &Vec<Item>, s| parse(items.clone(), Dialect::Strftime, s);
        assert_eq!(
            p(&iso, "2024-01-1").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p(&iso, "2024-01-7").as_deref(),
            Some("2024-01-07 00:00:00.000000000")
        );
        assert_eq!(
            p(&iso, "2021-01-1").as_deref(),
            Some("2021-01-04 00:00:00.000000000")
        );
        assert_eq!(
            p(&iso, "2020-53-7").as_deref(),
            Some("2021-01-03 00:00:00.000000000")
        );
        // %V needs %G; %U and %W need %Y.
        let wrong = week_items(Field::IsoWeek, Field::Year);
        assert_eq!(p(&wrong, "2024-01-1"), None);
        let wrong = week_items(Field::MondayWeek, Field::IsoYear);
        assert_eq!(p(&wrong, "2024-01-1"), None);
        let mon = week_items(Field::MondayWeek, Field::Year);
        assert_eq!(
            p(&mon, "2024-01-1").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p(&mon, "2023-00-7").as_deref(),
            Some("2023-01-01 00:00:00.000000000")
        );
        let sun = week_items(Field::SundayWeek, Field::Year);
        assert_eq!(
            p(&sun, "2024-00-1").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            p(&sun, "2024-01-7").as_deref(),
            Some("2024-01-07 00:00:00.000000000")
        );
        // A day of the month wins over a week.
        let mut dated = mon.clone();
        dated.extend([lit(" "), num(Field::Day, 2, 1, 31)]);
        assert_eq!(
            p(&dated, "2024-10-1 05").as_deref(),
            Some("2024-01-05 00:00:00.000000000")
        );
    }

    #[test]
    fn zones_and_offsets_resolve() {
        let base = || {
            vec![
                num(Field::Year, 4, 0, 9999),
                lit(" "),
                num(Field::Hour, 2, 0, 23),
                lit(" "),
            ]
        };
        let with = |extra: Vec<Item>| {
            let mut v = base();
            v.extend(extra);
            v
        };
        let go = |extra, s| parse(with(extra), Dialect::Layout, s);
        let off = Item::Offset(Offset::Go {
            minutes: true,
            seconds: false,
            colons: false,
            z: true,
        });
        assert_eq!(
            go(vec![off.clone()], "2024 10 +0100").as_deref(),
            Some("2024-01-01 09:00:00.000000000")
        );
        assert_eq!(
            go(vec![off.clone()], "2024 10 Z").as_deref(),
            Some("2024-01-01 10:00:00.000000000")
        );
        // A zone name is ignored; `UTC` wins over an offset.
        let both = vec![off, lit(" "), Item::Zone(Zone::Go)];
        assert_eq!(
            go(both.clone(), "2024 10 +0100 PST").as_deref(),
            Some("2024-01-01 09:00:00.000000000")
        );
        assert_eq!(
            go(both.clone(), "2024 10 +0100 UTC").as_deref(),
            Some("2024-01-01 10:00:00.000000000")
        );
        assert_eq!(
            go(both, "2024 10 +0100 GMT+3").as_deref(),
            Some("2024-01-01 09:00:00.000000000")
        );
        assert_eq!(
            go(vec![Item::Zone(Zone::Go)], "2024 10 GMT+3").as_deref(),
            Some("2024-01-01 10:00:00.000000000")
        );
        // Offsets can leave the range.
        let z = Item::Offset(Offset::Strftime(0));
        let late = vec![num(Field::Year, 4, 0, 9999), lit(" "), z];
        assert_eq!(
            parse(late.clone(), Dialect::Strftime, "9999 -0100").as_deref(),
            Some("9999-01-01 01:00:00.000000000")
        );
        assert_eq!(parse(late.clone(), Dialect::Strftime, "0001 +0100"), None);
        assert_eq!(
            parse(late, Dialect::Strftime, "0001 -0100").as_deref(),
            Some("0001-01-01 01:00:00.000000000")
        );
    }

    #[test]
    fn spaces_and_whitespace() {
        let go = vec![
            num(Field::Year, 4, 0, 9999),
            Item::Spaces,
            num(Field::Month, 2, 1, 12),
        ];
        let p = |s| parse(go.clone(), Dialect::Layout, s);
        assert_eq!(
            p("2024 2").as_deref(),
            Some("2024-02-01 00:00:00.000000000")
        );
        assert_eq!(
            p("2024   2").as_deref(),
            Some("2024-02-01 00:00:00.000000000")
        );
        assert_eq!(p("20242"), None);
        assert_eq!(p("2024\t2"), None);
        // Go's layout space matches nothing at the end of the value.
        let end = vec![num(Field::Year, 4, 0, 9999), Item::Spaces];
        assert_eq!(
            parse(end.clone(), Dialect::Layout, "2024").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(
            parse(end, Dialect::Layout, "2024 ").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        let st = vec![
            num(Field::Year, 4, 0, 9999),
            Item::Whitespace,
            num(Field::Month, 2, 1, 12),
        ];
        let p = |s| parse(st.clone(), Dialect::Strftime, s);
        assert_eq!(
            p("2024 \t\r\n\x0b\x0c2").as_deref(),
            Some("2024-02-01 00:00:00.000000000")
        );
        assert_eq!(p("20242"), None);
    }

    #[test]
    fn unix_seconds_set_every_field() {
        let items = vec![Item::UnixSeconds];
        let p = |s| parse(items.clone(), Dialect::Strftime, s);
        assert_eq!(
            p("1702857600").as_deref(),
            Some("2023-12-18 00:00:00.000000000")
        );
        assert_eq!(p("-1").as_deref(), Some("1969-12-31 23:59:59.000000000"));
        assert_eq!(
            p("-62135596800").as_deref(),
            Some("0001-01-01 00:00:00.000000000")
        );
        // Later fields override.
        let then_hour =
            vec![Item::UnixSeconds, lit(" "), num(Field::Hour, 2, 0, 23)];
        assert_eq!(
            parse(then_hour, Dialect::Strftime, "1702857600 07").as_deref(),
            Some("2023-12-18 07:00:00.000000000")
        );
    }

    #[test]
    fn value_must_be_used_up() {
        let items = vec![num(Field::Year, 4, 0, 9999)];
        assert_eq!(
            parse(items.clone(), Dialect::Strftime, "2024").as_deref(),
            Some("2024-01-01 00:00:00.000000000")
        );
        assert_eq!(parse(items.clone(), Dialect::Strftime, "20245"), None);
        assert_eq!(parse(items.clone(), Dialect::Strftime, "2024 "), None);
        assert_eq!(parse(items, Dialect::Strftime, ""), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Week dates: chrono's ISO week date is the oracle.
        #[test]
        fn iso_weeks_match_chrono(days in -719_162i64..=2_932_896) {
            use chrono::Datelike;
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            let d = epoch + chrono::Duration::days(days);
            let w = d.iso_week();
            let text = format!(
                "{:04}-{:02}-{}",
                w.year(),
                w.week(),
                d.weekday().number_from_monday()
            );
            let items = week_items(Field::IsoWeek, Field::IsoYear);
            let got = Pattern::new(items, Dialect::Strftime).parse(text.as_bytes());
            if (1..=9999).contains(&w.year()) {
                let want = Timestamp::from_unix(days * SECS_PER_DAY, 0);
                prop_assert_eq!(got, want, "{}", text);
            }
        }

        /// `%U` and `%W`: chrono's week numbers are the oracle.
        #[test]
        fn plain_weeks_match_chrono(days in -719_162i64..=2_932_896) {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            let d = epoch + chrono::Duration::days(days);
            let want = Timestamp::from_unix(days * SECS_PER_DAY, 0);
            for (field, fmt) in [(Field::SundayWeek, "%Y-%U-%u"), (Field::MondayWeek, "%Y-%W-%u")] {
                let text = d.format(fmt).to_string();
                let items = week_items(field, Field::Year);
                let got = Pattern::new(items, Dialect::Strftime).parse(text.as_bytes());
                prop_assert_eq!(got, want, "{}", text);
            }
        }
    }
}
