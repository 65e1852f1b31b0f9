# test_signals.sh - SIGTERM during a flush drains within the grace period and exits 0; a
# second signal exits at once; the grace period bounds the wait.
. "$IGZ_TEST_LIB"

cat >"$T/sig.toml" <<TOML
[service]
flush_interval = "100ms"
grace = "10s"

[[inputs.gen]]
rate = 2000

[[outputs.testsink]]
delay = "300ms"
path = "$T/sig.txt"
TOML
"$IGZ_BIN" run -c "$T/sig.toml" 2>"$T/err" &
pid=$!
sleep 1.2
kill -TERM $pid
wait $pid
RC=$?
expect_eq "SIGTERM during a flush: exit 0" 0 "$RC"
expect_grep "SIGTERM: drain logged" "stopping \(Terminated\)" "$T/err"
gen=$(sed -nE 's/.*\[in_gen gen.0\] stopped after ([0-9]+) records.*/\1/p' "$T/err")
expect_eq "SIGTERM: every generated record delivered" "0 0" "$(seq_check "$T/sig.txt" "$gen")"
expect_eq "SIGTERM: count matches" "$gen" "$(wc -l <"$T/sig.txt")"

# a second signal: exit at once, even with a long grace period and a slow output
sed -i 's/delay = "300ms"/delay = "5s"/' "$T/sig.toml"
"$IGZ_BIN" run -c "$T/sig.toml" 2>"$T/err2" &
pid=$!
sleep 0.5
kill -INT $pid
sleep 0.3
start=$(date +%s%N)
kill -INT $pid
wait $pid
RC=$?
took=$((($(date +%s%N) - start) / 1000000))
expect_eq "second signal: exit 1" 1 "$RC"
expect_grep "second signal: logged" "second signal \(Interrupt\): exiting at once" "$T/err2"
if [ "$took" -lt 2000 ]; then pass "second signal: exited in ${took} ms"; else fail "second signal took $took ms"; fi

# the grace period ends the wait for an output that never finishes
sed -i 's/grace = "10s"/grace = "500ms"/; s/delay = "5s"/delay = "60s"/' "$T/sig.toml"
"$IGZ_BIN" run -c "$T/sig.toml" 2>"$T/err3" &
pid=$!
sleep 0.5
start=$(date +%s%N)
kill -TERM $pid
wait $pid
RC=$?
took=$((($(date +%s%N) - start) / 1000000))
expect_eq "grace over: exit 0" 0 "$RC"
expect_grep "grace over: says what is not delivered" "grace period of 500 ms over: [0-9]+ chunks still owed" "$T/err3"
if [ "$took" -lt 3000 ]; then pass "grace over: exited in ${took} ms"; else fail "grace over took $took ms"; fi
finish
