//! Floats as JSON text: the shortest text that reads back, as ryu writes
//! it, with a faster path for short decimals.

/// Writes a finite float as JSON (shortest text that reads back).
#[inline]
pub(crate) fn write_float(out: &mut Vec<u8>, f: f64) {
    if write_short_decimal(out, f) {
        return;
    }
    if f.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(f).as_bytes());
    } else {
        // Unreachable for parsed JSON and rejected for strings; never
        // write invalid JSON.
        out.extend_from_slice(b"null");
    }
}

/// Writes `f` as ryu writes it when it is a decimal of at most six
/// fraction digits and fifteen significant digits (scores, percentiles,
/// probabilities: `5.7`, `0.2689`), and tells whether it did.
///
/// Hand-written because it is about half of ryu's cost on such values
/// (ryu's general shortest-digits search was 4% of the instructions of
/// Wiz.VulnerabilityFinding, five floats a record). Why the text is the
/// same: `m / 10^k == f` (`m` the rounded `f·10^k`), with `m` and `10^k`
/// exact and the division
/// correctly rounded, says the decimal `m·10^-k` reads back as `f`; two
/// different decimals of at most fifteen significant digits never read
/// back as the same `f64`, so the shortest one that does (ryu's) is `m·10^-k`
/// with the fewest fraction digits, the first `k` that works. Between
/// 1e-4 and 1e15 ryu writes it without an exponent, `.0` after integers.
/// A proptest checks it against ryu.
fn write_short_decimal(out: &mut Vec<u8>, f: f64) -> bool {
    const POW10: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let a = f.abs();
    if !(1e-4..1e15).contains(&a) {
        return false;
    }
    for (k, &p) in POW10.iter().enumerate() {
        let scale = p as f64;
        let scaled = a * scale;
        if scaled >= 1e15 {
            return false;
        }
        // The candidate: the product is within a fraction of an ulp of
        // `m` when `m·10^-k` reads back as `f`. Below 1e15, exact.
        let m = scaled.round() as u64;
        if m as f64 / scale != a {
            continue;
        }
        if f < 0.0 {
            out.push(b'-');
        }
        let mut digits = itoa::Buffer::new();
        out.extend_from_slice(digits.format(m / p).as_bytes());
        out.push(b'.');
        if k == 0 {
            out.push(b'0');
        } else {
            // `p + fraction` has k + 1 digits: skip the leading 1 and
            // the fraction comes out zero-padded.
            let padded = digits.format(p + m % p).as_bytes();
            out.extend_from_slice(padded.get(1..).unwrap_or_default());
        }
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What ryu writes for `f`.
    fn ryu_text(f: f64) -> String {
        ryu::Buffer::new().format_finite(f).to_owned()
    }

    fn float_text(f: f64) -> String {
        let mut out = Vec::new();
        write_float(&mut out, f);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn short_decimals_are_written_as_ryu_writes_them() {
        for (f, text) in [
            (5.7, "5.7"),
            (0.2689, "0.2689"),
            (51.806, "51.806"),
            (-3.25, "-3.25"),
            (100.0, "100.0"),
            (0.0001, "0.0001"),
            (0.000123, "0.000123"),
            (999_999_999_999_999.0, "999999999999999.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e16"),
            (0.00001, "0.00001"),
            (0.000001, "1e-6"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
        ] {
            assert_eq!(float_text(f), text, "{f:e}");
            assert_eq!(float_text(f), ryu_text(f), "{f:e}");
        }
        // The fast path took the short ones.
        let mut out = Vec::new();
        assert!(write_short_decimal(&mut out, 0.2689));
        assert!(!write_short_decimal(&mut out, 0.1 + 0.2));
    }

    proptest::proptest! {
        /// Decimals of few digits (the fast path's values) and any
        /// `f64` at all: the same text as ryu.
        #[test]
        fn floats_match_ryu(
            m in 0u64..2_000_000_000_000_000,
            k in 0u32..9,
            negative: bool,
            bits: u64,
        ) {
            let decimal = m as f64 / 10f64.powi(k as i32);
            let decimal = if negative { -decimal } else { decimal };
            proptest::prop_assert_eq!(float_text(decimal), ryu_text(decimal));
            let any = f64::from_bits(bits);
            if any.is_finite() {
                proptest::prop_assert_eq!(float_text(any), ryu_text(any));
            }
        }
    }
}
