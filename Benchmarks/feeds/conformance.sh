#!/usr/bin/env bash
# Conformance of `sift parse-feed` against feedparser's own test cases (wellformed/,
# illformed/, encoding/, entities/ of the feedparser 6.0.11 source distribution).
#
# The test files are downloaded into the git-ignored Benchmarks/.venv/ area on first use and
# never committed. Usage:
#   bash Benchmarks/feeds/conformance.sh [--verbose] [--only SUBSTRING] [--json FILE]
# Environment: SIFT=path/to/sift (default: build the sift product, CONFIGURATION=debug|release,
# default debug), PYTHON (default python3). Exit status 0 whatever the pass rate (a report).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="$repo/Benchmarks/.venv/feedparser-tests"
version="6.0.11"
tests="$cache/feedparser-$version/tests"
python="${PYTHON:-python3}"

if [ ! -d "$tests/wellformed" ]; then
    mkdir -p "$cache"
    echo "fetching the feedparser $version source distribution (test cases) into $cache" >&2
    if ! "$python" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        "feedparser==$version" -d "$cache" >&2; then
        echo "conformance: cannot download feedparser $version; skipping" >&2
        exit 0
    fi
    tar -xzf "$cache/feedparser-$version.tar.gz" -C "$cache"
fi

sift="${SIFT:-}"
if [ -z "$sift" ]; then
    configuration="${CONFIGURATION:-debug}"
    (cd "$repo" && swift build -c "$configuration" --product sift >&2)
    sift="$(cd "$repo" && swift build -c "$configuration" --show-bin-path)/sift"
fi

exec "$python" "$here/conformance.py" --sift "$sift" --tests "$tests" "$@"
