"""A broken install is reported with its reason, never fatal (py311-brokentheano)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from relucompat.lineage import registry

BROKEN = os.environ.get("RELUCOMPAT_TEST_BROKEN")
pytestmark = [
    pytest.mark.installation,
    pytest.mark.skipif(
        not BROKEN, reason="needs an env with a real broken backend (py311-brokentheano)"
    ),
]


def run(script: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def test_discovery_records_it_with_a_one_line_reason_and_keeps_the_whole_text():
    done = run(
        """
        import json, relucompat
        print(json.dumps([[b.name, b.usable, b.reason, b.details] for b in relucompat.backends()]))
        """
    )
    assert done.returncode == 0, done.stderr
    found = {
        name: (usable, reason, details) for name, usable, reason, details in json.loads(done.stdout)
    }
    usable, reason, details = found[BROKEN]
    assert not usable
    assert "\n" not in reason and len(reason) <= 160
    assert len(details) > len(reason) and "Traceback" in details
    assert all(entry[0] for name, entry in found.items() if name != BROKEN)


def test_no_wall_of_compiler_output_reaches_the_user():
    done = run("import relucompat; relucompat.backends()")
    assert done.returncode == 0
    assert done.stdout == ""
    assert "error:" not in done.stderr and "mod.cpp" not in done.stderr


def test_asking_for_it_raises_an_import_error_with_the_recorded_reason():
    done = run(
        """
        import relucompat
        try:
            relucompat.relu(1.0)
        except ImportError as exc:
            print(exc)
        """,
        RELUCOMPAT_BACKEND=BROKEN,
    )
    assert "is installed but does not import" in done.stdout
    assert "Compilation failed" in done.stdout or "Error" in done.stdout
    assert "Traceback" not in done.stderr


def test_relu_on_a_number_uses_a_working_backend_and_says_what_it_skipped(tmp_path):
    # From a file, so that the warning can name the caller's file and line.
    script = tmp_path / "caller.py"
    script.write_text(
        textwrap.dedent(
            """
            import json, warnings, relucompat
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                relucompat.relu(1.0)  # line 5
                relucompat.relu(2.0)
            used = relucompat.explain().import_name
            found = [[f"{w.category.__name__}: {w.message}", w.filename, w.lineno] for w in caught]
            print(json.dumps([used, found]))
            """
        )
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    used, warned = json.loads(done.stdout.splitlines()[-1])
    assert used != BROKEN
    order = [b.import_name for b in registry()]
    if order.index(BROKEN) < order.index(used):  # it was tried first, and failed
        assert len(warned) == 1, warned
        message, filename, lineno = warned[0]
        assert message.startswith("BackendSkippedWarning: relucompat skipped")
        assert BROKEN in message and "relucompat doctor --details" in message
        assert (filename, lineno) == (str(script), 5), "reported at the caller's line"
    else:  # it comes after the one used, so nothing needed to import it
        assert warned == []


def test_doctor_lists_it_as_broken_and_still_passes():
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", "doctor", "--json"], capture_output=True, text=True
    )
    found = json.loads(done.stdout)
    assert done.returncode == 0, found
    entry = next(e for e in found["backends"] if e["name"] == BROKEN)
    assert not entry["usable"] and entry["reason"]
    text = subprocess.run(
        [sys.executable, "-m", "relucompat", "doctor", "--no-self-check"],
        capture_output=True,
        text=True,
    ).stdout
    assert f"does not import: {entry['reason']}" in text
