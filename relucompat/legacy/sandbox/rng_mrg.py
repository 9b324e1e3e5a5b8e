"""``theano.sandbox.rng_mrg``: ``MRG_RandomStreams``.

The backend's own where it still has Theano's MRG generator (Theano; Theano-PyMC, Aesara
and PyTensor 2.8 as ``MRG_RandomStream``), else built on the backend's ``tensor.random``
with Theano 1.0.5's signatures, defaults and dtypes. As in Theano, ``binomial`` compares a
uniform draw with ``p``, and each draw is a stream whose shared state advances on every
call of a compiled function.
"""

from __future__ import annotations

from typing import Any, Optional

from relucompat.legacy import _random

__all__ = ["MRG_RandomStreams"]  # noqa: F822 (the backend's own or ours: __getattr__)

M1 = 2147483647
M2 = 2147462579


class _MRG_RandomStreams(_random.Streams):
    """Theano's ``MRG_RandomStreams(seed=12345)`` over the backend's ``tensor.random``."""

    def __init__(self, seed: Any = 12345) -> None:
        _check_seed(seed)
        super().__init__(seed)

    def seed(self, seed: Any = None) -> None:
        _check_seed(self.default_instance_seed if seed is None else seed)
        super().seed(seed)

    def uniform(
        self,
        size: Any,
        low: Any = 0.0,
        high: Any = 1.0,
        ndim: Optional[int] = None,
        dtype: Optional[str] = None,
        nstreams: Any = None,
        **kwargs: Any,
    ) -> Any:
        kwargs.pop("target", None)
        _random.require_keywords("uniform", kwargs)
        dtype = _random.float_dtype(dtype, "MRG_RandomStreams.uniform", low, high)
        T = _random.tensor()
        size = _random.check_size(size, "MRG_RandomStreams.uniform", ndim)
        if size is None:
            raise TypeError("MRG_RandomStreams.uniform: size is required, as in Theano")
        low, high = T.cast(low, dtype), T.cast(high, dtype)
        return self.uniform01(size, dtype) * (high - low) + low

    def binomial(
        self,
        size: Any = None,
        n: Any = 1,
        p: Any = 0.5,
        ndim: Optional[int] = None,
        dtype: str = "int64",
        nstreams: Any = None,
        **kwargs: Any,
    ) -> Any:
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "MRG_RandomStreams.binomial")
        _random.check_probability(p, "MRG_RandomStreams.binomial")
        if n != 1:
            raise NotImplementedError("MRG_RandomStreams.binomial with n > 1, as in Theano")
        T = _random.tensor()
        u = self.uniform(size, ndim=ndim, nstreams=nstreams, **kwargs)
        return T.cast(T.lt(u, p), dtype)

    def normal(
        self,
        size: Any,
        avg: Any = 0.0,
        std: Any = 1.0,
        ndim: Optional[int] = None,
        dtype: Optional[str] = None,
        nstreams: Any = None,
        truncate: bool = False,
        **kwargs: Any,
    ) -> Any:
        kwargs.pop("target", None)
        _random.require_keywords("normal", kwargs)
        if truncate:
            raise NotImplementedError(
                "MRG_RandomStreams.normal(truncate=True) is not in relucompat's legacy namespace"
            )
        dtype = _random.float_dtype(dtype, "MRG_RandomStreams.normal", avg, std)
        size = _random.check_size(size, "MRG_RandomStreams.normal", ndim)
        if size is None:
            raise TypeError("MRG_RandomStreams.normal: size is required, as in Theano")
        T = _random.tensor()
        z = T.cast(self.draw("normal", 0.0, 1.0, size=size), dtype)
        return z * T.cast(std, dtype) + T.cast(avg, dtype)

    def multinomial(
        self,
        size: Any = None,
        n: Any = 1,
        pvals: Any = None,
        ndim: Optional[int] = None,
        dtype: str = "int64",
        nstreams: Any = None,
        **kwargs: Any,
    ) -> Any:
        """One draw of ``n`` trials per row of the matrix ``pvals``, as in Theano."""
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "MRG_RandomStreams.multinomial")
        if pvals is None:
            raise TypeError("MRG_RandomStreams.multinomial: you have to specify pvals")
        if size is not None or ndim is not None:
            raise ValueError(
                "MRG_RandomStreams.multinomial takes no size and no ndim, as in Theano"
            )
        pvals = _random.tensor().as_tensor_variable(pvals)
        if pvals.ndim != 2:
            raise NotImplementedError("MRG_RandomStreams.multinomial needs pvals.ndim == 2")
        return _random.tensor().cast(self.counts(n, pvals, ()), dtype)

    def choice(
        self,
        size: Any = 1,
        a: Any = None,
        replace: bool = True,
        p: Any = None,
        ndim: Optional[int] = None,
        dtype: str = "int64",
        nstreams: Any = None,
        **kwargs: Any,
    ) -> Any:
        """``size`` indices per row of ``p``, without replacement (Theano's only mode)."""
        dtype = _random.check_dtype(dtype, _random.NUMERIC_DTYPES, "MRG_RandomStreams.choice")
        if replace:
            raise NotImplementedError(
                "MRG_RandomStreams.choice only works without replacement, as in Theano"
            )
        if a is not None or p is None:
            raise TypeError("MRG_RandomStreams.choice needs a=None and p, as in Theano")
        T = _random.tensor()
        p = T.as_tensor_variable(p)
        if p.ndim != 2:
            raise NotImplementedError("MRG_RandomStreams.choice needs p.ndim == 2")
        order = self.ordering((p.shape[0],), p.shape[1], weights=p)
        return T.cast(order[:, :size], dtype)


def _check_seed(seed: Any) -> None:
    """Theano's seed: a nonzero int below M2, or 6 ints (3 below M1, 3 below M2, neither
    half all zero)."""
    if isinstance(seed, int) and not isinstance(seed, bool):
        if not 0 < seed < M2:
            raise ValueError(f"MRG_RandomStreams: seed={seed!r} must be in [1, {M2})")
        return
    try:
        parts = [int(s) for s in seed]
    except (TypeError, ValueError):
        parts = []
    if len(parts) != 6:
        raise TypeError(f"MRG_RandomStreams: seed={seed!r} must be 1 integer or 6 integers")
    ok = (
        all(0 <= s < M1 for s in parts[:3])
        and all(0 <= s < M2 for s in parts[3:])
        and any(parts[:3])
        and any(parts[3:])
    )
    if not ok:
        raise ValueError(
            f"MRG_RandomStreams: seed={seed!r}: the first 3 must be in [0, {M1}), the last 3 "
            f"in [0, {M2}), and neither 3 all 0"
        )


__getattr__, __dir__ = _random.streams_module(
    __name__, "sandbox.rng_mrg", _MRG_RandomStreams, "MRG_RandomStreams", "MRG_RandomStream"
)
