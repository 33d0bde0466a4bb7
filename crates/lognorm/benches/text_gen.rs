//! The generated inputs of the text-parser benches (`textparsers.rs`,
//! `icount.rs`): Apache access lines for a `parser: regex` log type and a
//! CSV export for a `parser: csv` one, with their schemas. Deterministic
//! (a fixed xorshift seed), so every machine measures the same bytes.

#![allow(dead_code)]

use crate::rng::{self, XorShift};

pub const SEED: u64 = 0x7e57_9a25_e125_2024;
pub const LINES: usize = 10_000;

/// The access-line pattern, in classes both engines read alike (no `\d`,
/// which lognorm makes ASCII as Go's RE2 does).
pub const APACHE: &str = concat!(
    r#"(?P<clientip>[^ ]+) [^ ]+ (?P<auth>[^ ]+) \[(?P<timestamp>[^\]]+)\] "#,
    r#""(?P<verb>[A-Z]+) (?P<request>[^ ]+) HTTP/(?P<httpversion>[0-9.]+)" "#,
    r#"(?P<response>[0-9]{3}) (?P<bytes>[0-9]+|-)"#,
);

pub fn apache_schema() -> String {
    format!(
        "schema: Bench.Apache\nparser:\n  regex:\n    match:\n      - '{APACHE}'\n    \
         emptyValues: ['-']\nfields:\n  - name: clientip\n    type: string\n    \
         indicators: [ip]\n  - name: auth\n    type: string\n  - name: timestamp\n    \
         type: timestamp\n    timeFormat: '%d/%b/%Y:%H:%M:%S %z'\n    isEventTime: true\n  \
         - name: verb\n    type: string\n  - name: request\n    type: string\n  \
         - name: httpversion\n    type: string\n  - name: response\n    type: smallint\n  \
         - name: bytes\n    type: bigint\n"
    )
}

pub const CSV_SCHEMA: &str = "schema: Bench.Export\nparser:\n  csv:\n    delimiter: ','\n    \
                          hasHeader: true\nfields:\n  - name: id\n    type: bigint\n  \
                          - name: user\n    type: string\n    indicators: [email]\n  \
                          - name: action\n    type: string\n  - name: detail\n    \
                          type: string\n  - name: at\n    type: timestamp\n    \
                          timeFormats: [rfc3339]\n    isEventTime: true\n";

pub fn apache_payload() -> Vec<u8> {
    let mut rng = XorShift::new(SEED);
    let mut out = String::new();
    for i in 0..LINES {
        rng::ipv4(&mut rng, &mut out);
        let user = if rng.chance(70) { "-" } else { "frank" };
        let verb = rng.pick(&["GET", "POST", "PUT", "DELETE"]);
        let status = rng.pick(&["200", "404", "500", "302"]);
        let bytes = if rng.chance(10) {
            "-".to_owned()
        } else {
            rng.below(90_000).to_string()
        };
        out += &format!(
            " - {user} [{:02}/Oct/2024:13:{:02}:{:02} -0700] \"{verb} /app/{i}/item?q={} HTTP/1.1\" {status} {bytes}\n",
            1 + i % 28,
            i % 60,
            (i * 7) % 60,
            rng.below(1_000_000),
        );
    }
    out.into_bytes()
}

pub fn csv_payload() -> Vec<u8> {
    let mut rng = XorShift::new(SEED ^ 1);
    let mut out = String::from("id,user,action,detail,at\n");
    for i in 0..LINES {
        let action = rng.pick(&["login", "logout", "export", "delete"]);
        let detail = if rng.chance(30) {
            format!("\"said \"\"hi\"\", then {}\nand left\"", rng.below(1000))
        } else {
            format!("plain note {}", rng.below(1000))
        };
        out += &format!(
            "{i},user{}@example.com,{action},{detail},2024-06-{:02}T12:{:02}:00Z\n",
            rng.below(500),
            1 + i % 28,
            i % 60,
        );
    }
    out.into_bytes()
}

/// A row of the export as a Rust user would read it with the `csv`
/// crate and serde: strings borrowed from the record where they have no
/// escapes.
#[derive(serde::Deserialize)]
struct ExportRow<'a> {
    id: i64,
    #[serde(borrow)]
    user: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    action: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    detail: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    at: std::borrow::Cow<'a, str>,
}

/// The JSON row that user would write: the fields, the timestamp in
/// Panther's form, and the `p_*` fields that need no state (type, event
/// time, parse time, the email indicator; no row id).
#[derive(serde::Serialize)]
struct ExportOut<'a> {
    id: i64,
    user: &'a str,
    action: &'a str,
    detail: &'a str,
    at: &'a str,
    p_log_type: &'static str,
    p_event_time: &'a str,
    p_parse_time: &'a str,
    p_any_emails: [&'a str; 1],
}

/// What a Rust user would otherwise write for the export end to end
/// (the baseline `csv_serde_rows`): the `csv` crate deserializing each
/// row into a struct with serde, chrono reading and writing its
/// timestamp, serde_json writing the row into `out` (cleared per row).
/// Returns (rows, row bytes).
pub fn csv_serde_rows(payload: &[u8], out: &mut Vec<u8>) -> (usize, usize) {
    use chrono::{DateTime, Utc};
    let mut rdr = csv::Reader::from_reader(payload);
    let headers = rdr.byte_headers().expect("csv header").clone();
    let mut record = csv::ByteRecord::new();
    let mut at = String::new();
    let (mut rows, mut bytes) = (0, 0);
    while rdr.read_byte_record(&mut record).unwrap_or(false) {
        let Ok(row) = record.deserialize::<ExportRow<'_>>(Some(&headers))
        else {
            continue;
        };
        let Ok(t) = DateTime::parse_from_rfc3339(&row.at) else { continue };
        at.clear();
        use std::fmt::Write;
        let _ = write!(
            at,
            "{}",
            t.with_timezone(&Utc).format("%Y-%m-%d %H:%M:%S%.9f")
        );
        out.clear();
        let written = ExportOut {
            id: row.id,
            user: &row.user,
            action: &row.action,
            detail: &row.detail,
            at: &at,
            p_log_type: "Bench.Export",
            p_event_time: &at,
            p_parse_time: "2024-06-03 12:00:00.000000000",
            p_any_emails: [&row.user],
        };
        if serde_json::to_writer(&mut *out, &written).is_ok() {
            rows += 1;
            bytes += out.len();
        }
    }
    (rows, bytes)
}
