#!/usr/bin/env bash
# Instructions per record of every shipped log type (see icount.rs).
# Usage: crates/lognorm/benches/icount.sh [LogType...]
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$(cargo bench --no-run --bench icount 2>&1 \
    | sed -n 's/.*(\(.*icount-[0-9a-f]*\))$/\1/p' | tail -1)
types=("$@")
[ ${#types[@]} -gt 0 ] || types=(Databricks.Audit Hex.Audit OpenAI.Audit \
    Wiz.Audit Wiz.Issues Wiz.VulnerabilityFinding Heroku.Runtime \
    Bench.Apache regex_captures Bench.Export csv_byte_records csv_serde_rows)
out=$(mktemp -d)
for t in "${types[@]}"; do
    records=$(valgrind --tool=callgrind --toggle-collect='icount::measured*' \
        --callgrind-out-file="$out/cg.$t" "$bin" "$t" 2>/dev/null \
        | sed -n 's/.* records=\([0-9]*\) .*/\1/p')
    ir=$(callgrind_annotate "$out/cg.$t" 2>/dev/null \
        | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
    printf '%-26s %8d records %10.1f instructions/record\n' \
        "$t" "$records" "$(echo "$ir / $records" | bc -l)"
done
