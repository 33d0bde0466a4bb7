//! The JSON string escaper of the row writer.
//!
//! Every string of every row goes through here, so it is hand-tuned; each
//! tier is tested against the byte-by-byte escaper (`naive` below).

use crate::bytes::{HIGH, eq_bytes, lt_bytes, write_block};
use crate::input::json::Strings;

/// Bytes that need escaping in a JSON string: 0 = as is, `u` = `\u00XX`,
/// anything else = a backslash and that byte.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Writes `s` as a JSON string, quotes included.
///
/// Hand-written because it runs for every string of every row: it finds
/// the next byte that needs escaping sixteen bytes at a time (see
/// [`next_special`]), copies the run of plain bytes before it with one
/// `extend_from_slice`, and escapes only `"`, `\` and control characters
/// (valid UTF-8 passes through). Against a byte-by-byte table loop this
/// halved the escaper's instructions on the shipped log types (SWAR,
/// eight bytes a step), and the 16-byte SIMD scan halved the scan's time
/// again on strings of 4 to 250 bytes.
///
/// The short-string path ([`write_short`]) is always inlined into the
/// caller and the general one never: left to the inliner, a growing
/// caller lost both to one call (+150 instructions a Heroku line).
#[inline(always)]
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    if !write_short(out, s.as_bytes()) {
        write_long(out, s);
    }
}

