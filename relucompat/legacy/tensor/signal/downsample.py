"""``theano.tensor.signal.downsample``: Theano 0.8's pooling module, which Theano 0.9 removed.

Theano 0.8.2's ``downsample.py`` was already a shim over ``pool`` that warned on import;
code written against it (Lasagne 0.1, the tutorials of the time) still imports it. As
there, ``max_pool_2d`` takes the old argument names (``ds``, ``st``, ``padding``) and
``DownsampleFactorMax`` is the pooling op with its window fixed at construction;
``max_pool2D`` is Theano 0.7's deprecated name for ``max_pool_2d``.
"""

from __future__ import annotations

import warnings
from typing import Any, List, Optional

from relucompat.legacy.tensor.signal import pool

__all__ = ["DownsampleFactorMax", "max_pool2D", "max_pool_2d", "max_pool_2d_same_size"]


def __dir__() -> List[str]:
    return __all__


warnings.warn(  # at this module's line, as Theano 0.8's did
    "downsample module has been moved to the theano.tensor.signal.pool module.", stacklevel=1
)


def max_pool_2d(
    input: Any,
    ds: Any,
    ignore_border: Optional[bool] = None,
    st: Any = None,
    padding: Any = (0, 0),
    mode: str = "max",
) -> Any:
    """Pool the last two dimensions of ``input`` over ``ds`` windows, stride ``st``."""
    return pool.pool_2d(input, ds, ignore_border, st, padding, mode)


def max_pool2D(*args: Any, **kwargs: Any) -> Any:
    """Theano 0.7's name of :func:`max_pool_2d` (the tutorials of 2010-2014 call it)."""
    warnings.warn(
        "DEPRECATION: max_pool2D renamed to max_pool_2d", DeprecationWarning, stacklevel=2
    )
    return max_pool_2d(*args, **kwargs)


max_pool_2d_same_size = pool.max_pool_2d_same_size


class DownsampleFactorMax:
    """Theano 0.8's pooling op: ``DownsampleFactorMax(ds, ignore_border)(input)``."""

    __props__ = ("ds", "ignore_border", "st", "padding", "mode")

    def __init__(
        self,
        ds: Any,
        ignore_border: bool = False,
        st: Any = None,
        padding: Any = (0, 0),
        mode: str = "max",
    ) -> None:
        self.ds = tuple(ds)
        self.ignore_border = ignore_border
        self.st = self.ds if st is None else tuple(st)
        self.padding = tuple(padding)
        self.mode = mode

    def __call__(self, input: Any) -> Any:
        return pool.pool_2d(input, self.ds, self.ignore_border, self.st, self.padding, self.mode)

    @staticmethod
    def out_shape(
        imgshape: Any, ds: Any, ignore_border: bool = False, st: Any = None, padding: Any = (0, 0)
    ) -> List[Any]:
        """The shape of the pooled output for an input of shape ``imgshape``."""
        return list(pool.Pool.out_shape(imgshape, ds, ignore_border, st, padding))
