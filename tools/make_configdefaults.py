"""Write relucompat/legacy/configdefaults.py: Theano 1.0.5's flags, from Theano itself.

Run in py38-theano, then format: ``python tools/make_configdefaults.py &&
ruff format relucompat/legacy/configdefaults.py``.
"""

import os
import sys

import theano
from theano.configparser import EnumStr, TypedParam, _config_var_list

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "relucompat", "legacy", "configdefaults.py")
HEADER = '''"""Theano {version}'s flags, as ``theano/configdefaults.py`` declared them.

``FLAGS[name]`` is ``(default, accepted)``: the default as Theano's flags spell it (None
where Theano computed it at import), and what Theano accepted: a tuple of values, a type
(``bool`` for Theano's ``True/true/1/False/false/0``), or None where its own filter decided
(``mode``, ``device``, paths...: see configparser.py). Written by
``python tools/make_configdefaults.py`` in py38-theano; do not edit.
"""

from typing import Any, Dict, Tuple

FLAGS: Dict[str, Tuple[Any, Any]] = {{
'''


# Defaults Theano computed from this machine when it was imported.
MACHINE = ("cxx", "base_compiledir", "compiledir", "blas.ldflags")


def entry(cv):
    if isinstance(cv, EnumStr):
        return repr(cv.default), repr(tuple(dict.fromkeys(cv.all)))
    default = None if callable(cv.default) or cv.fullname in MACHINE else repr(str(cv.default))
    if isinstance(cv, TypedParam):
        kind = cv.mytype.__name__
        return default, "bool" if kind == "booltype" else kind
    return default, "None"


def main():
    lines = [HEADER.format(version=theano.__version__)]
    for cv in _config_var_list:
        default, accepted = entry(cv)
        lines.append(f"    {cv.fullname!r}: ({default}, {accepted}),\n")
    lines.append("}\n")
    with open(OUT, "w") as stream:
        stream.writelines(lines)
    print(f"wrote {OUT} ({len(_config_var_list)} flags)", file=sys.stderr)


main()
