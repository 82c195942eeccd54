"""Page: Finance lab — strategy backtests, GARCH volatility and VaR with its backtest (live or offline)."""

from __future__ import annotations

import logging
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from app.figures import localise, run_backtest, run_garch, run_var, zone_name
from app.i18n import strings, t
from finance import plots
from finance.backtest import overfitting_report, sma_sweep
from finance.data import load_prices
from finance.errors import FinanceError, UnknownTickerError
from finance.risk import METHODS
from finance.strategies import STRATEGIES, strategy_params
from knowledge.config import get_settings

log = logging.getLogger(__name__)
EARLIEST, TODAY = date(1950, 1, 1), date.today()
PRICE_FILES = {".csv", ".parquet", ".txt"}  # a "ticker" with one of these suffixes is the learner's own file


def _param_inputs(strategy: str) -> list[tuple[str, float]]:
    """The strategy's numeric knobs and their defaults, read from its signature (flags such as ``allow_short``
    are left at their default)."""
    return [
        (name, default)
        for name, default in strategy_params(strategy).items()
        if isinstance(default, int | float) and not isinstance(default, bool)
    ]


@st.cache_data(show_spinner=False, max_entries=16)
def data_range(ticker: str) -> tuple[date, date, str]:
    """First and last dates of the prices available for ``ticker``, and where they come from."""
    df = load_prices(ticker, cache_dir=get_settings().cache_dir / "prices")
    return df.index[0].date(), df.index[-1].date(), str(df.attrs.get("source", ""))


def _label(kind: str, name: str) -> str:
    """The French (or English) name of a strategy, parameter, method or distribution; the code name if none."""
    key = f"finance.{kind}_{name.replace('-', '_')}"
    return t(key) if key in strings("fr") else name


def _dates(key: str) -> tuple[date | None, date | None]:
    c1, c2 = st.columns(2)
    start = c1.date_input(t("finance.start"), value=None, min_value=EARLIEST, max_value=TODAY, key=f"{key}_start",
                          format="DD/MM/YYYY")
    end = c2.date_input(t("finance.end"), value=None, min_value=EARLIEST, max_value=TODAY, key=f"{key}_end",
                        format="DD/MM/YYYY")
    return start, end  # type: ignore[return-value]


def _fmt(day: date | str) -> str:
    return (date.fromisoformat(day) if isinstance(day, str) else day).strftime("%d/%m/%Y")


def _finance_error(exc: FinanceError, ticker: str) -> str:
    """One French sentence for a finance error (the English detail goes to the log)."""
    log.info("finance lab: %s", exc)
    if isinstance(exc, UnknownTickerError):
        return t("finance.unknown_ticker", ticker=ticker, choices=", ".join(map(str, exc.valid)))
    return t("finance.bad_data", ticker=ticker)


def checked_inputs(ticker: str, start: date | None, end: date | None) -> tuple[str, str | None, str | None] | None:
    """The ticker and ISO dates to use, or ``None`` after showing what to change (one French sentence)."""
    ticker = ticker.strip()
    if not ticker:
        st.error(t("finance.ticker_empty"))
        return None
    if Path(ticker).suffix.lower() in PRICE_FILES and not Path(ticker).expanduser().is_file():
        st.error(t("finance.file_missing", path=ticker))
        return None
    if start is not None and end is not None and end <= start:
        st.error(t("finance.end_before_start", start=_fmt(start), end=_fmt(end)))
        return None
    try:
        first, last, _ = data_range(ticker)
    except FinanceError as exc:
        st.error(_finance_error(exc, ticker))
        return None
    if (start is not None and start > last) or (end is not None and end < first):
        st.error(t("finance.out_of_range", ticker=ticker, first=_fmt(first), last=_fmt(last)))
        return None
    return ticker, start.isoformat() if start else None, end.isoformat() if end else None


def _source_note(summary: Any) -> None:
    """Where the prices come from and the period actually used, in French."""
    source = str(summary.get("source", ""))
    kind = source.split(":", 1)[0] if source else "unknown"
    origin = t(f"finance.source_{kind}") if kind in ("snapshot", "yfinance", "cache", "file") else source
    st.caption(t("finance.period_used", origin=origin, start=_fmt(summary["start"]), end=_fmt(summary["end"]),
                 days=summary.get("n_days", "?")))


@st.cache_data(show_spinner=False)
def _sweep(ticker: str, cost_bps: float, start: str | None, end: str | None) -> tuple[Any, list[str], Any]:
    df = load_prices(ticker, start, end, cache_dir=get_settings().cache_dir / "prices")
    sw = sma_sweep(df, list(range(5, 105, 5)), list(range(60, 310, 5)), cost_bps=cost_bps)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = overfitting_report(sw)
    return report, [type(w.message).__name__ for w in caught], plots.sweep_heatmap(sw.table)


def _show_sweep(ticker: str, cost: float, start: str | None, end: str | None) -> None:
    with st.spinner(t("finance.sweeping")):
        report, warned, heat = _sweep(ticker, cost, start, end)
    st.plotly_chart(localise(heat, "sweep", value="Sharpe"))
    st.write(t("finance.sweep_result", n=int(report["n_trials"]), fast=int(report["best_fast"]),
               slow=int(report["best_slow"]), sharpe=f"{report['best_sharpe']:.2f}",
               dsr=f"{report['deflated_sharpe']:.2f}"))
    if warned:
        st.warning(t("finance.sweep_overfit"))


