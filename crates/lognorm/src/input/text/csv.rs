//! `parser: csv:`: delimited rows (SPEC.md §9).
//!
//! A record is one csv row, as the csv-aware split cuts it (a quoted
//! newline does not end a row; see `input::csv_split`). Fields are what
//! the `csv` crate's core reader reads: RFC 4180 quoting, a doubled quote
//! inside quotes is one quote. The columns are named by `columns` (an
//! empty name drops its column) or, with `hasHeader`, by the payload's
//! header row: a header column names the schema field of that name, and
//! a column no field declares is dropped. A row with another number of
//! columns than the names is a record error naming both counts. Then
//! `trimSpace`, `emptyValues` and `expandFields` run as for fastmatch.
//!
//! A row whose quoting is well formed (each field unquoted, or quoted
//! whole) is read by hand ([`read_by_hand`]), as the reader would read
//! it: its fields are spans of the row itself (a quoted one without its
//! quotes), and only a field with doubled quotes is copied, unescaped.
//! Any other row goes through the reader and its unquoted copy.

use std::sync::Arc;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use super::Mismatch;
use super::fastmatch::{self, ParseScratch, ParserConfig, ParserError, Span};

/// No output field: the column is dropped.
const DROP: u32 = u32::MAX;

/// The `parser: csv:` block of a schema, as plain data.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CsvConfig<'a> {
    /// `delimiter`: one byte.
    pub delimiter: u8,
    /// `hasHeader`: the payload's first row names the columns.
    pub has_header: bool,
    /// `columns`: the name of each column (`""` drops it).
    pub columns: Option<&'a [&'a str]>,
    /// The schema's root field names (the names a header may use).
    pub fields: &'a [&'a str],
    pub empty_values: &'a [&'a str],
    pub trim_space: bool,
    pub expand_fields: &'a [(&'a str, &'a str)],
}

/// A compiled `parser: csv:` block.
#[derive(Debug)]
pub(crate) struct Parser {
    delimiter: u8,
    has_header: bool,
    /// The output field of each column, when `columns` names them.
    columns: Option<Box<[u32]>>,
    post: fastmatch::Parser,
    /// Identifies this parser to a scratch's cached header map: the
    /// scratch keeps a clone, so the allocation (and its address) is
    /// this parser's for as long as the cache can be compared with it.
    /// (No global counter: the crate keeps no global state.)
    id: Arc<()>,
}

/// Per-thread state: the reader, the unquoted fields of the last row,
/// and the column map of the last header seen.
#[derive(Clone, Debug, Default)]
pub(crate) struct CsvScratch {
    reader: Option<(u8, Reader)>,
    /// Whether the last row was read by the reader: its values are then
    /// read from `text`, otherwise from the row (and the captures'
    /// buffer).
    pub(crate) quoted: bool,
    /// The fields of the last row the reader read, unquoted, one after
    /// another.
    pub(crate) text: String,
    /// The reader's output for `text`, before its UTF-8 check.
    raw: Vec<u8>,
    ends: Vec<usize>,
    /// The parser and header bytes that `header_map` was built for: a
    /// scratch shared by several csv log types (or one kept past a
    /// registry) never reuses another parser's map.
    header_of: Option<Arc<()>>,
    header: Vec<u8>,
    header_map: Vec<u32>,
}

/// A reader for `delimiter`.
pub(crate) fn reader(delimiter: u8) -> Reader {
    ReaderBuilder::new().delimiter(delimiter).build()
}

