//! Pattern text -> pieces with spans.
//!
//! The lexer splits a pattern into literal text and `%{name}`
//! placeholders, checking names as it goes; [`parse_pattern`] then
//! pairs every placeholder with the literal that follows it (its
//! delimiter) and [`parse_template`] turns an `expandFields` template
//! into literal and field pieces. Everything here runs once, when a
//! schema is loaded, so it favours clear errors over speed.

use std::ops::Range;

use super::{ErrorKind, PatternError};

/// One token of a pattern or template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// Literal text (never empty), as a byte range of the source.
    Literal(Range<usize>),
    /// A placeholder: `span` covers `%{` .. `}`, `name` the trimmed name
    /// (`None` for the anonymous `%{}`).
    Placeholder { span: Range<usize>, name: Option<Range<usize>> },
}

/// Returns true for the characters allowed in a field name.
///
/// The set (ASCII letters and digits, `_`, `.`, `@`, `-`) covers the
/// names Panther schemas use, including `@timestamp` and dotted names,
/// and keeps `}`, `%`, quotes and whitespace out so a typo in a pattern
/// is reported instead of silently becoming part of a name.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-')
}

/// Checks a whole field name; on failure returns the byte offset (in
/// `name`) and the offending character. An empty name is accepted by
/// this function; callers decide what empty means.
pub(crate) fn check_name(name: &str) -> Result<(), (usize, char)> {
    match name.char_indices().find(|&(_, c)| !is_name_char(c)) {
        Some(bad) => Err(bad),
        None => Ok(()),
    }
}

/// Splits `src` into tokens. Consecutive literal text is merged into one
/// token, so two placeholders are adjacent exactly when no literal token
/// separates them.
fn lex(src: &str) -> Result<Vec<Token>, PatternError> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    // Start of the literal text not yet emitted.
    let mut lit_start = 0;
    // Where to look for the next `%`.
    let mut at = 0;
    while let Some(found) =
        bytes.get(at..).and_then(|b| memchr::memchr(b'%', b))
    {
        let pct = at + found;
        if bytes.get(pct + 1) != Some(&b'{') {
            // A `%` not followed by `{` is literal text.
            at = pct + 1;
            continue;
        }
        let inner_start = pct + 2;
        let Some(close) = bytes
            .get(inner_start..)
            .and_then(|b| memchr::memchr(b'}', b))
            .map(|i| inner_start + i)
        else {
            let text = src.get(pct..).unwrap_or_default();
            return Err(PatternError::new(
                ErrorKind::Unclosed { text: text.into() },
                pct,
            ));
        };
        let raw = src.get(inner_start..close).unwrap_or_default();
        // Spaces around the name are allowed (`%{ name }`), as in Panther.
        let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let name = raw.trim_matches([' ', '\t']);
        let name_start = inner_start + lead;
        if let Err((i, c)) = check_name(name) {
            return Err(PatternError::new(
                ErrorKind::InvalidName { name: name.into(), found: c },
                name_start + i,
            ));
        }
        if lit_start < pct {
            tokens.push(Token::Literal(lit_start..pct));
        }
        let name =
            (!name.is_empty()).then(|| name_start..name_start + name.len());
        tokens.push(Token::Placeholder { span: pct..close + 1, name });
        at = close + 1;
        lit_start = at;
    }
    if lit_start < src.len() {
        tokens.push(Token::Literal(lit_start..src.len()));
    }
    Ok(tokens)
}

/// A placeholder of a pattern and the literal that ends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldPiece {
    /// The field name; `None` for an anonymous `%{}`.
    pub(crate) name: Option<Box<str>>,
    /// Byte range of the placeholder (`%{` .. `}`) in the pattern.
    pub(crate) span: Range<usize>,
    /// The literal text after the placeholder, up to the next placeholder
    /// or the end of the pattern; empty only for the last field (which
    /// then captures the rest of the line).
    pub(crate) delim: Box<str>,
    /// `Some(q)` when the placeholder sits between a pair of the quote
    /// `q` (the literal before it ends with `q`, `delim` starts with
    /// `q`): the value is read as a quoted string.
    pub(crate) quote: Option<u8>,
}

/// A pattern split into its prefix and fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// Literal text the line must start with (may be empty).
    pub(crate) prefix: Box<str>,
    /// The placeholders in order (at least one).
    pub(crate) fields: Vec<FieldPiece>,
}

/// The quote character a literal ends with, if any.
fn trailing_quote(lit: &str) -> Option<u8> {
    lit.as_bytes().last().copied().filter(|&b| b == b'"' || b == b'\'')
}

