# test_recovery.sh - temporary files left by a crash are recovered at start:
# cut to their last complete line and renamed; empty ones removed; a final
# name already taken is never overwritten. Then a real kill -9 in the middle
# of a run: the next start recovers a file whose lines are a gapless prefix.
. "$(dirname "$0")/lib.sh"

lake="$T/lake"
mkdir -p "$lake"
printf '{"seq":1}\n{"seq":2}\n{"se' >"$lake/.events.20200101T000000.000Z.0.jsonl.tmp"
printf '{"seq":' >"$lake/.events.20200101T000001.000Z.0.jsonl.tmp"
: >"$lake/.events.20200101T000002.000Z.0.jsonl.tmp"
printf '{"seq":7}\n' >"$lake/.events.20200101T000003.000Z.0.jsonl.tmp"
printf '{"seq":6}\n' >"$lake/events.20200101T000003.000Z.0.jsonl"
printf 'not ours\n' >"$lake/.notes.tmp"
{
    service_toml
    cat <<TOML
[[inputs.gen]]
tag = "events"
count = 10

[[outputs.file]]
path = "$lake"
TOML
} >"$T/file.toml"
run_iguazu 60 "$T/file.toml"
expect_clean_exit "recovery"
expect_eq "torn last line dropped, complete lines kept" '{"seq":1}
{"seq":2}' "$(cat "$lake/events.20200101T000000.000Z.0.jsonl")"
expect_grep "recovery logged with sizes" \
    "recovered \"$lake/events.20200101T000000.000Z.0.jsonl\" left incomplete by an earlier run \(20 bytes kept, 4 bytes of a torn last line dropped\)" \
    "$T/err"
expect_eq "a taken final name is kept" '{"seq":6}' "$(cat "$lake/events.20200101T000003.000Z.0.jsonl")"
expect_eq "the recovered file gets another name" '{"seq":7}' \
    "$(cat "$lake/events.20200101T000003.000Z.0.recovered.1.jsonl" 2>&1)"
expect_eq "leftovers without a complete line removed" 0 "$(find "$lake" -name '.events.*.tmp' | wc -l)"
expect_eq "a hidden file of someone else untouched" "not ours" "$(cat "$lake/.notes.tmp")"
expect_eq "the run's own file written too" 1 "$(ls "$lake" | grep -v '^events\.2020' | grep -c '^events\..*\.jsonl$')"

# a real crash: kill -9 while writing (roll_age long, so the file is still open)
lake2="$T/lake2"
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 0
rate = 20000
batch = 100

[[outputs.file]]
path = "$lake2"
roll_age = "1h"
TOML
} >"$T/crash.toml"
"$IGZ_BIN" run -c "$T/crash.toml" >"$T/out" 2>"$T/err" &
pid=$!
CLEANUP+=("kill -9 $pid 2>/dev/null")
for _ in $(seq 100); do
    size=$(cat "$lake2"/.*.tmp 2>/dev/null | wc -c)
    [ "$size" -gt 200000 ] && break
    sleep 0.1
done
kill -9 $pid
{ wait $pid; } 2>/dev/null
expect_eq "kill -9: the open file keeps its temporary name" 1 "$(ls -a "$lake2" | grep -c '\.tmp$')"
expect_eq "kill -9: no final file yet" 0 "$(ls "$lake2" | grep -c '\.jsonl$')"
sed -i 's/count = 0/count = 1/; s/rate = 20000/rate = 0/' "$T/crash.toml"
run_iguazu 60 "$T/crash.toml"
expect_clean_exit "restart after kill -9"
expect_grep "restart: recovery logged" "recovered \"$lake2/gen\.[^\"]*\" left incomplete" "$T/err"
recovered=$(grep -o "recovered \"[^\"]*\"" "$T/err" | head -1 | sed 's/^recovered "//; s/"$//')
mkdir "$T/only"
mv "$recovered" "$T/only/"
expect_lake "restart: the recovered lines are seqs 0..K-1, each once" "$T/only" --prefix --max-files 1
expect_lake "restart: the new run's file is complete" "$lake2" --count 1
finish
