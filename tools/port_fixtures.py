"""Rewrite tests/fixtures/port/*.after.py from their .before.py with the current rules.

    python tools/port_fixtures.py        # then read `git diff tests/fixtures/port`

Needs LibCST (the test extra has it).
"""

from __future__ import annotations

import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from relucompat import port  # noqa: E402


def main() -> None:
    for before in sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "port", "*.before.py"))):
        with open(before, encoding="utf-8") as stream:
            ported, _ = port.port_source(stream.read(), before)
        after = before[: -len(".before.py")] + ".after.py"
        with open(after, "w", encoding="utf-8") as stream:
            stream.write(ported)
        print(os.path.relpath(after, ROOT))


if __name__ == "__main__":
    main()
