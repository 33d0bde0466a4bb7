//! The random source and value makers the bench generators share.
//!
//! No committed data and no `rand`: a 64-bit xorshift drives every
//! choice, so the same seed gives the same corpus on every machine.
//! Several bench binaries include this module and each uses a part of
//! it, hence the `dead_code` allowance.

#![allow(dead_code)]

use std::fmt::Write;

/// A 64-bit xorshift (Marsaglia); good enough to pick from lists.
#[derive(Clone, Debug)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator; a zero seed is replaced (xorshift sticks at zero).
    pub fn new(seed: u64) -> XorShift {
        XorShift(if seed == 0 { 0x9e37_79b9_7f4a_7c15 } else { seed })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n > 0`; the modulo bias does not matter here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of `items`.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Appends a random lowercase UUID v4.
pub fn uuid(rng: &mut XorShift, out: &mut String) {
    let a = rng.next_u64();
    let b = rng.next_u64();
    let _ = write!(
        out,
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff,
    );
}

/// A random lowercase UUID v4.
pub fn uuid_string(rng: &mut XorShift) -> String {
    let mut s = String::with_capacity(36);
    uuid(rng, &mut s);
    s
}

/// Appends a random public-looking IPv4 address.
pub fn ipv4(rng: &mut XorShift, out: &mut String) {
    let first = rng.pick(&[&23u64, &54, &73, &98, &104, &172, &185, &203]);
    let _ = write!(
        out,
        "{first}.{}.{}.{}",
        rng.below(256),
        rng.below(256),
        rng.range(1, 254)
    );
}

/// Appends a random IPv6 address in one of the usual written forms:
/// compressed (`2600:1f18:24e6:9a00::5`) or full.
pub fn ipv6(rng: &mut XorShift, out: &mut String) {
    let prefix =
        rng.pick(&["2600:1f18", "2a05:d014", "2001:db8", "2607:f8b0"]);
    if rng.chance(60) {
        let _ = write!(
            out,
            "{prefix}:{:x}:{:x}::{:x}",
            rng.below(0x1_0000),
            rng.below(0x1_0000),
            rng.range(1, 0xffff)
        );
    } else {
        let _ = write!(
            out,
            "{prefix}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
            rng.below(0x1_0000),
            rng.below(0x1_0000),
            rng.below(0x1_0000),
            rng.below(0x1_0000),
            rng.below(0x1_0000),
            rng.range(1, 0xffff)
        );
    }
}

/// A random IP address: IPv6 with probability `v6_percent`/100.
pub fn ip_string(rng: &mut XorShift, v6_percent: u64) -> String {
    let mut s = String::with_capacity(39);
    if rng.chance(v6_percent) {
        ipv6(rng, &mut s);
    } else {
        ipv4(rng, &mut s);
    }
    s
}

/// Appends `n` random lowercase hex digits.
pub fn hex(rng: &mut XorShift, n: usize, out: &mut String) {
    for _ in 0..n {
        let d = rng.below(16) as u8;
        out.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
    }
}

/// `n` random lowercase hex digits.
pub fn hex_string(rng: &mut XorShift, n: usize) -> String {
    let mut s = String::with_capacity(n);
    hex(rng, n, &mut s);
    s
}

/// `n` random characters of `alphabet` (ASCII).
pub fn token(rng: &mut XorShift, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| {
            char::from(alphabet[rng.below(alphabet.len() as u64) as usize])
        })
        .collect()
}

/// Letters and digits, for ids like `user-Qm8x2LkT`.
pub const ALNUM: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `n` random decimal digits, the first not zero.
pub fn digits(rng: &mut XorShift, n: usize) -> String {
    let mut s = String::with_capacity(n);
    s.push(char::from(b'1' + rng.below(9) as u8));
    for _ in 1..n {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    s
}

/// The civil date of a day count since 1970-01-01 (Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u64, u64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe as i64 + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Appends an instant, given as nanoseconds since the epoch (not before
/// it), as RFC 3339 in UTC: `2024-06-03T14:22:05` then `digits` fraction
/// digits (none: no dot; trailing zeros trimmed when `trim`) and `Z`.
pub fn rfc3339(nanos: u64, digits: u32, trim: bool, out: &mut String) {
    let secs = nanos / 1_000_000_000;
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    if digits > 0 {
        let frac = (nanos % 1_000_000_000) / 10u64.pow(9 - digits);
        let mut text = format!("{frac:0width$}", width = digits as usize);
        if trim {
            while text.len() > 1 && text.ends_with('0') {
                text.pop();
            }
        }
        let _ = write!(out, ".{text}");
    }
    out.push('Z');
}