/// Parses a fastmatch pattern.
///
/// # Errors
///
/// No placeholder, an unclosed `%{`, an invalid character in a name, or
/// two placeholders with nothing between them.
pub(crate) fn parse_pattern(src: &str) -> Result<Parsed, PatternError> {
    let tokens = lex(src)?;
    let text = |r: &Range<usize>| src.get(r.clone()).unwrap_or_default();
    let mut prefix: &str = "";
    let mut fields: Vec<FieldPiece> = Vec::new();
    // Whether the previous token was a placeholder (for adjacency).
    let mut prev_span: Option<Range<usize>> = None;
    for token in &tokens {
        match token {
            Token::Literal(r) => {
                match fields.last_mut() {
                    Some(field) => field.delim = text(r).into(),
                    None => prefix = text(r),
                }
                prev_span = None;
            }
            Token::Placeholder { span, name } => {
                if let Some(prev) = &prev_span {
                    let both = prev.start..span.end;
                    return Err(PatternError::new(
                        ErrorKind::Adjacent { text: text(&both).into() },
                        span.start,
                    ));
                }
                fields.push(FieldPiece {
                    name: name.as_ref().map(|r| text(r).into()),
                    span: span.clone(),
                    delim: "".into(),
                    quote: None,
                });
                prev_span = Some(span.clone());
            }
        }
    }
    if fields.is_empty() {
        return Err(PatternError::new(ErrorKind::NoPlaceholder, 0));
    }
    // Quote detection needs the literal on both sides of each field.
    let mut before: Option<u8> = trailing_quote(prefix);
    for field in &mut fields {
        let after = field.delim.as_bytes().first().copied();
        field.quote = before.filter(|&q| after == Some(q));
        before = trailing_quote(&field.delim);
    }
    Ok(Parsed { prefix: prefix.into(), fields })
}

/// A piece of an `expandFields` template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TemplatePiece {
    /// Text copied as is.
    Literal(Box<str>),
    /// The value of the named field (empty when absent).
    Field(Box<str>),
}

/// Parses an `expandFields` template: literal text and `%{name}`
/// placeholders, which may be adjacent. A template without placeholders
/// is a constant.
///
/// # Errors
///
/// An unclosed `%{`, an invalid character in a name, or an anonymous
/// `%{}` (it could only ever render as nothing).
pub(crate) fn parse_template(
    src: &str,
) -> Result<Vec<TemplatePiece>, PatternError> {
    let text = |r: &Range<usize>| src.get(r.clone()).unwrap_or_default();
    lex(src)?
        .iter()
        .map(|token| match token {
            Token::Literal(r) => Ok(TemplatePiece::Literal(text(r).into())),
            Token::Placeholder { name: Some(r), .. } => {
                Ok(TemplatePiece::Field(text(r).into()))
            }
            Token::Placeholder { span, name: None } => Err(PatternError::new(
                ErrorKind::AnonymousInTemplate { text: text(span).into() },
                span.start,
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(
        name: Option<&str>,
        span: Range<usize>,
        delim: &str,
        quote: Option<u8>,
    ) -> FieldPiece {
        FieldPiece {
            name: name.map(Into::into),
            span,
            delim: delim.into(),
            quote,
        }
    }

    #[test]
    fn lex_merges_literal_percent() {
        assert_eq!(
            lex("a%b%%{x}c%").unwrap(),
            vec![
                Token::Literal(0..4),
                Token::Placeholder { span: 4..8, name: Some(6..7) },
                Token::Literal(8..10),
            ]
        );
    }

    #[test]
    fn pieces_with_spans_and_quotes() {
        let p = parse_pattern(r#"<%{a}> "%{b}" '%{ }' %{c}"#).unwrap();
        assert_eq!(&*p.prefix, "<");
        assert_eq!(
            p.fields,
            vec![
                field(Some("a"), 1..5, "> \"", None),
                field(Some("b"), 8..12, "\" '", Some(b'"')),
                field(None, 15..19, "' ", Some(b'\'')),
                field(Some("c"), 21..25, "", None),
            ]
        );
    }

    #[test]
    fn mismatched_quotes_are_not_quoted() {
        let p = parse_pattern(r#""%{a}' %{b}"#).unwrap();
        assert_eq!(p.fields[0].quote, None);
        let p = parse_pattern(r#"x"%{a} "%{b}""#).unwrap();
        assert_eq!(p.fields[0].quote, None);
        assert_eq!(p.fields[1].quote, Some(b'"'));
    }

    #[test]
    fn spaces_inside_braces_are_trimmed() {
        let p = parse_pattern("%{ a.b@c-d_9 } %{\t}").unwrap();
        assert_eq!(p.fields[0].name.as_deref(), Some("a.b@c-d_9"));
        assert_eq!(p.fields[1].name, None);
    }

    #[test]
    fn template_pieces() {
        assert_eq!(
            parse_template("%{a}%{b}:x%{ c }").unwrap(),
            vec![
                TemplatePiece::Field("a".into()),
                TemplatePiece::Field("b".into()),
                TemplatePiece::Literal(":x".into()),
                TemplatePiece::Field("c".into()),
            ]
        );
        assert_eq!(parse_template("").unwrap(), vec![]);
        assert_eq!(
            parse_template("http://%{}/").unwrap_err().to_string(),
            "pattern position 7: anonymous placeholder `%{}` in a \
             template: name the field to insert"
        );
    }

    #[test]
    fn invalid_name_position_is_the_bad_char() {
        let e = parse_pattern("ab %{x é}").unwrap_err();
        assert_eq!(e.offset(), 6);
        assert_eq!(
            e.to_string(),
            "pattern position 6: invalid character ` ` in field name \
             `x é`: use ASCII letters, digits, `_`, `.`, `@` or `-`"
        );
    }
}
