"""What Theano's two random streams share, built on the backend's ``tensor.random``.

Each stream draw makes a shared RNG variable whose ``default_update`` is the RNG the draw
returns, as Theano's ``RandomStreams.gen`` did, so a compiled function advances every stream
on every call without the script listing updates. The numbers differ from Theano's by design
(NumPy's generators, not Theano's MRG31k3p or ``RandomState`` ops); the distributions,
dtypes, shapes and seeding behaviour are Theano's.
"""

from __future__ import annotations

import inspect
import numbers
import warnings
from typing import Any, Callable, List, Optional, Tuple

import numpy as np

from relucompat.legacy import _namespace

FLOAT_DTYPES = ("float16", "float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
NUMERIC_DTYPES = ("bool", *INT_DTYPES, *FLOAT_DTYPES)


def _module(path: str) -> Any:
    module = _namespace.backend_module(path)  # imports with the backend's own warnings muted
    if module is None:
        raise ImportError(f"{_namespace.backend().label} has no {_namespace.package()}.{path}")
    return module


def tensor() -> Any:
    return _namespace.backend().tensor


def check_dtype(dtype: Any, allowed: Tuple[str, ...], method: str) -> str:
    """``dtype``'s name (``numpy.float32`` is ``"float32"``), if it is one of ``allowed``."""
    try:
        name = np.dtype(dtype).name if dtype is not None else None
    except TypeError:
        name = None
    if name not in allowed:
        raise TypeError(f"{method}: dtype={dtype!r} is not one of {', '.join(allowed)}")
    return str(name)


def float_dtype(dtype: Optional[str], method: str, *params: Any) -> str:
    """Theano's default: at least floatX, upcast with the parameters' dtypes."""
    if dtype is not None:
        return check_dtype(dtype, FLOAT_DTYPES, method)
    dtypes = [tensor().as_tensor_variable(p).dtype for p in params]
    return str(np.result_type(_namespace.floatx(), *dtypes))


def check_probability(p: Any, method: str, name: str = "p") -> None:
    """A probability known when the graph is built must lie in [0, 1]."""
    if isinstance(p, (numbers.Real, np.ndarray, list, tuple)):
        try:
            values = np.asarray(p, dtype="float64")
        except (TypeError, ValueError):
            return  # holds variables of the graph
        if values.size and not (np.all(values >= 0) and np.all(values <= 1)):
            raise ValueError(f"{method}: {name}={p!r} is not a probability: it must be in [0, 1]")


def is_symbolic(value: Any) -> bool:
    return hasattr(value, "type") and hasattr(value, "owner")


def check_size(size: Any, method: str, ndim: Optional[int] = None) -> Any:
    """Theano's ``size``: None, an int, a tuple or list of ints (or integer scalars of the
    graph), or an integer vector of the graph such as ``x.shape``."""
    allowed = "None, an int, a tuple of ints or an integer vector such as x.shape"
    if size is None:
        return None
    if is_symbolic(size):
        if not size.dtype.startswith(("int", "uint")) or size.ndim > 1:
            raise TypeError(f"{method}: size={size} is not a shape: it must be {allowed}")
        if size.ndim == 0:
            return (size,)
        if ndim is None:
            try:
                ndim = tensor().get_vector_length(size)
            except ValueError:
                raise ValueError(f"{method}: size={size} has no known length: give ndim") from None
        return tuple(size[i] for i in range(ndim))
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, bool):
        size = (size,)
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"{method}: size={size!r} is not a shape: it must be {allowed}")
    for entry in size:
        if is_symbolic(entry):
            if entry.ndim != 0 or not entry.dtype.startswith(("int", "uint")):
                raise TypeError(f"{method}: size={size!r} has {entry}, not an integer scalar")
        elif not isinstance(entry, (numbers.Integral, np.integer)) or isinstance(entry, bool):
            raise TypeError(f"{method}: size={size!r} is not a shape: it must be {allowed}")
        elif entry < 0:
            raise ValueError(f"{method}: size={size!r} has a negative dimension")
    return tuple(size)


def _returns_next_rng() -> bool:
    op = _module("tensor.random.op")
    return "return_next_rng" in inspect.signature(op.RandomVariable.__call__).parameters


def set_default_update(variable: Any, update: Any) -> None:
    # PyTensor 3 deprecates default updates, which are how Theano advanced its streams;
    # its function() still honours them.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Setting default_update", DeprecationWarning)
        variable.default_update = update


