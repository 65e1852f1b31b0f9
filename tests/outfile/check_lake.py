#!/usr/bin/env python3
"""check_lake.py - checks what out_file left in a folder.

Prints one line: "ok files=F lines=L ..." when every check passed, or
"bad: REASON; REASON ..." otherwise. Checks, always: no temporary file left
(unless --tmp-ok), every *.jsonl file ends with a newline, every line is a JSON
object, file names are TAG.YYYYMMDDTHHMMSS.mmmZ.N.jsonl (or a recovered name).
On request: every "seq" 0..N-1 exactly once (per value of --group-by), or the
seqs form a prefix 0..K-1 (--prefix), file sizes, file counts.
"""
import argparse
import collections
import json
import os
import re
import sys

NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*\.\d{8}T\d{6}\.\d{3}Z\.\d+(\.recovered\.\d+)?\.jsonl$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--count", type=int, help="every seq 0..N-1 exactly once")
    ap.add_argument("--prefix", action="store_true", help="seqs are 0..K-1, each once, K > 0")
    ap.add_argument("--group-by", help="field whose values each count their own seqs")
    ap.add_argument("--groups", type=int, help="how many distinct values --group-by has")
    ap.add_argument("--max-size", type=int, help="no file larger than this many bytes")
    ap.add_argument("--min-files", type=int, default=1)
    ap.add_argument("--max-files", type=int)
    ap.add_argument("--one-line-per-file", action="store_true")
    ap.add_argument("--time-key", default="time", help="field with an RFC 3339 time ('' for none)")
    ap.add_argument("--tmp-ok", action="store_true", help="temporary files may be left")
    a = ap.parse_args()

    bad = []
    names = sorted(os.listdir(a.dir))
    tmp = [n for n in names if n.startswith(".") and n.endswith(".tmp")]
    files = [n for n in names if n.endswith(".jsonl") and not n.startswith(".")]
    if tmp and not a.tmp_ok:
        bad.append("temporary files left: %s" % tmp[:3])
    if len(files) < a.min_files:
        bad.append("%d files, expected at least %d" % (len(files), a.min_files))
    if a.max_files is not None and len(files) > a.max_files:
        bad.append("%d files, expected at most %d" % (len(files), a.max_files))
    seqs = collections.defaultdict(list)
    lines = 0
    max_size = 0
    for n in files:
        if not NAME.match(n):
            bad.append("unexpected file name %r" % n)
        path = os.path.join(a.dir, n)
        data = open(path, "rb").read()
        max_size = max(max_size, len(data))
        if a.max_size is not None and len(data) > a.max_size:
            bad.append("%s is %d bytes, more than %d" % (n, len(data), a.max_size))
        if data and not data.endswith(b"\n"):
            bad.append("%s does not end with a newline" % n)
        file_lines = data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n")
        if a.one_line_per_file and len(file_lines) != 1:
            bad.append("%s has %d lines" % (n, len(file_lines)))
        for i, line in enumerate(file_lines):
            lines += 1
            try:
                r = json.loads(line.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                bad.append("%s:%d is not JSON (%s): %r" % (n, i + 1, e, line[:80]))
                continue
            if not isinstance(r, dict):
                bad.append("%s:%d is not an object" % (n, i + 1))
                continue
            if a.time_key and not TIME.match(str(r.get(a.time_key, ""))):
                bad.append("%s:%d has no RFC 3339 time: %r" % (n, i + 1, r.get(a.time_key)))
            if "seq" in r:
                seqs[r.get(a.group_by) if a.group_by else None].append(r["seq"])
    if a.groups is not None and len(seqs) != a.groups:
        bad.append("%d groups %s, expected %d" % (len(seqs), sorted(map(str, seqs)), a.groups))
    missing = dups = 0
    for g, s in seqs.items():
        c = collections.Counter(s)
        dups += sum(v - 1 for v in c.values())
        n = a.count if a.count is not None else (max(s) + 1 if a.prefix else None)
        if n is not None:
            missing += sum(1 for i in range(n) if i not in c)
            extra = [x for x in c if not (isinstance(x, int) and 0 <= x < n)]
            if extra:
                bad.append("group %r: seqs out of range %s" % (g, extra[:5]))
    if (a.count is not None or a.prefix) and not seqs:
        bad.append("no record at all")
    if missing:
        bad.append("%d seqs missing" % missing)
    if dups:
        bad.append("%d seqs twice or more" % dups)
    if len(bad) > 8:
        bad = bad[:8] + ["and %d more" % (len(bad) - 8)]
    if bad:
        print("bad: " + "; ".join(bad))
        return 1
    print("ok files=%d lines=%d max_size=%d" % (len(files), lines, max_size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
