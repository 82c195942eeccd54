"""Page: Finance lab — strategy backtests, GARCH volatility and VaR with its backtest (live or offline)."""

from __future__ import annotations

import warnings

import streamlit as st

from app.figures import run_backtest, run_garch, run_var
from finance import plots
from finance.backtest import overfitting_report, sma_sweep
from finance.data import load_prices
from finance.errors import FinanceError
from finance.risk import METHODS
from finance.strategies import STRATEGIES, strategy_params
from knowledge.config import get_settings


def _param_inputs(strategy: str) -> list[tuple[str, float]]:
    """The strategy's numeric knobs and their defaults, read from its signature (flags such as ``allow_short``
    are left at their default)."""
    return [
        (name, default)
        for name, default in strategy_params(strategy).items()
        if isinstance(default, int | float) and not isinstance(default, bool)
    ]


def _dates(key: str) -> tuple[str | None, str | None]:
    c1, c2 = st.columns(2)
    start = c1.text_input("Start (YYYY-MM-DD, optional)", "", key=f"{key}_start") or None
    end = c2.text_input("End (YYYY-MM-DD, optional)", "", key=f"{key}_end") or None
    return start, end


@st.cache_data(show_spinner="Sweeping 1,000 parameter pairs…")
def run_sweep(ticker: str, cost_bps: float, start: str | None, end: str | None):
    df = load_prices(ticker, start, end, cache_dir=get_settings().cache_dir / "prices")
    sw = sma_sweep(df, list(range(5, 105, 5)), list(range(60, 310, 5)), cost_bps=cost_bps)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = overfitting_report(sw)
    return report, [str(w.message) for w in caught], plots.sweep_heatmap(sw.table)


def backtest_tab() -> None:
    strategy = st.selectbox("Strategy", list(STRATEGIES), index=1, key="bt_strategy")
    with st.form("backtest_form"):
        ticker = st.text_input("Ticker or CSV/parquet path", "SPY", key="bt_ticker")
        params = {}
        inputs = _param_inputs(strategy)
        cols = st.columns(max(1, len(inputs)))
        for col, (name, default) in zip(cols, inputs, strict=False):
            params[name] = col.number_input(name, value=default, key=f"bt_{strategy}_{name}")
        cost = st.number_input("Costs (bps per unit traded)", 0.0, 100.0, 5.0, key="bt_cost")
        start, end = _dates("bt")
        sweep = st.checkbox("Also sweep 1,000 SMA pairs (overfitting check)", key="bt_sweep")
        submitted = st.form_submit_button("Run backtest")
    if not submitted:
        return
    try:
        summary, fig = run_backtest(ticker, strategy, params, cost, start, end)
    except FinanceError as exc:
        st.error(str(exc))
        return
    st.caption(summary["note"])
    c = st.columns(4)
    c[0].metric("CAGR", f"{summary['cagr_pct']:.2f} %")
    c[1].metric("Sharpe", f"{summary['sharpe']:.2f}")
    c[2].metric("Max drawdown", f"{summary['max_drawdown_pct']:.1f} %")
    c[3].metric("Trades", summary["n_trades"])
    st.plotly_chart(fig)
    if sweep:
        report, msgs, heat = run_sweep(ticker, cost, start, end)
        st.plotly_chart(heat)
        st.write(
            f"Best of {int(report['n_trials'])} pairs: fast {int(report['best_fast'])}, slow "
            f"{int(report['best_slow'])}, Sharpe {report['best_sharpe']:.2f}, deflated Sharpe ratio "
            f"{report['deflated_sharpe']:.2f}"
        )
        for m in msgs:
            st.warning(m)


def garch_tab() -> None:
    with st.form("garch_form"):
        ticker = st.text_input("Ticker or CSV/parquet path", "SPY", key="g_ticker")
        c1, c2 = st.columns(2)
        model = c1.selectbox("Model", ["garch", "gjr", "egarch"], key="g_model")
        dist = c2.selectbox("Errors", ["normal", "t", "skewt"], key="g_dist")
        start, end = _dates("g")
        submitted = st.form_submit_button("Fit model")
    if not submitted:
        return
    try:
        summary, fig = run_garch(ticker, model, dist, start, end)
    except FinanceError as exc:
        st.error(str(exc))
        return
    st.caption(summary["note"])
    c = st.columns(3)
    c[0].metric("Volatility now", f"{summary['last_volatility_annual_pct']:.1f} %/yr")
    c[1].metric("Persistence", f"{summary['persistence']:.4f}")
    c[2].metric("BIC", f"{summary['bic']:.1f}")
    if not summary["converged"]:
        st.warning("The optimiser did not converge cleanly: try dist 't' or a longer sample.")
    st.plotly_chart(fig)
    st.json(summary["params"])


def var_tab() -> None:
    with st.form("var_form"):
        ticker = st.text_input("Ticker or CSV/parquet path", "SPY", key="v_ticker")
        c1, c2, c3 = st.columns(3)
        level = c1.selectbox("Level", [0.99, 0.975, 0.95], key="v_level")
        method = c2.selectbox("Method", list(METHODS), index=METHODS.index("garch"), key="v_method")
        horizon = int(c3.number_input("Horizon (days)", 1, 250, 1, key="v_horizon"))
        start, end = _dates("v")
        submitted = st.form_submit_button("Compute VaR")
    if not submitted:
        return
    try:
        summary, fig = run_var(ticker, level, method, horizon, start, end)
    except FinanceError as exc:
        st.error(str(exc))
        return
    st.caption(summary["note"])
    c = st.columns(3)
    c[0].metric(f"VaR {100 * level:g} % ({horizon} d)", f"{summary['var_pct']:.2f} %")
    c[1].metric("Expected shortfall", f"{summary['es_pct']:.2f} %")
    if "backtest" in summary:
        b = summary["backtest"]
        c[2].metric("Basel zone", b["basel_zone"])
        st.write(
            f"Out-of-sample 1-day backtest: {b['n_exceed']} exceedances for {b['expected']:.1f} expected; "
            f"Kupiec p = {b['kupiec_p']:.3f}, "
            f"Christoffersen independence p = {b['christoffersen_ind_p']:.3f}, "
            f"conditional coverage p = {b['christoffersen_cc_p']:.3f}."
        )
    if fig is not None:
        st.plotly_chart(fig)


st.title("Finance lab")
st.caption(
    "Prices come from Yahoo Finance when online, otherwise from offline snapshots (S&P 500, NASDAQ, "
    "GOOG, WTI, VIX). Signals use the close of day t and trade for day t+1."
)
tab_bt, tab_garch, tab_var = st.tabs(["Backtest", "GARCH", "VaR"])
with tab_bt:
    backtest_tab()
with tab_garch:
    garch_tab()
with tab_var:
    var_tab()
