#!/usr/bin/env python3
"""Fails when the tagging scores below its floors on the shared development set or the seeds.

Usage: floors.py BINARY SHARED_DIR. Runs SHARED_DIR/tools/score_extract.py (the scorer the tagging
is judged by) and compares its summary figures with FLOORS below.
"""
import re, subprocess, sys

# (set, figure) -> floor; figures as the scorer prints them: "<name> precision P recall R"
FLOORS = {
    # the goals of issue 12
    "press-dev": {"states": (0.95, 0.95), "core_entities": (0.85, 0.90), "core_relations": (0.85, 0.80),
                  "bodies": (None, 0.80), "projects": (None, 0.80)},
    # the seeds: no figure lower than when issue 12 was filed
    "seeds": {"states": (1.0, 1.0), "core_entities": (0.84, 0.97), "core_relations": (0.75, 0.93)},
}
SETS = {"press-dev": ("gold/press-dev.toml", "corpus/press-dev"), "seeds": ("gold/seeds.toml", "seeds")}


def main():
    binary, shared = sys.argv[1], sys.argv[2]
    failed = False
    for name, (gold, docs) in SETS.items():
        out = subprocess.run([sys.executable, f"{shared}/tools/score_extract.py", binary, f"{shared}/{gold}",
                              f"{shared}/{docs}"], capture_output=True, text=True, check=True).stdout
        print(out.strip().splitlines()[-1])
        for figure, (p_floor, r_floor) in FLOORS[name].items():
            m = re.search(rf"^{figure}\s+precision ([\d.]+) recall ([\d.]+)", out, re.M)
            if not m:
                print(f"  {name}: no figure {figure} in the scorer's output")
                failed = True
                continue
            p, r = float(m.group(1)), float(m.group(2))
            for what, value, floor in (("precision", p, p_floor), ("recall", r, r_floor)):
                if floor is not None and value + 1e-9 < floor:
                    print(f"  {name}: {figure} {what} {value:.2f} is below its floor {floor:.2f}")
                    failed = True
    sys.exit(1 if failed else 0)


main()
