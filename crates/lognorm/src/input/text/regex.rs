//! `parser: regex:`: a regular expression with grok-style named patterns
//! (SPEC.md §9).
//!
//! The parts of `match` are joined with nothing between them. In the
//! joined text `%{NAME}` inserts a named pattern (one of the schema's
//! `patternDefinitions`, else one of the built-in [grok library]),
//! `%{NAME:field}` inserts it as a capture of `field` (a third part,
//! `%{NAME:field:type}`, is accepted and ignored: the schema declares
//! the type), and a named group `(?P<field>...)` or `(?<field>...)`
//! captures too. Named patterns may use each other; a cycle, an unknown
//! name or a definition that redefines a built-in name is a compile
//! error.
//!
//! Panther runs Go's RE2; this uses the `regex` crate, which has the
//! same syntax and guarantees (no backreferences or look-around, time
//! linear in the line, so no pattern can be made to hang on a hostile
//! line), with `\d`, `\w`, `\s` and `\b` made ASCII as in Go. The match
//! is unanchored: the first (leftmost) match in the line counts. A name
//! captured more than once keeps the last occurrence that matched.
//! Then `trimSpace`, `emptyValues` and `expandFields` run as for
//! fastmatch.
//!
//! [grok library]: super::grok

use std::fmt;

use regex::{CaptureLocations, Regex};
use regex_automata::dfa::onepass;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::{Anchored, Input, nfa::thompson};

use super::fastmatch::{self, ParseScratch, ParserConfig, Span, check_name};
use super::grok;

/// The longest pattern after named patterns are inserted, in bytes.
const MAX_EXPANDED: usize = 1 << 20;
/// How deep named patterns may nest.
const MAX_NESTING: usize = 64;
/// The prefix of the group names `%{NAME:field}` captures become.
const GROUP: &str = "__lognorm_";
/// How many compiled regexes' capture slots a thread keeps.
const LOCS_KEPT: usize = 8;
/// The most memory a one-pass DFA may take (the `regex` crate's own
/// limit for it).
const ONEPASS_BYTES: usize = 1 << 20;
/// The NFA size limit (the `regex` crate's default).
const NFA_BYTES: usize = 10 << 20;

/// The `parser: regex:` block of a schema, as plain data for
/// [`Parser::compile`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RegexConfig<'a> {
    /// `match`: the parts of the pattern, joined with nothing between.
    pub match_: &'a [&'a str],
    /// `patternDefinitions`: `(name, pattern)`.
    pub pattern_definitions: &'a [(&'a str, &'a str)],
    /// `emptyValues`, `trimSpace`, `expandFields`: as for fastmatch.
    pub empty_values: &'a [&'a str],
    pub trim_space: bool,
    pub expand_fields: &'a [(&'a str, &'a str)],
}

/// Where a [`RegexError`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// At this byte offset of the joined `match` parts.
    Match(usize),
    /// In the `patternDefinitions` entry of this name.
    Definition(Box<str>),
    /// In the `expandFields` entry with this index.
    Expand(usize),
}

/// An error compiling a `regex` block: where, and a one-line message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RegexError {
    pub place: Place,
    pub message: String,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RegexError {}

#[cold]
fn error(place: Place, message: String) -> RegexError {
    RegexError { place, message }
}

