//! The fastmatch case table, `testdata/fastmatch.toml` (format in
//! `testdata/README.md`), run through the public API: a case with
//! `pattern` compiles and matches one [`Pattern`]; a case with `match`
//! compiles a whole [`Parser`] (with `emptyValues`, `trimSpace`,
//! `expandFields`) and parses the line.

use std::fmt::Write as _;

use lognorm::fastmatch::{
    Captures, ParseScratch, Parser, ParserConfig, Pattern,
};
use serde::Deserialize;

use crate::util::testdata;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    test: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// One pattern (`Pattern`) ...
    pattern: Option<String>,
    /// ... or the patterns of a `Parser`, tried in order.
    #[serde(rename = "match")]
    match_: Option<Vec<String>>,
    #[serde(rename = "emptyValues", default)]
    empty_values: Vec<String>,
    #[serde(rename = "trimSpace", default)]
    trim_space: bool,
    /// `[name, template]` pairs, in order.
    #[serde(rename = "expandFields", default)]
    expand_fields: Vec<(String, String)>,
    input: String,
    /// `[name, value]` per field in order; `[name]` for an absent one.
    fields: Option<Vec<Vec<String>>>,
    #[serde(default)]
    no_match: bool,
    /// The exact compile error.
    error: Option<String>,
}

/// What a case does (or must do).
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Fields(Vec<(String, Option<String>)>),
    NoMatch,
    Error(String),
}

impl Case {
    fn is_parser(&self) -> bool {
        self.match_.is_some()
    }

    /// The outcome the table asks for; panics on a malformed case.
    fn want(&self) -> Outcome {
        let name = &self.name;
        assert!(
            self.pattern.is_some() != self.match_.is_some(),
            "{name}: give exactly one of `pattern` and `match`"
        );
        assert!(
            self.is_parser()
                || (self.empty_values.is_empty()
                    && !self.trim_space
                    && self.expand_fields.is_empty()),
            "{name}: parser options need `match`, not `pattern`"
        );
        match (&self.fields, self.no_match, &self.error) {
            (Some(fields), false, None) => Outcome::Fields(
                fields
                    .iter()
                    .map(|f| match f.as_slice() {
                        [n] => (n.clone(), None),
                        [n, v] => (n.clone(), Some(v.clone())),
                        _ => panic!(
                            "{name}: a field is [name] or [name, value]"
                        ),
                    })
                    .collect(),
            ),
            (None, true, None) => Outcome::NoMatch,
            (None, false, Some(e)) => Outcome::Error(e.clone()),
            _ => panic!(
                "{name}: give exactly one of `fields`, `no_match = true` \
                 and `error`"
            ),
        }
    }

    /// Runs the case.
    fn run(&self) -> Outcome {
        let line = self.input.as_str();
        if let Some(pattern) = &self.pattern {
            let p = match Pattern::compile(pattern) {
                Ok(p) => p,
                Err(e) => return Outcome::Error(e.to_string()),
            };
            let mut caps = Captures::new();
            if !p.matches(line, &mut caps) {
                assert!(
                    caps.is_empty(),
                    "{}: captures after no match",
                    self.name
                );
                return Outcome::NoMatch;
            }
            assert_eq!(caps.len(), p.fields().len(), "{}", self.name);
            return Outcome::Fields(
                p.fields()
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        (n.to_string(), caps.get(line, i).map(str::to_owned))
                    })
                    .collect(),
            );
        }
        let match_: Vec<&str> =
            self.match_.iter().flatten().map(String::as_str).collect();
        let empty_values: Vec<&str> =
            self.empty_values.iter().map(String::as_str).collect();
        let expand_fields: Vec<(&str, &str)> = self
            .expand_fields
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let parser = match Parser::compile(ParserConfig {
            match_: &match_,
            empty_values: &empty_values,
            trim_space: self.trim_space,
            expand_fields: &expand_fields,
        }) {
            Ok(p) => p,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let mut out = ParseScratch::new();
        if !parser.parse(line, &mut out) {
            return Outcome::NoMatch;
        }
        Outcome::Fields(
            parser
                .field_names()
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (n.to_string(), out.get(line, i).map(str::to_owned))
                })
                .collect(),
        )
    }
}

fn table() -> Vec<Case> {
    let path = testdata().join("fastmatch.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let table: Table = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    table.test
}

#[test]
fn fastmatch_table() {
    let cases = table();
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "case names are unique");
    // The table moved from src/fastmatch/exec.rs with 61 pattern and 21
    // parser cases; it may grow, never shrink by accident.
    let parsers = cases.iter().filter(|c| c.is_parser()).count();
    assert!(
        cases.len() - parsers >= 61,
        "{} pattern cases",
        cases.len() - parsers
    );
    assert!(parsers >= 21, "{parsers} parser cases");

    let mut failures = String::new();
    for case in &cases {
        let (want, got) = (case.want(), case.run());
        if want != got {
            let _ = writeln!(
                failures,
                "{}: {:?} on {:?}:\n  want {want:?}\n  got  {got:?}",
                case.name,
                case.pattern.as_ref().map_or_else(
                    || format!("{:?}", case.match_),
                    Clone::clone
                ),
                case.input,
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

/// Every outcome kind is in the table, so the runner's three branches
/// are exercised (and a broken runner that reports, say, "no match"
/// for everything fails above).
#[test]
fn fastmatch_table_covers_every_outcome() {
    let cases = table();
    let count = |f: fn(&Outcome) -> bool, parser: bool| {
        cases
            .iter()
            .filter(|c| c.is_parser() == parser && f(&c.want()))
            .count()
    };
    for parser in [false, true] {
        assert!(count(|o| matches!(o, Outcome::Fields(_)), parser) > 5);
        assert!(count(|o| matches!(o, Outcome::NoMatch), parser) >= 1);
    }
    assert!(count(|o| matches!(o, Outcome::Error(_)), false) >= 5);
}
