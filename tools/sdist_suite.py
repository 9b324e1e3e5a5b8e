"""Run a library's own test suite, from its sdist on the registry, under ``relucompat run``.

    python tools/sdist_suite.py lasagne==0.1 --tests lasagne/tests --into DIR [-- PYTEST_ARGS]

The library itself is installed by the env (tox.ini's deps); its tests are often left out of
what pip installs (Lasagne 0.1's ``lasagne/tests`` has no ``__init__.py``, so its wheel has no
tests), so they are taken from the same release's sdist, fetched once by pip into ``DIR``
and run there, unmodified, as ``relucompat run -m pytest TESTS PYTEST_ARGS``, with pytest
reading no configuration file of the sdist's (Lasagne 0.1's setup.cfg has a ``[pytest]``
section, which pytest >= 7 refuses). The exit status is pytest's.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import tarfile
import tempfile
from typing import List, Optional


def fetch(requirement: str, into: str) -> str:
    """The sdist of ``requirement`` unpacked below ``into`` (once): its top directory."""
    found = _unpacked(into)
    if found:
        return found
    os.makedirs(into, exist_ok=True)
    with tempfile.TemporaryDirectory() as download:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--dest",
                download,
                requirement,
            ],
            check=True,
        )
        (archive,) = glob.glob(os.path.join(download, "*.tar.gz"))
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        with tarfile.open(archive) as sdist:
            sdist.extractall(into, **safe)  # type: ignore[arg-type]
    found = _unpacked(into)
    if not found:
        raise SystemExit(f"sdist_suite.py: the sdist of {requirement} unpacked to nothing")
    return found


def _unpacked(into: str) -> Optional[str]:
    tops = [p for p in glob.glob(os.path.join(into, "*")) if os.path.isdir(p)]
    return tops[0] if len(tops) == 1 else None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirement", help="the release, as DIST==VERSION")
    parser.add_argument("--tests", required=True, help="the suite, relative to the sdist")
    parser.add_argument("--into", required=True, help="where to unpack the sdist")
    argv = sys.argv[1:] if argv is None else argv
    ours, pytest_args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    args = parser.parse_args(ours)
    top = fetch(args.requirement, args.into)
    command = [sys.executable, "-m", "relucompat", "run", "-m", "pytest", args.tests]
    command += ["-c", os.devnull, "--rootdir", top, "-p", "no:cacheprovider", *pytest_args]
    print(f"sdist_suite.py: in {top}: {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=top, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
