# test_delivery.sh - out_file delivers every record exactly once into complete,
# valid JSON lines files, one series per tag, rolled by size, with no temporary
# file left after a clean exit.
. "$(dirname "$0")/lib.sh"

N=20000
lake="$T/lake/a/b" # parents are made too
{
    service_toml
    cat <<TOML
[[inputs.gen]]
tag = "events.click"
count = $N
fields = { event_type = "click", nested = { a = [1, 2.5, true] }, text = "caf\u00e9 \"q\"\\n" }

[[inputs.gen]]
tag = "odd/tag name"
count = $N
fields = { event_type = "other" }

[[outputs.file]]
path = "$lake"
roll_size = "256KiB"
tag_key = "tag"
file_mode = "0640"
workers = 3 # chunks come concurrently; the files still take them one at a time
TOML
} >"$T/file.toml"
run_iguazu 120 "$T/file.toml"
expect_clean_exit "two tags"
expect_lake "two tags: every seq once per tag, files within roll_size" "$lake" \
    --count $N --group-by tag --groups 2 --max-size $((256 * 1024)) --min-files 6
clicks=$(ls "$lake" | grep -c '^events\.click\.')
odd=$(ls "$lake" | grep -c '^odd_tag_name\.')
if [ "$clicks" -ge 3 ] && [ "$odd" -ge 3 ]; then pass "rolled by size: $clicks + $odd files"; else
    fail "rolled by size: $clicks files of events.click, $odd of odd/tag name"; fi
expect_eq "file_mode applied" 640 "$(stat -c %a "$(ls "$lake"/*.jsonl | head -1)")"
# the values survive the trip: strings escaped, nesting kept, fields in order after the added ones
python3 - "$lake" >"$T/check" 2>&1 <<'PY'
import glob, json, sys
f = sorted(glob.glob(sys.argv[1] + "/events.click.*.jsonl"))[0]
line = open(f, encoding="utf-8").readline()
r = json.loads(line)
assert list(r) == ["time", "tag", "seq", "event_type", "nested", "text"], list(r)
assert r["tag"] == "events.click" and r["seq"] == 0, r
assert r["nested"] == {"a": [1, 2.5, True]}, r
assert r["text"] == "caf\u00e9 \"q\"\n", r
print("same")
PY
expect_eq "values kept, keys in order" same "$(cat "$T/check")"

# fsync = false, epoch times, no time at all: the same guarantees
lake2="$T/lake2"
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 5000

[[outputs.file]]
path = "$lake2"
fsync = false
time_key = ""
TOML
} >"$T/nosync.toml"
run_iguazu 60 "$T/nosync.toml"
expect_clean_exit "fsync = false"
expect_lake "fsync = false: every seq once, no time field" "$lake2" --count 5000 --time-key "" \
    --max-files 1
expect_no_grep "no time field" '"time"' "$(ls "$lake2"/*.jsonl | head -1)"

# the same folder under a second instance is refused, not shared
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 10

[[outputs.file]]
path = "$lake2"

[[outputs.file]]
path = "$lake2/"
TOML
} >"$T/twice.toml"
run_iguazu 30 "$T/twice.toml"
expect_eq "same folder twice: refused" 1 "$RC"
expect_grep "same folder twice: said why" "folder \"$lake2/?\" is written by another out_file instance" "$T/err"
finish
