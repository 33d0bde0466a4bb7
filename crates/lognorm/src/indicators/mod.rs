//! Indicators: the values an event exposes in its `p_any_*` sets.
//!
//! A schema lists indicators on `string` fields (and arrays of strings):
//! `indicators: [ip, url]`. While a record is normalized, every present
//! value of such a field is passed to [`Collector::collect`] once per listed
//! [`Indicator`]. The collector adds what it finds to the event's sets, one
//! per [`IndicatorSet`]; [`Collector::finish`] then sorts every set bytewise
//! and removes duplicates.
//!
//! # Rules
//!
//! Every value is trimmed first (ASCII and Unicode whitespace, as
//! [`str::trim`]); an empty value adds nothing. Values are stored as they
//! appear in the record (no lowercasing, no canonical IP form), except
//! hashes, which are stored lowercase.
//!
//! - `ip` → [`IpAddresses`]: an IPv4 dotted quad or an IPv6 address, as
//!   [`std::net::IpAddr`]'s parser reads them (no leading zeros in IPv4
//!   octets, no `%zone`).
//! - `domain`, `username`, `actor_id`, `trace_id`, `serial_number`,
//!   `aws_tag` → [`DomainNames`], [`Usernames`], [`ActorIds`],
//!   [`TraceIds`], [`SerialNumbers`], [`AwsTags`]: any value.
//! - `hostname` → an IP address goes to [`IpAddresses`], anything else to
//!   [`DomainNames`].
//! - `url` → the host of an absolute URL
//!   `scheme://[userinfo@]host[:port][/path][?query][#fragment]`, then the
//!   `hostname` rule; see below.
//! - `net_addr` → the host of `[host]`, `[host]:port` or `host:port` (one
//!   colon, a non-empty all-digit port), or else the whole value, then the
//!   `hostname` rule. An empty host adds nothing.
//! - `email` → [`Emails`]: `local@domain`, split at the last `@`, both
//!   sides non-empty, no whitespace or control character anywhere.
//! - `md5`, `sha1`, `sha256` → [`Md5Hashes`], [`Sha1Hashes`],
//!   [`Sha256Hashes`]: exactly 32, 40 or 64 hex digits, stored lowercase.
//! - `mac` → [`MacAddresses`]: a 48-bit MAC address written as six pairs
//!   of hex digits separated by `:` or by `-` (one separator throughout),
//!   or as three groups of four separated by `.` (Cisco), stored
//!   lowercase as written. (Panther's schemas name this indicator; its
//!   documentation of the rule could not be read, so this is lognorm's.)
//! - `aws_arn` → [`AwsArns`], [`AwsAccountIds`], [`AwsInstanceIds`]:
//!   `arn:partition:service:region:account:resource`; see below.
//! - `aws_arn_only` → [`AwsArns`]: as `aws_arn`, but only the ARN itself.
//! - `aws_account_id` → [`AwsAccountIds`]: exactly 12 ASCII digits.
//! - `aws_instance_id` → [`AwsInstanceIds`]: `i-` and at least one more
//!   character.
//!
//! A `url` is absolute when it starts with a scheme (an ASCII letter, then
//! letters, digits, `+`, `-` or `.`) followed by `://`. The authority runs
//! up to the first `/`, `?` or `#`; user information ends at its last `@`.
//! A bracketed host (`[::1]`) loses its brackets and may be followed only by
//! `:port`; an unbracketed host may hold no colon other than the one before
//! the port. Ports are all digits (possibly empty, as RFC 3986 allows). A
//! URL whose host is empty or holds whitespace or control characters, or
//! whose port is not numeric, adds nothing. Percent-escapes in the host are
//! kept as they are.
//!
//! An `aws_arn` has at least six `:`-separated parts (the sixth, the
//! resource, may hold more colons), starts with `arn` and has a non-empty
//! partition, service and resource. The whole value is added to the ARNs;
//! its account part is added to the account ids when it is exactly 12
//! digits; when the resource starts with `instance/`, the text after its
//! last `/` is added to the instance ids if it is an instance id.
//!
//! # Example
//!
//! ```
//! use lognorm::indicators::{Collector, Indicator, IndicatorSet};
//!
//! let mut c = Collector::new();
//! c.collect(Indicator::Url, "https://user@Example.com:8443/x?q=1")?;
//! c.collect(Indicator::NetAddr, "[2001:db8::1]:443")?;
//! c.collect(Indicator::Hostname, "example.net")?;
//! c.collect(Indicator::Sha1, " DA39A3EE5E6B4B0D3255BFEF95601890AFD80709 ")?;
//! c.finish();
//!
//! let domains: Vec<&str> = c.values(IndicatorSet::DomainNames).collect();
//! assert_eq!(domains, ["Example.com", "example.net"]);
//! let ips: Vec<&str> = c.values(IndicatorSet::IpAddresses).collect();
//! assert_eq!(ips, ["2001:db8::1"]);
//! let sha1: Vec<&str> = c.values(IndicatorSet::Sha1Hashes).collect();
//! assert_eq!(sha1, ["da39a3ee5e6b4b0d3255bfef95601890afd80709"]);
//! assert!(c.is_empty(IndicatorSet::Emails));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`IpAddresses`]: IndicatorSet::IpAddresses
//! [`DomainNames`]: IndicatorSet::DomainNames
//! [`Usernames`]: IndicatorSet::Usernames
//! [`ActorIds`]: IndicatorSet::ActorIds
//! [`TraceIds`]: IndicatorSet::TraceIds
//! [`AwsTags`]: IndicatorSet::AwsTags
//! [`Emails`]: IndicatorSet::Emails
//! [`Md5Hashes`]: IndicatorSet::Md5Hashes
//! [`Sha1Hashes`]: IndicatorSet::Sha1Hashes
//! [`Sha256Hashes`]: IndicatorSet::Sha256Hashes
//! [`MacAddresses`]: IndicatorSet::MacAddresses
//! [`SerialNumbers`]: IndicatorSet::SerialNumbers
//! [`AwsArns`]: IndicatorSet::AwsArns
//! [`AwsAccountIds`]: IndicatorSet::AwsAccountIds
//! [`AwsInstanceIds`]: IndicatorSet::AwsInstanceIds

pub(crate) mod aws;
pub(crate) mod hash;
pub(crate) mod net;

use std::fmt;
use std::iter::FusedIterator;
use std::slice;

