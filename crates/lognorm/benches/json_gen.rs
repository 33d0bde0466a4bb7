//! Deterministic generators of realistic NDJSON for the six JSON log
//! types lognorm ships.
//!
//! Each generator writes events with the shape the vendor sends (the
//! samples under `testdata/logs/` and `../shared/corpus/`), including the
//! fields the schema does not declare, with varied values: IPv4 and IPv6
//! addresses, emails, hashes, ARNs and URLs, unicode written raw or as
//! `\u` escapes, escaped quotes and newlines, integers and floats, nested
//! objects, arrays of objects, optional fields present, `null` or absent,
//! and timestamps in the schema's formats. A 64-bit xorshift (`rng.rs`)
//! drives every choice, so a seed gives the same bytes everywhere.
//!
//! Along with the payload the generator returns what normalizing each
//! event must give (see [`Expected`]): the event time and the exact
//! `p_any_*` columns, computed here independently of lognorm.
//!
//! | log type | bytes per event (1 MiB corpus) |
//! |---|---:|
//! | Databricks.Audit | 799 |
//! | Hex.Audit | 1,074 |
//! | OpenAI.Audit | 542 |
//! | Wiz.Audit | 555 |
//! | Wiz.Issues | 2,085 |
//! | Wiz.VulnerabilityFinding | 2,512 |

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{Display, Write};

use crate::rng::{
    ALNUM, XorShift, digits, hex, hex_string, ip_string, rfc3339, token,
    uuid_string,
};

/// The JSON log types, in the order the benches run them.
pub const JSON_TYPES: [&str; 6] = [
    "Databricks.Audit",
    "Hex.Audit",
    "OpenAI.Audit",
    "Wiz.Audit",
    "Wiz.Issues",
    "Wiz.VulnerabilityFinding",
];

/// What normalizing one generated event must give.
#[derive(Clone, Debug)]
pub struct Expected {
    /// The event time in nanoseconds since the epoch; `None` when the
    /// schema has no `isEventTime` field with a value (then it is the
    /// parse time).
    pub event_time: Option<i128>,
    /// Every `p_any_*` column the row must hold, exactly as written
    /// there: `"p_any_emails":["ana@example.com"]`. The row holds no
    /// other `p_any_*` column.
    pub indicators: Vec<String>,
}

/// A generated NDJSON payload and what each of its events must give.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// The log type.
    pub log_type: &'static str,
    /// The events, each followed by `\n`.
    pub payload: Vec<u8>,
    /// One entry per event, in order.
    pub expected: Vec<Expected>,
}

impl Corpus {
    /// The events, without their line endings.
    pub fn lines(&self) -> impl Iterator<Item = &[u8]> {
        let p = self.payload.strip_suffix(b"\n").unwrap_or(&self.payload);
        p.split(|&b| b == b'\n')
    }
}