/// Reads one row of `input` into `buf` (unquoted fields one after
/// another) and `ends` (the end of each field in `buf`); returns the
/// number of fields and of bytes of `input` read. Never allocates once
/// `buf` and `ends` are large enough. With `keep` false the fields are
/// not kept (only the bytes read count): small buffers are reused.
pub(crate) fn read_row(
    reader: &mut Reader,
    input: &[u8],
    buf: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    keep: bool,
) -> (usize, usize) {
    reader.reset();
    // Unquoting only shrinks a row. (`buf` keeps its length: resizing
    // it down and up again cost a memset a row.)
    let want = if keep { input.len() + 1 } else { 256 };
    if buf.len() < want {
        buf.resize(want, 0);
    }
    if ends.len() < 8 {
        ends.resize(8, 0);
    }
    let (mut rest, mut nout, mut nends, mut eof) = (input, 0, 0, false);
    loop {
        let out = buf.get_mut(nout..).unwrap_or_default();
        let ends_out = ends.get_mut(nends..).unwrap_or_default();
        let (res, nin, o, e) = reader.read_record(rest, out, ends_out);
        rest = rest.get(nin..).unwrap_or_default();
        nout += o;
        nends += e;
        match res {
            ReadRecordResult::InputEmpty if !eof && rest.is_empty() => {
                eof = true;
            }
            ReadRecordResult::OutputFull if !keep => nout = 0,
            ReadRecordResult::OutputEndsFull if !keep => nends = 0,
            ReadRecordResult::OutputFull => {
                let len = buf.len();
                buf.resize(len * 2 + 1, 0);
            }
            ReadRecordResult::OutputEndsFull => {
                let len = ends.len();
                ends.resize(len * 2, 0);
            }
            ReadRecordResult::InputEmpty
            | ReadRecordResult::Record
            | ReadRecordResult::End => break,
        }
    }
    // The ends are relative to the row's output, as `buf` is.
    (nends, input.len() - rest.len())
}

/// The positions of a row's delimiters, quotes, carriage returns and
/// line feeds, in order.
///
/// Hand-written with 16-byte blocks (hot path: every row of a csv export
/// is read with it): each block's structural bytes are found as one bit
/// mask, with no call a field, where a `memchr` call (one a field, or a
/// piece of a quoted field) cost about 40 instructions on fields this
/// short.
struct Structurals<'a> {
    row: &'a [u8],
    delimiter: wide::u8x16,
    /// Where the block of `mask` starts in `row`.
    at: usize,
    /// The bits of the structural bytes of that block not yet yielded.
    mask: u32,
    /// The first byte of `row` no block has read.
    next: usize,
}

impl<'a> Structurals<'a> {
    fn new(row: &'a [u8], delimiter: u8) -> Self {
        let delimiter = wide::u8x16::splat(delimiter);
        Structurals { row, delimiter, at: 0, mask: 0, next: 0 }
    }

    /// The bits of the structural bytes of `block`.
    #[inline(always)]
    fn bits(&self, block: [u8; 16]) -> u32 {
        use wide::u8x16;
        let v = u8x16::new(block);
        (v.simd_eq(self.delimiter)
            | v.simd_eq(u8x16::splat(b'"'))
            | v.simd_eq(u8x16::splat(b'\r'))
            | v.simd_eq(u8x16::splat(b'\n')))
        .to_bitmask()
    }

    /// Reads the next block of `row`; false past the row's end. A whole
    /// block takes no masking: only the row's last bytes do.
    #[inline(always)]
    fn load(&mut self) -> bool {
        let next = self.next;
        match self.row.get(next..).and_then(|b| b.first_chunk::<16>()) {
            Some(block) => {
                self.mask = self.bits(*block);
                self.at = next;
                self.next = next + 16;
                true
            }
            None => self.load_tail(),
        }
    }

    /// [`Structurals::load`] of the last bytes of the row, fewer than 16:
    /// the block ends at the row's end (its bits before `next` are
    /// dropped), or is padded when the row is under 16 bytes.
    #[inline]
    fn load_tail(&mut self) -> bool {
        let (row, len, next) = (self.row, self.row.len(), self.next);
        if next >= len {
            return false;
        }
        let at = len.saturating_sub(16);
        let block = match row.get(at..).and_then(|b| b.first_chunk::<16>()) {
            Some(b) => *b,
            None => {
                let mut pad = [0u8; 16];
                for (p, &b) in pad.iter_mut().zip(row) {
                    *p = b;
                }
                pad
            }
        };
        let live =
            ((1u32 << (len - at).min(16)) - 1) & (u32::MAX << (next - at));
        self.mask = self.bits(block) & live;
        self.at = at;
        self.next = len;
        true
    }
}

