//! The repository's documents link only to what exists: every relative
//! link of the README and the other Markdown documents names a file or
//! folder of the repository, and every `#anchor` a heading of the
//! document it points into (GitHub's heading anchors).

use std::path::{Path, PathBuf};

/// The repository root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The documents checked, from the root.
const DOCS: [&str; 6] = [
    "README.md",
    "docs/SPEC.md",
    "docs/ARCHITECTURE.md",
    "testdata/README.md",
    "fuzz/README.md",
    "crates/lognorm/benches/README.md",
];

/// The targets of the Markdown links `[text](target)` of `text`, outside
/// code blocks.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    out
}

/// GitHub's anchor of a heading: lowercase, spaces to `-`, and only
/// letters, digits, `-` and `_` kept.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn every_relative_link_resolves() {
    let root = root();
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in DOCS {
        let path = root.join(doc);
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = path.parent().unwrap();
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            checked += 1;
            let (file, frag) = link.split_once('#').unwrap_or((&link, ""));
            let target =
                if file.is_empty() { path.clone() } else { dir.join(file) };
            if !target.exists() {
                broken.push(format!("{doc}: `{link}`: no such file"));
                continue;
            }
            if !frag.is_empty()
                && target.extension().is_some_and(|e| e == "md")
            {
                let body = std::fs::read_to_string(&target).unwrap();
                if !anchors(&body).iter().any(|a| a == frag) {
                    broken.push(format!("{doc}: `{link}`: no such heading"));
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} links found");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn anchors_follow_github() {
    assert_eq!(anchor(" 4. Timestamps"), "4-timestamps");
    assert_eq!(anchor(" The `lognorm` command"), "the-lognorm-command");
    assert_eq!(
        anchor(" Untrusted input: guarantees, limits and hostile cases"),
        "untrusted-input-guarantees-limits-and-hostile-cases"
    );
}
