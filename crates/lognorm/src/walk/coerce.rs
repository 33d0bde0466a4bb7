//! Coercion of one scalar (a JSON scalar or a string) to a field's type
//! (SPEC §3): typed values for the sink, or an error.

use std::borrow::Cow;
use std::net::IpAddr;

use simd_json::StaticNode;

use crate::error::{FieldError, RecordErrorKind as K, quote};
use crate::indicators::Collector;
use crate::limits::Limits;
use crate::schema::{IntKind, IpVersion, Kind, StringPlan, TimestampPlan};
use crate::time::Timestamp;

/// What writing a value did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The value was written.
    Written,
    /// The value counts as absent (`""` for a number, boolean or
    /// timestamp): nothing was written, and a `required` field fails.
    Absent,
    /// The value is an empty array: omitted, but present.
    Empty,
}

/// A scalar input value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scalar<'a> {
    Str(&'a str),
    Static(StaticNode),
}

/// The literal text of a JSON scalar, for string fields.
pub(crate) fn scalar_text(s: StaticNode, buf: &mut [u8; 32]) -> &str {
    use std::io::Write as _;
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    let _ = match s {
        StaticNode::I64(n) => {
            cursor.write_all(itoa::Buffer::new().format(n).as_bytes())
        }
        StaticNode::U64(n) => {
            cursor.write_all(itoa::Buffer::new().format(n).as_bytes())
        }
        StaticNode::F64(f) => {
            cursor.write_all(ryu::Buffer::new().format(f).as_bytes())
        }
        StaticNode::Bool(true) => cursor.write_all(b"true"),
        StaticNode::Bool(false) => cursor.write_all(b"false"),
        StaticNode::Null => cursor.write_all(b"null"),
    };
    let n = usize::try_from(cursor.position()).unwrap_or(0);
    std::str::from_utf8(buf.get(..n).unwrap_or_default()).unwrap_or_default()
}

/// The value of `s` when it is an integer written the way it is written
/// back: an optional `-`, then one to eighteen digits without a leading
/// zero (so it fits an `i64`), and not `-0`. Anything else takes the
/// general path (`str::parse`, then `itoa`).
#[inline]
fn canonical_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    let canonical = match digits {
        [] => false,
        [b'0'] => !negative,
        [first, ..] => *first != b'0' && digits.len() <= 18,
    };
    if !canonical {
        return None;
    }
    let mut n = 0i64;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + i64::from(d);
    }
    Some(if negative { -n } else { n })
}

