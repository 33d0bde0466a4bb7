//! Text records: a line matched into named field values by the schema's
//! parser.
//!
//! [`TextParser`] is the one interface the driver sees; each of Panther's
//! text parsers is one kind of it, in a file beside this one (fastmatch,
//! regex, csv). A kind compiles once per schema, keeps its per-line state
//! in [`TextCaptures`] (one per thread, in the scratch) and borrows values
//! from the line where it can. All kinds share fastmatch's `trimSpace`,
//! `emptyValues` and `expandFields` stage and its output slots, so the
//! values are read one way (`TextParser::get`).

pub(crate) mod csv;
pub mod fastmatch;
pub(crate) mod grok;
pub(crate) mod regex;

/// A compiled text parser of one of Panther's kinds, with its
/// `skipPrefix`.
#[derive(Debug)]
pub(crate) struct TextParser {
    pub(crate) kind: TextKind,
    /// `skipPrefix`: removed from the line before matching when present
    /// (empty: none).
    pub(crate) skip_prefix: Box<str>,
}

/// The kinds of [`TextParser`].
#[derive(Debug)]
pub(crate) enum TextKind {
    /// `parser: fastmatch:` (see [`fastmatch`]).
    Fastmatch(fastmatch::Parser),
    /// `parser: regex:` (see [`regex`]).
    Regex(regex::Parser),
    /// `parser: csv:` (see [`csv`]).
    Csv(csv::Parser),
}

/// Why a line gave no values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mismatch {
    /// No pattern matched.
    NoMatch,
    /// A csv row with another number of columns than the names.
    Columns { found: usize, expected: usize },
    /// A csv row of a `hasHeader` log type without a header row.
    NoHeader,
    /// More than one csv row in the record.
    Rows,
}

/// The per-line state of every kind of [`TextParser`], reused across
/// lines (after warm-up a match allocates nothing).
#[derive(Clone, Debug, Default)]
pub(crate) struct TextCaptures {
    /// The output values of every kind.
    fastmatch: fastmatch::ParseScratch,
    regex: regex::RegexScratch,
    csv: csv::CsvScratch,
}

impl TextParser {
    /// The names of the fields the parser outputs; the value of field `i`
    /// is [`TextParser::get`]`(.., i)`.
    pub fn field_names(&self) -> &[Box<str>] {
        match &self.kind {
            TextKind::Fastmatch(p) => p.field_names(),
            TextKind::Regex(p) => p.field_names(),
            TextKind::Csv(p) => p.field_names(),
        }
    }

    /// The csv parser, for the csv-aware split.
    pub(crate) fn csv(&self) -> Option<&csv::Parser> {
        match &self.kind {
            TextKind::Csv(p) => Some(p),
            _ => None,
        }
    }

    /// Matches `line` (after `skipPrefix`); on success the values are in
    /// `caps`, to be read with [`TextParser::get`] and the line returned.
    /// `header` is the csv header row of the record's payload (empty
    /// when none).
    #[inline]
    pub fn parse<'l>(
        &self,
        line: &'l str,
        header: &[u8],
        caps: &mut TextCaptures,
    ) -> Result<&'l str, Mismatch> {
        let line = if self.skip_prefix.is_empty() {
            line
        } else {
            line.strip_prefix(&*self.skip_prefix).unwrap_or(line)
        };
        let ok = match &self.kind {
            TextKind::Fastmatch(p) => p.parse(line, &mut caps.fastmatch),
            TextKind::Regex(p) => {
                p.parse(line, &mut caps.regex, &mut caps.fastmatch)
            }
            TextKind::Csv(p) => {
                p.parse(line, header, &mut caps.csv, &mut caps.fastmatch)?;
                true
            }
        };
        if ok { Ok(line) } else { Err(Mismatch::NoMatch) }
    }

    /// The text the values of a successful [`parse`] that returned
    /// `line` are read from: the line, or a csv row's unquoted fields.
    /// Taken once per record, so reading each field is one lookup.
    ///
    /// [`parse`]: TextParser::parse
    #[inline]
    pub fn values<'a>(
        &self,
        caps: &'a TextCaptures,
        line: &'a str,
    ) -> Values<'a> {
        let text = match &self.kind {
            TextKind::Csv(_) if caps.csv.quoted => &caps.csv.text,
            _ => line,
        };
        Values { caps: &caps.fastmatch, text }
    }
}

/// The values of a matched text record (see [`TextParser::values`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Values<'a> {
    caps: &'a fastmatch::ParseScratch,
    text: &'a str,
}

impl<'a> Values<'a> {
    /// The value of field `i` (an index into [`TextParser::field_names`]);
    /// `None` when the field is absent (not matched, or one of the
    /// schema's `emptyValues`).
    #[inline]
    pub fn get(self, i: usize) -> Option<&'a str> {
        self.caps.get(self.text, i)
    }
}
