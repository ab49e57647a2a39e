#!/usr/bin/env python3
"""Times feedparser on one feed file; prints one JSON line for SiftBench to read.

usage: feedparser_peer.py FILE ITERATIONS
"""
import json
import sys
import time

import feedparser


def main() -> None:
    path, iterations = sys.argv[1], int(sys.argv[2])
    with open(path, "rb") as handle:
        data = handle.read()
    result = feedparser.parse(data)  # warm-up, and the entry count for the table
    start = time.perf_counter()
    for _ in range(iterations):
        result = feedparser.parse(data)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "seconds": seconds,
        "iterations": iterations,
        "entries": len(result.entries),
        "bozo": bool(result.bozo),
        "version": feedparser.__version__,
    }))


if __name__ == "__main__":
    main()
