#!/usr/bin/env bash
# A library's suite as a user runs it twice: Lasagne 0.1's (or the part TESTS names) under
# relucompat run, first with empty compile caches, then with the caches the first run left;
# the wall-clock seconds of each. Issue 27's "many small functions": the suite compiles
# hundreds of small graphs. Needs a Python with the backend, relucompat, lasagne==0.1, mock
# and pytest<9 (tox.ini's py311-pytensor30-lasagne has them; Theano 1.0.5 needs its own venv):
#   tools/bench_suite.sh PYTHON [LINKER]     # bench/suites/<backend>-<linker>.txt
# TESTS="lasagne/tests/layers/test_pool.py" by default; TESTS=lasagne/tests for all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$1
linker=${2:-}
tests=${TESTS:-lasagne/tests/layers/test_pool.py}
mkdir -p bench/suites
sdist=$(mktemp -d)
caches=$(mktemp -d)
trap 'rm -rf "$sdist" "$caches"' EXIT
label=$("$python" -c "from relucompat import discovery as d; b = d.default(); print(b.label.replace(' ', '-'))")
label=$label-${linker:-default}
compiledir="base_compiledir=$caches/compiledir"
# Fetched once, before the clock starts, by pip (an env's Python may have none).
python3 -c "import sys; sys.path[:0] = ['tools']; import sdist_suite as s; s.fetch('lasagne==0.1', '$sdist')"
{
    echo "# tools/bench_suite.sh $python $linker; TESTS=$tests; $(date -u +%FT%TZ)"
    for run in cold rerun; do
        start=$EPOCHREALTIME
        THEANO_FLAGS=$compiledir${linker:+,linker=$linker} PYTENSOR_FLAGS=$compiledir \
            AESARA_FLAGS=$compiledir NUMBA_CACHE_DIR=$caches/numba \
            "$python" tools/sdist_suite.py lasagne==0.1 --tests "$tests" --into "$sdist" \
            -- -q -W ignore::DeprecationWarning 2>&1 | tail -1
        awk "BEGIN { printf \"$run: %.1f s\\n\", $EPOCHREALTIME - $start }"
    done
} | tee "bench/suites/$label.txt"
