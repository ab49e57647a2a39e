#!/usr/bin/env bash
# Runs every benchmark in one go; each prints its figures and, where Python peers can be installed
# into the git-ignored Benchmarks/.venv, the peers' figures from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
for setup in Benchmarks/*/setup.sh; do
    bash "$setup" || echo "note: $setup failed; benchmarks that need its peers will skip them"
done
swift build -c release --product SiftBench
BIN="$(swift build -c release --show-bin-path)/SiftBench"
"$BIN" "${@:-all}"
