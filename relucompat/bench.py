"""``relucompat bench``: which relu is fastest, forward and gradient, on this backend.

The classic benchmark: a standard-normal matrix, timing the forward pass and
``grad(sum(relu(x)), x)``, plus the gradient with a real upstream matrix,
``grad(sum(relu(x) * W), x)``, which ranks the formulations differently. Every candidate is
timed in the same run as NumPy's memory-bound references, all of them in turns after a
warm-up call, so the figures are medians of warm calls and the ratios compare like with
like. Each candidate is also checked against the strict contract on the edge vector, so
the table says which candidates a fast time would cost you.
"""

from __future__ import annotations

import functools
import gc
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from relucompat import __version__, doctor, oracle
from relucompat.lineage import Loaded
from relucompat.route import explain, relu

__all__ = [
    "CANDIDATES",
    "MEASUREMENTS",
    "SCHEMA",
    "Candidate",
    "buildable",
    "by_hand",
    "cannot_run",
    "compile_mode",
    "contract_mark",
    "finished",
    "medians_in_turns",
    "plot",
    "provenance",
    "render_text",
    "run",
    "seconds_to_build",
]


def __dir__() -> list[str]:
    return __all__


SCHEMA = "relucompat.bench/1"
MEASUREMENTS = ("forward", "grad", "grad_upstream")


class Candidate(NamedTuple):
    name: str
    build: Callable[[Loaded, Any], Any]


def by_hand(name: str) -> bool:
    """Whether candidate ``name`` is a hand formulation, the yardstick of relucompat's routes."""
    return not name.startswith("relucompat")


def buildable(backend: Loaded) -> List[Candidate]:
    """The candidates ``backend`` can build: all but ``nnet.relu`` where it has none."""
    return [c for c in CANDIDATES if not (c.name == "nnet.relu" and backend.native is None)]


def cannot_run(name: str, error: Exception) -> str:
    """Why a hand formulation does not run on this linker, in one line for the record; an
    error of relucompat's own routes is raised, not recorded."""
    if not by_hand(name):
        raise error
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"[:200]


def _hand(expression: Callable[[Any, Any], Any]) -> Callable[[Loaded, Any], Any]:
    return lambda backend, x: expression(backend.tensor, x)


CANDIDATES = (
    Candidate("nnet.relu", lambda backend, x: backend.native(x)),  # type: ignore[misc]
    Candidate("switch(x<0,0,x)", _hand(lambda T, x: T.switch(T.lt(x, 0), 0, x))),
    Candidate("switch(x<=0,0,x)", _hand(lambda T, x: T.switch(T.le(x, 0), 0, x))),
    Candidate("maximum(x,0)", _hand(lambda T, x: T.maximum(x, 0))),
    Candidate("x*(x>0)", _hand(lambda T, x: x * T.gt(x, 0))),
    Candidate("relucompat theano", lambda backend, x: relu(x, semantics="theano")),
    Candidate("relucompat strict", lambda backend, x: relu(x, semantics="strict")),
)