/// User text quoted in a message: about 40 characters, control
/// characters escaped.
fn clip(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(40) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// A compiled `parser: regex:` block.
#[derive(Debug)]
pub(crate) struct Parser {
    re: Regex,
    /// The same pattern as a one-pass DFA, when it is one (most log
    /// patterns are: each byte decides the next step). A line is first
    /// matched with it anchored at its start, one pass that also fills
    /// the captures; the `regex` crate's search takes three (the end of
    /// the match, its start, then the captures). A match found at the
    /// start is the leftmost match, so the result is the same; a line
    /// that does not match at its start is searched with `re`.
    /// (Boxed: the DFA is a few hundred bytes, the other kinds small.)
    onepass: Option<Box<onepass::DFA>>,
    /// `(capture group, output field)` of every named group, in the
    /// order of the groups in the pattern.
    groups: Box<[(usize, usize)]>,
    /// `trimSpace`, `emptyValues`, `expandFields` and the output names.
    post: fastmatch::Parser,
}

/// Per-thread capture slots of the last few regexes used.
#[derive(Clone, Debug, Default)]
pub(crate) struct RegexScratch {
    /// Capture slots by regex. Each entry keeps a clone of its regex
    /// (an `Arc`), so the pattern text it points to stays allocated and
    /// its address identifies the regex: no global counter is needed.
    locs: Vec<Slots>,
}

/// The per-thread state of one regex.
#[derive(Clone, Debug)]
struct Slots {
    re: Regex,
    locs: CaptureLocations,
    /// The one-pass DFA's cache and slots (when it has one).
    onepass: Option<(onepass::Cache, Vec<Option<NonMaxUsize>>)>,
}

/// A pattern text being expanded: what is left of it, the offset of
/// that rest in its source, the named pattern it is (`None` for the
/// source itself) and, inside a named pattern, the offset in the source
/// of the outermost `%{` being expanded.
enum Frame<'a> {
    Text {
        rest: &'a str,
        base: usize,
        name: Option<&'a str>,
        origin: usize,
    },
    /// The end of a `%{NAME:field}` capture.
    Close,
}

/// The joined pattern with its named patterns inserted.
struct Expanded<'a> {
    text: String,
    /// The field of each `%{NAME:field}` group, `__lognorm_<index>`.
    fields: Vec<&'a str>,
    /// `(offset in text, offset in the joined match)` of each chunk of
    /// the match's own text.
    map: Vec<(usize, usize)>,
}

/// Appends `chunk` with `\d \D \w \W \s \S \b \B` made ASCII, as in Go.
fn push_ascii(out: &mut String, chunk: &str) {
    let mut chars = chunk.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push('\\');
            break;
        };
        out.push_str(match next {
            'd' => "[0-9]",
            'D' => "[^0-9]",
            'w' => "[0-9A-Za-z_]",
            'W' => "[^0-9A-Za-z_]",
            's' => r"[\t\n\f\r ]",
            'S' => r"[^\t\n\f\r ]",
            'b' => r"(?-u:\b)",
            'B' => r"(?-u:\B)",
            _ => {
                out.push('\\');
                out.push(next);
                continue;
            }
        });
    }
}

