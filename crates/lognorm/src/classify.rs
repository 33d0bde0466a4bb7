//! Classification: one source, several candidate log types, and each
//! record given the candidate that fits it best (SPEC §11,
//! `docs/SPEC.md` §11).
//!
//! A [`Classifier`] is built once over a list of candidates (JSON and text
//! log types mixed) and is immutable, `Send + Sync` and cheap to clone.
//! What changes per record (the order candidates are tried in, the
//! counters) lives in a [`ClassifyState`] the caller keeps beside its
//! [`Scratch`].
//!
//! # Best fit
//!
//! Every candidate that accepts a record (normalizes it without an error)
//! gets a *fit*; the best fit wins, and of equal fits the candidate that
//! comes first in the caller's list. Fits compare in this order:
//!
//! 1. a JSON log type beats a text one (a record that is a JSON object
//!    is read as JSON before anything reads it as a line);
//! 2. JSON: fewer *undeclared keys*: keys of the record's objects that
//!    the schema walks (the root and every declared object under it, not
//!    the inside of `json` values) and does not declare;
//!    text: more *pinned bytes*: bytes of the line outside the values the
//!    parser captured (a fastmatch pattern's literal text, what
//!    `trimSpace` and `emptyValues` took away, a regex's text outside its
//!    groups, a csv row's delimiters and quotes);
//! 3. JSON: more *required fields* (the schema's required fields at the
//!    root and, through required objects, below it: every one is present
//!    in a record the type accepts).
//!
//! The outcome is the best-ranked candidate whatever the order they are
//! tried in, so the same record and candidate list always give the same
//! log type. Trying is cheap:
//!
//! - the candidates are tried in the state's order, the last winner
//!   first (Panther's rule), then the others in the order they last won;
//! - a candidate that cannot beat the best fit so far is not tried: after
//!   a *perfect* JSON fit (no undeclared key: every key declared, and
//!   every required field present since the type accepted the record)
//!   only JSON candidates with more required fields (or as many, listed
//!   earlier) are;
//! - a candidate whose records cannot start with the record's first
//!   bytes is skipped without parsing: a JSON type when the record does
//!   not start with `{` (after whitespace), a fastmatch type when the line
//!   (after its `skipPrefix`) starts with none of its patterns' literal
//!   prefixes;
//! - after the first JSON walk, the record's root keys (which that walk
//!   reads anyway) skip the JSON candidates that lack a required root
//!   key, or whose undeclared root keys already make them lose; the last
//!   answers are kept per set of root keys, so records of the shapes a
//!   source keeps sending cost one lookup;
//! - a record that is not a JSON object, when one candidate is a text
//!   type, can only be that type's: it is normalized as that type, with
//!   no fit measured;
//! - a JSON record is parsed once; each JSON candidate walks the same
//!   tape.
//!
//! [`Rule::FirstSuccess`] is Panther's rule instead: the first candidate
//! that accepts the record wins. Its pitfall: a loose schema that accepts
//! another type's records (Wiz.VulnerabilityFinding accepts nearly every
//! OpenAI.Audit, Wiz.Audit and Wiz.Issues record) steals them whenever it
//! won last, so a record's type depends on the records before it.
//!
//! # Outcomes
//!
//! Every record gives exactly one outcome: the winner's event (its row's
//! `p_log_type` names the winner), or a [`ClassifyError`] that keeps the
//! raw record and holds every candidate's own error, in the caller's
//! order.
//!
//! # Framing
//!
//! [`Classifier::split`] decides a payload's framing once: JSON framing
//! when every candidate is a JSON type, lines (or syslog octet counting,
//! as [`Framing::Auto`]) when every candidate is a text type, and for a
//! mix, JSON framing when the payload's first non-blank byte is `{` or
//! `[` and [`Framing::Auto`] otherwise. JSON framing splits a payload of
//! one value a line at the line ends, so a payload that mixes JSON
//! objects and text lines splits into its lines either way. csv types
//! with a header row need [`LogType::split`] (the header is read from the
//! payload) and are not useful as candidates.

use std::cmp::Reverse;
use std::sync::Arc;

use simd_json::Node;

use crate::context::Context;
use crate::error::RecordError;
use crate::event::Event;
use crate::indicators::Collector;
use crate::input::json::{Literals, Strings, with_tape};
use crate::input::split::{Framing, Record, Split, split};
use crate::input::text::{TextCaptures, TextKind, TextParser};
use crate::limits::Limits;
use crate::registry::{LogType, Registry};
use crate::schema::{Kind, ObjectPlan};
use crate::scratch::Scratch;
use crate::sink::Sink;
use crate::sink::json::JsonRow;
use crate::time::{DayCache, Timestamp};
use crate::walk::derive::Derived;
use crate::walk::{Frame, Walker};

/// How a [`Classifier`] picks among the candidates that accept a record.
///
/// ```
/// use lognorm::{Registry, Rule};
///
/// let registry = Registry::builtin();
/// let panther = registry
///     .classifier(&["Wiz.Audit", "Wiz.VulnerabilityFinding"])?
///     .with_rule(Rule::FirstSuccess);
/// assert_eq!(panther.rule(), Rule::FirstSuccess);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The best fit wins, ties to the caller's order (the default; see
    /// the [module docs](crate::Classifier)): the same answer whatever
    /// the order records arrive in.
    #[default]
    BestFit,
    /// Panther's rule: the first candidate that accepts the record, in
    /// the state's order (the last winner first), wins. Cheaper when the
    /// candidates' records never look alike; when they do, a loose schema
    /// steals the records of a strict one whenever it won last, and the
    /// type a record gets depends on the records before it.
    FirstSuccess,
}

/// An immutable classifier over candidate log types: each record gets
/// the candidate that fits it best.
///
/// Build it once with [`Registry::classifier`]; it is `Send + Sync` and
/// cheap to clone (an `Arc`). Each thread keeps its own [`Scratch`],
/// [`Context`] and [`ClassifyState`].
///
/// # Best fit
///
/// Of the candidates that accept a record, a JSON type beats a text
/// type; of JSON types, the one with fewer undeclared keys (keys of the
/// objects it walks that it does not declare), then the one with more
/// required fields; of text types, the one that pins more of the line
/// (bytes outside the captured values); then the one listed first. A
/// perfect JSON fit (no undeclared key) ends the search unless a
/// candidate with more required fields could still match. See
/// `docs/SPEC.md` §11 for the whole rule.
///
/// # Example
///
/// ```
/// use lognorm::{Context, Registry, Scratch};
///
/// let registry = Registry::builtin();
/// let classifier = registry.classifier(&["Wiz.VulnerabilityFinding", "OpenAI.Audit"])?;
/// let mut ctx = Context::new("2024-06-01T00:00:00Z".parse()?, *b"node01");
/// let mut scratch = Scratch::new();
/// let mut state = classifier.state();
///
/// // Wiz.VulnerabilityFinding accepts this record too (it requires only
/// // `id`), but leaves `type`, `effective_at` and `actor` undeclared.
/// let payload = br#"{"id":"a1","type":"login.succeeded","effective_at":1717200000,"actor":{"type":"session"}}
/// not json"#;
/// let mut records = classifier.split(payload);
/// let (log_type, event) = classifier
///     .classify(records.next().unwrap(), &mut ctx, &mut scratch, &mut state)?;
/// assert_eq!(log_type.name(), "OpenAI.Audit");
/// assert!(event.row().contains(r#""p_log_type":"OpenAI.Audit""#));
///
/// let err = classifier
///     .classify(records.next().unwrap(), &mut ctx, &mut scratch, &mut state)
///     .unwrap_err();
/// assert_eq!(err.raw(), b"not json");
/// assert_eq!(err.errors().len(), 2);
/// assert_eq!(
///     err.to_string(),
///     "record 2 (byte 90): no candidate log type accepts it: \
///      `Wiz.VulnerabilityFinding`: expected valid JSON, found invalid \
///      JSON at byte 0 (`n`); `OpenAI.Audit`: expected valid JSON, found \
///      invalid JSON at byte 0 (`n`)",
/// );
/// let counts = state.counts();
/// assert_eq!((counts[1].matched, counts[1].won), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Classifier {
    registry: Registry,
    inner: Arc<Inner>,
    rule: Rule,
}

