#!/usr/bin/env bash
# The committed model-step records: relucompat bench --model in every env of
# tools/bench_envs.sh's MODEL_PAIRINGS, one after the other on an otherwise idle machine
# (timings compare only within a run). Needs the envs: run the README test command first. Then:
# python tools/bench_tables.py
# MODELS="lenet" runs one model only; CANDIDATES="maximum(x,0);relucompat theano" times
# those candidates only; ONLY="env[:linker] ..." those envs only. The lenet records:
# MODELS=lenet CANDIDATES="nnet.relu;maximum(x,0);x*(x>0);relucompat theano;relucompat strict"
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench_envs.sh
mkdir -p bench/models
dtype=${DTYPE:-float32}  # Theano-era programs ran with floatX=float32
chosen=()
IFS=';' read -ra names <<< "${CANDIDATES:-}"
for name in "${names[@]}"; do
    chosen+=(--candidate "$name")
done

bench_env() {
    local env=$1 model name=$1
    shift
    if [ $# -gt 0 ] && [[ $env != *-${*: -1} ]]; then  # an env's other linkers: own records
        name=$env-${*: -1}
    fi
    for model in ${MODELS:-mlp lenet lstm rbm dae}; do
        echo "== $env $model $dtype $*"
        python3 -m tox exec -e "$env" -qq --skip-pkg-install -- relucompat bench --model "$model" \
            --dtype "$dtype" "$@" "${chosen[@]}" --json "bench/models/$name-$model-$dtype.json" \
            > "bench/models/$name-$model-$dtype.txt"
    done
}

for_each_pairing MODEL_PAIRINGS bench_env