impl Iterator for Structurals<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if !self.load() {
                return None;
            }
        }
        let i = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.at + i)
    }
}

/// Reads the fields of `row` by hand, when its quoting is well formed:
/// each field either holds no quote, carriage return or line feed, or is
/// quoted whole (`"..."`, a doubled quote inside for a quote, the closing
/// quote right before a delimiter or the row's end). That is what the csv
/// core reader makes of such a row (tested against it in `tests`, and
/// the csv crate in `tests/textparsers.rs` and the `text_parsers` fuzz
/// target), without its ~13 instructions a byte: written by hand because
/// every row of a csv export is read here. Any other row (a quote inside
/// an unquoted field, text after a closing quote, a quote left open, a
/// line break outside quotes, an empty row) returns `None` and is left to
/// the reader.
///
/// Each field goes to `out` as it is read (its column counted from 0), as
/// a span of the row (a quoted one without its quotes), or, when it has
/// doubled quotes, of its unescaped copy in `out`'s buffer (cleared
/// first; pieces copied at ASCII bytes, so no UTF-8 check): a row
/// without doubled quotes is read with no copy at all. Returns the
/// number of fields (`out` may have taken some before a `None`).
fn read_by_hand(
    row: &str,
    delimiter: u8,
    out: &mut impl Fields,
) -> Option<usize> {
    out.buf().clear();
    let bytes = row.as_bytes();
    // An empty row has no field for the reader (an error of its own); a
    // delimiter that is not ASCII, a quote or a line break never comes
    // from the schema compiler.
    if bytes.is_empty()
        || !delimiter.is_ascii()
        || matches!(delimiter, b'"' | b'\n' | b'\r')
    {
        return None;
    }
    // The current field's start; inside quotes, the start of the piece
    // not yet copied and where the field's copy starts in `buf` (when it
    // has a doubled quote).
    let (mut start, mut col) = (0, 0);
    let mut quoted: Option<(usize, Option<usize>)> = None;
    let mut structurals = Structurals::new(bytes, delimiter);
    while let Some(at) = structurals.next() {
        let b = *bytes.get(at)?;
        let Some((piece, copy)) = quoted else {
            if b == delimiter {
                out.field(col, Span::line(start, at));
                col += 1;
                start = at + 1;
            } else if b == b'"' && at == start {
                quoted = Some((at + 1, None));
            } else {
                return None;
            }
            continue;
        };
        if b != b'"' {
            // A delimiter or line break inside quotes is text.
            continue;
        }
        let next = bytes.get(at + 1);
        if next == Some(&b'"') {
            // A doubled quote: the field is copied, up to one quote.
            let buf = out.buf();
            let copy = copy.unwrap_or(buf.len());
            buf.push_str(row.get(piece..=at)?);
            quoted = Some((at + 2, Some(copy)));
            // The second quote, the next structural byte, is read.
            structurals.next();
            continue;
        }
        if next.is_some_and(|&n| n != delimiter) {
            return None;
        }
        // The delimiter after the closing quote, the next structural
        // byte, is read.
        structurals.next();
        let span = match copy {
            None => Span::line(piece, at),
            Some(copy) => {
                let buf = out.buf();
                buf.push_str(row.get(piece..at)?);
                Span::buf(copy, buf.len())
            }
        };
        out.field(col, span);
        col += 1;
        quoted = None;
        start = at + 2;
        if next.is_none() {
            return Some(col);
        }
    }
    if quoted.is_some() {
        return None;
    }
    out.field(col, Span::line(start, bytes.len()));
    Some(col + 1)
}

