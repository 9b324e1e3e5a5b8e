"""The port's rules against the installed PyTensor, in every PyTensor env of the matrix
(``tf_upgrade_v2``'s freshness test): each target module and name imports, each takes the
keywords a ported call passes it, each flag kept as it is exists. Below the PyTensor the
rules are written for, the same check must find what is missing there."""

from __future__ import annotations

import re
from importlib import metadata

import pytest
from harness import expected

from relucompat._port import table

# What holds depends on the PyTensor installed, so it runs in every PyTensor env, the
# JAX and PyTorch ones included (tox.ini's with_a_linkers_package).
pytestmark = pytest.mark.installation


def _version(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


@pytest.fixture(scope="module")
def pytensor_version():
    if "pytensor" not in (expected() or {}):
        pytest.skip("this env promises no PyTensor")
    return metadata.version("pytensor")


def test_every_target_exists_and_takes_its_keywords(pytensor_version):
    rules = table.load()
    found = table.problems(rules)
    if _version(pytensor_version) >= _version(rules.pytensor):
        assert found == []
    else:  # why the rules say which PyTensor they are for
        assert any("return_updates" in problem for problem in found), found


def test_the_check_finds_a_target_that_does_not_exist(pytensor_version):
    rules = table.load()
    rule = rules.names["theano.tensor.nnet.relu"]
    broken = rules._replace(
        names={
            "theano.tensor.nnet.relu": rule._replace(to="relucompat.no_such_relu"),
            "theano.tensor.nnet.conv2d": rules.names["theano.tensor.nnet.conv2d"]._replace(
                call=rules.names["theano.tensor.nnet.conv2d"].call._replace(
                    add={"no_such_keyword": "1"}
                )
            ),
        },
        same_flags=frozenset({"no_such_flag"}),
    )
    found = table.problems(broken)
    for problem in (
        "theano.tensor.nnet.relu is ported to relucompat.no_such_relu, which does not exist",
        "relucompat.nn.conv2d does not accept the keyword no_such_keyword",
        "the flag no_such_flag is kept as it is, but pytensor.config has no no_such_flag",
    ):
        assert problem in found
