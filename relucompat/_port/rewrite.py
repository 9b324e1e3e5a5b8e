"""The second pass of the codemod: apply a :class:`~relucompat._port.plan.Plan` to the
module it was made from, keeping every comment and all formatting it does not change."""

from __future__ import annotations

import textwrap
from typing import Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

from relucompat._port.base import import_line
from relucompat._port.plan import Plan
from relucompat._port.table import CallRule

_TIGHT = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


class Rewrite(cst.CSTTransformer):
    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    # -- names and strings ----------------------------------------------------------------

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._expr(original_node, updated_node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._expr(original_node, updated_node)

    def _expr(self, original: cst.CSTNode, updated: cst.BaseExpression) -> cst.BaseExpression:
        new = self.plan.exprs.get(original)
        if new is None:
            return updated
        expression = cst.parse_expression(new)
        return expression.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        new = self.plan.strings.get(original_node)
        return updated_node if new is None else updated_node.with_changes(value=new)

    # -- calls ------------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        rule = self.plan.calls.get(original_node)
        if rule is None:
            return updated_node
        if rule.varargs and updated_node.args[0].star:  # stack(*tensors)
            return updated_node.with_changes(args=[cst.Arg(value=updated_node.args[0].value)])
        if rule.varargs:
            return updated_node.with_changes(args=_listed(updated_node.args))
        args, dtype = _arguments(updated_node.args, rule)
        call = updated_node.with_changes(args=args)
        if dtype is None:
            return call
        return cst.Call(
            func=cst.Attribute(value=call, attr=cst.Name("astype")), args=[cst.Arg(value=dtype)]
        )

    # -- statements -------------------------------------------------------------------------

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        outputs = self.plan.unpack.get(original_node)
        if outputs is None:
            return updated_node
        assert isinstance(outputs, cst.BaseAssignTargetExpression)
        return updated_node.with_changes(targets=[cst.AssignTarget(target=outputs)])

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> Union[cst.SimpleStatementLine, cst.FlattenSentinel, cst.RemovalSentinel]:
        if not any(small in self.plan.statements for small in original_node.body):
            return self._commented(original_node, updated_node)  # type: ignore[return-value]
        lines: List[cst.SimpleStatementLine] = []
        body: List[cst.BaseSmallStatement] = []
        for original, updated in zip(original_node.body, updated_node.body):
            new = self.plan.statements.get(original)
            if new is None:
                body.append(updated)
                continue
            if body:
                lines.append(_line(updated_node, body))
                body = []
            rewritten = [cst.parse_statement(text) for text in new]
            inner = _comments(original)  # a comment inside a rewritten import stays, above it
            if rewritten and inner:
                rewritten[0] = rewritten[0].with_changes(
                    leading_lines=[cst.EmptyLine(comment=cst.Comment(c)) for c in inner]
                )
            lines += rewritten  # type: ignore[arg-type]
        if body:
            lines.append(_line(updated_node, body))
        if not lines:
            return cst.RemoveFromParent()
        first = lines[0]
        if original_node.body[0] in self.plan.statements:  # rewritten: the line's layout
            leading = [*updated_node.leading_lines, *first.leading_lines]
            first = first.with_changes(leading_lines=leading)
        lines = [self._commented(original_node, first), *lines[1:]]  # type: ignore[list-item]
        lines[-1] = lines[-1].with_changes(trailing_whitespace=updated_node.trailing_whitespace)
        return lines[0] if len(lines) == 1 else cst.FlattenSentinel(lines)

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> object:
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, cst.BaseCompoundStatement) and isinstance(
            result, cst.BaseCompoundStatement
        ):
            return self._commented(original_node, result)
        return result

    def _commented(self, original: cst.CSTNode, node: cst.CSTNode) -> cst.CSTNode:
        """``node`` with the plan's comments above it, each wrapped at 88 columns, where
        they are not there yet (a second port adds nothing)."""
        leading = list(getattr(node, "leading_lines", ()))
        present = {line.comment.value for line in leading if line.comment is not None}
        new = [
            cst.EmptyLine(comment=cst.Comment(line))
            for text in self.plan.comments.get(original, ())
            for line in _wrapped(text)
            if _wrapped(text)[0] not in present
        ]
        return node.with_changes(leading_lines=[*leading, *new]) if new else node

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.plan.added:
            return updated_node
        added = [
            cst.parse_statement(import_line(m, n) if n else f"import {m}")
            for m, n in self.plan.added.items()
        ]
        body = list(updated_node.body)
        at = _after_imports(body)
        return updated_node.with_changes(body=[*body[:at], *added, *body[at:]])


