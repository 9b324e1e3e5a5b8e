"""``theano.scan_module``: ``scan`` and its views (``map``, ``reduce``, ``foldl``,
``foldr``), with Theano's signatures and return value, and ``scan_utils``."""

from relucompat.legacy import _namespace
from relucompat.legacy.scan_module.scan import scan
from relucompat.legacy.scan_module.scan_views import foldl, foldr, map, reduce

__all__ = ["foldl", "foldr", "map", "reduce", "scan"]

__getattr__, __dir__ = _namespace.forward(
    __name__, "scan_module", _namespace.at("scan_module", "scan")
)
