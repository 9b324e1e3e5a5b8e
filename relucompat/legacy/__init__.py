"""Theano's namespace over the backend relucompat chooses: ``theano``.

A Theano-era script runs after changing only its imports::

    import relucompat.legacy as theano              # was: import theano
    from relucompat.legacy import tensor as T       # was: import theano.tensor as T

or unchanged, under ``relucompat run``. Each module of this package stands at a Theano path
(``relucompat.legacy.tensor.nnet`` is ``theano.tensor.nnet``) and provides what Theano 1.0.5
had there, from the backend's own module at that path where it still has it, else built from
the backend's standard ops. The backend is chosen, and imported, on first use.
"""

from relucompat.legacy import _namespace
from relucompat.legacy.scan_module import scan

__all__ = ["scan"]

__getattr__, __dir__ = _namespace.forward(__name__, "", _namespace.at(""))
