"""The Theano-style example scripts of examples/, each with its data and the golden loss
trajectory recorded on Theano 1.0.5 (tools/make_trajectory.py writes it)."""

from __future__ import annotations

import os
from typing import Callable, List, NamedTuple

import blobs
import glyphs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Example(NamedTuple):
    script: str
    write_data: Callable[[str], str]  # writes the dataset at a path, returns it
    data_doc: str
    options: List[str]
    golden: str

    def arguments(self, directory: str) -> List[str]:
        """The script's command line, with its dataset written into ``directory``."""
        data = os.path.join(directory, os.path.basename(self.script) + ".npz")
        if os.path.isdir(directory):
            self.write_data(data)
        return [data, *self.options]


def _example(name: str, data: Callable[[str], str], doc: str, options: List[str]) -> Example:
    return Example(
        script=os.path.join(ROOT, "examples", f"{name}_theano.py"),
        write_data=data,
        data_doc=doc,
        options=options,
        golden=os.path.join(ROOT, "tests", "golden", f"{name}-theano-1.0.5.json"),
    )


EXAMPLES = {
    "mlp": _example("mlp", blobs.write, f"tests/blobs.py, seed {blobs.SEED}", ["--steps", "20"]),
    "lenet": _example(
        "lenet", glyphs.write, f"tests/glyphs.py, seed {glyphs.SEED}", ["--steps", "30"]
    ),
}
