#!/usr/bin/env bash
# bench/crash_soak.sh [N] - the crash test for longer: N (default 100) kill -9 at random moments
# of in_gen -> out_file with storage on, then a run to the end; prints how many records the input
# was told were stored, how many are missing (must be 0) and how many arrived twice.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
export IGZ_BIN=${IGZ_BIN:-$PWD/build/iguazu}
export IGUAZU_PLUGIN_PATH=${IGUAZU_PLUGIN_PATH:-$PWD/build/plugins}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. tests/engine/crash_runs.sh
crash_runs "$n" "$dir"
echo "crash soak, $n kills: $(python3 tests/engine/check_runs.py "$dir/lake" "$dir/runs")"
