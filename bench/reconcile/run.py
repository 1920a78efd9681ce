#!/usr/bin/env python3
"""Times /reconcile as OpenRefine calls it: the 200-name column of tests/fixtures/reconcile/
municipalities.csv, in batches of 10 (OpenRefine's default), type municipality, the Land as the
`state` property; three rounds, one client. Prints p50/p95 per batch and per name.

Usage: python3 bench/reconcile/run.py http://127.0.0.1:8080   (a server on a bootstrapped database)
"""
import csv
import json
import statistics
import sys
import time
import urllib.parse
import urllib.request

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
rows = list(csv.reader(open("tests/fixtures/reconcile/municipalities.csv", encoding="utf-8")))[1:]
times = []
for _ in range(3):
    for i in range(0, len(rows), 10):
        batch = {}
        for j, (name, state, _ags, _case) in enumerate(rows[i:i + 10]):
            q = {"query": name, "type": "municipality", "limit": 3}
            if state:
                q["properties"] = [{"pid": "state", "v": state}]
            batch[f"q{j}"] = q
        body = urllib.parse.urlencode({"queries": json.dumps(batch)}).encode()
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/reconcile", body) as r:
            r.read()
        times.append(time.perf_counter() - started)
times.sort()
p50, p95 = statistics.median(times), times[int(len(times) * 0.95)]
print(f"{len(times)} batches of 10: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms per batch "
      f"({p50 * 100:.1f} ms per name at p50)")
