//! fastmatch: Panther's simple text patterns (SPEC.md §6).
//!
//! A pattern is literal text with placeholders: `%{name}` captures a
//! field, `%{}` skips one. The literal between two placeholders is the
//! delimiter that ends the first; a field ends at the first occurrence of
//! its delimiter. Matching is a left-to-right scan with one substring
//! search per field, no backtracking, so it runs in time linear in the
//! line.
//!
//! | pattern text | meaning |
//! |---|---|
//! | text before the first placeholder | a prefix the line must start with |
//! | `%{a}, %{b}` | `a` ends at the first `, ` |
//! | last placeholder at the end | it takes the rest of the line |
//! | `%{a}]` at the end | `a` ends at the first `]`; the rest is ignored |
//! | `"%{a}"` (or `'%{a}'`) | a quoted value, unescaped |
//! | `%{a}%{b}` | a compile error: nothing can end `a` |
//! | `%` not followed by `{` | literal text |
//!
//! # Quoted fields
//!
//! A placeholder whose literal before ends with a quote and whose
//! delimiter starts with the same quote reads a quoted value: it ends at
//! the first occurrence of its delimiter whose quote is not escaped by a
//! backslash (a quote preceded by an odd run of backslashes is escaped).
//! When the value holds a backslash it is unescaped (`\"`, `\'`, `\\`,
//! `\/`, `\n`, `\t`, `\r`; other escapes are kept as they are) into the
//! captures' buffer; otherwise it borrows from the line. An unescaped
//! quote that is not followed by the rest of the delimiter does not end
//! the value (as in Panther): `"%{a}" %{b}` on `"say "hi" now" x` gives
//! `a` = `say "hi`, the text up to the first `" `.
//!
//! The quotes are literal text of the pattern: a line whose value is not
//! quoted (`-` where `"%{x}"` is expected) does not match that pattern.
//! List an unquoted variant as a further pattern when a source sometimes
//! omits the quotes. (Falling back silently would make the split of the
//! *previous* field depend on the line, which is hard to predict.)
//!
//! # Field names
//!
//! ASCII letters, digits, `_`, `.`, `@` and `-`; spaces just inside the
//! braces are ignored (`%{ name }`), as in Panther. There is no escape for
//! a literal `%{`. A name may repeat within a pattern: every occurrence is
//! captured, and [`Parser`] keeps the last one that has a value.
//!
//! # Example
//!
//! ```
//! use lognorm::fastmatch::{Captures, Pattern};
//!
//! let p = Pattern::compile(r#"%{ip} - [%{time}] "%{request}" %{status}"#)?;
//! let line = r#"10.0.0.1 - [10/Oct/2000:13:55:36] "GET /a\"b HTTP/1.0" 200"#;
//! let mut caps = Captures::new();
//! assert!(p.matches(line, &mut caps));
//! assert_eq!(p.fields(), ["ip", "time", "request", "status"].map(Into::into));
//! assert_eq!(caps.get(line, 0), Some("10.0.0.1"));
//! assert_eq!(caps.get(line, 2), Some(r#"GET /a"b HTTP/1.0"#));
//! assert_eq!(caps.get(line, 3), Some("200"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

mod exec;
mod parse;

pub(crate) use exec::Span;
#[cfg(test)]
pub(crate) use exec::Src;
use exec::{Delim, Step, Template};
use parse::TemplatePiece;
pub(crate) use parse::check_name;

/// A compiled fastmatch pattern.
///
/// Compile once (at schema load), then call [`Pattern::matches`] per line
/// with a reused [`Captures`]. A `Pattern` is immutable, `Send` and
/// `Sync`.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The pattern text, as given.
    src: Box<str>,
    /// Literal text the line must start with.
    prefix: Box<str>,
    /// One step per placeholder, in order.
    steps: Box<[Step]>,
    /// The names of the capturing steps, in order.
    fields: Box<[Box<str>]>,
}

