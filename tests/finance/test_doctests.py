"""The ``>>>`` examples in finance's docstrings run and hold (offline)."""

from __future__ import annotations

import doctest
import importlib

import pytest

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


MODULES = ["errors", "data", "returns", "metrics", "strategies", "backtest", "volatility", "risk", "api"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"finance.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