#[derive(Debug)]
struct Inner {
    /// In the caller's order.
    cands: Box<[Cand]>,
    /// The limits every candidate shares.
    limits: Limits,
    /// The most slots any candidate needs.
    slots: usize,
    /// Some candidate is a JSON type; some is a text type.
    any_json: bool,
    /// Bit `c` set for the JSON candidates among the first [`SCANNED`].
    json_mask: u64,
    /// The position of the one text candidate, when there is one (see
    /// [`Classifier::lone`]).
    lone_text: Option<usize>,
    any_text: bool,
    /// More than one text candidate: only then are pinned bytes counted
    /// (a JSON fit beats any text fit).
    texts: bool,
    /// The root keys of the JSON candidates, for the key scan.
    roots: RootKeys,
}

/// The most candidates the key scan knows about (bits of a `u64`); the
/// ones after are never skipped by it.
const SCANNED: usize = 64;

/// Words of the key sets: at most `64 * KEY_WORDS` distinct root keys
/// take part in the scan (a candidate whose keys do not fit is not
/// scanned).
const KEY_WORDS: usize = 4;

/// A set of root keys, by their index in [`RootKeys::index`].
type KeySet = [u64; KEY_WORDS];

/// Every root key some JSON candidate declares: one lookup per root key
/// of a record gives the set of known keys it has, from which each
/// candidate's missing required root keys and a floor on its undeclared
/// keys follow (see [`Scan`]).
#[derive(Debug)]
struct RootKeys {
    index: crate::schema::KeyIndex,
    /// The number of keys in `index`.
    len: usize,
    /// By candidate position: the keys it declares at its root.
    declared: Box<[KeySet]>,
    /// By candidate position: the keys of its required root fields.
    required: Box<[KeySet]>,
    /// By candidate position: the key of each of its root fields (by
    /// field index), for the scan fused into its walk (see [`Fused`]).
    keys: Box<[Box<[u16]>]>,
    /// Bit `c` set when candidate `c` takes part (a JSON type among the
    /// first [`SCANNED`], without transformations or field discovery,
    /// whose keys are its fields' names, all of them indexed).
    scanned: u64,
    /// Bit `c` set for the other JSON candidates among the first
    /// [`SCANNED`].
    unscanned_json: u64,
}

/// What the key scan found in one record's root object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Scan {
    /// The known keys it has.
    seen: KeySet,
    /// Keys no scanned candidate declares (each occurrence).
    unknown: u32,
}

/// One candidate, as the classifier sees it.
#[derive(Debug)]
struct Cand {
    /// Its position in `Registry::types`.
    ty: usize,
    json: bool,
    /// JSON: the required fields present in every record it accepts.
    required: u32,
    /// fastmatch: the literal prefixes of its patterns, one of which a
    /// line must start with (`None`: no such filter).
    prefixes: Option<Box<[Box<str>]>>,
}

/// A candidate's fit to one record; greater is better (see the module
/// docs). Derived order: field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    json: bool,
    /// JSON: `u32::MAX` less the undeclared keys; text: pinned bytes.
    closeness: u32,
    /// JSON: required fields; text: 0.
    required: u32,
}

/// An error building a [`Classifier`]: an unknown or repeated name, no
/// candidates, or candidates with different [`Limits`].
///
/// ```
/// let registry = lognorm::Registry::builtin();
/// let err = registry.classifier(&["Wiz.Audit", "Wiz.Audti"]).unwrap_err();
/// assert!(err.to_string().starts_with("unknown log type `Wiz.Audti`: expected one of `Databricks.Audit`, "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ClassifierError(String);

/// The per-caller state of a [`Classifier`]: the order candidates are
/// tried in (the last winner first) and each candidate's counters.
///
/// Keep one per thread (or per source) beside the [`Scratch`]; make it
/// with [`Classifier::state`]. A state made for a classifier with another
/// number of candidates is reset on first use.
///
/// ```
/// let registry = lognorm::Registry::builtin();
/// let classifier = registry.classifier(&["Hex.Audit", "Wiz.Audit"])?;
/// let state = classifier.state();
/// assert_eq!(state.counts().len(), 2);
/// assert_eq!(state.counts()[0].tried, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct ClassifyState {
    /// The classifier it belongs to: another classifier's state is
    /// started anew (kept alive, so the comparison by address cannot
    /// mistake another classifier for it).
    owner: Option<Arc<Inner>>,
    /// Candidate positions, in the order to try them.
    order: Vec<u32>,
    /// Without `skipped`: `records` less `tried`.
    counts: Vec<Counts>,
    /// The records classified.
    records: u64,
    /// Key-order hints of the key scan (see `RootKeys::scan`).
    hints: Vec<u32>,
    /// The bounds of the last scans (see [`Memo`]), by a hash of the
    /// scan.
    memo: Vec<Option<Memo>>,
}

/// Entries of [`ClassifyState::memo`] (a power of two).
const MEMO: usize = 16;

/// The two best bounds of the JSON candidates for one key scan (see
/// `Search::bounds`): the records of a source come in a few shapes (root
/// keys), so the bounds of the last scans are kept, one for each of
/// [`MEMO`] hashes, and reused when the scan is the same.
#[derive(Clone, Copy, Debug)]
struct Memo {
    scan: Scan,
    top: [Option<(Fit, Reverse<usize>)>; 2],
}

/// One candidate's counters in a [`ClassifyState`].
///
/// A record that reaches a candidate is *tried* and then *matched* (the
/// type accepted it) or *failed*; one that does not is *skipped* (its
/// first bytes cannot start the type's records, the type cannot beat a
/// fit already found, or the record is past the size limits): every
/// record classified is one or the other. *won* counts the records it
/// was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Records the candidate normalized (or tried to).
    pub tried: u64,
    /// Tried records it accepted.
    pub matched: u64,
    /// Tried records it rejected.
    pub failed: u64,
    /// Records it was not tried on.
    pub skipped: u64,
    /// Records classified as it.
    pub won: u64,
}

/// A record no candidate accepts: the raw record and each candidate's
/// own error, in the caller's order.
///
/// `Display` is one line: `record N (byte O): no candidate log type
/// accepts it: ` then `` `Type`: error `` for each candidate, joined by
/// `; `. Each of [`errors`](Self::errors) is one line too.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct ClassifyError {
    record: u64,
    offset: usize,
    raw: Vec<u8>,
    errors: Vec<RecordError>,
}

impl ClassifyError {
    /// The record's 1-based number in its payload.
    pub fn record_number(&self) -> u64 {
        self.record
    }

    /// The byte offset of the record in its payload.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The record's raw bytes, exactly as they were in the payload.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// Takes the raw bytes out of the error.
    pub fn into_raw(self) -> Vec<u8> {
        self.raw
    }

    /// Each candidate's error, in the caller's order
    /// ([`RecordError::log_type`] names the candidate).
    pub fn errors(&self) -> &[RecordError] {
        &self.errors
    }

    fn message(&self) -> String {
        let mut s = format!(
            "record {} (byte {}): no candidate log type accepts it: ",
            self.record, self.offset
        );
        let prefix =
            format!("record {} (byte {}): ", self.record, self.offset);
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                s.push_str("; ");
            }
            let text = e.to_string();
            let text = text.strip_prefix(&prefix).unwrap_or(&text);
            s.push('`');
            s.push_str(e.log_type());
            s.push_str("`: ");
            s.push_str(text);
        }
        s
    }
}

