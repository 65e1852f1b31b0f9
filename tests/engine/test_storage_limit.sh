# test_storage_limit.sh - storage_total_limit: by default the inputs are paused and nothing is
# deleted; with storage_full_policy = "drop_oldest" the oldest chunks go, each one logged and
# counted.
. "$IGZ_TEST_LIB"

config() { # config POLICY
    cat >"$T/l.toml" <<TOML
[service]
flush_interval = "20ms"
storage_path = "$T/storage"
storage_total_limit = "300KiB"
storage_full_policy = "$1"
chunk_size = "32KiB"
grace = "500ms"

[[inputs.gen]]
batch = 200

[[outputs.testsink]]
mode = "retry"
retry_limit = -1
retry_base = "50ms"
path = "$T/never.txt"
TOML
}

config pause
"$IGZ_BIN" run -c "$T/l.toml" 2>"$T/err" &
pid=$!
sleep 2
used1=$(du -sk "$T/storage/chunks" | cut -f1)
sleep 1
used2=$(du -sk "$T/storage/chunks" | cut -f1)
kill -TERM $pid
wait $pid
if [ "$used2" -le 400 ] && [ "$used1" = "$used2" ]; then
    pass "pause: storage stays at the limit ($used2 KiB), inputs wait"
else
    fail "pause: storage grew from $used1 to $used2 KiB"
fi
expect_grep "pause: the input was paused" "input pauses: [1-9]" "$T/err"
expect_eq "pause: nothing dropped" 0 "$(grep -c 'dropping' "$T/err")"

rm -rf "$T/storage"
config drop_oldest
"$IGZ_BIN" run -c "$T/l.toml" 2>"$T/err" &
pid=$!
sleep 2
kill -TERM $pid
wait $pid
used=$(du -sk "$T/storage/chunks" | cut -f1)
if [ "$used" -le 400 ]; then pass "drop_oldest: storage bounded ($used KiB)"; else fail "drop_oldest: $used KiB"; fi
dropped=$(grep -c "storage full: dropping the oldest chunk" "$T/err")
if [ "$dropped" -ge 2 ]; then pass "drop_oldest: $dropped drops logged"; else fail "drop_oldest: $dropped drops logged"; fi
expect_grep "drop_oldest: drops counted in the summary" "chunks dropped for the storage limit: $dropped" "$T/err"
finish
