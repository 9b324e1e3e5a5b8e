"""What the two halves of the plan share: its state, and how it reads names, reports,
and writes a name the code can use (:meth:`Base.render`)."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import (
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from relucompat._port.table import CallRule, Entry, Table

MARK = "# relucompat port:"
_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


def is_theano(name: str) -> bool:
    return name == "theano" or name.startswith("theano.")


def import_line(module: str, names: Sequence[str]) -> str:
    """``from module import names``, wrapped in parentheses past 99 characters."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) < 100:
        return line
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"


def split(dotted: str) -> Tuple[str, str]:
    module, _, name = dotted.rpartition(".")
    return module, name


class Base(cst.CSTVisitor):
    """A plan's state: what the rewriter replaces, adds and comments, and the report."""

    METADATA_DEPENDENCIES = (
        QualifiedNameProvider,
        ScopeProvider,
        PositionProvider,
        ParentNodeProvider,
    )

    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table
        self.entries: List[Entry] = []
        self.exprs: Dict[cst.CSTNode, str] = {}
        self.calls: Dict[cst.Call, CallRule] = {}  # a call -> how its arguments change
        self.statements: Dict[cst.CSTNode, List[str]] = {}  # an import -> its new lines
        self.unpack: Dict[cst.Assign, cst.BaseExpression] = {}  # `a, _ = scan()` -> `a =`
        self.strings: Dict[cst.SimpleString, str] = {}
        self.comments: Dict[cst.CSTNode, List[str]] = {}
        self.added: Dict[str, List[str]] = {}  # module -> names to import from it
        self.modules: Dict[str, Optional[str]] = {}  # local -> the new module it names
        self.locals: Dict[str, str] = {}  # a target's dotted name -> its local name
        self.gone: Dict[str, Tuple[cst.CSTNode, str]] = {}  # local of a gone module
        self.kept_gone: Set[str] = set()  # gone modules' locals a manual item still uses
        self.streams: Dict[str, str] = {}  # a variable or attribute name -> streams kind
        self.module_names: Set[str] = set()
        # An import's parts: (its module, or None for `import`; what it keeps; new lines)
        self.parts: Dict[cst.CSTNode, Tuple[Optional[str], List[str], List[str]]] = {}
        self.kept: Set[str] = set()  # names a Theano import kept (its comment says why)
        self.imported: Set[Tuple[str, str]] = set()  # (module, name) a new import gives
        self.used: Set[str] = set()  # the rules that applied (the tests' coverage check)

    # -- helpers -------------------------------------------------------------------

    def _line(self, node: cst.CSTNode) -> int:
        return int(self.get_metadata(PositionProvider, node).start.line)

    def _qualified(self, node: cst.CSTNode) -> Optional[str]:
        names = self.get_metadata(QualifiedNameProvider, node, set())
        theano = sorted(q.name for q in names if is_theano(q.name))
        return theano[0] if theano else None

    def _statement(self, node: cst.CSTNode) -> cst.CSTNode:
        while not isinstance(node, _STATEMENTS):
            node = self.get_metadata(ParentNodeProvider, node)
        return node

    def manual(self, node: cst.CSTNode, old: str, why: str) -> None:
        statement = self._statement(node)
        text = f"{MARK} {old}: {why}."
        if text not in self.comments.setdefault(statement, []):
            self.comments[statement].append(text)
            self.entries.append(Entry(self._line(node), "manual", old, why))

    def change(self, node: cst.CSTNode, old: str, new: str) -> None:
        self.entries.append(Entry(self._line(node), "change", old, new))

    def _code(self, node: cst.CSTNode) -> str:
        return cst.Module(body=[]).code_for_node(node)

    def _bound(self, name: str, node: cst.CSTNode) -> bool:
        """Whether ``name`` already means something where ``node`` is, or in the module."""
        scope = self.get_metadata(ScopeProvider, node, None)
        return name in self.module_names or (scope is not None and name in scope)

    def render(self, dotted: str, node: cst.CSTNode) -> str:
        """How the code at ``node`` names ``dotted``: through a module it has imported,
        else through an import the rewriter adds."""
        if dotted in self.locals:
            return self.locals[dotted]
        module, name = split(dotted)
        for local, new in self.modules.items():
            if new == module:
                return f"{local}.{name}"
        if not self._bound(name, node):
            self.added.setdefault(module, []).append(name)
            self.locals[dotted] = name
            return name
        self.added.setdefault(module, [])  # the name is taken here: ``import module``
        return dotted
