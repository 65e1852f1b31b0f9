# lib.sh - helpers of the out_file and out_stdout tests (sourced). The test's
# first argument is the iguazu binary. Each test works in its own temporary
# folder, removed on exit; a failure prints what was expected and what came.
set -u
IGZ_BIN=${1:?usage: $0 PATH/TO/iguazu}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d -t igz-outfile.XXXXXX)
CLEANUP=()
cleanup() {
    local c
    for c in "${CLEANUP[@]+"${CLEANUP[@]}"}"; do eval "$c"; done
    rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../engine/assert.sh"


# expect_no_grep WHAT PATTERN FILE
expect_no_grep() {
    if ! grep -qE -- "$2" "$3"; then pass "$1"; else
        fail "$1: unexpected line matching /$2/ in $3:"
        grep -E -- "$2" "$3" | head -5 | sed 's/^/    /' >&2
    fi
}

# run_iguazu LIMIT CONFIG: runs `iguazu run -c CONFIG` with a time limit;
# status in $RC, stdout in $T/out, stderr in $T/err
run_iguazu() {
    timeout -k 5 "$1" "$IGZ_BIN" run -c "$2" >"$T/out" 2>"$T/err"
    RC=$?
}

# expect_clean_exit WHAT: the last run ended by itself with status 0
expect_clean_exit() {
    if [ "$RC" -eq 0 ]; then pass "$1: exit 0"; else
        fail "$1: exit status $RC (124: timed out, above 128: killed by a signal)"
        tail -20 "$T/err" | sed 's/^/    /' >&2
    fi
}

# expect_lake WHAT DIR [ARGS...]: check_lake.py's checks of DIR pass
expect_lake() {
    local what=$1 res
    shift
    res=$(python3 "$HERE/check_lake.py" "$@" 2>&1)
    case "$res" in
    ok*) pass "$what ($res)" ;;
    *) fail "$what: $res" ;;
    esac
}

# service_toml: the [service] table every test starts from
service_toml() {
    cat <<TOML
[service]
flush_interval = "100ms"
exit_when_done = true
${1:-}
TOML
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
