//! Network indicators: IP addresses, URL and `host:port` hosts, emails.
//!
//! Every function takes a trimmed, non-empty value and borrows its result
//! from it. All splitting is done at ASCII characters with `str` methods,
//! so multi-byte characters next to `:`, `@`, `/` or `]` are safe.

use std::net::Ipv4Addr;

/// Whether `s` is an IPv4 dotted quad or an IPv6 address (std's parser: no
/// leading zeros in IPv4 octets, no `%zone`). It does not allocate.
pub(crate) fn is_ip(s: &str) -> bool {
    // Most hostnames are names: an IPv4 address starts with a digit, and
    // an IPv6 address starts with a hex digit or `:` and holds a colon, so
    // anything else is answered without running a parser. A name that
    // starts with `g`-`z` is answered from its first byte, without the
    // search for a colon. IPv4 goes to std's parser (~250 instructions
    // for `203.206.97.168`; a hand-written check measured no fewer),
    // IPv6 to [`is_ipv6`].
    let bytes = s.as_bytes();
    let colon = || memchr::memchr(b':', bytes).is_some();
    match bytes.first() {
        Some(b'0'..=b'9') => {
            s.parse::<Ipv4Addr>().is_ok() || (colon() && is_ipv6(s))
        }
        Some(b'a'..=b'f' | b'A'..=b'F' | b':') => colon() && is_ipv6(s),
        _ => false,
    }
}

/// Whether `s` is an IPv6 address as std's `Ipv6Addr` parser reads one:
/// up to eight groups of one to four hex digits between single colons,
/// at most one `::` standing for at least one zero group, and an IPv4
/// dotted quad (two groups' worth) allowed as the last piece; no zone,
/// no brackets.
///
/// Hand-optimized (hot path): std's parser tries an embedded IPv4
/// address before every group, ~1,800 instructions for
/// `2607:f8b0:a64b:f7c7:81e8:84eb:9b22:e623`, and a fifth of the
/// addresses in audit logs are IPv6. This reads each byte once (~400).
/// Held to std by `is_ip_is_std_parse`.
fn is_ipv6(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Groups read (a dotted quad counts two), whether `::` was seen, and
    // where the next piece starts.
    let (mut groups, mut compressed, mut at) = (0u32, false, 0);
    if bytes.starts_with(b"::") {
        if bytes.len() == 2 {
            return true;
        }
        (compressed, at) = (true, 2);
    }
    loop {
        let piece = bytes.get(at..).unwrap_or_default();
        // Five is enough to know a group is too long.
        let hex =
            piece.iter().take(5).take_while(|b| b.is_ascii_hexdigit()).count();
        match piece.get(hex) {
            Some(b'.') => {
                // A dotted quad ends the address.
                let quad = s.get(at..).unwrap_or_default();
                if quad.parse::<Ipv4Addr>().is_err() {
                    return false;
                }
                groups += 2;
                break;
            }
            _ if hex == 0 || hex > 4 => return false,
            None => {
                groups += 1;
                break;
            }
            Some(b':') => {
                groups += 1;
                at += hex + 1;
                match bytes.get(at) {
                    Some(b':') if !compressed => {
                        compressed = true;
                        at += 1;
                        if at == bytes.len() {
                            break;
                        }
                    }
                    // A third colon, a second `::`, or a trailing `:`.
                    Some(b':') | None => return false,
                    Some(_) => {}
                }
            }
            Some(_) => return false,
        }
        if groups >= 8 {
            // Eight groups and more to read: no need to read the rest
            // (the check below would refuse it too).
            return false;
        }
    }
    if compressed { groups <= 7 } else { groups == 8 }
}

