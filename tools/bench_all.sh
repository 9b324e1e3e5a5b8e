#!/usr/bin/env bash
# The committed bench records: relucompat bench in every env of tools/bench_envs.sh, float64
# and float32, one after the other on an otherwise idle machine (timings are only comparable
# within a run). ONLY="env[:linker] ..." remakes those only. Needs the envs: run the README
# test command first. Then: python tools/bench_tables.py
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench_envs.sh
mkdir -p bench

bench_env() {
    local env=$1 dtype
    shift
    for dtype in float64 float32; do
        echo "== $env $dtype $*"
        python3 -m tox exec -e "$env" -qq --skip-pkg-install -- relucompat bench --dtype "$dtype" \
            "$@" --json "bench/$env-$dtype.json" > "bench/$env-$dtype.txt"
    done
}

for_each_pairing BENCH_PAIRINGS bench_env
