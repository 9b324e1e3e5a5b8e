"""``theano.tensor.nnet.nnet``: relu, the softmaxes, the exponential units, and the
crossentropies.

Theano's softmax and logsoftmax normalise each row of a matrix, take a vector as a 1xN row
(and return that row), and refuse anything else; Aesara and PyTensor normalise over an
``axis`` and accept any shape, so the rules are checked here before calling them.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from relucompat.legacy import _namespace
from relucompat.legacy.tensor.nnet.sigm import float_dtype, sigmoid, softplus

__all__ = [
    "binary_crossentropy",
    "categorical_crossentropy",
    "crossentropy_categorical_1hot",
    "elu",
    "logsoftmax",
    "relu",
    "selu",
    "sigmoid_binary_crossentropy",
    "softmax",
    "softsign",
]


def __dir__() -> list[str]:
    return __all__


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def relu(x: Any, alpha: Any = 0) -> Any:
    """Theano's ``nnet.relu``, through relucompat (``"theano"`` semantics). As in Theano,
    a NumPy array or a number with ``alpha`` 0 gives a NumPy result: Theano's expression
    ``0.5 * (x + abs(x))`` evaluated by NumPy."""
    plain = (np.ndarray, np.generic, int, float)
    if isinstance(x, plain) and isinstance(alpha, plain) and np.ndim(alpha) == 0 and alpha == 0:
        value: Any = x
        return 0.5 * (value + abs(value))
    from relucompat.route import relu as relucompat_relu

    return relucompat_relu(x, alpha, semantics="theano")


def _rowwise(name: str, c: Any, native: Any) -> Any:
    T = _namespace.backend().tensor
    c = T.as_tensor_variable(c)
    if c.ndim not in (1, 2) or not c.dtype.startswith("float"):
        raise ValueError(
            f"{name}: c must be a 1-d or 2-d tensor of floats, as in Theano 1.0.5 "
            f"(it normalises each row of a matrix); got {c.ndim}-d {c.dtype}"
        )
    if "axis" not in inspect.signature(native).parameters:
        return native(c)  # Theano's own op
    if c.ndim == 1:
        c = T.shape_padleft(c)  # Theano's softmax of a vector is a 1xN row
    return native(c, axis=-1)


def softmax(c: Any) -> Any:
    """Theano's ``nnet.softmax``: each row of a matrix; a vector gives a 1xN row."""
    native = _namespace.native_or("softmax", "tensor.special.softmax")
    return _rowwise("softmax", c, native)


def logsoftmax(c: Any) -> Any:
    """Theano's ``nnet.logsoftmax``: ``log(softmax(c))`` computed stably, with its shapes."""
    native = _namespace.native_or("logsoftmax", "tensor.special.log_softmax")
    return _rowwise("logsoftmax", c, native)


def softsign(x: Any) -> Any:
    """``x / (1 + abs(x))``."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.softsign(x)
    T = _namespace.backend().tensor
    x = T.as_tensor_variable(x)
    x = T.cast(x, float_dtype(x.dtype))
    return x / (1 + abs(x))


def elu(x: Any, alpha: Any = 1) -> Any:
    """``switch(x > 0, x, alpha * expm1(x))``."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.elu(x, alpha)
    loaded = _namespace.backend()
    T = loaded.tensor
    # Theano's graph; the condition is cut from the gradient, to which PyTensor's comparisons
    # add floatX zeros (a float64 gradient for float32 x).
    x = T.as_tensor_variable(x)
    positive = loaded.module.gradient.disconnected_grad(x) > 0
    return T.switch(positive, x, alpha * T.expm1(x))


def selu(x: Any) -> Any:
    """``1.0507... * elu(x, 1.6732...)``."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.selu(x)
    T = _namespace.backend().tensor
    x = T.as_tensor_variable(x)
    # Theano made the two constants, which float32 cannot hold, floatX: a float32 x gives
    # float64 unless floatX is float32. PyTensor would make them float64 either way.
    dtype = np.result_type(float_dtype(x.dtype), _namespace.floatx())
    return T.cast(SELU_SCALE * elu(x, SELU_ALPHA), str(dtype))


def binary_crossentropy(output: Any, target: Any) -> Any:
    """``-(target * log(output) + (1 - target) * log(1 - output))``."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.binary_crossentropy(output, target)
    T = _namespace.backend().tensor
    return -(target * T.log(output) + (1.0 - target) * T.log(1.0 - output))


