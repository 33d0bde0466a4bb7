//! Matching: the per-line hot path of [`Pattern::matches`] and
//! [`Parser::parse`].
//!
//! A match is one left-to-right pass: check the prefix, then for each
//! field search its delimiter in the rest of the line with a searcher
//! built at compile time. Values are recorded as byte ranges ([`Span`]),
//! so nothing is copied unless a quoted value must be unescaped or an
//! `expandFields` template rendered; both write into reused buffers.

use memchr::memmem;

use super::{Captures, ParseScratch, Parser, Pattern};

/// The searcher for one delimiter, built once at compile time.
///
/// Hand-optimized (hot path), measured on the Heroku pattern (eight
/// delimiters, six of them a space): a one-byte delimiter uses `memchr`
/// directly instead of a `memmem::Finder` (which also ends in `memchr`
/// for one byte, after its dispatch; ~20% faster over the eight), and
/// first looks at the next [`SHORT`] bytes with a plain loop, because
/// log fields are short and a SIMD call costs more than a few compares
/// (another ~20%).
#[derive(Clone, Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per pattern; boxing the finder would add a \
              pointer chase to every search"
)]
pub(crate) enum Delim {
    /// A one-byte delimiter.
    Byte(u8),
    /// A longer delimiter.
    Bytes(memmem::Finder<'static>),
}

/// How many bytes a one-byte search checks before calling `memchr`.
const SHORT: usize = 8;

impl Delim {
    /// The searcher for `needle`; `None` when it is empty.
    pub(crate) fn new(needle: &[u8]) -> Option<Delim> {
        match needle {
            [] => None,
            [b] => Some(Delim::Byte(*b)),
            _ => Some(Delim::Bytes(memmem::Finder::new(needle).into_owned())),
        }
    }

    /// The delimiter length in bytes.
    #[inline]
    fn len(&self) -> usize {
        match self {
            Delim::Byte(_) => 1,
            Delim::Bytes(f) => f.needle().len(),
        }
    }

    /// The offset of the first occurrence in `hay`.
    #[inline]
    fn find(&self, hay: &[u8]) -> Option<usize> {
        match self {
            Delim::Byte(b) => {
                let head = hay.get(..SHORT).unwrap_or(hay);
                match head.iter().position(|c| c == b) {
                    Some(i) => Some(i),
                    None => hay
                        .get(SHORT..)
                        .and_then(|tail| memchr::memchr(*b, tail))
                        .map(|i| i + SHORT),
                }
            }
            Delim::Bytes(f) => f.find(hay),
        }
    }
}

/// One placeholder of a compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    /// The delimiter ending the field; `None` for a last field that takes
    /// the rest of the line.
    pub(crate) end: Option<Delim>,
    /// The field sits between quotes: skip escaped quotes, unescape.
    pub(crate) quoted: bool,
    /// The field is named (not `%{}`), so it fills a capture slot.
    pub(crate) capture: bool,
}

/// Where a value is in the buffer named by [`Span::src`]: a byte range
/// of the line, of the unescape buffer (`Captures::buf`) or of the
/// expansion buffer (`ParseScratch::exp`).
///
/// Hand-optimized (hot path): a plain struct of scalars rather than an
/// enum with data, so the match loop stores each field straight into
/// the slot. Writing an enum value made LLVM build it on the stack and
/// copy it with a wider load, a store-forwarding stall per field that
/// cost ~40% of a Heroku match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) src: Src,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// The buffer a [`Span`] points into.
///
/// Word-sized so a [`Span`] has no padding: copying padding bytes made
/// LLVM emit overlapping partial loads that stalled (measured).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(usize)]
pub(crate) enum Src {
    /// No value.
    #[default]
    Absent,
    /// The matched line.
    Line,
    /// An unescaped quoted value in `Captures::buf`.
    Buf,
    /// A rendered template in `ParseScratch::exp`.
    Exp,
}

impl Span {
    /// No value.
    pub(crate) const ABSENT: Span =
        Span { src: Src::Absent, start: 0, end: 0 };

    /// `line[start..end]`.
    #[inline]
    pub(crate) fn line(start: usize, end: usize) -> Span {
        Span { src: Src::Line, start, end }
    }

    /// `buf[start..end]` of the captures' buffer of unescaped values.
    #[inline]
    pub(crate) fn buf(start: usize, end: usize) -> Span {
        Span { src: Src::Buf, start, end }
    }

