# test_storage_dlq.sh - an output that fails for good: its chunks land in the dead-letter folder
# with a sidecar saying why; `iguazu dlq list` shows them; `iguazu dlq replay` delivers them once
# the output works, to that output only; also without storage (dead_letter_path alone).
. "$IGZ_TEST_LIB"

config() { # config MODE
    cat >"$T/d.toml" <<TOML
[service]
flush_interval = "50ms"
storage_path = "$T/storage"
exit_when_done = true

[[inputs.gen]]
count = ${COUNT:-3000}
batch = 1000
tag = "orders"

[[outputs.testsink]]
alias = "warehouse"
mode = "$1"
path = "$T/w.txt"

[[outputs.testsink]]
alias = "lake"
path = "$T/l.txt"
TOML
}

config fail
run_iguazu 30 run -c "$T/d.toml"
expect_eq "failing output: exit 0" 0 "$RC"
expect_grep "failure logged with destination" "given up after 1 attempts: permanent failure: told to fail \(mode fail\); it goes to the dead-letter folder" "$T/err"
n=$(ls "$T/storage/dead-letter/"*.json | wc -l)
if [ "$n" -ge 1 ]; then pass "$n dead-letter entries"; else fail "no dead-letter entry"; fi
side=$(cat "$T/storage/dead-letter/"*.json | head -1)
for k in '"output":"warehouse"' '"plugin":"out_testsink"' '"tag":"orders"' '"attempts":1' \
    '"first_attempt":"20' '"last_attempt":"20' '"error":"permanent failure: told to fail (mode fail)"' '"records":'; do
    case "$side" in *"$k"*) pass "sidecar has $k" ;; *) fail "sidecar lacks $k: $side" ;; esac
done
expect_eq "the other output got everything" "0 0" "$(seq_check "$T/l.txt" 3000)"

run_iguazu 10 dlq list -c "$T/d.toml"
expect_eq "dlq list: exit 0" 0 "$RC"
expect_grep "dlq list shows the entry" "^[0-9a-f]{32}\.warehouse +warehouse +orders +[0-9]+ +1 " "$T/out"
expect_grep "dlq list counts" "^$n entries in" "$T/out"

# replay once the output works: only the warehouse gets the records again
config ok
COUNT=1 
sed -i 's/^count = .*/count = 1/' "$T/d.toml"
run_iguazu 10 dlq replay -c "$T/d.toml"
expect_eq "dlq replay: exit 0" 0 "$RC"
expect_grep "dlq replay reports" "^$n chunks replayed, 0 failed" "$T/out"
expect_eq "dead-letter folder empty after replay" 0 "$(ls "$T/storage/dead-letter/" | wc -l)"
rm -f "$T/l.txt"
run_iguazu 30 run -c "$T/d.toml"
expect_eq "run after replay: exit 0" 0 "$RC"
expect_grep "replayed chunks picked up" "dead-letter replay: chunk .* is back in the chain" "$T/err"
# warehouse: the 3000 replayed records plus the one new; lake: only the new one
expect_eq "warehouse got the replayed records" 3001 "$(wc -l <"$T/w.txt")"
expect_eq "lake did not get them again" 1 "$(wc -l <"$T/l.txt")"

run_iguazu 10 dlq list -c "$T/d.toml"
expect_grep "dlq list when empty" "no dead-letter entries" "$T/out"

# without storage: dead_letter_path alone keeps failed chunks too
cat >"$T/m.toml" <<TOML
[service]
flush_interval = "50ms"
exit_when_done = true
dead_letter_path = "$T/dlq-mem"

[[inputs.gen]]
count = 100

[[outputs.testsink]]
mode = "fail"
path = "$T/never.txt"
TOML
run_iguazu 30 run -c "$T/m.toml"
expect_eq "memory only: exit 0" 0 "$RC"
expect_eq "memory only: one entry" 1 "$(ls "$T/dlq-mem/"*.chunk | wc -l)"
run_iguazu 10 dlq replay -c "$T/m.toml"
expect_eq "memory only: replay refused without storage" 1 "$RC"
expect_grep "memory only: says why" "dlq replay needs \[service\] storage_path" "$T/err"
finish
