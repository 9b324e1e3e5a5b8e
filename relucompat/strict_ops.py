"""The strict route's ops: ``OpFromGraph``s whose gradients the contract defines, built
once per backend and input types, and picklable with the graphs and functions that hold them.

Each is ``inline=True``: the inner graph is expanded at compile time, so elemwise fusion sees
through it. Their derivatives are module-level objects, not closures, so that a model that
uses them pickles, deep-copies and loads in a fresh process.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List

from relucompat import _derivative_ops
from relucompat.discovery import backend_of, load
from relucompat.lineage import Loaded

__all__ = ["leaky_op", "relu_op"]


def __dir__() -> list[str]:
    return __all__


def _cached(backend: Loaded, kind: str, types: tuple, make: Callable[..., Any]) -> Any:
    key = (backend.backend.import_name, kind, *types)
    return _derivative_ops.cached(key, lambda: make(backend, *types))


def relu_op(backend: Loaded, x_type: Any) -> Any:
    """``switch(x <= 0, 0, x)`` with the gradient ``g * (x > 0)``, for inputs of ``x_type``."""
    return _cached(backend, "relu", (x_type,), _relu_op)


def leaky_op(backend: Loaded, x_type: Any, alpha_type: Any) -> Any:
    """The strict leaky relu of ``x`` and ``alpha`` (both already of the result dtype)."""
    return _cached(backend, "leaky", (x_type, alpha_type), _leaky_op)


def _relu_op(backend: Loaded, x_type: Any) -> Any:
    T = backend.tensor
    x = x_type()
    # A Python 0 (int8) keeps the output dtype of a float x and, on Theano and Aesara,
    # avoids the slow C path that a float constant branch takes.
    out = T.switch(T.le(x, 0), 0, x)
    return _op_from_graph(backend, [x], out, RELU_PULLBACK, RELU_PUSHFORWARD, "relu_strict")


# For each float dtype, the widest integer whose product with it keeps the float's dtype.
_MASK_DTYPES = {"float16": "int8", "float32": "int16", "float64": "int32"}


def masked(T: Any, g: Any, x: Any) -> Any:
    """``g`` where ``x > 0``, else 0: the strict gradient.

    The mask ``x > 0`` is cast to an integer and passed through ``abs``, which changes no
    value (it is 0 or 1) but is an integer step that the rewriters keep. Without it, when
    ``g`` is a constant (the gradient of a sum), they drop the product and leave a cast
    from bool to float, whose C loop gcc does not vectorize (it made that gradient 2.4-5.6x
    the fastest candidate on every C linker; docs/performance.md). The integer is the
    widest whose product with ``g`` keeps ``g``'s dtype, so that the mask is narrowed no
    more than needed.

    Also measured, and slower: a Python 0 (Theano's C then compares against an int8), an
    explicit cast to x's dtype (up to 1.6x with a real ``g``), and ``switch(x > 0, g, 0)``
    (5 ms on Theano and Aesara once ``g`` is a constant).
    """
    positive = T.gt(x, T.constant(0, dtype=x.dtype))
    return g * abs(T.cast(positive, _MASK_DTYPES.get(g.dtype, "int8")))


def _leaky_op(backend: Loaded, x_type: Any, alpha_type: Any) -> Any:
    T = backend.tensor
    x, alpha = x_type(), alpha_type()
    zero = T.constant(0, dtype=x.dtype)
    # alpha == 0 at run time must give +0, as the static case does, not 0 * -inf = NaN.
    # neq, not eq: PyTensor's PyTorch linker runs eq as torch.equal, one bool for the whole
    # tensor (PyTensor 3.0 and 3.3); neq is torch.not_equal, elementwise, on every linker.
    out = T.switch(T.le(x, 0), T.switch(T.neq(alpha, 0), _times_alpha(T, alpha, x), zero), x)
    return _op_from_graph(
        backend, [x, alpha], out, LEAKY_PULLBACK, LEAKY_PUSHFORWARD, "leaky_relu_strict"
    )


def _times_alpha(T: Any, alpha: Any, value: Any) -> Any:
    # A float64 alpha (a constant, see formulation.masked_switch) makes the product exact
    # before it is rounded once to x's dtype: the same bits as a product in that dtype.
    return T.cast(alpha * value, value.dtype)


def _slope(T: Any, x: Any, alpha: Any) -> Any:
    return T.switch(T.gt(x, 0), T.constant(1, dtype=x.dtype), alpha)


def _negative_part(T: Any, x: Any) -> Any:
    return T.switch(T.le(x, 0), x, T.constant(0, dtype=x.dtype))


# The derivatives. Each op holds its pair as attributes, so they pickle with it: closures do
# not pickle; these module-level singletons pickle by name, so they stay one object after
# loading and under copy.deepcopy. They hold no state: the backend's tensor module is found
# from the class of the variables they get.


def _tensor_module(var: Any) -> Any:
    backend = backend_of(var)
    assert backend is not None, f"not a variable of a known backend: {var!r}"
    return load(backend).tensor


class _Override:
    """Pickled as a reference to the module attribute of the same name."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __reduce__(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"relucompat.strict_ops.{self._name}"


class _ReluPullback(_Override):
    def __call__(self, inputs: List[Any], grads: List[Any]) -> List[Any]:
        (x,) = inputs
        return [masked(_tensor_module(x), grads[0], x)]


class _ReluPushforward(_Override):
    # Eval points are None where an input has none.
    def __call__(self, inputs: List[Any], eval_points: List[Any]) -> List[Any]:
        (x,), (ev,) = inputs, eval_points
        return [None if ev is None else masked(_tensor_module(x), ev, x)]


class _LeakyPullback(_Override):
    def __call__(self, inputs: List[Any], grads: List[Any]) -> List[Any]:
        (x, alpha), (g,) = inputs, grads
        T = _tensor_module(x)
        grad_x = T.cast(g * _slope(T, x, alpha), x.dtype)
        return [_sum_to(T, grad_x, x), _sum_to(T, g * _negative_part(T, x), alpha)]


class _LeakyPushforward(_Override):
    def __call__(self, inputs: List[Any], eval_points: List[Any]) -> List[Any]:
        (x, alpha), (ex, ea) = inputs, eval_points
        T = _tensor_module(x)
        out = None if ex is None else T.cast(ex * _slope(T, x, alpha), x.dtype)
        if ea is not None:
            term = T.cast(ea * _negative_part(T, x), x.dtype)
            out = term if out is None else out + term
        return [out]


RELU_PULLBACK = _ReluPullback("RELU_PULLBACK")
RELU_PUSHFORWARD = _ReluPushforward("RELU_PUSHFORWARD")
LEAKY_PULLBACK = _LeakyPullback("LEAKY_PULLBACK")
LEAKY_PUSHFORWARD = _LeakyPushforward("LEAKY_PUSHFORWARD")


def _op_from_graph(
    backend: Loaded, inputs: list, out: Any, pullback: Any, pushforward: Any, name: str
) -> Any:
    # inline=True: the inner graph is expanded at compile time, so elemwise fusion applies.
    op = _op_class(backend.OpFromGraph)(inputs, [out], inline=True, name=name)
    op.strict_pullback, op.strict_pushforward = pullback, pushforward
    return op


@functools.lru_cache(maxsize=None)
def _op_class(base: Any) -> Any:
    """``base`` (the backend's OpFromGraph), picklable, with the contract's derivatives."""

    class StrictOpFromGraph(_derivative_ops.with_derivatives(base)):  # type: ignore[misc]
        # The derivatives are built here on the outer variables, not through the derivative
        # OpFromGraph that the base would make: inlining that one clones the graphs of all
        # its inputs (the forward, the output and the incoming gradient), and in the Aesara
        # lineage the merge does not always fold the copies back. A LeNet step kept 6
        # copies of its forward on PyTensor 2.8.11 (172 nodes, against 76).

        def connection_pattern(self, node: Any) -> List[List[bool]]:
            return [[True] for _ in node.inputs]  # every input reaches the one output

        def infer_shape(self, *arguments: Any) -> Any:
            # (fgraph, node, input shapes); Theano 1.0.5 passes no fgraph. The base's shape
            # is its inner graph's, cloned onto the outer input, and a rewrite that folds a
            # shape then walks x's whole upstream graph: 1.0 s of one LeNet step's compile
            # on Aesara 2.9.4, where the theano route's elemwise took 0.08 s.
            node, shapes = arguments[-2:]
            x, *alpha = node.inputs
            if all(a.ndim <= x.ndim and all(a.type.broadcastable) for a in alpha):
                return [shapes[0]]  # elementwise in x; a scalar alpha does not broadcast it
            return super().infer_shape(*arguments)

        def _pullback(self, inputs: Any, output_grads: Any) -> Any:
            return self.strict_pullback(inputs, output_grads)

        def _pushforward(self, inputs: Any, points: Any) -> Any:
            (out,) = self.strict_pushforward(inputs, points)
            return out

        def __reduce__(self) -> Any:
            return _rebuild_op, (self.import_name, _derivative_ops.state(self))

    return StrictOpFromGraph


# Named in the pickles of models that hold these ops: keep its name and arguments.
def _rebuild_op(import_name: str, state: Dict[str, Any]) -> Any:
    return _derivative_ops.rebuilt(_op_class, import_name, state)


def _sum_to(T: Any, grad: Any, var: Any) -> Any:
    """Reduce ``grad`` over the axes along which ``var`` was broadcast."""
    axes = tuple(
        i
        for i, (g_b, v_b) in enumerate(zip(grad.broadcastable, var.broadcastable))
        if v_b and not g_b
    )
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return T.cast(grad, var.dtype) if grad.dtype != var.dtype else grad
