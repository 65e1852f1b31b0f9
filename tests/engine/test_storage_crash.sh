# test_storage_crash.sh - kill -9 at random moments, 20 times, with storage on: every record the
# input was told was stored reaches the output at least once; duplicates are counted.
. "$IGZ_TEST_LIB"
. "$(dirname "$IGZ_TEST_LIB")/crash_runs.sh"

crash_runs 20 "$T/c"
expect_eq "final run exits 0" 0 "$?"
result=$(python3 "$(dirname "$IGZ_TEST_LIB")/check_runs.py" "$T/c/lake" "$T/c/runs")
rc=$?
echo "crash test, 20 kills: $result"
expect_eq "nothing stored is lost across 20 kill -9" 0 "$rc"
expect_eq "no chunk left in storage" 0 "$(find "$T/c/storage/chunks" -type f | wc -l)"
expect_eq "no temporary lake file left" 0 "$(find "$T/c/lake" -name '.*' -type f | wc -l)"

IGZ_CRASH_SYNC=full crash_runs 5 "$T/f"
result=$(python3 "$(dirname "$IGZ_TEST_LIB")/check_runs.py" "$T/f/lake" "$T/f/runs")
rc=$?
echo "crash test, storage_sync full, 5 kills: $result"
expect_eq "full sync: nothing stored is lost" 0 "$rc"
finish