impl Pattern {
    /// Compiles a pattern.
    ///
    /// # Errors
    ///
    /// A pattern without placeholders, an unclosed `%{`, a character not
    /// allowed in a field name, or two placeholders with no delimiter
    /// between them. The error carries the byte offset in `src`.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::fastmatch::Pattern;
    ///
    /// let err = Pattern::compile("%{level} %{a}%{b}").unwrap_err();
    /// assert_eq!(err.offset(), 13);
    /// assert_eq!(
    ///     err.to_string(),
    ///     "pattern position 13: adjacent placeholders `%{a}%{b}`: \
    ///      a delimiter must separate them",
    /// );
    /// ```
    pub fn compile(src: &str) -> Result<Pattern, PatternError> {
        let parsed = parse::parse_pattern(src)?;
        let mut fields = Vec::new();
        let steps = parsed
            .fields
            .into_iter()
            .map(|f| {
                let capture = f.name.is_some();
                if let Some(name) = f.name {
                    fields.push(name);
                }
                Step {
                    end: Delim::new(f.delim.as_bytes()),
                    quoted: f.quote.is_some(),
                    capture,
                }
            })
            .collect();
        Ok(Pattern {
            src: src.into(),
            prefix: parsed.prefix,
            steps,
            fields: fields.into_boxed_slice(),
        })
    }

    /// The pattern text this was compiled from.
    pub fn as_str(&self) -> &str {
        &self.src
    }

    /// The literal text a matching line starts with (may be empty).
    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The field names in order; slot `i` of [`Captures`] holds field `i`.
    /// Anonymous `%{}` fields are not captured and not listed; a repeated
    /// name is listed at each occurrence.
    pub fn fields(&self) -> &[Box<str>] {
        &self.fields
    }
}

/// Reusable capture slots for [`Pattern::matches`].
///
/// Keep one per thread (in the caller's scratch) and pass it to every
/// call: after the first few lines it no longer allocates. Values are
/// byte ranges of the line, or of an internal buffer for unescaped quoted
/// values, so [`Captures::get`] needs the same line again.
#[derive(Clone, Debug, Default)]
pub struct Captures {
    /// One span per captured field of the last successful match.
    slots: Vec<Span>,
    /// Unescaped quoted values.
    buf: String,
}

impl Captures {
    /// Creates empty captures.
    pub fn new() -> Captures {
        Captures::default()
    }

    /// The value of field `i` from the last successful match of `line`,
    /// or `None` when `i` is out of range (or `line` is not the matched
    /// line and the range does not fit it).
    pub fn get<'a>(&'a self, line: &'a str, i: usize) -> Option<&'a str> {
        self.slots.get(i).and_then(|s| s.text(line, &self.buf, ""))
    }

    /// The number of captured fields: that of the pattern after a
    /// successful match, 0 after a failed one.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when nothing is captured.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Forgets the captured values, keeping the allocations.
    fn clear(&mut self) {
        self.slots.clear();
        self.buf.clear();
    }
}

/// What is wrong with a pattern (or an `expandFields` template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// The pattern has no placeholder.
    NoPlaceholder,
    /// `%{` without `}`; `text` is the pattern from the `%{`.
    Unclosed { text: Box<str> },
    /// A character not allowed in a field name.
    InvalidName { name: Box<str>, found: char },
    /// Two placeholders with nothing between them.
    Adjacent { text: Box<str> },
    /// `%{}` in an `expandFields` template.
    AnonymousInTemplate { text: Box<str> },
}

/// An error compiling a fastmatch pattern: what is wrong and the byte
/// offset in the pattern where it is.
///
/// `Display` is one line, e.g. ``pattern position 12: adjacent
/// placeholders `%{a}%{b}`: a delimiter must separate them``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    kind: ErrorKind,
    offset: usize,
}

impl PatternError {
    #[cold]
    #[inline(never)]
    fn new(kind: ErrorKind, offset: usize) -> PatternError {
        PatternError { kind, offset }
    }

    /// The byte offset in the pattern text where the problem is: the
    /// `%` of an unclosed or misplaced placeholder, the offending
    /// character of a name, 0 for a pattern without placeholders.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// User text quoted in a message: shortened to about 40 characters, with
/// control characters escaped (`\r`, `\n`, `\t`, `\u{1b}`) so the
/// message stays on one line.
struct Clip<'a>(&'a str);

