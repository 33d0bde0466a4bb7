//! AWS indicators: ARNs, account ids, EC2 instance ids.

/// What an ARN holds besides itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    /// The account part, when it is an account id (12 digits).
    pub(super) account: Option<&'a str>,
    /// The EC2 instance id of an `instance/…` resource.
    pub(super) instance: Option<&'a str>,
}

/// Parses `arn:partition:service:region:account:resource`.
///
/// The value needs at least six `:`-separated parts; the resource is the
/// rest and may hold more colons (`topic:subscription`). `arn` is
/// case-sensitive; partition, service and resource must be non-empty;
/// region and account may be empty (`arn:aws:s3:::bucket`). This is the
/// check of the AWS SDK's `arn.Parse`, which Panther uses.
pub(crate) fn parse_arn(s: &str) -> Option<Arn<'_>> {
    let mut parts = s.splitn(6, ':');
    let (
        Some("arn"),
        Some(partition),
        Some(service),
        Some(_region),
        Some(account),
        Some(resource),
    ) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    )
    else {
        return None;
    };
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    // `arn:aws:ec2:region:account:instance/i-…`: the id is the text after
    // the last `/` (as Panther does).
    let instance = resource
        .strip_prefix("instance/")
        .and_then(|path| path.rsplit('/').next())
        .filter(|id| is_instance_id(id));
    Some(Arn { account: is_account_id(account).then_some(account), instance })
}

/// Exactly 12 ASCII digits.
pub(super) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `i-` followed by at least one character.
pub(super) fn is_instance_id(s: &str) -> bool {
    s.len() > 2 && s.starts_with("i-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        assert_eq!(
            parse_arn("arn:aws:ec2:r:123456789012:instance/i-1"),
            Some(Arn { account: Some("123456789012"), instance: Some("i-1") })
        );
        assert_eq!(
            parse_arn("arn:aws-cn:ec2:r:a:instance/i-é"),
            Some(Arn { account: None, instance: Some("i-é") })
        );
        assert_eq!(
            parse_arn("arn:aws:s3:::b"),
            Some(Arn { account: None, instance: None })
        );
        // The resource keeps its colons.
        assert_eq!(
            parse_arn("arn:aws:logs:r:123456789012:log-group:x:*"),
            Some(Arn { account: Some("123456789012"), instance: None })
        );
        assert_eq!(
            parse_arn("arn:é:é:é:é:é"),
            Some(Arn { account: None, instance: None })
        );
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("arn:aws:s3::"), None);
        assert_eq!(parse_arn("Arn:aws:s3:::b"), None);
    }
}
