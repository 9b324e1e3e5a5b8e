"""``theano.scan_module``: ``scan``, with Theano's signature and return value."""

from relucompat.legacy import _namespace
from relucompat.legacy.scan_module.scan import scan

__all__ = ["scan"]

__getattr__, __dir__ = _namespace.forward(__name__, "scan_module", _namespace.at("scan_module"))
