"""``theano.sandbox.cuda``: Theano's first GPU backend, removed in Theano 0.10.

Theano 1.0.5 kept this package only to raise ``SkipTest`` on import, with the message
below; so does the legacy namespace, with an exception that is also an ``ImportError``.
"""

from relucompat.legacy import _gpu

raise _gpu.GpuBackendGone(
    "You are importing theano.sandbox.cuda. This is the old GPU back-end and is removed "
    f"from Theano. {_gpu.why()}."
)
