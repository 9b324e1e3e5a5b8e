"""``theano.tensor.nnet.bn``: batch normalization.

Where the backend has Theano's (``tensor.nnet.bn``, or Aesara's and PyTensor 2.8's
``tensor.nnet.batchnorm``), its own; elsewhere the graphs Theano's CPU rewrites substitute
for its abstract ops, with the backend's own gradient of them.
"""

from __future__ import annotations

from typing import Any, Sequence, Tuple

import numpy as np

from relucompat.legacy import _namespace

__all__ = ["batch_normalization", "batch_normalization_test", "batch_normalization_train"]


def __dir__() -> list[str]:
    return __all__


MODES = ("low_mem", "high_mem")


def _native() -> Any:
    if _namespace.native_nnet() is None:
        return None
    return _namespace.backend_module("tensor.nnet.bn") or _namespace.backend_module(
        "tensor.nnet.batchnorm"
    )


def batch_normalization(
    inputs: Any, gamma: Any, beta: Any, mean: Any, std: Any, mode: str = "low_mem"
) -> Any:
    """``(inputs - mean) / std * gamma + beta``; ``mode="high_mem"`` computes
    ``(inputs - mean) * (gamma / std) + beta``. Every argument has ``inputs``' rank."""
    if mode not in MODES:
        raise ValueError(f"batch_normalization: mode must be 'low_mem' or 'high_mem'; got {mode!r}")
    native = _native()
    if native is not None:
        return native.batch_normalization(inputs, gamma, beta, mean, std, mode=mode)
    # A graph, as Theano's Elemwise made one, even where every argument is an array.
    inputs = _namespace.backend().tensor.as_tensor_variable(inputs)
    if (
        mode == "low_mem"
    ):  # Theano's BNComposite: add(mul(true_div(sub(x, mean), std), gamma), beta)
        return (inputs - mean) / std * gamma + beta
    return (inputs - mean) * (gamma / std) + beta


def _axes(axes: Any, ndim: int) -> Tuple[Tuple[int, ...], Tuple[int, ...]]:
    """Theano's ``_prepare_batch_normalization_axes``, with messages that name the argument."""
    if isinstance(axes, str) and axes == "per-activation":
        axes = (0,)
    elif isinstance(axes, str) and axes == "spatial":
        axes = (0, *range(2, ndim))
    elif isinstance(axes, (tuple, list, np.ndarray)):
        axes = tuple(int(a) for a in axes)
    else:
        raise ValueError(
            f"axes must be 'per-activation', 'spatial' or a tuple of ints; got {axes!r}"
        )
    axes = tuple(sorted(axes))
    if not axes:
        raise ValueError("axes must name at least one axis to normalize over; got ()")
    if min(axes) < 0 or max(axes) >= ndim:
        raise ValueError(f"axes must be between 0 and {ndim - 1} for {ndim}-d inputs; got {axes}")
    return axes, tuple(i for i in range(ndim) if i not in axes)


def _epsilon(epsilon: Any) -> Any:
    value = np.asarray(epsilon, dtype=_namespace.floatx())  # as Theano: np.cast[floatX](epsilon)
    if value < 1e-5:
        raise ValueError(f"epsilon must be at least 1e-5 (cuDNN's minimum); got {value}")
    return value


def _checked(T: Any, params: Sequence[Any], keep: Tuple[int, ...], ndim: int, names: str) -> list:
    """``params`` as tensors, each with one dimension per kept axis or the inputs' rank."""
    params = [T.as_tensor_variable(p) for p in params]
    want = ndim if params[0].ndim == ndim else len(keep)
    if any(p.ndim != want for p in params):
        found = " and ".join(str(p.ndim) for p in params)
        raise ValueError(
            f"{names} must have one dimension per non-normalized axis ({len(keep)}) or the "
            f"inputs' {ndim}; got {found}"
        )
    return params


def _params(
    T: Any,
    params: Sequence[Any],
    axes: Tuple[int, ...],
    keep: Tuple[int, ...],
    ndim: int,
    names: str,
) -> list:
    """``params`` broadcast against the inputs, as Theano's functions do it."""
    params = _checked(T, params, keep, ndim, names)
    if params[0].ndim == ndim:
        broadcastable = getattr(T, "addbroadcast", None) or T.specify_broadcastable
        return [broadcastable(p, *axes) for p in params]
    pattern: list = ["x"] * ndim
    for i, axis in enumerate(keep):
        pattern[axis] = i
    return [p.dimshuffle(pattern) for p in params]


