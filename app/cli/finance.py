"""Finance commands: ``backtest``, ``garch`` and ``var``.

Thin wrappers over :mod:`finance.api`; prices are cached under ``$QT_HOME/cache/prices`` and served from the
offline snapshots when there is no network.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer

from app.cli.common import emit_json, parse_iso, user_errors
from finance.results import PriceHeader

app = typer.Typer()


def _cache_dir() -> Path:
    from knowledge.config import get_settings

    return get_settings().cache_dir / "prices"


def _percent(fraction: float | None) -> float:
    """A fraction in percent; ``None`` (a NaN in the JSON-ready summary) prints as ``nan``."""
    return math.nan if fraction is None else 100 * fraction


def _emit(summary: PriceHeader, as_json: bool, lines: list[str]) -> None:
    if as_json:
        emit_json(summary)
        return
    typer.echo(f"{summary['ticker']} {summary['start']} -> {summary['end']} ({summary['n_days']} days)")
    typer.echo(f"Data: {summary['note']}")
    for line in lines:
        typer.echo(line)


@app.command("backtest")
def backtest_cmd(
    ticker: str = typer.Option(
        "SPY", help="Ticker (SPY, ^GSPC, QQQ, GOOG, WTI...) or a CSV/parquet path."
    ),
    strategy: str = typer.Option(
        "sma-cross", help="buy-hold, sma-cross, momentum, mean-reversion, bollinger, rsi."
    ),
    fast: int | None = typer.Option(None, help="sma-cross: fast SMA window (days)."),
    slow: int | None = typer.Option(None, help="sma-cross: slow SMA window (days)."),
    lookback: int | None = typer.Option(None, help="momentum: lookback (days)."),
    window: int | None = typer.Option(None, help="mean-reversion, bollinger, rsi: window (days)."),
    short: bool = typer.Option(False, "--short", help="Allow short positions."),
    cost_bps: float = typer.Option(5.0, help="Costs per unit traded, basis points."),
    start: str | None = typer.Option(None, help="First date, YYYY-MM-DD (or JJ/MM/AAAA, day first)."),
    end: str | None = typer.Option(None, help="Last date, YYYY-MM-DD (or JJ/MM/AAAA, day first)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """Backtest a trading strategy (signal at close t, traded for t+1, costs in bps)."""
    from finance.api import backtest_summary

    params: dict[str, Any] = {
        k: v
        for k, v in {"fast": fast, "slow": slow, "lookback": lookback, "window": window}.items()
        if v is not None
    }
    if short:
        params["allow_short"] = True
    first, last = parse_iso(start, "--start"), parse_iso(end, "--end")
    with user_errors():
        s = backtest_summary(
            ticker, strategy, params, cost_bps=cost_bps, start=first, end=last, cache_dir=_cache_dir()
        )
    bh = s["buy_hold"]
    _emit(
        s,
        as_json,
        [
            f"Strategy {s['strategy']} {s['params']}, costs {s['cost_bps']} bps, {s['n_trades']} trades",
            f"CAGR {s['cagr_pct']:.2f} %  Sharpe {s['sharpe']:.2f}  "
            f"max drawdown {s['max_drawdown_pct']:.1f} %",
            f"Buy and hold: CAGR {_percent(bh['cagr']):.2f} %  Sharpe {bh['sharpe']:.2f}  "
            f"max drawdown {_percent(bh['max_drawdown']):.1f} %",
        ],
    )
    if s["n_trades"] == 0 and not as_json:
        typer.secho(f"Note: 0 trades with {s['params']} over {s.get('n_days', '?')} days of data; a window "
                    "longer than the data never gives a signal: choose smaller windows or an earlier --start.",
                    err=True, fg=typer.colors.YELLOW)


@app.command("garch")
def garch_cmd(
    ticker: str = typer.Option("SPY", help="Ticker or CSV/parquet path."),
    model: str = typer.Option("garch", help="garch, gjr or egarch."),
    dist: str = typer.Option("normal", help="normal, t or skewt."),
    start: str | None = typer.Option(None, help="First date, YYYY-MM-DD (or JJ/MM/AAAA, day first)."),
    end: str | None = typer.Option(None, help="Last date, YYYY-MM-DD (or JJ/MM/AAAA, day first)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """Fit a GARCH-family volatility model and forecast volatility."""
    from finance.api import garch_summary

    first, last = parse_iso(start, "--start"), parse_iso(end, "--end")
    with user_errors():
        s = garch_summary(ticker, model, dist, start=first, end=last, cache_dir=_cache_dir())
    params = ", ".join(f"{k}={v:.4g}" for k, v in s["params"].items())
    _emit(
        s,
        as_json,
        [
            f"{s['model'].upper()}-{s['dist']}: {params}",
            f"Persistence {s['persistence']:.4f}, AIC {s['aic']:.1f}, BIC {s['bic']:.1f}",
            f"Volatility now {s['last_volatility_annual_pct']:.1f} %/yr "
            f"(EWMA {s['ewma_volatility_annual_pct']:.1f} %),"
            f" in {s['forecast_horizon_days']} days {s['forecast_annual_pct'][-1]:.1f} %/yr",
        ],
    )


@app.command("var")
def var_cmd(
    ticker: str = typer.Option("SPY", help="Ticker or CSV/parquet path."),
    level: float = typer.Option(0.99, help="Confidence level, e.g. 0.99."),
    method: str = typer.Option(
        "historical", help="historical, normal, student-t, cornish-fisher, monte-carlo, garch or fhs."
    ),
    horizon: int = typer.Option(1, help="Horizon in trading days."),
    window: int | None = typer.Option(None, help="Estimation window (days); default 1000."),
    start: str | None = typer.Option(None, help="First date, YYYY-MM-DD (or JJ/MM/AAAA, day first)."),
    end: str | None = typer.Option(None, help="Last date, YYYY-MM-DD (or JJ/MM/AAAA, day first)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """Value at Risk and Expected Shortfall, with a rolling backtest (Kupiec, Christoffersen, Basel)."""
    from finance.api import var_summary

    first, last = parse_iso(start, "--start"), parse_iso(end, "--end")
    with user_errors():
        s = var_summary(
            ticker, level, method, horizon, window=window, start=first, end=last, cache_dir=_cache_dir()
        )
    lines = [
        f"{100 * level:g} % {horizon}-day VaR ({s['method']}) on {s['as_of']}: {s['var_pct']:.2f} %, "
        f"ES {s['es_pct']:.2f} %"
    ]
    if "backtest" in s:
        b = s["backtest"]
        lines.append(
            f"Backtest {b['start']}..: {b['n_exceed']} exceedances for {b['expected']:.1f} expected; "
            f"Kupiec p={b['kupiec_p']:.3f}, Christoffersen cc p={b['christoffersen_cc_p']:.3f}, "
            f"Basel zone {b['basel_zone']}"
        )
    _emit(s, as_json, lines)
