# assert.sh - the checks every shell test uses (sourced): each prints "ok" or "FAIL" with what
# was expected and what came, and counts.
FAILED=0
PASSED=0

fail() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}

pass() {
    echo "ok   $*"
    PASSED=$((PASSED + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected \"$2\", got \"$3\""; fi
}

# expect_grep WHAT PATTERN FILE (extended regular expression)
expect_grep() {
    if grep -qE -- "$2" "$3"; then pass "$1"; else
        fail "$1: no line matching /$2/ in $3:"
        sed 's/^/    /' "$3" | tail -20 >&2
    fi
}
