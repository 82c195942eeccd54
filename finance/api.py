"""JSON-ready entry points shared by the CLI (``--json``) and the agent tools.

Each ``*_summary`` function loads prices (:func:`finance.data.load_prices`), runs one analysis and returns a
typed dict (:mod:`finance.results`: :class:`~finance.results.BacktestSummary`, ``GarchSummary``,
``VaRSummary``) of plain ``float``/``int``/``str``/``list``/``dict`` values (``json.dumps``-able) that always
includes ``ticker``, ``source``, ``note``, ``start`` and ``end`` (the dates actually used). Rates are
fractions, and the most quoted ones are repeated in percent (``*_pct``). Bad names or values raise
:class:`finance.errors.FinanceError` subclasses (``ValueError``) whose message lists the valid choices.

The ``*_run`` variants return the same dict plus the computed objects (for plots in the app).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from finance.backtest import BacktestResult, backtest
from finance.data import load_prices
from finance.errors import InvalidParameterError
from finance.metrics import performance_summary
from finance.results import BacktestSummary, GarchSummary, PriceHeader, VaRBacktestSummary, VaRSummary
from finance.returns import TRADING_DAYS, returns
from finance.risk import VaRResult, normalise_method, value_at_risk
from finance.strategies import buy_hold, make_signal, normalise_strategy, strategy_params
from finance.var_backtest import VaRBacktest, var_backtest
from finance.volatility import GarchFit, ewma_volatility, fit_garch, forecast_volatility

_SLOW_METHODS = {"student-t", "monte-carlo", "garch", "fhs"}


def jsonable(x: Any) -> Any:
    """Convert numpy/pandas scalars and containers to plain Python (NaN/inf become ``None``)."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [jsonable(v) for v in x]
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        v = float(x)
        return v if math.isfinite(v) else None
    if isinstance(x, pd.Timestamp):
        return x.date().isoformat()
    return x


def _header(df: pd.DataFrame, ticker: str) -> PriceHeader:
    return {
        "ticker": ticker,
        "source": df.attrs.get("source", ""),
        "note": df.attrs.get("note", ""),
        "start": df.index[0].date().isoformat(),
        "end": df.index[-1].date().isoformat(),
        "n_days": len(df),
    }


def _prices(
    ticker: str, start: str | None, end: str | None, cache_dir: Path | None, offline: bool | None
) -> pd.DataFrame:
    return load_prices(ticker, start, end, cache_dir=cache_dir, offline=offline)


