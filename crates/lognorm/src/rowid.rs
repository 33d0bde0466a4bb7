//! `p_row_id` generation.

use crate::time::Timestamp;

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
    /// The text of the last id whose counter had the high part `high`:
    /// node id, start time, then the counter. The counter's first byte
    /// (its low seven bits) is at `low_at`; the rest of it is the varint
    /// of `high`. Hand-optimized (hot path, one id per row): only the
    /// first counter byte's two hex digits change from one id to the
    /// next, the rest is rebuilt once every 128 ids, and the whole text
    /// is copied as one fixed block (an inline copy, not a `memcpy`
    /// call): 96 → ~25 instructions an id.
    text: [u8; TEXT],
    node_id: [u8; 6],
    len: usize,
    low_at: usize,
    high: u64,
    counter: u64,
}

/// Room for the id text: 6 + 10 + 10 bytes, two hex digits each (52),
/// rounded up to a block.
const TEXT: usize = 64;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes the hex of `bytes` at the start of `out`.
fn hex_into(out: &mut [u8], bytes: &[u8]) {
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&hex_pair(*b));
    }
}

/// The two lowercase hex digits of `b`.
#[inline]
fn hex_pair(b: u8) -> [u8; 2] {
    [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]
}

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
        let mut text = [0u8; TEXT];
        hex_into(&mut text, &raw[..n]);
        let mut ids = RowIdGenerator {
            node_id,
            text,
            len: 2 * n,
            low_at: 2 * n,
            high: 0,
            counter: 0,
        };
        ids.set_high(0);
        ids
    }

    /// Rewrites the text after the counter's first byte for counters
    /// whose bits above the seventh are `high`.
    #[cold]
    fn set_high(&mut self, high: u64) {
        let mut raw = [0u8; 10];
        let n = if high == 0 { 0 } else { write_varint(&mut raw, high) };
        let at = self.low_at + 2;
        if let Some(tail) = self.text.get_mut(at..) {
            hex_into(tail, &raw[..n]);
        }
        self.len = at + 2 * n;
        self.high = high;
    }

    /// Appends the next row id to `out` (no other allocation).
    #[inline]
    pub fn write_next(&mut self, out: &mut Vec<u8>) {
        let high = self.counter >> 7;
        if high != self.high {
            self.set_high(high);
        }
        // The first varint byte: the low seven bits, with the
        // continuation bit when more bytes follow.
        let first =
            (self.counter & 0x7f) as u8 | if high > 0 { 0x80 } else { 0 };
        if let Some(pair) = self.text.get_mut(self.low_at..self.low_at + 2) {
            pair.copy_from_slice(&hex_pair(first));
        }
        crate::bytes::write_block(out, &self.text, self.len);
        self.counter = self.counter.wrapping_add(1);
    }

    /// The generator whose next id has the counter `counter` (instead of
    /// 0): a writer that cuts its input into chunks normalized in
    /// parallel gives each chunk a generator that starts at the number of
    /// records before it, so the chunks' ids never meet and do not
    /// depend on how many threads there are.
    ///
    /// ```
    /// use lognorm::{RowIdGenerator, Timestamp};
    ///
    /// let start = Timestamp::from_unix(1_700_000_000, 0).unwrap();
    /// let mut ids = RowIdGenerator::new([0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6], start)
    ///     .with_counter(300);
    /// let mut out = Vec::new();
    /// ids.write_next(&mut out);
    /// // The counter's varint: 300 is `ac 02`.
    /// assert_eq!(out, b"a1b2c3d4e5f680d095ffbc31ac02");
    /// assert_eq!(ids.count(), 301);
    /// ```
    #[must_use]
    pub fn with_counter(mut self, counter: u64) -> RowIdGenerator {
        // `write_next` rewrites the text when the counter's high part
        // changes.
        self.counter = counter;
        self
    }

    /// The node id the generator was made for.
    pub fn node_id(&self) -> [u8; 6] {
        self.node_id
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

    /// The id by its definition: hex of node id, start varint, counter
    /// varint.
    fn plain_id(node: [u8; 6], start: Timestamp, counter: u64) -> Vec<u8> {
        let millis =
            u64::try_from(start.unix_nanos() / 1_000_000).unwrap_or(0);
        let mut raw = node.to_vec();
        let mut v = [0u8; 10];
        let n = write_varint(&mut v, millis);
        raw.extend_from_slice(&v[..n]);
        let n = write_varint(&mut v, counter);
        raw.extend_from_slice(&v[..n]);
        raw.iter().flat_map(|b| hex_pair(*b)).collect()
    }

    #[test]
    fn ids_match_their_definition_across_varint_lengths() {
        let node = [0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6];
        let start = Timestamp::from_unix(1_700_000_000, 0).unwrap();
        let mut g = RowIdGenerator::new(node, start);
        // Every id with one and two counter bytes, and into three (2^14).
        let mut out = b"x".to_vec();
        for counter in 0..(1 << 15) + 3 {
            out.truncate(1);
            g.write_next(&mut out);
            assert_eq!(&out[1..], plain_id(node, start, counter), "{counter}");
        }
        // Long counters, including u64::MAX (ten varint bytes) and the
        // wrap back to 0.
        for counter in
            [(1 << 21) - 1, 1 << 21, 1 << 56, u64::MAX - 1, u64::MAX, 0]
        {
            g.counter = counter;
            for c in [counter, counter.wrapping_add(1)] {
                out.truncate(1);
                g.write_next(&mut out);
                assert_eq!(&out[1..], plain_id(node, start, c), "{c}");
            }
        }
    }

    #[test]
    fn a_generator_started_at_a_counter_continues_one_started_at_zero() {
        let node = [7; 6];
        let start = Timestamp::from_unix(1_700_000_000, 0).unwrap();
        let mut zero = RowIdGenerator::new(node, start);
        let mut ids = Vec::new();
        for _ in 0..400 {
            let mut out = Vec::new();
            zero.write_next(&mut out);
            ids.push(out);
        }
        for first in [0, 1, 127, 128, 129, 300, 399] {
            let mut g = RowIdGenerator::new(node, start)
                .with_counter(u64::try_from(first).unwrap());
            for id in &ids[first..] {
                let mut out = Vec::new();
                g.write_next(&mut out);
                assert_eq!(&out, id, "started at {first}");
            }
        }
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