/// A value coerced to its field's type, for the walker to hand to the
/// sink. Strings are checked (length, `validate`) and scanned for
/// indicators before they come back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Coerced<'a> {
    /// `""` for a number or boolean: absent, nothing to write.
    Absent,
    /// A string field's value, as given.
    Str(&'a str),
    /// A string field given a scalar whose literal text is not known
    /// (inside embedded JSON): the scalar's text (see [`scalar_text`]).
    Text(StaticNode),
    /// An integer.
    Int(i64),
    /// An integer and its canonical text, as it came.
    IntText(i64, &'a str),
    /// An unsigned integer too large for `i64` (a `float` field).
    UInt(u64),
    /// A finite float.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

/// Coerces a scalar to a non-container, non-timestamp kind. `Err(None)`
/// means "wrong type": the caller describes the found value.
///
/// Always inlined: the caller's kind is often known (a text value), and
/// out of line it cost ~200 instructions a Heroku line.
#[inline(always)]
pub(crate) fn scalar<'a>(
    kind: &Kind,
    v: Scalar<'a>,
    indicators: &mut Collector,
    limits: &Limits,
) -> Result<Coerced<'a>, Option<FieldError>> {
    match kind {
        Kind::String(plan) => match v {
            Scalar::Str(s) => {
                string(plan, s, indicators, limits).map_err(Some)?;
                Ok(Coerced::Str(s))
            }
            Scalar::Static(StaticNode::Null) => Ok(Coerced::Absent),
            Scalar::Static(n) => {
                let mut buf = [0u8; 32];
                string(plan, scalar_text(n, &mut buf), indicators, limits)
                    .map_err(Some)?;
                Ok(Coerced::Text(n))
            }
        },
        Kind::Int(k) => {
            if let Scalar::Str(s) = v
                && let Some(n) = canonical_int(s)
            {
                // Written as it came: the text is what `itoa` would write
                // (a text log's numbers, read and written without a
                // round trip).
                let (min, max) = k.range();
                if n < min || n > max {
                    return Err(Some(out_of_range(*k, s)));
                }
                return Ok(Coerced::IntText(n, s));
            }
            let n = match v {
                Scalar::Static(StaticNode::I64(n)) => Some(n),
                Scalar::Static(StaticNode::U64(n)) => Some(
                    i64::try_from(n)
                        .map_err(|_| Some(out_of_range(*k, &n.to_string())))?,
                ),
                Scalar::Str("") => return Ok(Coerced::Absent),
                Scalar::Str(s) => match s.parse::<i64>() {
                    Ok(n) => Some(n),
                    // Digits that do not fit are out of range, not garbage.
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::num::IntErrorKind::PosOverflow
                                | std::num::IntErrorKind::NegOverflow
                        ) =>
                    {
                        return Err(Some(out_of_range(*k, &json_quote(s))));
                    }
                    Err(_) => None,
                },
                Scalar::Static(_) => None,
            };
            let Some(n) = n else { return Err(None) };
            let (min, max) = k.range();
            if n < min || n > max {
                return Err(Some(out_of_range(*k, &n.to_string())));
            }
            Ok(Coerced::Int(n))
        }
        Kind::Float => match v {
            // Integers keep their integer text.
            Scalar::Static(StaticNode::I64(n)) => Ok(Coerced::Int(n)),
            Scalar::Static(StaticNode::U64(n)) => Ok(Coerced::UInt(n)),
            Scalar::Static(StaticNode::F64(f)) if f.is_finite() => {
                Ok(Coerced::Float(f))
            }
            Scalar::Str("") => Ok(Coerced::Absent),
            Scalar::Str(s) => match s.parse::<f64>() {
                // SPEC §3 (fix): NaN and infinities are rejected.
                Ok(f) if f.is_finite() => Ok(Coerced::Float(f)),
                _ => Err(Some(FieldError::new(
                    K::InvalidValue,
                    "float (a finite number)",
                    quote(&json_quote(s)),
                ))),
            },
            Scalar::Static(_) => Err(None),
        },
        Kind::Boolean => {
            let b = match v {
                Scalar::Static(StaticNode::Bool(b)) => b,
                Scalar::Static(StaticNode::I64(0) | StaticNode::U64(0)) => {
                    false
                }
                Scalar::Static(StaticNode::I64(1) | StaticNode::U64(1)) => {
                    true
                }
                Scalar::Str("") => return Ok(Coerced::Absent),
                Scalar::Str(s) => match parse_bool(s) {
                    Some(b) => b,
                    None => return Err(None),
                },
                Scalar::Static(_) => return Err(None),
            };
            Ok(Coerced::Bool(b))
        }
        // Containers and timestamps are handled by the walker.
        _ => Err(None),
    }
}

/// SPEC §3: the strings a boolean accepts.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Checks a string value and scans it for indicators (the caller writes
/// it).
///
/// Inlined (it runs for every string field of every record): the rare
/// parts, `validate` and the indicator limit's error, are out of line.
#[inline(always)]
pub(crate) fn string(
    plan: &StringPlan,
    s: &str,
    indicators: &mut Collector,
    limits: &Limits,
) -> Result<(), FieldError> {
    if s.len() > limits.string_bytes() {
        return Err(too_long(s, limits));
    }
    if plan.plain {
        return Ok(());
    }
    if let Some(v) = &plan.validate {
        validate(v, s)?;
    }
    for &ind in plan.indicators.iter() {
        if indicators.collect(ind, s).is_err() {
            return Err(too_many_indicators(limits));
        }
    }
    Ok(())
}

