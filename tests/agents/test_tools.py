"""Tool errors: our typed errors reach the learner with their fix; a bug is logged with its trace."""

from __future__ import annotations

import logging

import pytest

from agents.tools import INTERNAL_ERROR, Toolbox
from knowledge.config import get_settings


def test_typed_errors_become_error_results() -> None:
    tools = Toolbox(get_settings())
    assert "Did you mean 'sma-cross'?" in tools.backtest_strategy(strategy="sma-crosss")["error"]
    assert "13 n'est pas un mois (1 à 12)" in tools.fit_garch(start="2020-13-01")["error"]
    assert "must be a number" in tools.value_at_risk(level="abc")["error"]
    assert "unexpected keyword argument 'foo'" in tools.call("backtest_strategy", {"foo": 1})["error"]


def test_a_bug_is_logged_with_its_trace_and_the_learner_gets_a_neutral_message(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("planted bug")

    monkeypatch.setattr("finance.api.garch_summary", broken)
    with caplog.at_level(logging.ERROR, logger="agents.tools"):
        result = Toolbox(get_settings()).fit_garch("SPY")
    assert result == {"error": INTERNAL_ERROR}
    record = next(r for r in caplog.records if r.name == "agents.tools")
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
