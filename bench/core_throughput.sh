#!/usr/bin/env bash
# bench/core_throughput.sh [RECORDS] - in_gen -> out_null with 10-field records: records/s, MB/s
# and peak RSS through the whole chain, then the idle RSS of a quiet pipeline after 10 s.
# Uses build/iguazu (build it first). Figures go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000000}
bin=${IGZ_BIN:-build/iguazu}
export IGUAZU_PLUGIN_PATH=${IGUAZU_PLUGIN_PATH:-build/plugins}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/bench.toml" <<TOML
[service]
exit_when_done = true
flush_interval = "200ms"
log_level = "info"

[[inputs.gen]]
count = $n
batch = 1000
fields = { event_type = "page_view", user_id = 123456, url = "https://shop.example/p/42", price = 12.5, ok = true, country = "United Kingdom", session = "9f8e7d6c5b4a", referrer = "https://search.example/?q=tea", ua = "Mozilla/5.0" }

[[outputs.null]]
TOML
start=$(date +%s%N)
"$bin" run -c "$tmp/bench.toml" 2>"$tmp/log"
end=$(date +%s%N)
secs=$(echo "($end - $start) / 1000000000" | bc -l)
bytes=$(sed -nE 's/.*records out: [0-9]+, bytes out: ([0-9]+).*/\1/p' "$tmp/log")
rss=$(sed -nE 's/.*peak RSS: ([0-9]+) KiB.*/\1/p' "$tmp/log")
printf 'in_gen -> out_null, 10-field records: %d records in %.2f s\n' "$n" "$secs"
printf '  %.0f records/s, %.1f MB/s of msgpack, peak RSS %d KiB\n' \
    "$(echo "$n / $secs" | bc -l)" "$(echo "$bytes / $secs / 1000000" | bc -l)" "$rss"

cat >"$tmp/idle.toml" <<'TOML'
[[inputs.gen]]
rate = 1

[[outputs.null]]
TOML
"$bin" run -c "$tmp/idle.toml" 2>/dev/null &
pid=$!
sleep 10
idle=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
kill -TERM $pid
wait $pid || true
printf 'idle RSS after 10 s (in_gen rate 1 -> out_null): %d KiB\n' "$idle"
