"""One plot for a comparison asked in the chat: GARCH models on the same axes, VaR methods side by side."""

from __future__ import annotations

import pytest

from agents.tools import Toolbox
from app.figures import figure_for
from knowledge.config import get_settings


def test_garch_comparison_plots_each_model_on_the_same_dates() -> None:
    result = Toolbox(get_settings()).fit_garch("SPY", models=["garch", "gjr"], start="2010-01-01",
                                               end="2012-12-31")
    fig = figure_for("fit_garch", {"ticker": "SPY", "models": ["garch", "gjr"]}, result)
    assert [tr.name for tr in fig.data] == ["garch", "gjr"]
    assert len(fig.data[0].x) == len(fig.data[1].x) == result["comparison"][0]["n_days"] - 1
    assert "SPY" in fig.layout.title.text and "Volatilité conditionnelle" in fig.layout.title.text


def test_var_comparison_shows_var_and_es_per_method() -> None:
    result = Toolbox(get_settings()).value_at_risk("SPY", 0.99, methods=["historical", "normal"])
    fig = figure_for("value_at_risk", {"ticker": "SPY"}, result)
    assert [tr.name for tr in fig.data] == ["VaR", "ES"] and list(fig.data[0].x) == ["historical", "normal"]
    assert list(fig.data[1].y) == pytest.approx([r["es_pct"] for r in result["comparison"]])