def _arguments(
    args: Sequence[cst.Arg], rule: CallRule
) -> Tuple[List[cst.Arg], Optional[cst.BaseExpression]]:
    """The call's new arguments (the plan checked that the rule applies), and the value
    of its ``astype`` keyword, if it had one."""
    signature = rule.signature
    changed = [n for n in signature if n in rule.rename or n in rule.drop or n in rule.manual_if]
    cut = 0 if rule.order else min([signature.index(n) for n in changed] + [len(args)])
    positional = [a for i, a in enumerate(args) if a.keyword is None and i < cut]
    values: Dict[str, cst.BaseExpression] = {}
    for i, arg in enumerate(args[len(positional) :], start=len(positional)):
        name = arg.keyword.value if arg.keyword is not None else signature[i]
        values[rule.rename.get(name, name)] = arg.value
    dtype = values.pop(rule.astype, None) if rule.astype is not None else None
    for name in [*rule.drop, *rule.manual_if]:  # manual_if: only False or None get here
        values.pop(name, None)
    given = set(signature[: len(positional)])
    for name, code in {**rule.default, **rule.add}.items():
        if name not in values and name not in given:
            values[name] = cst.parse_expression(code)
    order = [n for n in rule.order if n in values] + [n for n in values if n not in rule.order]
    keywords = [cst.Arg(value=values[n], keyword=cst.Name(n), equal=_TIGHT) for n in order]
    new = _commas([*positional, *keywords], [a.comma for a in args])
    if new and args:  # the layout before the closing parenthesis
        new[-1] = new[-1].with_changes(whitespace_after_arg=args[-1].whitespace_after_arg)
    return new, dtype


def _listed(args: Sequence[cst.Arg]) -> List[cst.Arg]:
    """The positional arguments as one list, the keywords after it."""
    elements = [cst.Element(value=a.value, comma=a.comma) for a in args if a.keyword is None]
    elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    keywords = [a for a in args if a.keyword is not None]
    listed = cst.Arg(value=cst.List(elements=elements))
    if keywords:
        listed = listed.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return [listed, *keywords]


def _line(
    line: cst.SimpleStatementLine, body: List[cst.BaseSmallStatement]
) -> cst.SimpleStatementLine:
    """The part ``body`` of ``line`` as a line of its own (its end: the last line's)."""
    body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=body, trailing_whitespace=cst.TrailingWhitespace())


def _comments(node: cst.CSTNode) -> List[str]:
    """The comments written inside ``node``."""
    found: List[str] = []

    class Collect(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            found.append(comment.value)

    node.visit(Collect())
    return found


def _wrapped(comment: str) -> List[str]:
    """A ``# ...`` comment as lines of at most 88 characters, continued with ``#     ``."""
    lines = textwrap.wrap(
        comment[2:],
        width=86,
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [f"# {line}" for line in lines]


def _after_imports(body: Sequence[cst.BaseStatement]) -> int:
    """Where new imports go: after the module's last top-level import, else after its
    docstring."""
    at = 0
    for i, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine):
            small = statement.body
            if any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small):
                at = i + 1
            elif (
                i == 0
                and isinstance(small[0], cst.Expr)
                and isinstance(small[0].value, (cst.SimpleString, cst.ConcatenatedString))
            ):
                at = max(at, 1)
    return at


def _commas(args: List[cst.Arg], commas: Sequence[object]) -> List[cst.Arg]:
    """Each argument's comma, so that a call laid out one argument per line stays so."""
    if not commas:
        return args
    middle = commas[-2] if len(commas) > 1 else cst.MaybeSentinel.DEFAULT
    given = list(commas[:-1])[: max(len(args) - 1, 0)]
    given += [middle] * (len(args) - 1 - len(given))
    given.append(commas[-1])
    return [
        a.with_changes(comma=c, whitespace_after_arg=cst.SimpleWhitespace(""))
        for a, c in zip(args, given)
    ]


__all__ = ["Rewrite"]