/// The host of an absolute URL, brackets removed; `None` when `url` is not
/// absolute, its host is empty or not a host, or its port is not numeric.
///
/// The syntax is `scheme://[userinfo@]host[:port][/path][?query][#frag]`.
pub(super) fn url_host(url: &str) -> Option<&str> {
    let rest = after_scheme(url)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host_port = match authority.rsplit_once('@') {
        Some((_userinfo, host_port)) => host_port,
        None => authority,
    };
    let host = match host_port.strip_prefix('[') {
        Some(bracketed) => {
            let (host, after) = bracketed.split_once(']')?;
            match after.strip_prefix(':') {
                Some(port) if is_digits(port) => host,
                None if after.is_empty() => host,
                _ => return None,
            }
        }
        None => match host_port.split_once(':') {
            Some((host, port)) if is_digits(port) => host,
            Some(_) => return None,
            None => host_port,
        },
    };
    is_host_text(host).then_some(host)
}

/// What follows `scheme://` when `url` starts with a valid scheme.
///
/// The first `:` must start `://`, since a scheme holds no colon: one
/// `memchr` instead of a substring search for `://` (which, with its
/// searcher's setup, was ~1.5% of Wiz.VulnerabilityFinding's profile).
fn after_scheme(url: &str) -> Option<&str> {
    let colon = memchr::memchr(b':', url.as_bytes())?;
    let rest = url.get(colon..)?.strip_prefix("://")?;
    is_scheme(url.get(..colon)?).then_some(rest)
}

/// A non-empty host without whitespace or control characters.
fn is_host_text(host: &str) -> bool {
    !host.is_empty() && !has_space_or_control(host)
}

/// Whether `s` holds a whitespace or control character. ASCII text
/// (nearly all) is checked by byte: its whitespace and controls are the
/// bytes up to the space, and DEL. (Decoding `char`s and asking Unicode's
/// tables cost ~20 instructions a byte: an email cost ~600.)
fn has_space_or_control(s: &str) -> bool {
    has_unprintable(s.as_bytes())
        && if s.is_ascii() {
            s.bytes().any(|b| b <= b' ' || b == 0x7f)
        } else {
            s.contains(|c: char| c.is_whitespace() || c.is_control())
        }
}

/// Whether any byte is outside printable ASCII (`!` to `~`).
///
/// Eight bytes a step (the last word overlapping the one before), since
/// values are short: a compiler-vectorized loop runs its 32-byte blocks
/// only past 32 bytes and left a 30-byte email to a byte loop (~100
/// instructions; this, ~25).
fn has_unprintable(bytes: &[u8]) -> bool {
    use crate::bytes::{HIGH, eq_bytes, lt_bytes};
    // Exact as a yes/no: a byte below 0x21, a byte of 0x80 or more, a
    // byte equal to 0x7f (the SWAR tests of `crate::bytes`).
    let odd = |x: u64| lt_bytes(x, 0x21) | x | eq_bytes(x, 0x7f);
    let word = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let n = bytes.len();
    if n < 8 {
        return bytes.iter().any(|&b| !(b'!'..=b'~').contains(&b));
    }
    let mut acc = 0;
    let mut at = 0;
    while at + 8 < n {
        acc |= odd(word(at));
        at += 8;
    }
    acc |= odd(word(n - 8));
    acc & HIGH != 0
}

/// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` (RFC 3986).
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
}

/// Whether `s` is ASCII digits only (the empty string included).
fn is_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// The host of a network address; `None` when its host is empty.
///
/// `[host]` and `[host]:port` give `host`; `host:port` with exactly one
/// colon and a non-empty all-digit port gives `host`; anything else is
/// returned whole. An IPv6 address without brackets has at least two
/// colons, so it is returned whole too.
pub(super) fn net_addr_host(addr: &str) -> Option<&str> {
    if let Some(bracketed) = addr.strip_prefix('[')
        && let Some((host, after)) = bracketed.split_once(']')
        && (after.is_empty() || after.strip_prefix(':').is_some_and(is_port))
    {
        return (!host.is_empty()).then_some(host);
    }
    match addr.split_once(':') {
        Some((host, port)) if is_port(port) => {
            (!host.is_empty()).then_some(host)
        }
        _ => Some(addr),
    }
}

