"""Finance computations with their plotly figures, cached: shared by the Finance lab page and the chat (which
shows the figure of each finance tool call)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from finance import api, plots
from finance.data import load_prices
from finance.results import BacktestSummary, GarchSummary, VaRSummary
from finance.returns import returns
from knowledge.config import get_settings


def _cache() -> Any:
    return get_settings().cache_dir / "prices"


@st.cache_data(show_spinner="Backtesting…", max_entries=32)
def run_backtest(
    ticker: str, strategy: str, params: dict, cost_bps: float, start: str | None, end: str | None
) -> tuple[BacktestSummary, Any]:
    summary, res, bench = api.backtest_run(
        ticker, strategy, params, cost_bps=cost_bps, start=start, end=end, cache_dir=_cache()
    )
    return summary, plots.equity_drawdown_figure(res, bench, title=f"{ticker}: {summary['strategy']}")


@st.cache_data(show_spinner="Fitting the volatility model…", max_entries=32)
def run_garch(ticker: str, model: str, dist: str, start: str | None, end: str | None) -> tuple[GarchSummary, Any]:
    summary, fit, ewma, _ = api.garch_run(ticker, model, dist, start=start, end=end, cache_dir=_cache())
    r = returns(load_prices(ticker, start, end, cache_dir=_cache()))
    fig = plots.volatility_figure(r, fit.conditional_volatility, ewma, title=f"{ticker}: {model}-{dist}")
    return summary, fig


@st.cache_data(show_spinner="Computing VaR and its rolling backtest…", max_entries=32)
def run_var(
    ticker: str, level: float, method: str, horizon: int, start: str | None, end: str | None
) -> tuple[VaRSummary, Any]:
    summary, _, bt = api.var_run(ticker, level, method, horizon, start=start, end=end, cache_dir=_cache())
    return summary, (plots.var_figure(bt) if bt is not None else None)


def figure_for(name: str, args: dict[str, Any], result: Any) -> Any:
    """The figure of a successful finance tool call, else None (never raises: the chat must render)."""
    if name not in ("backtest_strategy", "value_at_risk", "fit_garch") or not isinstance(result, dict):
        return None
    if "error" in result:
        return None
    ticker = args.get("ticker", "SPY")
    try:
        if name == "backtest_strategy":
            return run_backtest(ticker, args.get("strategy", "sma-cross"), args.get("params") or {},
                                float(args.get("cost_bps", 5.0)), None, None)[1]
        if name == "value_at_risk":
            level = float(args.get("level", 0.99))
            return run_var(ticker, level / 100 if level > 1 else level, args.get("method", "historical"),
                           int(args.get("horizon_days", 1)), None, None)[1]
        return run_garch(ticker, args.get("model", "garch"), args.get("dist", "normal"), args.get("start"),
                         args.get("end"))[1]
    except Exception:  # a figure is a bonus; the numbers are already in the answer
        return None
