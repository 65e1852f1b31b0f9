#!/usr/bin/env python3
"""Run toml-decoder over the toml-test suite (TOML 1.0 files) and compare.

Valid files must decode to JSON equal to the expected .json (scalars compared
by type and value: floats numerically, date-times as instants or local
values), invalid files must be rejected. Prints the pass counts and exits 1
unless every file passes.
"""
import json, math, os, subprocess, sys, datetime

decoder = sys.argv[1]
suite = os.path.join(os.environ.get("IGZ_SHARED_DIR", "../shared"), "conformance/toml-test/tests")
listing = os.path.join(suite, "files-toml-1.0.0")
files = [l.strip() for l in open(listing) if l.strip() and not l.startswith("#")]


def norm_dt(kind, v):
    v = v.replace(" ", "T").replace("t", "T").replace("z", "Z")
    if kind == "datetime":
        s = v.replace("Z", "+00:00")
        # python wants at most 6 fraction digits
        if "." in s:
            head, rest = s.split(".", 1)
            i = 0
            while i < len(rest) and rest[i].isdigit():
                i += 1
            frac, tz = rest[:i], rest[i:]
            s = head + "." + (frac + "000000")[:6] + tz
        return datetime.datetime.fromisoformat(s)
    if "." in v:
        head, frac = v.split(".", 1)
        v = head + "." + (frac + "000000")[:6]
    if kind == "datetime-local":
        return datetime.datetime.fromisoformat(v)
    if kind == "date-local":
        return datetime.date.fromisoformat(v)
    return datetime.time.fromisoformat(v)


def same(a, b):
    if isinstance(b, dict) and set(b.keys()) == {"type", "value"} and isinstance(b["value"], str):
        if not (isinstance(a, dict) and set(a.keys()) == {"type", "value"}):
            return False
        if a["type"] != b["type"]:
            return False
        t = b["type"]
        if t == "float":
            x, y = float(a["value"]), float(b["value"])
            return (math.isnan(x) and math.isnan(y)) or x == y
        if t == "integer":
            return int(a["value"]) == int(b["value"])
        if t in ("datetime", "datetime-local", "date-local", "time-local"):
            try:
                return norm_dt(t, a["value"]) == norm_dt(t, b["value"])
            except ValueError:
                return False
        return a["value"] == b["value"]
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in b)
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


counts = {"valid": [0, 0], "invalid": [0, 0]}
failures = []
for f in files:
    if not f.endswith(".toml"):
        continue
    kind = f.split("/")[0]
    if kind not in counts:
        continue
    path = os.path.join(suite, f)
    with open(path, "rb") as fh:
        data = fh.read()
    r = subprocess.run([decoder], input=data, capture_output=True, timeout=20)
    counts[kind][1] += 1
    if kind == "valid":
        ok = False
        if r.returncode == 0:
            expected = json.load(open(path[:-5] + ".json"))
            try:
                ok = same(json.loads(r.stdout), expected)
            except ValueError:
                ok = False
        if ok:
            counts[kind][0] += 1
        else:
            failures.append("%s: %s" % (f, r.stderr.decode(errors="replace").strip() or "different result"))
    else:
        if r.returncode == 1:
            counts[kind][0] += 1
        else:
            failures.append("%s: accepted (exit %d)" % (f, r.returncode))

for line in failures:
    print("FAIL", line)
print("toml-test: valid: %d/%d, invalid: %d/%d" % (counts["valid"][0], counts["valid"][1],
                                                   counts["invalid"][0], counts["invalid"][1]))
total_ok = counts["valid"][0] + counts["invalid"][0]
total = counts["valid"][1] + counts["invalid"][1]
print("%d passed, %d failed" % (total_ok, total - total_ok))
sys.exit(0 if total_ok == total and total > 0 else 1)