/// Whether `name` is a pattern name: ASCII letters, digits, `_`.
fn is_pattern_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Inserts the named patterns into `src` (iteratively: the nesting is
/// the schema's, not bounded by the stack).
fn expand<'a>(
    src: &'a str,
    top: Option<&'a str>,
    defs: &'a [(&'a str, &'a str)],
) -> Result<Expanded<'a>, RegexError> {
    let place = |at: usize| match top {
        None => Place::Match(at),
        Some(name) => Place::Definition(name.into()),
    };
    let mut ex =
        Expanded { text: String::new(), fields: Vec::new(), map: Vec::new() };
    let mut stack =
        vec![Frame::Text { rest: src, base: 0, name: top, origin: 0 }];
    while let Some(frame) = stack.pop() {
        let Frame::Text { rest, base, name, origin } = frame else {
            ex.text.push(')');
            continue;
        };
        let own = stack.is_empty();
        let Some(i) = rest.find("%{") else {
            if own {
                ex.map.push((ex.text.len(), base));
            }
            push_ascii(&mut ex.text, rest);
            continue;
        };
        let (before, after) = rest.split_at(i);
        if own {
            ex.map.push((ex.text.len(), base));
        }
        push_ascii(&mut ex.text, before);
        let at = if own { base + i } else { origin };
        let inner_from = after.get(2..).unwrap_or_default();
        let Some(close) = inner_from.find('}') else {
            return Err(error(
                place(at),
                format!(
                    "position {at}: unclosed `{}`: expected `}}`",
                    clip(after)
                ),
            ));
        };
        let inner = inner_from.get(..close).unwrap_or_default();
        let next = inner_from.get(close + 1..).unwrap_or_default();
        stack.push(Frame::Text {
            rest: next,
            base: base + i + 3 + close,
            name,
            origin,
        });
        let mut parts = inner.splitn(3, ':');
        let pname = parts.next().unwrap_or_default().trim();
        let field = parts.next().map(str::trim);
        if !is_pattern_name(pname) {
            return Err(error(
                place(at),
                format!(
                    "position {at}: invalid pattern name `{}` in `%{{{}}}`: \
                     use ASCII letters, digits and `_`",
                    clip(pname),
                    clip(inner)
                ),
            ));
        }
        let def = defs
            .iter()
            .find(|(n, _)| *n == pname)
            .map(|(_, p)| *p)
            .or_else(|| grok::builtin(pname));
        let Some(def) = def else {
            return Err(error(
                place(at),
                format!(
                    "position {at}: unknown pattern `{pname}`: expected one \
                     of `patternDefinitions` or a built-in grok pattern"
                ),
            ));
        };
        let active = stack.iter().filter_map(|f| match f {
            Frame::Text { name, .. } => *name,
            Frame::Close => None,
        });
        if top == Some(pname) || active.clone().any(|n| n == pname) {
            return Err(error(
                place(at),
                format!(
                    "position {at}: pattern `{pname}` refers to itself \
                     (a cycle of named patterns)"
                ),
            ));
        }
        if stack.len() > 2 * MAX_NESTING {
            return Err(error(
                place(at),
                format!(
                    "position {at}: named patterns nest more than \
                     {MAX_NESTING} deep"
                ),
            ));
        }
        if let Some(field) = field {
            if field.is_empty() {
                return Err(error(
                    place(at),
                    format!(
                        "position {at}: empty field name in `%{{{}}}`",
                        clip(inner)
                    ),
                ));
            }
            if let Err((offset, c)) = check_name(field) {
                return Err(error(
                    place(at),
                    format!(
                        "position {at}: invalid character `{}` at {offset} \
                         in field name `{}`: use ASCII letters, digits, \
                         `_`, `.`, `@` or `-`",
                        c.escape_debug(),
                        clip(field)
                    ),
                ));
            }
            ex.text.push_str("(?P<");
            ex.text.push_str(GROUP);
            ex.text.push_str(&ex.fields.len().to_string());
            ex.text.push('>');
            ex.fields.push(field);
            stack.push(Frame::Close);
        } else {
            ex.text.push_str("(?:");
            stack.push(Frame::Close);
        }
        stack.push(Frame::Text {
            rest: def,
            base: 0,
            name: Some(pname),
            origin: at,
        });
        if ex.text.len() > MAX_EXPANDED {
            return Err(error(
                place(at),
                format!(
                    "position {at}: the pattern is more than {MAX_EXPANDED} \
                     bytes once named patterns are inserted"
                ),
            ));
        }
    }
    Ok(ex)
}

impl Expanded<'_> {
    /// The offset in the joined match of `offset` in the expanded text:
    /// within the match's own text, the same character; within an
    /// inserted pattern, the `%{` that inserted it.
    fn source_offset(&self, offset: usize, joined: &str) -> usize {
        let i = self.map.partition_point(|&(out, _)| out <= offset);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some(&(out, src)) => {
                // The chunk's own length in the source, up to the next
                // `%{` (or the end).
                let chunk = joined.get(src..).unwrap_or_default();
                let len = chunk.find("%{").unwrap_or(chunk.len());
                src + (offset - out).min(len)
            }
            None => 0,
        }
    }
}

/// A one-line message for a regex syntax error at `span` of `text`.
fn syntax_message(
    ex: &Expanded<'_>,
    joined: &str,
    top: Option<&str>,
    kind: &dyn fmt::Display,
    start: usize,
    end: usize,
) -> RegexError {
    let at = ex.source_offset(start, joined);
    let part = ex
        .text
        .get(start..end.max(start + 1))
        .or_else(|| ex.text.get(start..))
        .unwrap_or_default();
    let place = match top {
        None => Place::Match(at),
        Some(n) => Place::Definition(n.into()),
    };
    error(place, format!("position {at}: {kind}: `{}`", clip(part)))
}

/// Compiles an expanded pattern, with errors in one line.
fn build(
    ex: &Expanded<'_>,
    joined: &str,
    top: Option<&str>,
) -> Result<Regex, RegexError> {
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(&ex.text)
        .map_err(|e| {
            syntax_message(
                ex,
                joined,
                top,
                e.kind(),
                e.span().start.offset,
                e.span().end.offset,
            )
        })?;
    regex_syntax::hir::translate::Translator::new()
        .translate(&ex.text, &ast)
        .map_err(|e| {
            syntax_message(
                ex,
                joined,
                top,
                e.kind(),
                e.span().start.offset,
                e.span().end.offset,
            )
        })?;
    Regex::new(&ex.text).map_err(|e| {
        let place = match top {
            None => Place::Match(0),
            Some(n) => Place::Definition(n.into()),
        };
        let msg = e.to_string();
        let first = msg
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("invalid pattern");
        error(place, first.trim().to_lowercase())
    })
}

