#!/usr/bin/env python3
"""Peers of SiftBench's dedup benchmark: datasketch and rensa on the same inputs.

Usage: peers.py DOCS_JSONL NEARDUP_DIR INDEX_DOCS [LARGE_INDEX_DOCS]
  DOCS_JSONL        the 500-word documents SiftBench wrote ({"id", "text"} per line)
  NEARDUP_DIR       the neardup dev corpus directory, or "-" to skip the quality run
  INDEX_DOCS        synthetic signatures for the index runs of both peers
  LARGE_INDEX_DOCS  synthetic signatures for a second rensa index run at SiftBench's index
                    size (0 or absent: skipped; datasketch would take hours there)

Rates are per CPU second (time.process_time), like SiftBench's. Prints one JSON object:
docs/s from text (whitespace words, word 3-shingles, 128 permutations),
index insert+query ops/s, and pairwise F1 of a datasketch LSH pipeline on the dev corpus.
"""
import json
import random
import sys
import time

import numpy as np
from datasketch import MinHash, MinHashLSH
import rensa

PERMUTATIONS = 128


def shingles(text, k=3):
    words = text.split()
    return [" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))]


def timed(function, items, minimum_seconds=1.0):
    rounds, start = 0, time.process_time()
    while True:
        for item in items:
            function(item)
        rounds += 1
        elapsed = time.process_time() - start
        if elapsed >= minimum_seconds:
            return rounds * len(items) / elapsed


def datasketch_signature(text):
    m = MinHash(num_perm=PERMUTATIONS, seed=1)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


def rensa_signature(text):
    m = rensa.RMinHash(num_perm=PERMUTATIONS, seed=1)
    m.update(shingles(text))
    return m


def rensa_index_rate(count):
    rlsh = rensa.RMinHashLSH(threshold=0.5, num_perm=PERMUTATIONS, num_bands=16)
    rsigs = []
    for number in range(count):
        m = rensa.RMinHash(num_perm=PERMUTATIONS, seed=1)
        m.update([str(random.Random(number * 4 + k).random()) for k in range(4)])
        rsigs.append(m)
    start = time.process_time()
    for number, signature in enumerate(rsigs):
        rlsh.query(signature)
        rlsh.insert(number, signature)
    return count / (time.process_time() - start)


def index_rate(count):
    rng = np.random.default_rng(0)
    lsh = MinHashLSH(threshold=0.5, num_perm=PERMUTATIONS)
    signatures = [MinHash(num_perm=PERMUTATIONS, scheme="legacy",
                          hashvalues=rng.integers(0, 2**32, PERMUTATIONS, dtype=np.uint64))
                  for _ in range(count)]
    start = time.process_time()
    for number, signature in enumerate(signatures):
        lsh.query(signature)
        lsh.insert(str(number), signature)
    datasketch_ops = count / (time.process_time() - start)
    rensa_ops = rensa_index_rate(count)
    return datasketch_ops, rensa_ops


def pairwise_f1(truth, predicted):
    def pairs(clusters):
        result = set()
        for cluster in clusters:
            members = sorted(cluster)
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    result.add((members[i], members[j]))
        return result
    true_pairs, predicted_pairs = pairs(truth), pairs(predicted)
    correct = len(true_pairs & predicted_pairs)
    precision = correct / len(predicted_pairs) if predicted_pairs else 1.0
    recall = correct / len(true_pairs) if true_pairs else 1.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def quality(directory, threshold=0.5):
    documents = [json.loads(line) for line in open(f"{directory}/docs.jsonl", encoding="utf-8")]
    truth = json.load(open(f"{directory}/clusters.json", encoding="utf-8"))
    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    signatures, cluster_of, clusters = {}, {}, {}
    for document in documents:
        signature = datasketch_signature(document["text"])
        best, best_similarity = None, threshold
        for candidate in lsh.query(signature):
            similarity = signature.jaccard(signatures[candidate])
            if similarity >= best_similarity:
                best, best_similarity = candidate, similarity
        cluster = cluster_of[best] if best is not None else document["id"]
        cluster_of[document["id"]] = cluster
        clusters.setdefault(cluster, []).append(document["id"])
        signatures[document["id"]] = signature
        lsh.insert(document["id"], signature)
    return pairwise_f1(truth, list(clusters.values()))


def main():
    documents = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
    result = {
        "datasketch_docs_per_second": timed(datasketch_signature, documents),
        "rensa_docs_per_second": timed(rensa_signature, documents),
    }
    datasketch_ops, rensa_ops = index_rate(int(sys.argv[3]))
    result["datasketch_index_ops_per_second"] = datasketch_ops
    result["rensa_index_ops_per_second"] = rensa_ops
    result["index_docs"] = int(sys.argv[3])
    large = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    if large > 0:
        result["rensa_large_index_ops_per_second"] = rensa_index_rate(large)
        result["large_index_docs"] = large
    if sys.argv[2] != "-":
        result["datasketch_f1"] = quality(sys.argv[2])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
