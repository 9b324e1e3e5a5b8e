"""How relu is built as a graph. Each formulation works on every backend of the lineage:
Theano, Aesara and PyTensor share every name used here (``switch``, ``cast``,
``OpFromGraph``...), so a builder takes the loaded backend and uses its modules.

A builder gets ``x`` as a tensor of that backend, ``alpha`` as passed to ``relu``, and the
facts :func:`relucompat.arguments.read` found about them. The strict route's ops, with
their gradients, live in :mod:`relucompat.strict_ops`.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, NamedTuple

from relucompat import strict_ops
from relucompat.arguments import Arguments
from relucompat.lineage import Loaded

__all__ = ["FORMULATIONS", "masked_switch"]


def __dir__() -> list[str]:
    return __all__


class Formulation(NamedTuple):
    name: str
    expression: str
    build: Callable[[Loaded, Any, Any, Arguments], Any]


def native(backend: Loaded, x: Any, alpha: Any, facts: Arguments) -> Any:
    assert backend.native is not None
    if getattr(alpha, "ndim", 0) and facts.alpha_owner is None and alpha.size != 1:
        # Theano's ``alpha == 0`` would raise on it; its alpha branch converts it anyway.
        alpha = backend.tensor.as_tensor_variable(alpha)
    return backend.native(x, alpha)


def abs_average(backend: Loaded, x: Any, alpha: Any, facts: Arguments) -> Any:
    """Theano 1.0.5's ``nnet.relu``, op for op, so that the results match bit for bit.

    Integers with ``alpha == 0`` get the same wrapped sum from other ops (``_wrapping_sum``).
    """
    if facts.alpha_is_zero:
        return 0.5 * _wrapping_sum(backend, x)
    # Same constants as Theano, in the same order: they set the dtype and the rounding.
    alpha = backend.tensor.as_tensor_variable(alpha)
    f1 = 0.5 * (1 + alpha)
    f2 = 0.5 * (1 - alpha)
    return f1 * x + f2 * abs(x)


def _wrapping_sum(backend: Loaded, x: Any) -> Any:
    """``x + abs(x)`` as Theano's C computed it, in ``x``'s dtype, on every linker.

    For integers that sum wraps, and the graph ``x + abs(x)`` leaves the wrap to the linker,
    where they differ: numba (PyTensor 2.38 and 3.0) adds 8- to 32-bit integers in int64
    inside a fused op, so int8 ``relu(100)`` gave 100, not -28; PyTensor 3.3's py linker
    adds Python ints and raises OverflowError storing uint8 508 in uint8. So an integer sum
    is built from the bits the wrap keeps, with every value in the graph inside ``x``'s
    range: there is nothing for a linker to widen or overflow.
    """
    if x.dtype[0] not in "iu":
        return x + abs(x)
    import numpy as np

    T = backend.tensor
    info = np.iinfo(x.dtype)

    def const(value: int) -> Any:
        return T.constant(value, dtype=x.dtype)

    if info.min == 0:  # abs is the identity, and 2 * x drops the top bit
        low = x & const(info.max >> 1)
        return low + low
    # x <= 0 sums to 0 (abs(min) is min, and min + min wraps to 0). x > 0 sums to 2 * x,
    # whose bit bits-2 becomes the sign: half the sum is x's lower bits, minus top if set.
    top = 1 << (info.bits - 2)
    low = x & const(top - 1)
    half = T.switch(T.ge(x, const(top)), low - const(top), low)
    return T.switch(T.gt(x, const(0)), half + half, const(0))


def masked_switch(backend: Loaded, x: Any, alpha: Any, facts: Arguments) -> Any:
    """The strict contract: a switch forward, and a gradient masked by ``x > 0``.

    ``switch(x <= 0, 0, x)`` sends -inf, -0.0 and 0 to +0 and lets NaN through. Its own
    gradient would pass the upstream gradient at NaN, and on C linkers it compiles to a
    slow Switch, so an ``OpFromGraph`` supplies the gradient ``g * (x > 0)`` instead.
    """
    T = backend.tensor
    if facts.alpha_is_zero:
        if x.dtype[0] in "iu":  # integers have no gradient to fix; keep their dtype
            return T.switch(T.le(x, 0), T.constant(0, dtype=x.dtype), x)
        return strict_ops.relu_op(backend, x.type)(x)
    symbolic = facts.alpha_owner is not None
    dtype = leaky_dtype(x.dtype, alpha, symbolic)
    x = T.cast(x, dtype)
    if not symbolic:
        import numpy as np

        # Rounded to the result dtype, then held exactly as a float64: C code generators
        # print a float32 constant as a decimal that C reads back as another number.
        alpha = T.constant(np.asarray(np.asarray(alpha, dtype=dtype), dtype="float64"))
    else:
        alpha = T.cast(alpha, dtype)
    ndim = max(x.ndim, alpha.ndim)
    x, alpha = _pad(x, ndim), _pad(alpha, ndim)
    return strict_ops.leaky_op(backend, x.type, alpha.type)(x, alpha)


def leaky_dtype(x_dtype: str, alpha: Any, symbolic: bool) -> str:
    """The strict output dtype for a non-zero alpha (the dtype table of docs/semantics.md)."""
    import numpy as np

    if not symbolic and np.ndim(alpha) == 0:
        return x_dtype if x_dtype[0] == "f" else "float64"
    promoted = np.result_type(x_dtype, np.dtype(alpha.dtype))
    return "float64" if promoted.kind in "iu" else str(promoted)


def _pad(var: Any, ndim: int) -> Any:
    missing = ndim - var.ndim
    return var.dimshuffle(("x",) * missing + tuple(range(var.ndim))) if missing else var


FORMULATIONS: Dict[str, Formulation] = {
    f.name: f
    for f in (
        Formulation("native", "nnet.relu(x, alpha)", native),
        Formulation("abs-average", "0.5*(x+abs(x))", abs_average),
        Formulation("masked-switch", "switch(x<=0, 0, x), gradient g*(x>0)", masked_switch),
    )
}