impl Parser {
    /// Compiles a `regex` block.
    pub(crate) fn compile(cfg: RegexConfig<'_>) -> Result<Parser, RegexError> {
        for (i, (name, _)) in cfg.pattern_definitions.iter().enumerate() {
            if !is_pattern_name(name) {
                return Err(error(
                    Place::Definition((*name).into()),
                    format!(
                        "invalid pattern name `{}`: use ASCII letters, digits and `_`",
                        clip(name)
                    ),
                ));
            }
            if grok::builtin(name).is_some() {
                return Err(error(
                    Place::Definition((*name).into()),
                    format!(
                        "`{name}` redefines a built-in grok pattern: choose another name"
                    ),
                ));
            }
            if cfg
                .pattern_definitions
                .get(..i)
                .is_some_and(|b| b.iter().any(|(n, _)| n == name))
            {
                return Err(error(
                    Place::Definition((*name).into()),
                    format!("`{name}` is defined twice"),
                ));
            }
        }
        // Every definition must compile on its own (a cycle or a syntax
        // error is reported even when the match does not use it).
        for (name, def) in cfg.pattern_definitions {
            let ex = expand(def, Some(name), cfg.pattern_definitions)?;
            build(&ex, def, Some(name))?;
        }
        let joined: String = cfg.match_.concat();
        let ex = expand(&joined, None, cfg.pattern_definitions)?;
        let re = build(&ex, &joined, None)?;
        let onepass = one_pass(&ex.text, &re);
        let mut names: Vec<Box<str>> = Vec::new();
        let mut groups = Vec::new();
        for (g, name) in re.capture_names().enumerate() {
            let Some(name) = name else { continue };
            let field = match name
                .strip_prefix(GROUP)
                .and_then(|k| k.parse::<usize>().ok())
            {
                Some(k) => ex.fields.get(k).copied().unwrap_or(name),
                None => name,
            };
            let out = match names.iter().position(|n| **n == *field) {
                Some(i) => i,
                None => {
                    names.push(field.into());
                    names.len() - 1
                }
            };
            groups.push((g, out));
        }
        let post = fastmatch::Parser::post_only(
            names,
            ParserConfig {
                match_: &[],
                empty_values: cfg.empty_values,
                trim_space: cfg.trim_space,
                expand_fields: cfg.expand_fields,
            },
        )
        .map_err(|e| {
            error(Place::Expand(e.expand_index().unwrap_or(0)), e.to_string())
        })?;
        Ok(Parser { re, onepass, groups: groups.into_boxed_slice(), post })
    }

    /// The output field names: the captures in pattern order, then the
    /// `expandFields` names.
    pub(crate) fn field_names(&self) -> &[Box<str>] {
        self.post.field_names()
    }

    /// Matches `line`; true when the pattern matched, with the values
    /// in `out` (spans of `line`: nothing is copied).
    pub(crate) fn parse(
        &self,
        line: &str,
        scratch: &mut RegexScratch,
        out: &mut ParseScratch,
    ) -> bool {
        let Some(slots) = scratch.slots(self) else {
            return false;
        };
        if let (Some(dfa), Some((cache, found))) =
            (&self.onepass, &mut slots.onepass)
        {
            let input = Input::new(line).anchored(Anchored::Yes);
            if let Ok(Some(_)) = dfa.try_search_slots(cache, &input, found) {
                // Written out: through `finish`'s iterator each value
                // cost ~55 instructions, most of them moves.
                self.post.begin(out);
                for &(g, o) in &self.groups {
                    if let (Some(Some(s)), Some(Some(e))) =
                        (found.get(2 * g), found.get(2 * g + 1))
                    {
                        let span = Span::line(s.get(), e.get());
                        self.post.put(line, out, o, span);
                    }
                }
                self.post.end(line, out);
                return true;
            }
        }
        let locs = &mut slots.locs;
        if self.re.captures_read(locs, line).is_none() {
            return false;
        }
        let locs = &*locs;
        self.post.finish(
            line,
            out,
            self.groups.iter().filter_map(|&(g, o)| {
                locs.get(g).map(|(s, e)| (o, Span::line(s, e)))
            }),
        );
        true
    }
}

