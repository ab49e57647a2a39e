#!/usr/bin/env bash
# Runs every benchmark; each prints its figures and the peers' in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product SiftBench
BIN="$(swift build -c release --show-bin-path)/SiftBench"
"$BIN" all
