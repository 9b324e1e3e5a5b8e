"""Aesara (``pip install aesara``, ``import aesara``), development stopped at 2.9.4.

- Up to 2.8.7, ``aesara.tensor`` imports ``nnet``, so ``aesara.tensor.nnet.relu`` is there.
- From 2.8.8, ``nnet`` must be imported explicitly, and that import warns that it "will be
  removed in 2.9.0". It never was; the warning is silenced here, for that import only.
- On Python 3.11 with setuptools >= 74, ``import aesara`` fails in its BLAS probe
  (``numpy.distutils`` needs ``distutils.msvccompiler``); the extra pins setuptools < 74.
"""

from typing import List

from relucompat.lineage._base import Backend, Provider

__all__ = ["BACKEND"]


def __dir__() -> List[str]:
    return __all__


BACKEND = Backend(
    import_name="aesara",
    providers=(Provider("aesara", extra="aesara"),),
    priority=1,
    native_module="aesara.tensor.nnet",
    c_importers=(
        "aesara.link.c.lazylinker_c",
        "aesara.link.c.cutils",
        "aesara.scan.scan_perform_ext",
    ),
)
