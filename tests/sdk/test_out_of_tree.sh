# test_out_of_tree.sh - install Iguazu into a temporary prefix, build the example plugin out of
# tree with pkg-config only, and load it into the installed binary.
. "$IGZ_TEST_LIB"

prefix="$T/prefix"
if cmake --install "$IGZ_BUILD_DIR" --prefix "$prefix" >"$T/install.log" 2>&1; then
    pass "install into a temporary prefix"
else
    fail "cmake --install failed"; cat "$T/install.log" >&2; finish; exit 1
fi
pc=$(find "$prefix" -name iguazu.pc | head -1)
[ -n "$pc" ] && pass "iguazu.pc installed" || fail "no iguazu.pc under $prefix"
for h in iguazu.h plugin.h record.h config.h version.h; do
    [ -f "$prefix/include/iguazu/$h" ] || fail "header $h not installed"
done
cp -r "$IGZ_SOURCE_DIR/examples/out-of-tree-plugin" "$T/example"
if PKG_CONFIG_PATH=$(dirname "$pc") make -C "$T/example" >"$T/make.log" 2>&1; then
    pass "example builds with pkg-config only"
else
    fail "example build failed"; cat "$T/make.log" >&2
fi
cat >"$T/hello.toml" <<TOML
[service]
plugins = ["$T/example/out_hello.so"]
exit_when_done = true
flush_interval = "50ms"

[[inputs.gen]]
count = 1000

[[outputs.hello]]
greeting = "bonjour"
TOML
# the installed binary, with the search path emptied: it must find its own plugins
IGZ_BIN="$prefix/bin/iguazu" IGUAZU_PLUGIN_PATH= run_iguazu 30 run -c "$T/hello.toml"
expect_eq "installed binary runs the example" 0 "$RC"
expect_grep "example plugin got every record" "\[out_hello hello.0\] bonjour: 1000 records in all" "$T/err"
IGUAZU_PLUGIN_PATH="$T/example" "$prefix/bin/iguazu" plugins hello >"$T/help" 2>&1
expect_grep "iguazu plugins hello shows its option" "greeting +string +\"hello\"" "$T/help"
finish
