"""``relucompat doctor``: what is installed, which route relu takes, and a self-check.

The report is a plain dict (see ``SCHEMA``), rendered as text or JSON by the CLI.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from typing import Any, Dict, List

from relucompat import __version__, discovery, oracle
from relucompat.lineage import SHARED_C_MODULES, Backend, Loaded, named, registry
from relucompat.route import explain

__all__ = ["NO_BACKEND", "OK", "SCHEMA", "SELF_CHECK_FAILED", "edges", "render_text", "report"]


def __dir__() -> list[str]:
    return __all__


SCHEMA = "relucompat.doctor/1"
NO_BACKEND, SELF_CHECK_FAILED, OK = 2, 1, 0


def report(self_check: bool = True) -> Dict[str, Any]:
    """Everything doctor knows. Imports every installed backend, to check it."""
    import numpy as np

    found: Dict[str, Any] = {
        "schema": SCHEMA,
        "relucompat": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "backends": [_backend_entry(info) for info in discovery.backends()],
        "active": None,
        "self_check": None,
        "hint": None,
        "notes": [],
    }
    usable = {entry["import_name"] for entry in found["backends"] if entry["usable"]}
    found["notes"] += clash_notes([b for b in registry() if b.import_name in usable])
    try:
        active = discovery.default()
    except (ImportError, ValueError) as exc:
        found["hint"] = str(exc)
        found["exit_code"] = NO_BACKEND
        return found
    found["active"] = active.distribution.name
    if self_check:
        found["self_check"] = self_check_in_fresh_process()
        passed = all(check["passed"] for check in found["self_check"]["checks"])
        found["exit_code"] = OK if passed else SELF_CHECK_FAILED
    else:
        found["exit_code"] = OK
    return found


def _backend_entry(info: discovery.BackendInfo) -> Dict[str, Any]:
    entry = info._asdict()  # details: the whole error of a broken install
    entry["routes"] = {}
    if info.usable:
        loaded = discovery.load(named(info.import_name))
        entry["native"] = info.native or f"none: {loaded.backend.no_native_relu()}"
        x = loaded.tensor.vector()
        for semantics in ("theano", "strict"):
            entry["routes"][semantics] = explain(x, semantics=semantics)._asdict()
        entry["import_warnings"] = len(loaded.import_warnings)
    return entry


def clash_notes(backends: List[Backend]) -> List[str]:
    """A note per pair of backends that import their C extensions under the same names."""
    shared = ", ".join(SHARED_C_MODULES)
    return [
        f"{a.import_name} and {b.import_name} import their compiled C VM and helpers under "
        f"the same names ({shared}): relucompat binds each to its own when it loads them, "
        f"so both compile in one process, unless one compiled with C before relucompat "
        f"loaded the other."
        for i, a in enumerate(backends)
        for b in backends[i + 1 :]
        if a.clashes_with(b)
    ]


def self_check_in_fresh_process() -> Dict[str, Any]:
    """The self-check as a fresh program sees it: importing only the backend it uses
    (listing the backends imports all of them)."""
    script = "import json, relucompat.doctor as d; print(json.dumps(d.self_check_here()))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {
            "backend": None,
            "linker": None,
            "seconds": None,
            "checks": [{"name": "self-check process", "passed": False, "detail": last}],
        }
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def self_check_here() -> Dict[str, Any]:
    return run_self_check(discovery.default())


def run_self_check(backend: Loaded) -> Dict[str, Any]:
    """The contract's edge vector, forward and gradient, both semantics, float32 and
    float64, on ``backend`` with its default linker: one compiled function per dtype."""
    import numpy as np

    from relucompat.route import relu

    started = time.perf_counter()
    checks: List[Dict[str, Any]] = []
    for dtype in ("float32", "float64"):
        x = backend.tensor.vector(dtype=dtype)
        outputs = []
        for semantics in ("theano", "strict"):
            y = relu(x, semantics=semantics)
            outputs += [y, backend.module.grad(y.sum(), x)]
        try:
            values = backend.module.function([x], outputs)(edges(dtype))
        except Exception as exc:  # report it as a failed check, not a traceback
            reason = discovery.one_line(exc)
            checks.append({"name": f"compile and run {dtype}", "passed": False, "detail": reason})
            continue
        expected = [
            oracle.theano_forward(edges(dtype)),
            oracle.theano_grad(edges(dtype)),
            oracle.strict_forward(edges(dtype)),
            oracle.strict_grad_x(edges(dtype), np.ones(len(edges(dtype)), dtype)),
        ]
        names = ["theano forward", "theano gradient", "strict forward", "strict gradient"]
        for name, got, want in zip(names, values, expected):
            # The contract fixes the sign of a zero result, not of a zero gradient.
            signed = name.endswith("forward")
            checks.append(_check(f"{name} {dtype}", np.asarray(got), want, signed))
    return {
        "backend": backend.distribution.name,
        "linker": backend.linker,
        "seconds": round(time.perf_counter() - started, 2),
        "checks": checks,
    }


def edges(dtype: str) -> Any:
    """-inf, -1, -0.0, 0, the smallest denormal, 1, +inf, NaN, and near the dtype's max."""
    import numpy as np

    info = np.finfo(dtype)
    tiny = np.nextafter(np.zeros((), dtype), np.ones((), dtype))
    values = [-np.inf, -1.0, -0.0, 0.0, float(tiny), 1.0, np.inf, np.nan, float(info.max) * 0.9]
    return np.array(values, dtype=dtype)


