"""Markowitz portfolios (long-only, fully invested) and CAPM.

Inputs are annualised expected returns :math:`\\mu` and covariance :math:`\\Sigma` (see
:func:`annualised_moments`); weights satisfy :math:`\\sum_i w_i = 1`, :math:`w_i \\ge 0`. Optimisation uses
``scipy.optimize.minimize`` (SLSQP).

.. math:: \\min_w w^\\top\\Sigma w \\quad\\text{(minimum variance)}, \\qquad
          \\max_w \\frac{w^\\top\\mu - r_f}{\\sqrt{w^\\top\\Sigma w}} \\quad\\text{(maximum Sharpe)}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from finance.errors import InvalidParameterError
from finance.returns import TRADING_DAYS


@dataclass
class Portfolio:
    """Weights (summing to 1) with their annual expected return, volatility and Sharpe ratio."""

    weights: pd.Series
    expected_return: float
    volatility: float
    sharpe: float


def annualised_moments(
    returns: pd.DataFrame, periods_per_year: int = TRADING_DAYS
) -> tuple[pd.Series, pd.DataFrame]:
    """:math:`\\mu = 252\\,\\bar R`, :math:`\\Sigma = 252\\,\\hat S` from daily simple returns."""
    r = returns.dropna()
    if len(r) < 2 or r.shape[1] < 2:
        raise InvalidParameterError("Need at least 2 assets and 2 dates of returns for a portfolio.")
    return r.mean() * periods_per_year, r.cov() * periods_per_year


def _make(w: np.ndarray, mu: pd.Series, cov: pd.DataFrame, rf: float) -> Portfolio:
    w = np.clip(w, 0.0, None)
    w = w / w.sum()
    ret, vol = float(w @ mu.to_numpy()), float(np.sqrt(w @ cov.to_numpy() @ w))
    return Portfolio(pd.Series(w, index=mu.index), ret, vol, (ret - rf) / vol if vol > 0 else 0.0)


def _solve(objective, n: int, extra: list[dict] | None = None) -> np.ndarray:
    cons = [{"type": "eq", "fun": lambda w: w.sum() - 1.0}] + (extra or [])
    res = minimize(
        objective,
        np.full(n, 1.0 / n),
        method="SLSQP",
        bounds=[(0.0, 1.0)] * n,
        constraints=cons,
        options={"ftol": 1e-12, "maxiter": 500},
    )
    return res.x


def min_variance(mu: pd.Series, cov: pd.DataFrame, rf: float = 0.0) -> Portfolio:
    """Long-only global minimum-variance portfolio."""
    s = cov.to_numpy()
    return _make(_solve(lambda w: w @ s @ w, len(mu)), mu, cov, rf)


def max_sharpe(mu: pd.Series, cov: pd.DataFrame, rf: float = 0.0) -> Portfolio:
    """Long-only tangency (maximum Sharpe ratio) portfolio."""
    m, s = mu.to_numpy(), cov.to_numpy()
    if (m <= rf).all():
        raise InvalidParameterError(
            "No asset beats the risk-free rate: the maximum-Sharpe portfolio is undefined."
        )
    return _make(_solve(lambda w: -(w @ m - rf) / np.sqrt(w @ s @ w), len(mu)), mu, cov, rf)


def efficient_frontier(mu: pd.Series, cov: pd.DataFrame, n_points: int = 30) -> pd.DataFrame:
    """Minimum volatility for target returns from the min-variance return to the best asset's return.

    Returns a DataFrame with ``return``, ``volatility`` and one column of weights per asset.
    """
    if n_points < 2:
        raise InvalidParameterError(f"n_points must be >= 2, got {n_points}.")
    s, m = cov.to_numpy(), mu.to_numpy()
    lo = min_variance(mu, cov).expected_return
    rows = []
    for target in np.linspace(lo, m.max(), n_points):
        w = _solve(lambda w: w @ s @ w, len(m), [{"type": "eq", "fun": lambda w, t=target: w @ m - t}])
        p = _make(w, mu, cov, 0.0)
        rows.append({"return": p.expected_return, "volatility": p.volatility, **p.weights.to_dict()})
    return pd.DataFrame(rows)


def capm(
    asset: pd.Series, market: pd.Series, rf: float = 0.0, periods_per_year: int = TRADING_DAYS
) -> dict[str, float]:
    """CAPM regression on daily excess returns: :math:`R_i - r_f = \\alpha + \\beta (R_m - r_f) + e`.

    ``rf`` is annual; ``alpha`` is returned annualised (:math:`\\times 252`).
    """
    df = pd.concat([asset, market], axis=1, join="inner").dropna()
    if len(df) < 3:
        raise InvalidParameterError("Need at least 3 common dates between the asset and the market.")
    y, x = df.iloc[:, 0].to_numpy() - rf / periods_per_year, df.iloc[:, 1].to_numpy() - rf / periods_per_year
    beta = float(np.cov(y, x, ddof=1)[0, 1] / np.var(x, ddof=1))
    alpha = float(y.mean() - beta * x.mean())
    resid = y - alpha - beta * x
    r2 = 1.0 - float(resid.var() / y.var())
    return {"beta": beta, "alpha_annual": alpha * periods_per_year, "r2": r2}