/// An indicator kind named in a schema's `indicators:` list.
///
/// Each kind says how a field's value is scanned and which
/// [`IndicatorSet`]s it may add to; see the [module docs](self) for the
/// rules.
///
/// # Example
///
/// ```
/// use lognorm::indicators::{Indicator, IndicatorSet};
///
/// let kind = Indicator::from_name("net_addr").ok_or("unknown")?;
/// assert_eq!(kind, Indicator::NetAddr);
/// assert_eq!(kind.name(), "net_addr");
/// assert_eq!(
///     kind.sets(),
///     [IndicatorSet::DomainNames, IndicatorSet::IpAddresses],
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Indicator {
    /// `ip`: an IPv4 or IPv6 address.
    Ip,
    /// `domain`: any value is a domain name.
    Domain,
    /// `hostname`: an IP address, or else a domain name.
    Hostname,
    /// `url`: the host of an absolute URL, as `hostname`.
    Url,
    /// `net_addr`: the host of `host:port` or `[host]:port` (or the whole
    /// value), as `hostname`.
    NetAddr,
    /// `email`: an email address `local@domain`.
    Email,
    /// `username`: any value is a user name.
    Username,
    /// `actor_id`: any value is an actor id.
    ActorId,
    /// `trace_id`: any value is a trace id.
    TraceId,
    /// `serial_number`: any value is a (device) serial number.
    SerialNumber,
    /// `md5`: 32 hex digits.
    Md5,
    /// `sha1`: 40 hex digits.
    Sha1,
    /// `sha256`: 64 hex digits.
    Sha256,
    /// `mac`: a MAC address (`aa:bb:cc:dd:ee:ff`, `aa-bb-…`,
    /// `aabb.ccdd.eeff`).
    Mac,
    /// `aws_arn`: an ARN, with its account id and EC2 instance id.
    AwsArn,
    /// `aws_arn_only`: an ARN, nothing else extracted.
    AwsArnOnly,
    /// `aws_account_id`: 12 digits.
    AwsAccountId,
    /// `aws_instance_id`: an EC2 instance id (`i-…`).
    AwsInstanceId,
    /// `aws_tag`: any value is an AWS tag.
    AwsTag,
}

impl Indicator {
    /// Every indicator, in declaration order.
    pub const ALL: [Indicator; 19] = [
        Indicator::Ip,
        Indicator::Domain,
        Indicator::Hostname,
        Indicator::Url,
        Indicator::NetAddr,
        Indicator::Email,
        Indicator::Username,
        Indicator::ActorId,
        Indicator::TraceId,
        Indicator::SerialNumber,
        Indicator::Md5,
        Indicator::Sha1,
        Indicator::Sha256,
        Indicator::Mac,
        Indicator::AwsArn,
        Indicator::AwsArnOnly,
        Indicator::AwsAccountId,
        Indicator::AwsInstanceId,
        Indicator::AwsTag,
    ];

    /// The indicator a schema names `name` (case-sensitive), if any.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::indicators::Indicator;
    ///
    /// assert_eq!(Indicator::from_name("aws_arn"), Some(Indicator::AwsArn));
    /// assert_eq!(Indicator::from_name("IP"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Indicator> {
        Some(match name {
            "ip" => Indicator::Ip,
            "domain" => Indicator::Domain,
            "hostname" => Indicator::Hostname,
            "url" => Indicator::Url,
            "net_addr" => Indicator::NetAddr,
            "email" => Indicator::Email,
            "username" => Indicator::Username,
            "actor_id" => Indicator::ActorId,
            "trace_id" => Indicator::TraceId,
            "serial_number" => Indicator::SerialNumber,
            "md5" => Indicator::Md5,
            "sha1" => Indicator::Sha1,
            "sha256" => Indicator::Sha256,
            "mac" => Indicator::Mac,
            "aws_arn" => Indicator::AwsArn,
            "aws_arn_only" => Indicator::AwsArnOnly,
            "aws_account_id" => Indicator::AwsAccountId,
            "aws_instance_id" => Indicator::AwsInstanceId,
            "aws_tag" => Indicator::AwsTag,
            _ => return None,
        })
    }

    /// The name a schema uses for this indicator, e.g. `"net_addr"`.
    pub const fn name(self) -> &'static str {
        match self {
            Indicator::Ip => "ip",
            Indicator::Domain => "domain",
            Indicator::Hostname => "hostname",
            Indicator::Url => "url",
            Indicator::NetAddr => "net_addr",
            Indicator::Email => "email",
            Indicator::Username => "username",
            Indicator::ActorId => "actor_id",
            Indicator::TraceId => "trace_id",
            Indicator::SerialNumber => "serial_number",
            Indicator::Md5 => "md5",
            Indicator::Sha1 => "sha1",
            Indicator::Sha256 => "sha256",
            Indicator::Mac => "mac",
            Indicator::AwsArn => "aws_arn",
            Indicator::AwsArnOnly => "aws_arn_only",
            Indicator::AwsAccountId => "aws_account_id",
            Indicator::AwsInstanceId => "aws_instance_id",
            Indicator::AwsTag => "aws_tag",
        }
    }

    /// The sets this indicator may add to, in [`IndicatorSet`] order.
    ///
    /// A log type's possible `p_any_*` columns are the union of these over
    /// the indicators its schema names.
    pub const fn sets(self) -> &'static [IndicatorSet] {
        use IndicatorSet as S;
        match self {
            Indicator::Ip => &[S::IpAddresses],
            Indicator::Domain => &[S::DomainNames],
            Indicator::Hostname | Indicator::Url | Indicator::NetAddr => {
                &[S::DomainNames, S::IpAddresses]
            }
            Indicator::Email => &[S::Emails],
            Indicator::Username => &[S::Usernames],
            Indicator::ActorId => &[S::ActorIds],
            Indicator::TraceId => &[S::TraceIds],
            Indicator::SerialNumber => &[S::SerialNumbers],
            Indicator::Md5 => &[S::Md5Hashes],
            Indicator::Sha1 => &[S::Sha1Hashes],
            Indicator::Sha256 => &[S::Sha256Hashes],
            Indicator::Mac => &[S::MacAddresses],
            Indicator::AwsArn => {
                &[S::AwsAccountIds, S::AwsArns, S::AwsInstanceIds]
            }
            Indicator::AwsArnOnly => &[S::AwsArns],
            Indicator::AwsAccountId => &[S::AwsAccountIds],
            Indicator::AwsInstanceId => &[S::AwsInstanceIds],
            Indicator::AwsTag => &[S::AwsTags],
        }
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One of an event's indicator sets; each becomes a `p_any_*` column.
///
/// The variant order is the bytewise order of the column names
/// (`p_any_actor_ids` first, `p_any_usernames` last), so iterating over
/// [`IndicatorSet::ALL`] visits the columns in output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum IndicatorSet {
    /// Actor ids (`p_any_actor_ids`).
    ActorIds,
    /// AWS account ids (`p_any_aws_account_ids`).
    AwsAccountIds,
    /// AWS ARNs (`p_any_aws_arns`).
    AwsArns,
    /// EC2 instance ids (`p_any_aws_instance_ids`).
    AwsInstanceIds,
    /// AWS tags (`p_any_aws_tags`).
    AwsTags,
    /// Domain names (`p_any_domain_names`).
    DomainNames,
    /// Email addresses (`p_any_emails`).
    Emails,
    /// IPv4 and IPv6 addresses (`p_any_ip_addresses`).
    IpAddresses,
    /// MAC addresses, lowercase (`p_any_mac_addresses`).
    MacAddresses,
    /// MD5 hashes, lowercase (`p_any_md5_hashes`).
    Md5Hashes,
    /// Serial numbers (`p_any_serial_numbers`).
    SerialNumbers,
    /// SHA-1 hashes, lowercase (`p_any_sha1_hashes`).
    Sha1Hashes,
    /// SHA-256 hashes, lowercase (`p_any_sha256_hashes`).
    Sha256Hashes,
    /// Trace ids (`p_any_trace_ids`).
    TraceIds,
    /// User names (`p_any_usernames`).
    Usernames,
}

