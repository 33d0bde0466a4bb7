//! `p_row_id` generation.

use crate::Timestamp;

/// Makes `p_row_id` values: unique per generator, owned by the caller.
///
/// A row id is the lowercase hex of: the generator's 6-byte node id, the
/// generator's start time as a varint (milliseconds since the Unix epoch,
/// 0 for earlier instants), and a varint counter that starts at 0 and
/// grows by one per id. Two generators make distinct ids when their node
/// ids or start times differ, so give each thread or process its own node
/// id (a MAC address, a worker number, random bytes).
///
/// ```
/// use lognorm::{RowIdGenerator, Timestamp};
///
/// let start = Timestamp::from_unix(1_700_000_000, 0).unwrap();
/// let mut ids = RowIdGenerator::new([0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6], start);
/// let mut out = Vec::new();
/// ids.write_next(&mut out);
/// assert_eq!(out, b"a1b2c3d4e5f680d095ffbc3100");
/// out.clear();
/// ids.write_next(&mut out);
/// assert_eq!(out, b"a1b2c3d4e5f680d095ffbc3101");
/// ```
#[derive(Clone, Debug)]
pub struct RowIdGenerator {
    /// Node id and start time, hex-encoded once.
    prefix: [u8; 2 * (6 + 10)],
    prefix_len: usize,
    counter: u64,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl RowIdGenerator {
    /// A generator for `node_id`, starting at `start`.
    pub fn new(node_id: [u8; 6], start: Timestamp) -> RowIdGenerator {
        let millis = start
            .unix_seconds()
            .checked_mul(1000)
            .and_then(|ms| {
                ms.checked_add(i64::from(start.subsec_nanos() / 1_000_000))
            })
            .and_then(|ms| u64::try_from(ms).ok())
            .unwrap_or(0);
        let mut raw = [0u8; 16];
        raw[..6].copy_from_slice(&node_id);
        let n = 6 + write_varint(&mut raw[6..], millis);
        let mut prefix = [0u8; 32];
        for (i, b) in raw[..n].iter().enumerate() {
            prefix[2 * i] = HEX[usize::from(b >> 4)];
            prefix[2 * i + 1] = HEX[usize::from(b & 0xf)];
        }
        RowIdGenerator { prefix, prefix_len: 2 * n, counter: 0 }
    }

    /// Appends the next row id to `out` (no other allocation).
    pub fn write_next(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.prefix[..self.prefix_len]);
        let mut raw = [0u8; 10];
        let n = write_varint(&mut raw, self.counter);
        for b in &raw[..n] {
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        }
        self.counter = self.counter.wrapping_add(1);
    }

    /// How many ids this generator has made.
    pub fn count(&self) -> u64 {
        self.counter
    }
}

/// Writes `v` as an unsigned LEB128 varint; returns its length (1..=10).
fn write_varint(out: &mut [u8], mut v: u64) -> usize {
    let mut n = 0;
    for slot in out.iter_mut() {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        n += 1;
        if v == 0 {
            *slot = byte;
            break;
        }
        *slot = byte | 0x80;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint() {
        let mut b = [0u8; 10];
        assert_eq!(write_varint(&mut b, 0), 1);
        assert_eq!(b[0], 0);
        assert_eq!(write_varint(&mut b, 300), 2);
        assert_eq!(&b[..2], &[0xac, 0x02]);
        assert_eq!(write_varint(&mut b, u64::MAX), 10);
        assert_eq!(b[9], 0x01);
    }

    #[test]
    fn ids_are_unique_and_ordered_by_counter() {
        let start = Timestamp::from_unix(0, 0).unwrap();
        let mut g = RowIdGenerator::new([0; 6], start);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let mut out = Vec::new();
            g.write_next(&mut out);
            assert!(seen.insert(out));
        }
        assert_eq!(g.count(), 1000);
        // Epoch start: node id, time 0, counter 0.
        let mut g = RowIdGenerator::new([0; 6], start);
        let mut out = Vec::new();
        g.write_next(&mut out);
        assert_eq!(out, b"0000000000000000");
    }

    #[test]
    fn times_before_the_epoch_count_as_zero() {
        let t = Timestamp::from_unix(-5, 0).unwrap();
        let mut g = RowIdGenerator::new([1; 6], t);
        let mut out = Vec::new();
        g.write_next(&mut out);
        assert_eq!(out, b"0101010101010000");
    }
}
