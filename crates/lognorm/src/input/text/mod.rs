//! Text records: a line matched into named field values by the schema's
//! parser.
//!
//! [`TextParser`] is the one interface the driver sees; each of Panther's
//! text parsers is one kind of it, in a file beside this one (fastmatch
//! today). A kind compiles once per schema, keeps its per-line state in
//! [`TextCaptures`] (one per thread, in the scratch) and borrows values
//! from the line where it can.

pub mod fastmatch;

/// A compiled text parser of one of Panther's kinds.
#[derive(Debug)]
pub(crate) enum TextParser {
    /// `parser: fastmatch:` (see [`fastmatch`]).
    Fastmatch(fastmatch::Parser),
}

/// The per-line state of every kind of [`TextParser`], reused across
/// lines (after warm-up a match allocates nothing).
#[derive(Clone, Debug, Default)]
pub(crate) struct TextCaptures {
    fastmatch: fastmatch::ParseScratch,
}

impl TextParser {
    /// The names of the fields the parser outputs; the value of field `i`
    /// is [`TextParser::get`]`(.., i)`.
    pub fn field_names(&self) -> &[Box<str>] {
        match self {
            TextParser::Fastmatch(p) => p.field_names(),
        }
    }

    /// Matches `line`; true when it matched, with the values in `caps`.
    #[inline]
    pub fn parse(&self, line: &str, caps: &mut TextCaptures) -> bool {
        match self {
            TextParser::Fastmatch(p) => p.parse(line, &mut caps.fastmatch),
        }
    }

    /// The value of field `i` after a successful [`parse`] of `line`;
    /// `None` when the field is absent (not matched, or one of the
    /// schema's `emptyValues`).
    ///
    /// [`parse`]: TextParser::parse
    #[inline]
    pub fn get<'a>(
        &self,
        caps: &'a TextCaptures,
        line: &'a str,
        i: usize,
    ) -> Option<&'a str> {
        match self {
            TextParser::Fastmatch(_) => caps.fastmatch.get(line, i),
        }
    }
}