/// [`write_str`] for what [`write_short`] does not take.
#[inline(never)]
fn write_long(out: &mut Vec<u8>, s: &str) {
    let mut rest = s.as_bytes();
    out.reserve(rest.len() + 2);
    out.push(b'"');
    while let Some(at) = next_special(rest) {
        let (plain, tail) = rest.split_at(at);
        out.extend_from_slice(plain);
        let Some((&b, tail)) = tail.split_first() else { break };
        escape(out, b);
        rest = tail;
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Writes `b` as a JSON string, quotes included, when it is at most 14
/// bytes long and has nothing to escape; returns false (writing nothing)
/// otherwise (also when `out` has no room for a 16-byte block).
///
/// Hand-optimized (hot path): most string values of log lines are short
/// (a host, an app, a process name), and the general path cost ~115
/// instructions for each (a `reserve`, a byte loop, a `memcpy` call, two
/// pushes). Here the string is read as two overlapping words (or, under
/// four bytes, its first, middle and last byte), checked with [`special`]
/// (every byte of the checked word is a byte of the string), then shifted
/// into one 16-byte value with its quotes, stored as one block and the
/// row cut back to length: about a third of the instructions.
#[inline(always)]
fn write_short(out: &mut Vec<u8>, b: &[u8]) -> bool {
    let len = b.len();
    let (value, check) = if len >= 9 {
        let (Some(lo), Some(hi)) = (b.first_chunk::<8>(), b.last_chunk::<8>())
        else {
            return false;
        };
        if len > 14 {
            return false;
        }
        let (lo, hi) = (u64::from_le_bytes(*lo), u64::from_le_bytes(*hi));
        // The words overlap on equal bytes, so `|` joins them.
        (
            u128::from(lo) | u128::from(hi) << (8 * (len - 8)),
            special(lo) | special(hi),
        )
    } else if let (Some(lo), Some(hi)) =
        (b.first_chunk::<4>(), b.last_chunk::<4>())
    {
        let (lo, hi) = (u32::from_le_bytes(*lo), u32::from_le_bytes(*hi));
        let value = u64::from(lo) | u64::from(hi) << (8 * (len - 4));
        (u128::from(value), special(u64::from(lo) | u64::from(hi) << 32))
    } else {
        // 0 to 3 bytes: the first, middle and last byte are all of them.
        let (Some(&first), Some(&mid), Some(&last)) =
            (b.first(), b.get(len / 2), b.last())
        else {
            // Empty: `""`.
            out.extend_from_slice(b"\"\"");
            return true;
        };
        let (first, mid, last) =
            (u64::from(first), u64::from(mid), u64::from(last));
        let value = first | mid << (8 * (len / 2)) | last << (8 * (len - 1));
        // Every byte of the checked word is one of the three.
        let word = first | mid << 8 | last << 16 | first << 24;
        (u128::from(value), special(word | word << 32))
    };
    // Without room for the block, the general path (which reserves just
    // what it writes) keeps the buffer's growth as it was: a row buffer
    // has the room after its first records.
    if check != 0 || out.capacity() - out.len() < 16 {
        return false;
    }
    let quote = u128::from(b'"');
    let block = quote | value << 8 | quote << (8 * (len + 1));
    write_block(out, &block.to_le_bytes(), len + 2);
    true
}

/// Writes `s`, a string of the tape, as a JSON string: copied from the
/// record when `strings` finds it needs no escaping, else scanned and
/// escaped.
///
/// A token of up to 32 bytes, when the record holds 32 bytes from its
/// start, is copied as one fixed 32-byte block and the row cut back to
/// its length: an inline copy instead of a `memcpy` call for most strings.
#[inline(always)]
pub(crate) fn write_json_str(
    out: &mut Vec<u8>,
    s: &str,
    strings: Strings<'_>,
) {
    let n = s.len() + 2;
    let token = strings.token(s);
    if let Some(block) = token.and_then(<[u8]>::first_chunk::<32>)
        && n <= 32
    {
        write_block(out, block, n);
    } else if let Some(text) = token.and_then(|token| token.get(..n)) {
        out.extend_from_slice(text);
    } else {
        write_str(out, s);
    }
}

/// Writes the escape sequence of one byte that needs it.
#[inline]
fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match ESCAPE[usize::from(b)] {
        0 => out.push(b),
        b'u' => {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        }
        esc => out.extend_from_slice(&[b'\\', esc]),
    }
}

/// The index of the first byte of `bytes` that must be escaped.
///
/// Sixteen bytes a step with SSE2 compares through `wide` (safe SIMD; the
/// baseline of every x86-64 CPU, portable fallbacks elsewhere). The last
/// partial block is read as the *overlapping* final sixteen bytes: the
/// bytes it shares with the previous block are known to be plain, so its
/// lowest flag is the answer. Strings shorter than a block use the same
/// trick with one or two eight-byte words ([`special`]), and only strings
/// under eight bytes are read byte by byte. Fixed-size loads only: no
/// `memcpy` into a padded buffer (a call and a store-forwarding stall).
#[inline]
fn next_special(bytes: &[u8]) -> Option<usize> {
    let len = bytes.len();
    if len >= 16 {
        let mut at = 0;
        while let Some(block) = bytes.get(at..at + 16) {
            if let Some(i) = block_special(block) {
                return Some(at + i);
            }
            at += 16;
        }
        if at == len {
            return None;
        }
        let start = len - 16;
        return bytes.get(start..).and_then(block_special).map(|i| start + i);
    }
    if len >= 8 {
        let word = |at: usize| {
            let w = bytes.get(at..at + 8)?;
            let mask = special(u64::from_le_bytes(w.try_into().ok()?));
            (mask != 0).then(|| at + (mask.trailing_zeros() / 8) as usize)
        };
        return word(0).or_else(|| word(len - 8));
    }
    bytes.iter().position(|&b| ESCAPE[usize::from(b)] != 0)
}

/// The index of the first byte needing an escape in a 16-byte block.
#[inline]
fn block_special(block: &[u8]) -> Option<usize> {
    let mask = special_bits(block.first_chunk::<16>()?);
    (mask != 0).then(|| mask.trailing_zeros() as usize)
}

/// The bits of the bytes of `block` that need an escape.
#[inline(always)]
fn special_bits(block: &[u8; 16]) -> u32 {
    use wide::u8x16;
    let v = u8x16::new(*block);
    // A byte is below 0x20 when min(byte, 0x1f) is the byte itself.
    (v.simd_eq(u8x16::splat(b'"'))
        | v.simd_eq(u8x16::splat(b'\\'))
        | v.min(u8x16::splat(0x1f)).simd_eq(v))
    .to_bitmask()
}

/// A mask with the high bit set in the bytes of `x` that are `"`, `\` or
/// below 0x20 (the SWAR tests of [`crate::bytes`]: a borrow can also flag
/// a byte *above* a flagged one, never one below, so the lowest flag is
/// always a real one).
#[inline]
const fn special(x: u64) -> u64 {
    (eq_bytes(x, b'"') | eq_bytes(x, b'\\') | lt_bytes(x, 0x20)) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_like_json() {
        assert_eq!(s("plain"), r#""plain""#);
        assert_eq!(s("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(s("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(s("\u{0}\u{1f}"), r#""\u0000\u001f""#);
        assert_eq!(s("é😀\u{7f}"), "\"é😀\u{7f}\"");
        assert_eq!(s(""), r#""""#);
        assert_eq!(s("0123456\"89abcdef"), r#""0123456\"89abcdef""#);
        assert_eq!(
            s("a long string with no escapes at all, over 8 bytes"),
            r#""a long string with no escapes at all, over 8 bytes""#
        );
    }

    /// The block / word search agrees with a byte-by-byte one on every
    /// position and every byte value, in every length class (bytes, one
    /// or two words, whole blocks, an overlapping last block); SWAR
    /// borrows must never hide or invent a hit.
    #[test]
    fn special_bytes_are_found_at_every_offset() {
        for len in 0..50 {
            for at in 0..=len {
                for b in 0..=255u8 {
                    let mut v = vec![b'x'; len];
                    if at < len {
                        v[at] = b;
                    }
                    // Bytes above the hit that could trigger a borrow.
                    for k in at + 1..len {
                        v[k] = [0x00, 0x21, 0x80, 0xff][k % 4];
                    }
                    let naive =
                        v.iter().position(|&c| ESCAPE[usize::from(c)] != 0);
                    assert_eq!(next_special(&v), naive, "{v:?}");
                }
            }
        }
    }

    /// The short-string path takes exactly the strings of up to 14 bytes
    /// without a byte to escape, and writes them as the byte-by-byte
    /// escaper does: every length, every byte value at every position,
    /// with bytes that could trigger a SWAR borrow around it.
    #[test]
    fn short_strings_are_taken_exactly_when_plain() {
        for len in 0..=16 {
            for at in 0..=len {
                for b in 0..=255u8 {
                    let mut v = vec![b'x'; len];
                    for k in 0..len {
                        v[k] = [b'x', 0x21, 0x80, 0xff, b'#', b']'][k % 6];
                    }
                    if at < len {
                        v[at] = b;
                    }
                    let plain = v.iter().all(|&c| ESCAPE[usize::from(c)] == 0);
                    let mut out = Vec::with_capacity(32);
                    out.extend_from_slice(b"prefix");
                    let taken = write_short(&mut out, &v);
                    assert_eq!(taken, plain && len <= 14, "{v:?}");
                    if taken {
                        assert_eq!(out[6..], naive(&v), "{v:?}");
                    } else {
                        assert_eq!(out, b"prefix", "{v:?}");
                    }
                    // No room for the block: not taken, nothing grows
                    // (the empty string is two bytes either way).
                    let mut full = b"prefix".to_vec();
                    let room = full.capacity();
                    if len > 0 && room - full.len() < 16 {
                        assert!(!write_short(&mut full, &v), "{v:?}");
                        assert_eq!(full.capacity(), room);
                    }
                }
            }
        }
    }

    /// The escaper byte by byte, as the JSON grammar says it.
    fn naive(v: &[u8]) -> Vec<u8> {
        let mut out = vec![b'"'];
        for &b in v {
            escape(&mut out, b);
        }
        out.push(b'"');
        out
    }

    /// The escaper agrees with a byte-by-byte one wherever the bytes to
    /// escape fall: every length class (bytes, words, whole blocks, an
    /// overlapping last block), no escape or
    /// one or two at every pair of positions, every escape kind, after
    /// other output.
    #[test]
    fn strings_are_escaped_like_bytes_at_every_offset() {
        for len in 0..50 {
            for a in 0..=len {
                for b in a..=len {
                    for (i, kind) in
                        [b'"', b'\\', 0x01, b'\n'].iter().enumerate()
                    {
                        // Distinct plain bytes: a block stored at the
                        // wrong place shows.
                        let mut v: Vec<u8> =
                            (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                        if a < len {
                            v[a] = *kind;
                        }
                        if b < len && b > a {
                            v[b] = [b'\n', b'"', b'\\', 0x1f][i];
                        }
                        let text = std::str::from_utf8(&v).unwrap();
                        let mut out = b"prefix".to_vec();
                        write_str(&mut out, text);
                        assert_eq!(out[6..], naive(&v), "{text:?}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn strings_are_escaped_like_bytes(
            v in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => proptest::char::range('a', 'z'),
                    1 => proptest::sample::select(
                        vec!['"', '\\', '\n', '\u{0}', '\u{1f}', 'é', '😀']
                    ),
                ],
                0..120,
            )
        ) {
            let text: String = v.into_iter().collect();
            let mut out = Vec::new();
            write_str(&mut out, &text);
            proptest::prop_assert_eq!(out, naive(text.as_bytes()));
        }
    }

    #[test]
    fn escaped_strings_read_back() {
        for v in ["", "x", "\"\\\u{0}\u{1}\n", "ü\t😀/"] {
            let back: String = serde_json::from_str(&s(v)).unwrap();
            assert_eq!(back, v);
        }
    }
}
