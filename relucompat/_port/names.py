"""The plan's names: imports, and every name under ``theano`` the code uses."""

from __future__ import annotations

from typing import Dict, List, Sequence, Union

import libcst as cst
from libcst.metadata import (
    ParentNodeProvider,
    ScopeProvider,
)

from relucompat._port.base import Base, import_line, is_theano, split
from relucompat._port.table import NameRule


class Names(Base):
    """Imports and names: what each becomes, and what the code imports for it."""

    # -- module -------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        scope = self.get_metadata(ScopeProvider, node)
        assert scope is not None
        self.module_names = {assignment.name for assignment in scope.assignments}

    # -- imports ------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        aliases, changed = [], False
        for alias in node.names:
            dotted = self._code(alias.name)
            local = self._code(alias.asname.name) if alias.asname else None
            if not is_theano(dotted):
                aliases.append(_alias(alias))
                continue
            resolution = self.table.resolve(dotted)
            self.used.add(resolution.key)
            if resolution.target is not None:
                new = resolution.target
                aliases.append(new + (f" as {local}" if local else ""))
                self.modules[local or new.split(".")[0]] = new if local else new.split(".")[0]
                changed = True
            elif dotted in self.table.modules:  # a gone module: its names are ported
                if local is not None:
                    self.gone[local] = (node, f"{dotted} as {local}")
                changed = True
            else:
                aliases.append(_alias(alias))
                self.kept.add(local or "theano")
                self.manual(node, f"import {dotted}", resolution.manual or "")
        self.parts[node] = (None, aliases, [])
        if changed:
            self.statements[node] = self._import_lines(node)
            self.change(node, self._code(node), "; ".join(self.statements[node]) or "removed")
        return False

    def _import_lines(self, node: cst.CSTNode) -> List[str]:
        """An import's new lines: what it keeps first (the manual items' comments go above
        the first line), then what it imports from PyTensor and relucompat."""
        module, kept, ported = self.parts[node]
        if module is None:
            return ["import " + ", ".join(kept)] if kept else []
        return ([import_line(module, kept)] if kept else []) + ported

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None:
            return False
        module = self._code(node.module)
        if not is_theano(module):
            return False
        if isinstance(node.names, cst.ImportStar):
            self.manual(node, f"from {module} import *", "name what this module uses")
            return False
        groups: Dict[str, List[str]] = {}
        left: List[str] = []
        for alias in node.names:
            name = self._code(alias.name)
            local = self._code(alias.asname.name) if alias.asname else name
            dotted = f"{module}.{name}"
            resolution = self.table.resolve(dotted)
            self.used.add(resolution.key)
            target = resolution.rule.to if resolution.rule else resolution.target
            if target is not None:
                new_module, new_name = split(target)
                renamed = resolution.rule is not None and not alias.asname
                if renamed and (new_name == local or new_name not in self.module_names):
                    local = new_name  # the rule renames it (RandomStreams -> RandomStream)
                imported = new_name if local == new_name else f"{new_name} as {local}"
                if (new_module, imported) not in self.imported:  # two names, one target
                    self.imported.add((new_module, imported))
                    groups.setdefault(new_module, []).append(imported)
                self.locals[target] = local
                if resolution.target is not None:
                    self.modules[local] = target
                if resolution.rule is not None and resolution.rule.streams:
                    self.streams[local] = resolution.rule.streams  # the class itself
            elif dotted in self.table.modules:  # a gone module: its names are ported
                self.gone[local] = (node, _alias(alias))
            else:
                left.append(_alias(alias))
                self.kept.add(local)
                self.manual(node, dotted, resolution.manual or "")
        self.parts[node] = (module, left, [import_line(m, n) for m, n in groups.items()])
        self.statements[node] = lines = self._import_lines(node)
        if not left or groups:
            self.change(node, self._code(node), "; ".join(lines) or "removed")
        return False

    def leave_Module(self, original_node: cst.Module) -> None:
        for local, (node, alias) in self.gone.items():
            if local in self.kept_gone:  # kept on the line of what the import keeps
                module, kept, _ = self.parts[node]
                kept.append(alias)
                self.statements[node] = self._import_lines(node)
                if self.statements[node] == [self._code(node).strip()]:  # unchanged after all
                    del self.statements[node]
                    at = self._line(node)
                    self.entries = [e for e in self.entries if (e.line, e.kind) != (at, "change")]
                text = f"from {module} import {alias}" if module else f"import {alias}"
                self.manual(node, text, "kept: a name used through it has no PyTensor counterpart")
        for lines in self.statements.values():  # names added beside a rewritten import
            for i, line in enumerate(lines):
                module, _, names = line[len("from ") :].partition(" import ")
                if line.startswith("from ") and self.added.get(module):
                    names = names.strip("()\n ").replace("\n", "")
                    listed = [n.strip() for n in names.split(",") if n.strip()]
                    lines[i] = import_line(module, listed + self.added.pop(module))

    # -- names --------------------------------------------------------------------------

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._name(node)

    def visit_Name(self, node: cst.Name) -> bool:
        return self._name(node)

    def _name(self, node: Union[cst.Attribute, cst.Name]) -> bool:
        parent = self.get_metadata(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            return True  # the outermost attribute of the chain decides
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return False
        if node in self.exprs:
            return False
        chain: List[cst.BaseExpression] = [node]
        while isinstance(chain[-1], cst.Attribute):
            chain.append(chain[-1].value)
        if not isinstance(chain[-1], cst.Name):
            return True
        named = [(part, self._qualified(part)) for part in chain]
        for part, qualified in named:  # the longest rule that matches a prefix of the chain
            if qualified is not None and qualified in self.table.names:
                self._rule(part, qualified, self.table.names[qualified])
                return False
        part, qualified = named[0]
        if qualified is None:
            return False
        head = self._code(chain[-1])
        resolution = self.table.resolve(qualified)
        self.used.add(resolution.key)
        if resolution.manual is not None:
            if head in self.kept and head != "theano":
                return False  # the import it comes from says why
            if head in self.gone:
                self.kept_gone.add(head)
            elif head == "theano" and self._qualified(chain[-1]) == "theano":
                self.exprs[chain[-1]] = "pytensor"  # `import theano` became `import pytensor`
                if "pytensor" not in self.modules:
                    self.modules["pytensor"] = "pytensor"
                    self.added.setdefault("pytensor", [])
            self.manual(node, self._code(node), resolution.manual)
        elif resolution.target is not None:
            new = self._generic(chain, resolution.target)
            if new is not None and new != self._code(node):
                self.exprs[node] = new
                self.change(node, self._code(node), new)
        return False

    def _generic(self, chain: Sequence[cst.BaseExpression], target: str) -> str:
        """``target`` in the code's own terms: the chain's head as it is imported now."""
        head = self._code(chain[-1])
        head_qualified = self._qualified(chain[-1]) or ""
        head_new = self.modules.get(head)
        if head_new is None:
            resolved = self.table.resolve(head_qualified)
            head_new = resolved.target or (resolved.rule.to if resolved.rule else None)
        if head_new is None:
            return self.render(target, chain[0])
        local = "pytensor" if head == "theano" else head
        if local == "pytensor" and "pytensor" not in self.modules:  # its import was gone
            self.modules["pytensor"] = "pytensor"
            self.added.setdefault("pytensor", [])
        if target == head_new or target.startswith(head_new + "."):
            return local + target[len(head_new) :]
        return self.render(target, chain[0])

    def _rule(self, node: cst.CSTNode, qualified: str, rule: NameRule) -> None:
        self.used.add(qualified)
        new = self.render(rule.to, node)
        if new != self._code(node):
            self.exprs[node] = new
            self.change(node, self._code(node), f"{new} ({rule.note})" if rule.note else new)
        call = rule.call
        parent = self.get_metadata(ParentNodeProvider, node, None)
        called = isinstance(parent, cst.Call) and parent.func is node
        if not called and (call.rename or call.default or call.manual_if):
            keywords = [f"{o} -> {n}" for o, n in call.rename.items()]
            keywords += [f"{k}={v} where omitted" for k, v in call.default.items()]
            self.manual(
                node,
                self._code(node),
                f"passed as a value, so its calls are not ported here: check that they give "
                f"{new} its keywords ({'; '.join(keywords or list(call.manual_if))})",
            )

    # -- custom ops -----------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [self._qualified(base.value) for base in node.bases]
        if not any(b and self.table.names.get(b, None) and b.endswith(".Op") for b in bases):
            return
        methods = [
            item.name.value
            for item in node.body.body
            if isinstance(item, cst.FunctionDef) and item.name.value.startswith("c_")
        ]
        if methods:
            self.used.add("op_with_c_code")
            self.manual(node, f"class {node.name.value}", self.table.op_with_c_code)


def _alias(alias: cst.ImportAlias) -> str:
    """``name`` or ``name as local``, without the comma and layout around it."""
    name = cst.Module(body=[]).code_for_node(alias.name)
    return f"{name} as {alias.asname.name.value}" if alias.asname else name  # type: ignore[union-attr]
