//! Key lookup for declared objects: input key -> field index.
//!
//! Runs once for every key of every declared object of every record, so it
//! is hand-written: an open-addressing table whose hash reads only the
//! key's length and its first and last eight bytes (two loads, no loop
//! over the key), probed linearly, and checked by comparing those same
//! two words and the length, which settles keys of up to 16 bytes
//! without a `memcmp` call (longer keys are then compared in full). On the shipped log types it took the key scan's instruction
//! count well below ahash's `HashMap` (which hashes every byte) and below
//! comparing against each field in turn.
//!
//! A key can only cost as many probes as the longest probe sequence of a
//! declared key (known when the table is built), so keys chosen to
//! collide cannot make a lookup slower than that bound.

/// The fields of one object, by input key.
#[derive(Debug)]
pub(crate) struct KeyIndex {
    /// Field index + 1, or 0 for an empty slot. The length is a power of
    /// two, at least twice the number of keys.
    table: Box<[u32]>,
    /// The declared keys, by field index.
    keys: Box<[Box<str>]>,
    /// Per field: its key's first and last eight bytes (zero-padded) and
    /// length. Keys of up to 16 bytes are compared through these alone.
    words: Box<[(u64, u64, usize)]>,
    /// `64 - log2(table.len())`: the hash's top bits pick the slot.
    shift: u32,
    /// The most probes any declared key needs.
    max_probes: usize,
}

impl KeyIndex {
    /// Indexes `keys` (field `i` is `keys[i]`; keys are distinct).
    #[cfg(test)]
    pub fn new(keys: impl IntoIterator<Item = Box<str>>) -> KeyIndex {
        KeyIndex::with_gaps(keys.into_iter().map(Some))
    }

    /// Indexes `keys`, where field `i` with no key (`None`: its value is
    /// not read from a key of its own) is never found.
    pub fn with_gaps(
        keys: impl IntoIterator<Item = Option<Box<str>>>,
    ) -> KeyIndex {
        let keys: Vec<Option<Box<str>>> = keys.into_iter().collect();
        let indexed: Vec<bool> = keys.iter().map(Option::is_some).collect();
        let keys: Box<[Box<str>]> =
            keys.into_iter().map(Option::unwrap_or_default).collect();
        let len = (keys.len() * 2).next_power_of_two().max(8);
        let mut table = vec![0u32; len].into_boxed_slice();
        let shift = 64 - len.trailing_zeros();
        let mask = len - 1;
        let mut max_probes = 1;
        // A field without a key gets words no key has (its length), so
        // that a hint naming it never matches either.
        let words: Box<[(u64, u64, usize)]> =
            keys.iter()
                .zip(&indexed)
                .map(|(k, &on)| {
                    if on {
                        words_of(k.as_bytes())
                    } else {
                        (0, 0, usize::MAX)
                    }
                })
                .collect();
        for (i, &w) in words.iter().enumerate() {
            if !indexed.get(i).copied().unwrap_or(false) {
                continue;
            }
            let mut slot = hash(w, shift);
            let mut probes = 1;
            while let Some(cell) = table.get_mut(slot)
                && *cell != 0
            {
                slot = (slot + 1) & mask;
                probes += 1;
            }
            if let Some(cell) = table.get_mut(slot) {
                *cell = u32::try_from(i + 1).unwrap_or(u32::MAX);
            }
            max_probes = max_probes.max(probes);
        }
        KeyIndex { table, keys, words, shift, max_probes }
    }

    /// The index of the field named `key`.
    #[inline]
    pub fn get(&self, key: &str) -> Option<usize> {
        let key = key.as_bytes();
        self.probe(key, words_of(key))
    }

    /// The index of the field named `key`, trying field `*hint` first and
    /// storing the answer back in `*hint` (`u32::MAX`: no field).
    ///
    /// Senders write an object's keys in the same order record after
    /// record, so a hint kept per preceding key (by the caller) is nearly
    /// always right: the lookup is then one compare of words the hash
    /// needs anyway, with no hash, no table load and no branch on the
    /// probe. A wrong hint costs that compare on top of the probe, and any
    /// `u32` is a safe hint (it is only compared).
    ///
    /// Always inlined into the walker's key loop: once the classifier's
    /// key scan called it too, the inliner left it out of line (+3% of a
    /// JSON record, callgrind).
    #[inline(always)]
    pub fn get_hinted(&self, key: &str, hint: &mut u32) -> Option<usize> {
        let key = key.as_bytes();
        let w = words_of(key);
        let h = *hint as usize;
        if self.is(h, key, w) {
            return Some(h);
        }
        let found = self.probe(key, w);
        *hint =
            found.map_or(u32::MAX, |f| u32::try_from(f).unwrap_or(u32::MAX));
        found
    }

