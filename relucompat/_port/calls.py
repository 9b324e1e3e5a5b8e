"""The plan's calls: arguments of renamed functions, random streams' methods, scan's
return value, and Theano's flags."""

from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst
from libcst.metadata import (
    ParentNodeProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from relucompat._port.base import Base, is_theano
from relucompat._port.table import CallRule

STREAM_METHODS = ("binomial", "uniform", "normal")
# Keywords of Theano's streams' methods that numpy's generators do not take.
THEANO_ONLY = frozenset({"dtype", "ndim", "nstreams", "avg", "std", "prob", "truncate"})


class Calls(Base):
    """Calls whose arguments change, random streams' methods, scan's return value,
    and the flags in ``THEANO_FLAGS`` strings."""

    # -- calls --------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        chain: List[cst.BaseExpression] = [func]
        while isinstance(chain[-1], cst.Attribute):
            chain.append(chain[-1].value)
        qualified = self._qualified(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        rule = self.table.names.get(qualified or "")
        if rule is not None:
            if rule.scan:
                self._scan(node)
            elif rule.call.varargs:
                self._varargs(node, rule.call, self._code(func))
            elif rule.call != CallRule():
                self._arguments(node, rule.call, self._code(func))
            return
        if isinstance(func, cst.Attribute) and func.attr.value in STREAM_METHODS:
            self._stream_call(node, func)

    def _varargs(self, node: cst.Call, rule: CallRule, what: str) -> None:
        """``stack(a, b, c)``, Theano's deprecated form, becomes ``stack([a, b, c])``."""
        positional = [a for a in node.args if a.keyword is None and not a.star]
        starred = [a for a in node.args if a.star == "*"]
        if len(starred) == 1 and len(node.args) == 1:  # stack(*tensors)
            self.calls[node] = rule
            self.change(node, f"{what}(*...)", "the starred tensors passed as the sequence")
        elif len(positional) >= 3 and not starred:
            self.calls[node] = rule
            self.change(node, f"{what}(...)", "the tensors given one by one go into a list")
        elif len(positional) == 2 and not isinstance(positional[0].value, (cst.List, cst.Tuple)):
            self.manual(
                node,
                f"{what}(a, b)",
                "Theano read stack(a, b) as two tensors unless a is a list, PyTensor reads b "
                "as the axis; write stack([a, b]) or stack(tensors, axis) as you mean it",
            )

    def _bind(self, node: cst.Call, rule: CallRule, what: str) -> Optional[Dict[str, cst.Arg]]:
        """The call's arguments by Theano's names, or None (and a manual item)."""
        bound: Dict[str, cst.Arg] = {}
        for i, arg in enumerate(node.args):
            if arg.star:
                self.manual(node, what, "the port cannot map arguments passed with * or **")
                return None
            if arg.keyword is None:
                if i >= len(rule.signature):
                    self.manual(node, what, "more positional arguments than Theano took")
                    return None
                bound[rule.signature[i]] = arg
            else:
                bound[arg.keyword.value] = arg
        return bound

    def _arguments(self, node: cst.Call, rule: CallRule, what: str) -> None:
        if not rule.signature:  # a keyword added, the arguments as they are
            if set(rule.add) - {a.keyword.value for a in node.args if a.keyword}:
                self.calls[node] = rule
                self.change(node, f"{what}(...)", self._describe({}, rule))
            return
        bound = self._bind(node, rule, what)
        if bound is None:
            return
        for key, why in rule.manual_if.items():
            if key in bound and self._code(bound[key].value) not in ("False", "None"):
                self.manual(node, f"{what}({key}=...)", why)
                return
        for old, new in rule.rename.items():
            if old in bound and new in bound:
                self.manual(node, what, f"both {old} and {new} are given")
                return
        if self._changes(node, bound, rule):
            self.calls[node] = rule
            self.change(node, f"{what}(...)", self._describe(bound, rule))

    def _changes(self, node: cst.Call, bound: Dict[str, cst.Arg], rule: CallRule) -> bool:
        keys = set(bound)
        return bool(
            keys & (set(rule.rename) | set(rule.drop) | set(rule.manual_if))
            or set(rule.default) - keys
            or set(rule.add) - keys
            or (rule.astype and rule.astype in keys)
            or (rule.order and self._positional(node))
        )

    @staticmethod
    def _positional(node: cst.Call) -> bool:
        return any(arg.keyword is None for arg in node.args)

    @staticmethod
    def _describe(bound: Dict[str, cst.Arg], rule: CallRule) -> str:
        said = [f"{o} -> {n}" for o, n in rule.rename.items() if o in bound]
        said += [f"dropped {k}" for k in sorted(rule.drop | set(rule.manual_if)) if k in bound]
        said += [f"{k}={v} (Theano's default)" for k, v in rule.default.items() if k not in bound]
        said += [f"{k}={v}" for k, v in rule.add.items() if k not in bound]
        if rule.order:
            said.append(f"arguments in PyTensor's order ({', '.join(rule.order[:3])})")
        if rule.astype and rule.astype in bound:
            said.append(f"{rule.astype} through .astype()")
        return "; ".join(said)

    def _stream_call(self, node: cst.Call, func: cst.Attribute) -> None:
        if self._imported_elsewhere(func.value):
            return  # numpy.random.uniform(...): a module's function, not a stream's
        kind = self._stream_kind(func.value)
        kinds = set(self.streams.values())
        what = f"{self._code(func)}(...)"
        keywords = {a.keyword.value for a in node.args if a.keyword is not None}
        if kind is None and len(kinds) == 1 and keywords & THEANO_ONLY:
            kind = next(iter(kinds))  # numpy's generators take none of these keywords
        if kind is None:
            if not kinds or self._positional(node):
                if kinds and self._positional(node):
                    self.manual(
                        node,
                        what,
                        f"the port cannot tell whether {self._code(func.value)} is a Theano "
                        "random stream; if it is, give its arguments by keyword and port again",
                    )
                return
            kind = self._one_kind(node, sorted(kinds), func.attr.value, what)
            if kind is None:
                return
        rule = self.table.streams[kind][func.attr.value]
        self.used.add(f"streams.{kind}.{func.attr.value}")
        bound = self._bind(node, rule, what)
        if bound is None or not set(bound) <= set(rule.signature):
            return  # not Theano's (numpy's generators take other keywords)
        for key, why in rule.manual_if.items():
            if key in bound and self._code(bound[key].value) not in ("False", "None"):
                self.manual(node, f"{what} with {key}", why)
                return
        if self._changes(node, bound, rule):
            self.calls[node] = rule
            self.change(node, what, self._describe(bound, rule))

    def _one_kind(self, node: cst.Call, kinds: List[str], method: str, what: str) -> Optional[str]:
        """The streams kind whose rule reads ``node`` (keywords only), where every kind
        whose signature takes those keywords reads it alike; else None."""
        keywords = {a.keyword.value for a in node.args if a.keyword is not None}
        rules = [self.table.streams[k][method] for k in kinds]
        fits = [(k, r) for k, r in zip(kinds, rules) if keywords <= set(r.signature)]
        if not fits:
            return None
        readings = {
            (
                tuple(sorted((o, n) for o, n in r.rename.items() if o in keywords)),
                tuple(sorted((k, v) for k, v in r.default.items() if k not in keywords)),
            )
            for _, r in fits
        }
        if len(readings) > 1:
            self.manual(
                node,
                what,
                "Theano's two random streams read this call differently; give every "
                "argument by keyword and port again",
            )
            return None
        return fits[0][0]

    def _imported_elsewhere(self, receiver: cst.BaseExpression) -> bool:
        names = self.get_metadata(QualifiedNameProvider, receiver, set())
        return any(n.source is QualifiedNameSource.IMPORT and not is_theano(n.name) for n in names)

    def _stream_kind(self, receiver: cst.BaseExpression) -> Optional[str]:
        if isinstance(receiver, cst.Call):
            qualified = self._qualified(receiver.func)
            rule = self.table.names.get(qualified or "")
            return rule.streams if rule else None
        if isinstance(receiver, cst.Name):
            return self.streams.get(receiver.value)
        if isinstance(receiver, cst.Attribute):
            return self.streams.get("." + receiver.attr.value)
        return None

    def visit_Assign(self, node: cst.Assign) -> None:
        """``srng = MRG_RandomStreams(...)`` (or ``self.srng = ...``): srng's calls are a
        random stream's. ``os.environ["THEANO_FLAGS"] = "..."``: the flags are ported."""
        value = node.value
        if isinstance(value, cst.Call):
            qualified = self._qualified(value.func)
            rule = self.table.names.get(qualified or "")
            if rule is not None and rule.streams:
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        self.streams[target.target.value] = rule.streams
                    elif isinstance(target.target, cst.Attribute):
                        self.streams["." + target.target.attr.value] = rule.streams
        literal = value if isinstance(value, cst.SimpleString) else None
        for target in node.targets:
            subscript = target.target
            if literal and isinstance(subscript, cst.Subscript) and self._is_flags(subscript):
                self._flags(literal)

    def _is_flags(self, subscript: cst.Subscript) -> bool:
        key = subscript.slice[0].slice if len(subscript.slice) == 1 else None
        return isinstance(key, cst.Index) and self._is_flags_name(key.value)

    @staticmethod
    def _is_flags_name(node: cst.CSTNode) -> bool:
        return (
            isinstance(node, cst.SimpleString)
            and "THEANO_FLAGS" in node.value  # before evaluating: a string may warn
            and node.evaluated_value == "THEANO_FLAGS"
        )

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._is_flags_name(node):
            self.used.add("flags.variable")
            quote = node.prefix + node.quote
            self.strings[node] = f"{quote}{self.table.flags_variable}{node.quote}"
            self.change(node, node.value, self.strings[node])
            parent = self.get_metadata(ParentNodeProvider, node)
            call = self.get_metadata(ParentNodeProvider, parent, None)
            if isinstance(call, cst.Call) and len(call.args) == 2 and call.args[0] is parent:
                value = call.args[1].value  # os.environ.setdefault("THEANO_FLAGS", "...")
                if isinstance(value, cst.SimpleString):
                    self._flags(value)

    def _flags(self, node: cst.SimpleString) -> None:
        text = node.evaluated_value
        if not isinstance(text, str) or node.prefix.lower() not in ("", "r", "u"):
            return
        kept = []
        for item in filter(None, (part.strip() for part in text.split(","))):
            flag, _, value = item.partition("=")
            if flag in self.table.same_flags:
                kept.append(item)
                self.used.add("flags.same")
            elif flag == "device" and value in self.table.cpu_devices:
                self.used.add("flags.cpu_devices")
                self.change(node, item, "dropped (PyTensor runs on the CPU)")
            elif flag == "device":
                self.used.add("flags.device")
                self.manual(node, item, self.table.device)
            else:
                self.used.add("flags.missing")
                self.manual(node, item, f"PyTensor has no flag {flag}, so it was dropped")
        new = ",".join(kept)
        if new != text:
            self.strings[node] = f"{node.prefix}{node.quote}{new}{node.quote}"

    # -- scan ---------------------------------------------------------------------------

    def _scan(self, node: cst.Call) -> None:
        if any(arg.keyword and arg.keyword.value == "return_updates" for arg in node.args):
            return
        what = f"{self._code(node.func)}(...)"
        parent = self.get_metadata(ParentNodeProvider, node)
        unused = None
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            target = parent.targets[0].target
            if isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2:
                outputs, updates = (element.value for element in target.elements)
                if isinstance(updates, cst.Name) and self._unused(parent, updates.value):
                    unused = outputs
        rule = CallRule(add={"return_updates": "False" if unused is not None else "True"})
        self.calls[node] = rule
        if unused is not None and isinstance(parent, cst.Assign):
            self.unpack[parent] = unused
            self.change(node, what, "return_updates=False: it returns the outputs alone")
        else:
            self.change(
                node,
                what,
                "return_updates=True: it still returns (outputs, updates), which PyTensor "
                "deprecates; where the updates are a random stream's, thread its generator "
                "through outputs_info to drop them",
            )

    def _unused(self, node: cst.CSTNode, name: str) -> bool:
        if name == "_":
            return True
        scope = self.get_metadata(ScopeProvider, node)
        return scope is not None and not any(True for _ in scope.accesses[name])
