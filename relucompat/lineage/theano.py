"""Theano and Theano-PyMC: two distributions, one ``import theano``.

- Theano 0.8.0 to 1.0.5 has ``theano.tensor.nnet.relu``. Its docstring says "versionadded
  0.7.1", but no stable 0.7 release has it, which is why relucompat probes for it.
- Theano-PyMC 1.0.5 to 1.1.2 has the same code. Theano-PyMC is preferred over Theano.
- Theano 1.0.5 needs Python <= 3.9 and numpy < 1.20; Theano-PyMC 1.1.2 needs numpy < 1.22.
  On newer Pythons Theano's import fails compiling its C lazylinker.
"""

from __future__ import annotations

import os
from typing import Sequence

from relucompat.lineage._base import Backend, Installed, Provider

__all__ = ["BACKEND"]


def __dir__() -> list[str]:
    return __all__


def _pick(found: Sequence[Installed], origin: str) -> Installed:
    # Both metadata records can survive one overwriting the other's files. The layout
    # decides: Theano-PyMC >= 1.1 has theano/graph, Theano and Theano-PyMC 1.0 have theano/gof.
    pymc_layout = os.path.isdir(os.path.join(os.path.dirname(origin), "graph"))
    by_name = {item.name: item for item in found}
    return by_name["theano-pymc"] if pymc_layout else by_name["theano"]


BACKEND = Backend(
    import_name="theano",
    providers=(
        Provider("Theano-PyMC", extra="theano-pymc"),
        Provider("Theano", extra="theano"),
    ),
    priority=2,
    native_module="theano.tensor.nnet",
    c_importers=(
        "theano.gof.lazylinker_c",  # Theano, Theano-PyMC 1.0
        "theano.gof.cutils",
        "theano.scan_module.scan_perform_ext",
        "theano.link.c.lazylinker_c",  # Theano-PyMC 1.1
        "theano.link.c.cutils",
        "theano.scan.scan_perform_ext",
    ),
    pick=_pick,
)
