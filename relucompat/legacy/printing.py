"""``theano.printing``: the backend's own (``debugprint``, ``pydotprint``, ``Print``...)."""

from relucompat.legacy import _namespace

__getattr__, __dir__ = _namespace.forward(__name__, "printing", _namespace.at("printing"))
