# test_storage_recovery.sh - chunks left on disk: delivered after a restart only to the outputs
# that still owe them; damaged ones (bad magic, bad CRC, truncated) go to the dead-letter folder
# with a reason while the rest is recovered; a backlog larger than the memory budget streams.
. "$IGZ_TEST_LIB"

config() { # config MODE_A COUNT [MEM]
    cat >"$T/s.toml" <<TOML
[service]
flush_interval = "50ms"
storage_path = "$T/storage"
exit_when_done = true
grace = "1s"
mem_limit = "${3:-64MiB}"
chunk_size = "256KiB"

[[inputs.gen]]
count = $2
batch = 500
fields = { pad = "0123456789012345678901234567890123456789" }

[[outputs.testsink]]
alias = "a"
mode = "$1"
retry_base = "10ms"
retry_limit = -1
path = "$T/a.txt"

[[outputs.testsink]]
alias = "b"
path = "$T/b.txt"
TOML
}

# 1. output a is down: its chunks stay on disk; b delivers
config retry 20000
run_iguazu 30 run -c "$T/s.toml"
expect_eq "a down: exit 0 after the grace period" 0 "$RC"
expect_eq "b got everything" "0 0" "$(seq_check "$T/b.txt" 20000)"
chunks=$(ls "$T/storage/chunks/"*.chunk | wc -l)
if [ "$chunks" -ge 3 ]; then pass "$chunks chunks left on disk for a"; else fail "only $chunks chunks on disk"; fi
expect_eq "b's deliveries are recorded" "$chunks" "$(cat "$T/storage/chunks/"*.acks | grep -c '^b$')"

# 2. damage three of them: a flipped content byte, a truncation, a garbage file
set -- "$T/storage/chunks/"*.chunk
printf '\xff' | dd of="$1" bs=1 seek=200 conv=notrunc 2>/dev/null
truncate -s -100 "$2"
python3 -c "open('$T/storage/chunks/ffffffffffffffff-000000.chunk','w').write('not a chunk at all ' * 20)"
bad_records=$(( $(python3 -c "
import struct,sys
for p in sys.argv[1:]:
    h=open(p,'rb').read(78); print(struct.unpack('<I',h[24:28])[0])" "$1" "$2" | paste -sd+) ))
rm -f "$T/b.txt"

# 3. restart with a working: it gets the intact chunks plus the new records; b only the new
config ok 1000
run_iguazu 60 run -c "$T/s.toml"
expect_eq "restart: exit 0" 0 "$RC"
expect_grep "restart: recovery logged" "storage: recovered [0-9]+ chunks .* 2 damaged ones moved" "$T/err"
expect_grep "bad CRC detected when loaded" "is damaged \(CRC32C mismatch" "$T/err"
expect_grep "truncation detected" "damaged chunk .*\(truncated\): moved to" "$T/err"
expect_grep "bad magic detected" "damaged chunk .*ffffffffffffffff-000000.chunk\" \(bad magic" "$T/err"
expect_eq "b got only the new records (not the recovered ones again)" 1000 "$(wc -l <"$T/b.txt")"
# a: every record of the intact chunks, and the 1000 new ones
expect_eq "a got every intact record, once" "$((20000 - bad_records + 1000))" "$(wc -l <"$T/a.txt")"
dlq=$(ls "$T/storage/dead-letter/"*.json 2>/dev/null | wc -l)
expect_eq "three dead-letter entries with reasons" 3 "$dlq"
expect_grep "sidecar says why" "CRC32C mismatch" <(cat "$T/storage/dead-letter/"*.json)
expect_eq "storage empty after delivery" 0 "$(ls "$T/storage/chunks" | wc -l)"

# 4. a backlog several times the memory budget streams through within the budget
rm -rf "$T/storage" "$T/a.txt" "$T/b.txt"
config retry 300000 4MiB
run_iguazu 60 run -c "$T/s.toml"
backlog=$(du -sm "$T/storage/chunks" | cut -f1)
config ok 1 4MiB
run_iguazu 120 run -c "$T/s.toml"
rss=$(sed -nE 's/.*peak RSS: ([0-9]+) KiB.*/\1/p' "$T/err")
# seq 0 twice: the second run generates one record too
expect_eq "backlog: every record delivered" "0 1" "$(seq_check "$T/a.txt" 300000)"
if [ "${IGZ_SANITIZED:-0}" = 1 ]; then
    # AddressSanitizer's shadow memory and quarantine make RSS meaningless here
    [ "$backlog" -ge 16 ] && pass "backlog of $backlog MB recovered (RSS not checked under ASan)" ||
        fail "backlog of $backlog MB"
elif [ "$backlog" -ge 16 ] && [ -n "$rss" ] && [ "$rss" -le $((4096 + 16384)) ]; then
    pass "backlog of $backlog MB recovered with peak RSS $rss KiB (budget 4 MiB)"
else
    fail "backlog of $backlog MB: peak RSS $rss KiB"
fi
finish
