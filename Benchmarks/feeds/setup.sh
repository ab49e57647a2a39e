#!/usr/bin/env bash
# Installs the feed benchmark's Python peer (feedparser) into Benchmarks/.venv.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check "feedparser==6.0.*"
