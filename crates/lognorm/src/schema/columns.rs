//! Output column names: the rule that turns an input key into a column,
//! and the names of the `p_*` columns lognorm adds. Every sink writes
//! these names; every `p_*` name lives in this file.

use crate::indicators::IndicatorSet;

/// `p_log_type`: the log type's name.
pub(crate) const P_LOG_TYPE: &str = "p_log_type";
/// `p_row_id`: the row's unique id.
pub(crate) const P_ROW_ID: &str = "p_row_id";
/// `p_event_time`: the event's time (or the parse time).
pub(crate) const P_EVENT_TIME: &str = "p_event_time";
/// `p_parse_time`: when the caller says the record was parsed.
pub(crate) const P_PARSE_TIME: &str = "p_parse_time";
/// `p_source_id`: the caller's source id, when set.
pub(crate) const P_SOURCE_ID: &str = "p_source_id";
/// `p_source_label`: the caller's source label, when set.
pub(crate) const P_SOURCE_LABEL: &str = "p_source_label";

/// The column of an indicator set, as Panther names it.
pub(crate) const fn set_column(set: IndicatorSet) -> &'static str {
    match set {
        IndicatorSet::ActorIds => "p_any_actor_ids",
        IndicatorSet::AwsAccountIds => "p_any_aws_account_ids",
        IndicatorSet::AwsArns => "p_any_aws_arns",
        IndicatorSet::AwsInstanceIds => "p_any_aws_instance_ids",
        IndicatorSet::AwsTags => "p_any_aws_tags",
        IndicatorSet::DomainNames => "p_any_domain_names",
        IndicatorSet::Emails => "p_any_emails",
        IndicatorSet::IpAddresses => "p_any_ip_addresses",
        IndicatorSet::Md5Hashes => "p_any_md5_hashes",
        IndicatorSet::Sha1Hashes => "p_any_sha1_hashes",
        IndicatorSet::Sha256Hashes => "p_any_sha256_hashes",
        IndicatorSet::TraceIds => "p_any_trace_ids",
        IndicatorSet::Usernames => "p_any_usernames",
        IndicatorSet::MacAddresses => "p_any_mac_addresses",
        IndicatorSet::SerialNumbers => "p_any_serial_numbers",
    }
}

/// True for the [`column_name`] of a top-level field that would collide
/// with the fields lognorm adds (every `p_` column is reserved).
pub(crate) fn is_reserved_column(column: &str) -> bool {
    column.starts_with("p_")
}

/// The output column for an input key, as Panther names columns: ASCII
/// letters, digits and `_` stay, `@` becomes the word `at_sign` set off
/// by underscores from the rest of the name, and every other character
/// becomes `_` (so `@timestamp` is `at_sign_timestamp`, `a@b` is
/// `a_at_sign_b` and `user.name` is `user_name`).
pub(crate) fn column_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    push_column_name(name, &mut out);
    out
}

/// Appends [`column_name`]`(name)` to `out` (allocating only to grow it).
pub(crate) fn push_column_name(name: &str, out: &mut String) {
    let start = out.len();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => out.push(c),
            '@' => {
                if out.len() > start && !out.ends_with('_') {
                    out.push('_');
                }
                out.push_str("at_sign");
                if chars.peek().is_some_and(|&n| n != '_') {
                    out.push('_');
                }
            }
            _ => out.push('_'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name("@timestamp"), "at_sign_timestamp");
        assert_eq!(column_name("user.name"), "user_name");
        assert_eq!(column_name("a-b c"), "a_b_c");
        assert_eq!(column_name("ok_Name9"), "ok_Name9");
        assert_eq!(column_name("é"), "_");
        assert_eq!(column_name("a@b"), "a_at_sign_b");
        assert_eq!(column_name("x@"), "x_at_sign");
        assert_eq!(column_name("x_@_y"), "x_at_sign_y");
        assert!(is_reserved_column(&column_name("p_event_time")));
        assert!(is_reserved_column(&column_name("p.x")));
        assert!(!is_reserved_column(&column_name("pid")));
    }

    #[test]
    fn set_columns_are_reserved_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for set in IndicatorSet::ALL {
            assert!(is_reserved_column(set_column(set)));
            assert!(seen.insert(set_column(set)));
        }
    }
}
