"""Theano 1.0.5's convolution, pooling and nnet functions that PyTensor no longer has, for
programs written against the backend itself (PyTensor, Aesara, Theano): what ``relucompat
port`` rewrites ``nnet.conv2d``, ``signal.pool.pool_2d`` and the other nnet calls to.

Each function is the legacy namespace's (``relucompat.legacy.tensor.nnet``,
``relucompat.legacy.tensor.signal.pool``), called over the backend its arguments belong to
(relucompat's default backend for arrays and numbers): the same graph, so Theano 1.0.5's
values, bit for bit where the same ops run. It runs the backend's own function where the
backend still has Theano's (Theano, Theano-PyMC, Aesara, PyTensor 2.8), else builds it from
standard ops. Nothing else changes: unlike ``relucompat.legacy``, this module applies no
``THEANO_FLAGS`` and leaves the backend's variables as they are. The signatures are Theano
1.0's modern ones (PyTensor 2's): ``input_shape``, ``ws``, ``stride``, ``pad``; the
deprecated ``image_shape``, ``ds``, ``st`` and ``padding`` are not accepted, and pooling's
``ignore_border`` has no default. ``relu`` is :func:`relucompat.relu`.

``import relucompat.nn`` imports no backend.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Optional, Sequence, Union

__all__ = [
    "batch_normalization",
    "binary_crossentropy",
    "categorical_crossentropy",
    "conv2d",
    "conv2d_transpose",
    "crossentropy_categorical_1hot",
    "elu",
    "hard_sigmoid",
    "pool_2d",
    "pool_3d",
    "selu",
    "sigmoid_binary_crossentropy",
    "softsign",
    "ultra_fast_sigmoid",
]


def __dir__() -> list[str]:
    return __all__


# border_mode: 'valid', 'full', 'half', an int, or per spatial axis an int or a pair.
BorderMode = Union[str, int, Sequence[Union[int, Sequence[int]]]]


@contextlib.contextmanager
def _over(what: str, *values: Any) -> Iterator[None]:
    """The legacy namespace standing over the backend of ``values``, as it is, for the
    block (``_namespace.standing_over``); ``what`` names the caller in errors."""
    from relucompat.legacy import _namespace

    with _namespace.standing_over(_namespace.owner(what, *values)):
        yield


def conv2d(
    input: Any,
    filters: Any,
    input_shape: Optional[Sequence[Optional[int]]] = None,
    filter_shape: Optional[Sequence[Optional[int]]] = None,
    border_mode: BorderMode = "valid",
    subsample: Sequence[int] = (1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1),
    num_groups: int = 1,
) -> Any:
    """Convolve ``input`` (batch, channels, rows, columns) with ``filters`` (output
    channels, channels / ``num_groups``, rows, columns): (batch, output channels, rows,
    columns).

    Theano 1.0.5's ``tensor.nnet.conv2d``, same values. ``border_mode`` is ``"valid"``,
    ``"full"``, ``"half"``, a padding int, or per spatial axis an int or a (before, after)
    pair. ``filter_flip=True`` is a true convolution, False a cross-correlation.
    ``input_shape`` and ``filter_shape`` give sizes known in advance (None where not).
    """
    from relucompat.legacy.tensor.nnet import abstract_conv

    with _over("conv2d", input, filters):
        return abstract_conv.conv2d(
            input,
            filters,
            input_shape,
            filter_shape,
            border_mode,
            subsample,
            filter_flip,
            filter_dilation,
            num_groups,
        )


def conv2d_transpose(
    input: Any,
    filters: Any,
    output_shape: Sequence[Any],
    filter_shape: Optional[Sequence[Optional[int]]] = None,
    border_mode: BorderMode = "valid",
    input_dilation: Sequence[int] = (1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1),
    num_groups: int = 1,
) -> Any:
    """The transposed convolution: the gradient of :func:`conv2d` with respect to its
    input, for ``input`` as the gradient of its output; ``input_dilation`` is that conv's
    ``subsample``.

    Theano 1.0.5's ``tensor.nnet.conv2d_transpose``, same values. ``output_shape`` is the
    result's shape, 4 entries or the 2 spatial ones (ints or symbolic scalars); ``filters``
    are as :func:`conv2d` takes them.
    """
    from relucompat.legacy.tensor.nnet import abstract_conv

    with _over("conv2d_transpose", input, filters, output_shape):
        return abstract_conv.transpose(
            "conv2d_transpose's output_shape",
            input,
            filters,
            output_shape,
            filter_shape,
            border_mode,
            input_dilation,
            filter_flip,
            filter_dilation,
            num_groups,
        )


def _ignore_border(name: str, ignore_border: Any) -> bool:
    if not isinstance(ignore_border, bool):  # Theano's None (warned, then False) is gone
        raise TypeError(f"{name}'s ignore_border must be True or False; got {ignore_border!r}")
    return ignore_border


def pool_2d(
    input: Any,
    ws: Sequence[Any],
    ignore_border: bool,
    stride: Optional[Sequence[Any]] = None,
    pad: Sequence[Any] = (0, 0),
    mode: str = "max",
) -> Any:
    """Pool the last two dimensions of ``input`` over ``ws`` windows, moved by ``stride``
    (``ws`` by default), after zero ``pad`` on each side.

    Theano 1.0.5's ``tensor.signal.pool.pool_2d``, same values. ``mode`` is ``"max"``,
    ``"sum"``, ``"average_inc_pad"`` or ``"average_exc_pad"``. ``ignore_border=False``
    keeps the partial windows at the border (Theano's default, with a warning);
    ``True`` drops them, and is needed for a nonzero ``pad``.
    """
    from relucompat.legacy.tensor.signal import pool

    ignore_border = _ignore_border("pool_2d", ignore_border)
    with _over("pool_2d", input, ws, stride, pad):
        return pool.pool_2d(input, ws, ignore_border, stride, pad, mode)


def pool_3d(
    input: Any,
    ws: Sequence[Any],
    ignore_border: bool,
    stride: Optional[Sequence[Any]] = None,
    pad: Sequence[Any] = (0, 0, 0),
    mode: str = "max",
) -> Any:
    """:func:`pool_2d` over the last three dimensions of ``input``.

    Theano 1.0.5's ``tensor.signal.pool.pool_3d``, same values.
    """
    from relucompat.legacy.tensor.signal import pool

    ignore_border = _ignore_border("pool_3d", ignore_border)
    with _over("pool_3d", input, ws, stride, pad):
        return pool.pool_3d(input, ws, ignore_border, stride, pad, mode)


def elu(x: Any, alpha: Any = 1) -> Any:
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``, elementwise (the gradient at 0
    is ``alpha``). Theano 1.0.5's ``tensor.nnet.elu``, same values."""
    from relucompat.legacy.tensor.nnet import nnet

    with _over("elu", x, alpha):
        return nnet.elu(x, alpha)


def selu(x: Any) -> Any:
    """``1.0507... * elu(x, 1.6732...)``, elementwise. Theano 1.0.5's ``tensor.nnet.selu``,
    same values; its constants are floatX, so a float32 ``x`` gives float64 unless the
    backend's ``floatX`` is float32."""
    from relucompat.legacy.tensor.nnet import nnet

    with _over("selu", x):
        return nnet.selu(x)


def softsign(x: Any) -> Any:
    """``x / (1 + abs(x))``, elementwise. Theano 1.0.5's ``tensor.nnet.softsign``, same
    values."""
    from relucompat.legacy.tensor.nnet import nnet

    with _over("softsign", x):
        return nnet.softsign(x)


def hard_sigmoid(x: Any) -> Any:
    """``clip(0.2 * x + 0.5, 0, 1)``, elementwise, in ``x``'s float dtype. Theano 1.0.5's
    ``tensor.nnet.hard_sigmoid``, same values."""
    from relucompat.legacy.tensor.nnet import sigm

    with _over("hard_sigmoid", x):
        return sigm.hard_sigmoid(x)


def ultra_fast_sigmoid(x: Any) -> Any:
    """Theano's piecewise approximation of the sigmoid, elementwise. Theano 1.0.5's
    ``tensor.nnet.ultra_fast_sigmoid``, same values. Theano's op has no gradient (nor has
    the backend's own, where it runs); the built one (PyTensor >= 2.9) has its pieces'."""
    from relucompat.legacy.tensor.nnet import sigm

    with _over("ultra_fast_sigmoid", x):
        return sigm.ultra_fast_sigmoid(x)


def binary_crossentropy(output: Any, target: Any) -> Any:
    """``-(target * log(output) + (1 - target) * log(1 - output))``, elementwise.
    Theano 1.0.5's ``tensor.nnet.binary_crossentropy``, same values."""
    from relucompat.legacy.tensor.nnet import nnet

    with _over("binary_crossentropy", output, target):
        return nnet.binary_crossentropy(output, target)


def sigmoid_binary_crossentropy(output: Any, target: Any) -> Any:
    """``binary_crossentropy(sigmoid(output), target)``, elementwise, computed stably; its
    gradient with respect to ``output`` is ``sigmoid(output) - target``. Theano 1.0.5's
    ``tensor.nnet.sigmoid_binary_crossentropy``, same values."""
    from relucompat.legacy.tensor.nnet import nnet

    with _over("sigmoid_binary_crossentropy", output, target):
        return nnet.sigmoid_binary_crossentropy(output, target)


def categorical_crossentropy(coding_dist: Any, true_dist: Any) -> Any:
    """``-sum(true_dist * log(coding_dist))`` over the last axis when ``true_dist`` is a
    distribution per row (``coding_dist``'s rank), or :func:`crossentropy_categorical_1hot`
    when it is a vector of integer labels. Theano 1.0.5's
    ``tensor.nnet.categorical_crossentropy``, same values."""
    from relucompat.legacy.tensor.nnet import nnet

    with _over("categorical_crossentropy", coding_dist, true_dist):
        return nnet.categorical_crossentropy(coding_dist, true_dist)


def crossentropy_categorical_1hot(coding_dist: Any, true_one_of_n: Any) -> Any:
    """``-log(coding_dist[i, true_one_of_n[i]])`` for each row ``i`` of the matrix
    ``coding_dist``; ``true_one_of_n`` is an int32 or int64 vector of class indices.
    Theano 1.0.5's ``tensor.nnet.crossentropy_categorical_1hot``, same values."""
    from relucompat.legacy.tensor.nnet import nnet

    with _over("crossentropy_categorical_1hot", coding_dist, true_one_of_n):
        return nnet.crossentropy_categorical_1hot(coding_dist, true_one_of_n)


def batch_normalization(
    inputs: Any, gamma: Any, beta: Any, mean: Any, std: Any, mode: str = "low_mem"
) -> Any:
    """``(inputs - mean) / std * gamma + beta``, elementwise (every argument broadcasts
    against ``inputs``); ``mode="high_mem"`` computes ``(inputs - mean) * (gamma / std) +
    beta``. Theano 1.0.5's ``tensor.nnet.bn.batch_normalization``, same values."""
    from relucompat.legacy.tensor.nnet import bn

    with _over("batch_normalization", inputs, gamma, beta, mean, std):
        return bn.batch_normalization(inputs, gamma, beta, mean, std, mode)
