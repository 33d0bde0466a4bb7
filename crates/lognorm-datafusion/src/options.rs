//! The options of a `LOGNORM` table, as `CREATE EXTERNAL TABLE ...
//! OPTIONS (...)` gives them.

use std::collections::HashMap;

use datafusion::common::{DataFusionError, Result};
use lognorm::Timestamp;

/// The options of a lognorm table.
///
/// In SQL they are the `OPTIONS` of `CREATE EXTERNAL TABLE ... STORED AS
/// LOGNORM`, each key with or without DataFusion's `format.` prefix:
///
/// | key | value | default |
/// |---|---|---|
/// | `log_type` | the log type, like `Hex.Audit` | (required) |
/// | `failures` | `true`: the table holds the records that failed, not the events | `false` |
/// | `parse_time` | `p_parse_time`, RFC 3339 | the clock when a file is opened |
/// | `extension` | a folder's files read: those ending in `.<extension>` | files with an extension |
/// | `split_files` | `false`: one partition per file, never a byte range | `true` |
///
/// # Example
///
/// ```
/// use std::collections::HashMap;
/// use lognorm_datafusion::LognormOptions;
///
/// let options = HashMap::from([
///     ("format.log_type".to_string(), "Hex.Audit".to_string()),
///     ("format.failures".to_string(), "true".to_string()),
/// ]);
/// let options = LognormOptions::from_map(&options)?;
/// assert_eq!(options.log_type, "Hex.Audit");
/// assert!(options.failures);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LognormOptions {
    /// The log type of the files, like `Hex.Audit`.
    pub log_type: String,
    /// True for the table of the records that failed (its schema is
    /// [`failures_schema`](crate::failures_schema)), false for the events.
    pub failures: bool,
    /// `p_parse_time` of every event; `None` for the clock when a file
    /// (or a byte range of one) is opened.
    pub parse_time: Option<Timestamp>,
    /// The extension of the files read in a folder (without the dot);
    /// empty for every file whose name has one.
    pub extension: String,
    /// Whether a large file may be read by several partitions, each a
    /// byte range. Records must then never span lines (NDJSON, text
    /// lines); set it to false for pretty-printed JSON, JSON arrays or
    /// syslog octet-counted frames that hold line breaks. Csv log types
    /// are never split (their header row names every row's columns).
    pub split_files: bool,
}

impl LognormOptions {
    /// Options for the events of `log_type`, with the defaults.
    ///
    /// ```
    /// let options = lognorm_datafusion::LognormOptions::new("Hex.Audit");
    /// assert!(options.split_files && !options.failures);
    /// ```
    pub fn new(log_type: &str) -> LognormOptions {
        LognormOptions {
            log_type: log_type.to_string(),
            failures: false,
            parse_time: None,
            extension: String::new(),
            split_files: true,
        }
    }

    /// Reads the options of a `CREATE EXTERNAL TABLE` statement (keys
    /// with or without `format.`; keys of other namespaces are left to
    /// DataFusion).
    ///
    /// # Errors
    ///
    /// An unknown `format.` key, a value that does not parse, or no
    /// `log_type`.
    pub fn from_map(map: &HashMap<String, String>) -> Result<LognormOptions> {
        let mut options = LognormOptions::new("");
        for (key, value) in map {
            options.set(key, value)?;
        }
        if options.log_type.is_empty() {
            return Err(config_error(
                "expected the option `format.log_type` (like `'format.log_type' \
                 'Hex.Audit'`), found none"
                    .to_string(),
            ));
        }
        Ok(options)
    }

    /// Sets one option (its key with or without `format.`); keys with
    /// another namespace (`execution.`, ...) are ignored.
    ///
    /// # Errors
    ///
    /// As [`from_map`](LognormOptions::from_map).
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let key = key.to_ascii_lowercase();
        let name = match key.strip_prefix("format.") {
            Some(name) => name,
            None if key.contains('.') => return Ok(()),
            None => key.as_str(),
        };
        match name {
            "log_type" => self.log_type = value.to_string(),
            "failures" => self.failures = boolean(name, value)?,
            "split_files" => self.split_files = boolean(name, value)?,
            "extension" => {
                self.extension = value.trim_start_matches('.').to_string();
            }
            "parse_time" => {
                let t = value.parse::<Timestamp>().map_err(|e| {
                    config_error(format!(
                        "option `parse_time`: expected an RFC 3339 timestamp, \
                         found `{value}` ({e})"
                    ))
                })?;
                self.parse_time = Some(t);
            }
            _ => {
                return Err(config_error(format!(
                    "expected an option of a lognorm table (log_type, failures, \
                     parse_time, extension, split_files), found `{key}`"
                )));
            }
        }
        Ok(())
    }
}

/// A boolean option's value.
fn boolean(name: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(config_error(format!(
            "option `{name}`: expected `true` or `false`, found `{value}`"
        ))),
    }
}

/// A configuration error with `message`.
pub(crate) fn config_error(message: String) -> DataFusionError {
    DataFusionError::Configuration(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<LognormOptions> {
        let map = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        LognormOptions::from_map(&map)
    }

    #[test]
    fn every_option_parses_with_or_without_the_prefix() {
        let options = parse(&[
            ("format.log_type", "Wiz.Audit"),
            ("FAILURES", "TRUE"),
            ("format.parse_time", "2024-01-01T00:00:00Z"),
            ("format.extension", ".jsonl"),
            ("split_files", "false"),
            ("execution.batch_size", "7"),
        ])
        .unwrap();
        assert_eq!(
            options,
            LognormOptions {
                log_type: "Wiz.Audit".to_string(),
                failures: true,
                parse_time: Some("2024-01-01T00:00:00Z".parse().unwrap()),
                extension: "jsonl".to_string(),
                split_files: false,
            }
        );
    }

    #[test]
    fn bad_options_are_named() {
        let message =
            |pairs: &[(&str, &str)]| parse(pairs).unwrap_err().to_string();
        assert_eq!(
            message(&[]),
            "Invalid or Unsupported Configuration: expected the option \
             `format.log_type` (like `'format.log_type' 'Hex.Audit'`), found none"
        );
        assert_eq!(
            message(&[("log_type", "Hex.Audit"), ("format.logtype", "x")]),
            "Invalid or Unsupported Configuration: expected an option of a \
             lognorm table (log_type, failures, parse_time, extension, \
             split_files), found `format.logtype`"
        );
        assert_eq!(
            message(&[("log_type", "Hex.Audit"), ("failures", "yes")]),
            "Invalid or Unsupported Configuration: option `failures`: expected \
             `true` or `false`, found `yes`"
        );
        assert!(
            message(&[("log_type", "Hex.Audit"), ("parse_time", "noon")])
                .contains("option `parse_time`: expected an RFC 3339 timestamp, found `noon`")
        );
    }
}
