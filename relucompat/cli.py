"""The ``relucompat`` command: ``doctor`` (the default), ``bench``, ``run`` and ``port``.

Standard library only; ``rich`` (the ``cli`` extra) adds colour on a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, List, Optional, Tuple

from relucompat import __version__
from relucompat._model_graphs import MODELS

__all__ = ["main"]


def __dir__() -> list[str]:
    return __all__


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="relucompat",
        description="relu across Theano, Theano-PyMC, Aesara and PyTensor. "
        "With no command, runs doctor.",
    )
    top.add_argument("--version", action="version", version=f"relucompat {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    doctor = commands.add_parser(
        "doctor",
        help="what is installed, which route relu takes, and a self-check (the default)",
        description="Exit status: 0 all passes, 1 the self-check fails, 2 no usable backend.",
    )
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    doctor.add_argument(
        "--no-self-check", action="store_true", help="skip compiling the self-check"
    )
    doctor.add_argument(
        "--details", action="store_true", help="print the whole error of a broken backend"
    )

    bench = commands.add_parser(
        "bench",
        help="time every relu formulation on this backend, with NumPy in the same run",
        description="Forward, grad(sum(relu(x))) and grad(sum(relu(x) * W)) for every "
        "candidate, as medians of warm calls and as ratios to the fastest candidate and "
        "to NumPy. Compile time is reported apart.",
    )
    bench.add_argument("--size", type=int, default=1000, help="the matrix is SIZE x SIZE")
    bench.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    bench.add_argument("--repeat", type=int, default=30, help="timed calls per figure")
    bench.add_argument("--linker", help="a linker of the backend: cvm, c, py, numba, jax...")
    bench.add_argument("--backend", help="pytensor, aesara, theano-pymc or theano")
    bench.add_argument("--json", metavar="PATH", help="also write the record as JSON")
    bench.add_argument("--plot", metavar="PATH.png", help="also draw it (needs matplotlib)")
    bench.add_argument(
        "--model",
        choices=list(MODELS),
        help="time one SGD step of this legacy program instead (relu inside it, for mlp and "
        "lenet), its cold compile and its peak memory",
    )
    bench.add_argument(
        "--batch", type=int, action="append", help="with --model: a batch size (repeatable)"
    )
    bench.add_argument(
        "--candidate",
        action="append",
        metavar="NAME",
        help="with --model: time only this relu candidate (repeatable); default: all",
    )

    run = commands.add_parser(
        "run",
        usage="relucompat run [-h] [--backend NAME] [--explain] (SCRIPT | -m MODULE) [ARGS ...]",
        help="run an unmodified Theano-era script or module on whatever backend is installed",
        description="With a working Theano the program gets it; otherwise `import theano` "
        "resolves to relucompat.legacy over the backend relucompat chooses, for this run.",
    )
    run.add_argument(
        "--backend", metavar="NAME", help="force a backend: pytensor, aesara, theano-pymc, theano"
    )
    run.add_argument("--explain", action="store_true", help="say what `import theano` is")
    run.add_argument(
        "-m",
        dest="module",
        nargs=argparse.REMAINDER,
        metavar="MODULE ARGS",
        help="run a module as `python -m` does (pytest, a package's __main__)",
    )
    run.add_argument("script", nargs="?", help="the Python script to run")
    run.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")

    port = commands.add_parser(
        "port",
        help="rewrite Theano programs into PyTensor code, with a report of what changed",
        description="Reads each Python file under PATH (nothing is written without "
        "--write) and prints the report: every change, and every item left to you (marked "
        "'# relucompat port:' in the code). Exit status: 0 ported, 2 bad input.",
    )
    port.add_argument("paths", nargs="+", metavar="PATH", help="a file or a directory")
    port.add_argument(
        "--backend", choices=["pytensor"], default="pytensor", help="the target (PyTensor)"
    )
    output = port.add_mutually_exclusive_group()
    output.add_argument("--diff", action="store_true", help="print a unified diff")
    output.add_argument("--write", action="store_true", help="rewrite the files in place")
    port.add_argument(
        "--report", metavar="FILE", help="also write the report (JSON if FILE ends .json)"
    )

    return top


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "doctor"
    try:
        if command == "run":
            from relucompat import runner

            target, program_args = _run_target(args)
            runner.prepare(target, args.backend, args.explain, module=bool(args.module))
        elif command == "doctor":
            return _doctor(args)
        elif command == "port":
            return _port(args)
        else:
            return _bench(args)
    except (ValueError, ImportError, OSError) as exc:  # user error: no traceback
        print(f"relucompat {command}: {exc}", file=sys.stderr)
        return 2
    # The program's own errors are the program's.
    if args.module:
        runner.run_module(target, program_args)
    else:
        runner.run(target, program_args)
    return 0


def _run_target(args: argparse.Namespace) -> Tuple[str, List[str]]:
    """``run``'s program and its arguments: ``SCRIPT ARGS...`` or ``-m MODULE ARGS...``."""
    if args.module is not None:
        if args.script is not None:
            raise ValueError(f"give a script or -m MODULE, not both (got {args.script!r})")
        if not args.module:
            raise ValueError("-m needs a module name, as in `relucompat run -m pytest`")
        return args.module[0], args.module[1:]
    if args.script is None:
        raise ValueError("give the script to run, or -m MODULE")
    return args.script, args.args