    /// Whether field `field` is `key`, whose words are `w`.
    #[inline]
    fn is(&self, field: usize, key: &[u8], w: (u64, u64, usize)) -> bool {
        self.words.get(field) == Some(&w)
            && (key.len() <= 16
                || self.keys.get(field).is_some_and(|k| k.as_bytes() == key))
    }

    /// The table lookup of `key`, whose words are `w`.
    #[inline]
    fn probe(&self, key: &[u8], w: (u64, u64, usize)) -> Option<usize> {
        let mask = self.table.len() - 1;
        let mut slot = hash(w, self.shift);
        for _ in 0..self.max_probes {
            let field = (*self.table.get(slot)? as usize).checked_sub(1)?;
            if self.is(field, key, w) {
                return Some(field);
            }
            slot = (slot + 1) & mask;
        }
        None
    }
}

/// The slot of a key: a multiplicative hash of its length and its first
/// and last (up to) eight bytes.
#[inline]
fn hash((head, tail, n): (u64, u64, usize), shift: u32) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let h = (head ^ tail.rotate_left(29) ^ (n as u64))
        .wrapping_mul(K)
        .rotate_left(17)
        .wrapping_mul(K);
    (h >> shift) as usize
}

/// A key's hash input: [`words`] and its length.
#[inline]
fn words_of(key: &[u8]) -> (u64, u64, usize) {
    let (head, tail) = words(key);
    (head, tail, key.len())
}

/// Two words that, with the length, determine `key`: for keys of eight
/// bytes or more its first and last eight bytes; shorter keys are packed
/// into the first word from overlapping loads (and the second is 0).
///
/// Every load is a fixed-size one: copying a short key into a padded
/// buffer would go through `memcpy` and then stall the wide load that
/// reads the buffer back (a store-forwarding stall that cost a quarter of
/// the key scan's time).
#[inline]
fn words(key: &[u8]) -> (u64, u64) {
    let n = key.len();
    let u64_at = |at: usize| {
        key.get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let u32_at = |at: usize| {
        key.get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
    };
    let byte = |at: usize| key.get(at).map_or(0, |&b| u64::from(b));
    match n {
        8.. => (u64_at(0), u64_at(n - 8)),
        4..8 => (u32_at(0) | u32_at(n - 4) << 32, 0),
        1..4 => (byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16, 0),
        0 => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(keys: &[&str]) -> KeyIndex {
        KeyIndex::new(keys.iter().map(|&k| Box::from(k)))
    }

    #[test]
    fn finds_every_declared_key_and_nothing_else() {
        let keys: Vec<String> = (0..300)
            .map(|i| format!("field_{i}"))
            .chain(["", "a", "abcdefgh", "abcdefghi", "é"].map(String::from))
            .collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let idx = index(&refs);
        for (i, k) in refs.iter().enumerate() {
            assert_eq!(idx.get(k), Some(i), "{k}");
        }
        for k in ["field_300", "b", "abcdefg", "abcdefghij", "Field_1"] {
            assert_eq!(idx.get(k), None, "{k}");
        }
        assert!(idx.max_probes < 16, "{}", idx.max_probes);
    }

    #[test]
    fn empty_and_tiny_objects() {
        assert_eq!(index(&[]).get("x"), None);
        assert_eq!(index(&[]).get(""), None);
        let one = index(&["id"]);
        assert_eq!(one.get("id"), Some(0));
        assert_eq!(one.get("i"), None);
    }

    /// Keys sharing their first and last eight bytes and their length
    /// land in one probe run; all are still found.
    #[test]
    fn colliding_keys() {
        let keys: Vec<String> =
            (0..20).map(|i| format!("prefix__{i:02}__suffix")).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let idx = index(&refs);
        for (i, k) in refs.iter().enumerate() {
            assert_eq!(idx.get(k), Some(i));
        }
        assert_eq!(idx.get("prefix__99__suffix"), None);
    }

    /// Whatever the hint (right, wrong, out of range, a field whose key
    /// shares its words with the probed one), the answer is the table's,
    /// and the hint is left holding it.
    #[test]
    fn hints_never_change_the_answer() {
        let keys: Vec<String> = (0..20)
            .map(|i| format!("prefix__{i:02}__suffix"))
            .chain(["id", "type", "a", ""].map(String::from))
            .collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let idx = index(&refs);
        let probes =
            refs.iter().copied().chain(["prefix__99__suffix", "b", "idx"]);
        for key in probes {
            let want = idx.get(key);
            for start in (0..30).chain([u32::MAX - 1, u32::MAX]) {
                let mut hint = start;
                assert_eq!(
                    idx.get_hinted(key, &mut hint),
                    want,
                    "{key} {start}"
                );
                let settled = want.map_or(u32::MAX, |f| f as u32);
                assert!(hint == settled || want == Some(start as usize));
                // The settled hint answers at once the next time.
                assert_eq!(idx.get_hinted(key, &mut hint), want);
            }
        }
    }
}
