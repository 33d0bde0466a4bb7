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
//!   then is one record (it fails or passes alone; no byte is lost); a
//!   line break at the end is then inside the quote and kept.

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

    /// Whether the reader reads `p[start..]` (a last row, which ends
    /// with a line break) otherwise than `p[start..end]` (the row
    /// without it): then the break is inside a quote. Only for the last
    /// row of a payload, and only one with quotes.
    #[cold]
    fn ending_is_quoted(
        &mut self,
        p: &[u8],
        start: usize,
        end: usize,
    ) -> bool {
        let (Some(whole), Some(row)) = (p.get(start..), p.get(start..end))
        else {
            return false;
        };
        let (mut buf2, mut ends2) = (Vec::new(), Vec::new());
        let (n, _) = read_row(
            &mut self.reader,
            whole,
            &mut self.buf,
            &mut self.ends,
            true,
        );
        let (n2, _) =
            read_row(&mut self.reader, row, &mut buf2, &mut ends2, true);
        let len = |ends: &[usize], n| {
            ends.get(..n).and_then(|e| e.last()).copied().unwrap_or(0)
        };
        let (l, l2) = (len(&self.ends, n), len(&ends2, n2));
        n != n2
            || self.ends.get(..n) != ends2.get(..n2)
            || self.buf.get(..l) != buf2.get(..l2)
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
            let plain = plain(line);
            let read = if plain {
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
            // A row that runs to the payload's end may end inside an
            // open quote: its last line break is then part of its last
            // field (as the csv crate reads it), not a line end.
            if !plain
                && end < self.pos
                && self.pos >= p.len()
                && self.ending_is_quoted(p, start, end)
            {
                end = self.pos;
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
            ["a,b", "\"x\ny\",\"q\"\"\"", "last,\"open\n"]
        );
        assert_eq!(rows("h,i\n1,2\nh,i\n3,4", true), ["1,2", "3,4"]);
        // A closed quote: the last line break is a line end.
        assert_eq!(rows("a,\"b\"\r\n", false), ["a,\"b\""]);
        assert_eq!(rows("", true), Vec::<&str>::new());
    }
}
