"""Returns and annualisation, with one convention for all of :mod:`finance`.

Simple returns :math:`R_t = P_t / P_{t-1} - 1`, log returns :math:`r_t = \\ln(P_t / P_{t-1})`, and
annualisation with :data:`TRADING_DAYS` = 252 trading days a year (volatility :math:`\\times\\sqrt{252}`,
mean log return :math:`\\times 252`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from finance.errors import InvalidChoiceError

TRADING_DAYS = 252
"""Trading days per year used for every annualisation in :mod:`finance`."""

ReturnKind = Literal["simple", "log"]


def returns(prices: pd.Series | pd.DataFrame, kind: ReturnKind = "simple") -> pd.Series | pd.DataFrame:
    """Daily returns, first row dropped.

    .. math:: R_t = \\frac{P_t}{P_{t-1}} - 1 \\quad(\\text{simple}), \\qquad r_t = \\ln\\frac{P_t}{P_{t-1}}
              \\quad(\\text{log})

    Examples
    --------
    >>> returns(pd.Series([100.0, 110.0, 99.0])).round(4).tolist()
    [0.1, -0.1]
    """
    p = prices["close"] if isinstance(prices, pd.DataFrame) and "close" in prices else prices
    if kind == "simple":
        return p.pct_change().iloc[1:]
    if kind == "log":
        return np.log(p / p.shift(1)).iloc[1:]
    raise InvalidChoiceError("return kind", kind, ("simple", "log"))


def annualise_volatility(daily_std: float, periods_per_year: int = TRADING_DAYS) -> float:
    """Annualised volatility :math:`\\sigma_a = \\sigma_d \\sqrt{252}`."""
    return float(daily_std * np.sqrt(periods_per_year))
