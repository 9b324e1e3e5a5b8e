"""``theano.printing``: the backend's own (``debugprint``, ``pydotprint``, ``Print``...)."""

from typing import List

from relucompat.legacy import _namespace

__all__: List[str] = []  # relucompat defines nothing here; the rest is the backend's

__getattr__, __dir__ = _namespace.forward(__name__, "printing", _namespace.at("printing"))
