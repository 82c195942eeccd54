"""Value at Risk and Expected Shortfall at level α over a horizon of h trading days.

Conventions: inputs are simple daily returns (fractions); VaR and ES are reported as **positive loss
fractions**
(0.025 = a 2.5 % loss). With tail probability :math:`p = 1 - \\alpha` and the h-day return :math:`R_h`:

.. math:: \\text{VaR}_\\alpha = -q_p(R_h), \\qquad \\text{ES}_\\alpha = -\\mathbb E[R_h \\mid R_h \\le
          -\\text{VaR}_\\alpha]

Methods: ``historical`` (empirical quantile of overlapping h-day returns), ``normal`` and ``student-t``
(parametric, i.i.d. square-root-of-time scaling), ``cornish-fisher`` (normal quantile corrected for skewness
and
kurtosis), ``monte-carlo`` (simulated h-day compounded returns from a fitted Student-t, seeded), ``garch``
(conditional GARCH(1,1) forecast) and ``fhs`` (filtered historical simulation: GARCH volatility times the
empirical quantile of standardised residuals; Barone-Adesi et al. 1999).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from finance.errors import InvalidParameterError, UnknownMethodError, normalise_name

Method = Literal["historical", "normal", "student-t", "cornish-fisher", "monte-carlo", "garch", "fhs"]
METHODS: tuple[str, ...] = (
    "historical",
    "normal",
    "student-t",
    "cornish-fisher",
    "monte-carlo",
    "garch",
    "fhs",
)
_ALIASES = {
    "hs": "historical",
    "hist": "historical",
    "gaussian": "normal",
    "parametric": "normal",
    "t": "student-t",
    "studentt": "student-t",
    "student": "student-t",
    "cf": "cornish-fisher",
    "mc": "monte-carlo",
    "montecarlo": "monte-carlo",
    "filtered-historical": "fhs",
}


@dataclass
class VaRResult:
    """One VaR/ES estimate (positive loss fractions) with the parameters that produced it."""

    var: float
    es: float
    level: float
    horizon: int
    method: str
    details: dict[str, Any] = field(default_factory=dict)


def normalise_method(method: str) -> str:
    """Canonical VaR method name; raises :class:`UnknownMethodError` listing the valid ones."""
    return normalise_name(method, METHODS, aliases=_ALIASES, error=UnknownMethodError)


def _check(returns: pd.Series | np.ndarray, level: float, horizon: int, minimum: int = 30) -> np.ndarray:
    if not 0.5 < level < 1.0:
        raise InvalidParameterError(f"level must be in (0.5, 1), e.g. 0.99 for 99 % VaR, got {level}.")
    if not isinstance(horizon, int | np.integer) or horizon < 1:
        raise InvalidParameterError(f"horizon must be an integer >= 1 (trading days), got {horizon!r}.")
    r = np.asarray(returns, dtype=float)
    r = r[~np.isnan(r)]
    if len(r) < minimum:
        raise InvalidParameterError(f"Need at least {minimum} returns for a VaR estimate, got {len(r)}.")
    return r


def _empirical(sample: np.ndarray, p: float) -> tuple[float, float]:
    q = float(np.quantile(sample, p))
    return -q, -float(sample[sample <= q].mean())


def var_historical(returns: pd.Series | np.ndarray, level: float = 0.99, horizon: int = 1) -> VaRResult:
    """Historical simulation: empirical quantile (numpy's linear interpolation) of overlapping h-day returns.

    .. math:: R_{h,t} = \\prod_{s=t-h+1}^{t} (1 + R_s) - 1, \\qquad \\text{VaR} = -\\hat q_p(R_h)
    """
    r = _check(returns, level, horizon)
    sample = r if horizon == 1 else np.expm1(np.convolve(np.log1p(r), np.ones(horizon), "valid"))
    var, es = _empirical(sample, 1.0 - level)
    return VaRResult(var, es, level, horizon, "historical", {"n_scenarios": len(sample)})


def var_normal(returns: pd.Series | np.ndarray, level: float = 0.99, horizon: int = 1) -> VaRResult:
    """Gaussian VaR with square-root-of-time scaling.

    .. math:: \\text{VaR} = -(h\\mu + \\sqrt h\\,\\sigma z_p), \\qquad
              \\text{ES} = -\\left(h\\mu - \\sqrt h\\,\\sigma \\frac{\\varphi(z_p)}{p}\\right)
    """
    r = _check(returns, level, horizon)
    p = 1.0 - level
    mu, sd = r.mean() * horizon, r.std(ddof=1) * np.sqrt(horizon)
    z = stats.norm.ppf(p)
    return VaRResult(
        float(-(mu + sd * z)),
        float(-(mu - sd * stats.norm.pdf(z) / p)),
        level,
        horizon,
        "normal",
        {"mean": float(mu), "std": float(sd)},
    )


def var_student_t(returns: pd.Series | np.ndarray, level: float = 0.99, horizon: int = 1) -> VaRResult:
    """Student-t VaR, location/scale/ν fitted by maximum likelihood, square-root-of-time scaling.

    .. math:: \\text{VaR} = -(h m + \\sqrt h\\, s\\, t_{\\nu,p}), \\qquad
              \\text{ES} = -\\left(h m - \\sqrt h\\, s\\,\\frac{f_\\nu(t_{\\nu,p})}{p}\\,
              \\frac{\\nu + t_{\\nu,p}^2}{\\nu - 1}\\right)
    """
    r = _check(returns, level, horizon)
    nu, loc, scale = stats.t.fit(r)
    nu = max(float(nu), 2.05)
    p = 1.0 - level
    m, s = loc * horizon, scale * np.sqrt(horizon)
    q = stats.t.ppf(p, nu)
    es = -(m - s * stats.t.pdf(q, nu) / p * (nu + q**2) / (nu - 1.0))
    return VaRResult(
        float(-(m + s * q)),
        float(es),
        level,
        horizon,
        "student-t",
        {"df": nu, "loc": float(loc), "scale": float(scale)},
    )


def cornish_fisher_z(p: float | np.ndarray, skew: float, exkurt: float) -> float | np.ndarray:
    """Cornish-Fisher quantile of a standardised variable with skewness S and excess kurtosis K.

    .. math:: z_{cf} = z + \\frac{(z^2 - 1)S}{6} + \\frac{(z^3 - 3z)K}{24} - \\frac{(2z^3 - 5z)S^2}{36}
    """
    z = stats.norm.ppf(p)
    return z + (z**2 - 1) * skew / 6 + (z**3 - 3 * z) * exkurt / 24 - (2 * z**3 - 5 * z) * skew**2 / 36


def var_cornish_fisher(returns: pd.Series | np.ndarray, level: float = 0.99, horizon: int = 1) -> VaRResult:
    """Modified (Cornish-Fisher) VaR; ES integrates the expanded quantile over the tail (midpoint rule).

    For h > 1 the moments of an i.i.d. sum: :math:`\\mu_h = h\\mu`, :math:`\\sigma_h = \\sqrt h\\sigma`,
    :math:`S_h = S/\\sqrt h`, :math:`K_h = K/h`.
    """
    r = _check(returns, level, horizon)
    p = 1.0 - level
    skew, exkurt = float(stats.skew(r)) / np.sqrt(horizon), float(stats.kurtosis(r)) / horizon
    mu, sd = r.mean() * horizon, r.std(ddof=1) * np.sqrt(horizon)
    var = -(mu + sd * cornish_fisher_z(p, skew, exkurt))
    u = (np.arange(2000) + 0.5) / 2000 * p
    es = -(mu + sd * float(np.mean(cornish_fisher_z(u, skew, exkurt))))
    return VaRResult(
        float(var), float(es), level, horizon, "cornish-fisher", {"skew": skew, "excess_kurtosis": exkurt}
    )


def var_monte_carlo(
    returns: pd.Series | np.ndarray,
    level: float = 0.99,
    horizon: int = 1,
    *,
    n_sims: int = 100_000,
    seed: int = 0,
) -> VaRResult:
    """Monte Carlo: ``n_sims`` h-day paths of i.i.d. Student-t daily returns (fitted by MLE), compounded."""
    r = _check(returns, level, horizon)
    if n_sims < 1000:
        raise InvalidParameterError(f"n_sims must be >= 1000 for a stable tail quantile, got {n_sims}.")
    nu, loc, scale = stats.t.fit(r)
    rng = np.random.default_rng(seed)
    draws = loc + scale * rng.standard_t(max(float(nu), 2.05), size=(n_sims, horizon))  # (N, h)
    sample = np.expm1(np.log1p(np.maximum(draws, -0.999)).sum(axis=1))
    var, es = _empirical(sample, 1.0 - level)
    return VaRResult(
        var, es, level, horizon, "monte-carlo", {"n_sims": n_sims, "seed": seed, "df": float(nu)}
    )


def _tail_quantile_and_mean(fit: Any, p: float) -> tuple[float, float]:
    """Quantile and tail mean (below it) of the fitted standardised innovation distribution."""
    dist = fit.result.model.distribution
    dparams = np.array([v for k, v in fit.params.items() if k in ("nu", "eta", "lambda")])
    q = float(dist.ppf(p, dparams))
    u = (np.arange(2000) + 0.5) / 2000 * p
    return q, float(np.mean(dist.ppf(u, dparams)))


def var_garch(
    returns: pd.Series, level: float = 0.99, horizon: int = 1, *, model: str = "garch", dist: str = "t"
) -> VaRResult:
    """Conditional VaR from a GARCH forecast made at the last date.

    .. math:: \\text{VaR} = -(h\\mu + \\sigma_{T,h} q_p), \\quad \\sigma_{T,h}^2 = \\sum_{i=1}^h
              \\sigma^2_{T+i|T}

    with :math:`q_p` the quantile of the fitted standardised innovation (normal, t or skew-t); for h > 1 the
    h-day sum is assumed to keep that standardised shape.
    """
    from finance.volatility import fit_garch, forecast_volatility

    r = _check(returns, level, horizon, minimum=100)
    fit = fit_garch(pd.Series(r), model, dist)
    sig = float(np.sqrt((forecast_volatility(fit, horizon) ** 2).sum()))
    mu = fit.params["mu"] / fit.scale * horizon
    q, tail = _tail_quantile_and_mean(fit, 1.0 - level)
    return VaRResult(
        float(-(mu + sig * q)),
        float(-(mu + sig * tail)),
        level,
        horizon,
        "garch",
        {"model": fit.model, "dist": fit.dist, "sigma_forecast": sig, "persistence": fit.persistence},
    )


def var_fhs(
    returns: pd.Series,
    level: float = 0.99,
    horizon: int = 1,
    *,
    model: str = "garch",
    dist: str = "normal",
    n_sims: int = 20_000,
    seed: int = 0,
) -> VaRResult:
    """Filtered historical simulation: GARCH volatility, empirical standardised residuals.

    .. math:: \\text{VaR} = -(\\mu + \\sigma_{T+1|T}\\,\\hat q_p(\\hat z)) \\quad (h = 1)

    For h > 1, ``arch``'s bootstrap forecast resamples the residuals through the GARCH recursion (seeded).
    """
    from finance.volatility import fit_garch, forecast_volatility

    r = _check(returns, level, horizon, minimum=100)
    fit = fit_garch(pd.Series(r), model, dist)
    p, mu = 1.0 - level, fit.params["mu"] / fit.scale
    z = fit.std_resid.dropna().to_numpy()
    if horizon == 1:
        sig = float(forecast_volatility(fit, 1).iloc[0])
        q = float(np.quantile(z, p))
        return VaRResult(
            float(-(mu + sig * q)),
            float(-(mu + sig * z[z <= q].mean())),
            level,
            1,
            "fhs",
            {"model": fit.model, "sigma_forecast": sig, "z_quantile": q},
        )
    fc = fit.result.forecast(
        horizon=horizon,
        method="bootstrap",
        simulations=n_sims,
        random_state=np.random.RandomState(seed),
        reindex=False,
    )
    paths = fc.simulations.values[-1] / fit.scale  # (N, h) daily returns
    var, es = _empirical(np.expm1(np.log1p(np.maximum(paths, -0.999)).sum(axis=1)), p)
    return VaRResult(var, es, level, horizon, "fhs", {"model": fit.model, "n_sims": n_sims, "seed": seed})


_FUNCS = {
    "historical": var_historical,
    "normal": var_normal,
    "student-t": var_student_t,
    "cornish-fisher": var_cornish_fisher,
    "monte-carlo": var_monte_carlo,
    "garch": var_garch,
    "fhs": var_fhs,
}


def value_at_risk(
    returns: pd.Series,
    level: float = 0.99,
    method: Method | str = "historical",
    horizon: int = 1,
    **kwargs: Any,
) -> VaRResult:
    """VaR and ES by any method of :data:`METHODS` (extra keywords go to the method's function).

    Examples
    --------
    >>> from finance.data import load_prices
    >>> from finance.returns import returns
    >>> r = returns(load_prices("SPY", offline=True))
    >>> round(value_at_risk(r, 0.99, "historical").var, 4)
    0.0331
    """
    return _FUNCS[normalise_method(method)](returns, level, horizon, **kwargs)


def portfolio_var(
    returns: pd.DataFrame,
    weights: dict[str, float] | np.ndarray | list[float],
    level: float = 0.99,
    horizon: int = 1,
    method: Literal["normal", "historical"] = "normal",
) -> VaRResult:
    """VaR of a portfolio of assets with fixed weights (fractions of capital).

    Normal: :math:`\\sigma_p = \\sqrt{w^\\top\\Sigma w}`, with component VaR
    :math:`\\text{CVaR}_i = w_i (\\Sigma w)_i / \\sigma_p \\cdot (-z_p)\\sqrt h` (they sum to the volatility
    part
    of the VaR). Historical: the empirical quantile of :math:`R w`.
    """
    w = np.array([weights[c] for c in returns.columns] if isinstance(weights, dict) else weights, dtype=float)
    if w.shape != (returns.shape[1],):
        raise InvalidParameterError(f"Need one weight per column {list(returns.columns)}, got {len(w)}.")
    clean = returns.dropna()
    port = clean.to_numpy() @ w
    if method == "historical":
        return var_historical(port, level, horizon)
    if method != "normal":
        raise UnknownMethodError(method, ("normal", "historical"))
    res = var_normal(port, level, horizon)
    cov = np.cov(clean.to_numpy(), rowvar=False, ddof=1)
    sig = float(np.sqrt(w @ cov @ w))
    comp = w * (cov @ w) / sig * -stats.norm.ppf(1.0 - level) * np.sqrt(horizon)
    res.details["component_var"] = dict(zip(map(str, clean.columns), map(float, comp), strict=True))
    return res