impl Registry {
    /// A classifier over the log types named in `names` (JSON and text
    /// types mixed), in the order that breaks ties. See [`Classifier`].
    ///
    /// # Errors
    ///
    /// An empty list, a name that is not in the registry or is listed
    /// twice, or candidates with different [`Limits`] (a record is parsed
    /// once for all of them).
    ///
    /// # Example
    ///
    /// ```
    /// let registry = lognorm::Registry::builtin();
    /// let classifier = registry.classifier(&["Heroku.Runtime", "Wiz.Audit"])?;
    /// let names: Vec<&str> = classifier.candidates().map(|t| t.name()).collect();
    /// assert_eq!(names, ["Heroku.Runtime", "Wiz.Audit"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn classifier(
        &self,
        names: &[&str],
    ) -> Result<Classifier, ClassifierError> {
        Classifier::new(self, names)
    }
}

impl Classifier {
    fn new(
        registry: &Registry,
        names: &[&str],
    ) -> Result<Classifier, ClassifierError> {
        if names.is_empty() {
            return Err(ClassifierError(
                "expected at least one candidate log type, found none"
                    .to_owned(),
            ));
        }
        let types = registry.types();
        let mut cands: Vec<Cand> = Vec::with_capacity(names.len());
        for &name in names {
            let Some(ty) = types.iter().position(|t| t.name() == name) else {
                let known: Vec<String> =
                    types.iter().map(|t| format!("`{}`", t.name())).collect();
                return Err(ClassifierError(format!(
                    "unknown log type `{}`: expected one of {}",
                    name.escape_debug(),
                    known.join(", ")
                )));
            };
            if cands.iter().any(|c| c.ty == ty) {
                return Err(ClassifierError(format!(
                    "log type `{name}` is listed twice: expected each \
                     candidate once"
                )));
            }
            cands.push(Cand::new(ty, &types[ty]));
        }
        let first = &types[cands[0].ty];
        if let Some(other) = cands
            .iter()
            .map(|c| &types[c.ty])
            .find(|t| t.limits != first.limits)
        {
            return Err(ClassifierError(format!(
                "candidates `{}` and `{}` have different limits: expected \
                 one `Limits` for every candidate",
                first.name(),
                other.name()
            )));
        }
        let roots = RootKeys::new(&cands, types);
        let inner = Inner {
            roots,
            limits: first.limits,
            slots: cands
                .iter()
                .map(|c| types[c.ty].schema.slots)
                .max()
                .unwrap_or(0),
            any_json: cands.iter().any(|c| c.json),
            json_mask: cands
                .iter()
                .take(SCANNED)
                .enumerate()
                .filter(|(_, c)| c.json)
                .fold(0, |m, (c, _)| m | (1 << c)),
            any_text: cands.iter().any(|c| !c.json),
            lone_text: match cands.iter().filter(|c| !c.json).count() {
                1 => cands.iter().position(|c| !c.json),
                _ => None,
            },
            texts: cands.iter().filter(|c| !c.json).count() > 1,
            cands: cands.into_boxed_slice(),
        };
        Ok(Classifier {
            registry: registry.clone(),
            inner: Arc::new(inner),
            rule: Rule::default(),
        })
    }

    /// The same classifier with another [`Rule`].
    pub fn with_rule(mut self, rule: Rule) -> Classifier {
        self.rule = rule;
        self
    }

    /// The rule it picks winners by.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The candidates, in the caller's order (the order of
    /// [`ClassifyState::counts`] and [`ClassifyError::errors`]).
    pub fn candidates(&self) -> impl ExactSizeIterator<Item = &LogType> {
        let types = self.registry.types();
        self.inner.cands.iter().map(|c| &types[c.ty])
    }

    /// A fresh state: candidates tried in the caller's order, counters
    /// at zero.
    pub fn state(&self) -> ClassifyState {
        let n = self.inner.cands.len();
        ClassifyState {
            owner: Some(Arc::clone(&self.inner)),
            order: (0..n as u32).collect(),
            counts: vec![Counts::default(); n],
            records: 0,
            hints: Vec::new(),
            memo: vec![None; MEMO],
        }
    }

    /// The framing of `payload` (see the [module docs](crate::Classifier)):
    /// decided once per payload from its first non-blank byte when the
    /// candidates mix JSON and text types.
    ///
    /// ```
    /// use lognorm::{Framing, Registry};
    ///
    /// let registry = Registry::builtin();
    /// let mixed = registry.classifier(&["Heroku.Runtime", "Wiz.Audit"])?;
    /// assert_eq!(mixed.framing(b"\n {\"id\":1}"), Framing::Json);
    /// assert_eq!(mixed.framing(b"83 <40>1 2012-11-30T06:45:29+00:00 host app web.3 - x"), Framing::Auto);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn framing(&self, payload: &[u8]) -> Framing {
        match (self.inner.any_json, self.inner.any_text) {
            (true, false) => Framing::Json,
            (false, _) => Framing::Auto,
            (true, true) => {
                let body =
                    payload.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(payload);
                match body.iter().find(|b| !b.is_ascii_whitespace()) {
                    Some(b'{' | b'[') => Framing::Json,
                    _ => Framing::Auto,
                }
            }
        }
    }

    /// Splits a payload into records with its [`framing`](Self::framing).
    pub fn split<'p>(&self, payload: &'p [u8]) -> Split<'p> {
        split(payload, self.framing(payload))
            .with_limit(self.inner.limits.payload_bytes())
    }

    /// Classifies one record: the event of the candidate that fits it
    /// best, with that candidate, or an error holding every candidate's
    /// error and the raw record.
    ///
    /// The event borrows `scratch`; `state` is updated (the winner moves
    /// to the front of its order, the counters count).
    ///
    /// # Errors
    ///
    /// A [`ClassifyError`] when no candidate accepts the record.
    pub fn classify<'c, 's>(
        &'c self,
        record: Record<'_>,
        ctx: &mut Context,
        scratch: &'s mut Scratch,
        state: &mut ClassifyState,
    ) -> Result<(&'c LogType, Event<'s>), ClassifyError> {
        let inner = &*self.inner;
        let n = inner.cands.len();
        if !state.owner.as_ref().is_some_and(|o| Arc::ptr_eq(o, &self.inner))
            || state.order.len() != n
            || state.counts.len() != n
        {
            *state = self.state();
        }
        state.records += 1;
        let types = self.registry.types();
        let bytes = record.bytes();
        let json = inner.any_json
            && bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let found = match inner.lone_text {
            Some(pos) if !json => self.lone(pos, record, ctx, scratch, state),
            _ => self.search(record, json, ctx, scratch, state),
        };
        let Some((pos, row_id, event_time)) = found else {
            return self.unmatched(record, ctx, scratch);
        };
        if state.order.first().is_none_or(|&p| p as usize != pos)
            && let Some(k) =
                state.order.iter().position(|&p| p as usize == pos)
            && let Some(front) = state.order.get_mut(..=k)
        {
            front.rotate_right(1);
        }
        if let Some(c) = state.counts.get_mut(pos) {
            c.won += 1;
        }
        let log_type = inner
            .cands
            .get(pos)
            .and_then(|c| types.get(c.ty))
            .ok_or_else(|| self.error(record, Vec::new()))?;
        let parse_time = ctx.parse_time();
        let Scratch { out, indicators, derived, .. } = scratch;
        let event_time = event_time.unwrap_or(parse_time);
        Ok((
            log_type,
            Event::new(
                out, row_id, event_time, parse_time, indicators, derived,
            ),
        ))
    }

    /// A record that is not a JSON object, with one text candidate among
    /// the candidates (`pos`): no JSON type can accept it, so that one is
    /// the only candidate that can, and no fit is needed: the record is
    /// normalized as that type (what [`Classifier::search`] would find,
    /// without its bookkeeping). The winner as `search` returns it.
    fn lone(
        &self,
        pos: usize,
        record: Record<'_>,
        ctx: &mut Context,
        scratch: &mut Scratch,
        state: &mut ClassifyState,
    ) -> Option<(usize, std::ops::Range<usize>, Option<Timestamp>)> {
        let c = self.inner.cands.get(pos)?;
        let log_type = self.registry.types().get(c.ty)?;
        let counts = state.counts.get_mut(pos)?;
        counts.tried += 1;
        match log_type.normalize(record, ctx, scratch) {
            Ok(event) => {
                counts.matched += 1;
                Some((pos, event.row_id_range(), Some(event.event_time())))
            }
            Err(_) => {
                counts.failed += 1;
                None
            }
        }
    }

    /// The search: the winner's position, its row id's range in the
    /// scratch's row, and its event time. `None`: no candidate accepted
    /// the record.
    fn search(
        &self,
        record: Record<'_>,
        json: bool,
        ctx: &mut Context,
        scratch: &mut Scratch,
        state: &mut ClassifyState,
    ) -> Option<(usize, std::ops::Range<usize>, Option<Timestamp>)> {
        let inner = &*self.inner;
        crate::normalize::check_size(record, &inner.limits).ok()?;
        scratch.prepare(inner.slots, &inner.limits);
        let Scratch {
            input,
            buffers,
            tape,
            slots,
            hints,
            stack,
            out,
            indicators,
            literals,
            text,
            day,
            derived,
            ..
        } = scratch;
        let bytes = record.bytes();
        let mut search = Search {
            types: self.registry.types(),
            json_mask: inner.json_mask,
            cands: &inner.cands,
            roots: &inner.roots,
            texts: inner.texts,
            rule: self.rule,
            limits: &inner.limits,
            record,
            slots,
            hints,
            indicators,
            stack,
            derived,
            text,
            ctx,
        };
        if !json {
            return search.run(Parsed::NotJson, Bufs::Free(out, day), state);
        }
        with_tape(bytes, input, buffers, tape, literals, |parsed| {
            let parsed = match parsed {
                Ok((tape, l, strings)) => Parsed::Tape {
                    tape,
                    record: l.record,
                    structurals: l.structurals,
                    map: l.map,
                    strings,
                },
                Err(_) => Parsed::Invalid,
            };
            search.run(parsed, Bufs::Free(out, day), state)
        })
    }

    /// The outcome of a record no candidate accepted: each candidate's
    /// own error, from normalizing the record as that type (the cold
    /// path, so the messages are exactly the types' own).
    #[cold]
    #[inline(never)]
    fn unmatched<'c, 's>(
        &'c self,
        record: Record<'_>,
        ctx: &mut Context,
        scratch: &'s mut Scratch,
    ) -> Result<(&'c LogType, Event<'s>), ClassifyError> {
        let mut errors = Vec::with_capacity(self.inner.cands.len());
        let mut accepted = None;
        for log_type in self.candidates() {
            match log_type.normalize(record, ctx, scratch) {
                Ok(_) => {
                    accepted = Some(log_type);
                    break;
                }
                Err(e) => errors.push(e),
            }
        }
        // The search and the type's own normalize agree (the fuzz target
        // `classify` checks it); should they not, the record still gets
        // exactly one outcome.
        debug_assert!(accepted.is_none(), "the search missed a candidate");
        match accepted {
            Some(log_type) => {
                let event = log_type
                    .normalize(record, ctx, scratch)
                    .map_err(|e| self.error(record, vec![e]))?;
                Ok((log_type, event))
            }
            None => Err(self.error(record, errors)),
        }
    }

    #[cold]
    fn error(
        &self,
        record: Record<'_>,
        errors: Vec<RecordError>,
    ) -> ClassifyError {
        ClassifyError {
            record: record.number(),
            offset: record.offset(),
            raw: record.bytes().to_vec(),
            errors,
        }
    }
}

