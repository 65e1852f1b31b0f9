# test_errors.sh - out_file under I/O errors: a folder that cannot be made
# stops the start with a clear message; writes that fail (file too large, disk
# full) are logged, cut back and retried, and in the end every record is
# there exactly once, in whole lines; a folder removed while running is made
# again; bad options are refused.
. "$(dirname "$0")/lib.sh"

# the folder cannot be made: a regular file stands where a parent folder should be
# (chmod would not stop root, which the tests may run as)
touch "$T/blocker"
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 10

[[outputs.file]]
path = "$T/blocker/lake"
TOML
} >"$T/blocked.toml"
run_iguazu 30 "$T/blocked.toml"
expect_eq "folder cannot be made: exit 1, no crash" 1 "$RC"
expect_grep "folder cannot be made: said why" \
    "error \[out_file file\.0\] mkdir\(\) \"$T/blocker/lake\" failed \(20: Not a directory\)" "$T/err"

# writes fail with EFBIG past a file size limit (ulimit -f, with SIGXFSZ ignored so that the
# write returns the error): each failing write is cut back, the chunk retried, and the file
# rolled by age makes room again
lake="$T/lake"
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 4000
rate = 2000
batch = 50

[[outputs.file]]
path = "$lake"
roll_size = "1MiB"
roll_age = "500ms"
retry_base = "50ms"
retry_max = "200ms"
retry_limit = -1
TOML
} >"$T/efbig.toml"
(
    trap '' XFSZ
    ulimit -f 32 # KiB
    exec timeout -k 5 120 "$IGZ_BIN" run -c "$T/efbig.toml" >"$T/out" 2>"$T/err"
)
RC=$?
expect_clean_exit "file size limit"
expect_grep "file size limit: the error is logged" \
    "pwrite\(\) \"$lake/\.gen\.[^\"]*\.jsonl\.tmp\" failed \(27: File too large\); retry" "$T/err"
expect_lake "file size limit: every seq once, whole lines" "$lake" --count 4000 --max-size 32768 \
    --min-files 3

# a folder removed while iguazu writes into it is made again
lake2="$T/lake2"
{
    service_toml
    cat <<TOML
[[inputs.gen]]
count = 3000
rate = 1000
batch = 50

[[outputs.file]]
path = "$lake2"
roll_age = "200ms"
TOML
} >"$T/removed.toml"
timeout -k 5 60 "$IGZ_BIN" run -c "$T/removed.toml" >"$T/out" 2>"$T/err" &
pid=$!
sleep 1.2
rm -rf "$lake2"
wait $pid
RC=$?
expect_clean_exit "folder removed"
expect_grep "folder removed: written again" '"seq":2999' "$(ls "$lake2"/*.jsonl | tail -1)"

# disk full, on a tiny tmpfs (where this machine lets the test mount one): writes fail with
# ENOSPC until completed files are moved away, and then go on
mnt="$T/mnt"
mkdir -p "$mnt" "$T/moved"
if mount -t tmpfs -o size=128k tmpfs "$mnt" 2>/dev/null; then
    CLEANUP=("umount -l '$mnt' 2>/dev/null" "${CLEANUP[@]+"${CLEANUP[@]}"}")
    {
        service_toml
        cat <<TOML
[[inputs.gen]]
count = 6000
rate = 3000
batch = 50

[[outputs.file]]
path = "$mnt/lake"
roll_size = "32KiB"
retry_base = "50ms"
retry_max = "300ms"
retry_limit = -1
TOML
    } >"$T/full.toml"
    timeout -k 5 120 "$IGZ_BIN" run -c "$T/full.toml" >"$T/out" 2>"$T/err" &
    pid=$!
    # an operator who frees space only once the disk is full
    until grep -q "No space left on device" "$T/err" || ! kill -0 $pid 2>/dev/null; do sleep 0.1; done
    while kill -0 $pid 2>/dev/null; do
        find "$mnt/lake" -maxdepth 1 -name '*.jsonl' -exec mv {} "$T/moved/" \;
        sleep 0.2
    done
    wait $pid
    RC=$?
    find "$mnt/lake" -maxdepth 1 -name '*.jsonl' -exec mv {} "$T/moved/" \;
    expect_clean_exit "disk full"
    expect_grep "disk full: the error is logged" \
        "pwrite\(\) \"$mnt/lake/\.gen\.[^\"]*\.jsonl\.tmp\" failed \(28: No space left on device\)" "$T/err"
    expect_eq "disk full: no temporary file left" 0 "$(ls -a "$mnt/lake" | grep -c '\.tmp$')"
    expect_lake "disk full: every seq once, whole lines" "$T/moved" --count 6000 --max-size 32768
else
    echo "skip disk full: this machine does not let the test mount a tmpfs"
fi

# options that cannot work are refused at start
for bad in 'file_mode = "0999"|"file_mode" must be permission bits in octal' \
    'tag_key = "time"|"time_key" and "tag_key" are both "time"' \
    'roll_size = 0|"roll_size" and "roll_age" must be more than 0' \
    'path = ""|"path" must not be empty' \
    'format = "csv"|format'; do
    opt=${bad%%|*}
    path_line="path = \"$T/lake3\""
    [ "${opt#path}" != "$opt" ] && path_line=""
    {
        service_toml
        cat <<TOML
[[inputs.gen]]
count = 1

[[outputs.file]]
$path_line
$opt
TOML
    } >"$T/bad.toml"
    run_iguazu 30 "$T/bad.toml"
    expect_eq "refused: $opt" 1 "$RC"
    expect_grep "refused: $opt: said why" "${bad#*|}" "$T/err"
done
finish
