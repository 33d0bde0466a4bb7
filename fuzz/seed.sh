#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from testdata/ (the corpus directories are
# not committed; libFuzzer adds what it finds to them). Run from anywhere;
# existing corpus files are kept.
set -euo pipefail
cd "$(dirname "$0")"
td=../testdata
c=corpus
mkdir -p "$c"/{schema_yaml,fastmatch_compile,fastmatch_match,split_payload,normalize_json,normalize_text,time_parse,classify,arrow_decode}

# Writes stdin to $1/<sha1 of the content>.
put() {
    local dir=$1 tmp
    tmp=$(mktemp)
    cat >"$tmp"
    mv "$tmp" "$dir/$(sha1sum <"$tmp" | cut -c1-40)"
}

# Schemas: the shipped ones and the invalid cases.
for f in ../crates/lognorm/schemas/*.yml "$td"/schemas-invalid/*.yml; do
    put "$c/schema_yaml" <"$f"
done

# Real Panther-format schemas and pantherlog test files, when the shared
# data sits beside the checkout (public data kept out of the repository:
# see its SOURCES.md). They reach far more of the YAML reader and the
# schema compiler than the shipped schemas alone.
rw=../../shared/realworld-schemas
if [ -d "$rw" ]; then
    for f in "$rw"/*.yml; do
        put "$c/schema_yaml" <"$f"
    done
else
    echo "note: $rw not found; schema_yaml seeded from testdata/ only" >&2
fi

# Patterns: the Heroku one and a few shapes (prefix, quotes, open end,
# errors); the last seed is a parser config (one pattern per line,
# `name=template` lines for expandFields).
while IFS= read -r p; do
    printf '%s' "$p" | put "$c/fastmatch_compile"
done <<'PATTERNS'
%{message_len} <%{priority}>%{version} %{timestamp} %{host_name} %{app_name} %{process_id} %{message_id} %{message}
%{ip} - [%{time}] "%{request}" %{status}
LOG %{level}: %{msg}
<'%{a}' %{b}|%{}|%{ c }
%{a}%{b}
%{a
%{a b}
no placeholder
PATTERNS
printf '%%{a}:%%{b}\n%%{a} %%{b}\naddr=%%{a}:%%{b}\nx=%%{}' | put "$c/fastmatch_compile"

# Payloads: every sample log, whole and record by record.
for f in "$td"/logs/*/*; do
    case $f in *.expected.jsonl) continue ;; esac
    put "$c/split_payload" <"$f"
done

i=0
for t in Databricks.Audit Hex.Audit OpenAI.Audit Wiz.Audit Wiz.Issues Wiz.VulnerabilityFinding; do
    for f in "$td"/logs/"$t"/*.json "$td"/logs/"$t"/*.jsonl; do
        [ -e "$f" ] || continue
        { printf '%s' "$i"; cat "$f"; } | put "$c/normalize_json"
        case $f in *.jsonl)
            while IFS= read -r line; do
                printf '%s%s' "$i" "$line" | put "$c/normalize_json"
            done <"$f" ;;
        esac
    done
    i=$((i + 1))
done

# Classification: every sample log under all seven types, best fit and
# first success.
for f in "$td"/logs/*/*; do
    case $f in *.expected.jsonl) continue ;; esac
    { printf '\0\0'; cat "$f"; } | put "$c/classify"
    { printf '\0\1'; cat "$f"; } | put "$c/classify"
done

# Arrow batches: every sample log as its own type (the index in the
# classify order), in batches of 1 and of 3 events.
i=0
for t in Databricks.Audit Heroku.Runtime Hex.Audit OpenAI.Audit Wiz.Audit Wiz.Issues Wiz.VulnerabilityFinding; do
    for f in "$td"/logs/"$t"/*; do
        case $f in *.expected.jsonl) continue ;; esac
        { printf "\\$(printf '%03o' "$i")"; cat "$f"; } | put "$c/arrow_decode"
        { printf "\\$(printf '%03o' $((i + 16)))"; cat "$f"; } | put "$c/arrow_decode"
    done
    i=$((i + 1))
done

for f in "$td"/logs/Heroku.Runtime/*.log; do
    put "$c/normalize_text" <"$f"
    while IFS= read -r line; do
        printf '%s' "$line" | put "$c/normalize_text"
    done <"$f"
done

# Timestamps in every format the time_parse schemas use.
while IFS= read -r t; do
    printf '%s' "$t" | put "$c/time_parse"
done <<'TIMES'
2024-05-01T12:20:00.010911+00:00
2023-12-18T00:00:00.5+01:00
2024-02-29 13:30:00+0130
2024-02-29t12:00:00z
1714564800
1714564800.123
-1.5
1714564800123
1714564800123456
1714564800123456789
2023-12-18 01:02:03
10/Oct/2000:13:55:36 -0700
2023-12-18T01:02:03.25+05:30
1e3
TIMES
printf '' | put "$c/time_parse"
for d in "$c"/*; do printf '%-20s %s files\n' "${d#"$c"/}" "$(ls "$d" | wc -l)"; done
