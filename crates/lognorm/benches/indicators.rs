//! Indicator benches: `Collector::collect` and `finish` per kind.
//!
//! Each bench scans generated field values of one kind, eight values per
//! event as a normalizer does (`clear`, `collect` each, `finish`), and
//! reports `Throughput::Elements` (values). Most values are valid, some
//! are not (a misspelt address, a URL without a scheme, a hash of the
//! wrong length), and some repeat within an event, so `finish` has
//! something to sort and remove.
//!
//! Ids: `indicators/<kind>/collect` for `ip`, `hostname`, `domain`,
//! `url`, `email`, `hashes` (md5, sha1 and sha256 values, each collected
//! as its kind) and `aws_arn`.
//!
//! Each bench checks every event's sets against the values the
//! generator says it must find (sorted, without duplicates) before it
//! is timed.
//!
//! ```text
//! cargo bench --bench indicators
//! cargo bench --bench indicators -- --test
//! ```

mod rng;

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lognorm::indicators::{Collector, Indicator, IndicatorSet};
use rng::{XorShift, digits, hex_string, ip_string, ipv4, token};

/// The generator's seed.
const SEED: u64 = 0x1d1c_a705_0000_2024;

/// Values per event.
const PER_EVENT: usize = 8;

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// Events per bench.
fn events() -> usize {
    if test_mode() { 32 } else { 512 }
}

/// One value to collect and what it must add.
struct Value {
    kind: Indicator,
    text: String,
    found: Vec<(IndicatorSet, String)>,
}

impl Value {
    fn new(kind: Indicator, text: String) -> Value {
        Value { kind, text, found: Vec::new() }
    }

    fn adds(mut self, set: IndicatorSet, v: &str) -> Value {
        self.found.push((set, v.to_owned()));
        self
    }
}

const HOSTS: &[&str] = &[
    "api.example.com",
    "login.microsoftonline.com",
    "s3.us-east-1.amazonaws.com",
    "app.wiz.io",
    "xn--bcher-kva.example",
    "localhost",
];

fn ip(rng: &mut XorShift) -> Value {
    use IndicatorSet as S;
    match rng.below(10) {
        0..=7 => {
            let ip = ip_string(rng, 30);
            Value::new(Indicator::Ip, ip.clone()).adds(S::IpAddresses, &ip)
        }
        8 => Value::new(Indicator::Ip, format!("10.0.{}.256", rng.below(256))),
        _ => {
            let mut s = String::from(" ");
            ipv4(rng, &mut s);
            let ip = s.trim().to_owned();
            s.push('\t');
            Value::new(Indicator::Ip, s).adds(S::IpAddresses, &ip)
        }
    }
}

fn hostname(rng: &mut XorShift) -> Value {
    use IndicatorSet as S;
    if rng.chance(40) {
        let ip = ip_string(rng, 30);
        Value::new(Indicator::Hostname, ip.clone()).adds(S::IpAddresses, &ip)
    } else {
        let host = format!("node-{}.{}", rng.below(50), rng.pick(HOSTS));
        Value::new(Indicator::Hostname, host.clone())
            .adds(S::DomainNames, &host)
    }
}

fn domain(rng: &mut XorShift) -> Value {
    let host = format!("{}.{}", token(rng, b"abcdefghij", 6), rng.pick(HOSTS));
    Value::new(Indicator::Domain, host.clone())
        .adds(IndicatorSet::DomainNames, &host)
}

fn url(rng: &mut XorShift) -> Value {
    use IndicatorSet as S;
    let host = rng.pick(HOSTS);
    let path = format!(
        "/api/v1/items/{}?page={}&q=caf%C3%A9#top",
        rng.below(100_000),
        rng.below(9)
    );
    match rng.below(10) {
        0..=5 => Value::new(Indicator::Url, format!("https://{host}{path}"))
            .adds(S::DomainNames, host),
        6 => Value::new(
            Indicator::Url,
            format!("http://user:pw@{host}:8080{path}"),
        )
        .adds(S::DomainNames, host),
        7 => {
            let ip = ip_string(rng, 50);
            let shown =
                if ip.contains(':') { format!("[{ip}]") } else { ip.clone() };
            Value::new(Indicator::Url, format!("https://{shown}:443{path}"))
                .adds(S::IpAddresses, &ip)
        }
        8 => Value::new(Indicator::Url, format!("{host}{path}")),
        _ => Value::new(
            Indicator::Url,
            format!("s3://{}/logs/2024/06/03/", token(rng, b"abcdef-", 12)),
        )
        .adds_host_of_s3(),
    }
}

impl Value {
    /// `s3://bucket/…`: the bucket is the host.
    fn adds_host_of_s3(self) -> Value {
        let host = self.text["s3://".len()..]
            .split('/')
            .next()
            .unwrap_or("")
            .to_owned();
        self.adds(IndicatorSet::DomainNames, &host)
    }
}

fn email(rng: &mut XorShift) -> Value {
    let local = token(rng, b"abcdefghijklmnop.", 8);
    let local = local.trim_matches('.');
    let local = if local.is_empty() { "x" } else { local };
    let domain = rng.pick(HOSTS);
    match rng.below(10) {
        0..=7 => {
            let e = format!("{local}@{domain}");
            Value::new(Indicator::Email, e.clone())
                .adds(IndicatorSet::Emails, &e)
        }
        8 => Value::new(Indicator::Email, format!("{local} at {domain}")),
        _ => Value::new(Indicator::Email, "System-User".to_owned()),
    }
}

