# test_roll.sh - files roll by age while records flow, an idle file is
# completed by the timer at roll_age even when no record comes, and a line
# longer than roll_size gets a file of its own.
. "$(dirname "$0")/lib.sh"

# by age: 3 s of records, roll_age 1 s
lake="$T/lake"
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 1500
rate = 500
batch = 50

[[outputs.file]]
path = "$lake"
roll_age = "1s"
TOML
} >"$T/age.toml"
run_iguazu 60 "$T/age.toml"
expect_clean_exit "roll by age"
expect_lake "roll by age: every seq once, several files" "$lake" --count 1500 --min-files 2 \
    --max-files 6

# idle: a few records, then nothing; the file must be completed while iguazu still runs
lake2="$T/lake2"
{
    cat <<TOML
[service]
flush_interval = "100ms"

[[inputs.gen]]
count = 5

[[outputs.file]]
path = "$lake2"
roll_age = "1s"
TOML
} >"$T/idle.toml"
"$IGZ_BIN" run -c "$T/idle.toml" >"$T/out" 2>"$T/err" &
pid=$!
CLEANUP+=("kill -9 $pid 2>/dev/null")
seen_tmp=0
done_at=""
for i in $(seq 60); do # 6 s at most
    ls -a "$lake2" 2>/dev/null | grep -q '\.tmp$' && seen_tmp=1
    if ls "$lake2" 2>/dev/null | grep -q '\.jsonl$'; then
        done_at=$i
        break
    fi
    sleep 0.1
done
expect_eq "idle: the file was open under its temporary name first" 1 "$seen_tmp"
if [ -n "$done_at" ]; then pass "idle: completed after about $((done_at * 100)) ms with no record coming"; else
    fail "idle: no complete file after 6 s"; fi
if kill -0 $pid 2>/dev/null; then pass "idle: iguazu still running"; else fail "idle: iguazu is gone"; fi
kill -TERM $pid
wait $pid
RC=$?
expect_clean_exit "idle: SIGTERM"
expect_lake "idle: every seq once" "$lake2" --count 5 --max-files 1

# a line longer than roll_size: alone in its file, never cut
lake3="$T/lake3"
pad=$(head -c 3000 /dev/zero | tr '\0' x)
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 20
fields = { pad = "$pad" }

[[outputs.file]]
path = "$lake3"
roll_size = "1KiB"
TOML
} >"$T/long.toml"
run_iguazu 60 "$T/long.toml"
expect_clean_exit "long lines"
expect_lake "long lines: one per file, every seq once" "$lake3" --count 20 --min-files 20 \
    --one-line-per-file
finish