def _sigmoid_binary_crossentropy_grad(inputs: Any, outputs: Any, grads: Any) -> Any:
    (output, target), (out_grad,) = inputs, grads
    # Called when the gradient is taken, maybe long after the op was built: over the
    # graph's own backend, as built (relucompat.nn builds it outside the legacy namespace).
    loaded = _namespace.owner("sigmoid_binary_crossentropy's gradient", output)
    with _namespace.standing_over(loaded):
        return [out_grad * (sigmoid(output) - target), out_grad * (-output)]


def sigmoid_binary_crossentropy(output: Any, target: Any) -> Any:
    """``binary_crossentropy(sigmoid(output), target)``, stably: Theano's inline
    OpFromGraph of ``softplus(-abs(output)) + output * ((output > 0) - target)``, whose
    gradient is ``sigmoid(output) - target`` (and ``-output`` for the target)."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.sigmoid_binary_crossentropy(output, target)
    B = _namespace.backend().module
    from importlib import import_module

    builders = import_module(f"{_namespace.package()}.compile.builders")
    inputs = [B.tensor.as_tensor_variable(output), B.tensor.as_tensor_variable(target)]
    x, t = (v.type() for v in inputs)
    out = softplus(-abs(x)) + x * ((x > 0) - t)
    # PyTensor 3.3 renamed lop_overrides pullback (the old name warns).
    parameters = inspect.signature(builders.OpFromGraph.__init__).parameters
    grad = "pullback" if "pullback" in parameters else "lop_overrides"
    op = builders.OpFromGraph(
        [x, t],
        [out],
        inline=True,
        name="sigmoid_binary_crossentropy",
        **{grad: _sigmoid_binary_crossentropy_grad},
    )
    return op(*inputs)


def crossentropy_categorical_1hot(coding_dist: Any, true_one_of_n: Any) -> Any:
    """``-log(coding_dist[i, true_one_of_n[i]])`` for each row ``i``."""
    nnet = _namespace.native_nnet()
    T = _namespace.backend().tensor
    coding_dist = T.as_tensor_variable(coding_dist)
    true_one_of_n = T.as_tensor_variable(true_one_of_n)
    if coding_dist.ndim != 2:
        raise TypeError(
            f"crossentropy_categorical_1hot: coding_dist must be a matrix; got {coding_dist.ndim}-d"
        )
    if true_one_of_n.ndim != 1 or true_one_of_n.dtype not in ("int32", "int64"):
        raise TypeError(
            "crossentropy_categorical_1hot: true_one_of_n must be an int32 or int64 vector "
            f"of class indices; got {true_one_of_n.ndim}-d {true_one_of_n.dtype}"
        )
    if nnet is not None:
        return nnet.crossentropy_categorical_1hot(coding_dist, true_one_of_n)
    # coding_dist[arange(n), labels] as one index into the flattened matrix: PyTensor's C
    # has AdvancedSubtensor1 (and its gradient), not AdvancedSubtensor. Labels index as
    # numpy's do (-1 is the last class); out of range they fail, as in Theano.
    from importlib import import_module

    classes = coding_dist.shape[1]
    labels = T.switch(true_one_of_n < 0, true_one_of_n + classes, true_one_of_n)
    valid = T.all((labels >= 0) & (labels < classes))
    message = "crossentropy_categorical_1hot: a label in true_one_of_n is out of range"
    labels = import_module(f"{_namespace.package()}.raise_op").Assert(message)(labels, valid)
    rows = T.arange(labels.shape[0])
    return -T.log(coding_dist.flatten()[rows * classes + labels])


def categorical_crossentropy(coding_dist: Any, true_dist: Any) -> Any:
    """``-sum(true_dist * log(coding_dist))`` over the last axis when ``true_dist`` has
    ``coding_dist``'s rank; :func:`crossentropy_categorical_1hot` when it is one less."""
    T = _namespace.backend().tensor
    coding_dist, true_dist = T.as_tensor_variable(coding_dist), T.as_tensor_variable(true_dist)
    if true_dist.ndim == coding_dist.ndim:
        return -T.sum(true_dist * T.log(coding_dist), axis=coding_dist.ndim - 1)
    if true_dist.ndim == coding_dist.ndim - 1:
        return crossentropy_categorical_1hot(coding_dist, true_dist)
    raise TypeError(
        "categorical_crossentropy: true_dist must have coding_dist's rank (a distribution "
        f"per row) or one less (integer labels); got {true_dist.ndim}-d true_dist for "
        f"{coding_dist.ndim}-d coding_dist"
    )
