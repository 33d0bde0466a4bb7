//! The UTC text of a timestamp: `YYYY-MM-DD HH:MM:SS.fffffffff`.
//!
//! Hot path: every timestamp in every event goes through here, so the text
//! is built in a fixed stack buffer with calendar arithmetic (see
//! `civil.rs`) instead of chrono's formatting machinery.

use super::Timestamp;
use super::civil::civil_from_days;

/// Length of the output text.
pub(super) const LEN: usize = 29;

/// Seconds in a day.
const SECS_PER_DAY: i64 = 86_400;

/// The punctuation of the text; [`fill`] writes the digits.
const TEMPLATE: [u8; LEN] = *b"0000-00-00 00:00:00.000000000";

/// The 29 bytes of `ts` as `YYYY-MM-DD HH:MM:SS.fffffffff` (UTC).
#[inline]
pub(super) fn format(ts: Timestamp) -> [u8; LEN] {
    let mut buf = TEMPLATE;
    fill(ts, &mut buf);
    buf
}

/// Appends the text of `ts` to `out`.
///
/// The digits are stored straight into the row, not built in a stack
/// buffer and copied: that copy read back 29 bytes just written a byte
/// pair at a time, a store-forwarding stall (~2% of a Databricks.Audit
/// record's time went to its one timestamp).
#[inline]
pub(super) fn append(ts: Timestamp, out: &mut Vec<u8>) {
    if let Some(buf) = append_template(out) {
        fill(ts, buf);
    }
}

/// Appends [`TEMPLATE`] to `out` and returns it there, for the digits.
#[inline]
fn append_template(out: &mut Vec<u8>) -> Option<&mut [u8; LEN]> {
    let start = out.len();
    out.extend_from_slice(&TEMPLATE);
    out.get_mut(start..)?.try_into().ok()
}

/// Writes the digits of `ts` into `buf`, which holds [`TEMPLATE`]'s
/// punctuation.
#[inline]
fn fill(ts: Timestamp, buf: &mut [u8; LEN]) {
    let days = ts.unix_seconds().div_euclid(SECS_PER_DAY);
    if let Some(date) = buf.first_chunk_mut::<DATE_LEN>() {
        fill_date(days, date);
    }
    fill_time(ts, buf);
}

/// Length of the date, `YYYY-MM-DD`.
const DATE_LEN: usize = 10;

/// Writes the date of `days` (since 1970-01-01) into `date`, which holds
/// [`TEMPLATE`]'s dashes.
#[inline]
fn fill_date(days: i64, date: &mut [u8; DATE_LEN]) {
    let (year, month, day) = civil_from_days(days);
    // A `Timestamp` is within 0001..=9999, so four digits always suffice.
    let year = u32::try_from(year).unwrap_or(0);
    // Destructuring the fixed buffer names every digit slot: no indexing,
    // no bounds checks, and each store is a constant offset.
    let [y0, y1, y2, y3, _, mo0, mo1, _, d0, d1] = date;
    [*y0, *y1] = two(year / 100);
    [*y2, *y3] = two(year % 100);
    [*mo0, *mo1] = two(month);
    [*d0, *d1] = two(day);
}

/// Writes the time of day of `ts` into `buf` (after the date).
#[inline]
fn fill_time(ts: Timestamp, buf: &mut [u8; LEN]) {
    // In 0..86_400, so the conversion cannot fail.
    let sod =
        u32::try_from(ts.unix_seconds().rem_euclid(SECS_PER_DAY)).unwrap_or(0);
    let [
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        h0,
        h1,
        _,
        mi0,
        mi1,
        _,
        s0,
        s1,
        _,
        frac @ ..,
    ] = buf;
    [*h0, *h1] = two(sod / 3600);
    [*mi0, *mi1] = two(sod / 60 % 60);
    [*s0, *s1] = two(sod % 60);
    // Nine fraction digits: four pairs and a last digit, five divisions
    // by constants instead of nine.
    let [f0, f1, f2, f3, f4, f5, f6, f7, f8] = frac;
    let nanos = ts.subsec_nanos();
    let (high, low) = (nanos / 100_000, nanos % 100_000);
    [*f0, *f1] = two(high / 100);
    [*f2, *f3] = two(high % 100);
    [*f4, *f5] = two(low / 1000);
    [*f6, *f7] = two(low / 10 % 100);
    *f8 = b'0' + (low % 10) as u8;
}

