# crash_runs.sh - crash_runs N DIR: runs iguazu (in_gen -> out_file, storage on) N times, killing
# it with SIGKILL at a random moment of each run, then once more to the end. Sourced by the crash
# test and by bench/crash_soak.sh. Needs IGZ_BIN and IGUAZU_PLUGIN_PATH.

# crash_config DIR RUN COUNT DONE
crash_config() {
    cat >"$1/crash.toml" <<TOML
[service]
flush_interval = "50ms"
storage_path = "$1/storage"
storage_sync = "${IGZ_CRASH_SYNC:-normal}"
exit_when_done = $4
grace = "20s"

[[inputs.gen]]
rate = 20000
count = $3
batch = 200
fields = { run = "$2" }
stored_log = "$1/runs/stored.$2"

[[outputs.file]]
path = "$1/lake"
roll_age = "300ms"
fsync = false
TOML
}

crash_runs() {
    local n=$1 dir=$2 i
    mkdir -p "$dir/runs"
    for i in $(seq 1 "$n"); do
        crash_config "$dir" "$i" 0 false
        "$IGZ_BIN" run -c "$dir/crash.toml" 2>>"$dir/log" &
        local pid=$!
        # 0.2 to 1.0 s: sometimes before the first chunk is sealed, sometimes mid-flush
        sleep "0.$(((RANDOM % 9) + 2))"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
    done
    # the last run delivers what the others left and ends by itself
    crash_config "$dir" final 1000 true
    timeout 120 "$IGZ_BIN" run -c "$dir/crash.toml" 2>>"$dir/log"
}