    /// Whether there is no value.
    #[inline]
    pub(crate) fn is_absent(self) -> bool {
        self.src == Src::Absent
    }

    /// The text of the span; `None` when absent (or out of range, which
    /// only happens when the caller passes another line).
    #[inline]
    pub(crate) fn text<'a>(
        self,
        line: &'a str,
        buf: &'a str,
        exp: &'a str,
    ) -> Option<&'a str> {
        let text = match self.src {
            Src::Absent => return None,
            Src::Line => line,
            Src::Buf => buf,
            Src::Exp => exp,
        };
        text.get(self.start..self.end)
    }

    /// The sub-span `from..to`, relative to the start of this one.
    #[inline]
    fn narrow(self, from: usize, to: usize) -> Span {
        Span { src: self.src, start: self.start + from, end: self.start + to }
    }
}

/// A piece of a compiled `expandFields` template.
#[derive(Clone, Debug)]
pub(crate) enum Piece {
    /// Text copied as is.
    Literal(Box<str>),
    /// The value of this output field (nothing when absent).
    Field(usize),
}

/// A compiled `expandFields` template.
#[derive(Clone, Debug)]
pub(crate) struct Template {
    pub(crate) pieces: Box<[Piece]>,
}

/// The length of a quoted value at the start of `hay`: the offset of the
/// first occurrence of `delim` (which starts with the closing quote)
/// whose quote is not escaped, i.e. not preceded by an odd run of
/// backslashes. Linear: each backslash run is counted once, because a
/// run cannot extend back past the previous candidate's quote.
#[inline]
fn find_quoted(delim: &Delim, hay: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + delim.find(hay.get(from..)?)?;
        let before = hay.get(..at)?;
        let run = before.iter().rev().take_while(|&&b| b == b'\\').count();
        if run % 2 == 0 {
            return Some(at);
        }
        from = at + 1;
    }
}

/// Appends `value` to `buf` with its escapes resolved. `\"`, `\'`,
/// `\\`, `\/`, `\n`, `\t` and `\r` are replaced; any other backslash is
/// kept as it is, with the character after it.
#[inline(never)]
fn unescape(value: &str, buf: &mut String) {
    let mut rest = value;
    while let Some(i) = memchr::memchr(b'\\', rest.as_bytes()) {
        // `i` is the offset of an ASCII byte, so a char boundary.
        buf.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        let c = match after.as_bytes().first() {
            Some(b'"') => Some('"'),
            Some(b'\'') => Some('\''),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'n') => Some('\n'),
            Some(b't') => Some('\t'),
            Some(b'r') => Some('\r'),
            _ => None,
        };
        match c {
            Some(c) => {
                buf.push(c);
                rest = after.get(1..).unwrap_or_default();
            }
            None => {
                buf.push('\\');
                rest = after;
            }
        }
    }
    buf.push_str(rest);
}

