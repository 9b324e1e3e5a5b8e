"""``relucompat bench --model mlp|lenet``: relu's cost where users feel it, a training step.

One SGD step (forward, gradient, update) of a tutorial-sized model, with relu built by each
relucompat route and by each hand formulation of :data:`relucompat.bench.CANDIDATES`, timed
in the same run, one step of each candidate in turn per round: the median over the rounds,
and compile time apart. ``lenet`` builds its convolutions and pooling through
:mod:`relucompat.legacy`, exactly as a legacy script under ``relucompat run`` does (the
backend's own ops on Theano). The peak memory of a step is measured for the ``"theano"``
route in a fresh interpreter: the resident set's high-water mark during warm steps, over
the resident set before them.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

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


class Model(NamedTuple):
    name: str
    describe: str
    batches: Tuple[int, ...]
    build: Callable[[Loaded, Callable[[Any], Any], int, str], Tuple[list, Any, list, list]]


def _dense(backend: Loaded, rng: Any, n_in: int, n_out: int, dtype: str) -> Tuple[Any, Any]:
    import numpy as np

    bound = np.sqrt(6.0 / (n_in + n_out))
    W = backend.module.shared(rng.uniform(-bound, bound, (n_in, n_out)).astype(dtype))
    b = backend.module.shared(np.zeros(n_out, dtype=dtype))
    return W, b


def _softmax_nll(T: Any, h: Any, W: Any, b: Any, y: Any) -> Any:
    from relucompat.legacy.tensor.nnet import softmax

    p = softmax(T.dot(h, W) + b)
    return -T.mean(T.log(p)[T.arange(y.shape[0]), y])


def _mlp(
    backend: Loaded, relu: Callable[[Any], Any], batch: int, dtype: str
) -> Tuple[list, Any, list, list]:
    """784-500-10, the deeplearning.net tutorial's MLP."""
    import numpy as np

    T, rng = backend.tensor, np.random.RandomState(1234)
    x, y = T.matrix(dtype=dtype), T.ivector()
    W1, b1 = _dense(backend, rng, 784, 500, dtype)
    W2, b2 = _dense(backend, rng, 500, 10, dtype)
    cost = _softmax_nll(T, relu(T.dot(x, W1) + b1), W2, b2, y)
    data = [rng.standard_normal((batch, 784)).astype(dtype), rng.randint(0, 10, batch)]
    return [x, y], cost, [W1, b1, W2, b2], [data[0], data[1].astype("int32")]


