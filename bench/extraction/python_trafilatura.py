"""Times Python trafilatura on the article-extraction benchmark, in one process, and writes its
predictions for the Rust scorer (`--score trafilatura-python=FILE`).

    pip install trafilatura lxml_html_clean
    python3 bench/extraction/python_trafilatura.py BENCH_DIR OUT.json
"""
import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura


def main():
    bench, out = Path(sys.argv[1]), Path(sys.argv[2])
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)
    pages = []
    for k in keys:
        raw = gzip.decompress((bench / "html" / f"{k}.html.gz").read_bytes())
        pages.append((k, raw.decode("utf-8", errors="replace")))
    for _, html in pages[:5]:
        trafilatura.extract(html)
    passes = []
    for _ in range(5):  # five timed passes; the median pass counts
        start = time.perf_counter()
        preds = {k: {"articleBody": trafilatura.extract(html) or ""} for k, html in pages}
        passes.append(time.perf_counter() - start)
    secs = sorted(passes)[len(passes) // 2]
    out.write_text(json.dumps(preds), encoding="utf-8")
    print(f"trafilatura (Python) {trafilatura.__version__}: {len(pages) / secs:.0f} pages/s, "
          f"{secs * 1000 / len(pages):.2f} ms/page over {len(pages)} pages (median of five passes)")


if __name__ == "__main__":
    main()
