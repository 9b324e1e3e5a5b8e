"""``theano.tensor.nnet.sigm``: the sigmoid family, and Theano's two approximations of it."""

from __future__ import annotations

from typing import Any

import numpy as np

from relucompat.legacy import _namespace

__all__ = ["float_dtype", "hard_sigmoid", "sigmoid", "softplus", "ultra_fast_sigmoid"]


def __dir__() -> list[str]:
    return __all__


def sigmoid(x: Any) -> Any:
    """``1 / (1 + exp(-x))``: the backend's own op."""
    return _namespace.native_or("sigmoid", "tensor.sigmoid")(x)


def softplus(x: Any) -> Any:
    """``log(1 + exp(x))``: the backend's own op."""
    return _namespace.native_or("softplus", "tensor.softplus")(x)


def float_dtype(dtype: str) -> str:
    """Theano's ``scalar.upgrade_to_float``: the float dtype an elementwise op computes in."""
    if dtype.startswith("float"):
        return dtype
    return "float32" if dtype in ("int8", "uint8", "int16", "uint16") else "float64"


def hard_sigmoid(x: Any) -> Any:
    """``clip(x * 0.2 + 0.5, 0, 1)``, in ``x``'s float dtype."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.hard_sigmoid(x)
    T = _namespace.backend().tensor
    x = T.as_tensor_variable(x)
    dtype = float_dtype(x.dtype)
    x = (x * T.constant(0.2, dtype=dtype)) + T.constant(0.5, dtype=dtype)
    return T.clip(x, 0, 1)


def ultra_fast_sigmoid(x: Any) -> Any:
    """Theano's piecewise approximation: ``0.5 * (t(0.5 * x) + 1)``, where ``t`` is a tanh
    of three pieces (``1.5 y / (1 + y)`` below 1.7, a line below 3, then 0.99505475368673),
    odd in ``y``. Built as Theano's C code computes it: in double, stored in ``x``'s dtype.
    Theano has no gradient for it; the built one has that of its pieces."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.ultra_fast_sigmoid(x)
    T = _namespace.backend().tensor
    x = T.as_tensor_variable(x)
    dtype = float_dtype(x.dtype)

    def double(v: Any) -> Any:
        return T.cast(v, "float64")

    def stored(v: Any) -> Any:  # the C code's assignment to a variable of the dtype
        return T.cast(v, dtype)

    half = stored(0.5 * double(x))  # dtype x = 0.5 * x;
    y = abs(half)  # the C code's xx = -x for x < 0 (and NaN goes to the last piece)
    one_plus = T.constant(1, dtype=dtype) + y  # 1 + x in the dtype
    pieces = T.switch(
        double(y) < 1.7,
        stored(1.5 * double(y) / double(one_plus)),
        T.switch(
            y < 3,
            stored(0.935409070603099 + 0.0458812946797165 * (double(y) - 1.7)),
            T.constant(np.asarray(0.99505475368673, dtype=dtype)),
        ),
    )
    z = T.switch(half >= 0, pieces, -pieces)
    return stored(0.5 * (double(z) + 1.0))
