"""Write tests/golden/conv-theano-1.0.5.npz from the real Theano 1.0.5's conv2d.

Run it in the Theano 1.0.5 env (it refuses any other), from the repository root:

    /work/bin/tenv py38-theano python tools/golden_conv.py
    (or: tox exec -e py38-theano -- python tools/golden_conv.py)

The cases are defined in tests/conv_cases.py, which the tests share. Each array is stored
under ``"<case id>|<output>"``; ``produced_by`` records how the file was made.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import _theano_golden  # noqa: E402
import conv_cases  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "golden", "conv-theano-1.0.5.npz")


def main() -> int:
    _theano_golden.require_theano_1_0_5("golden_conv.py")
    import theano
    from theano.tensor import nnet

    arrays = {}
    for cases in conv_cases.by_dtype().values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nnet.conv.conv2d is deprecated
            inputs, outputs, feed = conv_cases.build(theano, nnet, cases)
        values = list(theano.function(inputs, outputs)(*feed))
        for case in cases:
            for name in conv_cases.OUTPUTS:
                arrays[f"{case.id}|{name}"] = values.pop(0)
    produced_by = _theano_golden.produced_by(
        "golden_conv.py", blas__ldflags=theano.config.blas.ldflags
    )
    arrays["produced_by"] = np.array(json.dumps(produced_by, sort_keys=True))
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {len(conv_cases.cases())} cases to {os.path.relpath(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
