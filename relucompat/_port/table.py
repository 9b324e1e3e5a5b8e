"""The port's rules (``rules.json``), read into typed records, and the check of every
target against the installed PyTensor (:func:`problems`)."""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import warnings
from types import MappingProxyType
from typing import Any, Dict, FrozenSet, List, Mapping, NamedTuple, Optional, Tuple

__all__ = ["CallRule", "Entry", "Resolution", "Table", "load", "problems"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_EMPTY: Mapping[str, str] = MappingProxyType({})


class Entry(NamedTuple):
    """One line of the port's report: a change made (``kind`` "change"), or an item left
    to the user ("manual", ``new`` saying why and what to do), at ``line`` of the
    original file."""

    line: int
    kind: str
    old: str
    new: str


class CallRule(NamedTuple):
    """How the arguments of a call change: Theano's ``signature`` binds positional
    arguments to names; ``rename`` maps Theano's keywords to the target's; ``drop`` removes
    some; ``default`` adds a keyword where the call lacks it (Theano's effective value),
    ``add`` adds one always; ``manual_if`` leaves the call to the user where that keyword
    is given with a value other than False or None; ``order`` lists the target's keywords
    (a call is written with keywords in that order); ``astype`` names the keyword whose
    value becomes ``.astype(value)`` on the result; ``varargs``, that Theano's tensors
    given one by one go into one list (``stack(a, b, c)`` -> ``stack([a, b, c])``)."""

    signature: Tuple[str, ...] = ()
    rename: Mapping[str, str] = _EMPTY
    drop: FrozenSet[str] = frozenset()
    default: Mapping[str, str] = _EMPTY
    add: Mapping[str, str] = _EMPTY
    manual_if: Mapping[str, str] = _EMPTY
    order: Tuple[str, ...] = ()
    astype: Optional[str] = None
    varargs: bool = False  # Theano took the tensors one by one; the target takes a list

    def keywords(self) -> List[str]:
        """Every keyword a ported call can pass to the target."""
        names = [self.rename.get(n, n) for n in self.signature]
        names = [n for n in names if n not in self.drop and n not in self.manual_if]
        names += [*self.order, *self.default, *self.add]
        if self.astype is not None:
            names = [n for n in names if n != self.astype]
        return list(dict.fromkeys(names))


class NameRule(NamedTuple):
    """Where a Theano name goes (``to``, a dotted name), and what changes in its calls."""

    to: str
    call: CallRule
    streams: Optional[str] = None  # a random-streams class: the key of its methods' rules
    scan: bool = False  # returns (outputs, updates) in Theano
    note: Optional[str] = None


class Resolution(NamedTuple):
    """What a Theano qualified name becomes: ``rule`` (a renamed name), ``target`` (the
    same name under a renamed module), or ``manual`` (why it stays for the user)."""

    rule: Optional[NameRule] = None
    target: Optional[str] = None
    manual: Optional[str] = None
    key: str = ""  # the rule that decided: a key of rules.json's names, modules or manual


class Table(NamedTuple):
    pytensor: str  # the oldest PyTensor the rules are written for
    modules: Dict[str, Optional[str]]
    names: Dict[str, NameRule]
    streams: Dict[str, Dict[str, CallRule]]
    manual: Dict[str, str]
    op_with_c_code: str
    flags_variable: str
    same_flags: FrozenSet[str]
    cpu_devices: FrozenSet[str]
    device: str

    def resolve(self, qualified: str) -> Resolution:
        """The longest rule that covers ``qualified`` (a dotted name under ``theano``)."""
        rule = self.names.get(qualified)
        if rule is not None:
            return Resolution(rule=rule, key=qualified)
        if qualified == "theano.config" or qualified.startswith("theano.config."):
            return self._config(qualified[len("theano.config.") :])
        module = _longest(self.modules, qualified)
        manual = _longest(self.manual, qualified)
        if manual is not None and (module is None or len(manual) >= len(module)):
            return Resolution(manual=self.manual[manual], key=manual)
        if module is None:
            return Resolution(manual="PyTensor has no counterpart to it")
        new = self.modules[module]
        if new is None:
            gone = _longest(self.manual, module)
            reason = self.manual[gone] if gone else f"PyTensor has no {module}"
            return Resolution(manual=reason, key=module)
        return Resolution(target=new + qualified[len(module) :], key=module)

    def _config(self, flag: str) -> Resolution:
        parts = flag.split(".") if flag else []
        if not parts or any(".".join(parts[:n]) in self.same_flags for n in (1, 2)):
            target = "pytensor.config" + (f".{flag}" if flag else "")
            return Resolution(target=target, key="flags.same")
        name = ".".join(parts[:2]) if ".".join(parts[:2]) in _theano_flags() else parts[0]
        return Resolution(manual=f"PyTensor has no flag {name}", key="flags.missing")


def _longest(prefixes: Dict[str, Any], qualified: str) -> Optional[str]:
    best = None
    for prefix in prefixes:
        covers = qualified == prefix or qualified.startswith(prefix + ".")
        if covers and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


@functools.lru_cache(maxsize=None)
def _theano_flags() -> FrozenSet[str]:
    """Theano 1.0.5's flags (the legacy namespace's record of them)."""
    path = os.path.join(os.path.dirname(_HERE), "legacy", "configdefaults.json")
    with open(path, encoding="utf-8") as stream:
        return frozenset(json.load(stream)["flags"])


def _call_rule(raw: Dict[str, Any]) -> CallRule:
    return CallRule(
        signature=tuple(raw.get("signature", ())),
        rename=dict(raw.get("rename", {})),
        drop=frozenset(raw.get("drop", ())),
        default=dict(raw.get("default", {})),
        add=dict(raw.get("add", {})),
        manual_if=dict(raw.get("manual_if", {})),
        order=tuple(raw.get("order", ())),
        astype=raw.get("astype"),
        varargs=bool(raw.get("varargs", False)),
    )


@functools.lru_cache(maxsize=None)
def load() -> Table:
    """The rules, from ``rules.json`` beside this module."""
    with open(os.path.join(_HERE, "rules.json"), encoding="utf-8") as stream:
        raw = json.load(stream)
    names = {
        name: NameRule(
            to=rule["to"],
            call=_call_rule(rule),
            streams=rule.get("streams"),
            scan=bool(rule.get("scan", False)),
            note=rule.get("note"),
        )
        for name, rule in raw["names"].items()
    }
    streams = {
        kind: {method: _call_rule(rule) for method, rule in methods.items()}
        for kind, methods in raw["streams"].items()
    }
    flags = raw["flags"]
    return Table(
        pytensor=raw["pytensor"],
        modules=dict(raw["modules"]),
        names=names,
        streams=streams,
        manual=dict(raw["manual"]),
        op_with_c_code=raw["op_with_c_code"],
        flags_variable=flags["variable"],
        same_flags=frozenset(flags["same"]),
        cpu_devices=frozenset(flags["cpu_devices"]),
        device=flags["device"],
    )


def problems(table: Table) -> List[str]:
    """Each rule the installed PyTensor contradicts, as a sentence: a target module or
    name that does not import, a keyword its target does not accept, a flag its config
    lacks. Empty where every rule holds (``tf_upgrade_v2``'s freshness check)."""
    found: List[str] = []
    for old, new in table.modules.items():
        if new is not None and _resolve(new) is None:
            found.append(f"{old} is ported to {new}, which does not import")
    for old, rule in table.names.items():
        target = _resolve(rule.to)
        if target is None:
            found.append(f"{old} is ported to {rule.to}, which does not exist")
            continue
        keywords = rule.call.keywords() + (["return_updates"] if rule.scan else [])
        found += _refused(rule.to, target, keywords)
    random = _resolve("pytensor.tensor.random.basic")
    for kind, methods in table.streams.items():
        for method, call in methods.items():
            function = getattr(random, method, None)
            if function is None:
                found.append(f"PyTensor's random streams have no {method} ({kind} streams)")
                continue
            found += _refused(f"RandomStream.{method}", function, call.keywords())
    config = _resolve("pytensor.config")
    for flag in sorted(table.same_flags):
        if _resolve_in(config, flag) is None:
            found.append(f"the flag {flag} is kept as it is, but pytensor.config has no {flag}")
    return found


def _refused(name: str, target: Any, keywords: List[str]) -> List[str]:
    try:
        parameters = dict(inspect.signature(target).parameters)
    except (TypeError, ValueError):  # a builtin without a signature: nothing to check
        return []
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        # An object's **kwargs go to its bases' __call__ (a RandomVariable's dtype).
        for base in type(target).__mro__[1:]:
            if "__call__" in vars(base):
                parameters.update(inspect.signature(vars(base)["__call__"]).parameters)
    return [
        f"{name} does not accept the keyword {keyword}"
        for keyword in keywords
        if keyword not in parameters
    ]


def _resolve(dotted: str) -> Any:
    """What ``dotted`` names as a program reaches it (attributes first: ``pytensor.scan``
    is a function, though a module has that name too), or None."""
    parts = dotted.split(".")
    value: Any = None
    for n, part in enumerate(parts):
        if value is not None and hasattr(value, part):
            value = getattr(value, part)
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = importlib.import_module(".".join(parts[: n + 1]))
        except ImportError:
            return None
    return value


def _resolve_in(value: Any, path: str) -> Any:
    for attr in path.split(".") if path else []:
        if not hasattr(value, attr):
            return None
        value = getattr(value, attr)
    return value
