# test_retry.sh - outputs that fail: retries back off exponentially with jitter, a chunk that
# exhausts its retries is reported with its reason, and other outputs go on.
. "$IGZ_TEST_LIB"

cat >"$T/flaky.toml" <<TOML
[service]
flush_interval = "50ms"
exit_when_done = true

[[inputs.gen]]
count = 500
batch = 500

[[outputs.testsink]]
mode = "flaky"
fail_times = 3
retry_base = "20ms"
retry_max = "1s"
path = "$T/flaky.txt"
attempts_path = "$T/attempts.txt"
TOML
run_iguazu 60 run -c "$T/flaky.toml"
expect_eq "flaky: exit 0" 0 "$RC"
expect_eq "flaky: delivered after retries" "0 0" "$(seq_check "$T/flaky.txt" 500)"
expect_eq "flaky: 4 attempts" 4 "$(wc -l <"$T/attempts.txt")"
expect_grep "flaky: retries logged" "retry 1 in [0-9]+ ms" "$T/err"
# full jitter: each delay is within [0, base * 2^(n-1)]
awk 'NR > 1 { d = $3 - prev; cap = 20 * 2 ^ (NR - 2) + 15; if (d > cap) bad++ } { prev = $3 } END { print bad + 0 }' \
    "$T/attempts.txt" >"$T/bad"
expect_eq "flaky: delays within the back-off caps" 0 "$(cat "$T/bad")"

cat >"$T/fail.toml" <<TOML
[service]
flush_interval = "50ms"
exit_when_done = true

[[inputs.gen]]
count = 300
batch = 100

[[outputs.testsink]]
alias = "broken"
mode = "retry"
retry_base = "5ms"
retry_max = "20ms"
retry_limit = 3
path = "$T/never.txt"
attempts_path = "$T/broken_attempts.txt"

[[outputs.testsink]]
alias = "healthy"
path = "$T/healthy.txt"
TOML
run_iguazu 60 run -c "$T/fail.toml"
expect_eq "always failing: still exits 0" 0 "$RC"
expect_eq "always failing: the other output got everything" "0 0" "$(seq_check "$T/healthy.txt" 300)"
expect_grep "always failing: chunk reported with reason" "\[out_testsink broken\] chunk [0-9a-f]{32} \([0-9]+ records, tag \"gen\", input \"gen.0\"\) given up after 4 attempts: retries exhausted after 4 attempts, last error: told to fail" "$T/err"
chunks=$(awk '{print $1}' "$T/broken_attempts.txt" | sort -u | wc -l)
expect_eq "always failing: each chunk tried 1 + retry_limit times" "$((chunks * 4))" "$(wc -l <"$T/broken_attempts.txt")"
expect_grep "always failing: counted" "\[out_testsink broken\] records out: 0, bytes out: 0, retries: $((chunks * 3)), chunks given up: $chunks" "$T/err"

sed -i 's/mode = "retry"/mode = "fail"/' "$T/fail.toml"
rm -f "$T/healthy.txt"
run_iguazu 60 run -c "$T/fail.toml"
expect_grep "permanent failure: not retried" "given up after 1 attempts: permanent failure: told to fail \(mode fail\)" "$T/err"
expect_eq "permanent failure: the other output got everything" "0 0" "$(seq_check "$T/healthy.txt" 300)"
finish
