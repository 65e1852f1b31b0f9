# test_out_file.sh - out_file writes JSON lines atomically, rolls files by size, recovers files
# left incomplete by a crash, and reports I/O errors; out_stdout writes the same lines.
. "$IGZ_TEST_LIB"

N=30000
lake="$T/lake"
cat >"$T/file.toml" <<TOML
[service]
flush_interval = "50ms"
exit_when_done = true

[[inputs.gen]]
tag = "events.click"
count = $N
fields = { event_type = "click", nested = { a = [1, 2.5, true] }, text = "caf\u00e9 \"q\"" }

[[outputs.file]]
path = "$lake"
roll_size = "256KiB"
tag_key = "tag"
TOML
run_iguazu 60 run -c "$T/file.toml"
expect_eq "out_file: exit 0" 0 "$RC"
files=$(ls "$lake"/*.jsonl | wc -l)
if [ "$files" -ge 5 ]; then pass "out_file: rolled by size into $files files"; else fail "out_file: only $files files"; fi
expect_eq "out_file: no temporary file left" 0 "$(find "$lake" -name '.*.tmp' | wc -l)"
python3 - "$lake" "$N" >"$T/check" 2>&1 <<'PY'
import glob, json, sys
seqs = []
for f in sorted(glob.glob(sys.argv[1] + "/*.jsonl")):
    for line in open(f, encoding="utf-8"):
        r = json.loads(line)
        assert r["event_type"] == "click" and r["tag"] == "events.click", r
        assert r["nested"] == {"a": [1, 2.5, True]}, r
        assert r["text"] == "caf\u00e9 \"q\"", r
        assert r["time"].endswith("Z") and len(r["time"]) == 30, r["time"]
        seqs.append(r["seq"])
n = int(sys.argv[2])
print("records", len(seqs), "distinct", len(set(seqs)), "complete", sorted(set(seqs)) == list(range(n)))
PY
expect_eq "out_file: every line valid JSON, every record once" "records $N distinct $N complete True" "$(cat "$T/check")"
for f in "$lake"/*.jsonl; do
    size=$(stat -c %s "$f")
    [ "$size" -le $((256 * 1024)) ] || fail "file $f is $size bytes"
done

# recovery: a temporary file left by a crash, with a torn last line
rm -rf "$lake"
mkdir -p "$lake"
printf '{"seq":1}\n{"seq":2}\n{"se' >"$lake/.events.20200101T000000.000Z.0.jsonl.tmp"
printf '{"seq":' >"$lake/.events.20200101T000001.000Z.0.jsonl.tmp"
sed -i "s/count = $N/count = 10/" "$T/file.toml"
run_iguazu 60 run -c "$T/file.toml"
expect_eq "recovery: exit 0" 0 "$RC"
expect_grep "recovery: logged" "recovered 1 files left incomplete" "$T/err"
expect_eq "recovery: torn line dropped, complete lines kept" '{"seq":1}
{"seq":2}' "$(cat "$lake/events.20200101T000000.000Z.0.jsonl")"
expect_eq "recovery: empty leftover removed" 0 "$(find "$lake" -name '.*.tmp' | wc -l)"

# an I/O error: the folder cannot be made because a file is in the way
touch "$T/blocker"
sed -i "s|path = \"$lake\"|path = \"$T/blocker/lake\"|" "$T/file.toml"
run_iguazu 60 run -c "$T/file.toml"
expect_eq "unwritable path: exit 1" 1 "$RC"
expect_grep "unwritable path: clear error" "mkdir\(\) \"$T/blocker[^\"]*\" failed \(20: Not a directory\)" "$T/err"

# out_stdout
cat >"$T/stdout.toml" <<TOML
[service]
flush_interval = "50ms"
exit_when_done = true

[[inputs.gen]]
count = 3
tag = "t1"
fields = { x = "y" }

[[outputs.stdout]]
time_format = "epoch_ns"
time_key = "ts"
tag_key = "tag"
TOML
run_iguazu 30 run -c "$T/stdout.toml"
expect_eq "out_stdout: exit 0" 0 "$RC"
expect_eq "out_stdout: three lines" 3 "$(wc -l <"$T/out")"
expect_grep "out_stdout: line shape" '^\{"ts":[0-9]{19},"tag":"t1","seq":0,"x":"y"\}$' "$T/out"
finish