/// `text` (which compiled into `re`) as a one-pass DFA, when it is one
/// with the same capture groups; `None` otherwise (then every line is
/// searched with `re`).
fn one_pass(text: &str, re: &Regex) -> Option<Box<onepass::DFA>> {
    let dfa = onepass::DFA::builder()
        .configure(onepass::Config::new().size_limit(Some(ONEPASS_BYTES)))
        .thompson(thompson::Config::new().nfa_size_limit(Some(NFA_BYTES)))
        .build(text)
        .ok()?;
    let info = dfa.get_nfa().group_info();
    let pid = regex_automata::PatternID::ZERO;
    // The slots of group `g` are `2g, 2g + 1` (one pattern), and the
    // groups are the regex's own, by number and name.
    let same = info.group_len(pid) == re.captures_len()
        && re.capture_names().enumerate().all(|(g, name)| {
            info.slots(pid, g) == Some((2 * g, 2 * g + 1))
                && info.to_name(pid, g) == name
        });
    same.then(|| Box::new(dfa))
}

impl RegexScratch {
    /// The state of `parser`'s regex (made on its first line).
    #[inline]
    fn slots(&mut self, parser: &Parser) -> Option<&mut Slots> {
        let mine = parser.re.as_str();
        let i = match self
            .locs
            .iter()
            .position(|s| std::ptr::eq(s.re.as_str(), mine))
        {
            Some(i) => i,
            None => {
                if self.locs.len() >= LOCS_KEPT {
                    self.locs.remove(0);
                }
                self.locs.push(Slots {
                    re: parser.re.clone(),
                    locs: parser.re.capture_locations(),
                    onepass: parser.onepass.as_ref().map(|d| {
                        let slots = d.get_nfa().group_info().slot_len();
                        (d.create_cache(), vec![None; slots])
                    }),
                });
                self.locs.len() - 1
            }
        };
        self.locs.get_mut(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(
        parts: &[&str],
        defs: &[(&str, &str)],
    ) -> Result<Parser, String> {
        Parser::compile(RegexConfig {
            match_: parts,
            pattern_definitions: defs,
            empty_values: &["-"],
            ..RegexConfig::default()
        })
        .map_err(|e| e.to_string())
    }

    fn fields(
        p: &Parser,
        line: &str,
    ) -> Option<Vec<(String, Option<String>)>> {
        let (mut s, mut out) = (RegexScratch::default(), ParseScratch::new());
        if !p.parse(line, &mut s, &mut out) {
            return None;
        }
        Some(
            p.field_names()
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (n.to_string(), out.get(line, i).map(Into::into))
                })
                .collect(),
        )
    }

    #[test]
    fn common_apache_log_through_the_library() {
        let p = compile(&["%{COMMONAPACHELOG}"], &[]).unwrap();
        let line = r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#;
        let got = fields(&p, line).unwrap();
        let got: Vec<String> = got
            .iter()
            .map(|(n, v)| {
                format!("{n}={}", v.as_deref().unwrap_or("<absent>"))
            })
            .collect();
        assert_eq!(
            got,
            [
                "clientip=127.0.0.1",
                "ident=<absent>",
                "auth=frank",
                "timestamp=10/Oct/2000:13:55:36 -0700",
                "verb=GET",
                "request=/apache_pb.gif",
                "httpversion=1.0",
                "rawrequest=<absent>",
                "response=200",
                "bytes=2326",
            ]
        );
    }