/// Events of `log_type` (one of [`JSON_TYPES`]) until the payload holds
/// at least `target_bytes`; the same for the same `seed`.
///
/// # Panics
///
/// For a log type this module does not generate.
pub fn corpus(log_type: &str, target_bytes: usize, seed: u64) -> Corpus {
    let (name, event): (&'static str, fn(&mut Gen) -> Option<i128>) =
        match log_type {
            "Databricks.Audit" => ("Databricks.Audit", Gen::databricks),
            "Hex.Audit" => ("Hex.Audit", Gen::hex),
            "OpenAI.Audit" => ("OpenAI.Audit", Gen::openai),
            "Wiz.Audit" => ("Wiz.Audit", Gen::wiz_audit),
            "Wiz.Issues" => ("Wiz.Issues", Gen::wiz_issues),
            "Wiz.VulnerabilityFinding" => {
                ("Wiz.VulnerabilityFinding", Gen::wiz_vulnerability)
            }
            _ => panic!("no generator for {log_type}"),
        };
    // Each type draws its own values from the same seed.
    let salt = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut g = Gen::new(seed ^ salt);
    let mut payload = Vec::with_capacity(target_bytes + 4096);
    let mut expected = Vec::new();
    while payload.len() < target_bytes {
        g.j.reset(g.rng.chance(15));
        g.ind.clear();
        let event_time = event(&mut g);
        assert!(g.j.stack.is_empty(), "unbalanced JSON: {}", g.j.out);
        payload.extend_from_slice(g.j.out.as_bytes());
        payload.push(b'\n');
        expected.push(Expected { event_time, indicators: g.ind.columns() });
    }
    Corpus { log_type: name, payload, expected }
}

// ---------------------------------------------------------------------
// Writing JSON

/// A JSON text under construction: commas and nesting are tracked, so
/// the generators only say what comes next.
#[derive(Debug, Default)]
struct Json {
    out: String,
    /// Items written so far in each open container.
    stack: Vec<usize>,
    /// A key was written and its value is next.
    after_key: bool,
    /// Write non-ASCII characters as `\u` escapes (as Python's
    /// `json.dumps` does by default).
    ascii: bool,
}

impl Json {
    fn reset(&mut self, ascii: bool) {
        self.out.clear();
        self.stack.clear();
        self.after_key = false;
        self.ascii = ascii;
    }

    /// Separates an item from the one before it.
    fn item(&mut self) {
        if let Some(n) = self.stack.last_mut() {
            if *n > 0 {
                self.out.push(',');
            }
            *n += 1;
        }
    }

    fn begin_value(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else {
            self.item();
        }
    }

    fn key(&mut self, k: &str) -> &mut Json {
        self.item();
        escape(&mut self.out, k, false);
        self.out.push(':');
        self.after_key = true;
        self
    }

    fn str(&mut self, v: &str) -> &mut Json {
        self.begin_value();
        escape(&mut self.out, v, self.ascii);
        self
    }

    /// A number, `true`, `false` or `null`, written as is.
    fn raw(&mut self, v: impl Display) -> &mut Json {
        self.begin_value();
        let _ = write!(self.out, "{v}");
        self
    }

    /// A string, or `null` for `None`.
    fn opt(&mut self, v: Option<&str>) -> &mut Json {
        match v {
            Some(v) => self.str(v),
            None => self.raw("null"),
        }
    }

    fn obj(&mut self) -> &mut Json {
        self.begin_value();
        self.out.push('{');
        self.stack.push(0);
        self
    }

    fn arr(&mut self) -> &mut Json {
        self.begin_value();
        self.out.push('[');
        self.stack.push(0);
        self
    }

    fn end_obj(&mut self) -> &mut Json {
        self.stack.pop();
        self.out.push('}');
        self
    }

    fn end_arr(&mut self) -> &mut Json {
        self.stack.pop();
        self.out.push(']');
        self
    }

    // Shorthands for `key` and a value.

    fn ks(&mut self, k: &str, v: &str) -> &mut Json {
        self.key(k).str(v)
    }

    fn kr(&mut self, k: &str, v: impl Display) -> &mut Json {
        self.key(k).raw(v)
    }

    fn ko(&mut self, k: &str, v: Option<&str>) -> &mut Json {
        self.key(k).opt(v)
    }

    fn kobj(&mut self, k: &str) -> &mut Json {
        self.key(k).obj()
    }

    fn karr(&mut self, k: &str) -> &mut Json {
        self.key(k).arr()
    }
}

/// Appends `s` as a JSON string.
fn escape(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || (ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The `p_any_*` sets of one event, as lognorm must write them.
#[derive(Debug, Default)]
struct Indicators {
    sets: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Indicators {
    fn clear(&mut self) {
        self.sets.clear();
    }

    fn add(&mut self, column: &'static str, value: &str) {
        self.sets.entry(column).or_default().insert(value.to_owned());
    }

    /// An `ip` indicator (every generated address is valid).
    fn ip(&mut self, value: &str) {
        self.add("p_any_ip_addresses", value);
    }

    /// An `email` indicator: `local@domain`, no whitespace.
    fn email(&mut self, value: &str) {
        let ok = value.rsplit_once('@').is_some_and(|(l, d)| {
            !l.is_empty()
                && !d.is_empty()
                && !value.contains(char::is_whitespace)
        });
        if ok {
            self.add("p_any_emails", value);
        }
    }

    /// A `url` indicator: the host of an absolute URL, as a domain name
    /// (the generated URLs never have an IP host, user info or port).
    fn url(&mut self, value: &str) {
        let rest = value.split_once("://").map(|(_, r)| r).unwrap_or("");
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if !host.is_empty() {
            self.add("p_any_domain_names", host);
        }
    }

    /// `"p_any_emails":["a@example.com"]`, one per set, by column name.
    fn columns(&self) -> Vec<String> {
        self.sets
            .iter()
            .map(|(column, values)| {
                let values: Vec<&String> = values.iter().collect();
                let json = serde_json::to_string(&values).expect("strings");
                format!("\"{column}\":{json}")
            })
            .collect()
    }
}

// ---------------------------------------------------------------------
// Shared value pools

const FIRST: &[&str] = &[
    "ana", "mira", "jonas", "yuki", "dana", "li", "omar", "sofia", "ravi",
    "emma", "noah", "zoe", "lucas", "priya", "chen", "fatima", "diego",
    "hannah", "kwame", "ingrid",
];

const LAST: &[&str] = &[
    "lopez", "patel", "weber", "tanaka", "kim", "wang", "haddad", "rossi",
    "iyer", "novak", "smith", "mueller", "garcia", "okafor", "berg",
];

const DOMAINS: &[&str] = &[
    "contoso.example",
    "northwind.example",
    "acme-analytics.com",
    "corp.example.com",
];

/// Display names, some with non-ASCII letters.
const DISPLAY: &[&str] = &[
    "Ana López",
    "Mira Patel",
    "Jonas Weber",
    "Yuki Tanaka 田中",
    "Zoë Ñúñez",
    "Fatima Haddad",
    "Ingrid Berg",
    "Chen Wang 王晨",
];

const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, \
     like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 \
     Safari/604.1",
    "curl/8.4.0",
    "python-requests/2.32.3",
    "okhttp/4.12.0",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "Terraform/1.8.5 terraform-provider-databricks/1.48.0",
    "wiz-sdk-python/1.4.0",
];

/// Days from 1970-01-01 to 2024-06-03, where every clock starts.
const START_DAYS: u64 = 19_877;

/// The generator's state: the random source, the clock, the event being
/// written and its indicators.
struct Gen {
    rng: XorShift,
    /// Nanoseconds since the epoch.
    now: u64,
    j: Json,
    ind: Indicators,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: XorShift::new(seed),
            now: START_DAYS * 86_400 * 1_000_000_000,
            j: Json::default(),
            ind: Indicators::default(),
        }
    }

    /// Moves the clock on by up to 0.4 s.
    fn tick(&mut self) -> u64 {
        self.now += self.rng.below(400_000_000);
        self.now
    }

    fn pick<T: ?Sized>(&mut self, items: &[&'static T]) -> &'static T {
        self.rng.pick(items)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.chance(percent)
    }

    /// `first.last@domain`, from a pool of 300 people.
    fn email(&mut self) -> String {
        let f = self.pick(FIRST);
        let l = self.pick(LAST);
        let d = self.pick(DOMAINS);
        format!("{f}.{l}@{d}")
    }

    fn rfc3339(&self, nanos: u64, digits: u32, trim: bool) -> String {
        let mut s = String::with_capacity(32);
        rfc3339(nanos, digits, trim, &mut s);
        s
    }

    // -----------------------------------------------------------------
    // Databricks.Audit

    /// A Databricks audit event (~800 bytes), as delivered to S3 by
    /// audit log delivery: `timestamp` in Unix milliseconds.
    fn databricks(&mut self) -> Option<i128> {
        const SHARDS: &[&str] =
            &["prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"];
        const ORGS: &[&str] =
            &["3049056262456431", "1207435362744183", "7781020384756102"];
        const ACCOUNTS: &[&str] = &[
            "7af2c1e4-5b3d-4e6f-8a9b-0c1d2e3f4a5b",
            "0c6b2d7e-91f4-4b8a-a3c2-5e7d9f1b3a60",
        ];
        const DBR_AGENTS: &[&str] = &[
            "Databricks-Runtime/14.3.x-scala2.12",
            "Databricks-Service/driver",
            "databricks-cli/0.218.0 databricks-sdk-go/0.37.0 go/1.21.9",
        ];
        let now = self.tick();
        let ms = now / 1_000_000;
        let workspace = self.chance(80);
        let org = self.pick(ORGS);
        let j = &mut self.j;
        j.obj();
        j.ks("version", "2.0");
        j.ks(
            "auditLevel",
            if workspace { "WORKSPACE_LEVEL" } else { "ACCOUNT_LEVEL" },
        );
        j.kr("timestamp", ms);
        j.ks("orgId", org);
        let shard = self.rng.pick(SHARDS);
        self.j.ks("shardName", shard);
        let account = self.rng.pick(ACCOUNTS);
        self.j.ks("accountId", account);
        if self.chance(94) {
            let ip = ip_string(&mut self.rng, 20);
            self.j.ks("sourceIPAddress", &ip);
            self.ind.ip(&ip);
        }
        let ua = if self.chance(30) {
            self.pick(DBR_AGENTS)
        } else {
            self.pick(USER_AGENTS)
        };
        self.j.ks("userAgent", ua);
        match self.rng.below(10) {
            0..=5 => {
                let id = format!("ephemeral-{}", uuid_string(&mut self.rng));
                self.j.ks("sessionId", &id);
            }
            6 | 7 => {
                let id = hex_string(&mut self.rng, 32);
                self.j.ks("sessionId", &id);
            }
            _ => {
                self.j.kr("sessionId", "null");
            }
        }
        let system = self.chance(5);
        let email =
            if system { "System-User".to_owned() } else { self.email() };
        self.j.kobj("userIdentity").ks("email", &email);
        self.ind.email(&email);
        if self.chance(40) {
            let subject = if self.chance(50) {
                email.clone()
            } else {
                uuid_string(&mut self.rng)
            };
            self.j.ks("subjectName", &subject);
            self.ind.add("p_any_usernames", &subject);
        }
        self.j.end_obj();
        let status = self.databricks_action(&email);
        let request_id = uuid_string(&mut self.rng);
        self.j.ks("requestId", &request_id);
        // `response`: the status, an error message or a result.
        self.j.kobj("response").kr("statusCode", status);
        match status {
            200 => {
                self.j.kr("errorMessage", "null");
                if self.chance(30) {
                    let rows = self.rng.range(0, 250_000);
                    let result = format!("{{\"rows\": {rows}}}");
                    self.j.ks("result", &result);
                } else {
                    self.j.kr("result", "null");
                }
            }
            _ => {
                let msg = self.pick(&[
                    "Invalid credentials for user \"token\"",
                    "PERMISSION_DENIED: User does not have USE CATALOG on \
                     Catalog 'main'.",
                    "RESOURCE_DOES_NOT_EXIST: Cluster 0603-081234-abcd123 \
                     does not exist",
                    "Internal error.\nPlease retry.",
                ]);
                self.j.ks("errorMessage", msg).kr("result", "null");
            }
        }
        self.j.end_obj();
        self.j.kr("MAX_LOG_MESSAGE_LENGTH", 16_384);
        let ws = if workspace { org } else { "0" };
        self.j.kr("workspaceId", ws);
        self.j.end_obj();
        Some(i128::from(ms) * 1_000_000)
    }

    /// `serviceName`, `actionName` and `requestParams` of one of the
    /// usual actions; returns the response status.
    fn databricks_action(&mut self, email: &str) -> u32 {
        let status = match self.rng.below(100) {
            0..=87 => 200,
            88..=92 => 403,
            93..=96 => 401,
            97 | 98 => 404,
            _ => 500,
        };
        let j = &mut self.j;
        match self.rng.below(10) {
            0 | 1 => {
                j.ks("serviceName", "notebook").ks("actionName", "runCommand");
                let nb = digits(&mut self.rng, 16);
                let secs = self.rng.range(1, 90_000);
                let cmd = hex_string(&mut self.rng, 8);
                let text = self.pick(&[
                    "display(spark.table(\"sales.orders\"))",
                    "df = spark.read.json(\"s3://acme-raw/events/\")\n\
                     df.count()",
                    "%sql SELECT * FROM main.finance.übersicht WHERE \
                     region = 'EMEA'",
                    "dbutils.fs.ls('/mnt/raw')",
                ]);
                let j = &mut self.j;
                j.kobj("requestParams")
                    .ks("notebookId", &nb)
                    .ks(
                        "executionTime",
                        &format!("{}.{:03}", secs / 1000, secs % 1000),
                    )
                    .ks("status", "finished")
                    .ks("commandId", &cmd)
                    .ks("commandText", text)
                    .ks("commandLanguage", "python")
                    .end_obj();
            }
            2 => {
                let action = self.pick(&["create", "edit", "start"]);
                let name = self.pick(&["etl-nightly", "ml-training", "adhoc"]);
                let workers = self.rng.range(1, 32);
                let minutes = self.rng.range(10, 120);
                let j = &mut self.j;
                j.ks("serviceName", "clusters").ks("actionName", action);
                j.kobj("requestParams")
                    .ks("cluster_name", name)
                    .ks("spark_version", "14.3.x-scala2.12")
                    .ks("node_type_id", "i3.xlarge")
                    .ks("num_workers", &workers.to_string())
                    .ks("autotermination_minutes", &minutes.to_string())
                    .ks("custom_tags", "{\"team\":\"data\",\"cost\":\"4410\"}")
                    .end_obj();
            }
            3 | 4 => {
                let action = self.pick(&[
                    "login",
                    "tokenLogin",
                    "samlLogin",
                    "oidcBrowserLogin",
                ]);
                let method = self.pick(&[
                    "PASSWORD",
                    "SAML",
                    "TOKEN",
                    "BROWSER_BYO_IDP_SAML",
                ]);
                let j = &mut self.j;
                j.ks("serviceName", "accounts").ks("actionName", action);
                j.kobj("requestParams")
                    .ks("user", email)
                    .ks("authenticationMethod", method)
                    .end_obj();
            }
            5 | 6 => {
                let action = self.pick(&[
                    "getTable",
                    "generateTemporaryTableCredential",
                    "updatePermissions",
                ]);
                let table = self.pick(&[
                    "main.finance.übersicht",
                    "main.sales.orders",
                    "hive_metastore.default.events_2024",
                ]);
                let ws = digits(&mut self.rng, 16);
                let metastore = uuid_string(&mut self.rng);
                let j = &mut self.j;
                j.ks("serviceName", "unityCatalog").ks("actionName", action);
                j.kobj("requestParams")
                    .ks("full_name_arg", table)
                    .ks("workspace_id", &ws)
                    .ks("metastore_id", &metastore);
                if action == "updatePermissions" {
                    j.karr("changes")
                        .obj()
                        .ks("principal", "data-engineers")
                        .karr("add")
                        .str("SELECT")
                        .str("MODIFY")
                        .end_arr()
                        .end_obj()
                        .end_arr();
                }
                j.end_obj();
            }
            7 => {
                let scope = self.pick(&["prod-etl", "ml", "shared"]);
                let key = self.pick(&["snowflake-password", "api-token"]);
                let j = &mut self.j;
                j.ks("serviceName", "secrets").ks("actionName", "getSecret");
                j.kobj("requestParams")
                    .ks("scope", scope)
                    .ks("key", key)
                    .end_obj();
            }
            8 => {
                let job = digits(&mut self.rng, 15);
                let token = uuid_string(&mut self.rng);
                let j = &mut self.j;
                j.ks("serviceName", "jobs").ks("actionName", "runNow");
                j.kobj("requestParams")
                    .ks("job_id", &job)
                    .ks(
                        "notebook_params",
                        "{\"date\":\"2024-06-03\",\"full\":\"false\"}",
                    )
                    .ks("idempotency_token", &token)
                    .end_obj();
            }
            _ => {
                let part = self.rng.range(0, 9999);
                let path = format!(
                    "/mnt/raw/events/2024/06/03/\
                     part-{part:05}-c000.snappy.parquet"
                );
                let j = &mut self.j;
                j.ks("serviceName", "dbfs").ks("actionName", "getStatus");
                j.kobj("requestParams")
                    .ks("path", &path)
                    .ks("source", "s3://acme-raw-us-east-1/events")
                    .end_obj();
            }
        }
        status
    }

    // -----------------------------------------------------------------
    // Hex.Audit

    /// A Hex audit event (~1,070 bytes) as the webhook sends it:
    /// `rfc3339` times with milliseconds or microseconds.
    fn hex(&mut self) -> Option<i128> {
        const ACTIONS: &[&str] = &[
            "CREATE_PROJECT",
            "SHARE_PROJECT",
            "RUN_PROJECT",
            "EXPORT_PROJECT",
            "PUBLISH_APP",
            "UPDATE_DATA_CONNECTION",
            "ROTATE_API_TOKEN",
            "LOGIN",
        ];
        const WORKSPACES: &[&str] =
            &["Acme Analytics", "Ünïcødé Wörkspace 東京", "Northwind BI"];
        const TITLES: &[&str] = &[
            "Q2 Revenue Forecast",
            "Übersicht – Umsatz 2024 📈",
            "Churn model \"v2\"",
            "Weekly KPIs",
        ];
        let occurred = self.tick();
        let delivered = occurred + self.rng.range(50_000_000, 900_000_000);
        let j = &mut self.j;
        j.obj().ks("source", "Hex");
        let suffix = format!(
            "01HZ{}",
            token(&mut self.rng, b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", 22)
        );
        self.j.ks("keySuffix", &suffix);
        let ts = self.rfc3339(delivered, 3, false);
        self.j.ks("timestamp", &ts);
        self.j.kobj("event").ks("version", "1.0");
        // actor
        let api = self.chance(10);
        self.j.kobj("actor");
        let actor_id = if api {
            format!("svc_{}", token(&mut self.rng, ALNUM, 8))
        } else {
            uuid_string(&mut self.rng)
        };
        self.j.ks("id", &actor_id);
        self.ind.add("p_any_actor_ids", &actor_id);
        if api {
            self.j.ks("type", "API_CLIENT").kr("metadata", "null");
        } else {
            let email = self.email();
            self.ind.email(&email);
            let ws = self.pick(WORKSPACES);
            let ws_id = uuid_string(&mut self.rng);
            let role = self.pick(&["ADMIN", "MEMBER", "EDITOR"]);
            self.j
                .ks("type", "USER")
                .kobj("metadata")
                .ks("email", &email)
                .ks("workspace", ws)
                .ks("workspaceId", &ws_id)
                .ks("actorOrgRole", role)
                .end_obj();
        }
        self.j.end_obj();
        let action = self.pick(ACTIONS);
        self.j.ks("action", action);
        // context
        self.j.kobj("context");
        if self.chance(95) {
            let ip = ip_string(&mut self.rng, 20);
            self.j.ks("location", &ip);
            self.ind.ip(&ip);
        }
        let ua = self.pick(USER_AGENTS);
        self.j.ks("user_agent", ua).end_obj();
        // targets: zero to three objects
        self.j.karr("targets");
        for _ in 0..self.rng.below(4) {
            let kind =
                self.pick(&["project", "group", "user", "data_connection"]);
            let id = uuid_string(&mut self.rng);
            let title = self.pick(TITLES);
            let repr = serde_json::json!({"title": title, "status": "DRAFT"})
                .to_string();
            let created = self.chance(50);
            let principal = self.pick(&["user", "group", "workspace"]);
            self.j
                .obj()
                .ks("id", &id)
                .ks("type", kind)
                .kobj("metadata")
                .kr("created", created)
                .ks("principal_type", principal)
                .ks("representation", &repr)
                .end_obj()
                .end_obj();
        }
        self.j.end_arr();
        // metadata
        let ok = self.chance(92);
        let trace = hex_string(&mut self.rng, 32);
        let source = self.pick(&["WEB", "PUBLIC_API", "SCHEDULED_RUN"]);
        let refreshing = self.chance(5);
        let method = self.pick(&["BLANK", "TEMPLATE", "DUPLICATE"]);
        let title = self.pick(TITLES);
        let args = serde_json::json!({"title": title, "templateId": null})
            .to_string();
        self.j
            .kobj("metadata")
            .ks("result", if ok { "SUCCESS" } else { "FAILURE" })
            .ks("requestArgs", &args)
            .ks("failureReason", if ok { "" } else { "Permission denied" })
            .ks("hexTraceId", &trace)
            .ks("source", source)
            .kr("isRefreshingKey", refreshing)
            .ko(
                "projectCreationMethod",
                (action == "CREATE_PROJECT").then_some(method),
            )
            .end_obj();
        self.ind.add("p_any_trace_ids", &trace);
        let frac = if self.chance(70) { 3 } else { 6 };
        let at = self.rfc3339(occurred, frac, false);
        self.j.ks("occurred_at", &at).end_obj().end_obj();
        // The text holds `frac` fraction digits of the clock.
        let unit = 10u64.pow(9 - frac);
        Some(i128::from(occurred / unit * unit))
    }

    // -----------------------------------------------------------------
    // OpenAI.Audit

    /// An OpenAI organization audit log entry (~540 bytes) as the audit
    /// log API returns it: `effective_at` in Unix seconds.
    fn openai(&mut self) -> Option<i128> {
        const TYPES: &[&str] = &[
            "api_key.created",
            "api_key.updated",
            "login.succeeded",
            "login.failed",
            "project.created",
            "project.archived",
            "user.added",
            "user.updated",
            "service_account.created",
            "invite.sent",
            "rate_limit.updated",
        ];
        const PROJECTS: &[&str] = &[
            "Customer Support Bot",
            "プロジェクト α 🤖",
            "Internal \"evals\"",
            "Default project",
        ];
        let secs = self.tick() / 1_000_000_000;
        let kind = self.pick(TYPES);
        let j = &mut self.j;
        j.obj();
        let id = format!("audit_log-{}", hex_string(&mut self.rng, 16));
        self.j.ks("id", &id).ks("type", kind).kr("effective_at", secs);
        self.j.ks("object", "organization.audit_log");
        // actor: a browser session or an API key
        let user_id = format!("user-{}", token(&mut self.rng, ALNUM, 8));
        let email = self.email();
        self.j.kobj("actor");
        if self.chance(60) {
            let ip = ip_string(&mut self.rng, 25);
            let ua = self.pick(USER_AGENTS);
            let ja3 = hex_string(&mut self.rng, 32);
            let city = self.pick(&["San Francisco", "München", "São Paulo"]);
            self.j
                .ks("type", "session")
                .kobj("session")
                .kobj("user")
                .ks("id", &user_id)
                .ks("email", &email)
                .end_obj()
                .ks("ip_address", &ip)
                .ks("user_agent", ua)
                .ks("ja3", &ja3)
                .kobj("ip_address_details")
                .ks("country", "US")
                .ks("city", city)
                .ks("asn", "64500")
                .ks("latitude", "37.77490")
                .ks("longitude", "-122.41940")
                .end_obj()
                .end_obj();
        } else {
            let key = format!("key_{}", token(&mut self.rng, ALNUM, 16));
            self.j.ks("type", "api_key").kobj("api_key").ks("id", &key);
            if self.chance(70) {
                self.j
                    .ks("type", "user")
                    .kobj("user")
                    .ks("id", &user_id)
                    .ks("email", &email)
                    .end_obj();
                self.ind.email(&email);
            } else {
                let sa = format!("user-sa-{}", token(&mut self.rng, ALNUM, 6));
                self.j
                    .ks("type", "service_account")
                    .kobj("service_account")
                    .ks("id", &sa)
                    .end_obj();
            }
            self.j.end_obj();
        }
        self.j.end_obj();
        if self.chance(70) {
            let id = format!("proj_{}", token(&mut self.rng, ALNUM, 12));
            let name = self.pick(PROJECTS);
            self.j.kobj("project").ks("id", &id).ks("name", name).end_obj();
        }
        // The details, under a key named after the type.
        let target =
            format!("{}_{}", &kind[..3], token(&mut self.rng, ALNUM, 10));
        match kind.split('.').next().unwrap_or("") {
            "api_key" => {
                self.j
                    .kobj(kind)
                    .ks("id", &target)
                    .kobj("data")
                    .karr("scopes")
                    .str("/v1/chat/completions:write")
                    .str("/v1/models:read")
                    .end_arr()
                    .end_obj()
                    .end_obj();
            }
            "user" => {
                let other = self.email();
                let role = self.pick(&["owner", "reader"]);
                self.j
                    .kobj(kind)
                    .ks("id", &target)
                    .kobj("data")
                    .ks("role", role)
                    .end_obj()
                    .end_obj();
                self.j
                    .kobj("user")
                    .ks("id", &target)
                    .ks("email", &other)
                    .ks("role", role)
                    .end_obj();
                self.ind.email(&other);
            }
            "service_account" => {
                self.j
                    .kobj(kind)
                    .ks("id", &target)
                    .kobj("data")
                    .ks("role", "member")
                    .end_obj()
                    .end_obj();
                self.j
                    .kobj("service_account")
                    .ks("id", &target)
                    .ks("name", "ci-bot \"staging\" \\ nightly")
                    .end_obj();
            }
            "login" if kind == "login.failed" => {
                self.j
                    .kobj(kind)
                    .ks("error_code", "invalid_password")
                    .ks("error_message", "Wrong email or password.")
                    .end_obj();
            }
            "invite" => {
                let other = self.email();
                self.j
                    .kobj(kind)
                    .ks("id", &target)
                    .kobj("data")
                    .ks("email", &other)
                    .ks("role", "reader")
                    .end_obj()
                    .end_obj();
            }
            "rate_limit" => {
                let rpm = self.rng.range(10, 10_000);
                self.j
                    .kobj(kind)
                    .ks("id", &target)
                    .kobj("changes_requested")
                    .kr("max_requests_per_1_minute", rpm)
                    .kr("max_tokens_per_1_minute", rpm * 150)
                    .kr("batch_1_day_max_input_tokens", 2.5e6)
                    .end_obj()
                    .end_obj();
            }
            _ => {}
        }
        self.j.end_obj();
        Some(i128::from(secs) * 1_000_000_000)
    }

    // -----------------------------------------------------------------
    // Wiz.Audit

    /// A Wiz audit log entry (~550 bytes) from the GraphQL API:
    /// `timestamp` in RFC 3339 with up to six fraction digits. One in
    /// twenty comes from the older export with lowercase keys and a
    /// space-separated timestamp without a zone.
    fn wiz_audit(&mut self) -> Option<i128> {
        let now = self.tick();
        if self.chance(5) {
            return Some(self.wiz_audit_legacy(now));
        }
        let id = uuid_string(&mut self.rng);
        let request = uuid_string(&mut self.rng);
        let ok = self.chance(90);
        // Microseconds, trailing zeros trimmed: `…:15.66643Z`.
        let micros = now / 1000;
        let ts = self.rfc3339(micros * 1000, 6, true);
        let action = self.pick(&[
            "CreateUser",
            "UpdateUser",
            "Login",
            "DeleteConnector",
            "UpdateCloudConfigurationRule",
            "CreateServiceAccount",
            "RevokeUserSessions",
            "CreateSavedGraphQuery",
        ]);
        self.j
            .obj()
            .ks("id", &id)
            .ks("action", action)
            .ks("requestId", &request)
            .ks("status", if ok { "SUCCESS" } else { "FAILED" })
            .ks("timestamp", &ts);
        self.wiz_action_parameters(action, ok);
        let ua = self.pick(USER_AGENTS);
        let ip = ip_string(&mut self.rng, 20);
        self.j.ks("userAgent", ua).ks("sourceIP", &ip);
        self.ind.ip(&ip);
        if self.chance(30) {
            let sa = token(
                &mut self.rng,
                b"abcdefghijklmnopqrstuvwxyz0123456789",
                26,
            );
            self.j
                .kobj("serviceAccount")
                .ks("id", &sa)
                .ks("name", "Panther SIEM Integration")
                .end_obj()
                .kr("user", "null");
            self.ind.add("p_any_actor_ids", &sa);
        } else {
            let email = self.email();
            let name = if self.chance(50) {
                email.clone()
            } else {
                self.pick(DISPLAY).to_owned()
            };
            self.j
                .kr("serviceAccount", "null")
                .kobj("user")
                .ks("id", &email)
                .ks("name", &name)
                .end_obj();
            self.ind.add("p_any_actor_ids", &email);
            self.ind.add("p_any_usernames", &name);
        }
        self.j.end_obj();
        Some(i128::from(micros) * 1000)
    }

    /// The `actionParameters` of a Wiz action: the GraphQL input and
    /// selection.
    fn wiz_action_parameters(&mut self, action: &str, ok: bool) {
        self.j.kobj("actionParameters").kobj("input");
        match action {
            "CreateUser" | "UpdateUser" => {
                let email = self.email();
                let name = self.pick(DISPLAY);
                let role = self.pick(&["GLOBAL_ADMIN", "PROJECT_READER"]);
                self.j
                    .kr("assignedProjectIds", "null")
                    .ks("email", &email)
                    .kr("expiresAt", "null")
                    .ks("name", name)
                    .ks("role", role);
            }
            "UpdateCloudConfigurationRule" => {
                let id = uuid_string(&mut self.rng);
                let enabled = self.chance(50);
                self.j
                    .ks("id", &id)
                    .kobj("patch")
                    .kr("enabled", enabled)
                    .ks("severity", "HIGH")
                    .end_obj();
            }
            "CreateServiceAccount" => {
                self.j
                    .ks("name", "siem-export")
                    .karr("scopes")
                    .str("read:issues")
                    .str("read:vulnerabilities")
                    .str("read:audit_logs")
                    .end_arr();
            }
            "CreateSavedGraphQuery" => {
                self.j.ks("name", "Public buckets").ks(
                    "query",
                    "{\n  \"type\": [\"BUCKET\"],\n  \"where\": \
                     {\"isPublic\": {\"EQUALS\": true}}\n}",
                );
            }
            _ => {
                let id = uuid_string(&mut self.rng);
                self.j.ks("id", &id);
            }
        }
        self.j.end_obj();
        self.j
            .karr("selection")
            .str("__typename")
            .obj()
            .karr("user")
            .str("__typename")
            .str("id")
            .end_arr()
            .end_obj()
            .end_arr();
        if !ok {
            self.j.ks("error", "role \"PROJECT_READER\" requires\nprojects");
        }
        self.j.end_obj();
    }

    /// The older Wiz export: lowercase keys (undeclared, so dropped) and
    /// `timestamp` as `2023-09-01 14:27:42.694`.
    fn wiz_audit_legacy(&mut self, now: u64) -> i128 {
        let id = uuid_string(&mut self.rng);
        let email = self.email();
        let millis = now / 1_000_000;
        let mut ts = self.rfc3339(millis * 1_000_000, 3, false);
        ts.pop(); // no zone: UTC
        let ts = ts.replacen('T', " ", 1);
        self.j
            .obj()
            .ks("action", "DeleteCICDScanPolicy")
            .kobj("actionparameters")
            .kobj("input")
            .ks("id", &id)
            .end_obj()
            .end_obj()
            .ks("id", &id)
            .kr("log_type", "null")
            .ks("requestid", &id)
            .kr("serviceaccount", "null")
            .ks("sourceip", "8.8.8.8")
            .ks("status", "SUCCESS")
            .ks("timestamp", &ts)
            .kobj("user")
            .ks("id", &email)
            .ks("name", &email)
            .end_obj()
            .end_obj();
        self.ind.add("p_any_actor_ids", &email);
        self.ind.add("p_any_usernames", &email);
        i128::from(millis) * 1_000_000
    }

    // -----------------------------------------------------------------
    // Wiz.Issues

    /// A Wiz issue (~2,100 bytes) from the issues query. The schema has
    /// no event time and no indicators.
    fn wiz_issues(&mut self) -> Option<i128> {
        const RULES: &[(&str, &str)] = &[
            (
                "Publicly exposed VM with a critical vulnerability",
                "This VM is exposed to the internet and has a critical \
                 vulnerability that is known to be exploited.",
            ),
            (
                "S3 bucket allows public read access",
                "The bucket policy grants s3:GetObject to \"*\".",
            ),
            (
                "Admin role assumable from an external account",
                "The trust policy of this role lets principals outside the \
                 organization assume it.",
            ),
        ];
        let created = self.tick();
        let updated = created + self.rng.range(1, 86_400) * 1_000_000_123;
        let id = uuid_string(&mut self.rng);
        let (name, description) = RULES[self.rng.below(3) as usize];
        let rule_id = format!("wc-id-{}", self.rng.range(100, 2000));
        self.j.obj().ks("id", &id);
        self.j
            .kobj("sourceRule")
            .ks("__typename", "Control")
            .ks("id", &rule_id)
            .ks("name", name)
            .ks("controlDescription", description)
            .ks(
                "resolutionRecommendation",
                "Patch the vulnerability or restrict exposure:\n1. Remove \
                 the public IP.\n2. Upgrade the package.",
            )
            .karr("securitySubCategories");
        for _ in 0..self.rng.range(1, 3) {
            let (title, cat, fw) = self.pick(&[
                &(
                    "T1190 Exploit Public-Facing Application",
                    "TA0001 Initial Access",
                    "MITRE ATT&CK Matrix",
                ),
                &(
                    "High-profile vulnerability exploited in the wild",
                    "High Profile Threats",
                    "Wiz for Risk Assessment",
                ),
                &(
                    "3.1 Ensure CloudTrail is enabled",
                    "Logging",
                    "CIS AWS 2.0.0",
                ),
            ]);
            self.j
                .obj()
                .ks("title", title)
                .kobj("category")
                .ks("name", cat)
                .kobj("framework")
                .ks("name", fw)
                .end_obj()
                .end_obj()
                .end_obj();
        }
        self.j.end_arr().end_obj();
        let t = self.rfc3339(created, 6, false);
        self.j.ks("createdAt", &t);
        let t = self.rfc3339(updated, 6, true);
        self.j.ks("updatedAt", &t);
        if self.chance(60) {
            let t =
                self.rfc3339(created + 30 * 86_400 * 1_000_000_000, 0, false);
            self.j.ks("dueAt", &t);
        } else {
            self.j.kr("dueAt", "null");
        }
        let kind = self.pick(&[
            "TOXIC_COMBINATION",
            "THREAT_DETECTION",
            "CLOUD_CONFIGURATION",
        ]);
        self.j.ks("type", kind);
        let status = self.pick(&["OPEN", "OPEN", "IN_PROGRESS", "RESOLVED"]);
        if status == "RESOLVED" {
            let t = self.rfc3339(updated, 6, false);
            self.j.ks("resolvedAt", &t);
        } else {
            self.j.kr("resolvedAt", "null");
        }
        let t = self.rfc3339(created + 1_234_567_000, 6, false);
        self.j.ks("statusChangedAt", &t);
        self.wiz_projects();
        let severity = self.pick(&["CRITICAL", "HIGH", "MEDIUM", "LOW"]);
        self.j.ks("status", status).ks("severity", severity);
        // entitySnapshot
        let account = digits(&mut self.rng, 12);
        let instance = format!("i-0{}", hex_string(&mut self.rng, 16));
        let region = self.pick(&["us-east-1", "eu-west-1", "ap-northeast-1"]);
        let vm = format!("pay-api-vm-{:02}", self.rng.range(1, 40));
        let snap_id = uuid_string(&mut self.rng);
        self.j
            .kobj("entitySnapshot")
            .ks("id", &snap_id)
            .ks("type", "VIRTUAL_MACHINE")
            .ks("nativeType", "virtualMachine")
            .ks("name", &vm)
            .ks("status", "Active")
            .ks("cloudPlatform", "AWS")
            .ks(
                "cloudProviderURL",
                &format!(
                    "https://{region}.console.aws.amazon.com/ec2/v2/home?\
                     region={region}#InstanceDetails:instanceId={instance}"
                ),
            )
            .ks(
                "providerId",
                &format!("arn:aws:ec2:{region}:{account}:instance/{instance}"),
            )
            .ks("region", region)
            .ks("resourceGroupExternalId", "")
            .ks("subscriptionExternalId", &account)
            .ks("subscriptionName", "payments-prod")
            .kobj("subscriptionTags")
            .ks("env", "prod")
            .ks("cost-center", "4410")
            .end_obj()
            .kobj("tags")
            .ks("Name", &vm)
            .ks("team", "payments")
            .ks("owner", "ana.lopez@contoso.example")
            .end_obj()
            .ks("externalId", &instance)
            .end_obj();
        // serviceTickets and notes
        self.j.karr("serviceTickets");
        if self.chance(40) {
            let n = self.rng.range(1000, 9999);
            self.j
                .obj()
                .ks("externalId", &format!("PAY-{n}"))
                .ks("name", &format!("Jira PAY-{n}"))
                .ks(
                    "url",
                    &format!("https://acme.atlassian.net/browse/PAY-{n}"),
                )
                .end_obj();
        }
        self.j.end_arr().karr("notes");
        if self.chance(30) {
            let t = self.rfc3339(created + 3_600_000_000_000, 0, false);
            let email = self.email();
            let name = self.pick(DISPLAY);
            self.j
                .obj()
                .ks("createdAt", &t)
                .ks("updatedAt", &t)
                .ks("text", "Investigating — owner notified.")
                .kobj("user")
                .ks("name", name)
                .ks("email", &email)
                .end_obj()
                .kr("serviceAccount", "null")
                .end_obj();
        }
        self.j.end_arr().end_obj();
        None
    }

    /// `projects`: one to three project objects.
    fn wiz_projects(&mut self) {
        self.j.karr("projects");
        for _ in 0..self.rng.range(1, 3) {
            let (name, slug, unit) = self.pick(&[
                &("Payments Platform", "payments-platform", "Fintech"),
                &("Data Lake", "data-lake", "Analytics"),
                &("Kundenportal Ü", "kundenportal", ""),
            ]);
            let id = uuid_string(&mut self.rng);
            let impact = self.pick(&["HBI", "MBI", "LBI"]);
            self.j
                .obj()
                .ks("id", &id)
                .ks("name", name)
                .ks("slug", slug)
                .ks("businessUnit", unit)
                .kobj("riskProfile")
                .ks("businessImpact", impact)
                .end_obj()
                .end_obj();
        }
        self.j.end_arr();
    }

    // -----------------------------------------------------------------
    // Wiz.VulnerabilityFinding

    /// A Wiz vulnerability finding (~2,500 bytes). No event time; URL and
    /// IP indicators.
    fn wiz_vulnerability(&mut self) -> Option<i128> {
        const CVES: &[(&str, &str, &str, &str, &str)] = &[
            (
                "CVE-2023-44487",
                "The HTTP/2 protocol allows a denial of service (server \
                 resource consumption) because request cancellation can \
                 reset many streams quickly, as exploited in the wild in \
                 August through October 2023.",
                "golang.org/x/net",
                "0.7.0",
                "0.17.0",
            ),
            (
                "CVE-2024-3094",
                "Malicious code was discovered in the upstream tarballs of \
                 xz, starting with version 5.6.0. The liblzma build process \
                 extracts a prebuilt object file from a disguised test file.",
                "xz-utils",
                "5.6.0-0.2",
                "5.6.1+really5.4.5-1",
            ),
            (
                "CVE-2021-44228",
                "Apache Log4j2 2.0-beta9 through 2.15.0 JNDI features used \
                 in configuration, log messages, and parameters do not \
                 protect against attacker controlled LDAP and other JNDI \
                 related endpoints (\"Log4Shell\").",
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                "2.17.1",
            ),
            (
                "GHSA-9wx4-h78v-vm56",
                "Requests `Session` object does not verify requests after \
                 making first request with verify=False.",
                "requests",
                "2.31.0",
                "2.32.0",
            ),
        ];
        let first = self.tick() - 80 * 86_400 * 1_000_000_000;
        let last = first + self.rng.range(1, 80) * 86_400_123_456_789;
        let id = uuid_string(&mut self.rng);
        let (cve, description, package, version, fixed) =
            CVES[self.rng.below(CVES.len() as u64) as usize];
        let portal = format!(
            "https://app.wiz.io/explorer/vulnerability-findings#~(entity~(~'\
             {id}*2cSECURITY_TOOL_FINDING))"
        );
        self.ind.url(&portal);
        let score = self.rng.range(20, 100) as f64 / 10.0;
        let severity = match score {
            s if s >= 9.0 => "CRITICAL",
            s if s >= 7.0 => "HIGH",
            s if s >= 4.0 => "MEDIUM",
            _ => "LOW",
        };
        let exploit = self.chance(30);
        let kev = exploit && self.chance(50);
        let status = self.pick(&["OPEN", "OPEN", "OPEN", "RESOLVED"]);
        self.j
            .obj()
            .ks("id", &id)
            .ks("portalUrl", &portal)
            .ks("name", cve)
            .ks("CVEDescription", description)
            .ks("CVSSSeverity", severity)
            .kr("score", score)
            .kr("exploitabilityScore", 3.9)
            .kr("impactScore", 3.6)
            .ks("dataSourceName", "Wiz")
            .kr("hasExploit", exploit)
            .kr("hasCisaKevExploit", kev)
            .ks("status", status)
            .ks("vendorSeverity", severity);
        let t = self.rfc3339(first, 3, false);
        self.j.ks("firstDetectedAt", &t);
        let t = self.rfc3339(last, 3, false);
        self.j.ks("lastDetectedAt", &t);
        if status == "RESOLVED" {
            let t = self.rfc3339(last + 1_000_000_000, 6, false);
            self.j.ks("resolvedAt", &t);
        } else {
            self.j.kr("resolvedAt", "null");
        }
        let link = if cve.starts_with("CVE") {
            format!("https://nvd.nist.gov/vuln/detail/{cve}")
        } else {
            format!("https://github.com/advisories/{cve}")
        };
        self.ind.url(&link);
        let epss = self.rng.range(1, 99_999) as f64 / 1000.0;
        let probability = self.rng.range(1, 99_999) as f64 / 100_000.0;
        self.j
            .ks(
                "description",
                &format!("{package} {version} is vulnerable to {cve}"),
            )
            .ks(
                "remediation",
                &format!("Upgrade {package} to {fixed} or later."),
            )
            .ks("detailedName", package)
            .ks("version", version)
            .ks("fixedVersion", fixed)
            .ks("detectionMethod", "LIBRARY")
            .ks("link", &link)
            .ks("locationPath", "/usr/local/bin/app")
            .kr("resolutionReason", "null")
            .ks("epssSeverity", severity)
            .kr("epssPercentile", epss)
            .kr("epssProbability", probability);
        match self.rng.below(3) {
            0 => self.j.kr("validatedInRuntime", "true"),
            1 => self.j.kr("validatedInRuntime", "false"),
            _ => self.j.kr("validatedInRuntime", "null"),
        };
        if self.chance(70) {
            let mut digest = String::from("sha256:");
            hex(&mut self.rng, 64, &mut digest);
            self.j
                .kobj("layerMetadata")
                .ks("id", &digest)
                .ks("details", "COPY /build/app /usr/local/bin/app # buildkit")
                .kr("isBaseLayer", false)
                .end_obj();
        } else {
            self.j.kr("layerMetadata", "null");
        }
        self.wiz_projects();
        self.j.kr("ignoreRules", "null");
        self.wiz_asset();
        self.j.end_obj();
        None
    }

    /// `vulnerableAsset`: an AWS, Azure or GCP virtual machine.
    fn wiz_asset(&mut self) {
        let id = uuid_string(&mut self.rng);
        let sub = uuid_string(&mut self.rng);
        let vm = format!("api-vm-{:02}", self.rng.range(1, 40));
        let (platform, region, unique, url) = match self.rng.below(3) {
            0 => {
                let account = digits(&mut self.rng, 12);
                let instance = format!("i-0{}", hex_string(&mut self.rng, 16));
                let region = self.pick(&["us-east-1", "eu-west-1"]);
                (
                    "AWS",
                    region,
                    format!(
                        "arn:aws:ec2:{region}:{account}:instance/{instance}"
                    ),
                    format!(
                        "https://{region}.console.aws.amazon.com/ec2/v2/home?\
                         region={region}#InstanceDetails:instanceId={instance}"
                    ),
                )
            }
            1 => {
                let path = format!(
                    "/subscriptions/{sub}/resourceGroups/rg-prod/providers/\
                     Microsoft.Compute/virtualMachines/{vm}"
                );
                (
                    "Azure",
                    "westeurope",
                    path.clone(),
                    format!(
                        "https://portal.azure.com/#@contoso/resource{path}"
                    ),
                )
            }
            _ => (
                "GCP",
                "us-central1",
                format!(
                    "//compute.googleapis.com/projects/acme-prod/zones/\
                     us-central1-a/instances/{vm}"
                ),
                format!(
                    "https://console.cloud.google.com/compute/instancesDetail/\
                     zones/us-central1-a/instances/{vm}?project=acme-prod"
                ),
            ),
        };
        self.ind.url(&url);
        let wide = self.chance(20);
        self.j
            .kobj("vulnerableAsset")
            .ks("id", &id)
            .ks("type", "VIRTUAL_MACHINE")
            .ks("name", &vm)
            .ks("region", region)
            .ks("providerUniqueId", &unique)
            .ks("cloudProviderURL", &url)
            .ks("cloudPlatform", platform)
            .ks("status", "Active")
            .ks("subscriptionName", "payments-prod")
            .ks("subscriptionExternalId", &sub)
            .ks("subscriptionId", &sub)
            .kobj("tags")
            .ks("Name", &vm)
            .ks("team", "payments")
            .end_obj()
            .kr("hasLimitedInternetExposure", !wide)
            .kr("hasWideInternetExposure", wide)
            .kr("isAccessibleFromVPN", false)
            .kr("isAccessibleFromOtherVnets", false)
            .kr("isAccessibleFromOtherSubscriptions", false)
            .ks("operatingSystem", "Linux")
            .karr("ipAddresses");
        for _ in 0..self.rng.below(4) {
            let ip = ip_string(&mut self.rng, 15);
            self.j.str(&ip);
            self.ind.ip(&ip);
        }
        self.j.end_arr().end_obj();
    }
}