/// The number of indicator sets.
const SETS: usize = 15;
// `Collector::used` has a bit per set.
const _: () = assert!(SETS <= 16);

impl IndicatorSet {
    /// Every set, in column-name order.
    pub const ALL: [IndicatorSet; SETS] = [
        IndicatorSet::ActorIds,
        IndicatorSet::AwsAccountIds,
        IndicatorSet::AwsArns,
        IndicatorSet::AwsInstanceIds,
        IndicatorSet::AwsTags,
        IndicatorSet::DomainNames,
        IndicatorSet::Emails,
        IndicatorSet::IpAddresses,
        IndicatorSet::MacAddresses,
        IndicatorSet::Md5Hashes,
        IndicatorSet::SerialNumbers,
        IndicatorSet::Sha1Hashes,
        IndicatorSet::Sha256Hashes,
        IndicatorSet::TraceIds,
        IndicatorSet::Usernames,
    ];

    /// The position of this set in [`IndicatorSet::ALL`] (0 to 14).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether values of this set are stored lowercase (hashes, MAC
    /// addresses).
    const fn is_hash(self) -> bool {
        matches!(
            self,
            IndicatorSet::MacAddresses
                | IndicatorSet::Md5Hashes
                | IndicatorSet::Sha1Hashes
                | IndicatorSet::Sha256Hashes
        )
    }
}

/// The error of [`Collector::collect`] when an event would hold more
/// indicator values than [`Collector::set_max_values`] allows.
///
/// The value that caused it was not added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitExceeded;

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("too many indicator values")
    }
}

impl std::error::Error for LimitExceeded {}

/// The indicator sets of one event.
///
/// A collector lives in the caller's per-thread scratch and is reused for
/// every event: [`clear`](Collector::clear) it, [`collect`] the event's
/// values, [`finish`](Collector::finish) it, then read the sets with
/// [`values`](Collector::values). Each set copies its values into one text
/// buffer and keeps their `(start, end)` ranges, so once the buffers have
/// grown to the size of the largest event, collecting and finishing
/// allocate nothing.
///
/// [`collect`]: Collector::collect
///
/// # Complexity
///
/// `collect` is linear in the length of the value. `finish` sorts each set:
/// O(n log n) comparisons of values for a set of n values.
///
/// # Example
///
/// ```
/// use lognorm::indicators::{Collector, Indicator, IndicatorSet};
///
/// let mut c = Collector::new();
/// for ip in ["10.0.0.2", "10.0.0.1", "not an ip", "10.0.0.2"] {
///     c.collect(Indicator::Ip, ip)?;
/// }
/// c.collect(Indicator::AwsArn, "arn:aws:iam::123456789012:user/alice")?;
/// c.finish();
/// let ips: Vec<&str> = c.values(IndicatorSet::IpAddresses).collect();
/// assert_eq!(ips, ["10.0.0.1", "10.0.0.2"]);
/// let accounts = c.values(IndicatorSet::AwsAccountIds);
/// assert_eq!(accounts.collect::<Vec<_>>(), ["123456789012"]);
///
/// c.clear(); // the next event
/// assert!(c.is_empty(IndicatorSet::IpAddresses));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Collector {
    sets: [ValueSet; SETS],
    /// Bit `i` set: set `i` holds a value. `clear`, `finish` and the row
    /// writer visit only these (most events fill one or two of the
    /// fifteen sets).
    used: u16,
    /// Values added since the last `clear`, duplicates included.
    total: usize,
    max_values: usize,
}

impl Default for Collector {
    fn default() -> Collector {
        Collector::new()
    }
}

impl Collector {
    /// An empty collector without a limit on the number of values.
    pub fn new() -> Collector {
        Collector {
            sets: Default::default(),
            used: 0,
            total: 0,
            max_values: usize::MAX,
        }
    }

    /// Removes every value, keeping the allocated buffers (and the limit).
    pub fn clear(&mut self) {
        for set in self.non_empty() {
            if let Some(values) = self.sets.get_mut(set.index()) {
                values.clear();
            }
        }
        self.used = 0;
        self.total = 0;
    }

    /// Limits the number of values one event may collect, over all sets
    /// (default: no limit).
    ///
    /// Every value added counts, duplicates included, since duplicates are
    /// only removed by [`finish`](Collector::finish). This bounds the
    /// memory an event can use.
    pub fn set_max_values(&mut self, n: usize) {
        self.max_values = n;
    }

    /// Scans one field value as `kind` and adds what it finds.
    ///
    /// `value` is the field's raw string; it is trimmed here. A value the
    /// indicator does not accept adds nothing and is not an error. See the
    /// [module docs](self) for the rules.
    ///
    /// # Errors
    ///
    /// [`LimitExceeded`] if the values found would take the event past
    /// [`set_max_values`](Collector::set_max_values). Then nothing of
    /// `value` is added (an `aws_arn` adds its ARN, account id and instance
    /// id together or not at all).
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::indicators::{Collector, Indicator, IndicatorSet};
    ///
    /// let mut c = Collector::new();
    /// c.set_max_values(2);
    /// c.collect(Indicator::Email, "alice@example.com")?;
    /// let arn = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc";
    /// assert!(c.collect(Indicator::AwsArn, arn).is_err()); // 3 values
    /// c.collect(Indicator::AwsArnOnly, arn)?; // 1 value
    /// c.finish();
    /// assert_eq!(c.values(IndicatorSet::AwsArns).collect::<Vec<_>>(), [arn]);
    /// assert!(c.is_empty(IndicatorSet::AwsAccountIds));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn collect(
        &mut self,
        kind: Indicator,
        value: &str,
    ) -> Result<(), LimitExceeded> {
        let value = trim(value);
        if value.is_empty() {
            return Ok(());
        }
        // Filled in place: returned by value, the 80-byte list was moved
        // twice through the stack (~40 instructions a value, callgrind).
        let mut found = Found::default();
        scan(kind, value, &mut found);
        let n = found.len();
        if n == 0 {
            return Ok(());
        }
        if n > self.max_values.saturating_sub(self.total) {
            return Err(LimitExceeded);
        }
        self.total += n;
        for (set, text) in found.iter() {
            if let Some(values) = self.sets.get_mut(set.index()) {
                values.push(text, set.is_hash());
                self.used |= 1 << set.index();
            }
        }
        Ok(())
    }

    /// Sorts every set bytewise and removes duplicates.
    ///
    /// Call it once per event, after the last
    /// [`collect`](Collector::collect) and before reading the sets.
    pub fn finish(&mut self) {
        for set in self.non_empty() {
            if let Some(values) = self.sets.get_mut(set.index()) {
                values.finish();
            }
        }
    }

    /// The sets that hold a value, in [`IndicatorSet::ALL`] order.
    pub(crate) fn non_empty(
        &self,
    ) -> impl Iterator<Item = IndicatorSet> + use<> {
        let mut used = self.used;
        std::iter::from_fn(move || {
            let i = used.trailing_zeros() as usize;
            used &= used.wrapping_sub(1);
            IndicatorSet::ALL.get(i).copied()
        })
    }

    /// The values of one set: sorted bytewise and unique after
    /// [`finish`](Collector::finish), in the order they were added before.
    pub fn values(&self, set: IndicatorSet) -> Values<'_> {
        match self.sets.get(set.index()) {
            Some(values) => {
                Values { text: &values.text, spans: values.spans.iter() }
            }
            None => Values { text: "", spans: [].iter() },
        }
    }

    /// Whether the set holds no value.
    pub fn is_empty(&self, set: IndicatorSet) -> bool {
        self.used & (1 << set.index()) == 0
    }
}