def backtest_tab() -> None:
    strategy = st.selectbox(t("finance.strategy"), list(STRATEGIES), index=1, key="bt_strategy",
                            format_func=lambda n: _label("strategy", n))
    with st.form("backtest_form"):
        ticker = st.text_input(t("finance.ticker"), "SPY", key="bt_ticker", help=t("finance.ticker_help"))
        params = {}
        inputs = _param_inputs(strategy)
        cols = st.columns(max(1, len(inputs)))
        for col, (name, default) in zip(cols, inputs, strict=False):
            params[name] = col.number_input(_label("param", name), value=default, key=f"bt_{strategy}_{name}")
        cost = st.number_input(t("finance.costs"), 0.0, 100.0, 5.0, key="bt_cost")
        start, end = _dates("bt")
        sweep = st.checkbox(t("finance.sweep"), key="bt_sweep")
        submitted = st.form_submit_button(t("finance.run_backtest"))
    if not submitted or (checked := checked_inputs(ticker, start, end)) is None:
        return
    ticker, first, last = checked
    try:
        summary, fig = run_backtest(ticker, strategy, params, cost, first, last)
    except FinanceError as exc:
        st.error(_finance_error(exc, ticker))
        return
    _source_note(summary)
    c = st.columns(4)
    c[0].metric(t("finance.cagr"), f"{summary['cagr_pct']:.2f} %")
    c[1].metric(t("finance.sharpe"), f"{summary['sharpe']:.2f}")
    c[2].metric(t("finance.max_drawdown"), f"{summary['max_drawdown_pct']:.1f} %")
    c[3].metric(t("finance.trades"), summary["n_trades"])
    st.plotly_chart(fig)
    if sweep:
        _show_sweep(ticker, cost, first, last)


def garch_tab() -> None:
    with st.form("garch_form"):
        ticker = st.text_input(t("finance.ticker"), "SPY", key="g_ticker", help=t("finance.ticker_help"))
        c1, c2 = st.columns(2)
        model = c1.selectbox(t("finance.model"), ["garch", "gjr", "egarch"], key="g_model")
        dist = c2.selectbox(t("finance.errors"), ["normal", "t", "skewt"], key="g_dist",
                            format_func=lambda n: _label("dist", n))
        start, end = _dates("g")
        submitted = st.form_submit_button(t("finance.fit"))
    if not submitted or (inputs := checked_inputs(ticker, start, end)) is None:
        return
    ticker, first, last = inputs
    try:
        summary, fig = run_garch(ticker, model, dist, first, last)
    except FinanceError as exc:
        st.error(_finance_error(exc, ticker))
        return
    _source_note(summary)
    c = st.columns(3)
    c[0].metric(t("finance.vol_now"), t("finance.pct_year", value=f"{summary['last_volatility_annual_pct']:.1f}"))
    c[1].metric(t("finance.persistence"), f"{summary['persistence']:.4f}")
    c[2].metric(t("finance.bic"), f"{summary['bic']:.1f}")
    if not summary["converged"]:
        st.warning(t("finance.not_converged"))
    st.plotly_chart(fig)
    st.dataframe([{t("finance.parameter"): k, t("finance.value"): v} for k, v in summary["params"].items()],
                 hide_index=True)


def var_tab() -> None:
    with st.form("var_form"):
        ticker = st.text_input(t("finance.ticker"), "SPY", key="v_ticker", help=t("finance.ticker_help"))
        c1, c2, c3 = st.columns(3)
        level = c1.selectbox(t("finance.level"), [0.99, 0.975, 0.95], key="v_level", format_func=lambda x: f"{x:.1%}")
        method = c2.selectbox(t("finance.method"), list(METHODS), index=METHODS.index("garch"), key="v_method",
                              format_func=lambda n: _label("method", n))
        horizon = int(c3.number_input(t("finance.horizon"), 1, 250, 1, key="v_horizon"))
        start, end = _dates("v")
        submitted = st.form_submit_button(t("finance.compute_var"))
    if not submitted or (inputs := checked_inputs(ticker, start, end)) is None:
        return
    ticker, first, last = inputs
    try:
        summary, fig = run_var(ticker, level, method, horizon, first, last)
    except FinanceError as exc:
        st.error(_finance_error(exc, ticker))
        return
    _source_note(summary)
    c = st.columns(3)
    c[0].metric(t("finance.var", level=f"{100 * level:g}", horizon=horizon), f"{summary['var_pct']:.2f} %")
    c[1].metric(t("finance.es"), f"{summary['es_pct']:.2f} %")
    if "backtest" in summary:
        b = summary["backtest"]
        c[2].metric(t("finance.basel_zone"), zone_name(b["basel_zone"]))
        st.write(t("finance.var_backtest", n=b["n_exceed"], expected=f"{b['expected']:.1f}",
                   kupiec=f"{b['kupiec_p']:.3f}", ind=f"{b['christoffersen_ind_p']:.3f}",
                   cc=f"{b['christoffersen_cc_p']:.3f}"))
    if fig is not None:
        st.plotly_chart(fig)


st.title(t("finance.title"))
st.caption(t("finance.intro"))
tab_bt, tab_garch, tab_var = st.tabs([t("finance.tab_backtest"), "GARCH", "VaR"])
with tab_bt:
    backtest_tab()
with tab_garch:
    garch_tab()
with tab_var:
    var_tab()
