# test_plugins_abi.sh - plugins of another ABI, without a magic block, or not plugins at all
# are refused before any of their code runs (their flush would abort).
. "$IGZ_TEST_LIB"

cat >"$T/abi.toml" <<TOML
[service]
plugins = ["$IGZ_BAD_PLUGIN_DIR/out_abi2.so"]
TOML
run_iguazu 10 check -c "$T/abi.toml"
expect_eq "ABI major 2: exit 1" 1 "$RC"
expect_grep "ABI major 2: message names the file" "incompatible plugin \".*/out_abi2.so\": ABI mismatch" "$T/err"
expect_grep "ABI major 2: both versions" "iguazu has ABI 1\.0, plugin has 2\.0" "$T/err"

sed -i 's/out_abi2/out_abi_minor/' "$T/abi.toml"
run_iguazu 10 check -c "$T/abi.toml"
expect_eq "newer minor: exit 1" 1 "$RC"
expect_grep "newer minor: both versions" "iguazu has ABI 1\.0, plugin has 1\.99" "$T/err"

sed -i 's/out_abi_minor/out_nomagic/' "$T/abi.toml"
run_iguazu 10 check -c "$T/abi.toml"
expect_eq "no magic: exit 1" 1 "$RC"
expect_grep "no magic: message" "is not an iguazu plugin: it has no \"igz_plugin_magic\" symbol" "$T/err"

# a file that is not a shared object at all
echo "not an elf" >"$T/out_fake.so"
sed -i "s|\"[^\"]*out_nomagic.so\"|\"$T/out_fake.so\"|" "$T/abi.toml"
run_iguazu 10 check -c "$T/abi.toml"
expect_eq "not a .so: exit 1" 1 "$RC"
expect_grep "not a .so: message" "cannot load plugin \".*out_fake.so\"" "$T/err"

# the same refusals through the search path, by name
cat >"$T/byname.toml" <<'TOML'
[[outputs.abi2]]
TOML
IGUAZU_PLUGIN_PATH="$IGZ_BAD_PLUGIN_DIR" run_iguazu 10 check -c "$T/byname.toml"
expect_eq "by name: exit 1" 1 "$RC"
expect_grep "by name: message with line" "byname\.toml:1: incompatible plugin" "$T/err"

# `iguazu plugins` lists the broken ones with their reason and goes on
IGUAZU_PLUGIN_PATH="$IGZ_BAD_PLUGIN_DIR:$IGUAZU_PLUGIN_PATH" run_iguazu 10 plugins
expect_grep "plugins shows the refusal" "ABI mismatch" "$T/out"
expect_grep "plugins still lists good ones" "^output +null" "$T/out"
finish