/// The order and the counters (not the classifier it belongs to, nor
/// its caches).
impl std::fmt::Debug for ClassifyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClassifyState")
            .field("order", &self.order)
            .field("records", &self.records)
            .field("counts", &self.counts())
            .finish_non_exhaustive()
    }
}

impl ClassifyState {
    /// Each candidate's counters, in the caller's order (that of
    /// [`Classifier::candidates`]).
    pub fn counts(&self) -> Vec<Counts> {
        let skipped = |c: &Counts| self.records.saturating_sub(c.tried);
        self.counts
            .iter()
            .map(|c| Counts { skipped: skipped(c), ..*c })
            .collect()
    }
}

impl Cand {
    fn new(ty: usize, log_type: &LogType) -> Cand {
        let schema = &log_type.schema;
        let prefixes = match schema.text.as_ref().map(|t| &t.kind) {
            Some(TextKind::Fastmatch(p)) => {
                let prefixes: Box<[Box<str>]> =
                    p.patterns().map(|p| p.prefix().into()).collect();
                let all = !prefixes.is_empty()
                    && prefixes.iter().all(|p| !p.is_empty());
                all.then_some(prefixes)
            }
            _ => None,
        };
        Cand {
            ty,
            json: schema.text.is_none(),
            required: required_fields(&schema.root),
            prefixes,
        }
    }

    /// Whether a record of this candidate can start with `bytes`
    /// (`json`: the record starts with `{`).
    #[inline]
    fn can_start(
        &self,
        parser: Option<&TextParser>,
        json: bool,
        bytes: &[u8],
    ) -> bool {
        if self.json {
            return json;
        }
        let (Some(prefixes), Some(parser)) = (&self.prefixes, parser) else {
            return true;
        };
        let skip = parser.skip_prefix.as_bytes();
        let line = bytes.strip_prefix(skip).unwrap_or(bytes);
        prefixes.iter().any(|p| line.starts_with(p.as_bytes()))
    }

    /// The best fit this candidate could have on a record of `len` bytes.
    #[inline]
    fn best_possible(&self, len: usize) -> Fit {
        if self.json {
            Fit { json: true, closeness: u32::MAX, required: self.required }
        } else {
            let len = u32::try_from(len).unwrap_or(u32::MAX);
            Fit { json: false, closeness: len, required: 0 }
        }
    }
}

impl RootKeys {
    fn new(cands: &[Cand], types: &[LogType]) -> RootKeys {
        let mut scanned = 0u64;
        let mut keys: Vec<Box<str>> = Vec::new();
        for (c, cand) in cands.iter().enumerate().take(SCANNED) {
            let root = &types[cand.ty].schema.root;
            let plain = cand.json
                && !root.transforms
                && root.discovery.is_none()
                && root
                    .fields
                    .iter()
                    .enumerate()
                    .all(|(i, f)| root.find(&f.name) == Some(i));
            let new = root.fields.iter().filter(|f| !keys.contains(&f.name));
            if !plain || keys.len() + new.count() > 64 * KEY_WORDS {
                continue;
            }
            scanned |= 1 << c;
            for f in root.fields.iter() {
                if !keys.contains(&f.name) {
                    keys.push(f.name.clone());
                }
            }
        }
        let set = |k: usize, set: &mut KeySet| {
            if let Some(w) = set.get_mut(k / 64) {
                *w |= 1 << (k % 64);
            }
        };
        let mut declared = vec![KeySet::default(); cands.len()];
        let mut required = vec![KeySet::default(); cands.len()];
        let mut field_keys = vec![Box::<[u16]>::default(); cands.len()];
        for (c, cand) in cands.iter().enumerate().take(SCANNED) {
            if scanned & (1 << c) == 0 {
                continue;
            }
            let root = &types[cand.ty].schema.root;
            field_keys[c] = root
                .fields
                .iter()
                .map(|f| {
                    let k = keys.iter().position(|k| *k == f.name);
                    k.and_then(|k| u16::try_from(k).ok()).unwrap_or(u16::MAX)
                })
                .collect();
            for (k, key) in keys.iter().enumerate() {
                if let Some(i) = root.find(key) {
                    set(k, &mut declared[c]);
                    if root.fields.get(i).is_some_and(|f| f.required) {
                        set(k, &mut required[c]);
                    }
                }
            }
        }
        RootKeys {
            len: keys.len(),
            index: crate::schema::KeyIndex::with_gaps(
                keys.into_iter().map(Some),
            ),
            declared: declared.into_boxed_slice(),
            required: required.into_boxed_slice(),
            keys: field_keys.into_boxed_slice(),
            scanned,
            unscanned_json: cands
                .iter()
                .take(SCANNED)
                .enumerate()
                .filter(|(c, cand)| cand.json && scanned & (1 << c) == 0)
                .fold(0, |m, (c, _)| m | (1 << c)),
        }
    }