def batch_normalization_train(
    inputs: Any,
    gamma: Any,
    beta: Any,
    axes: Any = "per-activation",
    epsilon: float = 1e-4,
    running_average_factor: float = 0.1,
    running_mean: Any = None,
    running_var: Any = None,
) -> Tuple[Any, ...]:
    """``(out, mean, invstd)``, and ``new_running_mean, new_running_var`` when the running
    averages are given, normalizing over ``axes`` with the batch's statistics."""
    T = _namespace.backend().tensor
    inputs = T.as_tensor_variable(inputs)
    ndim = inputs.ndim
    axes, keep = _axes(axes, ndim)
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must be given together, or neither")
    eps = _epsilon(epsilon)
    running = [] if running_mean is None else [running_mean, running_var]
    names = "gamma, beta, running_mean and running_var" if running else "gamma and beta"
    given = _checked(T, [gamma, beta, *running], keep, ndim, names)
    native = _native()
    if native is not None:
        return tuple(
            native.batch_normalization_train(
                inputs, *given[:2], axes, eps, running_average_factor, running_mean, running_var
            )
        )
    reduced = _reduced(T, given[0], ndim)
    gamma, beta, *running = _params(T, given, axes, keep, ndim, names)
    mean = _mean(T, inputs, axes)
    var = _mean(T, (inputs - mean) ** 2, axes)
    invstd = 1 / T.sqrt(var + _constant(T, eps, var.dtype))  # Theano: T.inv(T.sqrt(...))
    results = [(inputs - mean) * (gamma * invstd) + beta, mean, invstd]
    if running:  # as Theano's perform computes them, in numpy: in the statistics' dtype
        dtype = running[0].dtype
        factor = T.as_tensor_variable(running_average_factor)
        factor = T.cast(factor, dtype) if factor.ndim == 0 else factor
        results.append(running[0] * (1 - factor) + mean * factor)
        m = T.cast(T.prod(inputs.shape) / T.prod(gamma.shape), _namespace.floatx())
        results.append(running[1] * (1 - factor) + T.cast(m / (m - 1), dtype) * var * factor)
    if reduced:  # back to the parameters' shape
        results[1:] = [r.dimshuffle(keep) for r in results[1:]]
    return tuple(results)


def batch_normalization_test(
    inputs: Any,
    gamma: Any,
    beta: Any,
    mean: Any,
    var: Any,
    axes: Any = "per-activation",
    epsilon: float = 1e-4,
) -> Any:
    """``(inputs - mean) * (gamma / sqrt(var + epsilon)) + beta``, with the given statistics."""
    T = _namespace.backend().tensor
    inputs = T.as_tensor_variable(inputs)
    ndim = inputs.ndim
    axes, keep = _axes(axes, ndim)
    eps = _epsilon(epsilon)
    names = "gamma, beta, mean and var"
    given = _checked(T, [gamma, beta, mean, var], keep, ndim, names)
    native = _native()
    if native is not None:
        return native.batch_normalization_test(inputs, *given, axes, eps)
    gamma, beta, mean, var = _params(T, given, axes, keep, ndim, names)
    return (inputs - mean) * (gamma / T.sqrt(var + _constant(T, eps, var.dtype))) + beta


def _mean(T: Any, x: Any, axes: Tuple[int, ...]) -> Any:
    """Theano's ``mean``: the sum, divided by each reduced length in turn. (PyTensor 2.38's
    own ``mean`` over several axes crashes its C linker.)"""
    total = x.sum(axes, keepdims=True)
    lengths = T.cast(x.shape, "float32" if x.dtype == "float32" else "float64")
    for axis in axes:
        total = total / lengths[axis]
    return total


def _reduced(T: Any, gamma: Any, ndim: int) -> bool:
    return bool(T.as_tensor_variable(gamma).ndim != ndim)


def _constant(T: Any, eps: Any, dtype: str) -> Any:
    """Theano's rewrites: "the epsilon should not upcast the dtype" of float32 statistics."""
    return T.constant(eps.astype("float32") if dtype == "float32" else eps)
