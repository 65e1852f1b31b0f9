#!/usr/bin/env python3
"""check_runs.py LAKE RUNS_DIR: every (run, seq) that in_gen reported stored (RUNS_DIR/stored.RUN)
must be in the lake's JSON lines files. Prints 'missing M duplicates D stored S' and exits 1 when
anything is missing or a line is torn."""
import glob, json, os, sys

lake, runs = sys.argv[1], sys.argv[2]
seen = {}
torn = 0
for f in glob.glob(os.path.join(lake, "*.jsonl")):
    for line in open(f, encoding="utf-8"):
        try:
            r = json.loads(line)
        except ValueError:
            torn += 1
            continue
        key = (r["run"], r["seq"])
        seen[key] = seen.get(key, 0) + 1
stored = set()
for f in glob.glob(os.path.join(runs, "stored.*")):
    run = f.rsplit(".", 1)[1]
    for line in open(f):
        a, b = map(int, line.split())
        for s in range(a, b + 1):
            stored.add((run, s))
missing = [k for k in stored if k not in seen]
dups = sum(n - 1 for n in seen.values())
print("missing %d duplicates %d stored %d torn %d" % (len(missing), dups, len(stored), torn))
sys.exit(1 if missing or torn or not stored else 0)
