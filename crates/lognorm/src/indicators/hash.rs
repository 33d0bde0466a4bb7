//! Hash indicators: MD5, SHA-1 and SHA-256 digests in hex.

/// Whether `s` is exactly `len` ASCII hex digits (either case).
pub(crate) fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
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
    fn lowercase() {
        let mut s = String::from("x");
        push_lowercase(&mut s, "09AFaf");
        assert_eq!(s, "x09afaf");
    }
}
