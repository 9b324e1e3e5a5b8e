"""``relucompat port``: every rule against a recorded before/after pair, look-alikes left
alone, idempotence, the report, and bad input (no backend needed: the port only reads and
writes source).

The pairs are ``tests/fixtures/port/NAME.before.py`` and ``NAME.after.py``; files named
``NAME.noop.py`` must come out unchanged. After changing a rule, rewrite the ``after``
files with ``python tools/port_fixtures.py`` and read their diff.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys

import pytest

from relucompat import port
from relucompat._port import table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "port")
PAIRS = sorted(
    os.path.basename(p)[: -len(".before.py")] for p in glob.glob(f"{FIXTURES}/*.before.py")
)
NOOPS = sorted(os.path.basename(p) for p in glob.glob(f"{FIXTURES}/*.noop.py"))


def read(name: str) -> str:
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as stream:
        return stream.read()


@pytest.mark.parametrize("name", PAIRS)
def test_each_fixture_ports_as_recorded_and_porting_again_changes_nothing(name):
    ported, entries = port.port_source(read(f"{name}.before.py"))
    assert ported == read(f"{name}.after.py"), "rerun tools/port_fixtures.py and read the diff"
    assert entries and all(e.kind in ("change", "manual") for e in entries)
    again, more = port.port_source(ported)
    assert again == ported
    assert all(e.kind == "manual" for e in more)  # what was left is still reported


@pytest.mark.parametrize("name", NOOPS)
def test_code_that_only_looks_like_theano_is_untouched(name):
    source = read(name)
    assert port.port_source(source) == (source, [])


def test_every_rule_is_exercised_by_a_fixture():
    rules = table.load()
    used = set()
    for name in PAIRS:
        used |= port._port(read(f"{name}.before.py"), name)[2]
    wanted = set(rules.names) | {k for k, v in rules.manual.items()} | {"op_with_c_code"}
    wanted |= {f"streams.{kind}.{m}" for kind, methods in rules.streams.items() for m in methods}
    wanted |= {"flags.same", "flags.missing", "flags.device", "flags.cpu_devices"}
    wanted |= {"flags.variable"}
    wanted |= {
        m for m, new in rules.modules.items() if new is not None and m != "theano.compile.function"
    }
    assert sorted(wanted - used) == []


def test_the_report_names_each_change_and_each_item_left_by_line():
    reports = [port.FileReport("m.py", *_ported("manual"))]
    text = port.render(reports)
    assert "m.py\n" in text
    assert "  1: change  import theano -> import pytensor" in text
    assert "manual  class Double left: a custom Op with C code" in text
    assert text.endswith('left to you (marked "# relucompat port:" in the code)\n')
    record = json.loads(port.render(reports, as_json=True))
    (entry,) = [e for e in record["files"][0]["entries"] if e["old"] == "class Double"]
    line = read("manual.before.py").splitlines().index("class Double(theano.Op):") + 1
    assert entry == {"line": line, "kind": "manual", "old": "class Double", "new": entry["new"]}
    summary = record["summary"]
    assert summary["files"] == summary["changed"] == 1
    assert summary["manual"] == sum(e.kind == "manual" for e in reports[0].entries) > 3


def _ported(name):
    original = read(f"{name}.before.py")
    return (original, *port.port_source(original))


def test_a_syntax_error_is_a_sentence_with_the_line():
    with pytest.raises(port.PortError) as error:
        port.port_source('import theano\nprint "loss", 1\n', "old.py")
    message = str(error.value)
    assert message.startswith("old.py, line 2: this is not Python 3 syntax")
    assert "convert a Python 2 program to Python 3 first" in message


def cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "relucompat", "port", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


@pytest.fixture
def program(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(read("nnet.before.py"))
    (tmp_path / "pkg" / "plain.py").write_text("import numpy\n")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, ["missing.py"], "relucompat port: missing.py does not exist\n"),
        ({"notes.txt": "theano"}, ["notes.txt"], "notes.txt is not a Python file"),
        ({"py2.py": 'print "theano"\n'}, ["py2.py"], "py2.py, line 1: this is not Python 3"),
        ({"bin.py": b"\xff\xfe"}, ["bin.py"], "bin.py is not a Python file: it is not UTF-8"),
    ],
)
def test_bad_input_exits_2_with_a_sentence_and_writes_nothing(program, files, args, message):
    for name, content in files.items():
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(program / name, mode) as stream:
            stream.write(content)
    before = (program / "pkg" / "model.py").read_text()
    done = cli("--write", "pkg", *args, cwd=program)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert (program / "pkg" / "model.py").read_text() == before


def test_write_rewrites_in_place_and_diff_shows_the_same_change(program):
    diff = cli("--diff", "pkg", cwd=program)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith("--- a/pkg/model.py\n+++ b/pkg/model.py\n")
    assert "+import pytensor.tensor as T\n" in diff.stdout
    assert "2 files, 1 changed:" in diff.stderr  # the report goes to stderr with --diff
    assert (program / "pkg" / "model.py").read_text() == read("nnet.before.py")
    done = cli("--write", "pkg", "--report", "report.json", cwd=program)
    assert done.returncode == 0, done.stderr
    assert (program / "pkg" / "model.py").read_text() == read("nnet.after.py")
    assert (program / "pkg" / "plain.py").read_text() == "import numpy\n"
    record = json.loads((program / "report.json").read_text())
    assert [f["changed"] for f in record["files"]] == [True, False]
    assert cli("--write", "pkg", cwd=program).stdout.startswith("2 files, 0 changed")


def test_an_interrupted_write_leaves_the_old_file_whole(program, monkeypatch):
    path = str(program / "pkg" / "model.py")
    (report,) = [r for r in port.port_paths([path]) if r.changed]

    def fail(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        port.write([report])
    assert (program / "pkg" / "model.py").read_text() == read("nnet.before.py")
    assert sorted(os.listdir(program / "pkg")) == ["model.py", "plain.py"]


def test_the_rules_hold_together():
    """The table's own consistency, on any machine: every gone module's names have rules
    or a reason, every rule's renames and drops are names of its signature."""
    rules = table.load()
    for module, new in rules.modules.items():
        if new is None:
            assert rules.resolve(f"{module}.anything").manual, module
    for name, rule in rules.names.items():
        call = rule.call
        assert set(call.rename) | call.drop | set(call.manual_if) <= set(call.signature), name
        assert not (rule.scan and call.signature), name
    for methods in rules.streams.values():
        for method, call in methods.items():
            assert set(call.order) <= {call.rename.get(n, n) for n in call.signature}, method


def test_the_docs_example_is_what_the_port_writes():
    with open(os.path.join(ROOT, "docs", "port.md"), encoding="utf-8") as stream:
        docs = stream.read()
    section = docs.split("## What a port looks like")[1].split("## Rules")[0]
    before, after = re.findall(r"```python\n(.*?)```", section, re.S)
    assert port.port_source(before)[0] == after


def test_the_docs_list_every_rule():
    with open(os.path.join(ROOT, "docs", "port.md"), encoding="utf-8") as stream:
        docs = stream.read()
    rules = table.load()
    for name, rule in rules.names.items():
        assert f"| `{name}` | `{rule.to}` |" in docs, name
    for name in rules.manual:
        assert f"`{name}`" in docs, name