fn hash(rng: &mut XorShift) -> Value {
    use IndicatorSet as S;
    let (kind, set, len) = match rng.below(3) {
        0 => (Indicator::Md5, S::Md5Hashes, 32),
        1 => (Indicator::Sha1, S::Sha1Hashes, 40),
        _ => (Indicator::Sha256, S::Sha256Hashes, 64),
    };
    let h = hex_string(rng, len);
    match rng.below(10) {
        0..=6 => Value::new(kind, h.clone()).adds(set, &h),
        7 | 8 => Value::new(kind, h.to_uppercase()).adds(set, &h),
        _ => Value::new(kind, h[1..].to_owned()),
    }
}

fn aws_arn(rng: &mut XorShift) -> Value {
    use IndicatorSet as S;
    let account = digits(rng, 12);
    let region = rng.pick(&["us-east-1", "eu-west-1", "ap-southeast-2"]);
    match rng.below(10) {
        0..=3 => {
            let instance = format!("i-0{}", hex_string(rng, 16));
            let arn =
                format!("arn:aws:ec2:{region}:{account}:instance/{instance}");
            Value::new(Indicator::AwsArn, arn.clone())
                .adds(S::AwsArns, &arn)
                .adds(S::AwsAccountIds, &account)
                .adds(S::AwsInstanceIds, &instance)
        }
        4..=6 => {
            let user = token(rng, b"abcdefghijklmnop-", 8);
            let arn = format!("arn:aws:iam::{account}:user/{user}");
            Value::new(Indicator::AwsArn, arn.clone())
                .adds(S::AwsArns, &arn)
                .adds(S::AwsAccountIds, &account)
        }
        7 => {
            let arn = format!(
                "arn:aws:s3:::{}/logs/2024/06/03",
                token(rng, b"abcdef-", 12)
            );
            Value::new(Indicator::AwsArn, arn.clone()).adds(S::AwsArns, &arn)
        }
        8 => {
            let arn = format!(
                "arn:aws:lambda:{region}:{account}:function:\
                 process-events:prod"
            );
            Value::new(Indicator::AwsArn, arn.clone())
                .adds(S::AwsArns, &arn)
                .adds(S::AwsAccountIds, &account)
        }
        _ => Value::new(Indicator::AwsArn, format!("arn:aws:{account}")),
    }
}

/// Makes one value of a kind.
type Make = fn(&mut XorShift) -> Value;

/// `events` events of `PER_EVENT` values; one in four values repeats the
/// value before it.
fn generate(rng: &mut XorShift, events: usize, make: Make) -> Vec<Vec<Value>> {
    (0..events)
        .map(|_| {
            let mut event: Vec<Value> = Vec::with_capacity(PER_EVENT);
            while event.len() < PER_EVENT {
                let v = match event.last() {
                    Some(last) if rng.chance(25) => Value {
                        kind: last.kind,
                        text: last.text.clone(),
                        found: last.found.clone(),
                    },
                    _ => make(rng),
                };
                event.push(v);
            }
            event
        })
        .collect()
}

/// Collects every event; returns the number of values in all sets.
fn collect_all(c: &mut Collector, events: &[Vec<Value>]) -> usize {
    let mut n = 0;
    for event in events {
        c.clear();
        for v in event {
            let _ = c.collect(v.kind, black_box(&v.text));
        }
        c.finish();
        n += IndicatorSet::ALL
            .iter()
            .map(|&s| c.values(s).len())
            .sum::<usize>();
    }
    n
}

/// Checks each event's sets against the generator's values.
fn check(c: &mut Collector, events: &[Vec<Value>]) -> usize {
    let mut total = 0;
    for event in events {
        let mut want: BTreeMap<IndicatorSet, BTreeSet<&str>> = BTreeMap::new();
        c.clear();
        for v in event {
            c.collect(v.kind, &v.text).expect("no limit");
            for (set, s) in &v.found {
                want.entry(*set).or_default().insert(s);
            }
        }
        c.finish();
        for set in IndicatorSet::ALL {
            let got: Vec<&str> = c.values(set).collect();
            let want: Vec<&str> = want
                .get(&set)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default();
            assert_eq!(
                got,
                want,
                "{set:?} of {:?}",
                event.iter().map(|v| &v.text).collect::<Vec<_>>()
            );
            total += got.len();
        }
    }
    total
}

fn indicators(c: &mut Criterion) {
    let kinds: [(&str, Make); 7] = [
        ("ip", ip),
        ("hostname", hostname),
        ("domain", domain),
        ("url", url),
        ("email", email),
        ("hashes", hash),
        ("aws_arn", aws_arn),
    ];
    let mut rng = XorShift::new(SEED);
    let mut g = c.benchmark_group("indicators");
    g.throughput(Throughput::Elements((events() * PER_EVENT) as u64));
    for (name, make) in kinds {
        let evs = generate(&mut rng, events(), make);
        let mut collector = Collector::new();
        let found = check(&mut collector, &evs);
        assert!(found > 0, "{name}");
        assert_eq!(collect_all(&mut collector, &evs), found, "{name}");
        g.bench_function(format!("{name}/collect"), |b| {
            b.iter(|| collect_all(&mut collector, &evs))
        });
    }
    g.finish();
}

criterion_group!(benches, indicators);
criterion_main!(benches);
