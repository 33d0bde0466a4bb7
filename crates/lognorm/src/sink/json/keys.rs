//! The key table of a log type's rows: each column's `,"column":`,
//! pre-encoded once when the log type is compiled.

use crate::bytes::write_block;

use super::escape::write_str;

/// Writes `"key":`.
pub(crate) fn write_key(out: &mut Vec<u8>, key: &str) {
    write_str(out, key);
    out.push(b':');
}

/// A field's output key with its separator, `,"column":`, ready to copy.
///
/// Written once per field of every row, so the copy avoids a `memcpy`
/// call: the bytes sit zero-padded in a fixed array, a fixed 32-byte
/// block is appended (an inline copy) and the row is cut back to the
/// key's length. Keys longer than the block take the plain path.
#[derive(Debug, Clone)]
pub(crate) struct OutKey {
    /// `,"column":` then zeros; one spare byte so that `[1..33]` exists.
    short: [u8; 33],
    /// The whole text when it does not fit `short` (else empty).
    long: Box<[u8]>,
    len: usize,
}

impl OutKey {
    /// The output key of the column `column`.
    pub fn new(column: &str) -> OutKey {
        let mut text = vec![b','];
        write_key(&mut text, column);
        let mut short = [0u8; 33];
        // At most 32 bytes (a block) go in `short`.
        let fits = text.len() <= 32;
        let long = match short.get_mut(..text.len()).filter(|_| fits) {
            Some(head) => {
                head.copy_from_slice(&text);
                Box::default()
            }
            None => text.clone().into(),
        };
        OutKey { short, long, len: text.len() }
    }

    /// Appends the key, after a comma unless it is the object's `first`.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>, first: bool) {
        let skip = usize::from(first);
        let n = self.len - skip;
        // `len` alone tells a short key (no load of `long`'s length).
        if self.len <= 32
            && let Some(block) = self.short.get(skip..skip + 32)
            && let Ok(block) = <&[u8; 32]>::try_from(block)
        {
            write_block(out, block, n);
        } else {
            out.extend_from_slice(self.long.get(skip..).unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_keys_are_written_with_and_without_the_comma() {
        // `,"` + column + `":` is 4 bytes longer than the column: texts
        // of 5, 31, 32 (a whole block), 33 and 44 bytes.
        for column in [
            "a",
            "twenty_seven_bytes_column_n",
            "twenty_eight_bytes_column_na",
            "twenty_nine_bytes_column_name",
            "a_column_name_of_forty_bytes_in_all_okay",
        ] {
            let key = OutKey::new(column);
            let mut want = Vec::new();
            write_key(&mut want, column);
            let mut out = b"{".to_vec();
            key.write(&mut out, true);
            key.write(&mut out, false);
            let mut both = b"{".to_vec();
            both.extend_from_slice(&want);
            both.push(b',');
            both.extend_from_slice(&want);
            assert_eq!(out, both, "{column}");
        }
    }
}
