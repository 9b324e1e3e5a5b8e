"""Write relucompat/legacy/configdefaults.json: Theano 1.0.5's flags, from Theano itself.

Run in py38-theano: ``python tools/make_configdefaults.py``. relucompat/legacy/configdefaults.py
reads the file; its docstring says what each entry means.
"""

import json
import os
import sys

import theano
from theano.configparser import EnumStr, TypedParam, _config_var_list

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "relucompat", "legacy", "configdefaults.json")
MADE_BY = "python tools/make_configdefaults.py (py38-theano)"

# Defaults Theano computed from this machine when it was imported.
MACHINE = ("cxx", "base_compiledir", "compiledir", "blas.ldflags")


def entry(cv):
    if isinstance(cv, EnumStr):
        return cv.default, list(dict.fromkeys(cv.all))
    default = None if callable(cv.default) or cv.fullname in MACHINE else str(cv.default)
    if isinstance(cv, TypedParam):
        kind = cv.mytype.__name__
        return default, "bool" if kind == "booltype" else kind
    return default, None


def main():
    # One flag a line, so that a change to one reads as one line of diff.
    flags = ",\n".join(
        f"{json.dumps(cv.fullname)}: {json.dumps(entry(cv))}" for cv in _config_var_list
    )
    head = f'"made_by": {json.dumps(MADE_BY)}, "theano": {json.dumps(theano.__version__)}'
    text = f'{{{head}, "flags": {{\n{flags}\n}}}}\n'
    with open(OUT, "w") as stream:
        stream.write(text)
    print(f"wrote {OUT} ({len(_config_var_list)} flags)", file=sys.stderr)


main()