impl Pattern {
    /// Matches one line. On success fills `caps` (slot `i` holds field
    /// `i` of [`Pattern::fields`]) and returns true; on failure `caps` is
    /// left empty.
    ///
    /// Values borrow from `line`, except quoted values with escapes,
    /// which are unescaped into `caps`; read them with
    /// [`Captures::get`] and the same line.
    ///
    /// # Complexity
    ///
    /// Linear in the length of the line: one substring search per field,
    /// never backtracking.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::fastmatch::{Captures, Pattern};
    ///
    /// let p = Pattern::compile("LOG %{level}: %{msg}")?;
    /// let mut caps = Captures::new();
    /// assert!(p.matches("LOG warn: disk: full", &mut caps));
    /// assert_eq!(caps.get("LOG warn: disk: full", 1), Some("disk: full"));
    /// assert!(!p.matches("log warn: disk", &mut caps));
    /// assert_eq!(caps.len(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, line: &str, caps: &mut Captures) -> bool {
        // The slots are not cleared here: see `exec`.
        caps.buf.clear();
        let ok = self.exec(line, caps).is_some();
        if !ok {
            caps.clear();
        }
        ok
    }

    /// The match loop (hot path). `None` means no match.
    #[inline]
    fn exec(&self, line: &str, caps: &mut Captures) -> Option<()> {
        let bytes = line.as_bytes();
        // (An empty prefix skips the call to `bcmp`.)
        if !self.prefix.is_empty()
            && !bytes.starts_with(self.prefix.as_bytes())
        {
            return None;
        }
        // Slots are written in place: pushing an enum built on the stack
        // cost a store-forwarding stall per field (measured: 2x slower).
        // A match writes every slot (one per capturing step) and a failed
        // one clears them, so the slots of the last line need no reset,
        // only the right length (−30 instructions a Heroku line).
        caps.slots.resize(self.fields.len(), Span::ABSENT);
        let mut slots = caps.slots.iter_mut();
        let mut pos = self.prefix.len();
        for step in &self.steps {
            let rest = bytes.get(pos..)?;
            let Some(delim) = &step.end else {
                // Last field, nothing after it: the rest of the line.
                if step.capture {
                    *slots.next()? = Span::line(pos, bytes.len());
                }
                debug_assert!(slots.next().is_none(), "a slot not written");
                return Some(());
            };
            let len = if step.quoted {
                find_quoted(delim, rest)?
            } else {
                delim.find(rest)?
            };
            if step.capture {
                let end = pos + len;
                let value = rest.get(..len)?;
                let slot = slots.next()?;
                if step.quoted && memchr::memchr(b'\\', value).is_some() {
                    // A valid UTF-8 needle found in valid UTF-8 ends on a
                    // char boundary, so this never fails.
                    let text = line.get(pos..end)?;
                    let start = caps.buf.len();
                    unescape(text, &mut caps.buf);
                    *slot = Span { src: Src::Buf, start, end: caps.buf.len() };
                } else {
                    *slot = Span::line(pos, end);
                }
            }
            pos += len + delim.len();
        }
        // The last delimiter was found; the rest of the line is ignored.
        debug_assert!(slots.next().is_none(), "a slot not written");
        Some(())
    }
}

