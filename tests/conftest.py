from __future__ import annotations

import os

import pytest
from harness import Harness, expected, harnesses


def pytest_report_header() -> str:
    promised = expected()
    return f"relucompat backends promised: {'any installed' if promised is None else promised}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test that takes ``h`` runs once per backend of this env, under its default linker;
    # a module that sets ALL_LINKERS (the contract suite) runs under every linker listed.
    if "h" in metafunc.fixturenames:
        found = harnesses(all_linkers=getattr(metafunc.module, "ALL_LINKERS", False))
        metafunc.parametrize(
            "h",
            found or [pytest.param(None, marks=pytest.mark.skip(reason="no backend installed"))],
            ids=[str(item) for item in found] or ["no-backend"],
            scope="module",
        )


@pytest.fixture(autouse=True)
def _fresh_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    # A test may call relucompat.use(); do not let it leak into the next one.
    import relucompat

    relucompat.use(None)
    monkeypatch.delenv("RELUCOMPAT_BACKEND", raising=False)
    monkeypatch.delenv("RELUCOMPAT_SEMANTICS", raising=False)


__all__ = ["Harness"]


# Hypothesis profiles: "default" for a quick local run, "ci" in tox (200 examples per
# test, in each of ten backend envs: Hypothesis's own time, 1-6 ms an example with each
# strategy built once, is most of those tests' time), "thorough" on demand:
# tox -e <env> -- --hypothesis-profile=thorough.
from hypothesis import HealthCheck, settings  # noqa: E402

# The one function-scoped fixture, the autouse _fresh_choice, resets relucompat's backend
# choice per test; no example changes it, so sharing it across a test's examples is right.
_common = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "derandomize": False,
}
settings.register_profile("default", max_examples=100, **_common)
settings.register_profile("ci", max_examples=200, **_common)
settings.register_profile("thorough", max_examples=20000, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
