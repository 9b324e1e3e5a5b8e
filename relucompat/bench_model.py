"""``relucompat bench --model``: a legacy program's training step, and relu's cost in it.

One SGD step (forward, gradient, update) of a tutorial-sized model (``_model_graphs``),
built through :mod:`relucompat.legacy` exactly as a legacy script under ``relucompat run``
builds it (the backend's own ops on Theano). For the models with relu (``mlp``, ``lenet``),
one step per relucompat route and per hand formulation of
:data:`relucompat.bench.CANDIDATES`, timed in the same run, one step of each candidate in
turn per round: the median over the rounds, and compile time apart (the best of rebuilds
with the caches full). The models without relu (``lstm``, ``rbm``, ``dae``) are timed as
the program they are. For every model, in fresh interpreters: the cold compile (the first
step's compilation and call, with empty compile caches), the same in the run after it (the
caches that one left), and the peak memory of a warm step (the resident set's high-water
mark over the resident set before it).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from relucompat._model_graphs import MODELS, Model
from relucompat.bench import (
    CANDIDATES,
    Candidate,
    buildable,
    by_hand,
    cannot_run,
    compile_mode,
    finished,
    medians_in_turns,
    provenance,
    seconds_to_build,
)
from relucompat.lineage import Loaded

__all__ = ["MODELS", "SCHEMA", "check_options", "render_text", "run"]


def __dir__() -> list[str]:
    return __all__


SCHEMA = "relucompat.bench-model/1"
LEARNING_RATE = 0.01
COMPILE_ROUNDS = 8  # rebuilds of each step, in turns, when --repeat allows


def run(
    backend: Loaded,
    model: str,
    dtype: str = "float64",
    repeat: int = 30,
    linker: Optional[str] = None,
    batches: Optional[Tuple[int, ...]] = None,
    candidates: Optional[Tuple[str, ...]] = None,
    progress: Optional[Callable[[str], None]] = None,
) -> Dict[str, Any]:
    """Time one SGD step of ``model`` per candidate (or of the program, for a model without
    relu) and batch size; the bench record."""

    check_options(batches, candidates, model)
    chosen = MODELS[model]
    mode = compile_mode(backend, linker)
    say = progress or (lambda _: None)
    rows: List[Dict[str, Any]] = []
    timed = [c for c in buildable(backend) if not candidates or c.name in candidates]
    if not chosen.uses_relu:
        timed = [_theano_route()]  # relu is not in its graph: one step, the program's
    for batch in batches or chosen.batches:
        builds: Dict[str, Callable[[], Tuple[Any, list]]] = {}
        steps: Dict[str, Tuple[Any, list]] = {}
        cannot = {}
        for candidate in timed:
            name = candidate.name if chosen.uses_relu else "program"
            say(f"{model} batch {batch}: compiling {name}")
            build = _builder(backend, chosen, candidate, batch, dtype, mode)
            try:
                steps[name] = build()  # may compile C; rebuilds find it cached
            except Exception as error:
                if not chosen.uses_relu:
                    raise
                cannot[name] = cannot_run(name, error)
            else:
                builds[name] = build
        rounds = min(COMPILE_ROUNDS, repeat)
        say(f"{model} batch {batch}: rebuilding {len(builds)} steps {rounds} times in turns")
        compiled = _best_builds_in_turns(list(builds.values()), rounds)
        say(f"{model} batch {batch}: timing {len(steps)} steps in turns")
        medians = medians_in_turns(
            [functools.partial(function, *data) for function, data in steps.values()], repeat
        )
        results: List[Dict[str, Any]] = [
            {"name": name, "step_seconds": seconds, "compile_seconds": best}
            for name, seconds, best in zip(steps, medians, compiled)
        ]
        del steps  # their functions and buffers, before the children run
        row: Dict[str, Any] = {"batch": batch, "candidates": results, "cannot_run": cannot}
        if chosen.uses_relu:
            row["fastest_by_hand"] = _against_the_fastest_by_hand(model, results, cannot)
        if not rows:  # compiled code depends on dtypes and ranks, not on the batch size
            say(f"{model} batch {batch}: first calls, in fresh interpreters")
            cold, rerun = _first_call_seconds(backend, chosen, batch, dtype, linker)
            row["cold_compile_seconds"], row["rerun_compile_seconds"] = cold, rerun
        say(f"{model} batch {batch}: peak memory")
        row["peak_step_bytes"] = _peak_step_bytes(backend, chosen, batch, dtype, linker)
        rows.append(row)
    return {
        **provenance(SCHEMA, backend, linker),
        "model": model,
        "describe": chosen.describe,
        "dtype": dtype,
        "repeat": repeat,
        "batches": rows,
    }


def _against_the_fastest_by_hand(model: str, results: List[Dict[str, Any]], cannot: dict) -> str:
    """Each result's step and compile time as ratios to the fastest hand formulation's
    (added to the results); that formulation's name."""
    hand_made = [r for r in results if by_hand(r["name"])]
    if not hand_made:
        why = next(iter(cannot.values()), "no hand formulation was chosen")
        raise RuntimeError(f"no hand formulation's {model} step runs here ({why})")
    fastest = min(hand_made, key=lambda r: r["step_seconds"])
    fastest_compile = min(r["compile_seconds"] for r in hand_made)
    for result in results:
        result["step_vs_fastest_by_hand"] = result["step_seconds"] / fastest["step_seconds"]
        result["compile_vs_fastest_by_hand"] = result["compile_seconds"] / fastest_compile
    return str(fastest["name"])