impl Parser {
    /// Matches a line against the patterns in order and post-processes
    /// the first match (`trimSpace`, `emptyValues`, `expandFields`; see
    /// [`Parser`]). Returns false when no pattern matches.
    ///
    /// On success, [`ParseScratch::get`] gives the value of each output
    /// field (indexes of [`Parser::field_names`]), or `None` when absent.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::fastmatch::{ParseScratch, Parser, ParserConfig};
    ///
    /// let parser = Parser::compile(ParserConfig {
    ///     match_: &["%{a}|%{b}|%{c}"],
    ///     empty_values: &["-"],
    ///     trim_space: true,
    ///     ..ParserConfig::default()
    /// })?;
    /// let mut out = ParseScratch::new();
    /// let line = " x | - |";
    /// assert!(parser.parse(line, &mut out));
    /// assert_eq!(out.get(line, 0), Some("x"));
    /// assert_eq!(out.get(line, 1), None);
    /// assert_eq!(out.get(line, 2), Some(""));
    /// assert!(!parser.parse("x", &mut out));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(&self, line: &str, out: &mut ParseScratch) -> bool {
        out.slots.clear();
        out.exp.clear();
        out.pending.clear();
        out.direct = false;
        if self.direct
            && let Some(only) = self.patterns.first()
        {
            if !only.pattern.matches(line, &mut out.caps) {
                return false;
            }
            let Captures { slots, buf } = &mut out.caps;
            for slot in slots.iter_mut() {
                if !self.is_kept(*slot) {
                    *slot = self.clean_text(*slot, line, buf);
                }
            }
            out.direct = true;
            return true;
        }
        let Some(matched) = self
            .patterns
            .iter()
            .find(|p| p.pattern.matches(line, &mut out.caps))
        else {
            return false;
        };
        out.slots.resize(self.names.len(), Span::ABSENT);
        for (&span, &o) in out.caps.slots.iter().zip(matched.out.iter()) {
            let span = self.clean(span, line, &out.caps.buf);
            // The last occurrence of a name that has a value wins.
            if !span.is_absent()
                && let Some(slot) = out.slots.get_mut(o)
            {
                *slot = span;
            }
        }
        if !self.expand.is_empty() {
            self.expand_into(line, out);
        }
        true
    }

    /// The post-processing of [`Parser::parse`] for values captured by
    /// another matcher: each `(output field, span)` of `values` (a span
    /// of `line` or of the captures' buffer, which the caller filled) is
    /// cleaned and assigned (the last one with a value wins), then the
    /// `expandFields` templates run.
    #[inline]
    pub(crate) fn finish(
        &self,
        line: &str,
        out: &mut ParseScratch,
        values: impl Iterator<Item = (usize, Span)>,
    ) {
        self.begin(out);
        for (o, span) in values {
            self.put(line, out, o, span);
        }
        self.end(line, out);
    }

    /// [`Parser::finish`] in three steps, for a matcher whose loop is
    /// tighter written out: every output field absent ...
    #[inline]
    pub(crate) fn begin(&self, out: &mut ParseScratch) {
        out.slots.clear();
        out.exp.clear();
        out.pending.clear();
        out.direct = false;
        out.slots.resize(self.names.len(), Span::ABSENT);
    }

    /// ... then output field `o` set to `span`, cleaned (unless that
    /// leaves nothing) ...
    #[inline(always)]
    pub(crate) fn put(
        &self,
        line: &str,
        out: &mut ParseScratch,
        o: usize,
        span: Span,
    ) {
        // A kept span is never absent: one test on the common path.
        let span = if self.is_kept(span) {
            span
        } else {
            let span = self.clean_text(span, line, &out.caps.buf);
            if span.is_absent() {
                return;
            }
            span
        };
        if let Some(slot) = out.slots.get_mut(o) {
            *slot = span;
        }
    }

    /// ... then the `expandFields` templates.
    #[inline]
    pub(crate) fn end(&self, line: &str, out: &mut ParseScratch) {
        if !self.expand.is_empty() {
            self.expand_into(line, out);
        }
    }

    /// Applies `trimSpace` and `emptyValues` to one captured value.
    ///
    /// Without `trimSpace`, a value whose length is not the length of an
    /// empty value is kept as it is, without reading its text: most
    /// values take this exit (with `emptyValues: ['-']`, all but the
    /// one-byte ones), which cut the cost of this pass by about two
    /// thirds on Heroku lines.
    #[inline(always)]
    fn clean(&self, span: Span, line: &str, buf: &str) -> Span {
        if self.is_kept(span) {
            span
        } else {
            self.clean_text(span, line, buf)
        }
    }

    /// Whether `span` is kept as it is without reading its text: no
    /// `trimSpace`, and its length is not that of an empty value.
    #[inline(always)]
    fn is_kept(&self, span: Span) -> bool {
        let len = span.end.saturating_sub(span.start);
        !self.trim_space && self.empty_lens & (1 << len.min(63)) == 0
    }

    /// [`Parser::clean`] of a value whose text must be read.
    #[inline(never)]
    fn clean_text(&self, span: Span, line: &str, buf: &str) -> Span {
        let Some(text) = span.text(line, buf, "") else {
            return Span::ABSENT;
        };
        let (span, text) = if self.trim_space {
            let lead = text.len() - text.trim_ascii_start().len();
            let trimmed = text.trim_ascii();
            (span.narrow(lead, lead + trimmed.len()), trimmed)
        } else {
            (span, text)
        };
        if self.is_empty_value(text) { Span::ABSENT } else { span }
    }

    /// Whether `value` is one of `emptyValues`.
    #[inline]
    fn is_empty_value(&self, value: &str) -> bool {
        self.empty_values.iter().any(|e| **e == *value)
    }

    /// Renders the `expandFields` templates from the matched values, then
    /// assigns the non-empty results.
    fn expand_into(&self, line: &str, out: &mut ParseScratch) {
        let ParseScratch { caps, slots, exp, pending, .. } = out;
        for e in &self.expand {
            let start = exp.len();
            for piece in &e.template.pieces {
                match piece {
                    Piece::Literal(s) => exp.push_str(s),
                    Piece::Field(o) => {
                        // Only matched values exist yet (no `Exp` spans).
                        let value = slots
                            .get(*o)
                            .and_then(|s| s.text(line, &caps.buf, ""));
                        if let Some(value) = value {
                            exp.push_str(value);
                        }
                    }
                }
            }
            let value = exp.get(start..).unwrap_or_default();
            if value.is_empty() || self.is_empty_value(value) {
                exp.truncate(start);
                pending.push(Span::ABSENT);
            } else {
                pending.push(Span { src: Src::Exp, start, end: exp.len() });
            }
        }
        for (e, &span) in self.expand.iter().zip(pending.iter()) {
            if !span.is_absent()
                && let Some(slot) = slots.get_mut(e.out)
            {
                *slot = span;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    // The table of pattern and parser cases (inputs and exact expected
    // captures or errors) is `testdata/fastmatch.toml`, run by
    // `tests/fastmatch.rs`; the tests here need the crate's internals.
    use super::*;
    use crate::input::text::fastmatch::ParserConfig;
    use proptest::prelude::*;

    const HEROKU: &str = "%{message_len} <%{priority}>%{version} \
        %{timestamp} %{host_name} %{app_name} %{process_id} %{message_id} \
        %{message}";

    const HEROKU_STATE: &str = "83 <40>1 2012-11-30T06:45:29+00:00 host app \
        web.3 - State changed from starting to up";

    const HEROKU_ROUTER: &str = "277 <158>1 2012-10-11T03:47:20+00:00 host \
        heroku router - at=info method=GET path=\"/\" \
        host=myapp.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 \
        fwd=\"204.204.204.204\" dyno=web.1 connect=1ms service=18ms \
        status=200 bytes=13 protocol=https";

    #[test]
    fn delim_find_around_the_short_scan() {
        for needle in [&b" "[..], b" <", b"\xc3\xa9"] {
            let delim = Delim::new(needle).unwrap();
            assert_eq!(delim.len(), needle.len());
            for len in 0..3 * SHORT {
                let hay = vec![b'x'; len];
                assert_eq!(delim.find(&hay), None, "{needle:?} {len}");
                for at in 0..=len.saturating_sub(needle.len()) {
                    let mut hay = hay.clone();
                    if at + needle.len() > len {
                        continue;
                    }
                    hay[at..at + needle.len()].copy_from_slice(needle);
                    // A second occurrence later must not be reported.
                    hay.extend_from_slice(needle);
                    assert_eq!(delim.find(&hay), Some(at), "{needle:?} {len}");
                }
            }
        }
        assert!(Delim::new(b"").is_none());
    }

    /// Needles whose first and last bytes recur in the hay without the
    /// rest (candidates the block search must check and drop), including
    /// one longer than a block, at every offset around the inline blocks.
    #[test]
    fn delim_find_drops_false_candidates() {
        for (needle, filler) in [
            (&b"<=>"[..], &b"<x><=<>"[..]),
            (b"ab", b"aab"),
            (b"0123456789abcdefXY", b"0Y0123456789abcdefX"),
        ] {
            let delim = Delim::new(needle).unwrap();
            for len in 0..3 * SHORT {
                let hay: Vec<u8> =
                    filler.iter().copied().cycle().take(len).collect();
                let naive = |h: &[u8]| {
                    h.windows(needle.len()).position(|w| w == needle)
                };
                assert_eq!(delim.find(&hay), naive(&hay), "{len}");
                for at in 0..len.saturating_sub(needle.len()) {
                    let mut hay = hay.clone();
                    hay[at..at + needle.len()].copy_from_slice(needle);
                    assert_eq!(delim.find(&hay), naive(&hay), "{at} {len}");
                }
            }
        }
    }

    #[test]
    fn values_borrow_unless_unescaped() {
        let p = Pattern::compile(r#""%{a}" "%{b}""#).unwrap();
        let mut caps = Captures::new();
        assert!(p.matches(r#""x y" "z\"""#, &mut caps));
        assert_eq!(
            caps.slots,
            [Span::line(1, 4), Span { src: Src::Buf, start: 0, end: 2 }]
        );
        assert_eq!(caps.buf, "z\"");
        assert_eq!(caps.get(r#""x y" "z\"""#, 2), None);
    }

    #[test]
    fn no_allocation_after_warm_up() {
        let parser = Parser::compile(ParserConfig {
            match_: &[r#"<%{a}> "%{b}" %{c}"#, HEROKU],
            empty_values: &["-"],
            trim_space: true,
            expand_fields: &[("ab", "%{a}/%{b}/%{message}")],
        })
        .unwrap();
        let lines =
            [HEROKU_STATE, HEROKU_ROUTER, r#"<1> "a \"quoted\" value" rest"#];
        let mut out = ParseScratch::new();
        let caps = |out: &ParseScratch| {
            [
                out.caps.slots.capacity(),
                out.caps.buf.capacity(),
                out.slots.capacity(),
                out.exp.capacity(),
                out.pending.capacity(),
            ]
        };
        for line in lines {
            assert!(parser.parse(line, &mut out));
        }
        let warm = caps(&out);
        assert!(warm.iter().all(|&c| c > 0), "{warm:?}");
        for _ in 0..100 {
            for line in lines {
                assert!(parser.parse(line, &mut out));
                assert!(!parser.parse("no match", &mut out));
            }
        }
        assert_eq!(caps(&out), warm);
        assert!(parser.parse(lines[2], &mut out));
        assert_eq!(out.get(lines[2], 1), Some(r#"a "quoted" value"#));
        let ab = parser.field_names().iter().position(|n| &**n == "ab");
        assert_eq!(ab, Some(12));
        assert_eq!(out.get(lines[2], 12), Some(r#"1/a "quoted" value/"#));
    }

    // ---- property test: Pattern::matches against a naive reference ----

    /// A generated pattern: prefix, then `(name, delimiter)` per field.
    #[derive(Clone, Debug)]
    struct GenPattern {
        prefix: String,
        fields: Vec<(Option<String>, String)>,
    }

    impl GenPattern {
        fn text(&self) -> String {
            let mut s = self.prefix.clone();
            for (name, delim) in &self.fields {
                s.push_str("%{");
                s.push_str(name.as_deref().unwrap_or(""));
                s.push('}');
                s.push_str(delim);
            }
            s
        }
    }

    const LIT_CHARS: &[char] =
        &[' ', ',', '"', '\'', '=', 'é', '→', 'x', '%', '}', '\\'];
    const VALUE_CHARS: &[char] =
        &[' ', 'a', 'x', ',', '"', '\'', '\\', 'é', '→', '=', 'n', '/'];

    /// Value pieces: single characters and escape sequences.
    const VALUE_TOKENS: &[&str] = &[
        " ", "a", ",", "\"", "'", "\\", "é", "→", "=", "/", r#"\""#, r"\'",
        r"\\", r"\n", r"\/", r"\x",
    ];

    fn chars(
        set: &'static [char],
        len: std::ops::Range<usize>,
    ) -> BoxedStrategy<String> {
        prop::collection::vec(prop::sample::select(set), len)
            .prop_map(|v| v.into_iter().collect())
            .boxed()
    }

    fn gen_pattern() -> impl Strategy<Value = GenPattern> {
        let field = (
            prop::option::weighted(
                0.8,
                prop::sample::select(&["a", "b", "c"][..]),
            ),
            chars(LIT_CHARS, 1..4),
            // Put the field between a pair of these quotes.
            prop::option::weighted(
                0.3,
                prop::sample::select(&['"', '\''][..]),
            ),
        );
        (
            chars(LIT_CHARS, 0..3),
            prop::collection::vec(field, 1..5),
            any::<bool>(),
        )
            .prop_map(|(mut prefix, fields, open_end)| {
                let n = fields.len();
                let mut out: Vec<(Option<String>, String)> = Vec::new();
                for (i, (name, mut delim, quote)) in
                    fields.into_iter().enumerate()
                {
                    if open_end && i + 1 == n {
                        delim.clear();
                    } else if let Some(q) = quote {
                        match out.last_mut() {
                            Some(prev) => prev.1.push(q),
                            None => prefix.push(q),
                        }
                        delim.insert(0, q);
                    }
                    out.push((name.map(str::to_owned), delim));
                }
                GenPattern { prefix, fields: out }
            })
    }

    /// A line built by filling the pattern with values, then mutated.
    fn gen_case() -> impl Strategy<Value = (GenPattern, String)> {
        gen_pattern().prop_flat_map(|p| {
            let n = p.fields.len();
            let token = prop::sample::select(VALUE_TOKENS);
            let value =
                prop::collection::vec(token, 0..6).prop_map(|v| v.concat());
            let values = prop::collection::vec(value, n);
            let edits = prop::collection::vec(
                (
                    0..3u8,
                    any::<prop::sample::Index>(),
                    prop::sample::select(VALUE_CHARS),
                ),
                0..3,
            );
            (Just(p), values, edits).prop_map(|(p, values, edits)| {
                let mut line = p.prefix.clone();
                for ((_, delim), value) in p.fields.iter().zip(&values) {
                    line.push_str(value);
                    line.push_str(delim);
                }
                let mut line: Vec<char> = line.chars().collect();
                for (op, at, c) in edits {
                    let i = at.index(line.len() + 1);
                    match op {
                        0 if i < line.len() => {
                            line.remove(i);
                        }
                        1 => line.insert(i, c),
                        _ => line.truncate(i),
                    }
                }
                (p, line.into_iter().collect())
            })
        })
    }

    /// Where a quoted value ends: the first occurrence of `delim` that
    /// starts at an unescaped character (walking escapes char by char).
    fn naive_quoted_end(s: &str, delim: &str) -> Option<usize> {
        let mut escaped = false;
        for (i, c) in s.char_indices() {
            if !escaped && s[i..].starts_with(delim) {
                return Some(i);
            }
            escaped = !escaped && c == '\\';
        }
        None
    }

    fn naive_unescape(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let mapped = match it.peek() {
                Some('"') => '"',
                Some('\'') => '\'',
                Some('\\') => '\\',
                Some('/') => '/',
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                _ => {
                    out.push('\\');
                    continue;
                }
            };
            out.push(mapped);
            it.next();
        }
        out
    }

    /// The reference matcher: `str::find` per delimiter, no memchr.
    fn naive_match(p: &GenPattern, line: &str) -> Option<Vec<String>> {
        let mut rest = line.strip_prefix(p.prefix.as_str())?;
        let is_quote = |c: &char| *c == '"' || *c == '\'';
        let mut before = p.prefix.chars().last().filter(is_quote);
        let mut out = Vec::new();
        for (name, delim) in &p.fields {
            let quote = before.filter(|&q| delim.starts_with(q));
            before = delim.chars().last().filter(is_quote);
            if delim.is_empty() {
                if name.is_some() {
                    out.push(rest.to_owned());
                }
                return Some(out);
            }
            let end = match quote {
                Some(_) => naive_quoted_end(rest, delim)?,
                None => rest.find(delim.as_str())?,
            };
            let value = &rest[..end];
            if name.is_some() {
                out.push(match quote {
                    Some(_) => naive_unescape(value),
                    None => value.to_owned(),
                });
            }
            rest = &rest[end + delim.len()..];
        }
        Some(out)
    }

    /// The generator must cover both outcomes and the escape paths, or
    /// the property below proves little.
    #[test]
    fn generator_covers_matches_and_escapes() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = gen_case();
        let (mut matched, mut unescaped) = (0, 0);
        for _ in 0..1000 {
            let (p, line) = strategy.new_tree(&mut runner).unwrap().current();
            let pattern = Pattern::compile(&p.text()).unwrap();
            let mut caps = Captures::new();
            if pattern.matches(&line, &mut caps) {
                matched += 1;
                if caps.slots.iter().any(|s| s.src == Src::Buf) {
                    unescaped += 1;
                }
            }
        }
        assert!((300..=800).contains(&matched), "{matched} of 1000 match");
        assert!(unescaped >= 50, "{unescaped} unescaped of {matched}");
    }

    proptest! {
        #[test]
        fn agrees_with_naive_reference((p, line) in gen_case()) {
            let pattern = Pattern::compile(&p.text()).unwrap();
            let names: Vec<&str> =
                p.fields.iter().filter_map(|(n, _)| n.as_deref()).collect();
            let fields: Vec<&str> = pattern.fields().iter().map(|n| &**n).collect();
            prop_assert_eq!(fields, names);
            let mut caps = Captures::new();
            let got = pattern.matches(&line, &mut caps).then(|| {
                (0..caps.len())
                    .map(|i| caps.get(&line, i).unwrap().to_owned())
                    .collect::<Vec<_>>()
            });
            prop_assert_eq!(got, naive_match(&p, &line));
        }

        #[test]
        fn quoted_values_round_trip(
            a in chars(VALUE_CHARS, 0..12),
            b in chars(VALUE_CHARS, 0..12),
        ) {
            let escaped = a.replace('\\', r"\\").replace('"', "\\\"");
            let line = format!("<\"{escaped}\" {b}");
            let p = Pattern::compile(r#"<"%{a}" %{b}"#).unwrap();
            let mut caps = Captures::new();
            prop_assert!(p.matches(&line, &mut caps));
            prop_assert_eq!(caps.get(&line, 0), Some(a.as_str()));
            prop_assert_eq!(caps.get(&line, 1), Some(b.as_str()));
        }
    }
}