impl fmt::Display for Clip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(40) {
            write!(f, "{}", Char(c))?;
        }
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// One character of user text in a message; control characters escaped.
struct Char(char);

impl fmt::Display for Char {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_control() {
            write!(f, "{}", self.0.escape_default())
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pattern position {}: ", self.offset)?;
        match &self.kind {
            ErrorKind::NoPlaceholder => f.write_str(
                "no placeholder: a pattern needs at least one `%{name}` \
                 or `%{}`",
            ),
            ErrorKind::Unclosed { text } => {
                let text = Clip(text);
                write!(f, "unclosed placeholder `{text}`: expected `}}`")
            }
            ErrorKind::InvalidName { name, found } => {
                let (name, found) = (Clip(name), Char(*found));
                write!(
                    f,
                    "invalid character `{found}` in field name \
                     `{name}`: use ASCII letters, digits, `_`, `.`, \
                     `@` or `-`"
                )
            }
            ErrorKind::Adjacent { text } => {
                let text = Clip(text);
                write!(
                    f,
                    "adjacent placeholders `{text}`: a delimiter must \
                     separate them"
                )
            }
            ErrorKind::AnonymousInTemplate { text } => write!(
                f,
                "anonymous placeholder `{}` in a template: name the \
                 field to insert",
                Clip(text)
            ),
        }
    }
}

impl std::error::Error for PatternError {}

/// The `parser: fastmatch:` block of a schema, as plain data for
/// [`Parser::compile`].
///
/// # Example
///
/// ```
/// use lognorm::fastmatch::ParserConfig;
///
/// let cfg = ParserConfig {
///     match_: &["%{a} %{b}"],
///     empty_values: &["-"],
///     ..ParserConfig::default()
/// };
/// assert!(!cfg.trim_space);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ParserConfig<'a> {
    /// `match`: the patterns, tried in order (at least one).
    pub match_: &'a [&'a str],
    /// `emptyValues`: values that mean "absent" (exact match, after
    /// `trimSpace`).
    pub empty_values: &'a [&'a str],
    /// `trimSpace`: trim ASCII whitespace around every matched value.
    pub trim_space: bool,
    /// `expandFields`: `(name, template)` pairs in schema order.
    pub expand_fields: &'a [(&'a str, &'a str)],
}

/// One pattern of a [`Parser`] and where its fields go.
#[derive(Clone, Debug)]
struct ParserPattern {
    pattern: Pattern,
    /// Output field index of each captured field of `pattern`.
    out: Box<[usize]>,
}

/// One `expandFields` entry, resolved to output field indexes.
#[derive(Clone, Debug)]
struct Expand {
    /// Output field index of the expanded value.
    out: usize,
    template: Template,
}

/// The `parser: fastmatch:` block of a schema, compiled: several
/// patterns tried in order, then `trimSpace`, `emptyValues` and
/// `expandFields`.
///
/// After a pattern matches, each captured value is trimmed of ASCII
/// whitespace (when `trimSpace` is on), then becomes absent if it equals
/// one of `emptyValues`. A name captured more than once keeps the last
/// occurrence that has a value (an absent later occurrence does not erase
/// an earlier value, as in Panther). Then each `expandFields` template is
/// rendered from these values (an absent field renders as nothing;
/// templates see only matched values, never the result of another
/// template); a result that is empty or one of `emptyValues` is dropped,
/// any other result sets (or overrides) its field.
///
/// # Example
///
/// ```
/// use lognorm::fastmatch::{ParseScratch, Parser, ParserConfig};
///
/// let parser = Parser::compile(ParserConfig {
///     match_: &["%{host}:%{port} %{user}", "%{host} %{user}"],
///     empty_values: &["-"],
///     trim_space: false,
///     expand_fields: &[("addr", "%{host}:%{port}")],
/// })?;
/// assert_eq!(parser.field_names(), ["host", "port", "user", "addr"].map(Into::into));
///
/// let mut out = ParseScratch::new();
/// let line = "example.com:443 -";
/// assert!(parser.parse(line, &mut out));
/// assert_eq!(out.get(line, 0), Some("example.com"));
/// assert_eq!(out.get(line, 2), None); // `-` is an empty value
/// assert_eq!(out.get(line, 3), Some("example.com:443"));
///
/// let line = "example.com alice";
/// assert!(parser.parse(line, &mut out)); // the second pattern
/// assert_eq!(out.get(line, 1), None);
/// assert_eq!(out.get(line, 3), Some("example.com:"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Parser {
    patterns: Box<[ParserPattern]>,
    names: Box<[Box<str>]>,
    empty_values: Box<[Box<str>]>,
    /// Bit `min(len, 63)` set for the byte length of each empty value.
    empty_lens: u64,
    trim_space: bool,
    expand: Box<[Expand]>,
    /// One pattern whose fields are the output fields in order, and no
    /// `expandFields`: the cleaned capture slots are the output, read in
    /// place (no copy into [`ParseScratch::slots`]).
    direct: bool,
}