def _lenet(
    backend: Loaded, relu: Callable[[Any], Any], batch: int, dtype: str
) -> Tuple[list, Any, list, list]:
    """The deeplearning.net tutorial's LeNet: 28x28 images, 20 and 50 5x5 kernels each
    followed by 2x2 max-pooling and relu, a 500-unit relu layer, softmax over 10."""
    import numpy as np

    from relucompat.legacy.tensor.nnet import conv2d
    from relucompat.legacy.tensor.signal.pool import pool_2d

    T, rng = backend.tensor, np.random.RandomState(23455)
    x, y = T.matrix(dtype=dtype), T.ivector()
    params: List[Any] = []
    h = x.reshape((batch, 1, 28, 28))
    shape = (batch, 1, 28, 28)
    for kernels in (20, 50):
        filters = (kernels, shape[1], 5, 5)
        W = backend.module.shared(rng.uniform(-0.1, 0.1, filters).astype(dtype))
        b = backend.module.shared(np.zeros(kernels, dtype=dtype))
        conv = conv2d(h, W, input_shape=shape, filter_shape=filters)
        h = relu(pool_2d(conv, ws=(2, 2), ignore_border=True) + b.dimshuffle("x", 0, "x", "x"))
        shape = (batch, kernels, (shape[2] - 4) // 2, (shape[3] - 4) // 2)
        params += [W, b]
    W3, b3 = _dense(backend, rng, 50 * 4 * 4, 500, dtype)
    W4, b4 = _dense(backend, rng, 500, 10, dtype)
    cost = _softmax_nll(T, relu(T.dot(h.flatten(2), W3) + b3), W4, b4, y)
    data = [rng.standard_normal((batch, 784)).astype(dtype), rng.randint(0, 10, batch)]
    return [x, y], cost, [*params, W3, b3, W4, b4], [data[0], data[1].astype("int32")]


MODELS = {
    "mlp": Model("mlp", "784-500-10 MLP", (20, 500), _mlp),
    "lenet": Model("lenet", "LeNet (conv 20, conv 50, 500, 10)", (20, 500), _lenet),
}


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
    """Time one SGD step of ``model`` per candidate and batch size; the bench record."""

    check_options(batches, candidates)
    chosen = MODELS[model]
    mode = compile_mode(backend, linker)
    say = progress or (lambda _: None)
    rows = []
    timed = [c for c in buildable(backend) if not candidates or c.name in candidates]
    for batch in batches or chosen.batches:
        builds: Dict[str, Callable[[], Tuple[Any, list]]] = {}
        steps: Dict[str, Tuple[Any, list]] = {}
        cannot = {}
        for candidate in timed:
            say(f"{model} batch {batch}: compiling {candidate.name}")
            build = _builder(backend, chosen, candidate, batch, dtype, mode)
            try:
                steps[candidate.name] = build()  # may compile C; rebuilds find it cached
            except Exception as error:
                cannot[candidate.name] = cannot_run(candidate.name, error)
            else:
                builds[candidate.name] = build
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
        del steps  # their functions and buffers, before the peak-memory child runs
        hand_made = [r for r in results if by_hand(r["name"])]
        if not hand_made:
            why = next(iter(cannot.values()), "no hand formulation was chosen")
            raise RuntimeError(f"no hand formulation's {model} step runs here ({why})")
        fastest = min(hand_made, key=lambda r: r["step_seconds"])
        fastest_compile = min(r["compile_seconds"] for r in hand_made)
        for result in results:
            result["step_vs_fastest_by_hand"] = result["step_seconds"] / fastest["step_seconds"]
            result["compile_vs_fastest_by_hand"] = result["compile_seconds"] / fastest_compile
        say(f"{model} batch {batch}: peak memory")
        rows.append(
            {
                "batch": batch,
                "candidates": results,
                "fastest_by_hand": fastest["name"],
                "cannot_run": cannot,
                "peak_step_bytes": _peak_step_bytes(backend, chosen, batch, dtype, linker),
            }
        )
    return {
        **provenance(SCHEMA, backend, linker),
        "model": model,
        "describe": chosen.describe,
        "dtype": dtype,
        "repeat": repeat,
        "batches": rows,
    }


def check_options(batches: Optional[Sequence[int]], candidates: Optional[Sequence[str]]) -> None:
    """Raise ``ValueError`` for a batch size below 1 or an unknown candidate name."""
    if any(batch < 1 for batch in batches or ()):
        raise ValueError("--batch must be at least 1")
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


def _step(
    backend: Loaded, model: Model, relu: Callable[[Any], Any], batch: int, dtype: str, mode: Any
) -> Tuple[Any, list]:
    inputs, cost, params, data = model.build(backend, relu, batch, dtype)
    grads = backend.module.grad(cost, params)
    rate = backend.tensor.constant(LEARNING_RATE, dtype=dtype)  # a Python float upcasts float32
    updates = [(p, p - rate * g) for p, g in zip(params, grads)]
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
    arguments = [backend.distribution.name, model.name, str(batch), dtype, linker or ""]
    child = subprocess.run(
        [sys.executable, "-c", _PEAK_CHILD, *arguments],
        env=environ,
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise RuntimeError(f"measuring peak memory failed:\n{child.stderr.strip()}")
    figure = child.stdout.split()[-1]
    return None if figure == "unmeasured" else int(figure)


_PEAK_CHILD = (
    "import sys; from relucompat.bench_model import _measure_peak_here as m; m(*sys.argv[1:])"
)


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
    """A plain table per batch size: step time, its ratio to the fastest hand formulation,
    and compile time."""
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
            lines.append(
                f"{r['name']:20} {r['step_seconds'] * 1e3:10.3f} "
                f"{r['step_vs_fastest_by_hand']:8.2f}x {r['compile_seconds']:10.2f} "
                f"{r['compile_vs_fastest_by_hand']:8.2f}x"
            )
        for name, why in row.get("cannot_run", {}).items():
            lines.append(f"{name:20} does not run on this linker: {why}")
        peak = row["peak_step_bytes"]
        if peak is not None:
            lines.append(f"peak memory of a step (theano route): {peak / 2**20:.1f} MiB")
    return "\n".join(lines) + "\n"