    /// Whether candidate `pos` takes part in the scan.
    #[inline]
    fn takes_part(&self, pos: usize) -> bool {
        pos < SCANNED && self.scanned & (1 << pos) != 0
    }

    /// Notes root key `k` (an index of [`RootKeys::index`]) in `scan`.
    #[inline(always)]
    fn note(scan: &mut Scan, k: Option<usize>) {
        match k {
            Some(k) => {
                if let Some(w) = scan.seen.get_mut(k / 64) {
                    *w |= 1 << (k % 64);
                }
            }
            None => scan.unknown += 1,
        }
    }

    /// Reads the root keys of a parsed record (`None`: not an object).
    /// `hints` (one more than the keys, kept in the state) hold the key
    /// that followed each key last time, as the walk's do.
    fn scan(&self, tape: &[Node<'_>], hints: &mut Vec<u32>) -> Option<Scan> {
        let Some(&Node::Object { len, .. }) = tape.first() else {
            return None;
        };
        if hints.len() != self.len + 1 {
            hints.clear();
            hints.resize(self.len + 1, u32::MAX);
        }
        let mut scan = Scan { seen: KeySet::default(), unknown: 0 };
        let mut i = 1;
        let mut prev = self.len;
        for _ in 0..len {
            let Some(Node::String(key)) = tape.get(i) else { return None };
            i += 1;
            let found = match hints.get_mut(prev) {
                Some(hint) => self.index.get_hinted(key, hint),
                None => self.index.get(key),
            };
            RootKeys::note(&mut scan, found);
            prev = found.unwrap_or(self.len);
            i += match tape.get(i) {
                Some(
                    Node::Object { count, .. } | Node::Array { count, .. },
                ) => count + 1,
                _ => 1,
            };
        }
        Some(scan)
    }
}

impl Scan {
    /// A hash of the scan, for [`ClassifyState::memo`].
    #[inline]
    fn hash(&self) -> usize {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let [a, b, c, d] = self.seen;
        let h =
            (a ^ b.rotate_left(17) ^ c.rotate_left(31) ^ d.rotate_left(47))
                .wrapping_add(u64::from(self.unknown))
                .wrapping_mul(K);
        (h >> 32) as usize
    }

    /// Whether candidate `pos` can accept the record (`None`: it lacks a
    /// required root key) and the best fit it could have: each known key
    /// it does not declare and each unknown key occurrence is at least one
    /// undeclared key. `Some(None)`: the scan cannot tell.
    #[inline]
    fn bound(
        &self,
        roots: &RootKeys,
        c: &Cand,
        pos: usize,
    ) -> Option<Option<Fit>> {
        if !roots.takes_part(pos) {
            return Some(None);
        }
        let (declared, required) =
            (roots.declared.get(pos)?, roots.required.get(pos)?);
        self.fit(declared, required, c.required).map(Some)
    }

    /// [`Scan::bound`] of a candidate that takes part, from its declared
    /// and required root keys and its count of required fields.
    #[inline(always)]
    fn fit(
        &self,
        declared: &KeySet,
        required: &KeySet,
        fields: u32,
    ) -> Option<Fit> {
        let mut missing = 0;
        let mut undeclared = self.unknown;
        for ((&seen, &d), &r) in self.seen.iter().zip(declared).zip(required) {
            missing |= r & !seen;
            undeclared += (seen & !d).count_ones();
        }
        (missing == 0).then_some(Fit {
            json: true,
            closeness: u32::MAX - undeclared,
            required: fields,
        })
    }
}

/// The required fields present in every record a plan accepts: the
/// required fields of the object and, below each required object, its
/// own. Recursion follows the schema (bounded when it was compiled).
fn required_fields(plan: &ObjectPlan) -> u32 {
    let mut n = 0u32;
    for f in plan.fields.iter().filter(|f| f.required) {
        n = n.saturating_add(1);
        if let Kind::Object(inner) = &f.value.kind
            && !f.value.embedded_json
        {
            n = n.saturating_add(required_fields(inner));
        }
    }
    n
}

/// The record as the JSON candidates see it.
enum Parsed<'t, 'i> {
    /// Not a JSON object (does not start with `{`): JSON candidates are
    /// skipped.
    NotJson,
    /// Starts with `{` but is not valid JSON: every JSON candidate fails.
    Invalid,
    /// Parsed once, for every JSON candidate.
    Tape {
        tape: &'t [Node<'i>],
        record: &'t [u8],
        structurals: &'t [u32],
        map: &'t mut Vec<u32>,
        strings: Strings<'t>,
    },
}

/// Where the row buffer is between walks: free, or holding the row of
/// the last walk, which accepted the record and is the best so far.
enum Bufs<'o> {
    Free(&'o mut Vec<u8>, &'o mut DayCache),
    Kept { pos: usize, event_time: Option<Timestamp>, row: JsonRow<'o> },
}

impl<'o> Bufs<'o> {
    fn take(self) -> (&'o mut Vec<u8>, &'o mut DayCache) {
        match self {
            Bufs::Free(out, day) => (out, day),
            Bufs::Kept { mut row, .. } => {
                row.abort();
                row.into_parts()
            }
        }
    }
}

/// The row writer of the classify path: the JSON row, and the count of
/// undeclared keys the walk skipped (the only sink that counts them).
struct Counting<'o> {
    row: JsonRow<'o>,
    undeclared: u32,
    /// The key scan, fused into the walk of a candidate that takes part
    /// in it.
    fused: Option<Fused<'o>>,
}

/// The key scan done by the walk of the first candidate tried: its root
/// keys are looked up by the walk anyway, so a key it declares gives its
/// scan key from a table, and only the keys it does not declare are
/// looked up (in [`RootKeys::index`]). The same [`Scan`] as
/// [`RootKeys::scan`]'s once the walk has read every root key (a walk
/// that fails does not always).
struct Fused<'o> {
    /// The candidate's root plan (compared by address: the walk's other
    /// objects are other plans).
    root: &'o ObjectPlan,
    roots: &'o RootKeys,
    /// The scan key of each root field (`RootKeys::keys`).
    keys: &'o [u16],
    scan: Scan,
    /// The root keys read so far.
    read: usize,
}

/// One record's search: the scratch's buffers and the candidates.
struct Search<'a, 'x> {
    types: &'a [LogType],
    /// `Inner::json_mask`.
    json_mask: u64,
    cands: &'a [Cand],
    roots: &'a RootKeys,
    /// Whether text fits are compared (see `Inner::texts`).
    texts: bool,
    rule: Rule,
    limits: &'a Limits,
    record: Record<'a>,
    slots: &'x mut Vec<usize>,
    hints: &'x mut Vec<u32>,
    indicators: &'x mut Collector,
    stack: &'x mut Vec<Frame>,
    derived: &'x mut Derived,
    text: &'x mut TextCaptures,
    ctx: &'x mut Context,
}

