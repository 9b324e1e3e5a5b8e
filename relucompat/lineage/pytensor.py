"""PyTensor (``pip install pytensor``, ``import pytensor``), the maintained fork.

- Up to 2.8.x, ``pytensor.tensor.nnet.relu`` exists, but ``pytensor.tensor`` no longer
  imports ``nnet`` and importing it warns that it is deprecated. 2.8.x needs numpy < 1.25.
- 2.9.0 removed ``nnet``. There is no relu anywhere since (not in ``tensor.math``,
  ``tensor.special`` or ``xtensor``), so relucompat builds one.
- 2.x compiles C by default (``cvm``); 3.x JIT-compiles with numba.
"""

from typing import List

from relucompat.lineage._base import Backend, Provider

__all__ = ["BACKEND"]


def __dir__() -> List[str]:
    return __all__


BACKEND = Backend(
    import_name="pytensor",
    providers=(Provider("pytensor", extra="pytensor"),),
    priority=0,
    native_module="pytensor.tensor.nnet",
    relu_removed_in="2.9.0",
    c_importers=(
        "pytensor.link.c.lazylinker_c",
        "pytensor.link.c.cutils",
        "pytensor.scan.scan_perform_ext",
    ),
)
