#!/usr/bin/env bash
# Installs the dedup benchmark's Python peers (datasketch, rensa) into Benchmarks/.venv.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check datasketch rensa numpy
