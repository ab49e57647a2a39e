#!/usr/bin/env bash
# Installs the peer extractors (trafilatura, readability-lxml + html_text) into Benchmarks/.venv
# and runs them over the Scrapinghub pages: F1 on every page, throughput on a subset.
#
#   bash Benchmarks/extraction/peers.sh OUTPUT_DIR [THROUGHPUT_PAGES] [TIME_BOX_SECONDS]
#
# Prints one JSON object per peer on stdout; progress and pip noise go to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:?usage: peers.sh OUTPUT_DIR [THROUGHPUT_PAGES] [TIME_BOX_SECONDS]}"
SUBSET="${2:-40}"
BOX="${3:-600}"
EVAL="../shared/eval/extraction"
if [ ! -d "$EVAL/scrapinghub" ]; then
  echo "peers: $EVAL is absent; skipping" >&2
  exit 0
fi
VENV="Benchmarks/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2
fi
if ! "$VENV/bin/python" -c 'import trafilatura, readability, html_text' 2>/dev/null; then
  # pip older than 24 trips over lxml's html_clean extra; upgrade it first.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade 'pip>=24' >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    'trafilatura>=2,<3' 'readability-lxml>=0.8' html_text lxml_html_clean >&2
fi
mkdir -p "$OUT"
timeout "$BOX" "$VENV/bin/python" Benchmarks/extraction/peers.py "$EVAL" "$OUT" "$SUBSET"