def run(
    backend: Loaded,
    size: int = 1000,
    dtype: str = "float64",
    repeat: int = 30,
    linker: Optional[str] = None,
    progress: Optional[Callable[[str], None]] = None,
) -> Dict[str, Any]:
    """Time every candidate on ``backend``; return the bench record (see ``SCHEMA``)."""
    import numpy as np

    rng = np.random.RandomState(0)
    z = rng.standard_normal((size, size)).astype(dtype)
    w = rng.standard_normal((size, size)).astype(dtype)
    mode = compile_mode(backend, linker)
    say = progress or (lambda _: None)

    references = {
        "forward": ("np.maximum(z, 0)", lambda: np.maximum(z, 0)),
        "grad": (f"(z > 0).astype({dtype})", lambda: (z > 0).astype(dtype)),
        "grad_upstream": ("w * (z > 0)", lambda: w * (z > 0)),
    }
    results, calls = [], []
    cannot = {}
    for candidate in buildable(backend):
        say(f"{candidate.name}: compiling")
        try:
            result, measured = _compile_candidate(backend, candidate, z, w, mode)
        except Exception as error:
            cannot[candidate.name] = cannot_run(candidate.name, error)
            continue
        results.append(result)
        calls += [measured[key] for key in MEASUREMENTS]

    say("every call, in turns")
    medians = medians_in_turns([call for _, call in references.values()] + calls, repeat)
    numpy_times = {
        key: {"expression": label, "seconds": seconds}
        for (key, (label, _)), seconds in zip(references.items(), medians)
    }
    timed = iter(medians[len(references) :])
    for result in results:
        result["seconds"] = {key: next(timed) for key in MEASUREMENTS}

    fastest = {k: min(r["seconds"][k] for r in results) for k in MEASUREMENTS}
    for result in results:
        result["vs_fastest"] = {k: result["seconds"][k] / fastest[k] for k in MEASUREMENTS}
        result["vs_numpy"] = {
            k: result["seconds"][k] / numpy_times[k]["seconds"] for k in MEASUREMENTS
        }
    strict = next(r for r in results if r["name"] == "relucompat strict")
    route = explain(backend.tensor.matrix(dtype=dtype), semantics="strict")
    say("overheads")
    return {
        **provenance(SCHEMA, backend, linker),
        "dtype": dtype,
        "size": size,
        "repeat": repeat,
        "numpy_references": numpy_times,
        "candidates": results,
        "cannot_run": cannot,
        "strict_formulation": route.formulation,
        "strict_vs_fastest": strict["vs_fastest"],
        "strict_vs_numpy": strict["vs_numpy"],
        "overheads": overheads(backend, dtype, mode, results, repeat),
    }


def provenance(schema: str, backend: Loaded, linker: Optional[str]) -> Dict[str, Any]:
    """Where a bench record comes from: its schema, relucompat, the backend and its linker,
    Python and numpy."""
    import numpy as np

    return {
        "schema": schema,
        "relucompat": __version__,
        "backend": backend.distribution.name,
        "version": backend.distribution.version,
        "linker": linker or backend.linker,
        "python": ".".join(map(str, sys.version_info[:3])),
        "numpy": np.__version__,
    }


def overheads(
    backend: Loaded, dtype: str, mode: Any, results: List[Dict[str, Any]], repeat: int = 15
) -> Dict[str, Any]:
    """What relucompat itself costs: importing it, building a node, compiling a graph.
    Each is a best of several rounds, no more than ``repeat``."""
    from relucompat.arguments import read
    from relucompat.formulation import FORMULATIONS

    x = backend.tensor.matrix(dtype=dtype)
    build = {}
    for semantics in ("theano", "strict"):
        formulation = FORMULATIONS[explain(x, semantics=semantics).formulation]
        relu(x, semantics=semantics)  # warm the route and op caches
        via_relu = _best_per_call(functools.partial(relu, x, semantics=semantics), repeat)
        direct = _best_per_call(
            functools.partial(formulation.build, backend, x, 0, read(x, 0)), repeat
        )
        build[semantics] = {
            "relu_us": via_relu * 1e6,
            "by_hand_us": direct * 1e6,
            "ratio": via_relu / direct,
        }
    fastest = min(
        (r for r in results if by_hand(r["name"])),
        key=lambda r: sum(r["seconds"].values()),
    )
    strict = next(r for r in results if r["name"] == "relucompat strict")
    compile_ratio = sum(strict["compile_seconds"].values()) / sum(
        fastest["compile_seconds"].values()
    )
    return {
        "import_ms": import_milliseconds(min(repeat, 15)),
        "import_relu_ms": import_milliseconds(min(repeat, 15), "from relucompat import relu"),
        "build": build,
        "compile": {"fastest_by_hand": fastest["name"], "strict_vs_it": compile_ratio},
    }


def import_milliseconds(rounds: int = 15, code: str = "import relucompat") -> float:
    """``code`` minus a bare interpreter, best of ``rounds`` fresh processes each."""
    import subprocess

    def best(code: str) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - started)
        return min(times)

    return (best(code) - best("pass")) * 1e3