/// The date texts of the last days written, kept by the caller (in its
/// `Scratch`) from one timestamp to the next.
///
/// The calendar arithmetic for a date (divisions by 146,097, 36,524,
/// 1,460, 365 and 153, and back when a date is read) was most of the
/// cost of a timestamp, and the timestamps of a payload fall on few days:
/// nearly always one, but a batch that crosses midnight, a backfill or
/// an export of a month interleaves several. So the cache keeps 32 days,
/// each in two direct-mapped tables: by day number (for writing) and by
/// the day of the month of its text (for reading). Each slot holds one
/// day, so any 32 consecutive days stay cached together (about 150
/// instructions less a timestamp when they alternate).
#[derive(Clone, Debug)]
pub(crate) struct DayCache {
    /// The day written last and its text, tested first: a payload of one
    /// day takes one comparison, as with no table.
    last: (i64, [u8; DATE_LEN]),
    /// The other days (boxed: 1.5 KiB inline in `Scratch` cost its other
    /// fields' users about 25 instructions a Heroku line).
    days: Box<Days>,
}

/// The tables of a [`DayCache`].
#[derive(Clone, Debug)]
struct Days {
    /// By `days % SLOTS`: days since 1970-01-01 and their text. Every
    /// entry is a true pair, from the start (1970-01-01 in every slot):
    /// a lookup needs no test of whether a slot is filled.
    by_days: [(i64, [u8; DATE_LEN]); SLOTS],
    /// The same days by [`text_slot`] of their text.
    by_text: [([u8; DATE_LEN], i64); SLOTS],
}

/// The days a [`DayCache`] keeps.
const SLOTS: usize = 32;

/// The slot of a date text in [`DayCache::by_text`]: from its day of the
/// month (`'0'` is 48, so this is the day plus 16, modulo 32: days 1 to
/// 31 of a month take distinct slots).
#[inline]
fn text_slot(date: &[u8; DATE_LEN]) -> usize {
    let [.., d0, d1] = *date;
    (usize::from(d0) * 10 + usize::from(d1)) & (SLOTS - 1)
}

/// The slot of a day number in [`DayCache::by_days`] (its low bits: the
/// remainder modulo 32, also before 1970).
#[inline]
fn days_slot(days: i64) -> usize {
    (days & (SLOTS as i64 - 1)) as usize
}

impl DayCache {
    pub(crate) fn new() -> DayCache {
        DayCache {
            last: (0, *b"1970-01-01"),
            days: Box::new(Days {
                by_days: [(0, *b"1970-01-01"); SLOTS],
                by_text: [(*b"1970-01-01", 0); SLOTS],
            }),
        }
    }

    /// The days since 1970-01-01 of `date` (`YYYY-MM-DD`) when it is a
    /// cached day's text. A cached text is always a real date, so a match
    /// needs no calendar check (the rfc3339 reader's shortcut).
    #[inline]
    pub(super) fn days_of(&self, date: &[u8; DATE_LEN]) -> Option<i64> {
        if self.last.1 == *date {
            return Some(self.last.0);
        }
        let (text, days) = self.days.by_text.get(text_slot(date))?;
        (text == date).then_some(*days)
    }

    /// The text of `days`, from the cache or computed into it.
    #[inline]
    fn date(&mut self, days: i64) -> [u8; DATE_LEN] {
        if self.last.0 != days {
            self.other_day(days);
        }
        self.last.1
    }

    /// Makes `days` the last day, from its slot or computed into it.
    #[cold]
    #[inline(never)]
    fn other_day(&mut self, days: i64) {
        let slot = days_slot(days);
        if let Some(&(d, text)) = self.days.by_days.get(slot)
            && d == days
        {
            self.last = (days, text);
            return;
        }
        let mut text = *b"0000-00-00";
        fill_date(days, &mut text);
        self.last = (days, text);
        if let Some(e) = self.days.by_days.get_mut(slot) {
            *e = (days, text);
        }
        if let Some(e) = self.days.by_text.get_mut(text_slot(&text)) {
            *e = (text, days);
        }
    }
}

/// [`append`], taking the date from `cache` when it holds the day.
#[inline]
pub(super) fn append_cached(
    ts: Timestamp,
    out: &mut Vec<u8>,
    cache: &mut DayCache,
) {
    let days = ts.unix_seconds().div_euclid(SECS_PER_DAY);
    let date = cache.date(days);
    if let Some(buf) = append_template(out) {
        if let Some(d) = buf.first_chunk_mut::<DATE_LEN>() {
            *d = date;
        }
        fill_time(ts, buf);
    }
}

/// `"00"`, `"01"`, … `"99"`: two digits per lookup.
static PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

