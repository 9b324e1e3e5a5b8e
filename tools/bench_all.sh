#!/usr/bin/env bash
# The committed bench records: relucompat bench in every backend env, float64 and float32,
# one after the other on an otherwise idle machine (timings are only comparable within a
# run). Needs the envs: run the README test command first. Then: python tools/bench_tables.py
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench
# env[:linker]; the other envs of the matrix repeat these backends (multi, broken*).
for pairing in py38-theano py39-theanopymc py39-aesara28 py311-aesara py310-pytensor28 \
               py311-pytensor2 py311-pytensor30 py313-pytensor3 py312-pytensor3-jax:jax; do
    env=${pairing%%:*}
    linker=()
    [ "$pairing" != "$env" ] && linker=(--linker "${pairing#*:}")
    for dtype in float64 float32; do
        echo "== $env $dtype ${linker[*]}"
        python3 -m tox exec -e "$env" -qq --skip-pkg-install -- relucompat bench --dtype "$dtype" \
            "${linker[@]}" --json "bench/$env-$dtype.json" > "bench/$env-$dtype.txt"
    done
done
