"""Quant toolbox of quant-tutor: pure functions over pandas objects; imports nothing else of ours.

``data`` (prices online/offline, the learner's files) and ``returns`` (returns, annualisation) ->
``strategies`` (signals) -> ``backtest`` (engine, sweeps, walk-forward, deflated Sharpe) -> ``metrics``;
``volatility`` (GARCH family, EWMA) -> ``risk`` (VaR/ES) -> ``var_backtest`` (Kupiec, Christoffersen, Basel);
``portfolio`` (Markowitz, CAPM); ``plots`` (plotly); ``api`` (JSON-ready summaries for the CLI and the agent
tools, typed in ``results``); ``errors`` (typed errors and warnings, the one option-name normaliser).

The entry points below are imported lazily, so that ``import finance.errors`` stays light (functions named like
their module, ``returns``, ``backtest``, ``var_backtest``, are imported from it).
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> module that defines it
_ENTRY_POINTS = {
    "backtest_summary": "finance.api",
    "garch_summary": "finance.api",
    "var_summary": "finance.api",
    "load_prices": "finance.data",
    "make_signal": "finance.strategies",
    "fit_garch": "finance.volatility",
    "value_at_risk": "finance.risk",
    "FinanceError": "finance.errors",
}

__all__ = sorted(_ENTRY_POINTS)


def __getattr__(name: str) -> Any:
    if name in _ENTRY_POINTS:
        return getattr(importlib.import_module(_ENTRY_POINTS[name]), name)
    raise AttributeError(f"module 'finance' has no attribute {name!r}")