/// An iterator over the values of one indicator set; see
/// [`Collector::values`].
#[derive(Clone, Debug)]
pub struct Values<'a> {
    text: &'a str,
    spans: slice::Iter<'a, (usize, usize)>,
}

impl<'a> Iterator for Values<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.spans.next().map(|&span| span_text(self.text, span))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.spans.size_hint()
    }
}

impl DoubleEndedIterator for Values<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.spans.next_back().map(|&span| span_text(self.text, span))
    }
}

impl ExactSizeIterator for Values<'_> {}

impl FusedIterator for Values<'_> {}

/// The values of one set: their text, one after another, and the range of
/// each in `text`.
#[derive(Debug, Default)]
struct ValueSet {
    text: String,
    spans: Vec<(usize, usize)>,
}

impl ValueSet {
    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    fn push(&mut self, value: &str, lowercase: bool) {
        let start = self.text.len();
        if lowercase {
            hash::push_lowercase(&mut self.text, value);
        } else {
            self.text.push_str(value);
        }
        self.spans.push((start, self.text.len()));
    }

    fn finish(&mut self) {
        let ValueSet { text, spans } = self;
        if spans.len() < 2 {
            return;
        }
        // `str` orders bytewise. Both calls work in place.
        spans.sort_unstable_by(|&a, &b| {
            span_text(text, a).cmp(span_text(text, b))
        });
        spans.dedup_by(|a, b| span_text(text, *a) == span_text(text, *b));
    }
}

/// The text of a span. Spans are built by [`ValueSet::push`] on character
/// boundaries, so the fallback never happens.
fn span_text(text: &str, (start, end): (usize, usize)) -> &str {
    text.get(start..end).unwrap_or_default()
}

/// What one value yields: at most three values (an ARN, its account id and
/// its instance id). A count and a fixed array (the first `n` used): an
/// array of `Option`s to search and flatten cost ~80 instructions a value.
#[derive(Debug)]
struct Found<'a> {
    items: [(IndicatorSet, &'a str); 3],
    n: usize,
}

impl Default for Found<'_> {
    fn default() -> Self {
        Found { items: [(IndicatorSet::ActorIds, ""); 3], n: 0 }
    }
}

impl<'a> Found<'a> {
    fn add(&mut self, set: IndicatorSet, value: &'a str) {
        if let Some(slot) = self.items.get_mut(self.n) {
            *slot = (set, value);
            self.n += 1;
        }
    }

    /// Adds `host` by the `hostname` rule.
    fn add_host(&mut self, host: &'a str) {
        if net::is_ip(host) {
            self.add(IndicatorSet::IpAddresses, host);
        } else {
            self.add(IndicatorSet::DomainNames, host);
        }
    }

    fn add_if(&mut self, ok: bool, set: IndicatorSet, value: &'a str) {
        if ok {
            self.add(set, value);
        }
    }

    fn len(&self) -> usize {
        self.n
    }

