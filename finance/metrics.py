"""Performance metrics of a daily return series (simple returns, 252 trading days a year).

Every function takes simple daily returns :math:`R_t` (a :class:`pandas.Series`, NaN-free) and returns a
float;
:func:`performance_summary` gathers them into a JSON-ready dict. The equity curve is
:math:`E_t = \\prod_{s \\le t} (1 + R_s)` starting from :math:`E_0 = 1`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finance.returns import TRADING_DAYS


def equity_curve(returns: pd.Series) -> pd.Series:
    """Growth of 1 invested: :math:`E_t = \\prod_{s\\le t}(1+R_s)`."""
    return (1.0 + returns).cumprod()


def cagr(returns: pd.Series, periods_per_year: int = TRADING_DAYS) -> float:
    """Compound annual growth rate.

    .. math:: \\text{CAGR} = E_T^{\\,252/T} - 1

    Examples
    --------
    >>> round(cagr(pd.Series([0.01] * 252)), 4)
    11.274
    """
    n = len(returns)
    if n == 0:
        return 0.0
    final = float(np.prod(1.0 + returns.to_numpy()))
    return final ** (periods_per_year / n) - 1.0 if final > 0 else -1.0


def annual_volatility(returns: pd.Series, periods_per_year: int = TRADING_DAYS) -> float:
    """Annualised volatility :math:`\\sigma = s(R)\\sqrt{252}` with the sample standard deviation (ddof=1)."""
    return float(returns.std(ddof=1) * np.sqrt(periods_per_year)) if len(returns) > 1 else 0.0


def sharpe_ratio(returns: pd.Series, rf: float = 0.0, periods_per_year: int = TRADING_DAYS) -> float:
    """Annualised Sharpe ratio of daily excess returns (``rf`` is an annual rate, converted as ``rf/252``).

    .. math:: SR = \\sqrt{252}\\,\\frac{\\overline{R - r_f}}{s(R - r_f)}
    """
    ex = returns - rf / periods_per_year
    sd = float(ex.std(ddof=1)) if len(ex) > 1 else 0.0
    return float(ex.mean() / sd * np.sqrt(periods_per_year)) if sd > 0 else 0.0


def sortino_ratio(returns: pd.Series, rf: float = 0.0, periods_per_year: int = TRADING_DAYS) -> float:
    """Annualised Sortino ratio, downside deviation over all days with target ``rf``.

    .. math:: SO = \\sqrt{252}\\,\\frac{\\overline{R - r_f}}{\\sqrt{\\tfrac1T\\sum_t \\min(R_t - r_f, 0)^2}}
    """
    ex = (returns - rf / periods_per_year).to_numpy()
    dd = float(np.sqrt(np.mean(np.minimum(ex, 0.0) ** 2))) if len(ex) else 0.0
    return float(ex.mean() / dd * np.sqrt(periods_per_year)) if dd > 0 else 0.0


def drawdown(returns: pd.Series) -> pd.Series:
    """Drawdown series :math:`D_t = E_t / \\max_{s\\le t} E_s - 1 \\le 0` (the peak includes the start, 1)."""
    eq = equity_curve(returns)
    peak = np.maximum(eq.cummax(), 1.0)
    return eq / peak - 1.0


def max_drawdown(returns: pd.Series) -> float:
    """Maximum drawdown as a positive fraction :math:`\\max_t (-D_t)`."""
    return float(-drawdown(returns).min()) if len(returns) else 0.0


def max_drawdown_duration(returns: pd.Series) -> int:
    """Longest stretch, in trading days, spent below a previous equity peak."""
    under = (drawdown(returns) < 0).to_numpy()
    best = run = 0
    for flag in under:
        run = run + 1 if flag else 0
        best = max(best, run)
    return int(best)


def calmar_ratio(returns: pd.Series, periods_per_year: int = TRADING_DAYS) -> float:
    """Calmar ratio :math:`\\text{CAGR} / \\text{MDD}` (0 when there is no drawdown)."""
    mdd = max_drawdown(returns)
    return cagr(returns, periods_per_year) / mdd if mdd > 0 else 0.0


def hit_rate(returns: pd.Series, positions: pd.Series | None = None) -> float:
    """Share of winning days among days in the market (all days if ``positions`` is ``None``)."""
    r = returns if positions is None else returns[positions.reindex(returns.index).fillna(0.0) != 0]
    return float((r > 0).mean()) if len(r) else 0.0


def turnover(positions: pd.Series, periods_per_year: int = TRADING_DAYS) -> float:
    """Annualised turnover :math:`252 \\cdot \\overline{|w_t - w_{t-1}|}` (1.0 = book traded once a year)."""
    if len(positions) == 0:
        return 0.0
    return float(positions.diff().fillna(positions.iloc[0]).abs().mean() * periods_per_year)


def exposure(positions: pd.Series) -> float:
    """Share of days with a non-zero position."""
    return float((positions != 0).mean()) if len(positions) else 0.0


def performance_summary(
    returns: pd.Series,
    positions: pd.Series | None = None,
    *,
    rf: float = 0.0,
    periods_per_year: int = TRADING_DAYS,
) -> dict[str, float]:
    """All metrics in one JSON-ready dict (fractions, not percent)."""
    out = {
        "total_return": float(np.prod(1.0 + returns.to_numpy()) - 1.0),
        "cagr": cagr(returns, periods_per_year),
        "annual_volatility": annual_volatility(returns, periods_per_year),
        "sharpe": sharpe_ratio(returns, rf, periods_per_year),
        "sortino": sortino_ratio(returns, rf, periods_per_year),
        "max_drawdown": max_drawdown(returns),
        "max_drawdown_days": float(max_drawdown_duration(returns)),
        "calmar": calmar_ratio(returns, periods_per_year),
        "hit_rate": hit_rate(returns, positions),
    }
    if positions is not None:
        out["turnover"] = turnover(positions, periods_per_year)
        out["exposure"] = exposure(positions)
    return out