def check_options(
    batches: Optional[Sequence[int]], candidates: Optional[Sequence[str]], model: str = "mlp"
) -> None:
    """Raise ``ValueError`` for a batch size below 1, an unknown candidate name, or a
    candidate for a model without relu."""
    if any(batch < 1 for batch in batches or ()):
        raise ValueError("--batch must be at least 1")
    if candidates and not MODELS[model].uses_relu:
        raise ValueError(
            f"--candidate chooses relu's formulation, and the {model} model has no relu; "
            "leave --candidate out to time the program"
        )
    known = [c.name for c in CANDIDATES]
    unknown = [name for name in candidates or () if name not in known]
    if unknown:
        raise ValueError(
            f"unknown candidate {unknown[0]!r}; the candidates are: {', '.join(known)}"
        )
    if candidates and not any(by_hand(name) for name in candidates):
        hand = [name for name in known if by_hand(name)]
        raise ValueError(
            "--candidate needs at least one hand formulation to compare against, "
            f"such as {hand[0]!r}"
        )


def _theano_route() -> Candidate:
    """The route whose step's peak memory a record holds."""
    return next(c for c in CANDIDATES if c.name == "relucompat theano")


def _activation(backend: Loaded, candidate: Candidate) -> Callable[[Any], Any]:
    return lambda z: candidate.build(backend, z)


def _training(
    backend: Loaded, model: Model, relu: Callable[[Any], Any], batch: int, dtype: str
) -> Tuple[Any, list]:
    """The step's graph, uncompiled: ``(function's arguments, data)``."""
    graph = model.build(backend, relu, batch, dtype)
    grads = backend.module.grad(graph.cost, graph.params, consider_constant=list(graph.constant))
    rate = backend.tensor.constant(LEARNING_RATE, dtype=dtype)  # a Python float upcasts float32
    updates = [(p, p - rate * g) for p, g in zip(graph.params, grads)] + list(graph.updates)
    return (graph.inputs, graph.cost, updates), graph.data


def _step(
    backend: Loaded, model: Model, relu: Callable[[Any], Any], batch: int, dtype: str, mode: Any
) -> Tuple[Any, list]:
    (inputs, cost, updates), data = _training(backend, model, relu, batch, dtype)
    return backend.module.function(inputs, cost, updates=updates, mode=mode), data


def _builder(
    backend: Loaded, model: Model, candidate: Candidate, batch: int, dtype: str, mode: Any
) -> Callable[[], Tuple[Any, list]]:
    """A function that builds the candidate's step and calls it once (JIT linkers compile
    on the first call): the step function and its data."""

    def build() -> Tuple[Any, list]:
        function, data = _step(backend, model, _activation(backend, candidate), batch, dtype, mode)
        finished(function(*data))
        return function, data

    return build


def _best_builds_in_turns(builds: List[Callable[[], Any]], rounds: int) -> List[float]:
    """Each build's best seconds over ``rounds`` rounds of one build of each in turn. One
    graph's rebuilds vary 1.7x even with the garbage collector off (Aesara 2.9.4, the MLP
    step, eight in turns: 0.34-0.59 s), so one rebuild's figure ranked one graph under two
    names 1.3x apart; the best of several is its cost without the machine's noise, as
    ``timeit`` advises."""
    best = [float("inf")] * len(builds)
    for _ in range(rounds):
        for i, build in enumerate(builds):
            best[i] = min(best[i], seconds_to_build(build)[1])
    return best


def _peak_step_bytes(
    backend: Loaded, model: Model, batch: int, dtype: str, linker: Optional[str]
) -> Optional[int]:
    """The transient memory of a warm ``"theano"``-route step, measured in a fresh
    interpreter (Linux only), so that no other candidate's memory or allocator state is in
    it: see :func:`_measure_peak_here`."""
    if not sys.platform.startswith("linux"):
        return None
    # glibc's default raises its mmap threshold after each large free, after which a warm
    # step's temporaries come from a heap that stays resident and the peak reads 0; a fixed
    # threshold hands every block over 64 KiB back to the system when it is freed.
    environ = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"}
    figure = _in_a_fresh_interpreter(
        "_measure_peak_here", (backend, model, batch, dtype, linker), environ, "peak memory"
    )
    return None if figure == "unmeasured" else int(figure)