/// Returns the index of `name` in `names`, appending it when new.
fn intern(names: &mut Vec<Box<str>>, name: &str) -> usize {
    match names.iter().position(|n| **n == *name) {
        Some(i) => i,
        None => {
            names.push(name.into());
            names.len() - 1
        }
    }
}

impl Parser {
    /// Compiles the patterns and templates of a `fastmatch` block.
    ///
    /// # Errors
    ///
    /// No pattern in `match`, a pattern that does not compile (the error
    /// gives its index), or an `expandFields` entry with an invalid name
    /// or a template that does not compile (an unclosed `%{`, an invalid
    /// name, an anonymous `%{}`).
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::fastmatch::{Parser, ParserConfig};
    ///
    /// let err = Parser::compile(ParserConfig {
    ///     match_: &["%{a} %{b}", "%{a} %{b"],
    ///     ..ParserConfig::default()
    /// })
    /// .unwrap_err();
    /// assert_eq!(err.pattern_index(), Some(1));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "match[1]: pattern position 5: unclosed placeholder `%{b`: \
    ///      expected `}`",
    /// );
    /// ```
    pub fn compile(cfg: ParserConfig<'_>) -> Result<Parser, ParserError> {
        if cfg.match_.is_empty() {
            return Err(ParserError::new(ParserErrorKind::NoPatterns));
        }
        let mut names: Vec<Box<str>> = Vec::new();
        let mut patterns = Vec::with_capacity(cfg.match_.len());
        for (index, src) in cfg.match_.iter().enumerate() {
            let pattern = Pattern::compile(src).map_err(|error| {
                ParserError::new(ParserErrorKind::Pattern { index, error })
            })?;
            let out = pattern
                .fields()
                .iter()
                .map(|n| intern(&mut names, n))
                .collect();
            patterns.push(ParserPattern { pattern, out });
        }
        Parser::assemble(names, patterns, cfg)
    }

    /// The `trimSpace`, `emptyValues` and `expandFields` stage alone, for
    /// the values another matcher (regex, csv) captures into the output
    /// fields `names`: fill them with [`Parser::finish`].
    pub(crate) fn post_only(
        names: Vec<Box<str>>,
        cfg: ParserConfig<'_>,
    ) -> Result<Parser, ParserError> {
        Parser::assemble(names, Vec::new(), cfg)
    }