/// Where [`read_by_hand`] puts a row's fields.
trait Fields {
    /// The buffer of unescaped fields.
    fn buf(&mut self) -> &mut String;
    /// Field `col` of the row.
    fn field(&mut self, col: usize, span: Span);
}

/// A row's fields straight into the parser's output (no list of them in
/// between: about 100 instructions a row less).
struct Output<'a> {
    post: &'a fastmatch::Parser,
    map: &'a [u32],
    row: &'a str,
    out: &'a mut ParseScratch,
}

impl Fields for Output<'_> {
    #[inline(always)]
    fn buf(&mut self) -> &mut String {
        self.out.buf_mut()
    }

    #[inline(always)]
    fn field(&mut self, col: usize, span: Span) {
        if let Some(&o) = self.map.get(col).filter(|&&o| o != DROP) {
            self.post.put(self.row, self.out, o as usize, span);
        }
    }
}

impl Parser {
    /// Compiles a `csv` block. `delimiter` and the column names were
    /// checked by the schema compiler.
    pub(crate) fn compile(cfg: CsvConfig<'_>) -> Result<Parser, ParserError> {
        let mut names: Vec<Box<str>> = Vec::new();
        let intern = |names: &mut Vec<Box<str>>, n: &str| -> u32 {
            let i = match names.iter().position(|x| **x == *n) {
                Some(i) => i,
                None => {
                    names.push(n.into());
                    names.len() - 1
                }
            };
            u32::try_from(i).unwrap_or(DROP)
        };
        let columns =
            cfg.columns.map(|cols| {
                cols.iter()
                    .map(|c| {
                        if c.is_empty() { DROP } else { intern(&mut names, c) }
                    })
                    .collect()
            });
        if columns.is_none() {
            for f in cfg.fields {
                intern(&mut names, f);
            }
        }
        let post = fastmatch::Parser::post_only(
            names,
            ParserConfig {
                match_: &[],
                empty_values: cfg.empty_values,
                trim_space: cfg.trim_space,
                expand_fields: cfg.expand_fields,
            },
        )?;
        Ok(Parser {
            delimiter: cfg.delimiter,
            has_header: cfg.has_header,
            columns,
            post,
            id: Arc::new(()),
        })
    }

    /// The delimiter byte.
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Whether payloads start with a header row.
    pub(crate) fn has_header(&self) -> bool {
        self.has_header
    }

    /// The output field names: the columns (or the schema's fields, for
    /// a header), then the `expandFields` names.
    pub(crate) fn field_names(&self) -> &[Box<str>] {
        self.post.field_names()
    }

