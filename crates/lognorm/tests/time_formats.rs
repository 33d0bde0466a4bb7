//! Time formats through the public API: rows hold what strftime
//! patterns, Go layouts and `cloudflare` read (the values Panther's own
//! test logs pin), and every `timeFormat` of the real-world schemas in
//! `../shared/realworld-schemas/` loads but the one that is not a format.

use std::collections::BTreeSet;
use std::path::Path;

use lognorm::{Record, Registry, Scratch};

use crate::util::context;

/// A schema whose field `t` is a timestamp in `format`, normalizing
/// `{"t": value}` (`value` is JSON); the row's `t`, or the error.
fn read(format: &str, value: &str) -> Result<String, String> {
    let yaml = format!(
        "schema: Test.Time\nfields:\n  - name: t\n    type: timestamp\n    \
         timeFormat: '{}'\n",
        format.replace('\'', "''")
    );
    let mut b = Registry::builder();
    b.add_yaml("t.yml", &yaml).map_err(|e| e.to_string())?;
    let registry = b.build();
    let log_type = registry.log_type("Test.Time").unwrap();
    let record = format!(r#"{{"t":{value}}}"#);
    let mut scratch = Scratch::new();
    let event = log_type
        .normalize(
            Record::new(record.as_bytes(), 1, 0),
            &mut context(),
            &mut scratch,
        )
        .map_err(|e| e.to_string())?;
    let row: serde_json::Value = serde_json::from_str(event.row()).unwrap();
    Ok(row["t"].as_str().unwrap().to_owned())
}

fn ok(format: &str, value: &str) -> String {
    read(format, value).unwrap_or_else(|e| panic!("{format} {value}: {e}"))
}

#[test]
fn issue_15_fraction() {
    assert_eq!(
        ok("%Y-%m-%dT%H:%M:%S.%fZ", r#""2024-01-01T01:02:03.123456Z""#),
        "2024-01-01 01:02:03.123456000"
    );
    assert_eq!(
        read("%Y-%m-%dT%H:%M:%S.%fZ", r#""2024-01-01T01:02:03.123456789Z""#),
        Err("record 1 (byte 0): field `t`: expected timestamp in format \
             `%Y-%m-%dT%H:%M:%S.%fZ`, found \
             `\"2024-01-01T01:02:03.123456789Z\"`"
            .to_owned())
    );
    assert_eq!(
        ok("%Y-%m-%d %H:%M:%S.%f000", r#""2021-01-01 10:11:12.123456000""#),
        "2021-01-01 10:11:12.123456000"
    );
    assert_eq!(
        ok("%Y%m%d%H%M%S.%f", r#""20130715233322.670""#),
        "2013-07-15 23:33:22.670000000"
    );
}

#[test]
fn panthers_test_values() {
    // Fluentd.WindowsEventlog.
    assert_eq!(
        ok("%Y-%m-%d %H:%M:%S %z", r#""2021-04-14 13:32:10 -0500""#),
        "2021-04-14 18:32:10.000000000"
    );
    // Lacework.AlertDetails.
    assert_eq!(
        ok("%a, %d %b %Y %H:%M:%S %z", r#""Thu, 22 Apr 2021 07:00:00 -0700""#),
        "2021-04-22 14:00:00.000000000"
    );
    // OneLogin.Events.
    assert_eq!(
        ok("layout=2006-01-02 15:04:05 MST", r#""2020-04-09 18:37:33 UTC""#),
        "2020-04-09 18:37:33.000000000"
    );
    // Microsoft365.
    assert_eq!(
        ok("layout=2006-01-02T15:04:05", r#""2021-02-24T10:27:19""#),
        "2021-02-24 10:27:19.000000000"
    );
    // Cloudflare.HttpRequest's HTTP dates.
    assert_eq!(
        ok(
            "layout=Mon, 02 Jan 2006 15:04:05 MST",
            r#""Fri, 21 Oct 2016 07:28:00 GMT""#
        ),
        "2016-10-21 07:28:00.000000000"
    );
    // Crowdstrike's `_time` layout.
    assert_eq!(
        ok("layout=01/02/2006 15:04:05.999", r#""05/24/2020 23:50:06.99""#),
        "2020-05-24 23:50:06.990000000"
    );
    // Cloudflare: seconds, nanoseconds and RFC 3339.
    assert_eq!(
        ok("cloudflare", "1600365601"),
        "2020-09-17 18:00:01.000000000"
    );
    assert_eq!(
        ok("cloudflare", "1600368586194526741"),
        "2020-09-17 18:49:46.194526741"
    );
    assert_eq!(
        ok("cloudflare", r#""2020-09-17T18:00:00Z""#),
        "2020-09-17 18:00:00.000000000"
    );
    // Apache and nginx.
    assert_eq!(
        ok("%d/%b/%Y:%H:%M:%S %z", r#""10/Oct/2000:13:55:36 -0700""#),
        "2000-10-10 20:55:36.000000000"
    );
    // The docs' regex example has no year: Panther reads 1900.
    assert_eq!(
        ok("%b %d %H:%M:%S", r#""Dec 18 01:02:03""#),
        "1900-12-18 01:02:03.000000000"
    );
}

#[test]
fn layout_errors_are_schema_errors() {
    assert_eq!(
        read("layout=15:04:05", r#""10:00:00""#),
        Err("t.yml:5:17: fields[0].timeFormat: time format \
             `layout=15:04:05`: no year in layout, expected `2006` or `06`"
            .to_owned())
    );
}

/// The `timeFormat` values of a schema's text: `timeFormat: X` and the
/// items of `timeFormats:` lists (block or flow), unquoted.
fn time_formats(text: &str, out: &mut BTreeSet<String>) {
    let unquote = |s: &str| {
        let s = s.trim();
        let s = s.split(" #").next().unwrap_or(s).trim();
        if s.len() >= 2
            && ((s.starts_with('\'') && s.ends_with('\''))
                || (s.starts_with('"') && s.ends_with('"')))
        {
            s[1..s.len() - 1].replace("''", "'")
        } else {
            s.to_owned()
        }
    };
    let mut list_indent = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(ind) = list_indent {
            if let Some(item) = trimmed.strip_prefix("- ")
                && indent >= ind
            {
                out.insert(unquote(item));
                continue;
            }
            list_indent = None;
        }
        if let Some(v) = trimmed.strip_prefix("timeFormat:") {
            out.insert(unquote(v));
        } else if let Some(v) = trimmed.strip_prefix("timeFormats:") {
            let v = v.trim();
            if let Some(inner) =
                v.strip_prefix('[').and_then(|v| v.strip_suffix(']'))
            {
                for item in inner.split(',') {
                    out.insert(unquote(item));
                }
            } else if v.is_empty() {
                list_indent = Some(indent);
            }
        }
    }
}

#[test]
fn realworld_time_formats_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realworld-schemas");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: no {}", dir.display());
        return;
    };
    let mut formats = BTreeSet::new();
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if name.ends_with(".yml") && !name.ends_with(".tests.yml") {
            time_formats(
                &std::fs::read_to_string(&path).unwrap(),
                &mut formats,
            );
        }
    }
    let mut failing = Vec::new();
    for format in &formats {
        // A value any format rejects: only load errors count here.
        if let Err(e) = read(format, r#""?""#)
            && !e.contains("expected timestamp in format")
        {
            failing.push(format!("{format}: {e}"));
        }
    }
    println!("{} distinct time formats: {formats:?}", formats.len());
    for must in [
        "%Y-%m-%d %H:%M:%S.%f",
        "layout=01/02/2006 15:04:05.999",
        "layout=2006-01-02 15:04:05 MST",
        "cloudflare",
        "unix_ms",
    ] {
        assert!(formats.contains(must), "{must} not found: {formats:?}");
    }
    // The one that does not load: `layout:` for `layout=`, in a
    // Terraform example.
    assert_eq!(
        failing,
        ["layout:2006-01-02 15:04:05.000: t.yml:5:17: fields[0].timeFormat: \
          unknown time format `layout:2006-01-02 15:04:05.000`, expected \
          `rfc3339`, `unix`, `unix_ms`, `unix_us`, `unix_ns`, `cloudflare`, \
          `layout=` and a Go layout, or a strftime pattern"]
    );
}