impl<'a> Search<'a, '_> {
    /// Tries the candidates in the state's order; finishes the winner's
    /// row and returns it (see [`Classifier::search`]).
    fn run<'o>(
        &mut self,
        mut parsed: Parsed<'_, '_>,
        mut bufs: Bufs<'o>,
        state: &mut ClassifyState,
    ) -> Option<(usize, std::ops::Range<usize>, Option<Timestamp>)>
    where
        'a: 'o,
    {
        let json = !matches!(parsed, Parsed::NotJson);
        let mut best: Option<(Fit, Reverse<usize>)> = None;
        let mut walked = 0usize;
        let mut scan: Option<Option<Scan>> = None;
        // Whether the candidates that may still beat the first JSON fit
        // found were worked out (see `Search::survivors`).
        let mut bounded = false;
        // The candidates among the first [`SCANNED`] that may still be
        // tried (a record that is no JSON object skips the JSON types),
        // and those not visited yet: the loop ends when none is left to
        // try.
        let mut allowed = if json { u64::MAX } else { !self.json_mask };
        let n = state.order.len();
        let far = n > SCANNED;
        let mut left = match n {
            SCANNED.. => u64::MAX,
            n => (1u64 << n) - 1,
        };
        for &pos in &state.order {
            let pos = pos as usize;
            if pos < SCANNED {
                let bit = 1u64 << pos;
                left &= !bit;
                if allowed & bit == 0 {
                    continue;
                }
            }
            let (Some(c), Some(counts)) =
                (self.cands.get(pos), state.counts.get_mut(pos))
            else {
                continue;
            };
            let log_type = self.types.get(c.ty)?;
            if !c.can_start(
                log_type.schema.text.as_ref(),
                json,
                self.record.bytes(),
            ) {
                continue;
            }
            // Cheapest first: the fit the candidate could have at best.
            let beaten =
                |fit: Fit| best.is_some_and(|b| (fit, Reverse(pos)) < b);
            if beaten(c.best_possible(self.record.bytes().len())) {
                continue;
            }
            if c.json && walked > 0 && self.rule == Rule::BestFit {
                // After the first walk, the key scan (once) tells which
                // JSON candidates lack a required root key, and a floor
                // on each one's undeclared keys.
                if scan.is_none()
                    && let Parsed::Tape { tape, .. } = &parsed
                {
                    scan = Some(self.roots.scan(tape, &mut state.hints));
                }
                let bound = match &scan {
                    Some(Some(s)) => s.bound(self.roots, c, pos),
                    _ => Some(None),
                };
                let skip = match bound {
                    None => true,
                    Some(Some(fit)) => beaten(fit),
                    Some(None) => false,
                };
                if skip {
                    continue;
                }
            }
            walked += 1;
            counts.tried += 1;
            let (out, day) = bufs.take();
            // The first JSON candidate that takes part in the key scan
            // does it in its walk.
            let fuse = c.json
                && scan.is_none()
                && self.rule == Rule::BestFit
                && self.roots.takes_part(pos);
            let fused = if fuse { Some(&mut scan) } else { None };
            let (fit, mut row) =
                self.walk(log_type, c, pos, fused, &mut parsed, out, day);
            #[cfg(debug_assertions)]
            if fuse
                && let (Some(Some(fused)), Parsed::Tape { tape, .. }) =
                    (&scan, &parsed)
            {
                let plain = self.roots.scan(tape, &mut state.hints);
                assert_eq!(Some(*fused), plain, "the fused key scan differs");
            }
            let Some((fit, event_time)) = fit else {
                counts.failed += 1;
                row.abort();
                let (out, day) = row.into_parts();
                bufs = Bufs::Free(out, day);
                continue;
            };
            counts.matched += 1;
            let rank = (fit, Reverse(pos));
            if best.is_none_or(|b| rank > b) {
                best = Some(rank);
                bufs = Bufs::Kept { pos, event_time, row };
            } else {
                row.abort();
                let (out, day) = row.into_parts();
                bufs = Bufs::Free(out, day);
            }
            if self.rule == Rule::FirstSuccess {
                break;
            }
            if !bounded
                && let Some(b) = best
                && b.0.json
            {
                if scan.is_none()
                    && let Parsed::Tape { tape, .. } = &parsed
                {
                    scan = Some(self.roots.scan(tape, &mut state.hints));
                }
                if let Some(Some(s)) = &scan {
                    let slot = state.memo.get_mut(s.hash() % MEMO);
                    let top = match slot {
                        Some(Some(m)) if m.scan == *s => {
                            debug_assert_eq!(m.top, self.bounds(s));
                            m.top
                        }
                        slot => {
                            let top = self.bounds(s);
                            if let Some(slot) = slot {
                                *slot = Some(Memo { scan: *s, top });
                            }
                            top
                        }
                    };
                    // The best bound of a candidate other than this one:
                    // when it loses to the fit found, every other does.
                    let other = match top {
                        [Some(t), second] if t.1 == Reverse(pos) => second,
                        [first, _] => first,
                    };
                    let m = match other {
                        Some(o) if o >= b => self.survivors(s, b),
                        _ => 0,
                    };
                    bounded = true;
                    allowed &= m;
                }
            }
            if !far && allowed & left == 0 {
                break;
            }
        }
        let (_, Reverse(winner)) = best?;
        let (event_time, row) = match bufs {
            Bufs::Kept { pos, event_time, row } if pos == winner => {
                (event_time, row)
            }
            bufs => {
                // A later candidate was walked: walk the winner again.
                let (out, day) = bufs.take();
                let c = self.cands.get(winner)?;
                let log_type = self.types.get(c.ty)?;
                let (fit, row) = self.walk(
                    log_type,
                    c,
                    winner,
                    None,
                    &mut parsed,
                    out,
                    day,
                );
                (fit?.1, row)
            }
        };
        let log_type = self.types.get(self.cands.get(winner)?.ty)?;
        self.indicators.finish();
        let row_id = row.finish(
            &log_type.json,
            event_time,
            &mut self.ctx.row_ids,
            &self.ctx.text,
            self.indicators,
        );
        Some((winner, row_id, event_time))
    }

    /// Each JSON candidate of the first [`SCANNED`] that can accept a
    /// record with the root keys of `scan`, with the best fit it could
    /// have: for those in the key scan, its bound from `scan`; for the
    /// others, its best possible fit.
    #[inline(always)]
    fn each_bound(&self, scan: &Scan, mut f: impl FnMut(Fit, usize)) {
        let roots = self.roots;
        let mut bits = roots.scanned;
        while bits != 0 {
            let pos = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let (Some(d), Some(r), Some(c)) = (
                roots.declared.get(pos),
                roots.required.get(pos),
                self.cands.get(pos),
            ) else {
                continue;
            };
            if let Some(fit) = scan.fit(d, r, c.required) {
                f(fit, pos);
            }
        }
        let mut bits = roots.unscanned_json;
        while bits != 0 {
            let pos = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(c) = self.cands.get(pos) {
                f(c.best_possible(0), pos);
            }
        }
    }

    /// The candidates of the first [`SCANNED`] that may beat `best`, a
    /// JSON fit, by their positions' bits (text candidates always lose).
    /// One pass, before the loop over the candidates visits them.
    fn survivors(&self, scan: &Scan, best: (Fit, Reverse<usize>)) -> u64 {
        let mut m = 0u64;
        self.each_bound(scan, |fit, pos| {
            if (fit, Reverse(pos)) >= best {
                m |= 1 << pos;
            }
        });
        m
    }

    /// The two best bounds, with their positions (see
    /// [`Search::each_bound`]): when neither, less the winner's own, can
    /// beat the winner's fit, no other candidate is tried.
    fn bounds(&self, scan: &Scan) -> [Option<(Fit, Reverse<usize>)>; 2] {
        let mut top: [Option<(Fit, Reverse<usize>)>; 2] = [None, None];
        self.each_bound(scan, |fit, pos| {
            let rank = Some((fit, Reverse(pos)));
            if rank > top[0] {
                top = [rank, top[0]];
            } else if rank > top[1] {
                top[1] = rank;
            }
        });
        top
    }

    /// Walks the record as `log_type` (candidate `pos`) into a row over
    /// `out`: the fit and event time when the type accepts it, and the row
    /// (to finish or abort). With `fuse`, the record's key scan is put
    /// there when the walk read every root key.
    #[allow(clippy::too_many_arguments)]
    fn walk<'o>(
        &mut self,
        log_type: &'o LogType,
        c: &Cand,
        pos: usize,
        fuse: Option<&mut Option<Option<Scan>>>,
        parsed: &mut Parsed<'_, '_>,
        out: &'o mut Vec<u8>,
        day: &'o mut DayCache,
    ) -> (Option<(Fit, Option<Timestamp>)>, JsonRow<'o>)
    where
        'a: 'o,
    {
        self.indicators.clear();
        self.derived.clear();
        let roots: &'o RootKeys = self.roots;
        let fused = match roots.keys.get(pos) {
            Some(keys) if fuse.is_some() => Some(Fused {
                root: &log_type.schema.root,
                roots,
                keys,
                scan: Scan::default(),
                read: 0,
            }),
            _ => None,
        };
        let mut sink = Counting {
            row: JsonRow::new(&log_type.json, out, day),
            undeclared: 0,
            fused,
        };
        sink.begin_record();
        let schema = &log_type.schema;
        match &schema.text {
            None => {
                let Parsed::Tape { tape, record, structurals, map, strings } =
                    parsed
                else {
                    return (None, sink.row);
                };
                let literals =
                    Literals { record, structurals, map, built: false };
                let mut w = Walker::new(
                    sink,
                    Some(literals),
                    *strings,
                    self.slots.as_mut_slice(),
                    self.hints.as_mut_slice(),
                    self.indicators,
                    self.stack,
                    self.limits,
                    self.derived,
                );
                let result = w.root(&schema.root, tape);
                let (event_time, sink) = w.finish();
                let fit = result.ok().map(|()| {
                    let fit = Fit {
                        json: true,
                        closeness: u32::MAX - sink.undeclared,
                        required: c.required,
                    };
                    (fit, event_time)
                });
                let keys = match tape.first() {
                    Some(&Node::Object { len, .. }) => len,
                    _ => usize::MAX,
                };
                if let (Some(f), Some(scan)) = (&sink.fused, fuse)
                    && f.read == keys
                {
                    *scan = Some(Some(f.scan));
                }
                (fit, sink.row)
            }
            Some(parser) => {
                let mut w = Walker::new(
                    sink,
                    None,
                    Strings::Unknown,
                    self.slots.as_mut_slice(),
                    self.hints.as_mut_slice(),
                    self.indicators,
                    self.stack,
                    self.limits,
                    self.derived,
                );
                let result = crate::normalize::walk_text(
                    &mut w,
                    schema,
                    parser,
                    self.text,
                    &self.record,
                );
                let (event_time, sink) = w.finish();
                let fit = result.ok().map(|()| {
                    let pinned = match self.texts {
                        true => pinned_bytes(
                            parser,
                            self.text,
                            self.record.bytes(),
                        ),
                        false => 0,
                    };
                    let fit =
                        Fit { json: false, closeness: pinned, required: 0 };
                    (fit, event_time)
                });
                (fit, sink.row)
            }
        }
    }
}