    /// Reads one row; its values are then read from the row, or from
    /// `s.text` when `s.quoted`.
    pub(crate) fn parse(
        &self,
        row: &str,
        header: &[u8],
        s: &mut CsvScratch,
        out: &mut ParseScratch,
    ) -> Result<(), Mismatch> {
        let CsvScratch {
            reader: cached,
            quoted,
            text,
            raw,
            ends,
            header_of,
            header: seen,
            header_map,
        } = s;
        let reader = match cached {
            Some((d, r)) if *d == self.delimiter => r,
            slot => {
                &mut slot.insert((self.delimiter, reader(self.delimiter))).1
            }
        };
        let map: &[u32] = match &self.columns {
            Some(c) => c,
            None => {
                if header.is_empty() {
                    return Err(Mismatch::NoHeader);
                }
                let mine = header_of
                    .as_ref()
                    .is_some_and(|h| Arc::ptr_eq(h, &self.id));
                if !mine || seen != header {
                    self.map_header(reader, header, header_map);
                    *header_of = Some(Arc::clone(&self.id));
                    seen.clear();
                    seen.extend_from_slice(header);
                }
                header_map
            }
        };
        let bytes = row.as_bytes();
        *quoted = false;
        self.post.begin(out);
        let mut fields = Output { post: &self.post, map, row, out };
        match read_by_hand(row, self.delimiter, &mut fields) {
            Some(found) if found == map.len() => {
                self.post.end(row, out);
                return Ok(());
            }
            Some(found) => {
                return Err(Mismatch::Columns { found, expected: map.len() });
            }
            None => {}
        }
        *quoted = true;
        let (n, read) = read_row(reader, bytes, raw, ends, true);
        let len = ends.get(..n).and_then(|e| e.last()).copied().unwrap_or(0);
        // Unquoting keeps UTF-8 valid (it removes ASCII quotes only): the
        // check is a formality, with SIMD.
        let unquoted = raw.get(..len).unwrap_or_default();
        let Ok(unquoted) = simdutf8::basic::from_utf8(unquoted) else {
            return Err(Mismatch::NoMatch);
        };
        text.clear();
        text.push_str(unquoted);
        if read < row.len() {
            return Err(Mismatch::Rows);
        }
        if n != map.len() {
            return Err(Mismatch::Columns { found: n, expected: map.len() });
        }
        let ends = ends.get(..n).unwrap_or_default();
        let starts = std::iter::once(0).chain(ends.iter().copied());
        self.post.begin(out);
        for (&o, (a, &b)) in map.iter().zip(starts.zip(ends)) {
            if o != DROP {
                self.post.put(text, out, o as usize, Span::line(a, b));
            }
        }
        self.post.end(text, out);
        Ok(())
    }

    /// Builds the column map of `header` (on a new header only).
    #[cold]
    fn map_header(
        &self,
        reader: &mut Reader,
        header: &[u8],
        map: &mut Vec<u32>,
    ) {
        let (mut buf, mut ends) = (Vec::new(), Vec::new());
        let (n, _) = read_row(reader, header, &mut buf, &mut ends, true);
        map.clear();
        let mut start = 0;
        for &end in ends.get(..n).unwrap_or_default() {
            let name = buf.get(start..end).unwrap_or_default();
            let name =
                if self.post_trims() { name.trim_ascii() } else { name };
            let out = self
                .field_names()
                .iter()
                .position(|f| f.as_bytes() == name)
                .and_then(|i| u32::try_from(i).ok())
                .unwrap_or(DROP);
            map.push(out);
            start = end;
        }
    }

