"""Plotly figures for the tutor's finance tool calls (shown in the chat under each step)."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from knowledge.config import get_settings


@st.cache_data(show_spinner=False, max_entries=32)
def _figure(name: str, args_json: str) -> Any:
    from finance import api, plots
    from finance.data import load_prices, returns

    args = json.loads(args_json)
    cache = get_settings().cache_dir / "prices"
    ticker = args.get("ticker", "SPY")
    if name == "backtest_strategy":
        summary, res, bench = api.backtest_run(ticker, args.get("strategy", "sma-cross"), args.get("params") or {},
                                               cost_bps=float(args.get("cost_bps", 5.0)), cache_dir=cache)
        return plots.equity_drawdown_figure(res, bench, title=f"{ticker}: {summary['strategy']}")
    if name == "value_at_risk":
        _, _, bt = api.var_run(ticker, float(args.get("level", 0.99)), args.get("method", "historical"),
                               int(args.get("horizon_days", 1)), cache_dir=cache)
        return plots.var_figure(bt) if bt is not None else None
    if name == "fit_garch":
        start, end = args.get("start"), args.get("end")
        _, fit, ewma, _ = api.garch_run(ticker, args.get("model", "garch"), args.get("dist", "normal"),
                                        start=start, end=end, cache_dir=cache)
        r = returns(load_prices(ticker, start, end, cache_dir=cache))
        return plots.volatility_figure(r, fit.conditional_volatility, ewma, title=f"{ticker}: {fit.model}")
    return None


def figure_for(name: str, args: dict[str, Any], result: Any) -> Any:
    """The figure of a successful finance tool call, else None (never raises: the chat must render)."""
    if name not in ("backtest_strategy", "value_at_risk", "fit_garch") or not isinstance(result, dict):
        return None
    if "error" in result:
        return None
    try:
        return _figure(name, json.dumps(args, sort_keys=True, default=str))
    except Exception:  # a figure is a bonus; the numbers are already in the answer
        return None