/// The bytes of a matched line outside the values its parser captured
/// (after `skipPrefix`).
fn pinned_bytes(
    parser: &TextParser,
    caps: &TextCaptures,
    bytes: &[u8],
) -> u32 {
    let Ok(line) = simdutf8::basic::from_utf8(bytes) else { return 0 };
    let line = line.strip_prefix(&*parser.skip_prefix).unwrap_or(line);
    let values = parser.values(caps, line);
    let captured: usize = (0..parser.field_names().len())
        .filter_map(|i| values.get(i))
        .map(str::len)
        .sum();
    u32::try_from(line.len().saturating_sub(captured)).unwrap_or(u32::MAX)
}

impl<'o> Sink for Counting<'o> {
    type Mark = <JsonRow<'o> as Sink>::Mark;

    #[inline(always)]
    fn object_key(
        &mut self,
        plan: &ObjectPlan,
        field: Option<usize>,
        key: &str,
    ) {
        if field.is_none() {
            self.undeclared = self.undeclared.saturating_add(1);
        }
        if let Some(f) = &mut self.fused
            && std::ptr::eq(plan, f.root)
        {
            f.read += 1;
            let k = match field {
                Some(i) => f.keys.get(i).map(|&k| usize::from(k)),
                None => f.roots.index.get(key),
            };
            RootKeys::note(&mut f.scan, k);
        }
    }
    #[inline(always)]
    fn begin_record(&mut self) {
        self.row.begin_record();
    }
    #[inline(always)]
    fn abort(&mut self) {
        self.row.abort();
    }
    #[inline(always)]
    fn mark(&self) -> Self::Mark {
        self.row.mark()
    }
    #[inline(always)]
    fn rewind(&mut self, mark: Self::Mark) {
        self.row.rewind(mark);
    }
    #[inline(always)]
    fn key(&mut self, column: u32, first: bool) {
        self.row.key(column, first);
    }
    #[inline(always)]
    fn discovered_key(&mut self, column: &str, first: bool) {
        self.row.discovered_key(column, first);
    }
    #[inline(always)]
    fn separator(&mut self, first: bool) {
        self.row.separator(first);
    }
    #[inline(always)]
    fn member(&mut self, key: &str, strings: Strings<'_>) {
        self.row.member(key, strings);
    }
    #[inline(always)]
    fn null(&mut self) {
        self.row.null();
    }
    #[inline(always)]
    fn boolean(&mut self, b: bool) {
        self.row.boolean(b);
    }
    #[inline(always)]
    fn int(&mut self, n: i64) {
        self.row.int(n);
    }
    #[inline(always)]
    fn int_text(&mut self, n: i64, text: &str) {
        self.row.int_text(n, text);
    }
    #[inline(always)]
    fn uint(&mut self, n: u64) {
        self.row.uint(n);
    }
    #[inline(always)]
    fn float(&mut self, f: f64) {
        self.row.float(f);
    }
    #[inline(always)]
    fn number_text(&mut self, text: &str) {
        self.row.number_text(text);
    }
    #[inline(always)]
    fn string(&mut self, s: &str, strings: Strings<'_>) {
        self.row.string(s, strings);
    }
    #[inline(always)]
    fn timestamp(&mut self, t: Timestamp, event_time: bool) {
        self.row.timestamp(t, event_time);
    }
    #[inline(always)]
    fn day_cache(&self) -> Option<&DayCache> {
        self.row.day_cache()
    }
    #[inline(always)]
    fn begin_object(&mut self) {
        self.row.begin_object();
    }
    #[inline(always)]
    fn end_object(&mut self) {
        self.row.end_object();
    }
    #[inline(always)]
    fn begin_array(&mut self) {
        self.row.begin_array();
    }
    #[inline(always)]
    fn end_array(&mut self) {
        self.row.end_array();
    }
    #[inline(always)]
    fn begin_json(&mut self) {
        self.row.begin_json();
    }
    #[inline(always)]
    fn end_json(&mut self) {
        self.row.end_json();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOSE: &str = "schema: Test.Loose\nfields:\n  - name: id\n    \
                         type: string\n    required: true\n";
    const STRICT: &str = "schema: Test.Strict\nfields:\n  - name: id\n    \
                          type: string\n    required: true\n  - name: kind\n    \
                          type: string\n    required: true\n";
    const ACCESS: &str = "schema: Test.Access\nparser:\n  fastmatch:\n    \
                          match:\n      - 'GET %{path} %{status}'\n\
                          fields:\n  - name: path\n    type: string\n  \
                          - name: status\n    type: int\n";
    const ANY: &str = "schema: Test.Any\nparser:\n  fastmatch:\n    \
                       match:\n      - '%{verb} %{rest}'\nfields:\n  \
                       - name: verb\n    type: string\n  - name: rest\n    \
                       type: string\n";

    fn registry() -> Registry {
        let mut b = Registry::builder();
        for (file, yaml) in [
            ("l.yml", LOOSE),
            ("s.yml", STRICT),
            ("a.yml", ACCESS),
            ("n.yml", ANY),
        ] {
            b.add_yaml(file, yaml).unwrap();
        }
        b.build()
    }

    /// A state's `Debug` shows its order and counters, not the classifier
    /// it belongs to.
    #[test]
    fn a_states_debug_is_its_order_and_counters() {
        let registry = registry();
        let c = registry.classifier(&["Test.Loose", "Test.Strict"]).unwrap();
        let state = c.state();
        assert_eq!(
            format!("{state:?}"),
            "ClassifyState { order: [0, 1], records: 0, counts: [Counts { \
             tried: 0, matched: 0, failed: 0, skipped: 0, won: 0 }, Counts \
             { tried: 0, matched: 0, failed: 0, skipped: 0, won: 0 }], .. }"
        );
    }

    /// Each record's winner, and the counters as
    /// `name:tried/matched/failed/skipped/won`.
    fn run(names: &[&str], records: &[&str]) -> (Vec<String>, Vec<String>) {
        let registry = registry();
        let c = registry.classifier(names).unwrap();
        let mut ctx =
            Context::new("2024-01-01T00:00:00Z".parse().unwrap(), *b"class1");
        let mut scratch = Scratch::new();
        let mut state = c.state();
        let got = records
            .iter()
            .map(|r| {
                let record = Record::new(r.as_bytes(), 1, 0);
                match c.classify(record, &mut ctx, &mut scratch, &mut state) {
                    Ok((lt, e)) => {
                        assert!(e.row().contains(&format!(
                            "\"p_log_type\":\"{}\"",
                            lt.name()
                        )));
                        lt.name().to_owned()
                    }
                    Err(e) => format!("error: {e}"),
                }
            })
            .collect();
        let counts = c
            .candidates()
            .zip(state.counts())
            .map(|(t, n)| {
                format!(
                    "{}:{}/{}/{}/{}/{}",
                    t.name(),
                    n.tried,
                    n.matched,
                    n.failed,
                    n.skipped,
                    n.won
                )
            })
            .collect();
        (got, counts)
    }

    /// Fewer undeclared keys win; with none undeclared, more required
    /// fields; then the caller's order.
    #[test]
    fn the_best_fit_wins_then_the_callers_order() {
        let (got, _) = run(
            &["Test.Loose", "Test.Strict"],
            &[
                r#"{"id":"1","kind":"k"}"#,
                r#"{"id":"1"}"#,
                r#"{"id":"1","kind":"k","x":1}"#,
                r#"{"id":"1","x":1}"#,
            ],
        );
        assert_eq!(
            got,
            ["Test.Strict", "Test.Loose", "Test.Strict", "Test.Loose"]
        );
    }

    /// The last winner is tried first, and a perfect fit with the most
    /// required fields ends the search: the second and third records
    /// try Test.Strict only.
    #[test]
    fn a_perfect_fit_ends_the_search() {
        let (got, counts) = run(
            &["Test.Loose", "Test.Strict"],
            &[
                r#"{"id":"1","kind":"k"}"#,
                r#"{"id":"2","kind":"k"}"#,
                r#"{"id":"3","kind":"k"}"#,
                r#"{"id":"4"}"#,
            ],
        );
        assert_eq!(got[..3], ["Test.Strict"; 3]);
        assert_eq!(got[3], "Test.Loose");
        assert_eq!(counts, ["Test.Loose:2/2/0/2/1", "Test.Strict:4/3/1/0/3"]);
        // A perfect fit of the type with fewer required fields does not
        // end it: Test.Strict could still fit with more, but the key
        // scan finds its required `kind` missing, so it is not walked.
        let (_, counts) = run(
            &["Test.Loose", "Test.Strict"],
            &[r#"{"id":"1"}"#, r#"{"id":"2"}"#],
        );
        assert_eq!(counts, ["Test.Loose:2/2/0/0/2", "Test.Strict:0/0/0/2/0"]);
        // Text candidates and the first walk are not scanned.
        let (_, counts) = run(
            &["Test.Strict", "Test.Loose"],
            &[r#"{"id":"1"}"#, r#"{"id":"2","x":1}"#],
        );
        assert_eq!(counts, ["Test.Strict:1/0/1/1/0", "Test.Loose:2/2/0/0/2"]);
    }

    /// Text: the pattern that pins more of the line wins; a line that
    /// starts with no literal prefix of a fastmatch type skips it, and
    /// JSON types skip a line that does not start with `{`.
    #[test]
    fn text_types_by_pinned_bytes_and_first_bytes() {
        let (got, counts) = run(
            &["Test.Any", "Test.Access", "Test.Loose"],
            &["GET /a 200", "PUT /a 200", "GET /b x"],
        );
        assert_eq!(got, ["Test.Access", "Test.Any", "Test.Any"]);
        assert_eq!(
            counts,
            [
                "Test.Any:3/3/0/0/2",
                "Test.Access:2/1/1/1/1",
                "Test.Loose:0/0/0/3/0"
            ]
        );
        // A JSON type beats a text type that also reads the line.
        let (got, _) = run(&["Test.Any", "Test.Loose"], &[r#"{"id":"1"} x"#]);
        assert_eq!(got, ["Test.Any"]);
        let (got, _) = run(&["Test.Any", "Test.Loose"], &[r#"{"id":"1"}"#]);
        assert_eq!(got, ["Test.Loose"]);
    }

    /// Building: an unknown name, a name listed twice, no names, or
    /// candidates with different limits.
    #[test]
    fn building_refuses_bad_lists() {
        let registry = registry();
        let err = |names: &[&str]| {
            registry.classifier(names).unwrap_err().to_string()
        };
        assert_eq!(
            err(&["Test.Loose", "Test.Nope"]),
            "unknown log type `Test.Nope`: expected one of `Test.Access`, \
             `Test.Any`, `Test.Loose`, `Test.Strict`"
        );
        assert_eq!(
            err(&["Test.Loose", "Test.Loose"]),
            "log type `Test.Loose` is listed twice: expected each candidate once"
        );
        assert_eq!(
            err(&[]),
            "expected at least one candidate log type, found none"
        );
        let mut b = Registry::builder();
        b.add_yaml("l.yml", LOOSE).unwrap();
        b.limits(Limits::new().max_depth(8))
            .add_yaml("s.yml", STRICT)
            .unwrap();
        let registry = b.build();
        assert_eq!(
            registry
                .classifier(&["Test.Loose", "Test.Strict"])
                .unwrap_err()
                .to_string(),
            "candidates `Test.Loose` and `Test.Strict` have different limits: \
             expected one `Limits` for every candidate"
        );
    }

    /// Framing: JSON for JSON types, auto for text types, and for a mix
    /// decided by the payload's first non-blank byte.
    #[test]
    fn framing_is_decided_once_per_payload() {
        let registry = registry();
        let json = registry.classifier(&["Test.Loose"]).unwrap();
        let text = registry.classifier(&["Test.Any"]).unwrap();
        let mixed = registry.classifier(&["Test.Any", "Test.Loose"]).unwrap();
        assert_eq!(json.framing(b"GET"), Framing::Json);
        assert_eq!(text.framing(b"{"), Framing::Auto);
        assert_eq!(mixed.framing(b"\xEF\xBB\xBF [{}]"), Framing::Json);
        assert_eq!(mixed.framing(b"GET /a 1\n{}"), Framing::Auto);
        let payload = b"{\"id\":\"1\"}\nGET /a 200\n";
        let records: Vec<&[u8]> =
            mixed.split(payload).map(|r| r.bytes()).collect();
        assert_eq!(records, [&b"{\"id\":\"1\"}"[..], b"GET /a 200"]);
    }

    #[test]
    fn classifier_is_send_and_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Classifier>();
    }
}
