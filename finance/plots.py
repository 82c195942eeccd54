"""Plotly figures for the finance toolbox. Figures only: no computation beyond reshaping for display."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from finance.backtest import BacktestResult
from finance.metrics import drawdown
from finance.returns import TRADING_DAYS
from finance.var_backtest import VaRBacktest


def equity_drawdown_figure(
    result: BacktestResult, benchmark: BacktestResult | None = None, *, title: str = "Equity and drawdown"
) -> go.Figure:
    """Equity curve (growth of 1) on top, drawdown in % below; optional buy-and-hold benchmark."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3], vertical_spacing=0.05)
    fig.add_trace(go.Scatter(x=result.equity.index, y=result.equity, name="strategy"), row=1, col=1)
    if benchmark is not None:
        fig.add_trace(
            go.Scatter(
                x=benchmark.equity.index, y=benchmark.equity, name="buy and hold", line={"dash": "dot"}
            ),
            row=1,
            col=1,
        )
    dd = 100 * drawdown(result.returns)
    fig.add_trace(
        go.Scatter(x=dd.index, y=dd, name="drawdown %", fill="tozeroy", line={"color": "firebrick"}),
        row=2,
        col=1,
    )
    fig.update_yaxes(title_text="growth of 1", row=1, col=1)
    fig.update_yaxes(title_text="drawdown %", row=2, col=1)
    fig.update_layout(title=title, hovermode="x unified")
    return fig


def volatility_figure(
    returns: pd.Series,
    garch_vol: pd.Series | None = None,
    ewma_vol: pd.Series | None = None,
    *,
    rolling_window: int = 21,
    title: str = "Annualised volatility",
) -> go.Figure:
    """Rolling realised volatility, GARCH conditional and EWMA volatility, all in % a year."""
    ann = 100 * np.sqrt(TRADING_DAYS)
    fig = go.Figure()
    roll = returns.rolling(rolling_window).std() * ann
    fig.add_trace(
        go.Scatter(x=roll.index, y=roll, name=f"rolling {rolling_window}d", line={"color": "lightgray"})
    )
    if ewma_vol is not None:
        fig.add_trace(go.Scatter(x=ewma_vol.index, y=ewma_vol * ann, name="EWMA λ=0.94"))
    if garch_vol is not None:
        fig.add_trace(go.Scatter(x=garch_vol.index, y=garch_vol * ann, name="GARCH"))
    fig.update_layout(title=title, yaxis_title="% per year", hovermode="x unified")
    return fig


def var_figure(bt: VaRBacktest, *, title: str | None = None) -> go.Figure:
    """Daily returns, the (negative) VaR line and the exceedances marked with red crosses, in %."""
    hits = bt.exceedances
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=bt.returns.index,
            y=100 * bt.returns,
            mode="markers",
            name="daily return",
            marker={"size": 3, "color": "steelblue"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=bt.var.index, y=-100 * bt.var, name=f"-VaR {100 * bt.level:g} %", line={"color": "black"}
        )
    )
    fig.add_trace(
        go.Scatter(
            x=bt.returns.index[hits],
            y=100 * bt.returns[hits],
            mode="markers",
            name=f"exceedances ({int(hits.sum())})",
            marker={"symbol": "x", "size": 8, "color": "red"},
        )
    )
    fig.update_layout(
        title=title or f"{bt.method} VaR backtest ({bt.tests.get('zone', '')} zone)",
        yaxis_title="%",
        hovermode="x unified",
    )
    return fig


def frontier_figure(
    frontier: pd.DataFrame,
    assets: pd.DataFrame | None = None,
    special: dict[str, tuple[float, float]] | None = None,
    *,
    title: str = "Efficient frontier",
) -> go.Figure:
    """Frontier (``volatility``, ``return`` columns, annual fractions) with assets and named points, in %."""
    fig = go.Figure(go.Scatter(x=100 * frontier["volatility"], y=100 * frontier["return"], name="frontier"))
    if assets is not None:
        fig.add_trace(
            go.Scatter(
                x=100 * assets["volatility"],
                y=100 * assets["return"],
                mode="markers+text",
                text=list(assets.index),
                textposition="top center",
                name="assets",
            )
        )
    for name, (vol, ret) in (special or {}).items():
        fig.add_trace(
            go.Scatter(
                x=[100 * vol], y=[100 * ret], mode="markers", name=name, marker={"size": 12, "symbol": "star"}
            )
        )
    fig.update_layout(title=title, xaxis_title="volatility % / year", yaxis_title="return % / year")
    return fig


def sweep_heatmap(table: pd.DataFrame, value: str = "sharpe", *, title: str | None = None) -> go.Figure:
    """Heatmap of a sweep metric over (fast, slow) windows."""
    grid = table.pivot(index="fast", columns="slow", values=value)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=grid.columns.astype(str),
            y=grid.index.astype(str),
            colorscale="RdBu",
            zmid=0.0,
            colorbar={"title": value},
        )
    )
    fig.update_layout(
        title=title or f"SMA sweep: {value}", xaxis_title="slow window", yaxis_title="fast window"
    )
    return fig
