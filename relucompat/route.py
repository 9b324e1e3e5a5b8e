"""``relu`` and ``explain``: pick the route for an input, then build its formulation."""

from __future__ import annotations

from typing import Any, Dict, NamedTuple, Optional, Tuple

from relucompat import arguments, discovery
from relucompat.formulation import FORMULATIONS
from relucompat.lineage import Loaded
from relucompat.semantics import resolve as resolve_semantics

__all__ = ["Route", "explain", "relu"]


def __dir__() -> list[str]:
    return __all__


class Route(NamedTuple):
    """The way ``relu`` builds its graph for one backend, semantics and input kind."""

    backend: str  # distribution name, e.g. "theano-pymc"
    version: str
    import_name: str
    native: Optional[str]  # dotted path of the backend's nnet.relu, if it has one
    formulation: str  # a key of relucompat.formulation.FORMULATIONS
    semantics: str
    linker: str  # the backend's default linker
    reason: str


_routes: Dict[Tuple[str, str, bool], Route] = {}


def relu(x: Any, alpha: Any = 0, *, semantics: Optional[str] = None) -> Any:
    """Rectified linear unit, ``x`` where ``x > 0`` and ``alpha * x`` elsewhere.

    A superset of Theano's ``nnet.relu(x, alpha=0)``. ``x`` is a tensor of any backend of
    the Theano lineage, or a numpy array or number, which becomes a constant of the
    backend chosen as :func:`explain` describes. ``alpha`` is a number or a tensor that
    broadcasts against ``x``. ``semantics`` is ``"theano"`` (default, Theano 1.0.5's
    results bit for bit) or ``"strict"`` (docs/semantics.md); ``$RELUCOMPAT_SEMANTICS`` sets
    the default.
    """
    name = resolve_semantics(semantics)
    facts = arguments.read(x, alpha)
    backend = discovery.backend_for(facts.x_owner, facts.alpha_owner)
    x = backend.tensor.as_tensor_variable(x)
    route = _route(backend, name, x.dtype)
    return FORMULATIONS[route.formulation].build(backend, x, alpha, facts)


def explain(x: Any = None, *, semantics: Optional[str] = None) -> Route:
    """The route ``relu(x, semantics=semantics)`` takes, or would take for a float input."""
    name = resolve_semantics(semantics)
    if x is None:
        backend = discovery.default()
        return _route(backend, name, "float64")
    facts = arguments.read(x)
    backend = discovery.backend_for(facts.x_owner)
    return _route(backend, name, backend.tensor.as_tensor_variable(x).dtype)


def _route(backend: Loaded, semantics: str, dtype: str) -> Route:
    integer = dtype[0] in "iu"
    key = (backend.backend.import_name, semantics, integer)
    route = _routes.get(key)
    if route is None:
        formulation, reason = _choose(backend, semantics, integer)
        route = _routes[key] = Route(
            backend=backend.distribution.name,
            version=backend.distribution.version,
            import_name=backend.backend.import_name,
            native=backend.native_path,
            formulation=formulation,
            semantics=semantics,
            linker=backend.linker,
            reason=reason,
        )
    return route


def _choose(backend: Loaded, semantics: str, integer: bool) -> Tuple[str, str]:
    if semantics == "theano":
        if backend.native_path is not None:
            return "native", f"{backend.label} has {backend.native_path}, Theano's own code"
        return "abs-average", (
            f"{backend.label} has no nnet.relu ({backend.backend.no_native_relu()}); "
            f"relucompat replays Theano 1.0.5's 0.5*(x+abs(x))"
        )
    if integer:
        return "masked-switch", (
            "switch(x<=0, 0, x) with a zero of x's dtype, so that uint8 stays uint8"
        )
    return "masked-switch", (
        "switch(x<=0, 0, x) maps -inf and -0.0 to +0 and keeps NaN and the dtype; its "
        "OpFromGraph gradient g*(x>0) is 0 at 0 and at NaN"
    )