    /// Compiles the `expandFields` of `cfg` over the pattern fields
    /// `names` and builds the parser.
    fn assemble(
        mut names: Vec<Box<str>>,
        patterns: Vec<ParserPattern>,
        cfg: ParserConfig<'_>,
    ) -> Result<Parser, ParserError> {
        let mut expand = Vec::with_capacity(cfg.expand_fields.len());
        // Names first, so a template may refer to any output field.
        let outs: Vec<usize> = cfg
            .expand_fields
            .iter()
            .enumerate()
            .map(|(index, &(name, _))| {
                if let Err((offset, found)) = parse::check_name(name) {
                    return Err(ParserError::new(
                        ParserErrorKind::ExpandName {
                            index,
                            name: name.into(),
                            bad: Some((offset, found)),
                        },
                    ));
                }
                if name.is_empty() {
                    return Err(ParserError::new(
                        ParserErrorKind::ExpandName {
                            index,
                            name: name.into(),
                            bad: None,
                        },
                    ));
                }
                Ok(intern(&mut names, name))
            })
            .collect::<Result<_, _>>()?;
        for (index, (&(name, src), out)) in
            cfg.expand_fields.iter().zip(outs).enumerate()
        {
            let pieces = parse::parse_template(src).map_err(|error| {
                ParserError::new(ParserErrorKind::Template {
                    index,
                    name: name.into(),
                    error,
                })
            })?;
            let template = pieces
                .into_iter()
                .filter_map(|piece| match piece {
                    TemplatePiece::Literal(s) => Some(exec::Piece::Literal(s)),
                    // A name no pattern captures always renders as nothing.
                    TemplatePiece::Field(n) => names
                        .iter()
                        .position(|x| *x == n)
                        .map(exec::Piece::Field),
                })
                .collect();
            expand
                .push(Expand { out, template: Template { pieces: template } });
        }
        let direct = expand.is_empty()
            && matches!(&patterns[..], [only] if only.out.len() == names.len()
                && only.out.iter().enumerate().all(|(i, &o)| i == o));
        Ok(Parser {
            direct,
            patterns: patterns.into_boxed_slice(),
            names: names.into_boxed_slice(),
            empty_values: cfg.empty_values.iter().map(|&v| v.into()).collect(),
            empty_lens: cfg
                .empty_values
                .iter()
                .fold(0, |lens, v| lens | 1 << v.len().min(63)),
            trim_space: cfg.trim_space,
            expand: expand.into_boxed_slice(),
        })
    }

    /// The distinct output field names, in first-seen order: the fields of
    /// every pattern, then the `expandFields` names not already listed.
    pub fn field_names(&self) -> &[Box<str>] {
        &self.names
    }

    /// Whether `trimSpace` is on.
    pub(crate) fn trims(&self) -> bool {
        self.trim_space
    }

    /// The compiled patterns, in `match` order.
    pub fn patterns(&self) -> impl ExactSizeIterator<Item = &Pattern> {
        self.patterns.iter().map(|p| &p.pattern)
    }
}

/// An error compiling a `fastmatch` block.
///
/// `Display` is one line: ``match[1]: pattern position 5: unclosed
/// placeholder `%{b`: expected `}` ``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParserError {
    kind: ParserErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ParserErrorKind {
    /// `match` is empty.
    NoPatterns,
    /// `match[index]` does not compile.
    Pattern { index: usize, error: PatternError },
    /// The name of `expandFields[index]` is empty or has the character
    /// `bad.1` at byte `bad.0`.
    ExpandName { index: usize, name: Box<str>, bad: Option<(usize, char)> },
    /// The template of `expandFields[index]` does not compile.
    Template { index: usize, name: Box<str>, error: PatternError },
}

impl ParserError {
    #[cold]
    #[inline(never)]
    fn new(kind: ParserErrorKind) -> ParserError {
        ParserError { kind }
    }

    /// The index in `match` of the pattern that does not compile.
    pub fn pattern_index(&self) -> Option<usize> {
        match self.kind {
            ParserErrorKind::Pattern { index, .. } => Some(index),
            _ => None,
        }
    }

    /// The index of the `expandFields` entry (in the order given to
    /// [`Parser::compile`]) whose name or template is wrong.
    pub fn expand_index(&self) -> Option<usize> {
        match self.kind {
            ParserErrorKind::ExpandName { index, .. }
            | ParserErrorKind::Template { index, .. } => Some(index),
            _ => None,
        }
    }

