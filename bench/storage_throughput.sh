#!/usr/bin/env bash
# bench/storage_throughput.sh [RECORDS] [BACKLOG_MB] - in_gen -> out_null with 10-field records,
# memory only, then storage_sync = "normal" and "full", in the same run; then the time to recover
# a backlog of BACKLOG_MB (default 1024) left on disk. Uses build/iguazu.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3000000}
backlog_mb=${2:-1024}
bin=${IGZ_BIN:-build/iguazu}
export IGUAZU_PLUGIN_PATH=${IGUAZU_PLUGIN_PATH:-build/plugins:build/tests/plugins}
tmp=$(mktemp -d -p "${TMPDIR:-/var/tmp}")
trap 'rm -rf "$tmp"' EXIT

fields='{ event_type = "page_view", user_id = 123456, url = "https://shop.example/p/42", price = 12.5, ok = true, country = "United Kingdom", session = "9f8e7d6c5b4a", referrer = "https://search.example/?q=tea", ua = "Mozilla/5.0" }'

run() { # run LABEL STORAGE_LINES
    cat >"$tmp/b.toml" <<TOML
[service]
exit_when_done = true
flush_interval = "200ms"
$2

[[inputs.gen]]
count = $n
batch = 1000
fields = $fields

[[outputs.null]]
TOML
    rm -rf "$tmp/storage"
    local start end
    start=$(date +%s%N)
    "$bin" run -c "$tmp/b.toml" 2>"$tmp/log"
    end=$(date +%s%N)
    local secs rss
    secs=$(echo "($end - $start) / 1000000000" | bc -l)
    rss=$(sed -nE 's/.*peak RSS: ([0-9]+) KiB.*/\1/p' "$tmp/log")
    printf '%-28s %10.0f records/s  %6.2f s  peak RSS %6d KiB\n' "$1" "$(echo "$n / $secs" | bc -l)" "$secs" "$rss"
}

echo "in_gen -> out_null, $n records of 10 fields"
run "memory only" ""
run "storage, sync normal" "storage_path = \"$tmp/storage\""
run "storage, sync full" "storage_path = \"$tmp/storage\"
storage_sync = \"full\""

# a backlog: written while the output is down, then recovered with a working one
recs=$((backlog_mb * 1024 * 1024 / 190))
cat >"$tmp/fill.toml" <<TOML
[service]
exit_when_done = true
storage_path = "$tmp/storage"
grace = "1s"
mem_limit = "64MiB"

[[inputs.gen]]
count = $recs
batch = 1000
fields = $fields

[[outputs.testsink]]
mode = "retry"
retry_limit = -1
retry_base = "10s"
path = "/dev/null"
TOML
rm -rf "$tmp/storage"
"$bin" run -c "$tmp/fill.toml" 2>/dev/null || true
size=$(du -sm "$tmp/storage/chunks" | cut -f1)
cat >"$tmp/fill.toml" <<TOML
[service]
exit_when_done = true
storage_path = "$tmp/storage"
mem_limit = "64MiB"

[[inputs.gen]]
count = 1

[[outputs.null]]
TOML
sync
start=$(date +%s%N)
"$bin" run -c "$tmp/fill.toml" 2>"$tmp/log" || { tail -5 "$tmp/log"; exit 1; }
end=$(date +%s%N)
secs=$(echo "($end - $start) / 1000000000" | bc -l)
rss=$(sed -nE 's/.*peak RSS: ([0-9]+) KiB.*/\1/p' "$tmp/log")
printf 'recovery of a %d MB backlog (%d records) into out_null: %.2f s, %.0f MB/s, peak RSS %d KiB (mem_limit 64 MiB)\n' \
    "$size" "$recs" "$secs" "$(echo "$size / $secs" | bc -l)" "$rss"
