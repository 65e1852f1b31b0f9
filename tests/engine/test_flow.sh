# test_flow.sh - records flow from in_gen through filters to outputs: nothing lost, fan-out,
# routing by tag, filters dropping and changing records.
. "$IGZ_TEST_LIB"

N=20000
cat >"$T/flow.toml" <<TOML
[service]
flush_interval = "50ms"
exit_when_done = true
chunk_size = "64KiB"

[[inputs.gen]]
tag = "events.a"
count = $N
batch = 300
fields = { event_type = "click", user = { id = 7 }, list = [1, 2] }

[[inputs.gen]]
tag = "other"
count = 100

[[outputs.testsink]]
alias = "first"
match = "events.*"
path = "$T/first.txt"

[[outputs.testsink]]
alias = "second"
match = "*"
path = "$T/second.txt"
TOML
run_iguazu 60 run -c "$T/flow.toml"
expect_eq "flow: exit 0 when done" 0 "$RC"
expect_eq "first output: every events.a record once" "0 0" "$(seq_check "$T/first.txt" $N)"
expect_eq "first output: nothing of tag other" "$N" "$(wc -l <"$T/first.txt")"
expect_eq "second output: both inputs" "$((N + 100))" "$(wc -l <"$T/second.txt")"
expect_grep "summary of the first output" "\[out_testsink first\] records out: $N, bytes out: [0-9]+," "$T/err"

# a filter that drops every 4th record and adds a field
cat >"$T/filter.toml" <<TOML
[service]
flush_interval = "50ms"
exit_when_done = true

[[inputs.gen]]
count = 1000

[[filters.testdrop]]
every = 4

[[outputs.testsink]]
path = "$T/filtered.txt"
TOML
run_iguazu 60 run -c "$T/filter.toml"
expect_eq "filter: exit 0" 0 "$RC"
expect_eq "filter: 750 records kept" 750 "$(wc -l <"$T/filtered.txt")"
expect_eq "filter: no multiple of 4 left" 0 "$(awk '$1 % 4 == 0' "$T/filtered.txt" | wc -l)"
expect_grep "filter: drops counted" "\[filter_testdrop testdrop.0\] records in: 1000, dropped: 250" "$T/err"
finish
