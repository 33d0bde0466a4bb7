//! The csv-aware split of `parser: csv:` payloads: rows, where a quoted
//! newline does not end a row, ended where the `csv` crate's core reader
//! ends them. A row whose quoting is well formed is ended by hand
//! ([`well_formed_row`], held to the reader by proptests here and to the
//! csv crate in `tests/textparsers.rs` and the `text_parsers` fuzz
//! target); the reader reads every other row.
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
    delimiter: u8,
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

impl CsvSplit {
    /// A split of rows of `delimiter` starting at `pos`.
    pub(crate) fn new(delimiter: u8, has_header: bool, pos: usize) -> Self {
        CsvSplit {
            reader: reader(delimiter),
            delimiter,
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
            let start = self.pos;
            let rest = p.get(start..).filter(|r| !r.is_empty())?;
            let (end, read) = match well_formed_row(rest, self.delimiter) {
                Some((len, read)) => {
                    // Lines of only whitespace are skipped.
                    if rest
                        .get(..len)
                        .is_some_and(|l| l.iter().all(|&b| is_ws(b)))
                    {
                        self.pos += read;
                        continue;
                    }
                    (start + len, read)
                }
                None => match self.read_irregular(p, start) {
                    Some(row) => row,
                    None => continue,
                },
            };
            self.pos = start + read;
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

    /// The end of the row at `start` and the bytes it takes (its line
    /// break included), read by the core reader: for rows that
    /// [`well_formed_row`] leaves to it. `None` (having moved past it)
    /// for a line of only whitespace.
    #[cold]
    fn read_irregular(
        &mut self,
        p: &[u8],
        start: usize,
    ) -> Option<(usize, usize)> {
        let rest = p.get(start..).unwrap_or_default();
        let (line, len) = match memchr::memchr(b'\n', rest) {
            Some(i) => (rest.get(..i).unwrap_or_default(), i + 1),
            None => (rest, rest.len()),
        };
        if line.iter().all(|&b| is_ws(b)) {
            self.pos += len;
            return None;
        }
        let (_, read) = read_row(
            &mut self.reader,
            rest,
            &mut self.buf,
            &mut self.ends,
            false,
        );
        let read = read.max(1);
        let after = start + read;
        let mut end = after;
        if p.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && p.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        // A row that runs to the payload's end may end inside an open
        // quote: its last line break is then part of its last field (as
        // the csv crate reads it), not a line end.
        if end < after
            && after >= p.len()
            && self.ending_is_quoted(p, start, end)
        {
            end = after;
        }
        Some((end, read))
    }
}

/// The length of the row at the start of `rest` and the bytes it takes
/// (its line break included), when its quoting is well formed: fields
/// unquoted (no quote, no carriage return but one before the line feed)
/// or quoted whole (`"..."`, a doubled quote inside for a quote, the
/// closing quote right before a delimiter or the row's end). That is
/// where the csv core reader ends such a row (tested against it below
/// and in `tests/textparsers.rs`), found with a few `memchr` calls
/// instead of the reader's ~13 instructions a byte: written by hand
/// because most rows of csv exports take this path. Anything else (a
/// quote inside an unquoted field, text after a closing quote, a quote
/// left open, a lone carriage return) is `None`: left to the reader.
#[inline]
fn well_formed_row(rest: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    if matches!(delimiter, b'"' | b'\n' | b'\r') {
        return None;
    }
    let line_end = |at: usize| match rest.get(at) {
        None => Some((at, at)),
        Some(b'\n') => Some((at, at + 1)),
        Some(b'\r') if rest.get(at + 1) == Some(&b'\n') => Some((at, at + 2)),
        Some(_) => None,
    };
    // `pos` is where an unquoted stretch of the row resumes.
    let mut pos = 0;
    loop {
        let tail = rest.get(pos..)?;
        let Some(at) =
            memchr::memchr3(b'"', b'\n', b'\r', tail).map(|i| pos + i)
        else {
            return Some((rest.len(), rest.len()));
        };
        if rest.get(at) != Some(&b'"') {
            return line_end(at);
        }
        // A quote opens a field only at the field's start.
        if at > 0 && rest.get(at - 1) != Some(&delimiter) {
            return None;
        }
        let mut from = at + 1;
        loop {
            let q = memchr::memchr(b'"', rest.get(from..)?)? + from;
            match rest.get(q + 1) {
                Some(b'"') => from = q + 2,
                Some(&b) if b == delimiter => {
                    pos = q + 2;
                    break;
                }
                _ => return line_end(q + 1),
            }
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

    /// Where the core reader ends the row at the start of `rest`, and
    /// the bytes it reads (as `advance` reads it, line break included).
    fn by_reader(rest: &[u8]) -> (usize, usize) {
        assert!(!rest.starts_with(b"\n") && !rest.starts_with(b"\r"));
        let mut r = reader(b',');
        let (mut buf, mut ends) = (Vec::new(), Vec::new());
        let (_, read) = read_row(&mut r, rest, &mut buf, &mut ends, false);
        let mut end = read;
        if end > 0 && rest[end - 1] == b'\n' {
            end -= 1;
        }
        if end > 0 && rest[end - 1] == b'\r' {
            end -= 1;
        }
        (end, read)
    }

    /// Whether the row end `got` (and bytes taken) agrees with the
    /// reader's: the same end, and past what the reader reads only the
    /// rest of the line break (the reader stops after a carriage return
    /// and skips the line feed as an empty line before the next row).
    fn agrees(rest: &[u8], got: (usize, usize)) -> bool {
        let (end, read) = by_reader(rest);
        got.0 == end
            && got.1 >= read
            && rest[read..got.1].iter().all(|&b| b == b'\n' || b == b'\r')
    }

    #[test]
    fn well_formed_rows_end_without_the_reader() {
        for (row, want) in [
            ("a,b\nc", Some((3, 4))),
            ("a,b\r\nc", Some((3, 5))),
            ("a,b", Some((3, 3))),
            ("\"x\ny\",\"q\"\"\"\nz", Some((11, 12))),
            ("a,\"b,\r\n\"\r\n", Some((8, 10))),
            ("\n", Some((0, 1))),
            // Left to the reader: a lone carriage return, a quote inside
            // an unquoted field, text after a closing quote, an open quote.
            ("a\rb\n", None),
            ("a\"b,c\n", None),
            ("\"a\"b,c\n", None),
            ("\"open,c\n", None),
        ] {
            let got = well_formed_row(row.as_bytes(), b',');
            assert_eq!(got, want, "{row:?}");
            if let Some(got) = got.filter(|_| !row.starts_with('\n')) {
                assert!(agrees(row.as_bytes(), got), "{row:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// Wherever the hand-written search ends a row, the reader ends
        /// it there too.
        #[test]
        fn well_formed_rows_end_where_the_reader_ends_them(
            // Not starting with a line break: the split skips lines of
            // only whitespace before a row.
            rest in "([ab,\"][ab,\"\r\n]{0,24})?",
        ) {
            if let Some(got) = well_formed_row(rest.as_bytes(), b',') {
                proptest::prop_assert!(agrees(rest.as_bytes(), got), "{:?} {:?}", rest, got);
            }
        }

        /// Rows the csv writer writes (quoting what it must) take the
        /// hand-written search unless they hold a carriage return.
        #[test]
        fn written_rows_take_the_hand_written_search(
            fields in proptest::collection::vec("[ab,\"\r\n]{0,6}", 1..5),
            more in "[ab,\"\r\n]{0,8}",
        ) {
            let mut w = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Necessary)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            w.write_record(&fields).unwrap();
            let mut row = w.into_inner().unwrap();
            let len = row.len();
            row.extend_from_slice(more.as_bytes());
            let got = well_formed_row(&row, b',');
            if !fields.iter().any(|f| f.contains('\r')) && len > 1 {
                proptest::prop_assert_eq!(got, Some((len - 1, len)), "{:?}", row);
            }
            if let Some(got) = got.filter(|_| !row.starts_with(b"\n") && !row.starts_with(b"\r")) {
                proptest::prop_assert!(agrees(&row, got), "{:?} {:?}", row, got);
            }
        }
    }
}
