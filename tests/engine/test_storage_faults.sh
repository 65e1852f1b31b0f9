# test_storage_faults.sh - disk full and I/O errors injected on write, fsync and rename
# (IGZ_FAULTS): a clear error, inputs paused, no half-written chunk, and once writes work again
# every record is delivered exactly once.
. "$IGZ_TEST_LIB"

N=20000
cat >"$T/f.toml" <<TOML
[service]
flush_interval = "50ms"
storage_path = "$T/storage"
storage_sync = "full"
exit_when_done = true

[[inputs.gen]]
count = $N
batch = 500
rate = 40000

[[outputs.testsink]]
path = "$T/out.txt"
TOML

# fault_case NAME SPEC PATTERN
fault_case() {
    rm -rf "$T/storage" "$T/out.txt"
    IGZ_FAULTS="$2" run_iguazu 60 run -c "$T/f.toml"
    expect_eq "$1: exit 0" 0 "$RC"
    expect_grep "$1: clear error" "$3" "$T/err"
    expect_grep "$1: inputs paused then resumed" "storage: .* works again; inputs resume" "$T/err"
    expect_eq "$1: every record once" "0 0" "$(seq_check "$T/out.txt" $N)"
    expect_eq "$1: nothing left on disk" 0 "$(find "$T/storage/chunks" -type f | wc -l)"
}

fault_case "ENOSPC on write" "write:ENOSPC:5:8" \
    "storage: write failed: write\(\) \".*\.open\" failed \(28: No space left on device\); inputs paused"
fault_case "EIO on fsync" "fsync:EIO:3:4" \
    "storage: (write|seal) failed: fsync\(\) \".*\" failed \(5: Input/output error\)"
fault_case "EIO on rename" "rename:EIO:1:3" \
    "storage: seal failed: rename\(\) \".*\.open\" failed \(5: Input/output error\)"

# a half-written batch never survives: after ENOSPC mid-write the open file holds whole records
rm -rf "$T/storage" "$T/out.txt"
sed -i 's/^rate = 40000/rate = 0/; s/^exit_when_done = true/exit_when_done = false/' "$T/f.toml"
sed -i 's|^path = "$T/out.txt"|mode = "retry"\npath = "'"$T"'/out.txt"|' "$T/f.toml"
IGZ_FAULTS="write:ENOSPC:4:0" "$IGZ_BIN" run -c "$T/f.toml" 2>"$T/err" &
pid=$!
sleep 1.5
kill -9 $pid
wait $pid 2>/dev/null
expect_grep "disk full mid-write: the error is logged" "No space left on device\); inputs paused" "$T/err"
# restart without faults: recovery seals the open chunk at its last whole record
sed -i 's/mode = "retry"/mode = "ok"/; s/^exit_when_done = false/exit_when_done = true/; s/^count = .*/count = 1/' "$T/f.toml"
run_iguazu 60 run -c "$T/f.toml"
expect_eq "after disk full and kill: exit 0" 0 "$RC"
if ! grep -q "damaged chunk" "$T/err"; then pass "after disk full and kill: no damaged chunk"; else
    fail "a chunk was damaged"; grep damaged "$T/err" >&2; fi
# the failed write was cut back: only whole batches of 500 records were kept
n=$(sed -nE 's/.*storage: recovered [0-9]+ chunks \(([0-9]+) records.*/\1/p' "$T/err")
if [ -n "$n" ] && [ "$n" -gt 0 ] && [ $((n % 500)) -eq 0 ]; then
    pass "after disk full and kill: $n records recovered, whole batches only"
else
    fail "after disk full and kill: \"$n\" records recovered"
fi
finish