    /// Whether `trimSpace` is on (header names are trimmed too).
    fn post_trims(&self) -> bool {
        self.post.trims()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv core reader makes of `row`: its fields, or `None`
    /// when it reads fewer bytes than the row (a line break ends it).
    fn by_reader(row: &str) -> Option<Vec<String>> {
        let mut r = reader(b',');
        let (mut buf, mut ends) = (Vec::new(), Vec::new());
        let (n, read) =
            read_row(&mut r, row.as_bytes(), &mut buf, &mut ends, true);
        if read < row.len() {
            return None;
        }
        let mut start = 0;
        let mut fields = Vec::new();
        for &end in &ends[..n] {
            fields.push(String::from_utf8(buf[start..end].to_vec()).ok()?);
            start = end;
        }
        Some(fields)
    }

    /// The fields [`read_by_hand`] gives, in order.
    #[derive(Default)]
    struct Spans {
        buf: String,
        spans: Vec<Span>,
    }

    impl Fields for Spans {
        fn buf(&mut self) -> &mut String {
            &mut self.buf
        }
        fn field(&mut self, col: usize, span: Span) {
            assert_eq!(col, self.spans.len());
            self.spans.push(span);
        }
    }

    /// [`read_by_hand`]'s fields with `delimiter`, or `None`; also
    /// whether any was copied.
    fn by_hand_with(row: &str, delimiter: u8) -> Option<(Vec<String>, bool)> {
        let mut out = Spans { buf: "stale".to_owned(), spans: Vec::new() };
        let n = read_by_hand(row, delimiter, &mut out)?;
        let Spans { buf, spans } = out;
        assert_eq!(n, spans.len());
        let copied = spans.iter().any(|s| s.src == super::fastmatch::Src::Buf);
        let fields = spans
            .iter()
            .map(|s| s.text(row, &buf, "").map(str::to_owned))
            .collect::<Option<Vec<_>>>()?;
        Some((fields, copied))
    }

    fn by_hand(row: &str) -> Option<Vec<String>> {
        by_hand_with(row, b',').map(|(f, _)| f)
    }

    #[test]
    fn well_formed_rows_are_read_by_hand() {
        for (row, want, copied) in [
            ("a,b,,c", Some(vec!["a", "b", "", "c"]), false),
            (",", Some(vec!["", ""]), false),
            (r#"a,"b,c",d"#, Some(vec!["a", "b,c", "d"]), false),
            (r#""say ""hi""","","#, Some(vec![r#"say "hi""#, "", ""]), true),
            (r#""""",x"#, Some(vec![r#"""#, "x"]), true),
            ("\"two\nlines\",x", Some(vec!["two\nlines", "x"]), false),
            ("\"cr\r\",x", Some(vec!["cr\r", "x"]), false),
            (r#""é","ü""#, Some(vec!["é", "ü"]), false),
            (
                "0123456789abcdef,\"0123456789,\"\"abcdef\",x,",
                Some(vec!["0123456789abcdef", "0123456789,\"abcdef", "x", ""]),
                true,
            ),
            // Left to the reader: text after a closing quote, a quote
            // inside an unquoted field, a quote left open, a line break
            // outside quotes.
            (r#""a"b,c"#, None, false),
            (r#"a"b,c"#, None, false),
            (r#""open,c"#, None, false),
            ("a,b\r", None, false),
            ("0123456789abcdef0123\nx", None, false),
            ("", None, false),
        ] {
            let want = want.map(|w| {
                (w.into_iter().map(str::to_owned).collect::<Vec<_>>(), copied)
            });
            assert_eq!(by_hand_with(row, b','), want, "{row:?}");
        }
        let tsv = by_hand_with("a\tb", b'\t').map(|(f, _)| f);
        assert_eq!(tsv, Some(vec!["a".to_owned(), "b".to_owned()]));
        // A zero delimiter: the padding of a short row is no field.
        let zero = by_hand_with("a\0b", 0).map(|(f, _)| f);
        assert_eq!(zero, Some(vec!["a".to_owned(), "b".to_owned()]));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// A row without quotes or line breaks is split at every
        /// delimiter, at every length and offset, without a copy.
        #[test]
        fn plain_rows_split_as_split_does(row in "[ab,é]{1,70}") {
            let want = row.split(',').map(str::to_owned).collect::<Vec<_>>();
            proptest::prop_assert_eq!(by_hand_with(&row, b','), Some((want, false)), "{:?}", row);
        }

        /// Whatever the hand-written reading accepts, it reads as the csv
        /// core reader does (rows over a 16-byte block too).
        #[test]
        fn unquoting_by_hand_agrees_with_the_reader(row in "[ab,\"\r\né]{0,40}") {
            if let Some(got) = by_hand(&row) {
                proptest::prop_assert_eq!(Some(got), by_reader(&row), "{:?}", row);
            }
        }

        /// Every row the csv writer writes is read by hand (none is left
        /// to the reader), as the reader reads it.
        #[test]
        fn written_rows_are_read_by_hand(
            fields in proptest::collection::vec("[ab,\"\r\né]{0,6}", 1..5),
        ) {
            let mut w = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Necessary)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            w.write_record(&fields).unwrap();
            let line = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let row = line.strip_suffix('\n').unwrap();
            if !row.is_empty() {
                proptest::prop_assert_eq!(by_hand(row), Some(fields.clone()), "{:?}", row);
                proptest::prop_assert_eq!(by_reader(row), Some(fields), "{:?}", row);
            }
        }
    }
}
