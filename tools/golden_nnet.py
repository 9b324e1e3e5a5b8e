"""Write tests/golden/nnet-theano-1.0.5.npz from the real ``theano.tensor.nnet`` (and ``.bn``).

Run it in the Theano 1.0.5 env (it refuses any other):

    tox exec -e py38-theano -- python tools/golden_nnet.py

Each case of tests/nnet_cases.py (forward values, and the gradient of ``sum(out * w)``), in
float32 and float64, each dtype as one function under Theano's default linker. Arrays are
stored as they are, so tests compare bits.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import _theano_golden  # noqa: E402
import nnet_cases  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "golden", "nnet-theano-1.0.5.npz")


def main() -> int:
    _theano_golden.require_theano_1_0_5("golden_nnet.py")
    import theano
    import theano.tensor.nnet.bn

    api = SimpleNamespace(nnet=theano.tensor.nnet, bn=theano.tensor.nnet.bn)
    arrays = {}
    for group in nnet_cases.by_dtype().values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # softmax's vector DEPRECATION warning
            inputs, outputs, feed = nnet_cases.build(theano, api, group)
        values = theano.function(inputs, outputs, on_unused_input="ignore")(*feed)
        for case_id, found in nnet_cases.split(group, values).items():
            for name, value in found.items():
                arrays[f"{case_id}|{name}"] = value
    produced_by = _theano_golden.produced_by("golden_nnet.py", floatX=theano.config.floatX)
    arrays["produced_by"] = np.array(json.dumps(produced_by, sort_keys=True))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {len(arrays) - 1} arrays to {os.path.relpath(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
