//! Byte tricks shared by the hot paths: fixed-size block writes and
//! SWAR ("SIMD within a register") byte masks over eight bytes at once.
//!
//! Each has a plain reference in its tests.

/// `ONES * b` repeats byte `b` in every lane of a little-endian word.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every lane.
pub(crate) const HIGH: u64 = ONES * 0x80;

/// Flags (high bit of the lane, among other bits: mask with [`HIGH`])
/// the bytes of `x` equal to `b`. The classic zero-byte test
/// `(v - 0x01…) & !v`: a borrow can also flag a byte *above* a flagged
/// one, never one below, so the lowest flag is always a real one and
/// "any flag" is exact.
#[inline(always)]
pub(crate) const fn eq_bytes(x: u64, b: u8) -> u64 {
    let v = x ^ (ONES * b as u64);
    v.wrapping_sub(ONES) & !v
}

/// Flags (as [`eq_bytes`]) the bytes of `x` below `n` (`n` at most
/// 0x80); bytes of 0x80 and above are never flagged.
#[inline(always)]
pub(crate) const fn lt_bytes(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * n as u64) & !x
}

/// Appends the first `len` bytes of `block`, copying the whole block and
/// cutting the row back: a fixed-size copy is inlined, where a copy of
/// `len` bytes is a `memcpy` call. The row's short, hot texts (keys,
/// plain strings, headers, the row id) are written this way.
#[inline(always)]
pub(crate) fn write_block<const N: usize>(
    out: &mut Vec<u8>,
    block: &[u8; N],
    len: usize,
) {
    let mark = out.len();
    out.extend_from_slice(block);
    out.truncate(mark + len);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The masks agree with a byte-by-byte test on "any flag" and on the
    /// lowest flag, for every byte value at every lane, with bytes above
    /// it that could borrow.
    #[test]
    fn masks_find_the_lowest_byte_exactly() {
        for lane in 0..8 {
            for v in 0..=255u8 {
                let mut b = [0x41u8; 8];
                b[lane] = v;
                for k in lane + 1..8 {
                    b[k] = [0x00, 0x21, 0x80, 0xff][k % 4];
                }
                let x = u64::from_le_bytes(b);
                for target in [b'"', b'\\', 0x00, 0x7f] {
                    let naive = b.iter().position(|&c| c == target);
                    let m = eq_bytes(x, target) & HIGH;
                    let got =
                        (m != 0).then(|| m.trailing_zeros() as usize / 8);
                    assert_eq!(got, naive, "{b:?} == {target}");
                }
                for n in [0x20u8, 0x21, 0x80] {
                    let naive = b.iter().position(|&c| c < n);
                    let m = lt_bytes(x, n) & HIGH;
                    let got =
                        (m != 0).then(|| m.trailing_zeros() as usize / 8);
                    assert_eq!(got, naive, "{b:?} < {n}");
                }
            }
        }
    }

    #[test]
    fn blocks_are_cut_to_length() {
        let block = *b"0123456789abcdef";
        for len in 0..=16 {
            let mut out = b"x".to_vec();
            write_block(&mut out, &block, len);
            assert_eq!(out[1..], block[..len]);
        }
    }
}
