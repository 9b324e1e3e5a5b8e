"""tools/report.py: the compatibility table, from each env's record, and CI's check that
every env of the matrix ran and passed. Repository tooling, tested from the fixtures."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from harness import expected

from relucompat import doctor

pytestmark = pytest.mark.installation

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "compatibility")
SCRIPT = os.path.join(ROOT, "tools", "report.py")
sys.path.insert(0, os.path.join(ROOT, "tools"))

import report  # noqa: E402


def tool(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def test_a_missing_reports_folder_is_an_error_not_a_traceback(tmp_path):
    done = tool(
        "--reports",
        str(tmp_path / "none"),
        "--tox-ini",
        os.path.join(FIXTURES, "tox.ini"),
        "--out",
        str(tmp_path / "out.md"),
    )
    assert done.returncode == 0, done.stderr  # every pairing "not run": nothing is hidden
    assert (tmp_path / "out.md").read_text().count("**not run**") == 3


def test_merge_renders_the_fixture_table(tmp_path):
    table = report.merge(os.path.join(FIXTURES, "reports"), os.path.join(FIXTURES, "tox.ini"))
    written = report.write(table, str(tmp_path / "COMPATIBILITY.md"), str(tmp_path / "c.html"))
    got = (tmp_path / "COMPATIBILITY.md").read_text()
    with open(os.path.join(FIXTURES, "expected.md")) as stream:
        assert got == stream.read()
    assert len(written) == 3
    html = (tmp_path / "c.html").read_text()
    assert html.count("<tr>") == 1 + len(table["envs"]) and "not run" in html
    source = json.loads((tmp_path / "COMPATIBILITY.json").read_text())
    assert report.render_markdown(source) == got


def test_merge_marks_failures_and_missing_pairings():
    table = report.merge(os.path.join(FIXTURES, "reports"), os.path.join(FIXTURES, "tox.ini"))
    status = {row[0]: row[-1] for row in report.rows(table)}
    assert status == {
        "py313-pytensor3": "ok",
        "py38-theano": "**FAILED**",
        "py311-aesara": "**not run**",
    }


def test_collect_writes_this_envs_record_with_one_line_reasons(tmp_path):
    if expected() == {}:
        pytest.skip("doctor needs a backend")
    suite = '<testsuite name="here" tests="5" skipped="1" failures="1" errors="0"/>'
    (tmp_path / "here.xml").write_text(f"<testsuites>{suite}</testsuites>")
    done = tool("collect", "--env", "here", "--reports", str(tmp_path))
    assert done.returncode == 0, done.stderr
    record = json.loads((tmp_path / "here.json").read_text())
    assert record["schema"] == report.ENV_SCHEMA
    assert record["tests"] == {"ran": 5, "passed": 3, "skipped": 1, "failed": 1}
    assert record["doctor"]["schema"] == doctor.SCHEMA
    for backend in record["doctor"]["backends"]:
        assert "details" not in backend  # tracebacks stay in the env's log
        assert "\n" not in (backend["reason"] or "")


@pytest.mark.parametrize(
    "suites, problem",
    [
        ('<testsuite tests="3" skipped="0" failures="0" errors="0"/>', None),
        ('<testsuite tests="3" skipped="0" failures="1" errors="0"/>', "'failed': 1"),
        ('<testsuite tests="2" skipped="2" failures="0" errors="0"/>', "'skipped': 2"),
        (None, "no test report: it did not run"),
    ],
)
def test_check_fails_an_env_that_failed_ran_nothing_or_did_not_run(tmp_path, suites, problem):
    ini = tmp_path / "tox.ini"
    ini.write_text("[tox]\nenv_list =\n    py311-here\n")
    if suites is not None:
        (tmp_path / "py311-here.xml").write_text(f"<testsuites>{suites}</testsuites>")
    done = tool("check", "--reports", str(tmp_path), "--tox-ini", str(ini))
    assert done.returncode == (0 if problem is None else 1), done.stderr
    if problem:
        assert problem in done.stderr


def test_check_does_not_take_another_envs_report_for_one_named_as_its_prefix(tmp_path):
    ini = tmp_path / "tox.ini"
    ini.write_text("[tox]\nenv_list =\n    py311-pytensor30\n    py311-pytensor30-torch\n")
    suite = '<testsuites><testsuite tests="3" skipped="0" failures="0" errors="0"/></testsuites>'
    (tmp_path / "py311-pytensor30-torch.xml").write_text(suite)
    done = tool("check", "--reports", str(tmp_path), "--tox-ini", str(ini))
    assert done.returncode == 1
    assert "py311-pytensor30: no test report: it did not run" in done.stderr
    assert done.stdout.count("py311-pytensor30-torch") == 1


def test_the_committed_table_is_generated_not_edited():
    with open(os.path.join(ROOT, "COMPATIBILITY.json")) as stream:
        source = json.load(stream)
    with open(os.path.join(ROOT, "COMPATIBILITY.md")) as stream:
        assert stream.read() == report.render_markdown(source)