def _best_per_call(call: Callable[[], Any], repeat: int, calls: int = 200) -> float:
    best = float("inf")
    for _ in range(min(repeat, 5)):
        started = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - started) / calls)
    return best


def _compile_candidate(
    backend: Loaded, candidate: Candidate, z: Any, w: Any, mode: Any
) -> Tuple[Dict[str, Any], Dict[str, Callable[[], Any]]]:
    """The candidate's record but its timings, and a call per measurement to time."""
    B, T = backend.module, backend.tensor
    x, upstream = T.matrix(dtype=str(z.dtype)), T.matrix(dtype=str(z.dtype))
    y = candidate.build(backend, x)
    graphs = {
        "forward": ([x], y),
        "grad": ([x], B.grad(y.sum(), x)),
        "grad_upstream": ([x, upstream], B.grad((y * upstream).sum(), x)),
    }
    compile_seconds: Dict[str, float] = {}
    functions: Dict[str, Any] = {}
    calls: Dict[str, Callable[[], Any]] = {}
    for key, (inputs, output) in graphs.items():
        args = [z, w][: len(inputs)]
        build = functools.partial(_compiled, B, inputs, output, args, mode)
        build()  # may compile C; the timed builds find it cached, as users do
        compiles = [seconds_to_build(build) for _ in range(3)]
        functions[key] = compiles[-1][0]
        compile_seconds[key] = min(seconds for _, seconds in compiles)
        calls[key] = functools.partial(functions[key], *args)
    result: Dict[str, Any] = {
        "name": candidate.name,
        "compile_seconds": compile_seconds,
        **_meets_contract(functions, str(z.dtype)),
    }
    return result, calls


def _compiled(B: Any, inputs: list, output: Any, args: list, mode: Any) -> Any:
    function = B.function(inputs, output, mode=mode)
    function(*args)  # JIT linkers (numba, JAX) compile on the first call
    return function


def _meets_contract(functions: Dict[str, Any], dtype: str) -> Dict[str, bool]:
    """Forward and gradient of the edge vector against the strict oracle: everywhere, and
    everywhere but at denormals, which some linkers flush to zero (XLA does) whatever the
    formulation."""
    import numpy as np

    edges = doctor.edges(dtype)[None, :]
    forward = np.asarray(functions["forward"](edges))
    grad = np.asarray(functions["grad"](edges))
    want_forward = oracle.strict_forward(edges)
    want_grad = oracle.strict_grad_x(edges, np.ones_like(edges))

    def meets(where: Any) -> bool:
        got = forward[where]
        return bool(
            forward.dtype == want_forward.dtype
            and np.array_equal(got, want_forward[where], equal_nan=True)
            and not np.signbit(got[got == 0]).any()
            and np.array_equal(grad[where], want_grad[where], equal_nan=True)
        )

    denormal = (edges != 0) & (np.abs(edges) < np.finfo(dtype).tiny)
    return {
        "meets_strict_contract": meets(np.ones_like(denormal)),
        "meets_strict_contract_but_denormals": meets(~denormal),
    }


def contract_mark(candidate: Dict[str, Any]) -> str:
    """The table's "strict?" cell: yes, no, or ftz (yes but for flushed denormals)."""
    if candidate["meets_strict_contract"]:
        return "yes"
    return "ftz" if candidate.get("meets_strict_contract_but_denormals") else "no"


