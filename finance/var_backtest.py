"""Rolling out-of-sample VaR backtest: Kupiec, Christoffersen and the Basel traffic light.

The VaR for day t is estimated from the ``window`` returns before t only; parameters are re-estimated every
``refit_every`` days (between refits, unconditional methods keep their VaR, GARCH-based ones keep their
parameters but still update the volatility with each new return). An exceedance is :math:`I_t = 1[R_t <
-\\text{VaR}_t]`. With :math:`x` exceedances out of :math:`n` days and :math:`p = 1 - \\alpha`:

.. math::
    LR_{pof} = -2\\ln\\frac{(1-p)^{n-x}p^x}{(1-\\hat\\pi)^{n-x}\\hat\\pi^x} \\sim \\chi^2_1,\\quad \\hat\\pi
    = x/n
    \\quad\\text{(Kupiec 1995)}

    LR_{ind} = -2\\ln\\frac{(1-\\pi)^{n_{00}+n_{10}}\\pi^{n_{01}+n_{11}}}
    {(1-\\pi_{01})^{n_{00}}\\pi_{01}^{n_{01}}(1-\\pi_{11})^{n_{10}}\\pi_{11}^{n_{11}}} \\sim \\chi^2_1,\\quad
    LR_{cc} = LR_{pof} + LR_{ind} \\sim \\chi^2_2 \\quad\\text{(Christoffersen 1998)}

Basel traffic light (BCBS 1996): with :math:`F` the binomial(n, p) CDF, green if :math:`F(x) < 0.95`, yellow
if
:math:`F(x) < 0.9999`, red otherwise (for 250 days at 99 %: green 0-4, yellow 5-9, red 10+).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import xlogy

from finance.errors import InvalidParameterError
from finance.risk import _FUNCS, _check, normalise_method


def kupiec_pof(n_exceed: int, n: int, level: float) -> dict[str, float]:
    """Kupiec's proportion-of-failures likelihood ratio and its χ²(1) p-value."""
    p, x = 1.0 - level, n_exceed
    pi = x / n
    ll0 = xlogy(n - x, 1 - p) + xlogy(x, p)
    ll1 = xlogy(n - x, 1 - pi) + xlogy(x, pi)
    lr = max(float(-2.0 * (ll0 - ll1)), 0.0)
    return {"lr": lr, "p_value": float(stats.chi2.sf(lr, 1))}


def christoffersen(hits: np.ndarray, level: float) -> dict[str, float]:
    """Christoffersen's independence and conditional-coverage LR statistics with p-values."""
    h = np.asarray(hits, dtype=int)
    prev, cur = h[:-1], h[1:]
    n00, n01 = int(((prev == 0) & (cur == 0)).sum()), int(((prev == 0) & (cur == 1)).sum())
    n10, n11 = int(((prev == 1) & (cur == 0)).sum()), int(((prev == 1) & (cur == 1)).sum())
    pi01 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi11 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pi = (n01 + n11) / max(n00 + n01 + n10 + n11, 1)
    ll0 = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi)
    ll1 = xlogy(n00, 1 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1 - pi11) + xlogy(n11, pi11)
    lr_ind = max(float(-2.0 * (ll0 - ll1)), 0.0)
    lr_pof = kupiec_pof(int(h.sum()), len(h), level)["lr"]
    lr_cc = lr_pof + lr_ind
    return {
        "lr_ind": lr_ind,
        "p_value_ind": float(stats.chi2.sf(lr_ind, 1)),
        "lr_cc": lr_cc,
        "p_value_cc": float(stats.chi2.sf(lr_cc, 2)),
        "n00": n00,
        "n01": n01,
        "n10": n10,
        "n11": n11,
    }


def traffic_light(n_exceed: int, n: int, level: float) -> str:
    """Basel zone ``"green"``, ``"yellow"`` or ``"red"`` from the cumulative binomial probability."""
    cdf = float(stats.binom.cdf(n_exceed, n, 1.0 - level))
    return "green" if cdf < 0.95 else "yellow" if cdf < 0.9999 else "red"


@dataclass
class VaRBacktest:
    """Out-of-sample VaR forecasts, realised returns, exceedances and the coverage tests."""

    var: pd.Series
    returns: pd.Series
    level: float
    method: str
    tests: dict[str, Any] = field(default_factory=dict)

    @property
    def exceedances(self) -> pd.Series:
        """True on the days the loss exceeded the VaR."""
        return self.returns < -self.var


def _refit_points(n: int, window: int, refit_every: int) -> range:
    return range(window, n, refit_every)


def _garch_block(
    r: pd.Series, start: int, stop: int, window: int, level: float, method: str, kwargs: dict[str, Any]
) -> np.ndarray:
    """VaR for days [start, stop) from a GARCH fitted on the ``window`` days before ``start``."""
    from finance.risk import _tail_quantile_and_mean
    from finance.volatility import fit_garch

    model = kwargs.get("model", "garch")
    dist = kwargs.get("dist", "t" if method == "garch" else "normal")
    seg = r.iloc[start - window : stop]
    fit = fit_garch(seg, model, dist, last_obs=window)
    mu = fit.params["mu"] / fit.scale
    sig = fit.conditional_volatility.to_numpy()[window:]
    if method == "garch":
        q = _tail_quantile_and_mean(fit, 1.0 - level)[0]
    else:
        q = float(np.quantile(fit.std_resid.to_numpy()[:window], 1.0 - level))
    return -(mu + sig * q)


def var_backtest(
    returns: pd.Series,
    level: float = 0.99,
    method: str = "historical",
    *,
    window: int = 1000,
    refit_every: int = 21,
    **kwargs: Any,
) -> VaRBacktest:
    """Rolling one-day VaR forecasts over ``returns[window:]`` and their coverage tests.

    Parameters
    ----------
    returns : Series
        Daily simple returns.
    level : float
        VaR confidence level α (0.99 = 99 %).
    method : str
        One of :data:`finance.risk.METHODS`.
    window : int
        Estimation window in days (rolling, not expanding).
    refit_every : int
        Days between re-estimations (1 = daily).
    """
    m = normalise_method(method)
    r = pd.Series(returns).dropna().astype(float)
    _check(r, level, 1)
    if window < 100 or refit_every < 1:
        raise InvalidParameterError(
            f"window must be >= 100 days and refit_every >= 1, got {window}, {refit_every}."
        )
    if len(r) < window + 20:
        raise InvalidParameterError(
            f"Only {len(r)} returns: need window ({window}) + 20 at least; "
            "use a smaller window or a longer range."
        )
    out = np.empty(len(r) - window)
    for i in _refit_points(len(r), window, refit_every):
        stop = min(i + refit_every, len(r))
        if m in ("garch", "fhs"):
            out[i - window : stop - window] = _garch_block(r, i, stop, window, level, m, kwargs)
        else:
            out[i - window : stop - window] = _FUNCS[m](r.iloc[i - window : i], level, 1, **kwargs).var
    bt = VaRBacktest(pd.Series(out, index=r.index[window:], name="var"), r.iloc[window:], level, m)
    hits = bt.exceedances.to_numpy()
    x, n = int(hits.sum()), len(hits)
    last = hits[-250:]
    bt.tests = {
        "n": n,
        "n_exceed": x,
        "expected": n * (1.0 - level),
        "rate": x / n,
        "kupiec": kupiec_pof(x, n, level),
        "christoffersen": christoffersen(hits, level),
        "zone": traffic_light(x, n, level),
        "last_250_exceed": int(last.sum()),
        "last_250_zone": traffic_light(int(last.sum()), len(last), level),
    }
    return bt
