# test_cli.sh - the command line: version, help, plugins, check, and configuration errors.
. "$IGZ_TEST_LIB"

run_iguazu 10 --version
expect_eq "--version exits 0" 0 "$RC"
expect_grep "--version names the ABI" '^iguazu [0-9]+\.[0-9]+\.[0-9]+ \(plugin ABI 1\.0\)$' "$T/out"

run_iguazu 10 --help
expect_eq "--help exits 0" 0 "$RC"
expect_grep "--help lists run" 'run \[-c FILE\]' "$T/out"

run_iguazu 10 frobnicate
expect_eq "unknown command exits 2" 2 "$RC"
expect_grep "unknown command is named" 'unknown command "frobnicate"' "$T/err"

run_iguazu 10 plugins
expect_eq "plugins exits 0" 0 "$RC"
expect_grep "plugins lists in_gen" '^input +gen +generate numbered records' "$T/out"
expect_grep "plugins lists out_null" '^output +null +discard every record' "$T/out"

run_iguazu 10 plugins gen
expect_eq "plugins gen exits 0" 0 "$RC"
expect_grep "plugins gen shows count" '^  count +integer +"0" +records to generate' "$T/out"
expect_grep "plugins gen shows the common tag" '^  tag +string' "$T/out"
run_iguazu 10 plugins in_gen
expect_eq "plugins in_gen (file name) exits 0" 0 "$RC"
run_iguazu 10 plugins nosuch
expect_eq "plugins nosuch exits 1" 1 "$RC"
expect_grep "plugins nosuch says so" 'no plugin named "nosuch"' "$T/err"

cat >"$T/ok.toml" <<'TOML'
[service]
flush_interval = "200ms"

[[inputs.gen]]
alias = "numbers"
tag = "events.gen"
count = 10

[[outputs.null]]
match = "events.*"
TOML
run_iguazu 10 check -c "$T/ok.toml"
expect_eq "check of a valid file exits 0" 0 "$RC"
expect_grep "check prints the input" 'input +numbers +tag +"events.gen"' "$T/out"
expect_grep "check prints the output" 'output +null\.0 +match +"events\.\*"' "$T/out"

# check_error NAME TOML PATTERN: the file must be refused with a message matching PATTERN
check_error() {
    printf '%s\n' "$2" >"$T/bad.toml"
    run_iguazu 10 check -c "$T/bad.toml"
    expect_eq "$1: exit 1" 1 "$RC"
    expect_grep "$1: message" "$3" "$T/err"
}

check_error "malformed toml" '[[inputs.gen]]
count = = 3' "bad\.toml:2: "
check_error "unknown plugin" '[[inputs.gem]]' 'bad\.toml:1: unknown input plugin "gem" \(known: .*gen.*\); did you mean "gen"\?'
check_error "unknown key" '[[inputs.gen]]
cuont = 3' 'bad\.toml:2: unknown key "cuont" in \[\[inputs\.gen\]\]; did you mean "count"\?'
check_error "wrong type" '[[inputs.gen]]
count = "many"' 'bad\.toml:2: "count" of \[\[inputs\.gen\]\] must be an integer, not string'
check_error "bad duration" '[service]
flush_interval = "soon"' 'bad\.toml:2: "flush_interval" of \[service\] must be a duration'
check_error "bad enum" '[service]
log_level = "loud"' 'must be one of error\|warn\|info\|debug\|trace, not "loud"'
check_error "unset variable" '[[inputs.gen]]
tag = "${IGZ_SURELY_UNSET_VAR}"' 'bad\.toml:2: environment variable "IGZ_SURELY_UNSET_VAR" is not set'
check_error "unknown section" '[servce]' 'unknown section "servce"; did you mean "service"\?'
check_error "required key" '[[outputs.testsink]]' 'bad\.toml:1: \[\[outputs\.testsink\]\] is missing the required key "path"'
run_iguazu 10 check -c "$T/does-not-exist.toml"
expect_eq "missing file: exit 1" 1 "$RC"
expect_grep "missing file: message" 'open\(\) ".*does-not-exist.toml" failed \(2: No such file or directory\)' "$T/err"

# JSON log lines
cat >"$T/json.toml" <<'TOML'
[service]
log_format = "json"
exit_when_done = true
flush_interval = "20ms"

[[inputs.gen]]
count = 5
alias = "quote\"d"

[[outputs.null]]
TOML
run_iguazu 10 run -c "$T/json.toml"
expect_eq "json logs: exit 0" 0 "$RC"
python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert all({"time", "level", "message"} <= set(l) for l in lines), lines
assert any(l.get("instance") == "in_gen quote\"d" for l in lines), lines
print(len(lines))' "$T/err" >"$T/jcount" 2>&1
expect_grep "json logs: every line is a JSON object with time, level, message, instance" '^[0-9]+$' "$T/jcount"

# variables with defaults and from the environment
cat >"$T/vars.toml" <<'TOML'
[[inputs.gen]]
tag = "${IGZ_TEST_TAG:-fallback}"
alias = "${IGZ_TEST_ALIAS}"
TOML
IGZ_TEST_ALIAS=from_env run_iguazu 10 check -c "$T/vars.toml"
expect_eq "variables: exit 0" 0 "$RC"
expect_grep "variable default used" 'input +from_env +tag +"fallback"' "$T/out"

finish
