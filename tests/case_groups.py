"""What the golden-case modules (golden, conv, pool, nnet) share."""

from __future__ import annotations

from typing import Dict, Iterable, List, TypeVar

C = TypeVar("C")


def by_dtype(cases: Iterable[C]) -> Dict[str, List[C]]:
    """``cases`` grouped by their ``dtype``, in order: each group is one compiled function."""
    grouped: Dict[str, List[C]] = {}
    for case in cases:
        grouped.setdefault(case.dtype, []).append(case)  # type: ignore[attr-defined]
    return grouped