    /// The pattern (or template) error, with its byte offset in the
    /// pattern (or template) text.
    pub fn pattern_error(&self) -> Option<&PatternError> {
        match &self.kind {
            ParserErrorKind::Pattern { error, .. }
            | ParserErrorKind::Template { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for ParserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ParserErrorKind::NoPatterns => {
                f.write_str("no pattern in `match`: at least one is required")
            }
            ParserErrorKind::Pattern { index, error } => {
                write!(f, "match[{index}]: {error}")
            }
            ParserErrorKind::ExpandName { name, bad: None, .. } => write!(
                f,
                "expandFields: empty field name `{name}`: a name is required"
            ),
            ParserErrorKind::ExpandName {
                name,
                bad: Some((offset, found)),
                ..
            } => {
                let (name, found) = (Clip(name), Char(*found));
                write!(
                    f,
                    "expandFields: field name `{name}` position \
                     {offset}: invalid character `{found}`: use ASCII \
                     letters, digits, `_`, `.`, `@` or `-`"
                )
            }
            ParserErrorKind::Template { name, error, .. } => {
                write!(f, "expandFields `{name}`: {error}")
            }
        }
    }
}

impl std::error::Error for ParserError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.pattern_error().map(|e| e as _)
    }
}

/// Per-thread scratch for [`Parser::parse`]: capture slots, the output
/// values and the buffers for unescaped and expanded values.
///
/// Reuse one per thread: after warm-up a parse allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct ParseScratch {
    caps: Captures,
    /// One span per output field.
    slots: Vec<Span>,
    /// Rendered `expandFields` values.
    exp: String,
    /// Rendered spans, one per `expandFields` entry, before assignment.
    pending: Vec<Span>,
    /// The output is `caps.slots` (see `Parser::direct`), not `slots`.
    direct: bool,
}

impl ParseScratch {
    /// Creates empty scratch.
    pub fn new() -> ParseScratch {
        ParseScratch::default()
    }

    /// The buffer of unescaped values (what [`Span`]s of `Src::Buf`
    /// read), for a parser that fills it itself (csv).
    pub(crate) fn buf_mut(&mut self) -> &mut String {
        &mut self.caps.buf
    }