def medians_in_turns(calls: List[Callable[[], Any]], repeat: int) -> List[float]:
    """Each call's median seconds over ``repeat`` rounds of one call of each in turn, after
    a warm-up round: a drift of the machine (clock, caches, a neighbour) touches every
    call alike, where back-to-back runs gave two identical graphs 1.5x apart."""
    for call in calls:
        finished(call())  # warm caches and allocators
    times: List[List[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for call, spent in zip(calls, times):
            started = time.perf_counter()
            finished(call())
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


def seconds_to_build(build: Callable[[], Any]) -> Tuple[Any, float]:
    """``build()`` and the seconds it took, with the garbage of earlier builds collected
    first and the collector off while it runs, as ``timeit`` does: a build makes many
    objects, and a collection that one build's garbage triggers in the next made one
    graph's compile time vary 2.5x (Aesara 2.9.4, the MLP step)."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        built = build()
        return built, time.perf_counter() - started
    finally:
        if enabled:
            gc.enable()


def finished(result: Any) -> None:
    """Wait until ``result`` is computed: the JAX linker returns as soon as the work is
    dispatched, and a measurement times the work itself."""
    for value in result if isinstance(result, (list, tuple)) else [result]:
        if hasattr(value, "block_until_ready"):
            value.block_until_ready()


def compile_mode(backend: Loaded, linker: Optional[str]) -> Any:
    """The backend's ``Mode`` with ``linker`` and the usual optimizer; None for its default."""
    if linker is None:
        return None
    import importlib

    mode = importlib.import_module(backend.backend.import_name + ".compile.mode")
    return mode.Mode(linker=linker, optimizer="fast_run")


def render_text(record: Dict[str, Any]) -> str:
    """A plain table: milliseconds and ratios, one candidate per line."""
    head = (
        f"relucompat bench: {record['backend']} {record['version']}, {record['linker']} "
        f"linker, {record['size']}x{record['size']} {record['dtype']}, "
        f"median of {record['repeat']} warm calls in turns"
    )
    lines = [head, ""]
    lines.append(
        f"{'candidate':20} {'strict?':8} "
        + " ".join(f"{k + ' ms':>14} {'/fastest':>8} {'/numpy':>7}" for k in MEASUREMENTS)
        + f" {'compile s':>9}"
    )
    for result in record["candidates"]:
        cells = " ".join(
            f"{result['seconds'][k] * 1e3:14.3f} {result['vs_fastest'][k]:7.2f}x "
            f"{result['vs_numpy'][k]:6.2f}x"
            for k in MEASUREMENTS
        )
        compile_total = sum(result["compile_seconds"].values())
        lines.append(f"{result['name']:20} {contract_mark(result):8} {cells} {compile_total:9.2f}")
    for name, why in record.get("cannot_run", {}).items():
        lines.append(f"{name:20} does not run on this linker: {why}")
    refs = record["numpy_references"]
    lines.append(
        "numpy: "
        + ", ".join(
            f"{refs[k]['expression']} {refs[k]['seconds'] * 1e3:.3f} ms" for k in MEASUREMENTS
        )
    )
    if any(contract_mark(c) == "ftz" for c in record["candidates"]):
        lines.append("ftz: meets the strict contract but at denormals, which this linker flushes")
    lines.append(f"strict route: {record['strict_formulation']}")
    over = record["overheads"]
    lines.append(
        f"import relucompat: +{over['import_ms']:.1f} ms over a bare interpreter "
        f"(from relucompat import relu: +{over['import_relu_ms']:.1f} ms)"
    )
    for semantics, cost in over["build"].items():
        lines.append(
            f"building relu(x, semantics={semantics!r}): {cost['relu_us']:.1f} us, "
            f"by hand {cost['by_hand_us']:.1f} us ({cost['ratio']:.2f}x)"
        )
    lines.append(
        f"compiling strict fwd+grads: {over['compile']['strict_vs_it']:.2f}x "
        f"{over['compile']['fastest_by_hand']} by hand"
    )
    return "\n".join(lines) + "\n"


def plot(record: Dict[str, Any], path: str) -> None:
    """Bars of each candidate's time as a ratio to NumPy, per measurement (matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError('--plot needs matplotlib: pip install "relucompat[bench]"') from None
    names = [r["name"] for r in record["candidates"]]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(MEASUREMENTS)
    for i, key in enumerate(MEASUREMENTS):
        values = [r["vs_numpy"][key] for r in record["candidates"]]
        ax.bar([n + i * width for n in range(len(names))], values, width, label=key)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([n + width for n in range(len(names))])
    ax.set_xticklabels(names, rotation=25, ha="right")
    ax.set_ylabel("time / NumPy reference")
    ax.set_title(
        f"{record['backend']} {record['version']} ({record['linker']}), "
        f"{record['size']}x{record['size']} {record['dtype']}"
    )
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
