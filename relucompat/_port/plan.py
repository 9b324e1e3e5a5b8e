"""The first pass of the codemod: read a module and decide every change (a plan), without
changing anything. Names are matched by what they resolve to (LibCST's qualified names),
so ``T.nnet.relu``, ``theano.tensor.nnet.relu`` and ``from theano.tensor import nnet;
nnet.relu`` are one name, and a local ``T`` that is not Theano's is left alone."""

from __future__ import annotations

from relucompat._port.calls import Calls
from relucompat._port.names import Names

__all__ = ["Plan"]


class Plan(Names, Calls):
    """Walks a module (through a ``MetadataWrapper``) and records what the rewriter does:
    :class:`Names` for imports and names, :class:`Calls` for arguments, streams, scan and
    flags."""