/// The two ASCII digits of `v % 100`.
#[inline]
fn two(v: u32) -> [u8; 2] {
    PAIRS[(v % 100) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(secs: i64, nanos: u32) -> String {
        let mut v = Vec::new();
        Timestamp::from_unix(secs, nanos).unwrap().write_to(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn fixed_instants() {
        assert_eq!(out(0, 0), "1970-01-01 00:00:00.000000000");
        assert_eq!(out(-62_135_596_800, 0), "0001-01-01 00:00:00.000000000");
        assert_eq!(
            out(253_402_300_799, 999_999_999),
            "9999-12-31 23:59:59.999999999"
        );
        assert_eq!(out(-1, 0), "1969-12-31 23:59:59.000000000");
        assert_eq!(out(-86_401, 500_000_000), "1969-12-30 23:59:59.500000000");
        assert_eq!(out(951_782_400, 0), "2000-02-29 00:00:00.000000000");
        assert_eq!(out(1_702_857_600, 1), "2023-12-18 00:00:00.000000001");
        assert_eq!(out(1_702_857_600, 10), "2023-12-18 00:00:00.000000010");
        assert_eq!(
            out(1_702_857_600, 123_000_000),
            "2023-12-18 00:00:00.123000000"
        );
        assert_eq!(out(1_702_901_045, 0), "2023-12-18 12:04:05.000000000");
    }

    proptest::proptest! {
        /// With one cache over a run of instants (repeated days, other
        /// days, before 1970), the text is always the uncached text.
        #[test]
        fn cached_dates_match_uncached(
            instants in proptest::collection::vec(
                (-62_135_596_800i64..=253_402_300_799, 0u32..1_000_000_000, 0i64..3),
                1..20,
            ),
        ) {
            let mut cache = DayCache::new();
            for (secs, nanos, near) in instants {
                // Some instants a few seconds after a day's start: the
                // same day as the one before, or the next.
                let secs = if near > 0 {
                    (secs.div_euclid(SECS_PER_DAY) + near - 1) * SECS_PER_DAY + 5
                } else {
                    secs
                };
                let Some(ts) = Timestamp::from_unix(secs, nanos) else { continue };
                let mut cached = b"x".to_vec();
                append_cached(ts, &mut cached, &mut cache);
                let mut plain = b"x".to_vec();
                append(ts, &mut plain);
                proptest::prop_assert_eq!(&cached, &plain);
            }
        }
    }

    /// Days written alternately stay cached together (32 consecutive
    /// ones), each read back by its text; a day that took another's slot
    /// is no longer read back, and a text of the same day of the month
    /// but another month is never taken for it.
    #[test]
    fn the_cache_keeps_32_consecutive_days() {
        let mut cache = DayCache::new();
        let day =
            |d: i64| Timestamp::from_unix(d * SECS_PER_DAY + 7, 0).unwrap();
        let text = |d: i64| {
            let mut v = Vec::new();
            append(day(d), &mut v);
            <[u8; DATE_LEN]>::try_from(&v[..DATE_LEN]).unwrap()
        };
        let first = 19_871; // 2024-05-28
        for round in 0..3 {
            for d in first..first + 32 {
                let mut v = Vec::new();
                append_cached(day(d), &mut v, &mut cache);
                assert_eq!(v[..DATE_LEN], text(d), "round {round}");
            }
        }
        for d in first..first + 32 {
            assert_eq!(cache.days.by_days[days_slot(d)].0, d);
        }
        // 28 June took the day-of-month slot of 28 May, the one pair of
        // these days to share one; every other day is read back.
        let read_back = (first..first + 32)
            .filter(|&d| cache.days_of(&text(d)) == Some(d))
            .count();
        assert_eq!(read_back, 31);
        assert_eq!(cache.days_of(b"2024-05-28"), None);
        assert_eq!(cache.days_of(b"2024-06-28"), Some(first + 31));
        assert_eq!(cache.days_of(b"2023-06-28"), None);
    }

    #[test]
    fn appends_without_touching_prefix() {
        let mut v = b"x".to_vec();
        Timestamp::MIN.write_to(&mut v);
        Timestamp::MAX.write_to(&mut v);
        assert_eq!(
            v,
            b"x0001-01-01 00:00:00.0000000009999-12-31 23:59:59.999999999"
        );
    }

    #[test]
    fn no_growth_when_capacity_suffices() {
        let mut v = Vec::with_capacity(LEN);
        let ptr = v.as_ptr();
        Timestamp::MAX.write_to(&mut v);
        assert_eq!(v.len(), LEN);
        assert_eq!(v.as_ptr(), ptr);
    }
}