/// A string field's `validate` rules.
#[inline(never)]
fn validate(v: &crate::schema::Validate, s: &str) -> Result<(), FieldError> {
    if let Some(allow) = &v.allow
        && !allow.iter().any(|a| &**a == s)
    {
        return Err(FieldError::new(
            K::Validation,
            format!("one of {}", list(allow)),
            quote(&json_quote(s)),
        ));
    }
    if let Some(deny) = &v.deny
        && deny.iter().any(|d| &**d == s)
    {
        return Err(FieldError::new(
            K::Validation,
            format!("a value other than {}", list(deny)),
            quote(&json_quote(s)),
        ));
    }
    if let Some(version) = v.ip
        && !s.parse::<IpAddr>().is_ok_and(|ip| version.accepts(ip))
    {
        return Err(FieldError::new(
            K::Validation,
            format!("an IP address ({})", version.name()),
            quote(&json_quote(s)),
        ));
    }
    if let Some(version) = v.cidr
        && !is_cidr(s, version)
    {
        return Err(FieldError::new(
            K::Validation,
            format!("a CIDR block ({})", version.name()),
            quote(&json_quote(s)),
        ));
    }
    Ok(())
}

#[cold]
fn too_many_indicators(limits: &Limits) -> FieldError {
    FieldError::new(
        K::Limit,
        format!(
            "at most {} indicator values per event",
            limits.indicator_values()
        ),
        "more".to_owned(),
    )
}

/// `addr/prefix` with a prefix that fits the address family.
fn is_cidr(s: &str, version: IpVersion) -> bool {
    let Some((addr, prefix)) = s.split_once('/') else { return false };
    let Ok(ip) = addr.parse::<IpAddr>() else { return false };
    if !version.accepts(ip) || prefix.is_empty() || prefix.len() > 3 {
        return false;
    }
    let Ok(prefix) = prefix.parse::<u8>() else { return false };
    prefix <= if ip.is_ipv4() { 32 } else { 128 }
}

/// A timestamp from a string; `Ok(None)` for `""`.
pub(crate) fn timestamp_str(
    plan: &TimestampPlan,
    s: &str,
    day: Option<&crate::time::DayCache>,
) -> Result<Option<Timestamp>, FieldError> {
    if s.is_empty() {
        return Ok(None);
    }
    for f in plan.formats.iter() {
        if let Some(t) = f.parse_str_cached(s, day) {
            return Ok(Some(t));
        }
    }
    Err(bad_time(plan, quote(&json_quote(s))))
}

/// A timestamp from a JSON number.
///
/// Inlined: out of line, the unit conversions of `parse_i64` lost their
/// constant divisors to `i128` library calls (measured: +400
/// instructions an OpenAI.Audit record).
#[inline]
pub(crate) fn timestamp_num(
    plan: &TimestampPlan,
    v: StaticNode,
) -> Option<Timestamp> {
    plan.formats.iter().find_map(|f| match v {
        StaticNode::I64(n) => f.parse_i64(n),
        StaticNode::U64(n) => f.parse_u64(n),
        StaticNode::F64(x) => f.parse_f64(x),
        _ => None,
    })
}

/// The error for a timestamp no format parses.
#[cold]
pub(crate) fn bad_time(plan: &TimestampPlan, found: String) -> FieldError {
    let names: Vec<String> =
        plan.formats.iter().map(|f| format!("`{}`", f.name())).collect();
    let expected = match names.as_slice() {
        [one] => format!("timestamp in format {one}"),
        many => format!("timestamp in one of the formats {}", many.join(", ")),
    };
    FieldError::new(K::InvalidTimestamp, expected, found)
}

#[cold]
fn out_of_range(k: IntKind, found: &str) -> FieldError {
    let (min, max) = k.range();
    let name = match k {
        IntKind::Small => "smallint",
        IntKind::Int => "int",
        IntKind::Big => "bigint",
    };
    FieldError::new(
        K::InvalidValue,
        format!("{name} in range {min}..={max}"),
        quote(found),
    )
}

/// `s` as a JSON string literal (for messages).
fn json_quote(s: &str) -> String {
    let mut buf = Vec::with_capacity(s.len().min(80) + 2);
    let cut: &str = match s.char_indices().nth(80) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    };
    crate::sink::json::escape::write_str(&mut buf, cut);
    String::from_utf8(buf).unwrap_or_default()
        + if cut.len() < s.len() { "…" } else { "" }
}

fn list(items: &[Box<str>]) -> Cow<'static, str> {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    quoted.join(", ").into()
}