def backtest_run(
    ticker: str,
    strategy: str,
    params: dict[str, Any] | None = None,
    *,
    cost_bps: float = 5.0,
    start: str | None = None,
    end: str | None = None,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> tuple[BacktestSummary, BacktestResult, BacktestResult]:
    """Backtest a named strategy; returns (summary, strategy result, buy-and-hold result)."""
    name = normalise_strategy(strategy)
    df = _prices(ticker, start, end, cache_dir, offline)
    resolved = {**strategy_params(name), **dict(params or {})}
    res = backtest(df, make_signal(name, df["close"], params), cost_bps=cost_bps)
    bench = backtest(df, buy_hold(df["close"]), cost_bps=cost_bps)
    s = res.stats
    out: BacktestSummary = {
        **_header(df, ticker),
        "strategy": name,
        "params": resolved,
        "cost_bps": cost_bps,
        "timing": "signal at the close of day t, position held from day t+1",
        "n_trades": res.n_trades,
        "sharpe": s["sharpe"],
        "cagr": s["cagr"],
        "cagr_pct": 100 * s["cagr"],
        "max_drawdown": s["max_drawdown"],
        "max_drawdown_pct": 100 * s["max_drawdown"],
        "total_return": s["total_return"],
        "annual_volatility": s["annual_volatility"],
        "metrics": s,
        "buy_hold": {
            "cagr": bench.stats["cagr"],
            "sharpe": bench.stats["sharpe"],
            "max_drawdown": bench.stats["max_drawdown"],
            "total_return": bench.stats["total_return"],
        },
    }
    return cast(BacktestSummary, jsonable(out)), res, bench


def backtest_summary(
    ticker: str,
    strategy: str,
    params: dict[str, Any] | None = None,
    *,
    cost_bps: float = 5.0,
    start: str | None = None,
    end: str | None = None,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> BacktestSummary:
    """Backtest summary: Sharpe, CAGR, max drawdown, number of trades, costs, buy-and-hold benchmark.

    Examples
    --------
    >>> s = backtest_summary("SPY", "sma_cross", {"fast": 20, "slow": 50}, offline=True)
    >>> s["strategy"], s["n_trades"], s["source"]
    ('sma-cross', 58, 'snapshot:sp500')
    """
    return backtest_run(
        ticker,
        strategy,
        params,
        cost_bps=cost_bps,
        start=start,
        end=end,
        cache_dir=cache_dir,
        offline=offline,
    )[0]


def garch_run(
    ticker: str,
    model: str = "garch",
    dist: str = "normal",
    *,
    horizon: int = 10,
    start: str | None = None,
    end: str | None = None,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> tuple[GarchSummary, GarchFit, pd.Series, pd.Series]:
    """Fit a volatility model; returns (summary, fit, EWMA volatility, forecast), volatilities daily."""
    df = _prices(ticker, start, end, cache_dir, offline)
    r = returns(df)
    fit = fit_garch(r, model, dist)
    fc = forecast_volatility(fit, horizon)
    ewma = ewma_volatility(r)
    ann = math.sqrt(TRADING_DAYS)
    pers = fit.persistence
    uncond = None
    if fit.model in ("garch", "gjr") and pers < 1:
        uncond = math.sqrt(fit.params["omega"] / (1 - pers)) / fit.scale * ann
    out: GarchSummary = {
        **_header(df, ticker),
        "model": fit.model,
        "dist": fit.dist,
        "params": fit.params,
        "params_units": "mean and omega in percent-return units (returns x100)",
        "persistence": pers,
        "half_life_days": math.log(0.5) / math.log(pers) if 0 < pers < 1 else None,
        "loglikelihood": fit.loglikelihood,
        "aic": fit.aic,
        "bic": fit.bic,
        "converged": fit.converged,
        "last_volatility_annual_pct": 100 * float(fit.conditional_volatility.iloc[-1]) * ann,
        "ewma_volatility_annual_pct": 100 * float(ewma.iloc[-1]) * ann,
        "unconditional_volatility_annual_pct": None if uncond is None else 100 * uncond,
        "forecast_annual_pct": [100 * v * ann for v in fc.tolist()],
        "forecast_horizon_days": horizon,
    }
    return cast(GarchSummary, jsonable(out)), fit, ewma, fc


def garch_summary(
    ticker: str,
    model: str = "garch",
    dist: str = "normal",
    *,
    start: str | None = None,
    end: str | None = None,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> GarchSummary:
    """GARCH-family fit: parameters, persistence, half-life, AIC/BIC, volatility now and forecast (%/yr)."""
    return garch_run(ticker, model, dist, start=start, end=end, cache_dir=cache_dir, offline=offline)[0]


def var_run(
    ticker: str,
    level: float = 0.99,
    method: str = "historical",
    horizon_days: int = 1,
    *,
    window: int | None = None,
    refit_every: int | None = None,
    start: str | None = None,
    end: str | None = None,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> tuple[VaRSummary, VaRResult, VaRBacktest | None]:
    """VaR/ES at the last date plus a rolling one-day backtest; returns (summary, estimate, backtest)."""
    m = normalise_method(method)
    df = _prices(ticker, start, end, cache_dir, offline)
    r = returns(df)
    requested = window
    window = window or min(1000, max(250, len(r) // 2))
    if window > len(r):
        if requested:
            raise InvalidParameterError(
                f"window of {window} days is longer than the {len(r)} daily returns in the data; "
                f"use a window <= {len(r)} or an earlier start date.")
        window = len(r)  # the label says what was really used
    if window < 100:
        more = f" (the data has only {len(r)} daily returns: choose an earlier start date)" if window == len(r) else ""
        raise InvalidParameterError(f"window must be >= 100 days, got {window}{more}.")
    refit_every = refit_every or (63 if m in _SLOW_METHODS else 21)
    est = value_at_risk(r.iloc[-window:], level, m, horizon_days)
    out: VaRSummary = {
        **_header(df, ticker),
        "method": m,
        "level": level,
        "horizon_days": horizon_days,
        "window": window,
        "as_of": r.index[-1].date().isoformat(),
        "var": est.var,
        "var_pct": 100 * est.var,
        "es": est.es,
        "es_pct": 100 * est.es,
        "convention": "VaR and ES are positive loss fractions of the position value",
        "details": est.details,
    }
    bt = None
    if len(r) >= window + 20:
        bt = var_backtest(r, level, m, window=window, refit_every=refit_every)
        t = bt.tests
        backtest_out: VaRBacktestSummary = {
            "horizon_days": 1,
            "refit_every": refit_every,
            "start": bt.var.index[0].date().isoformat(),
            "n": t["n"],
            "n_exceed": t["n_exceed"],
            "expected": t["expected"],
            "rate": t["rate"],
            "kupiec_lr": t["kupiec"]["lr"],
            "kupiec_p": t["kupiec"]["p_value"],
            "christoffersen_ind_lr": t["christoffersen"]["lr_ind"],
            "christoffersen_ind_p": t["christoffersen"]["p_value_ind"],
            "christoffersen_cc_lr": t["christoffersen"]["lr_cc"],
            "christoffersen_cc_p": t["christoffersen"]["p_value_cc"],
            "basel_zone": t["zone"],
            "last_250_exceed": t["last_250_exceed"],
            "last_250_zone": t["last_250_zone"],
        }
        out["backtest"] = backtest_out
    return cast(VaRSummary, jsonable(out)), est, bt


def var_summary(
    ticker: str,
    level: float = 0.99,
    method: str = "historical",
    horizon_days: int = 1,
    *,
    window: int | None = None,
    refit_every: int | None = None,
    start: str | None = None,
    end: str | None = None,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> VaRSummary:
    """VaR and ES (fraction and %) on the last ``window`` days, with a rolling out-of-sample backtest
    (Kupiec and Christoffersen p-values, Basel zone) when the data are long enough.

    ``window`` defaults to 1000 days (or half the sample); ``refit_every`` to 21 days (63 for the slower
    student-t, monte-carlo, garch and fhs methods).
    """
    return var_run(
        ticker,
        level,
        method,
        horizon_days,
        window=window,
        refit_every=refit_every,
        start=start,
        end=end,
        cache_dir=cache_dir,
        offline=offline,
    )[0]


def performance(returns_: pd.Series) -> dict[str, Any]:
    """:func:`finance.metrics.performance_summary` as plain Python values."""
    return cast(dict[str, Any], jsonable(performance_summary(returns_)))
