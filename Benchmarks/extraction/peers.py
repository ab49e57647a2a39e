"""Runs the peer extractors on the yardstick pages; prints one JSON line per peer.

F1/P/R come from the yardstick's own score.py over all pages; throughput is pages per CPU-second
(time.process_time, HTML already decompressed and decoded) over the first N pages, best of two.
"""
import gzip
import json
import os
import subprocess
import sys
import time


def load(eval_dir):
    html_dir = os.path.join(eval_dir, "scrapinghub", "html")
    pages = []
    for name in sorted(os.listdir(html_dir)):
        if name.endswith(".html.gz"):
            with gzip.open(os.path.join(html_dir, name), "rb") as f:
                pages.append((name[: -len(".html.gz")], f.read().decode("utf-8", errors="replace")))
    return pages


def peers():
    import html_text
    import readability
    import trafilatura

    def run_trafilatura(html):
        return trafilatura.extract(html, include_comments=False) or ""

    def run_readability(html):
        return html_text.extract_text(readability.Document(html).summary(html_partial=True))

    return [("trafilatura", trafilatura.__version__, run_trafilatura),
            ("readability-lxml", getattr(readability, "__version__", "?"), run_readability)]


def main():
    eval_dir, out_dir, subset = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pages = load(eval_dir)
    truth = os.path.join(eval_dir, "scrapinghub", "ground-truth.json")
    for name, version, run in peers():
        pred_dir = os.path.join(out_dir, name)
        os.makedirs(pred_dir, exist_ok=True)
        empty = 0
        for page_id, html in pages:
            try:
                text = run(html)
            except Exception:  # a peer failing on a page counts as an empty prediction
                text = ""
            empty += 0 if text.strip() else 1
            with open(os.path.join(pred_dir, page_id + ".txt"), "w", encoding="utf-8") as f:
                f.write(text)
        best = None
        for _ in range(2):
            start = time.process_time()
            for _, html in pages[:subset]:
                try:
                    run(html)
                except Exception:
                    pass
            elapsed = time.process_time() - start
            best = elapsed if best is None else min(best, elapsed)
        summary = os.path.join(out_dir, name + ".json")
        subprocess.run([sys.executable, os.path.join(eval_dir, "score.py"), truth, pred_dir,
                        "--n-bootstrap", "200", "--json", summary],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(summary) as f:
            scores = json.load(f)
        print(json.dumps({"name": name, "version": version, "scores": scores, "empty": empty,
                          "pages_per_cpu_s": min(subset, len(pages)) / best if best else None,
                          "throughput_pages": min(subset, len(pages))}), flush=True)


if __name__ == "__main__":
    main()
