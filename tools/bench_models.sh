#!/usr/bin/env bash
# The committed model-step records: relucompat bench --model in the envs the targets name,
# one after the other on an otherwise idle machine (timings compare only within a run).
# Needs the envs: run the README test command first. Then: python tools/bench_tables.py
# MODELS="lenet" runs one model only; CANDIDATES="maximum(x,0);relucompat theano" times
# those candidates only. The lenet records: MODELS=lenet CANDIDATES="nnet.relu;maximum(x,0);
# x*(x>0);relucompat theano;relucompat strict" tools/bench_models.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/models
dtype=${DTYPE:-float32}  # Theano-era programs ran with floatX=float32
chosen=()
IFS=';' read -ra names <<< "${CANDIDATES:-}"
for name in "${names[@]}"; do
    chosen+=(--candidate "$name")
done
for env in py38-theano py311-pytensor2 py313-pytensor3; do
    for model in ${MODELS:-mlp lenet}; do
        echo "== $env $model $dtype"
        python3 -m tox exec -e "$env" -qq --skip-pkg-install -- relucompat bench --model "$model" \
            --dtype "$dtype" "${chosen[@]}" --json "bench/models/$env-$model-$dtype.json" \
            > "bench/models/$env-$model-$dtype.txt"
    done
done
