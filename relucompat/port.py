"""``relucompat port``: rewrite Theano 1.0.5 programs into PyTensor code (docs/port.md).

The rules are data (``_port/rules.json``); the codemod reads a module with LibCST (the
``port`` extra), matches names by what they resolve to, keeps comments and formatting, and
marks what it cannot convert with a ``# relucompat port:`` comment and a report entry.
Porting ported code changes nothing, and a module without Theano is left as it is.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from typing import Any, Dict, Iterable, List, NamedTuple, Sequence, Set, Tuple

from relucompat._port.table import Entry

__all__ = [
    "Entry",
    "FileReport",
    "PortError",
    "port_paths",
    "port_source",
    "python_files",
    "render",
    "write",
]


def __dir__() -> List[str]:
    return __all__


class PortError(ValueError):
    """Input the port cannot read: a missing path, a file that is not Python, a syntax
    error. Nothing is written when it is raised."""


class FileReport(NamedTuple):
    path: str
    original: str
    ported: str
    entries: List[Entry]

    @property
    def changed(self) -> bool:
        return self.original != self.ported

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.ported.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


def port_source(source: str, path: str = "<string>") -> Tuple[str, List[Entry]]:
    """``source`` ported to PyTensor, and what changed or was left, line by line.
    Raises :class:`PortError` where ``source`` is not Python 3 that LibCST reads."""
    ported, entries, _ = _port(source, path)
    return ported, entries


def _port(source: str, path: str) -> Tuple[str, List[Entry], Set[str]]:
    """:func:`port_source`, and the keys of the rules that applied."""
    cst, plan_module, rewrite, table = _codemod()
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise PortError(
            f"{path}, line {exc.editor_line}: this is not Python 3 "
            "syntax, so it cannot be ported; relucompat port reads Python 3 only, so convert "
            "a Python 2 program to Python 3 first"
        ) from None
    if "theano" not in source and "THEANO" not in source:
        return source, [], set()
    wrapper = cst.MetadataWrapper(module)
    plan = plan_module.Plan(table.load())
    wrapper.visit(plan)
    ported = wrapper.module.visit(rewrite.Rewrite(plan))  # the nodes the plan names
    return ported.code, sorted(plan.entries, key=lambda entry: entry.line), plan.used


def _codemod() -> Tuple[Any, Any, Any, Any]:
    try:
        import libcst
    except ImportError:
        raise PortError(
            "it needs LibCST, which is not installed here; install it with "
            "`pip install 'relucompat[port]'`"
        ) from None
    from relucompat._port import plan, rewrite, table

    return libcst, plan, rewrite, table


def python_files(paths: Sequence[str]) -> List[str]:
    """The Python files under ``paths`` (files as given; ``*.py`` under directories,
    hidden and cache directories skipped), or :class:`PortError` for a bad path."""
    found: List[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
                found += [os.path.join(root, f) for f in sorted(files) if f.endswith(".py")]
        elif os.path.isfile(path):
            if not (path.endswith((".py", ".pyw")) or _has_python_shebang(path)):
                raise PortError(f"{path} is not a Python file (a .py file or a python script)")
            found.append(path)
        else:
            raise PortError(f"{path} does not exist")
    return found


def _has_python_shebang(path: str) -> bool:
    with open(path, "rb") as stream:
        first = stream.readline(200)
    return first.startswith(b"#!") and b"python" in first


def port_paths(paths: Sequence[str]) -> List[FileReport]:
    """Every Python file under ``paths`` ported in memory (nothing is written): all of
    them read, or :class:`PortError` for the first that cannot be."""
    reports = []
    for path in python_files(paths):
        try:
            with open(path, encoding="utf-8") as stream:
                original = stream.read()
        except UnicodeDecodeError:
            raise PortError(f"{path} is not a Python file: it is not UTF-8 text") from None
        try:
            ported, entries = port_source(original, path)
        except PortError:
            raise
        except Exception as exc:  # a bug of the port's: say which file shows it
            raise RuntimeError(
                f"relucompat port failed on {path} (a bug; please report it)"
            ) from exc
        reports.append(FileReport(path, original, ported, entries))
    return reports


def write(reports: Iterable[FileReport]) -> None:
    """Each changed file replaced whole (a temporary file beside it, then a rename): an
    interrupted write leaves the old file or the new one, never half of it."""
    for report in reports:
        if not report.changed:
            continue
        directory = os.path.dirname(os.path.abspath(report.path))
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".relucompat-port")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(report.ported)
                stream.flush()
                os.fsync(stream.fileno())
            shutil.copymode(report.path, temporary)
            os.replace(temporary, report.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


def render(reports: Sequence[FileReport], as_json: bool = False) -> str:
    """The report: each file's changes and manual items by line, then a summary; or the
    same as JSON (``as_json``)."""
    changes = sum(e.kind == "change" for r in reports for e in r.entries)
    manual = sum(e.kind == "manual" for r in reports for e in r.entries)
    if as_json:
        record: Dict[str, Any] = {
            "files": [
                {
                    "path": r.path,
                    "changed": r.changed,
                    "entries": [e._asdict() for e in r.entries],
                }
                for r in reports
            ],
            "summary": {
                "files": len(reports),
                "changed": sum(r.changed for r in reports),
                "changes": changes,
                "manual": manual,
            },
        }
        return json.dumps(record, indent=1) + "\n"
    lines = []
    for report in reports:
        if not report.entries:
            continue
        lines.append(report.path)
        for entry in report.entries:
            arrow = "->" if entry.kind == "change" else "left:"
            lines.append(f"  {entry.line}: {entry.kind:6}  {entry.old} {arrow} {entry.new}")
    changed = sum(r.changed for r in reports)
    summary = (
        f"{len(reports)} file{'s' * (len(reports) != 1)}, {changed} changed: {changes} "
        f"change{'s' * (changes != 1)}, {manual} item{'s' * (manual != 1)} left to you"
    )
    if manual:
        summary += ' (marked "# relucompat port:" in the code)'
    return "\n".join([*lines, summary]) + "\n"