    /// The value of output field `field` (an index into
    /// [`Parser::field_names`]) after a successful parse of `line`;
    /// `None` when absent.
    pub fn get<'a>(&'a self, line: &'a str, field: usize) -> Option<&'a str> {
        let slots = if self.direct { &self.caps.slots } else { &self.slots };
        slots.get(field).and_then(|s| s.text(line, &self.caps.buf, &self.exp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser_err(cfg: ParserConfig<'_>) -> String {
        Parser::compile(cfg).unwrap_err().to_string()
    }

    #[test]
    fn parser_errors() {
        assert_eq!(
            parser_err(ParserConfig::default()),
            "no pattern in `match`: at least one is required"
        );
        let e = Parser::compile(ParserConfig {
            match_: &["%{a}", "x%{a}%{b}"],
            ..ParserConfig::default()
        })
        .unwrap_err();
        assert_eq!(e.pattern_index(), Some(1));
        assert_eq!(e.expand_index(), None);
        assert_eq!(e.pattern_error().map(PatternError::offset), Some(5));
        assert_eq!(
            e.to_string(),
            "match[1]: pattern position 5: adjacent placeholders \
             `%{a}%{b}`: a delimiter must separate them"
        );
        let e = Parser::compile(ParserConfig {
            match_: &["%{a}"],
            expand_fields: &[("ok", "x"), ("url", "http://%{host")],
            ..ParserConfig::default()
        })
        .unwrap_err();
        assert_eq!(e.expand_index(), Some(1));
        assert_eq!(
            e.to_string(),
            "expandFields `url`: pattern position 7: unclosed placeholder \
             `%{host`: expected `}`"
        );
        assert_eq!(
            parser_err(ParserConfig {
                match_: &["%{a}"],
                expand_fields: &[("a b", "x")],
                ..ParserConfig::default()
            }),
            "expandFields: field name `a b` position 1: invalid character \
             ` `: use ASCII letters, digits, `_`, `.`, `@` or `-`"
        );
        assert_eq!(
            parser_err(ParserConfig {
                match_: &["%{a}"],
                expand_fields: &[("", "x")],
                ..ParserConfig::default()
            }),
            "expandFields: empty field name ``: a name is required"
        );
    }

    #[test]
    fn field_names_first_seen_order() {
        let p = Parser::compile(ParserConfig {
            match_: &["%{b} %{a} %{}", "%{c}:%{a}:%{b}:%{d}"],
            expand_fields: &[("e", "%{zz}"), ("a", "%{c}")],
            ..ParserConfig::default()
        })
        .unwrap();
        let names: Vec<&str> = p.field_names().iter().map(|n| &**n).collect();
        assert_eq!(names, ["b", "a", "c", "d", "e"]);
        assert_eq!(p.patterns().len(), 2);
    }

    #[test]
    fn control_characters_in_errors_are_escaped() {
        // Messages stay on one line whatever the pattern holds. Found by
        // the `fastmatch_compile` fuzz target (an `expandFields` name
        // with a `\r`).
        assert_eq!(
            parser_err(ParserConfig {
                match_: &["%{a}"],
                expand_fields: &[("x\r", "y")],
                ..ParserConfig::default()
            }),
            "expandFields: field name `x\\r` position 1: invalid \
             character `\\r`: use ASCII letters, digits, `_`, `.`, `@` or \
             `-`"
        );
        assert_eq!(
            Pattern::compile("%{a\nb}").unwrap_err().to_string(),
            "pattern position 3: invalid character `\\n` in field name \
             `a\\nb`: use ASCII letters, digits, `_`, `.`, `@` or `-`"
        );
        assert_eq!(
            Pattern::compile("x%{a\r\n").unwrap_err().to_string(),
            "pattern position 1: unclosed placeholder `%{a\\r\\n`: expected \
             `}`"
        );
        let e = Parser::compile(ParserConfig {
            match_: &["%{a}"],
            expand_fields: &[("b", "%{\t}")],
            ..ParserConfig::default()
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "expandFields `b`: pattern position 0: anonymous placeholder \
             `%{\\t}` in a template: name the field to insert"
        );
    }

    #[test]
    fn long_text_in_errors_is_clipped() {
        let src = format!("%{{{}", "a".repeat(60));
        assert_eq!(
            Pattern::compile(&src).unwrap_err().to_string(),
            format!(
                "pattern position 0: unclosed placeholder `%{{{}…`: \
                 expected `}}`",
                "a".repeat(38)
            )
        );
    }

    #[test]
    fn direct_only_for_one_pattern_mapping_its_fields_in_order() {
        let direct = |match_: &[&str], expand: &[(&str, &str)]| {
            let cfg = ParserConfig {
                match_,
                expand_fields: expand,
                ..ParserConfig::default()
            };
            Parser::compile(cfg).unwrap().direct
        };
        assert!(direct(&["%{a} %{b} %{}"], &[]));
        assert!(!direct(&["%{a} %{a}"], &[]));
        assert!(!direct(&["%{a} %{b}", "%{a}"], &[]));
        assert!(!direct(&["%{a} %{b}"], &[("c", "%{a}")]));
    }

    proptest::proptest! {
        /// Reading the cleaned capture slots in place gives what the
        /// general copy into output slots gives: every value, on lines
        /// with empty values, spaces to trim, quotes and escapes.
        #[test]
        fn direct_parse_is_the_general_parse(
            fields in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just("-".to_owned()),
                    proptest::prelude::Just(String::new()),
                    "[a-z0-9 \\\\\"]{0,6}",
                ],
                4,
            ),
            trim_space in proptest::prelude::any::<bool>(),
        ) {
            let cfg = ParserConfig {
                match_: &["<%{a}>%{b} \"%{c}\" %{d}"],
                empty_values: &["-", "x y"],
                trim_space,
                ..ParserConfig::default()
            };
            let direct = Parser::compile(cfg).unwrap();
            proptest::prop_assert!(direct.direct);
            let mut general = Parser::compile(cfg).unwrap();
            general.direct = false;
            let line = format!(
                "<{}>{} \"{}\" {}",
                fields[0], fields[1], fields[2], fields[3]
            );
            let (mut a, mut b) = (ParseScratch::new(), ParseScratch::new());
            let matched = direct.parse(&line, &mut a);
            proptest::prop_assert_eq!(matched, general.parse(&line, &mut b));
            for i in 0..direct.field_names().len() {
                proptest::prop_assert_eq!(a.get(&line, i), b.get(&line, i));
            }
        }
    }
}