/// The error of a string longer than [`Limits::string_bytes`].
#[cold]
pub(crate) fn too_long(s: &str, limits: &Limits) -> FieldError {
    FieldError::new(
        K::Limit,
        format!("a string of at most {} bytes", limits.string_bytes()),
        format!("{} bytes", s.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{StringPlan, Validate};

    proptest::proptest! {

        /// Integers from text, in every kind: the text copied as it came
        /// is what parsing and writing it back gives, and everything
        /// else (signs, leading zeros, `-0`, 19 digits and more, stray
        /// characters) is read or refused as `str::parse` does.
        #[test]
        fn int_text_is_written_as_parsed(
            s in "-?[+0]?[0-9]{0,21}[ x]?",
            kind in proptest::sample::select(
                vec![IntKind::Small, IntKind::Int, IntKind::Big]
            ),
        ) {
            let (min, max) = kind.range();
            let want = match s.parse::<i64>() {
                _ if s.is_empty() => Ok("Absent".to_owned()),
                Ok(n) if n < min || n > max => Err("out of range"),
                Ok(n) => Ok(n.to_string()),
                Err(e) if matches!(
                    e.kind(),
                    std::num::IntErrorKind::PosOverflow
                        | std::num::IntErrorKind::NegOverflow
                ) => Err("out of range"),
                Err(_) => Err("wrong type"),
            };
            let got = run(&Kind::Int(kind), Scalar::Str(&s)).map_err(|e| {
                if e.contains("range") { "out of range" } else { "wrong type" }
            });
            proptest::prop_assert_eq!(got, want, "{:?}", s);
        }
    }

    /// The coerced value as the JSON row writes it, `Absent`, or the
    /// error.
    fn run(kind: &Kind, v: Scalar<'_>) -> Result<String, String> {
        let mut c = Collector::new();
        let quoted = crate::sink::json::quoted;
        match scalar(kind, v, &mut c, &Limits::new()) {
            Ok(Coerced::Absent) => Ok("Absent".into()),
            Ok(Coerced::Str(s)) => Ok(quoted(s)),
            Ok(Coerced::Text(n)) => Ok(quoted(scalar_text(n, &mut [0; 32]))),
            Ok(Coerced::Int(n)) => Ok(n.to_string()),
            Ok(Coerced::IntText(n, text)) => {
                assert_eq!(text, n.to_string());
                Ok(text.to_owned())
            }
            Ok(Coerced::UInt(n)) => Ok(n.to_string()),
            Ok(Coerced::Float(f)) => {
                let mut out = Vec::new();
                crate::sink::json::float::write_float(&mut out, f);
                Ok(String::from_utf8(out).unwrap())
            }
            Ok(Coerced::Bool(b)) => Ok(b.to_string()),
            Err(Some(e)) => Err(format!("{e:?}")),
            Err(None) => Err("wrong type".into()),
        }
    }

    fn st(n: StaticNode) -> Scalar<'static> {
        Scalar::Static(n)
    }

    #[test]
    fn strings_accept_numbers_and_booleans_as_text() {
        let k = Kind::String(StringPlan::default());
        assert_eq!(run(&k, Scalar::Str("a")).unwrap(), r#""a""#);
        assert_eq!(run(&k, Scalar::Str("")).unwrap(), r#""""#);
        assert_eq!(run(&k, st(StaticNode::I64(-5))).unwrap(), r#""-5""#);
        assert_eq!(
            run(&k, st(StaticNode::U64(u64::MAX))).unwrap(),
            r#""18446744073709551615""#
        );
        assert_eq!(run(&k, st(StaticNode::F64(1.5))).unwrap(), r#""1.5""#);
        assert_eq!(run(&k, st(StaticNode::Bool(true))).unwrap(), r#""true""#);
    }

    #[test]
    fn ints_need_integer_literals_in_range() {
        let int = Kind::Int(IntKind::Int);
        let small = Kind::Int(IntKind::Small);
        let big = Kind::Int(IntKind::Big);
        assert_eq!(run(&int, st(StaticNode::I64(42))).unwrap(), "42");
        assert_eq!(run(&int, Scalar::Str("-42")).unwrap(), "-42");
        assert_eq!(run(&int, Scalar::Str("+7")).unwrap(), "7");
        assert_eq!(run(&int, Scalar::Str("")).unwrap(), "Absent");
        assert_eq!(
            run(&int, st(StaticNode::F64(1.0))).unwrap_err(),
            "wrong type"
        );
        assert_eq!(run(&int, Scalar::Str("1.0")).unwrap_err(), "wrong type");
        assert_eq!(run(&int, Scalar::Str(" 1")).unwrap_err(), "wrong type");
        assert_eq!(
            run(&int, st(StaticNode::Bool(true))).unwrap_err(),
            "wrong type"
        );
        assert!(
            run(&int, st(StaticNode::I64(1 << 31)))
                .unwrap_err()
                .contains("int in range -2147483648..=2147483647")
        );
        assert!(run(&small, st(StaticNode::I64(32768))).is_err());
        assert_eq!(
            run(&small, st(StaticNode::I64(-32768))).unwrap(),
            "-32768"
        );
        assert_eq!(
            run(&big, st(StaticNode::I64(i64::MIN))).unwrap(),
            "-9223372036854775808"
        );
        assert!(
            run(&big, st(StaticNode::U64(u64::MAX)))
                .unwrap_err()
                .contains("bigint in range")
        );
        assert!(
            run(&big, Scalar::Str("99999999999999999999"))
                .unwrap_err()
                .contains("bigint in range")
        );
    }

    #[test]
    fn floats_accept_numbers_and_reject_non_finite() {
        let k = Kind::Float;
        assert_eq!(run(&k, st(StaticNode::F64(0.25))).unwrap(), "0.25");
        assert_eq!(run(&k, st(StaticNode::I64(3))).unwrap(), "3");
        assert_eq!(run(&k, Scalar::Str("1.50")).unwrap(), "1.5");
        assert_eq!(run(&k, Scalar::Str("1e3")).unwrap(), "1000.0");
        assert_eq!(run(&k, Scalar::Str("")).unwrap(), "Absent");
        for bad in ["NaN", "inf", "-Infinity", "abc", "1e999"] {
            assert!(run(&k, Scalar::Str(bad)).is_err(), "{bad}");
        }
        assert_eq!(
            run(&k, st(StaticNode::Bool(false))).unwrap_err(),
            "wrong type"
        );
    }

    #[test]
    fn booleans_accept_the_documented_spellings() {
        let k = Kind::Boolean;
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(run(&k, Scalar::Str(t)).unwrap(), "true", "{t}");
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(run(&k, Scalar::Str(f)).unwrap(), "false", "{f}");
        }
        assert_eq!(run(&k, st(StaticNode::I64(1))).unwrap(), "true");
        assert_eq!(run(&k, st(StaticNode::U64(0))).unwrap(), "false");
        assert_eq!(run(&k, st(StaticNode::Bool(true))).unwrap(), "true");
        assert_eq!(run(&k, Scalar::Str("")).unwrap(), "Absent");
        for bad in ["yes", "tRUE", " true", "2"] {
            assert_eq!(run(&k, Scalar::Str(bad)).unwrap_err(), "wrong type");
        }
        assert_eq!(run(&k, st(StaticNode::I64(2))).unwrap_err(), "wrong type");
    }

    #[test]
    fn validate_rules() {
        let plan = |v: Validate| {
            Kind::String(StringPlan::new(Box::new([]), Some(Box::new(v))))
        };
        let allow = plan(Validate {
            allow: Some(vec!["a".into(), "b".into()].into()),
            ..Validate::default()
        });
        assert!(run(&allow, Scalar::Str("a")).is_ok());
        assert!(
            run(&allow, Scalar::Str("c"))
                .unwrap_err()
                .contains("one of `a`, `b`")
        );
        let deny = plan(Validate {
            deny: Some(vec!["x".into(), "y".into()].into()),
            ..Validate::default()
        });
        assert!(run(&deny, Scalar::Str("a")).is_ok());
        assert!(
            run(&deny, Scalar::Str("y")).is_err(),
            "deny rejects any listed value"
        );
        let ip4 =
            plan(Validate { ip: Some(IpVersion::V4), ..Validate::default() });
        assert!(run(&ip4, Scalar::Str("10.0.0.1")).is_ok());
        assert!(run(&ip4, Scalar::Str("::1")).is_err());
        let cidr = plan(Validate {
            cidr: Some(IpVersion::Any),
            ..Validate::default()
        });
        assert!(run(&cidr, Scalar::Str("10.0.0.0/8")).is_ok());
        assert!(run(&cidr, Scalar::Str("2001:db8::/32")).is_ok());
        assert!(run(&cidr, Scalar::Str("10.0.0.0/33")).is_err());
        assert!(run(&cidr, Scalar::Str("10.0.0.0")).is_err());
    }
}