/// A non-empty run of ASCII digits.
fn is_port(s: &str) -> bool {
    !s.is_empty() && is_digits(s)
}

/// Whether `s` is `local@domain`: split at the last `@`, both parts
/// non-empty, and no whitespace or control character anywhere.
pub(crate) fn is_email(s: &str) -> bool {
    // memchr's `memrchr`: `rsplit_once('@')` goes through core's, which
    // reads short strings a byte at a time (~170 instructions an email).
    match memchr::memrchr(b'@', s.as_bytes()) {
        Some(at) => at > 0 && at + 1 < s.len() && !has_space_or_control(s),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    #[test]
    fn scheme() {
        for ok in ["h", "http", "git+ssh", "a.b-c+d", "H2"] {
            assert!(is_scheme(ok), "{ok:?}");
        }
        for bad in ["", "1http", "+x", "ht tp", "é", "h_t", "http:"] {
            assert!(!is_scheme(bad), "{bad:?}");
        }
    }

    proptest::proptest! {
        /// The scheme split and the host check agree with their plain
        /// forms: a substring search for `://`, a `char` test.
        #[test]
        fn url_host_agrees_with_reference(
            url in "(h|ht+p|a:b|1x|)(:|://|:/)([a-z@:\\[\\]/?#. \t\u{7f}\u{a0}\u{85}é0-9]{0,24})"
        ) {
            let naive_rest = url
                .split_once("://")
                .filter(|(scheme, _)| is_scheme(scheme))
                .map(|(_, rest)| rest);
            proptest::prop_assert_eq!(after_scheme(&url), naive_rest);
            let host = url.get(2..).unwrap_or_default();
            let naive_ok = !host.is_empty()
                && !host.contains(|c: char| c.is_whitespace() || c.is_control());
            proptest::prop_assert_eq!(is_host_text(host), naive_ok);
        }

        /// The word-at-a-time check agrees with a byte loop.
        #[test]
        fn unprintable_agrees_with_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40), print in "[!-~]{0,40}") {
            let naive = |b: &[u8]| b.iter().any(|&c| !(b'!'..=b'~').contains(&c));
            proptest::prop_assert_eq!(has_unprintable(&bytes), naive(&bytes));
            proptest::prop_assert!(!has_unprintable(print.as_bytes()));
            // One odd byte anywhere in a printable run.
            for &odd in &[0u8, b' ', 0x1f, 0x7f, 0x80, 0xff] {
                for at in 0..print.len() {
                    let mut b = print.clone().into_bytes();
                    b[at] = odd;
                    proptest::prop_assert!(has_unprintable(&b));
                }
            }
        }

        /// The byte check agrees with asking Unicode about every `char`.
        #[test]
        fn space_or_control_agrees_with_chars(s in "[ -~\t\n\r\u{0}-\u{1f}\u{7f}\u{80}-\u{a0}é\u{2028}\u{3000}東]{0,40}") {
            let naive = s.contains(|c: char| c.is_whitespace() || c.is_control());
            proptest::prop_assert_eq!(has_space_or_control(&s), naive);
        }
    }

    #[test]
    fn url_host_borrows_from_input() {
        let url = "https://u@[::1]:1/";
        let host = url_host(url).unwrap();
        assert_eq!(host, "::1");
        // The host is a sub-slice of the input, not a copy.
        let start = host.as_ptr() as usize - url.as_ptr() as usize;
        assert_eq!(start, 11);
    }

    #[test]
    fn multibyte_neighbours_do_not_panic() {
        for s in [
            "é://é",
            "h://é@é:é/é",
            "h://[é]:é",
            "h://[é]é",
            "é:é",
            "[é]:1",
            "[é",
            "é@",
            "@é",
            "é@é",
            "h://@",
            "h://[",
            "h://]",
            "h://:",
        ] {
            let _ = url_host(s);
            let _ = net_addr_host(s);
            let _ = is_email(s);
            let _ = is_ip(s);
        }
        assert_eq!(url_host("h://é@ü:1/"), Some("ü"));
        assert_eq!(net_addr_host("[é]:1"), Some("é"));
        assert_eq!(net_addr_host("é:1"), Some("é"));
        assert_eq!(net_addr_host("é:é"), Some("é:é"));
    }

    #[test]
    fn ipv6_shapes_are_std() {
        // Every address of up to ten colon-separated pieces, each empty
        // (so `::`, `:::` and stray colons), a group or a dotted quad:
        // group counts, compression and quad positions, exhaustively.
        let pieces = ["", "f", "1.2.3.4"];
        let mut shapes = vec![String::new()];
        let mut checked = 0;
        for _ in 0..10 {
            let mut next = Vec::new();
            for shape in &shapes {
                for piece in pieces {
                    let t = if shape.is_empty() {
                        piece.to_owned()
                    } else {
                        format!("{shape}:{piece}")
                    };
                    let colon = t.contains(':');
                    assert_eq!(
                        colon && is_ipv6(&t),
                        t.parse::<std::net::Ipv6Addr>().is_ok(),
                        "{t}"
                    );
                    checked += 1;
                    next.push(t);
                }
            }
            shapes = next;
        }
        assert!(checked > 80_000);
        // Group lengths, which the shapes above do not vary.
        for (t, ip) in [
            ("1:2:3:4:5:6:7:ffff", true),
            ("1:2:3:4:5:6:7:0ffff", false),
            ("1:2:3:4:5:6:7:fffff", false),
            ("fffff::1", false),
            ("::12345", false),
            ("1::0000", true),
            ("1::00000", false),
            ("::ffff:1.2.3.4", true),
            ("::ffff:01.2.3.4", false),
            ("::g", false),
            ("::1%eth0", false),
            ("[::1]", false),
        ] {
            assert_eq!(is_ipv6(t), ip, "{t}");
            assert_eq!(t.parse::<std::net::Ipv6Addr>().is_ok(), ip, "{t}");
        }
    }

    proptest::proptest! {
        /// The first-byte shortcuts never change the answer of std's
        /// parser: strings of address characters and letters, and real
        /// addresses.
        #[test]
        fn is_ip_is_std_parse(
            s in proptest::prop_oneof![
                "[0-9a-fA-Fg-zG-Z:.%\\[\\] ]{0,24}",
                // Near-IPv6: every piece count up to ten, single, double
                // and triple colons, long and empty groups, dotted quads
                // (good and bad) anywhere.
                "((|0|1f|ffff|0000f|1\\.2\\.3\\.4|255\\.0\\.0\\.01|g)(:|::|:::)){0,9}(|0|1f|ffff|0000f|1\\.2\\.3\\.4|256\\.1\\.1\\.1|x|%1)",
                "(::)?([0-9a-f]{1,4}:){0,8}([0-9a-f]{1,4}|::|[0-9]{1,3}(\\.[0-9]{1,3}){3})?",
            ],
            v4 in proptest::prelude::any::<[u8; 4]>(),
            v6 in proptest::prelude::any::<[u16; 8]>(),
            v4b in proptest::prelude::any::<[u8; 4]>(),
        ) {
            let v4 = std::net::Ipv4Addr::from(v4).to_string();
            let v6 = std::net::Ipv6Addr::from(v6);
            for t in [s, v4, v6.to_string(), v6.to_string().to_uppercase(), std::net::Ipv4Addr::from(v4b).to_ipv6_mapped().to_string()] {
                proptest::prop_assert_eq!(is_ip(&t), t.parse::<IpAddr>().is_ok(), "{}", t);
            }
        }
    }
}
