//! Hex indicators: MD5, SHA-1 and SHA-256 digests, and MAC addresses.

/// Whether `s` is exactly `len` ASCII hex digits (either case).
pub(crate) fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `s` is a MAC address: six pairs of hex digits joined by one
/// separator, `:` or `-` (`00:1a:2B:3c:4d:5e`), or three groups of four
/// joined by `.` (`001a.2b3c.4d5e`).
pub(crate) fn is_mac(s: &str) -> bool {
    let b = s.as_bytes();
    let groups = |sep: u8, width: usize| {
        b.split(|&c| c == sep)
            .all(|g| g.len() == width && g.iter().all(u8::is_ascii_hexdigit))
    };
    match (b.len(), b.get(2), b.get(4)) {
        (17, Some(&sep @ (b':' | b'-')), _) => groups(sep, 2),
        (14, _, Some(b'.')) => groups(b'.', 4),
        _ => false,
    }
}

/// Appends `hex` to `dst` in lowercase. Only ASCII letters change, so the
/// length stays the same.
pub(super) fn push_lowercase(dst: &mut String, hex: &str) {
    // One copy, then lowercase in place (a char-by-char `extend` was
    // most of the cost of a hash indicator).
    let start = dst.len();
    dst.push_str(hex);
    if let Some(added) = dst.get_mut(start..) {
        added.make_ascii_lowercase();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex() {
        assert!(is_hex("09afAF", 6));
        assert!(!is_hex("09afAF", 5));
        assert!(!is_hex("09afAG", 6));
        assert!(!is_hex("é9afA", 6)); // 6 bytes, 5 characters
        assert!(is_hex("", 0));
    }

    #[test]
    fn mac() {
        for yes in ["00:1a:2B:3c:4d:5e", "00-1A-2B-3C-4D-5E", "001a.2b3c.4D5e"]
        {
            assert!(is_mac(yes), "{yes}");
        }
        for no in [
            "",
            "00:1a:2b:3c:4d",       // five pairs
            "00:1a:2b:3c:4d:5e:6f", // seven
            "00:1a-2b:3c:4d:5e",    // mixed separators
            "00:1a:2b:3c:4d:5g",    // not hex
            "001a2b3c4d5e",         // no separators
            "0:01a:2b:3c:4d:5e",    // pairs of other widths
            "001a.2b3c.4d5e.",      // a fourth group
            "001a:2b3c:4d5e",       // `:` between groups of four
            "00:1a:2b:3c:4d:5é",    // 17 bytes, not all ASCII
        ] {
            assert!(!is_mac(no), "{no}");
        }
    }

    #[test]
    fn lowercase() {
        let mut s = String::from("x");
        push_lowercase(&mut s, "09AFaf");
        assert_eq!(s, "x09afaf");
    }
}
