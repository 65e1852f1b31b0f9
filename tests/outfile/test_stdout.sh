# test_stdout.sh - out_stdout prints the same JSON lines as out_file: the
# added fields (time in three formats, tag, metadata) first, then the body; a
# reader that goes away fails the chunks without killing iguazu (no SIGPIPE);
# a non-blocking stdout that fills up is waited for, and a long stall retries
# the chunk from where it stopped, so no line is lost, doubled or torn.
. "$(dirname "$0")/lib.sh"

# stdout_toml OUTPUT-OPTIONS [COUNT] [GEN-OPTIONS]
XY='fields = { x = "y" }'
stdout_toml() {
    service_toml
    cat <<TOML
[[inputs.gen]]
tag = "t1"
count = ${2:-3}
${3:-$XY}

[[outputs.stdout]]
$1
TOML
}

# shape NAME OUTPUT-OPTIONS REGEX: the first line matches REGEX, and there are 3 lines
shape() {
    stdout_toml "$2" >"$T/s.toml"
    run_iguazu 30 "$T/s.toml"
    expect_clean_exit "$1"
    expect_eq "$1: three lines" 3 "$(wc -l <"$T/out")"
    local first
    first=$(head -1 "$T/out")
    if [[ "$first" =~ $3 ]]; then pass "$1: line shape"; else fail "$1: \"$first\" does not match /$3/"; fi
}

shape "defaults" "" \
    '^\{"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z","seq":0,"x":"y"\}$'
shape "epoch" 'time_format = "epoch"' '^\{"time":[0-9]{10}\.[0-9]{9},"seq":0,"x":"y"\}$'
shape "epoch_ns, other key, tag" $'time_format = "epoch_ns"\ntime_key = "ts"\ntag_key = "tag"' \
    '^\{"ts":[0-9]{19},"tag":"t1","seq":0,"x":"y"\}$'
shape "no time" 'time_key = ""' '^\{"seq":0,"x":"y"\}$'
shape "metadata" $'metadata_key = "meta"\ntag_key = "tag"' \
    '^\{"time":"[^"]+Z","tag":"t1","meta":\{\},"seq":0,"x":"y"\}$'

# a body field named like an added key gives way to it: no key twice in a line
stdout_toml "" 3 'fields = { time = "from the body", x = "y" }' >"$T/s.toml"
run_iguazu 30 "$T/s.toml"
expect_clean_exit "body key like time_key"
expect_no_grep "body key like time_key: the added time wins" 'from the body' "$T/out"

# many lines: every one valid JSON, in order, each once
stdout_toml "" 20000 'fields = { text = "caf\u00e9 \"q\" \\\\ \u0001" }' >"$T/s.toml"
run_iguazu 60 "$T/s.toml"
expect_clean_exit "20000 lines"
python3 - "$T/out" >"$T/check" 2>&1 <<'PY'
import json, sys
seqs = [json.loads(l)["seq"] for l in open(sys.argv[1], encoding="utf-8")]
print("in order" if seqs == list(range(20000)) else "wrong: %d lines" % len(seqs))
PY
expect_eq "20000 lines: valid, in order, each once" "in order" "$(cat "$T/check")"

# the reader goes away: EPIPE fails the chunks, iguazu lives on and exits by itself
stdout_toml "" 300000 >"$T/s.toml"
timeout -k 5 60 "$IGZ_BIN" run -c "$T/s.toml" 2>"$T/err" | head -1 >"$T/out"
RC=${PIPESTATUS[0]}
expect_clean_exit "closed pipe"
expect_grep "closed pipe: chunks failed with EPIPE" \
    'permanent failure: write\(\) "stdout" failed \(32: Broken pipe\)' "$T/err"
expect_eq "closed pipe: the reader got its line" 1 "$(wc -l <"$T/out")"

# a non-blocking pipe whose reader pauses: 2 s is waited for, 7 s retries from where it stopped
for pause in 2 7; do
    # a grace period longer than the pause: the drain at the end must not abandon the write
    stdout_toml $'retry_base = "100ms"\nretry_max = "200ms"' 30000 |
        sed 's/^\[service\]$/[service]\ngrace = "30s"/' >"$T/s.toml"
    python3 - "$IGZ_BIN" "$T/s.toml" "$pause" >"$T/check" 2>"$T/err" <<'PY'
import fcntl, json, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen([sys.argv[1], "run", "-c", sys.argv[2]], stdout=w)
os.close(w)
time.sleep(float(sys.argv[3]))  # the pipe fills up meanwhile
data = b""
while True:
    b = os.read(r, 1 << 16)
    if not b:
        break
    data += b
rc = p.wait(timeout=60)
seqs = [json.loads(l)["seq"] for l in data.decode("utf-8").splitlines()]
print("rc", rc, "in order" if seqs == list(range(30000)) else "wrong: %d lines" % len(seqs))
PY
    expect_eq "non-blocking pipe, reader paused ${pause} s: every line once, in order" \
        "rc 0 in order" "$(cat "$T/check")"
    if [ "$pause" = 7 ]; then
        expect_grep "reader paused 7 s: the stall is retried" \
            'write\(\) "stdout" failed \(11: Resource temporarily unavailable\); retry' "$T/err"
    fi
done
finish