    /// The values through the one-pass DFA (tried first, anchored at
    /// the line's start) are the regex crate's leftmost-first captures,
    /// for lines that match at the start, later or not at all.
    #[test]
    fn one_pass_agrees_with_the_regex_search() {
        let cases: &[(&str, bool)] = &[
            (r"(?P<a>[^ ]+) (?P<b>[0-9]+|-)", true),
            (r"(?P<a>a|ab)(?P<b>c|bcd)?", false),
            (r"x(?P<a>[a-z]*)(?P<b>[0-9]*)", true),
            (r"(?P<a>[a-z]+)?(?P<b>\d+)?$", true),
            (r"%{IPORHOST:h} %{NUMBER:n}", false),
        ];
        let lines = [
            "",
            "a",
            "ab",
            "abcd",
            "abc",
            "x",
            "xyz12",
            "zzxyz12 x9",
            "host 12",
            "- 12",
            "10.0.0.1 -",
            "a b 7",
            "ab12",
            "12",
            "é 3",
        ];
        let mut one_pass = 0;
        for &(pattern, expect_one_pass) in cases {
            let p = compile(&[pattern], &[]).unwrap();
            assert_eq!(p.onepass.is_some(), expect_one_pass, "{pattern}");
            one_pass += usize::from(p.onepass.is_some());
            for line in lines {
                let want = p.re.captures(line).map(|c| {
                    p.field_names()
                        .iter()
                        .map(|n| {
                            let v =
                                p.groups.iter().rev().find_map(|&(g, o)| {
                                    (*p.field_names()[o] == **n)
                                        .then(|| c.get(g))
                                        .flatten()
                                        .map(|m| m.as_str())
                                        .filter(|v| *v != "-")
                                });
                            (n.to_string(), v.map(Into::into))
                        })
                        .collect::<Vec<_>>()
                });
                assert_eq!(fields(&p, line), want, "{pattern} on {line:?}");
            }
        }
        assert_eq!(one_pass, 3);
    }

    #[test]
    fn classes_are_ascii_as_in_go() {
        let p = compile(&[r"^(?P<d>\d+)(?P<w>\w*)"], &[]).unwrap();
        assert_eq!(
            fields(&p, "12٣"),
            Some(vec![
                ("d".into(), Some("12".into())),
                ("w".into(), Some("".into()))
            ])
        );
        assert_eq!(fields(&p, "٣"), None);
        let p = compile(&[r"(?P<s>\s)"], &[]).unwrap();
        assert_eq!(fields(&p, "a\u{a0}b"), None);
        assert_eq!(
            fields(&p, "a\tb"),
            Some(vec![("s".into(), Some("\t".into()))])
        );
        let p = compile(&[r"[\d.]+(?P<rest>.*)"], &[]).unwrap();
        assert_eq!(
            fields(&p, "1.2x"),
            Some(vec![("rest".into(), Some("x".into()))])
        );
    }

    #[test]
    fn definitions_nest_and_errors_say_where() {
        let defs = [("KV", "%{WORD:key}=%{VALUE:value}"), ("VALUE", "[^ ]+")];
        let p =
            compile(&["^%{KV} ", "rest=%{GREEDYDATA:rest}"], &defs).unwrap();
        assert_eq!(
            fields(&p, "a=b rest=c d").unwrap(),
            [
                ("key".into(), Some("a".into())),
                ("value".into(), Some("b".into())),
                ("rest".into(), Some("c d".into()))
            ]
        );
        assert_eq!(
            compile(&["%{A}"], &[("A", "x%{B}"), ("B", "%{A}")]).unwrap_err(),
            "position 1: pattern `A` refers to itself (a cycle of named patterns)"
        );
        assert_eq!(
            compile(&["%{IP}"], &[("IP", "x")]).unwrap_err(),
            "`IP` redefines a built-in grok pattern: choose another name"
        );
        assert_eq!(
            compile(&["ab", "%{NOPE:x}"], &[]).unwrap_err(),
            "position 2: unknown pattern `NOPE`: expected one of \
             `patternDefinitions` or a built-in grok pattern"
        );
        assert_eq!(
            compile(&["a(b"], &[]).unwrap_err(),
            "position 1: unclosed group: `(`"
        );
        assert_eq!(
            compile(&["%{WORD:x} ", r"(?P<y>a\1)"], &[]).unwrap_err(),
            "position 17: backreferences are not supported: `\\1`"
        );
        assert_eq!(
            compile(&["x %{WORD:a b}"], &[]).unwrap_err(),
            "position 2: invalid character ` ` at 1 in field name `a b`: \
             use ASCII letters, digits, `_`, `.`, `@` or `-`"
        );
    }
}
