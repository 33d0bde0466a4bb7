#!/usr/bin/env bash
# Whole-process timing of `lognorm normalize` with 1 and 2 threads on
# ~100 MB of Databricks.Audit (issue 20 item 4: 2 threads >= 1.8x one).
#
#   crates/lognorm-cli/benches/threads.sh            # /usr/bin/time -v
#   TIMER='some-timer --' crates/lognorm-cli/benches/threads.sh
#
# TIMER is the command each run is prefixed with (default `/usr/bin/time
# -v`, which prints wall and CPU time and peak memory); give a tool that
# repeats runs and reports medians for numbers worth quoting. The input
# is built once under target/bench-data/ from the golden Databricks.Audit
# samples (corpus, realistic: whole records, repeated) and the rows go to
# /dev/null. Do not run it on a machine others are building on: the
# figures would say more about them than about lognorm.
set -euo pipefail
cd "$(dirname "$0")/../../.."

MB=${MB:-100}
TIMER=${TIMER:-/usr/bin/time -v}
data=target/bench-data/databricks-${MB}mb.jsonl

cargo build --release -p lognorm-cli
bin=target/release/lognorm

if [[ ! -s $data ]]; then
    mkdir -p "$(dirname "$data")"
    unit=$(mktemp)
    cat testdata/logs/Databricks.Audit/corpus.jsonl \
        testdata/logs/Databricks.Audit/realistic.jsonl >"$unit"
    size=$(stat -c %s "$unit")
    repeats=$(( MB * 1000 * 1000 / size + 1 ))
    # Doubling: log2(repeats) appends, not `repeats` of them.
    cp "$unit" "$data.tmp"
    have=1
    while (( have * 2 <= repeats )); do
        cat "$data.tmp" "$data.tmp" >"$data.tmp2" && mv "$data.tmp2" "$data.tmp"
        have=$(( have * 2 ))
    done
    while (( have < repeats )); do
        cat "$unit" >>"$data.tmp"
        have=$(( have + 1 ))
    done
    mv "$data.tmp" "$data"
    rm -f "$unit"
fi
echo "input: $data, $(stat -c %s "$data") bytes, $(wc -l <"$data") records"

run() {
    local threads=$1
    echo "== lognorm normalize --threads $threads"
    # Exit status 1 is expected: the corpus holds records that fail (its
    # dead letters are part of the work).
    local status=0
    # shellcheck disable=SC2086  # TIMER is words.
    $TIMER "$bin" normalize --log-type Databricks.Audit \
        --parse-time 2024-01-01T00:00:00Z --threads "$threads" \
        -o /dev/null --errors /dev/null "$data" || status=$?
    if (( status > 1 )); then
        echo "lognorm normalize --threads $threads: exit status $status" >&2
        exit 1
    fi
}
run 1
run 2

# The output must not depend on the thread count.
if ! cmp -s <("$bin" normalize --log-type Databricks.Audit \
        --parse-time 2024-01-01T00:00:00Z --threads 1 "$data" 2>/dev/null) \
    <("$bin" normalize --log-type Databricks.Audit \
        --parse-time 2024-01-01T00:00:00Z --threads 2 "$data" 2>/dev/null); then
    echo "the rows of 1 and 2 threads differ" >&2
    exit 1
fi
echo "rows of 1 and 2 threads: identical"
