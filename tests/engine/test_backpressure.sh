# test_backpressure.sh - a fast input against a slow output: the input is paused at the memory
# limit and resumed, buffered bytes never exceed the limit by more than one batch, and nothing
# is lost.
. "$IGZ_TEST_LIB"

N=20000
cat >"$T/bp.toml" <<TOML
[service]
flush_interval = "20ms"
exit_when_done = true
mem_limit = "256KiB"
chunk_size = "32KiB"

[[inputs.gen]]
count = $N
batch = 100
fields = { padding = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }

[[outputs.testsink]]
delay = "5ms"
path = "$T/slow.txt"
TOML
run_iguazu 120 run -c "$T/bp.toml"
expect_eq "back pressure: exit 0" 0 "$RC"
expect_eq "back pressure: nothing lost, nothing twice" "0 0" "$(seq_check "$T/slow.txt" $N)"
peak=$(sed -nE 's/.*peak buffered bytes: ([0-9]+) .*/\1/p' "$T/err")
pauses=$(sed -nE 's/.*input pauses: ([0-9]+).*/\1/p' "$T/err")
# one batch: 100 records of about 110 bytes
batch=$((100 * 130))
limit=$((256 * 1024))
if [ -n "$peak" ] && [ "$peak" -le $((limit + batch)) ] && [ "$peak" -ge $((limit / 2)) ]; then
    pass "back pressure: peak $peak within limit $limit + one batch"
else
    fail "back pressure: peak \"$peak\" not within $limit + $batch"
fi
if [ -n "$pauses" ] && [ "$pauses" -ge 2 ]; then pass "back pressure: input paused $pauses times"; else
    fail "back pressure: input never paused ($pauses)"; fi

# a per-input limit below the service limit pauses that input alone
sed -i 's/^batch = 100$/batch = 100\nmem_limit = "64KiB"/' "$T/bp.toml"
rm -f "$T/slow.txt"
run_iguazu 120 run -c "$T/bp.toml"
peak=$(sed -nE 's/.*peak buffered bytes: ([0-9]+) .*/\1/p' "$T/err")
if [ -n "$peak" ] && [ "$peak" -le $((64 * 1024 + batch)) ]; then
    pass "input mem_limit: peak $peak within 64KiB + one batch"
else
    fail "input mem_limit: peak \"$peak\""
fi
expect_eq "input mem_limit: nothing lost" "0 0" "$(seq_check "$T/slow.txt" $N)"
finish
