"""The typed contracts of :mod:`finance.api`: what each ``*_summary`` returns.

Each summary is a JSON-ready ``dict`` (plain ``float``/``int``/``str``/``list``/``dict``; NaN and infinities
become ``None``), typed here as a :class:`~typing.TypedDict` so that the CLI, the agent tools, the phrasing
of their answers and the app's pages read the same keys and mypy catches a renamed one. Rates are fractions;
``*_pct`` keys repeat the most quoted ones in percent.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class PriceHeader(TypedDict):
    """What every summary starts with: the data actually used."""

    ticker: str
    source: str
    note: str
    start: str
    end: str
    n_days: int


class BuyHoldSummary(TypedDict):
    """The buy-and-hold benchmark over the same period and costs."""

    cagr: float | None
    sharpe: float | None
    max_drawdown: float | None
    total_return: float | None


class BacktestSummary(PriceHeader):
    """:func:`finance.api.backtest_summary`: a strategy's backtest and its buy-and-hold benchmark."""

    strategy: str
    params: dict[str, Any]
    cost_bps: float
    timing: str
    n_trades: int
    sharpe: float | None
    cagr: float | None
    cagr_pct: float | None
    max_drawdown: float | None
    max_drawdown_pct: float | None
    total_return: float | None
    annual_volatility: float | None
    metrics: dict[str, Any]
    buy_hold: BuyHoldSummary


class GarchSummary(PriceHeader):
    """:func:`finance.api.garch_summary`: a fitted volatility model; volatilities in percent a year."""

    model: str
    dist: str
    params: dict[str, float]
    params_units: str
    persistence: float
    half_life_days: float | None
    loglikelihood: float
    aic: float
    bic: float
    converged: bool
    last_volatility_annual_pct: float
    ewma_volatility_annual_pct: float
    unconditional_volatility_annual_pct: float | None
    forecast_annual_pct: list[float]
    forecast_horizon_days: int


class VaRBacktestSummary(TypedDict):
    """The rolling one-day out-of-sample backtest of a VaR method (Kupiec, Christoffersen, Basel zone)."""

    horizon_days: int
    refit_every: int
    start: str
    n: int
    n_exceed: int
    expected: float
    rate: float
    kupiec_lr: float | None
    kupiec_p: float | None
    christoffersen_ind_lr: float | None
    christoffersen_ind_p: float | None
    christoffersen_cc_lr: float | None
    christoffersen_cc_p: float | None
    basel_zone: str
    last_250_exceed: int
    last_250_zone: str


class VaRSummary(PriceHeader):
    """:func:`finance.api.var_summary`: VaR and ES as positive loss fractions, with ``backtest`` when the
    data are long enough."""

    method: str
    level: float
    horizon_days: int
    window: int
    as_of: str
    var: float
    var_pct: float
    es: float
    es_pct: float
    convention: str
    details: dict[str, Any]
    backtest: NotRequired[VaRBacktestSummary]
