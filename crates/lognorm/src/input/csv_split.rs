//! The csv-aware split of `parser: csv:` payloads: rows, where a quoted
//! newline does not end a row, found with the `csv` crate's core reader.
//!
//! - Each row is a record, without its line ending (`\n`, `\r\n` or
//!   `\r`); its number and offset are those of any other framing.
//! - Lines of only whitespace between rows are not records.
//! - With `hasHeader`, the first row is the header: it names the columns
//!   and is not a record. Every record carries it (`Record::header`). A
//!   later row equal to it byte for byte is a repeated header (two csv
//!   files concatenated) and is skipped like a blank line.
//! - A quote left open runs the row to the end of the payload, which
//!   then is one record (it fails or passes alone; no byte is lost).

use csv_core::Reader;

use crate::input::text::csv::{read_row, reader};

/// The state of a csv split (boxed in `Split`: the reader's tables are
/// a few kilobytes).
#[derive(Clone, Debug)]
pub(crate) struct CsvSplit {
    reader: Reader,
    has_header: bool,
    /// The next row starts at or after this offset.
    pos: usize,
    /// The header row's range, once read.
    header: Option<(usize, usize)>,
    /// Scratch output of the reader (its contents are not used).
    buf: Vec<u8>,
    ends: Vec<usize>,
}

/// Whether `b` is whitespace for a blank line.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
}

/// Whether `line` (without its line feed) has no quote and no carriage
/// return but a last one: then the reader would read it as one row, so
/// it is one without the reader (which costs ~13 instructions a byte).
#[inline]
fn plain(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    memchr::memchr2(b'"', b'\r', line).is_none()
}

impl CsvSplit {
    /// A split of rows of `delimiter` starting at `pos`.
    pub(crate) fn new(delimiter: u8, has_header: bool, pos: usize) -> Self {
        CsvSplit {
            reader: reader(delimiter),
            has_header,
            pos,
            header: None,
            buf: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// The header row of the payload `p`, once read (empty before, and
    /// without `hasHeader`).
    pub(crate) fn header<'p>(&self, p: &'p [u8]) -> &'p [u8] {
        self.header.and_then(|(s, e)| p.get(s..e)).unwrap_or_default()
    }

    /// The range of the next record of `p`.
    pub(crate) fn advance(&mut self, p: &[u8]) -> Option<(usize, usize)> {
        loop {
            // The next line; skipped when it is only whitespace.
            let start = self.pos;
            let rest = p.get(start..).filter(|r| !r.is_empty())?;
            let (line, len) = match memchr::memchr(b'\n', rest) {
                Some(i) => (rest.get(..i).unwrap_or_default(), i + 1),
                None => (rest, rest.len()),
            };
            if line.iter().all(|&b| is_ws(b)) {
                self.pos += len;
                continue;
            }
            let read = if plain(line) {
                len
            } else {
                read_row(
                    &mut self.reader,
                    rest,
                    &mut self.buf,
                    &mut self.ends,
                    false,
                )
                .1
            };
            let read = read.max(1);
            self.pos = start + read;
            let mut end = self.pos;
            if p.get(end - 1) == Some(&b'\n') {
                end -= 1;
            }
            if end > start && p.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            if end == start {
                continue;
            }
            if self.has_header {
                match self.header {
                    None => {
                        self.header = Some((start, end));
                        continue;
                    }
                    Some((hs, he)) if p.get(hs..he) == p.get(start..end) => {
                        continue;
                    }
                    Some(_) => {}
                }
            }
            return Some((start, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(p: &str, header: bool) -> Vec<&str> {
        let mut s = CsvSplit::new(b',', header, 0);
        let mut out = Vec::new();
        while let Some((a, b)) = s.advance(p.as_bytes()) {
            out.push(&p[a..b]);
        }
        out
    }

    #[test]
    fn rows_end_at_unquoted_newlines() {
        assert_eq!(
            rows("a,b\r\n\"x\ny\",\"q\"\"\"\n\n  \nlast,\"open\n", false),
            ["a,b", "\"x\ny\",\"q\"\"\"", "last,\"open"]
        );
        assert_eq!(rows("h,i\n1,2\nh,i\n3,4", true), ["1,2", "3,4"]);
        assert_eq!(rows("", true), Vec::<&str>::new());
    }
}