    fn iter(&self) -> impl Iterator<Item = (IndicatorSet, &'a str)> + '_ {
        self.items.iter().take(self.n).copied()
    }
}

/// `value` without leading and trailing whitespace, as `str::trim`.
///
/// Values nearly always start and end with printable ASCII, which is
/// never whitespace: answered from two bytes, without `trim`'s decoding
/// of `char`s from both ends (~1% of the instructions of a record with
/// two indicator fields).
#[inline]
fn trim(value: &str) -> &str {
    let solid = |b: &u8| (b'!'..0x80).contains(b);
    let bytes = value.as_bytes();
    if bytes.first().is_some_and(solid) && bytes.last().is_some_and(solid) {
        value
    } else {
        value.trim()
    }
}

/// Scans a trimmed, non-empty value into `found`.
fn scan<'a>(kind: Indicator, v: &'a str, found: &mut Found<'a>) {
    use IndicatorSet as S;
    match kind {
        Indicator::Ip => found.add_if(net::is_ip(v), S::IpAddresses, v),
        Indicator::Domain => found.add(S::DomainNames, v),
        Indicator::Hostname => found.add_host(v),
        Indicator::Url => {
            if let Some(host) = net::url_host(v) {
                found.add_host(host);
            }
        }
        Indicator::NetAddr => {
            if let Some(host) = net::net_addr_host(v) {
                found.add_host(host);
            }
        }
        Indicator::Email => found.add_if(net::is_email(v), S::Emails, v),
        Indicator::Username => found.add(S::Usernames, v),
        Indicator::ActorId => found.add(S::ActorIds, v),
        Indicator::TraceId => found.add(S::TraceIds, v),
        Indicator::SerialNumber => found.add(S::SerialNumbers, v),
        Indicator::Md5 => found.add_if(hash::is_hex(v, 32), S::Md5Hashes, v),
        Indicator::Sha1 => {
            found.add_if(hash::is_hex(v, 40), S::Sha1Hashes, v);
        }
        Indicator::Sha256 => {
            found.add_if(hash::is_hex(v, 64), S::Sha256Hashes, v);
        }
        Indicator::Mac => found.add_if(hash::is_mac(v), S::MacAddresses, v),
        Indicator::AwsArn => {
            if let Some(arn) = aws::parse_arn(v) {
                found.add(S::AwsArns, v);
                if let Some(account) = arn.account {
                    found.add(S::AwsAccountIds, account);
                }
                if let Some(instance) = arn.instance {
                    found.add(S::AwsInstanceIds, instance);
                }
            }
        }
        Indicator::AwsArnOnly => {
            found.add_if(aws::parse_arn(v).is_some(), S::AwsArns, v);
        }
        Indicator::AwsAccountId => {
            found.add_if(aws::is_account_id(v), S::AwsAccountIds, v);
        }
        Indicator::AwsInstanceId => {
            found.add_if(aws::is_instance_id(v), S::AwsInstanceIds, v);
        }
        Indicator::AwsTag => found.add(S::AwsTags, v),
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "tests index fixed tables")]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;
    use std::net::IpAddr;

    type Sets = Vec<(IndicatorSet, Vec<String>)>;

    /// Every non-empty set of `c` after `finish`, in set order.
    fn sets(c: &mut Collector) -> Sets {
        c.finish();
        IndicatorSet::ALL
            .iter()
            .filter(|&&set| !c.is_empty(set))
            .map(|&set| {
                (set, c.values(set).map(str::to_owned).collect::<Vec<_>>())
            })
            .collect()
    }

    proptest! {
        /// The two-byte shortcut trims as `str::trim` does.
        #[test]
        fn trim_agrees_with_str_trim(s in "[ -~\t\n\u{b}\u{c}\r\u{1c}\u{85}\u{a0}\u{3000}é]{0,12}") {
            prop_assert_eq!(trim(&s), s.trim());
        }
    }

    fn one(kind: Indicator, value: &str) -> Sets {
        let mut c = Collector::new();
        c.collect(kind, value).unwrap();
        sets(&mut c)
    }

    fn s(set: IndicatorSet, v: &str) -> Sets {
        vec![(set, vec![v.to_owned()])]
    }

    /// Runs a table: each row is a value and the sets it must yield.
    fn table(kind: Indicator, rows: &[(&str, Sets)]) {
        for (value, want) in rows {
            assert_eq!(&one(kind, value), want, "{kind} {value:?}");
        }
    }

    use IndicatorSet as S;

    #[test]
    fn names_round_trip() {
        for kind in Indicator::ALL {
            assert_eq!(Indicator::from_name(kind.name()), Some(kind));
            assert_eq!(kind.to_string(), kind.name());
        }
        let names: Vec<&str> =
            Indicator::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "ip",
                "domain",
                "hostname",
                "url",
                "net_addr",
                "email",
                "username",
                "actor_id",
                "trace_id",
                "serial_number",
                "md5",
                "sha1",
                "sha256",
                "mac",
                "aws_arn",
                "aws_arn_only",
                "aws_account_id",
                "aws_instance_id",
                "aws_tag",
            ]
        );
        assert_eq!(Indicator::from_name("IP"), None);
        assert_eq!(Indicator::from_name("ip "), None);
        assert_eq!(Indicator::from_name(""), None);
        assert_eq!(Indicator::from_name("호스트 이름"), None);
    }

    /// MAC addresses are kept lowercase, as written otherwise.
    #[test]
    fn mac_addresses() {
        let mut c = Collector::new();
        for v in [
            " 00:1A:2b:3C:4d:5E ",
            "00-1a-2b-3c-4d-5e",
            "001A.2B3C.4D5E",
            "00:1a:2b:3c:4d:5e",
            "00:1a:2b:3c:4d",
            "not a mac",
        ] {
            c.collect(Indicator::Mac, v).unwrap();
        }
        c.finish();
        assert_eq!(
            c.values(S::MacAddresses).collect::<Vec<_>>(),
            // Bytewise: `-` < `0` < `:`.
            ["00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"]
        );
    }

    #[test]
    fn set_order_and_index() {
        for (i, set) in IndicatorSet::ALL.iter().enumerate() {
            assert_eq!(set.index(), i);
        }
        let mut sorted = IndicatorSet::ALL;
        sorted.sort();
        assert_eq!(sorted, IndicatorSet::ALL);
        assert_eq!(IndicatorSet::Usernames.index(), 14);
    }

    #[test]
    fn sets_lists_every_set_an_indicator_fills() {
        // Each `sets()` list is sorted and covers what `collect` produced
        // for a value that fills the most sets.
        let rich = [
            (Indicator::Hostname, vec!["1.2.3.4", "a.example"]),
            (Indicator::Url, vec!["http://1.2.3.4/", "http://a.example/"]),
            (Indicator::NetAddr, vec!["1.2.3.4:1", "a.example:1"]),
            (
                Indicator::AwsArn,
                vec!["arn:aws:ec2:r:123456789012:instance/i-1"],
            ),
        ];
        for (kind, values) in rich {
            let mut c = Collector::new();
            for v in values {
                c.collect(kind, v).unwrap();
            }
            let got: Vec<IndicatorSet> =
                sets(&mut c).into_iter().map(|(set, _)| set).collect();
            assert_eq!(got, kind.sets(), "{kind}");
        }
        for kind in Indicator::ALL {
            assert!(kind.sets().windows(2).all(|w| w[0] < w[1]), "{kind}");
        }
    }

    #[test]
    fn empty_and_blank_values_add_nothing() {
        for kind in Indicator::ALL {
            for v in
                ["", " ", "\t\r\n", "\u{a0}\u{2003}\u{3000}", "\u{b}\u{c}"]
            {
                assert_eq!(one(kind, v), vec![], "{kind} {v:?}");
            }
        }
    }

    #[test]
    fn any_value_indicators() {
        let cases = [
            (Indicator::Domain, S::DomainNames),
            (Indicator::Username, S::Usernames),
            (Indicator::ActorId, S::ActorIds),
            (Indicator::TraceId, S::TraceIds),
            (Indicator::AwsTag, S::AwsTags),
        ];
        for (kind, set) in cases {
            table(
                kind,
                &[
                    ("x", s(set, "x")),
                    ("  Mixed Case value \n", s(set, "Mixed Case value")),
                    ("\u{3000}사용자명\u{a0}", s(set, "사용자명")),
                    ("1.2.3.4", s(set, "1.2.3.4")),
                    ("a:b@c", s(set, "a:b@c")),
                ],
            );
        }
    }

    #[test]
    fn ip() {
        let ip = |v| s(S::IpAddresses, v);
        table(
            Indicator::Ip,
            &[
                ("1.2.3.4", ip("1.2.3.4")),
                ("0.0.0.0", ip("0.0.0.0")),
                ("255.255.255.255", ip("255.255.255.255")),
                (" \t10.0.0.1\r\n", ip("10.0.0.1")),
                ("::", ip("::")),
                ("::1", ip("::1")),
                ("2001:db8::1", ip("2001:db8::1")),
                // Kept as written, not canonicalized.
                ("2001:DB8:0:0:0:0:0:1", ip("2001:DB8:0:0:0:0:0:1")),
                ("::ffff:192.0.2.1", ip("::ffff:192.0.2.1")),
                ("256.1.1.1", vec![]),
                ("1.2.3", vec![]),
                ("1.2.3.4.5", vec![]),
                ("01.2.3.4", vec![]),
                ("1.2.3.4:80", vec![]),
                ("[::1]", vec![]),
                ("fe80::1%eth0", vec![]),
                ("2001:db8:::1", vec![]),
                ("1.2.3.4 5", vec![]),
                ("example.com", vec![]),
                ("１.２.３.４", vec![]),
            ],
        );
    }

    #[test]
    fn hostname() {
        table(
            Indicator::Hostname,
            &[
                ("1.2.3.4", s(S::IpAddresses, "1.2.3.4")),
                (" ::1 ", s(S::IpAddresses, "::1")),
                ("Host.Example.COM", s(S::DomainNames, "Host.Example.COM")),
                ("localhost", s(S::DomainNames, "localhost")),
                ("256.0.0.1", s(S::DomainNames, "256.0.0.1")),
                ("bücher.example", s(S::DomainNames, "bücher.example")),
            ],
        );
    }

    #[test]
    fn url() {
        let d = |v| s(S::DomainNames, v);
        let ip = |v| s(S::IpAddresses, v);
        table(
            Indicator::Url,
            &[
                ("https://example.com", d("example.com")),
                ("https://example.com/path/x.html", d("example.com")),
                ("https://user:pw@Example.COM:8443/x?y#z", d("Example.COM")),
                ("http://h?q=1", d("h")),
                ("http://h#frag", d("h")),
                ("http://h:/", d("h")),
                ("http://a@b@c.example/", d("c.example")),
                ("git+ssh://git.example/repo", d("git.example")),
                ("HTTP://X.example", d("X.example")),
                ("s3://my-bucket/key", d("my-bucket")),
                ("http://bücher.example/", d("bücher.example")),
                ("http://%41.example/", d("%41.example")),
                ("http://192.168.0.1", ip("192.168.0.1")),
                ("http://192.168.0.1:8080/x", ip("192.168.0.1")),
                ("http://[::1]:80/", ip("::1")),
                ("http://[2001:db8::1]", ip("2001:db8::1")),
                ("http://[v1.fe]/", d("v1.fe")),
                ("  https://e.example/  ", d("e.example")),
                ("//example.com/x", vec![]),
                ("example.com/x", vec![]),
                ("example.com", vec![]),
                ("mailto:a@b.example", vec![]),
                ("file:///etc/passwd", vec![]),
                ("http://", vec![]),
                ("http:///x", vec![]),
                ("http://:80/", vec![]),
                ("http://user@/", vec![]),
                ("http://[]/", vec![]),
                ("http://host:abc/", vec![]),
                ("http://host:8:8/", vec![]),
                ("http://::1/", vec![]),
                ("http://[::1/", vec![]),
                ("http://[::1]x/", vec![]),
                ("http://[::1]:x/", vec![]),
                ("http://a b/", vec![]),
                ("http://a\u{0}b/", vec![]),
                ("http://a\u{3000}b/", vec![]),
                ("1http://x.example", vec![]),
                ("+http://x.example", vec![]),
                ("ht tp://x.example", vec![]),
                ("://x.example", vec![]),
                ("é://x.example", vec![]),
                ("http:/x.example", vec![]),
            ],
        );
    }

    #[test]
    fn net_addr() {
        let d = |v| s(S::DomainNames, v);
        let ip = |v| s(S::IpAddresses, v);
        table(
            Indicator::NetAddr,
            &[
                ("10.0.0.1", ip("10.0.0.1")),
                ("10.0.0.1:443", ip("10.0.0.1")),
                ("::1", ip("::1")),
                ("2001:db8::1:80", ip("2001:db8::1:80")),
                ("[::1]:8080", ip("::1")),
                ("[::1]", ip("::1")),
                ("[host.example]:1", d("host.example")),
                ("example.com", d("example.com")),
                ("example.com:443", d("example.com")),
                (" example.com:443 ", d("example.com")),
                ("example.com:http", d("example.com:http")),
                ("example.com:", d("example.com:")),
                ("a:1:2", d("a:1:2")),
                ("[::1]:", d("[::1]:")),
                ("[::1]:x", d("[::1]:x")),
                ("[::1", d("[::1")),
                ("a.example:٣", d("a.example:٣")),
                (":80", vec![]),
                ("[]:80", vec![]),
                ("[]", vec![]),
            ],
        );
    }

    #[test]
    fn email() {
        let e = |v| s(S::Emails, v);
        table(
            Indicator::Email,
            &[
                ("alice@example.com", e("alice@example.com")),
                ("Alice@Example.COM", e("Alice@Example.COM")),
                (" bob@x \n", e("bob@x")),
                ("a@b@c.example", e("a@b@c.example")),
                ("\"j@h\"@ex.example", e("\"j@h\"@ex.example")),
                ("사용자@예시.한국", e("사용자@예시.한국")),
                ("alice", vec![]),
                ("@example.com", vec![]),
                ("alice@", vec![]),
                ("@", vec![]),
                ("a@b@", vec![]),
                ("a b@example.com", vec![]),
                ("a@exa mple.com", vec![]),
                ("a@b\u{a0}c", vec![]),
                ("a\t@b", vec![]),
                ("a@b\u{7f}", vec![]),
            ],
        );
    }

    #[test]
    fn hashes() {
        let md5 = "d41d8cd98f00b204e9800998ecf8427e";
        let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        let sha256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let cases = [
            (Indicator::Md5, S::Md5Hashes, md5),
            (Indicator::Sha1, S::Sha1Hashes, sha1),
            (Indicator::Sha256, S::Sha256Hashes, sha256),
        ];
        for (kind, set, hex) in cases {
            let upper = hex.to_ascii_uppercase();
            let mixed: String = hex
                .char_indices()
                .map(
                    |(i, c)| {
                        if i % 2 == 0 { c.to_ascii_uppercase() } else { c }
                    },
                )
                .collect();
            let padded = format!("\t{upper} ");
            let short = &hex[1..];
            let long = format!("{hex}0");
            let non_hex = format!("g{short}");
            let wide = format!("{short}ａ");
            let inner_space = format!("{} {}", &hex[..4], &hex[5..]);
            let prefixed = format!("0x{}", &hex[2..]);
            table(
                kind,
                &[
                    (hex, s(set, hex)),
                    (&upper, s(set, hex)),
                    (&mixed, s(set, hex)),
                    (&padded, s(set, hex)),
                    (short, vec![]),
                    (&long, vec![]),
                    (&non_hex, vec![]),
                    (&wide, vec![]),
                    (&inner_space, vec![]),
                    (&prefixed, vec![]),
                ],
            );
        }
        // A hash of one length is not a hash of another.
        assert_eq!(one(Indicator::Md5, sha1), vec![]);
        assert_eq!(one(Indicator::Sha1, sha256), vec![]);
        assert_eq!(one(Indicator::Sha256, md5), vec![]);
    }

    #[test]
    fn aws_arn() {
        let instance = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc123";
        let user = "arn:aws:iam::123456789012:user/alice";
        let topic = "arn:aws:sns:us-east-1:123456789012:topic:sub";
        let arn = |v| s(S::AwsArns, v);
        let with_account = |v: &str| {
            vec![
                (S::AwsAccountIds, vec!["123456789012".to_owned()]),
                (S::AwsArns, vec![v.to_owned()]),
            ]
        };
        let short_account = "arn:aws:ec2:r:12345678901:instance/i-1";
        let nested = "arn:aws:ec2:r:123456789012:instance/x/i-2";
        let no_id = "arn:aws:ec2:r:123456789012:instance/";
        let bare_prefix = "arn:aws:ec2:r:123456789012:instance/i-";
        let not_instance = "arn:aws:ec2:r:123456789012:volume/i-3";
        table(
            Indicator::AwsArn,
            &[
                (
                    instance,
                    vec![
                        (S::AwsAccountIds, vec!["123456789012".to_owned()]),
                        (S::AwsArns, vec![instance.to_owned()]),
                        (S::AwsInstanceIds, vec!["i-0abc123".to_owned()]),
                    ],
                ),
                (user, with_account(user)),
                (topic, with_account(topic)),
                (&format!(" {user}\n"), with_account(user)),
                ("arn:aws:s3:::my-bucket", arn("arn:aws:s3:::my-bucket")),
                ("arn:p:s:::r:", arn("arn:p:s:::r:")),
                (
                    short_account,
                    vec![
                        (S::AwsArns, vec![short_account.to_owned()]),
                        (S::AwsInstanceIds, vec!["i-1".to_owned()]),
                    ],
                ),
                (
                    nested,
                    vec![
                        (S::AwsAccountIds, vec!["123456789012".to_owned()]),
                        (S::AwsArns, vec![nested.to_owned()]),
                        (S::AwsInstanceIds, vec!["i-2".to_owned()]),
                    ],
                ),
                (no_id, with_account(no_id)),
                (bare_prefix, with_account(bare_prefix)),
                (not_instance, with_account(not_instance)),
                ("ARN:aws:s3:::b", vec![]),
                ("arn::s3:::b", vec![]),
                ("arn:aws::r:a:x", vec![]),
                ("arn:aws:s3:::", vec![]),
                ("arn:aws:s3::", vec![]),
                ("arn:aws:s3", vec![]),
                ("arn", vec![]),
                ("xarn:aws:s3:::b", vec![]),
            ],
        );
        table(
            Indicator::AwsArnOnly,
            &[
                (instance, arn(instance)),
                (user, arn(user)),
                ("arn:aws:s3:::", vec![]),
                ("123456789012", vec![]),
            ],
        );
    }

    #[test]
    fn aws_ids() {
        table(
            Indicator::AwsAccountId,
            &[
                ("123456789012", s(S::AwsAccountIds, "123456789012")),
                (" 000000000000 ", s(S::AwsAccountIds, "000000000000")),
                ("12345678901", vec![]),
                ("1234567890123", vec![]),
                ("12345678901a", vec![]),
                ("1234 5678901", vec![]),
                ("１２３４５６７８９０１２", vec![]),
                ("-12345678901", vec![]),
            ],
        );
        table(
            Indicator::AwsInstanceId,
            &[
                ("i-0abc123", s(S::AwsInstanceIds, "i-0abc123")),
                ("i-x", s(S::AwsInstanceIds, "i-x")),
                ("i-", vec![]),
                ("I-0abc", vec![]),
                ("ami-123", vec![]),
                ("i", vec![]),
            ],
        );
    }

    #[test]
    fn sorted_and_unique() {
        let mut c = Collector::new();
        for v in ["c.example", "b.example", "a.example", "b.example"] {
            c.collect(Indicator::Domain, v).unwrap();
        }
        for v in ["10.0.0.2", "10.0.0.10", "10.0.0.1", "10.0.0.2", "::1"] {
            c.collect(Indicator::Ip, v).unwrap();
        }
        c.collect(Indicator::Hostname, "a.example").unwrap();
        c.collect(Indicator::Url, "http://a.example/x").unwrap();
        c.collect(Indicator::Md5, "D41D8CD98F00B204E9800998ECF8427E").unwrap();
        c.collect(Indicator::Md5, "d41d8cd98f00b204e9800998ecf8427e").unwrap();
        // Bytewise: uppercase before lowercase, "é" after ASCII.
        for v in ["zed", "Zed", "été", "Zed", "alice"] {
            c.collect(Indicator::Username, v).unwrap();
        }
        let got = sets(&mut c);
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            got,
            vec![
                (
                    S::DomainNames,
                    strings(&["a.example", "b.example", "c.example"])
                ),
                (
                    S::IpAddresses,
                    strings(&["10.0.0.1", "10.0.0.10", "10.0.0.2", "::1"])
                ),
                (S::Md5Hashes, strings(&["d41d8cd98f00b204e9800998ecf8427e"])),
                (S::Usernames, strings(&["Zed", "alice", "zed", "été"])),
            ]
        );
        // `finish` twice changes nothing; the iterator is exact and
        // double-ended.
        c.finish();
        let mut ips = c.values(S::IpAddresses);
        assert_eq!(ips.len(), 4);
        assert_eq!(ips.next_back(), Some("::1"));
        assert_eq!(ips.next(), Some("10.0.0.1"));
        assert_eq!(ips.len(), 2);
        assert_eq!(c.values(S::Emails).len(), 0);
        assert_eq!(c.values(S::Emails).next(), None);

        c.clear();
        for set in IndicatorSet::ALL {
            assert!(c.is_empty(set));
        }
    }

    #[test]
    fn values_before_finish_are_in_insertion_order() {
        let mut c = Collector::new();
        for v in ["b", "a", "b"] {
            c.collect(Indicator::TraceId, v).unwrap();
        }
        let got: Vec<&str> = c.values(S::TraceIds).collect();
        assert_eq!(got, ["b", "a", "b"]);
    }

    #[test]
    fn limit() {
        let mut c = Collector::new();
        c.set_max_values(3);
        let arn = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc";
        c.collect(Indicator::Ip, "1.2.3.4").unwrap();
        // Rejected values and empty values do not count.
        c.collect(Indicator::Ip, "nope").unwrap();
        c.collect(Indicator::Domain, "  ").unwrap();
        // Three more would make four: nothing of the ARN is added.
        assert_eq!(c.collect(Indicator::AwsArn, arn), Err(LimitExceeded));
        // Duplicates count, since they are removed only by `finish`.
        c.collect(Indicator::Ip, "1.2.3.4").unwrap();
        c.collect(Indicator::AwsArnOnly, arn).unwrap();
        assert_eq!(c.collect(Indicator::Domain, "x"), Err(LimitExceeded));
        assert_eq!(
            sets(&mut c),
            vec![
                (S::AwsArns, vec![arn.to_owned()]),
                (S::IpAddresses, vec!["1.2.3.4".to_owned()]),
            ]
        );
        assert_eq!(LimitExceeded.to_string(), "too many indicator values");
        // `clear` resets the count and keeps the limit.
        c.clear();
        c.collect(Indicator::AwsArn, arn).unwrap();
        assert_eq!(c.collect(Indicator::Domain, "x"), Err(LimitExceeded));
        // Zero allows nothing.
        c.clear();
        c.set_max_values(0);
        assert_eq!(c.collect(Indicator::Domain, "x"), Err(LimitExceeded));
        c.collect(Indicator::Ip, "x").unwrap();
        assert_eq!(Collector::default().max_values, usize::MAX);
    }

    #[test]
    fn reuse_does_not_grow() {
        fn capacities(c: &Collector) -> Vec<(usize, usize)> {
            c.sets
                .iter()
                .map(|s| (s.text.capacity(), s.spans.capacity()))
                .collect()
        }
        fn round(c: &mut Collector) {
            c.clear();
            for i in 0..50 {
                let ip = format!("10.0.{}.{}", i % 7, i);
                c.collect(Indicator::Ip, &ip).unwrap();
                c.collect(Indicator::Url, &format!("https://h{i}.example/"))
                    .unwrap();
                c.collect(
                    Indicator::AwsArn,
                    &format!(
                        "arn:aws:ec2:r:1234567890{:02}:instance/i-{i}",
                        i % 3
                    ),
                )
                .unwrap();
                c.collect(
                    Indicator::Sha1,
                    "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
                )
                .unwrap();
                c.collect(Indicator::Email, "a@b.example").unwrap();
            }
            c.finish();
        }
        let mut c = Collector::new();
        round(&mut c);
        let first = capacities(&c);
        let first_out = sets(&mut c);
        // The sets this round fills have grown; the others have not.
        for set in IndicatorSet::ALL {
            let used = matches!(
                set,
                S::AwsAccountIds
                    | S::AwsArns
                    | S::AwsInstanceIds
                    | S::DomainNames
                    | S::Emails
                    | S::IpAddresses
                    | S::Sha1Hashes
            );
            let (text, spans) = first[set.index()];
            assert_eq!((text > 0, spans > 0), (used, used), "{set:?}");
        }
        // `clear` keeps the buffers; a second identical round fits in them.
        c.clear();
        assert_eq!(capacities(&c), first);
        round(&mut c);
        assert_eq!(capacities(&c), first);
        assert_eq!(sets(&mut c), first_out);
        assert_eq!(first_out[0].0, S::AwsAccountIds);
        assert_eq!(first_out[0].1.len(), 3);
    }

    fn arb_value() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ \t0-9a-fA-F:.@/\\[\\]i\\-é☃\u{3000}]{0,40}",
            concat!(
                "arn:aws:ec2:[a-z0-9-]{0,3}:[0-9]{0,13}:",
                "(instance/)?i?-?[0-9a-f:/é]{0,4}",
            ),
            "[a-z+]{0,3}://[a-z0-9:@\\[\\]./é ]{0,12}[/?#]?",
            "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(:[0-9]{0,5})?",
            "[0-9a-fA-F]{31,33}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}",
        ]
    }

    fn arb_indicator() -> impl Strategy<Value = Indicator> {
        proptest::sample::select(Indicator::ALL.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every set comes out sorted and unique, and equals the union of
        /// what each value yields on its own; `collect` never panics.
        #[test]
        fn output_is_sorted_unique_union(
            input in proptest::collection::vec(
                (arb_indicator(), arb_value()),
                0..24,
            ),
        ) {
            let mut c = Collector::new();
            let mut want: Vec<BTreeSet<String>> =
                vec![BTreeSet::new(); IndicatorSet::ALL.len()];
            for (kind, value) in &input {
                c.collect(*kind, value).unwrap();
            }
            // Again in reverse order, so every set holds duplicates.
            for (kind, value) in input.iter().rev() {
                c.collect(*kind, value).unwrap();
                let mut single = Collector::new();
                single.collect(*kind, value).unwrap();
                single.finish();
                for set in IndicatorSet::ALL {
                    want[set.index()]
                        .extend(single.values(set).map(str::to_owned));
                }
            }
            c.finish();
            for set in IndicatorSet::ALL {
                let got: Vec<&str> = c.values(set).collect();
                prop_assert!(
                    got.windows(2).all(|w| w[0] < w[1]),
                    "{set:?} {got:?}"
                );
                let want: Vec<&str> =
                    want[set.index()].iter().map(String::as_str).collect();
                prop_assert_eq!(&got, &want);
                prop_assert_eq!(c.is_empty(set), got.is_empty());
                for v in got {
                    prop_assert!(!v.is_empty());
                    match set {
                        S::IpAddresses => {
                            prop_assert!(v.parse::<IpAddr>().is_ok(), "{v:?}");
                        }
                        S::Md5Hashes | S::Sha1Hashes | S::Sha256Hashes => {
                            prop_assert!(v.bytes().all(|b| matches!(
                                b, b'0'..=b'9' | b'a'..=b'f'
                            )), "{v:?}");
                        }
                        S::AwsAccountIds => {
                            prop_assert!(v.len() == 12, "{v:?}");
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Only the sets that got a value are visited, in column order, and
    /// `clear` empties exactly those (a set it skipped would leak values
    /// into the next event).
    #[test]
    fn used_sets_are_tracked_and_cleared() {
        let mut c = Collector::new();
        c.collect(Indicator::Ip, "10.0.0.1").unwrap();
        c.collect(Indicator::Email, "a@example.com").unwrap();
        c.collect(Indicator::Domain, "example.com").unwrap();
        c.finish();
        let used: Vec<_> = c.non_empty().collect();
        assert_eq!(
            used,
            [
                IndicatorSet::DomainNames,
                IndicatorSet::Emails,
                IndicatorSet::IpAddresses
            ]
        );
        assert!(!c.is_empty(IndicatorSet::Emails));
        assert!(c.is_empty(IndicatorSet::AwsArns));
        c.clear();
        assert_eq!(c.non_empty().count(), 0);
        c.collect(Indicator::Ip, "10.0.0.2").unwrap();
        c.finish();
        assert_eq!(
            c.values(IndicatorSet::IpAddresses).collect::<Vec<_>>(),
            ["10.0.0.2"]
        );
        assert!(c.is_empty(IndicatorSet::Emails));
        assert_eq!(c.values(IndicatorSet::Emails).count(), 0);
    }
}
