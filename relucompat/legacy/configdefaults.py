"""Theano 1.0.5's flags, as ``theano/configdefaults.py`` declared them.

``FLAGS[name]`` is ``(default, accepted)``: the default as Theano's flags spell it (None
where Theano computed it at import), and what Theano accepted: a tuple of values, a type
(``bool`` for Theano's ``True/true/1/False/false/0``), or None where its own filter decided
(``mode``, ``device``, paths...: see configparser.py). Read from configdefaults.json, which
``python tools/make_configdefaults.py`` writes in py38-theano; do not edit it.
"""

import json
import os
from typing import Any, Dict, List, Tuple

__all__ = ["FLAGS"]


def __dir__() -> List[str]:
    return __all__


_TYPES = {"bool": bool, "int": int, "float": float, "str": str}


def _read() -> Dict[str, Tuple[Any, Any]]:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configdefaults.json")
    with open(path, encoding="utf-8") as stream:
        flags = json.load(stream)["flags"]
    # JSON has lists for tuples and names for types.
    return {
        name: (default, tuple(accepted) if isinstance(accepted, list) else _TYPES.get(accepted))
        for name, (default, accepted) in flags.items()
    }


FLAGS = _read()