def _first_call_seconds(
    backend: Loaded, model: Model, batch: int, dtype: str, linker: Optional[str]
) -> Tuple[float, float]:
    """Seconds from ``function()`` to the end of the first call of the ``"theano"``-route
    step in a fresh interpreter: first with empty compile caches (a new compile directory
    for the backend, numba's cache in it), what a user's first run of the program pays;
    then in another fresh interpreter with the caches the first left, what every later run
    pays."""
    with tempfile.TemporaryDirectory() as empty:
        environ = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(empty, "numba"))
        for name in ("THEANO_FLAGS", "AESARA_FLAGS", "PYTENSOR_FLAGS"):
            given = environ.get(name, "")
            fresh = f"base_compiledir={os.path.join(empty, name.split('_')[0].lower())}"
            environ[name] = f"{given},{fresh}" if given else fresh  # the later entry wins
        cold, rerun = (
            float(
                _in_a_fresh_interpreter(
                    "_measure_cold_here",
                    (backend, model, batch, dtype, linker),
                    environ,
                    "the first call",
                )
            )
            for _ in ("cold", "rerun")
        )
    return cold, rerun


def _in_a_fresh_interpreter(
    measure: str, step: Tuple[Loaded, Model, int, str, Optional[str]], environ: dict, what: str
) -> str:
    """The last word that this module's ``measure`` prints for ``step`` (backend, model,
    batch, dtype, linker), run in a new Python process with ``environ``."""
    backend, model, batch, dtype, linker = step
    code = f"import sys; from relucompat.bench_model import {measure} as m; m(*sys.argv[1:])"
    arguments = [backend.distribution.name, model.name, str(batch), dtype, linker or ""]
    child = subprocess.run(
        [sys.executable, "-c", code, *arguments], env=environ, capture_output=True, text=True
    )
    if child.returncode != 0:
        raise RuntimeError(f"measuring {what} failed:\n{child.stderr.strip()}")
    return child.stdout.split()[-1]


def _measure_cold_here(name: str, model: str, batch: str, dtype: str, linker: str) -> None:
    """Print the seconds that compiling the step and its first call take here."""
    from relucompat import discovery

    discovery.use(name)
    backend = discovery.default()
    mode = compile_mode(backend, linker or None)
    relu = _activation(backend, _theano_route())
    (inputs, cost, updates), data = _training(backend, MODELS[model], relu, int(batch), dtype)
    start = time.perf_counter()
    function = backend.module.function(inputs, cost, updates=updates, mode=mode)
    finished(function(*data))
    print(time.perf_counter() - start)


def _measure_peak_here(name: str, model: str, batch: str, dtype: str, linker: str) -> None:
    """Print the resident set's high-water mark during three warm steps over the resident
    set before them (writing 5 to /proc/self/clear_refs resets the mark)."""
    from relucompat import discovery

    discovery.use(name)
    backend = discovery.default()
    route = _theano_route()
    mode = compile_mode(backend, linker or None)
    function, data = _step(
        backend, MODELS[model], _activation(backend, route), int(batch), dtype, mode
    )
    finished(function(*data))
    try:
        with open("/proc/self/clear_refs", "w") as stream:
            stream.write("5")
    except OSError:  # a kernel or sandbox that does not offer it: no figure, not a wrong one
        print("unmeasured")
        return
    before = _status_kib("VmRSS")
    for _ in range(3):
        finished(function(*data))
    print((_status_kib("VmHWM") - before) * 1024)


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as stream:
        for line in stream:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"/proc/self/status has no {field}")


def render_text(record: Dict[str, Any]) -> str:
    """A plain table per batch size: step time, its ratio to the fastest hand formulation
    (where the model has relu), compile time; then the cold compile and the peak memory."""
    lines = [
        f"relucompat bench --model {record['model']}: {record['describe']}, "
        f"{record['backend']} {record['version']}, {record['linker']} linker, "
        f"{record['dtype']}, median of {record['repeat']} warm SGD steps, candidates in turns",
    ]
    for row in record["batches"]:
        lines += ["", f"batch {row['batch']}:"]
        lines.append(
            f"{'candidate':20} {'step ms':>10} {'/fastest':>9} {'compile s':>10} {'/fastest':>9}"
        )
        for r in row["candidates"]:
            ratios = [r.get(k) for k in ("step_vs_fastest_by_hand", "compile_vs_fastest_by_hand")]
            step_ratio, compile_ratio = (f"{v:8.2f}x" if v else f"{'-':>9}" for v in ratios)
            lines.append(
                f"{r['name']:20} {r['step_seconds'] * 1e3:10.3f} {step_ratio} "
                f"{r['compile_seconds']:10.2f} {compile_ratio}"
            )
        for name, why in row.get("cannot_run", {}).items():
            lines.append(f"{name:20} does not run on this linker: {why}")
        cold = row.get("cold_compile_seconds")
        if cold is not None:
            lines.append(f"cold compile of a step, empty caches (theano route): {cold:.2f} s")
            rerun = row["rerun_compile_seconds"]
            lines.append(f"its compile in the next run, caches kept: {rerun:.2f} s")
        peak = row["peak_step_bytes"]
        if peak is not None:
            lines.append(f"peak memory of a step (theano route): {peak / 2**20:.1f} MiB")
    return "\n".join(lines) + "\n"
