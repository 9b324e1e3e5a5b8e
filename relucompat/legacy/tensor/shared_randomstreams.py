"""``theano.tensor.shared_randomstreams``: ``RandomStreams``.

Theano's own on Theano 1.0.5; on every other backend built on its ``tensor.random`` with
Theano's argument order (``binomial(size, n, p)``, where NumPy-style backends take
``binomial(n, p, size=)``), defaults and dtypes. Each draw is a stream whose shared state
advances on every call of a compiled function, as Theano's default updates did.
"""

from __future__ import annotations

import numbers
from typing import Any, Optional

from relucompat.legacy import _random

__all__ = ["RandomStreams"]  # noqa: F822 (the backend's own or ours: __getattr__)


class _RandomStreams(_random.Streams):
    """Theano's ``RandomStreams(seed=None)``: NumPy-like draws, one stream each."""

    def __init__(self, seed: Optional[int] = None) -> None:
        super().__init__(seed)

    def binomial(
        self,
        size: Any = None,
        n: Any = 1,
        p: Any = 0.5,
        ndim: Optional[int] = None,
        dtype: str = "int64",
        prob: Any = None,
    ) -> Any:
        """Successes in ``n`` trials of probability ``p``."""
        if prob is not None:
            p = prob
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "RandomStreams.binomial")
        _random.check_probability(p, "RandomStreams.binomial")
        size = _random.check_size(size, "RandomStreams.binomial", ndim)
        T = _random.tensor()
        p = T.as_tensor_variable(p)
        if not isinstance(n, numbers.Integral):
            return T.cast(self.draw("binomial", n, p, size=size), dtype)
        # A known n: count uniform draws below p, which every linker (JAX included) runs.
        shape = tuple(p.shape[i] for i in range(p.ndim)) if size is None else size
        u = self.uniform01((*shape, n), _random.float_dtype(None, "binomial", p))
        return T.cast(T.sum(T.lt(u, T.shape_padright(p)), axis=-1, dtype="int64"), dtype)

    def uniform(
        self,
        size: Any = None,
        low: Any = 0.0,
        high: Any = 1.0,
        ndim: Optional[int] = None,
        dtype: Optional[str] = None,
    ) -> Any:
        dtype = _random.float_dtype(dtype, "RandomStreams.uniform", low, high)
        size = _random.check_size(size, "RandomStreams.uniform", ndim)
        return _random.tensor().cast(self.draw("uniform", low, high, size=size), dtype)

    def normal(
        self,
        size: Any = None,
        avg: Any = 0.0,
        std: Any = 1.0,
        ndim: Optional[int] = None,
        dtype: Optional[str] = None,
    ) -> Any:
        dtype = _random.float_dtype(dtype, "RandomStreams.normal", avg, std)
        size = _random.check_size(size, "RandomStreams.normal", ndim)
        return _random.tensor().cast(self.draw("normal", avg, std, size=size), dtype)

    def random_integers(
        self,
        size: Any = None,
        low: Any = 0,
        high: Any = 1,
        ndim: Optional[int] = None,
        dtype: str = "int64",
    ) -> Any:
        """Integers between ``low`` and ``high``, both inclusive."""
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "RandomStreams.random_integers")
        size = _random.check_size(size, "RandomStreams.random_integers", ndim)
        return _random.tensor().cast(self.integers(low, high + 1, size), dtype)

    def choice(
        self,
        size: Any = None,
        a: Any = 2,
        replace: bool = True,
        p: Any = None,
        ndim: Optional[int] = None,
        dtype: str = "int64",
    ) -> Any:
        """Values of ``a`` (or of ``range(a)`` for a scalar), with probabilities ``p``."""
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "RandomStreams.choice")
        if p is not None:
            _random.check_probability(p, "RandomStreams.choice")
        size = _random.check_size(size, "RandomStreams.choice", ndim)
        T = _random.tensor()
        a = T.as_tensor_variable(a)
        count = a if a.ndim == 0 else a.shape[0]
        shape = () if size is None else size
        if replace and p is None:
            index = self.integers(0, count, shape)
        elif replace:
            index = self.categorical(p, shape)
        else:
            order = self.ordering((), count, weights=p)
            if shape == ():
                index = order[0]
            else:
                index = T.reshape(order[: _product(shape)], shape, ndim=len(shape))
        return T.cast(index if a.ndim == 0 else a[index], dtype)

    def permutation(
        self, size: Any = None, n: Any = 1, ndim: Optional[int] = None, dtype: str = "int64"
    ) -> Any:
        """Permutations of ``range(n)``, shaped ``size + (n,)``."""
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "RandomStreams.permutation")
        size = _random.check_size(size, "RandomStreams.permutation", ndim)
        return _random.tensor().cast(self.ordering(() if size is None else size, n), dtype)

    def multinomial(
        self,
        size: Any = None,
        n: Any = 1,
        pvals: Any = (0.5, 0.5),
        ndim: Optional[int] = None,
        dtype: str = "int64",
    ) -> Any:
        """Counts of ``n`` trials over ``pvals``, shaped ``size + (len(pvals),)``."""
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "RandomStreams.multinomial")
        _random.check_probability(pvals, "RandomStreams.multinomial", "pvals")
        size = _random.check_size(size, "RandomStreams.multinomial", ndim)
        return _random.tensor().cast(self.counts(n, pvals, () if size is None else size), dtype)

    def shuffle_row_elements(self, input: Any) -> Any:
        """``input`` with each row (last axis) shuffled; vectors and matrices."""
        T = _random.tensor()
        if input.ndim not in (1, 2):
            raise NotImplementedError("RandomStreams.shuffle_row_elements takes 1 or 2 dimensions")
        perm = self.ordering(tuple(input.shape[i] for i in range(input.ndim - 1)), input.shape[-1])
        rows = T.arange(input.shape[0]).dimshuffle(0, "x") if input.ndim == 2 else None
        shuffled = input[perm] if rows is None else input[rows, perm]
        shuffled.permutation = perm
        return shuffled


def _product(shape: Any) -> Any:
    total = 1
    for entry in shape:
        total = total * entry
    return total


__getattr__, __dir__ = _random.streams_module(
    __name__, "tensor.shared_randomstreams", _RandomStreams, "RandomStreams"
)
