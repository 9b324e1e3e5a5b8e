"""Which test compiled which C module: a pytest plugin for the Theano-family backends.

Cold C compilation is most of CI's time (about a second of gcc per module). Empty an env's
compile cache, run its tests with this plugin, then count:

    rm -rf .tox/py38-theano/compiledir
    python -m tox exec -e py38-theano -- python -m pytest -p tools.gcclog
    python tools/gcclog.py gcclog.jsonl

Each line of gcclog.jsonl is one module: the test that asked for it, gcc's seconds, and
the nodes it holds. Subprocesses (the CLI, the examples) are not logged.
"""

from __future__ import annotations

import collections
import importlib
import json
import re
import sys
import time
from typing import Any, Dict, List

_test = ["<collection>"]


def pytest_runtest_setup(item: Any) -> None:
    _test[0] = item.nodeid


def pytest_configure(config: Any) -> None:
    path = "gcclog.jsonl"
    for name in ("theano.gof.cmodule", "aesara.link.c.cmodule", "pytensor.link.c.cmodule"):
        try:
            cmodule = importlib.import_module(name)
        except ImportError:
            continue
        _wrap(cmodule.GCC_compiler, path)


def _wrap(compiler: Any, path: str) -> None:
    declared = compiler.__dict__["compile_str"]  # a staticmethod or a classmethod
    compile_str = declared.__func__

    def logged(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return compile_str(*args, **kwargs)
        finally:
            linker = sys._getframe(1).f_locals.get("self")
            fgraph = getattr(linker, "fgraph", None)
            nodes = [str(node) for node in fgraph.toposort()] if fgraph is not None else []
            seconds = round(time.perf_counter() - start, 3)
            with open(path, "a") as log:
                log.write(json.dumps({"test": _test[0], "seconds": seconds, "nodes": nodes}))
                log.write("\n")

    compiler.compile_str = type(declared)(logged)


def summary(path: str, top: int = 30) -> None:
    """Modules and gcc seconds per test function (parameters folded), most first."""
    count: Dict[str, int] = collections.Counter()
    seconds: Dict[str, float] = collections.defaultdict(float)
    with open(path) as lines:
        for line in lines:
            entry = json.loads(line)
            test = re.sub(r"\[.*", "", entry["test"])
            count[test] += 1
            seconds[test] += entry["seconds"]
    ordered: List[str] = sorted(count, key=seconds.__getitem__, reverse=True)
    print(f"{sum(count.values())} modules, {sum(seconds.values()):.0f} s of gcc")
    for test in ordered[:top]:
        print(f"{count[test]:5d} {seconds[test]:6.0f} s  {test}")


if __name__ == "__main__":
    summary(sys.argv[1])
