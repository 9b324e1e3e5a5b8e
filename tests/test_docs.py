"""The docs site: it builds with ``mkdocs build --strict`` in the lint env (a broken link or
a stale API reference fails there); this checks that the pages people land on render their
headings and tables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("mkdocs", reason="the lint env builds the docs")
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def page(site, name):
    path = site / name / "index.html" if name else site / "index.html"
    return path.read_text(encoding="utf-8")


def headings(html):
    found = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html)
    return [unescape(re.sub(r"<[^>]+>", "", h)).rstrip("\u00b6").strip() for h in found]


@pytest.mark.parametrize(
    "name, heading, tables",
    [
        ("", "relucompat", 0),
        ("semantics", "Semantics", 3),
        ("backends", "Routes on each backend", 2),
        ("legacy", "Legacy Theano code", 0),
        ("performance", "Performance", 9),
    ],
)
def test_pages_render_their_headings_and_tables(site, name, heading, tables):
    html = page(site, name)
    assert heading in headings(html)
    assert html.count("<table>") >= tables


def test_the_api_reference_documents_every_public_name(site):
    import relucompat

    html = page(site, "api")
    for name in relucompat.__all__:
        assert f'id="relucompat.{name}"' in html, name