def _check(name: str, got: Any, want: Any, signed_zeros: bool) -> Dict[str, Any]:
    import numpy as np

    same = got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True)
    if same and signed_zeros:
        same = np.array_equal(np.signbit(got[got == 0]), np.signbit(want[want == 0]))
    detail = (
        "" if same else f"got {got.dtype} {got.tolist()}, expected {want.dtype} {want.tolist()}"
    )
    return {"name": name, "passed": bool(same), "detail": detail}


def render_text(found: Dict[str, Any], details: bool = False) -> str:
    """The report as stable plain text, one fact per line."""
    lines = [
        f"relucompat {found['relucompat']}",
        f"python     {found['python']}",
        f"numpy      {found['numpy']}",
        f"platform   {found['platform']}",
        "",
        "backends:",
    ]
    if not found["backends"]:
        lines.append("  none installed")
    for entry in found["backends"]:
        status = "imports" if entry["usable"] else f"does not import: {entry['reason']}"
        lines.append(
            f"  {entry['name']} {entry['version']} (import {entry['import_name']}): {status}"
        )
        if not entry["usable"]:
            if details and entry["details"]:
                lines += ["    " + line for line in entry["details"].rstrip().splitlines()]
            elif entry["details"]:
                lines.append("    the whole error: relucompat doctor --details")
            continue
        lines.append(f"    native relu:    {entry['native']}")
        lines.append(f"    default linker: {entry['linker']}")
        for semantics, route in entry["routes"].items():
            lines.append(
                f"    {semantics + ' route:':15} {route['formulation']}: {route['reason']}"
            )
    for note in found["notes"]:
        lines.append(f"note: {note}")
    lines.append("")
    if found["hint"]:
        lines.append(found["hint"])
        return "\n".join(lines) + "\n"
    lines.append(f"active backend: {found['active']}")
    check = found["self_check"]
    if check:
        lines.append(
            f"self-check on {check['backend']} ({check['linker']} linker, {check['seconds']} s):"
        )
        for item in check["checks"]:
            mark = "PASS" if item["passed"] else "FAIL"
            lines.append(
                f"  {mark} {item['name']}" + (f": {item['detail']}" if item["detail"] else "")
            )
    return "\n".join(lines) + "\n"
