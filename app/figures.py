"""Finance computations with their plotly figures, cached: shared by the Finance lab page and the chat (which
shows the figure of each finance tool call). The computations are cached once for every language; titles, axes
and legends are written in the learner's language afterwards (:func:`localise`)."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from app.i18n import t
from finance import api, plots
from finance.data import load_prices
from finance.results import BacktestSummary, GarchSummary, VaRSummary
from finance.returns import returns
from knowledge.config import get_settings

# plotly trace names written by finance.plots -> their key in the [figures] section
_TRACES: tuple[tuple[str, str], ...] = (
    (r"strategy", "strategy"), (r"buy and hold", "buy_hold"), (r"drawdown %", "drawdown"),
    (r"rolling (\d+)d", "rolling"), (r"EWMA .*", "ewma"), (r"GARCH", "garch"), (r"daily return", "daily_return"),
    (r"-VaR (.+)", "var_line"), (r"exceedances \((\d+)\)", "exceedances"),
)


def _cache() -> Any:
    return get_settings().cache_dir / "prices"


def zone_name(zone: str) -> str:
    """A Basel traffic-light zone (``green``, ``yellow``, ``red``) in the learner's language."""
    return t(f"figures.zone_{zone}") if zone in ("green", "yellow", "red") else zone


def localise(fig: Any, kind: str, **values: Any) -> Any:
    """Rewrite the figure's title, axes and legend (written in English by ``finance.plots``) with ``t()``."""
    if fig is None:
        return None
    for trace in fig.data:
        for pattern, key in _TRACES:
            found = re.fullmatch(pattern, str(trace.name or ""))
            if found:
                trace.name = t(f"figures.{key}", value=found.group(1) if found.groups() else "")
                break
    fig.update_layout(title=t(f"figures.{kind}_title", **values))
    if kind == "backtest":
        fig.update_yaxes(title_text=t("figures.growth_of_1"), row=1, col=1)
        fig.update_yaxes(title_text=t("figures.drawdown"), row=2, col=1)
    elif kind == "garch":
        fig.update_layout(yaxis_title=t("figures.pct_per_year"))
    elif kind == "sweep":
        fig.update_layout(xaxis_title=t("figures.slow_window"), yaxis_title=t("figures.fast_window"))
    return fig


@st.cache_data(show_spinner=False, max_entries=32)
def _backtest(ticker: str, strategy: str, params: dict, cost_bps: float, start: str | None,
              end: str | None) -> tuple[BacktestSummary, Any]:
    summary, res, bench = api.backtest_run(
        ticker, strategy, params, cost_bps=cost_bps, start=start, end=end, cache_dir=_cache()
    )
    return summary, plots.equity_drawdown_figure(res, bench)


@st.cache_data(show_spinner=False, max_entries=32)
def _garch(ticker: str, model: str, dist: str, start: str | None, end: str | None) -> tuple[GarchSummary, Any]:
    summary, fit, ewma, _ = api.garch_run(ticker, model, dist, start=start, end=end, cache_dir=_cache())
    r = returns(load_prices(ticker, start, end, cache_dir=_cache()))
    return summary, plots.volatility_figure(r, fit.conditional_volatility, ewma)


@st.cache_data(show_spinner=False, max_entries=32)
def _var(ticker: str, level: float, method: str, horizon: int, start: str | None,
         end: str | None) -> tuple[VaRSummary, Any]:
    summary, _, bt = api.var_run(ticker, level, method, horizon, start=start, end=end, cache_dir=_cache())
    return summary, (plots.var_figure(bt) if bt is not None else None)


def run_backtest(ticker: str, strategy: str, params: dict, cost_bps: float, start: str | None,
                 end: str | None) -> tuple[BacktestSummary, Any]:
    with st.spinner(t("figures.spinner_backtest")):
        summary, fig = _backtest(ticker, strategy, params, cost_bps, start, end)
    return summary, localise(fig, "backtest", ticker=ticker, strategy=summary["strategy"])


def run_garch(ticker: str, model: str, dist: str, start: str | None, end: str | None) -> tuple[GarchSummary, Any]:
    with st.spinner(t("figures.spinner_garch")):
        summary, fig = _garch(ticker, model, dist, start, end)
    return summary, localise(fig, "garch", ticker=ticker, model=f"{model}-{dist}")


def run_var(ticker: str, level: float, method: str, horizon: int, start: str | None,
            end: str | None) -> tuple[VaRSummary, Any]:
    with st.spinner(t("figures.spinner_var")):
        summary, fig = _var(ticker, level, method, horizon, start, end)
    zone = zone_name(summary["backtest"]["basel_zone"]) if "backtest" in summary else ""
    return summary, localise(fig, "var", method=method, zone=zone)


def figure_for(name: str, args: dict[str, Any], result: Any) -> Any:
    """The figure of a successful finance tool call, else None (never raises: the chat must render)."""
    if name not in ("backtest_strategy", "value_at_risk", "fit_garch") or not isinstance(result, dict):
        return None
    if "error" in result:
        return None
    ticker = args.get("ticker", "SPY")
    try:
        if "comparison" in result:
            return comparison_figure(result)
        start, end = result.get("start") or args.get("start"), result.get("end") or args.get("end")
        if name == "backtest_strategy":
            return run_backtest(ticker, args.get("strategy", "sma-cross"), args.get("params") or {},
                                float(args.get("cost_bps", 5.0)), start, end)[1]
        if name == "value_at_risk":
            level = float(args.get("level", 0.99))
            return run_var(ticker, level / 100 if level > 1 else level, args.get("method", "historical"),
                           int(args.get("horizon_days", 1)), start, end)[1]
        return run_garch(ticker, args.get("model", "garch"), args.get("dist", "normal"), start, end)[1]
    except Exception:  # a figure is a bonus; the numbers are already in the answer
        return None


def comparison_figure(result: dict[str, Any]) -> Any:
    """One plot for a comparison: each GARCH model's conditional volatility on the same axes, or each VaR
    method's VaR and ES side by side."""
    import plotly.graph_objects as go

    runs = result["comparison"]
    fig = go.Figure()
    if result.get("kind") == "garch":
        for run in runs:
            _, vol = run_garch(result["ticker"], run["model"], run["dist"], run["start"], run["end"])
            garch = next((tr for tr in vol.data if str(tr.name).startswith("GARCH")), None)
            if garch is not None:
                fig.add_trace(go.Scatter(x=garch.x, y=garch.y, mode="lines", name=run["model"]))
        fig.update_layout(title=t("figures.compare_garch_title", ticker=result["ticker"]),
                          yaxis_title=t("figures.pct_per_year"))
        return fig
    methods = [run["method"] for run in runs]
    fig.add_trace(go.Bar(x=methods, y=[run["var_pct"] for run in runs], name="VaR"))
    fig.add_trace(go.Bar(x=methods, y=[run["es_pct"] for run in runs], name="ES"))
    fig.update_layout(barmode="group", title=t("figures.compare_var_title", ticker=result["ticker"]),
                      yaxis_title="%")
    return fig