def _port(args: argparse.Namespace) -> int:
    from relucompat import port

    reports = port.port_paths(args.paths)  # every file read before any is written
    if args.report:
        with open(args.report, "w", encoding="utf-8") as stream:
            stream.write(port.render(reports, as_json=args.report.endswith(".json")))
    if args.diff:
        sys.stdout.write("".join(report.diff() for report in reports))
        sys.stderr.write(port.render(reports))
        return 0
    if args.write:
        port.write(reports)
    sys.stdout.write(port.render(reports))
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from relucompat import doctor

    self_check = not getattr(args, "no_self_check", False)
    found = doctor.report(self_check=self_check)
    if getattr(args, "json", False):
        print(json.dumps(found, indent=2, sort_keys=True))
    else:
        _print(doctor.render_text(found, details=getattr(args, "details", False)))
    return int(found["exit_code"])


def _bench(args: argparse.Namespace) -> int:
    from relucompat import bench, bench_model, discovery

    if args.size < 1 or args.repeat < 1:
        raise ValueError("--size and --repeat must be at least 1")
    if args.model:
        bench_model.check_options(args.batch, args.candidate, args.model)
    if args.backend:
        discovery.use(args.backend)
    backend = discovery.default()
    if args.model:
        return _bench_model(args, backend)
    record = bench.run(
        backend, args.size, args.dtype, args.repeat, args.linker, progress=_progress()
    )
    _write_json(args.json, record)
    if args.plot:
        bench.plot(record, args.plot)
    _print(bench.render_text(record))
    return 0


def _bench_model(args: argparse.Namespace, backend: Any) -> int:
    from relucompat import bench_model

    if args.plot:
        raise ValueError("--plot draws the relu bench; it has no plot for --model")
    record = bench_model.run(
        backend,
        args.model,
        args.dtype,
        args.repeat,
        args.linker,
        tuple(args.batch) if args.batch else None,
        tuple(args.candidate) if args.candidate else None,
        progress=_progress(),
    )
    _write_json(args.json, record)
    _print(bench_model.render_text(record))
    return 0


def _write_json(path: Optional[str], record: dict) -> None:
    if path:
        with open(path, "w") as stream:
            json.dump(record, stream, indent=1, sort_keys=True)
            stream.write("\n")


def _progress():  # type: ignore[no-untyped-def]
    """A rewritten status line on a terminal, plain lines otherwise (both on stderr)."""
    steps = []

    def say(step: str) -> None:
        steps.append(step)
        if sys.stderr.isatty():
            sys.stderr.write(f"\r\x1b[K[{len(steps)}] timing {step}")
            if step == "overheads":
                sys.stderr.write("\n")
        else:
            sys.stderr.write(f"timing {step}\n")
        sys.stderr.flush()

    return say


def _print(text: str) -> None:
    if sys.stdout.isatty():
        try:
            from rich.console import Console
        except ImportError:
            pass
        else:
            from rich.markup import escape

            marked = escape(text).replace("  PASS ", "  [green]PASS[/green] ")
            marked = marked.replace("  FAIL ", "  [bold red]FAIL[/bold red] ")
            Console(highlight=False).print(marked, end="", markup=True)
            return
    sys.stdout.write(text)
