"""Write tests/golden/theano-1.0.5.json from the real ``theano.tensor.nnet.relu``.

Run it in the Theano 1.0.5 env (it refuses any other):

    tox exec -e py38-theano -- python tools/make_golden.py

Every array is stored as its raw bytes in hex, so tests compare bits, not values.
The cases themselves are defined in tests/golden_cases.py, which the tests share.
"""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import _theano_golden  # noqa: E402
import golden_cases  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "golden", "theano-1.0.5.json")


def main() -> int:
    _theano_golden.require_theano_1_0_5("make_golden.py")
    import theano
    from theano.tensor.nnet import relu

    results = []
    for dtype, cases in golden_cases.by_dtype().items():
        inputs, outputs, feed = golden_cases.build(theano, relu, dtype, cases)
        values = theano.function(inputs, outputs, on_unused_input="ignore")(*feed)
        results.extend(golden_cases.record(cases, values))
    document = {
        "produced_by": _theano_golden.produced_by("make_golden.py", floatX=theano.config.floatX),
        "cases": results,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as stream:
        json.dump(document, stream, indent=1, sort_keys=True)
        stream.write("\n")
    print(f"wrote {len(results)} cases to {os.path.relpath(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
