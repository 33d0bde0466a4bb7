//! The built-in library of grok patterns for `parser: regex:`.
//!
//! The usual names of the grok pattern sets (numbers, network addresses,
//! dates, paths, the Apache log formats), written for RE2 semantics:
//! no look-around and no atomic groups, so every pattern runs in linear
//! time. `%{NAME}` inside a pattern refers to another entry; named
//! captures inside an entry (`%{IPORHOST:clientip}` in
//! `COMMONAPACHELOG`) capture when the entry is used.
//!
//! `USERNAME` and `USER` are left out: Panther's own regex example
//! defines `USERNAME` in its `patternDefinitions`, and redefining a
//! built-in name is an error. `NS` (not space, possibly empty) is in, as
//! Panther's Apache example uses it.

/// `(name, pattern)`, sorted by name (looked up by binary search).
pub(crate) const PATTERNS: &[(&str, &str)] = &[
    ("BASE10NUM", r"(?:[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+))"),
    (
        "BASE16FLOAT",
        r"(?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+(?:\.[0-9A-Fa-f]*)?|\.[0-9A-Fa-f]+))",
    ),
    ("BASE16NUM", r"(?:[+-]?(?:0x)?[0-9A-Fa-f]+)"),
    ("CISCOMAC", r"(?:(?:[A-Fa-f0-9]{4}\.){2}[A-Fa-f0-9]{4})"),
    ("COMBINEDAPACHELOG", r"%{COMMONAPACHELOG} %{QS:referrer} %{QS:agent}"),
    (
        "COMMONAPACHELOG",
        r#"%{IPORHOST:clientip} %{HTTPDUSER:ident} %{HTTPDUSER:auth} \[%{HTTPDATE:timestamp}\] "(?:%{WORD:verb} %{NOTSPACE:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})" %{NUMBER:response} (?:%{NUMBER:bytes}|-)"#,
    ),
    ("COMMONMAC", r"(?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})"),
    ("DATA", r".*?"),
    ("DATE", r"%{DATE_US}|%{DATE_EU}"),
    ("DATESTAMP", r"%{DATE}[- ]%{TIME}"),
    (
        "DATESTAMP_EVENTLOG",
        r"%{YEAR}%{MONTHNUM2}%{MONTHDAY}%{HOUR}%{MINUTE}%{SECOND}",
    ),
    ("DATESTAMP_OTHER", r"%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{TZ} %{YEAR}"),
    (
        "DATESTAMP_RFC2822",
        r"%{DAY}, %{MONTHDAY} %{MONTH} %{YEAR} %{TIME} %{ISO8601_TIMEZONE}",
    ),
    ("DATESTAMP_RFC822", r"%{DAY} %{MONTH} %{MONTHDAY} %{YEAR} %{TIME} %{TZ}"),
    ("DATE_EU", r"%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}"),
    ("DATE_US", r"%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}"),
    (
        "DAY",
        r"(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)",
    ),
    ("EMAILADDRESS", r"%{EMAILLOCALPART}@%{HOSTNAME}"),
    (
        "EMAILLOCALPART",
        r"[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~]{1,64}(?:\.[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~]{1,62}){0,63}",
    ),
    ("GREEDYDATA", r".*"),
    (
        "HOSTNAME",
        r"\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\.?|\b)",
    ),
    ("HOSTPORT", r"%{IPORHOST}:%{POSINT}"),
    ("HOUR", r"(?:2[0123]|[01]?[0-9])"),
    ("HTTPDATE", r"%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}"),
    ("HTTPDUSER", r"%{EMAILADDRESS}|[a-zA-Z0-9._-]+"),
    ("INT", r"(?:[+-]?[0-9]+)"),
    ("IP", r"(?:%{IPV6}|%{IPV4})"),
    ("IPORHOST", r"(?:%{IP}|%{HOSTNAME})"),
    (
        "IPV4",
        r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])",
    ),
    (
        "IPV6",
        r"(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){6}%{IPV4}|(?:[0-9A-Fa-f]{1,4}:){1,4}:%{IPV4}|::(?:[Ff]{4}(?::0{1,4})?:)?%{IPV4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2}|(?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3}|(?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4}|(?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5}|[0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6}|:(?::[0-9A-Fa-f]{1,4}){1,7}|(?:[0-9A-Fa-f]{1,4}:){1,7}:|::)(?:%[0-9A-Za-z]+)?",
    ),
    ("ISO8601_SECOND", r"(?:%{SECOND}|60)"),
    ("ISO8601_TIMEZONE", r"(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))"),
    (
        "LOGLEVEL",
        r"(?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo(?:rmation)?|INFO(?:RMATION)?|[Ww]arn(?:ing)?|WARN(?:ING)?|[Ee]rr(?:or)?|ERR(?:OR)?|[Cc]rit(?:ical)?|CRIT(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)",
    ),
    ("MAC", r"(?:%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC})"),
    ("MINUTE", r"(?:[0-5][0-9])"),
    (
        "MONTH",
        r"\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\b",
    ),
    ("MONTHDAY", r"(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])"),
    ("MONTHNUM", r"(?:0?[1-9]|1[0-2])"),
    ("MONTHNUM2", r"(?:0[1-9]|1[0-2])"),
    ("NONNEGINT", r"\b(?:[0-9]+)\b"),
    ("NOTSPACE", r"\S+"),
    ("NS", r"\S*"),
    ("NUMBER", r"(?:%{BASE10NUM})"),
    ("PATH", r"(?:%{UNIXPATH}|%{WINPATH})"),
    ("POSINT", r"\b(?:[1-9][0-9]*)\b"),
    ("PROG", r"[\x21-\x5a\x5c\x5e-\x7e]+"),
    ("QS", r"%{QUOTEDSTRING}"),
    (
        "QUOTEDSTRING",
        r#"(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)"#,
    ),
    ("SECOND", r"(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)"),
    ("SPACE", r"\s*"),
    (
        "SYSLOGBASE",
        r"%{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:logsource} %{SYSLOGPROG}:",
    ),
    ("SYSLOGFACILITY", r"<%{NONNEGINT:facility}.%{NONNEGINT:priority}>"),
    ("SYSLOGHOST", r"%{IPORHOST}"),
    ("SYSLOGPROG", r"%{PROG:program}(?:\[%{POSINT:pid}\])?"),
    ("SYSLOGTIMESTAMP", r"%{MONTH} +%{MONTHDAY} %{TIME}"),
    ("TIME", r"%{HOUR}:%{MINUTE}(?::%{SECOND})?"),
    (
        "TIMESTAMP_ISO8601",
        r"%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?",
    ),
    ("TTY", r"(?:/dev/(?:pts|tty(?:[pq])?)(?:\w+)?/?(?:[0-9]+))"),
    ("TZ", r"(?:[APMCE][SD]T|UTC)"),
    ("UNIXPATH", r"(?:/[\w_%!$@:.,+~-]*)+"),
    (
        "URI",
        r"%{URIPROTO}://(?:[a-zA-Z0-9._-]+(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?",
    ),
    ("URIHOST", r"%{IPORHOST}(?::%{POSINT})?"),
    ("URIPARAM", r"\?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\-\[\]<>]*"),
    ("URIPATH", r"(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\-]*)+"),
    ("URIPATHPARAM", r"%{URIPATH}(?:%{URIPARAM})?"),
    ("URIPROTO", r"[A-Za-z][A-Za-z0-9+\-.]*"),
    ("UUID", r"[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}"),
    ("WINDOWSMAC", r"(?:(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2})"),
    ("WINPATH", r"(?:[A-Za-z]+:|\\)(?:\\[^\\?*]*)+"),
    ("WORD", r"\b\w+\b"),
    ("YEAR", r"(?:\d\d){1,2}"),
];

/// The built-in pattern `name`.
pub(crate) fn builtin(name: &str) -> Option<&'static str> {
    PATTERNS
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| PATTERNS.get(i))
        .map(|(_, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_is_sorted_and_every_reference_resolves() {
        for w in PATTERNS.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (name, p) in PATTERNS {
            let mut rest = *p;
            while let Some(i) = rest.find("%{") {
                let tail = &rest[i + 2..];
                let end = tail.find('}').unwrap();
                let inner = tail[..end].split(':').next().unwrap();
                assert!(builtin(inner).is_some(), "{name} uses {inner}");
                rest = &tail[end..];
            }
        }
    }
}
