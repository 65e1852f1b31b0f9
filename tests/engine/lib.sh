# lib.sh - helpers for the engine tests (sourced). Each test runs in its own
# temporary folder, removed on exit; failures print what was expected.
set -u
T=$(mktemp -d -t igz-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/assert.sh"


# run_iguazu TIMEOUT ARGS...: runs the binary with a time limit; status in $RC
run_iguazu() {
    local limit=$1
    shift
    timeout -k 5 "$limit" "$IGZ_BIN" "$@" >"$T/out" 2>"$T/err"
    RC=$?
}

# seq_check FILE N: prints how many of 0..N-1 are missing and how many duplicates there are
seq_check() {
    local missing dups
    missing=$(sort -n "$1" | uniq | awk -v n="$2" 'BEGIN{c=0} {seen[$1]=1} END{for(i=0;i<n;i++) if(!(i in seen)) c++; print c}')
    dups=$(sort -n "$1" | uniq -d | wc -l)
    echo "$missing $dups"
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