class Streams:
    """Theano's stream bookkeeping: ``state_updates``, ``updates()`` and ``seed()``."""

    def __init__(self, seed: Any) -> None:
        self.default_instance_seed = seed
        self.state_updates: List[Tuple[Any, Any]] = []
        self._seeds = np.random.SeedSequence(self._entropy(seed))

    @staticmethod
    def _entropy(seed: Any) -> Any:
        return None if seed is None else np.asarray(seed, dtype="int64").ravel().tolist()

    def updates(self) -> List[Tuple[Any, Any]]:
        return list(self.state_updates)

    def seed(self, seed: Any = None) -> None:
        """Re-initialize each random stream, deterministically from ``seed``."""
        if seed is None:
            seed = self.default_instance_seed
        self._seeds = np.random.SeedSequence(self._entropy(seed))
        for old_r, _ in self.state_updates:
            old_r.set_value(self._generator(self._seeds.spawn(1)[0]), borrow=True)

    def _generator(self, seed: np.random.SeedSequence) -> Any:
        if _namespace.probe(f"{_namespace.package()}.tensor.random.type.RandomGeneratorType"):
            return np.random.default_rng(seed)
        return np.random.RandomState(seed.generate_state(1)[0])  # Theano-PyMC's RNG type

    def _rng(self) -> Any:
        value = self._generator(self._seeds.spawn(1)[0])
        random = _module("tensor.random")
        if hasattr(random, "shared_rng"):  # PyTensor 3
            rng = random.shared_rng(value, borrow=True)
        else:
            rng = _namespace.backend().module.shared(value, borrow=True)
        rng.tag.is_rng = True
        return rng

    def draw(self, name: str, *params: Any, size: Any = None) -> Any:
        """One draw of the backend's ``tensor.random.<name>`` on a new stream."""
        basic = _module("tensor.random.basic")
        op = getattr(basic, name)
        rng = self._rng()
        if _returns_next_rng():
            new_rng, out = op(*params, size=size, rng=rng, return_next_rng=True)
        else:
            out = op(*params, size=size, rng=rng)
            new_rng = out.owner.outputs[0]
        set_default_update(rng, new_rng)
        self.state_updates.append((rng, new_rng))
        out.rng = rng
        out.update = (rng, new_rng)
        return out

    def uniform01(self, size: Any, dtype: str) -> Any:
        return tensor().cast(self.draw("uniform", 0.0, 1.0, size=size), dtype)

    def integers(self, low: Any, high: Any, size: Any) -> Any:
        """Integers in [low, high)."""
        basic = _module("tensor.random.basic")
        return self.draw(
            "integers" if hasattr(basic, "integers") else "randint", low, high, size=size
        )

    def categorical(self, p: Any, size: Tuple[Any, ...]) -> Any:
        """Indices drawn with the probabilities of the last axis of ``p``, shaped
        ``p.shape[:-1] + size``, by inverse CDF of a uniform draw: the exact integer dtype
        on every linker."""
        T = tensor()
        p = T.as_tensor_variable(p)
        batch = tuple(p.shape[i] for i in range(p.ndim - 1))
        u = self.draw("uniform", 0.0, 1.0, size=batch + size)
        cdf = T.cumsum(p, axis=-1) / T.sum(p, axis=-1, keepdims=True)
        edges = cdf[(slice(None),) * (p.ndim - 1) + (slice(None, -1),)]
        for _ in size:
            edges = T.shape_padaxis(edges, p.ndim - 1)
        return T.sum(T.ge(T.shape_padright(u), edges), axis=-1, dtype="int64")

    def counts(self, n: Any, p: Any, size: Tuple[Any, ...]) -> Any:
        """Multinomial counts of ``n`` trials, shaped ``p.shape[:-1] + size + (k,)``."""
        T = tensor()
        p = T.as_tensor_variable(p)
        index = T.shape_padright(self.categorical(p, (*size, n)))
        return T.sum(T.eq(index, T.arange(p.shape[-1])), axis=-2, dtype="int64")

    def ordering(self, size: Tuple[Any, ...], n: Any, weights: Any = None) -> Any:
        """Random orderings of ``range(n)`` over the last axis, ``size + (n,)``: by argsort
        of uniform keys, or of Gumbel keys ``log(w) - log(-log(u))``, which orders without
        replacement with probabilities proportional to ``w``."""
        T = tensor()
        keys = self.draw("uniform", 0.0, 1.0, size=(*size, n))
        if weights is not None:
            keys = T.log(weights) - T.log(-T.log(keys))
        return T.argsort(-keys, axis=-1)


def require_keywords(method: str, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{method}() got unexpected keyword arguments {sorted(kwargs)}")


def streams_module(
    module_name: str, where: str, built: type, *native_names: str
) -> Tuple[Callable[[str], Any], Callable[[], List[str]]]:
    """``__getattr__`` and ``__dir__`` for the legacy module of Theano path ``where``: its
    class ``native_names[0]`` is the backend's own where its module at ``where`` has one of
    ``native_names``, else ``built``; every other name is the backend's (``forward``)."""
    name = native_names[0]
    built.__name__ = built.__qualname__ = name  # Theano's name, in reprs and pickles
    forward, names = _namespace.forward(module_name, where, _namespace.at(where))

    def __getattr__(attr: str) -> Any:
        if attr != name:
            return forward(attr)
        module = _namespace.backend_module(where)
        own = [getattr(module, n) for n in native_names if hasattr(module, n)]
        return own[0] if own else built

    return __getattr__, names
