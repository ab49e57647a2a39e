#!/usr/bin/env bash
# Runs every benchmark in one go; each prints its figures and, where Python peers can be installed
# into the git-ignored Benchmarks/.venv, the peers' figures from the same run. Then the feed-parser
# conformance report against feedparser's own test cases.
#   bash Benchmarks/run.sh            # everything
#   bash Benchmarks/run.sh dedup      # one benchmark: fetch, feeds, extract, dedup, pipeline
set -euo pipefail
cd "$(dirname "$0")/.."
for setup in Benchmarks/*/setup.sh; do
    bash "$setup" || echo "note: $setup failed; benchmarks that need its peers will skip them"
done
swift build -c release --product SiftBench
swift build -c release --product sift
BIN="$(swift build -c release --show-bin-path)"
"$BIN/SiftBench" "${@:-all}"
if [ $# -eq 0 ]; then
    echo
    echo "== feed parser conformance (feedparser 6.0.11 test cases) =="
    SIFT="$BIN/sift" bash Benchmarks/feeds/conformance.sh
fi
