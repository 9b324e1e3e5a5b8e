"""The ``relucompat`` command: ``doctor`` (the default) and ``report``.

Standard library only; ``rich`` (the ``cli`` extra) adds colour on a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from relucompat import __version__


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

    report = commands.add_parser(
        "report",
        help="merge the tox envs' reports into one compatibility table",
        description="Reads REPORTS/<env>.json (written by 'report collect' in each tox "
        "env) and writes a Markdown table, and optionally HTML.",
    )
    report_commands = report.add_subparsers(dest="report_command", metavar="ACTION")
    collect = report_commands.add_parser(
        "collect", help="write this env's record: doctor, test summary, bench summary"
    )
    collect.add_argument("--env", required=True, help="the tox env name")
    collect.add_argument("--reports", default="reports", help="the reports folder")
    report.add_argument("--reports", default="reports", help="the reports folder")
    report.add_argument("--tox-ini", default="tox.ini", help="the env list to expect")
    report.add_argument("--out", default="COMPATIBILITY.md", help="the Markdown table")
    report.add_argument("--html", help="also write an HTML table here")
    return top


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "doctor"
    try:
        if command == "doctor":
            return _doctor(args)
        return _report(args)
    except (ValueError, ImportError, OSError) as exc:  # user error: no traceback
        print(f"relucompat {command}: {exc}", file=sys.stderr)
        return 2


def _doctor(args: argparse.Namespace) -> int:
    from relucompat import doctor

    self_check = not getattr(args, "no_self_check", False)
    found = doctor.report(self_check=self_check)
    if getattr(args, "json", False):
        print(json.dumps(found, indent=2, sort_keys=True))
    else:
        _print(doctor.render_text(found, details=getattr(args, "details", False)))
    return int(found["exit_code"])


def _report(args: argparse.Namespace) -> int:
    from relucompat import report

    if args.report_command == "collect":
        path = report.collect(args.env, args.reports)
        print(f"wrote {path}")
        return 0
    table = report.merge(args.reports, args.tox_ini)
    written = report.write(table, args.out, args.html)
    print("wrote " + ", ".join(written))
    return 0


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
