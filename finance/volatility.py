"""Conditional volatility: GARCH(1,1), GJR-GARCH(1,1,1) and EGARCH(1,1,1) through ``arch``, and EWMA.

Returns are multiplied by ``scale`` (100, i.e. percent) before fitting, as ``arch`` advises for a well-scaled
optimisation; everything returned is converted back to **daily fractions** (0.01 = 1 % a day). A constant
mean :math:`\\mu` is fitted; :math:`\\varepsilon_t = r_t - \\mu = \\sigma_t z_t` with :math:`z_t` i.i.d.
normal, Student-t or Hansen's skew-t. The variance equations (Bollerslev 1986; Glosten, Jagannathan & Runkle
1993; Nelson 1991):

.. math::
    \\text{GARCH:}\\quad \\sigma_t^2 = \\omega + \\alpha\\varepsilon_{t-1}^2 + \\beta\\sigma_{t-1}^2

    \\text{GJR:}\\quad \\sigma_t^2 = \\omega + (\\alpha +
    \\gamma\\,1[\\varepsilon_{t-1}<0])\\varepsilon_{t-1}^2
    + \\beta\\sigma_{t-1}^2

    \\text{EGARCH:}\\quad \\ln\\sigma_t^2 = \\omega + \\alpha(|z_{t-1}| - \\sqrt{2/\\pi}) + \\gamma z_{t-1}
    + \\beta\\ln\\sigma_{t-1}^2

EWMA (RiskMetrics 1996): :math:`\\sigma_t^2 = \\lambda\\sigma_{t-1}^2 + (1-\\lambda) r_{t-1}^2`, λ = 0.94.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from finance.errors import ConvergenceWarning, InvalidParameterError, UnknownModelError, normalise_name

Model = Literal["garch", "gjr", "egarch"]
Dist = Literal["normal", "t", "skewt"]

MODELS: dict[str, dict[str, Any]] = {
    "garch": {"vol": "GARCH", "p": 1, "o": 0, "q": 1},
    "gjr": {"vol": "GARCH", "p": 1, "o": 1, "q": 1},
    "egarch": {"vol": "EGARCH", "p": 1, "o": 1, "q": 1},
}
DISTS: dict[str, Literal["normal", "t", "skewt"]] = {"normal": "normal", "t": "t", "skewt": "skewt"}
_MODEL_ALIASES = {"gjr-garch": "gjr", "gjrgarch": "gjr", "garch(1,1)": "garch", "e-garch": "egarch"}
_DIST_ALIASES = {
    "gaussian": "normal",
    "student-t": "t",
    "studentst": "t",
    "student": "t",
    "skew-t": "skewt",
    "skewstudent": "skewt",
}


def normalise_model(model: str) -> str:
    """Canonical model name; raises :class:`UnknownModelError` listing the valid ones."""
    return normalise_name(
        model, MODELS, aliases=_MODEL_ALIASES, error=lambda v, ok: UnknownModelError("volatility model", v, ok)
    )


def normalise_dist(dist: str) -> str:
    """Canonical error distribution; raises :class:`UnknownModelError` listing the valid ones."""
    return normalise_name(
        dist, DISTS, aliases=_DIST_ALIASES, error=lambda v, ok: UnknownModelError("error distribution", v, ok)
    )


@dataclass
class GarchFit:
    """A fitted volatility model; series are in daily fractions, ``params`` in ``arch``'s scaled units."""

    model: str
    dist: str
    params: dict[str, float]
    scale: float
    loglikelihood: float
    aic: float
    bic: float
    conditional_volatility: pd.Series
    std_resid: pd.Series
    converged: bool
    result: Any = field(repr=False, default=None)

    @property
    def persistence(self) -> float:
        """:math:`\\alpha + \\beta` (+ :math:`\\gamma/2` for GJR); EGARCH: :math:`\\beta`."""
        p = self.params
        if self.model == "egarch":
            return p["beta[1]"]
        return p["alpha[1]"] + p["beta[1]"] + 0.5 * p.get("gamma[1]", 0.0)


def _check_returns(returns: pd.Series, minimum: int = 100) -> pd.Series:
    r = pd.Series(returns).dropna()
    if len(r) < minimum:
        raise InvalidParameterError(
            f"Need at least {minimum} daily returns to fit a volatility model, got {len(r)}; "
            "use a longer range."
        )
    return r.astype(float)


def fit_garch(
    returns: pd.Series,
    model: Model | str = "garch",
    dist: Dist | str = "normal",
    *,
    scale: float = 100.0,
    last_obs: int | None = None,
    max_iter: int = 500,
) -> GarchFit:
    """Fit a GARCH-family model by maximum likelihood.

    Parameters
    ----------
    returns : Series
        Daily returns as fractions (simple or log).
    model : {"garch", "gjr", "egarch"}
    dist : {"normal", "t", "skewt"}
    scale : float
        Multiplier applied before fitting (100 = percent returns, as ``arch`` recommends).
    last_obs : int, optional
        Fit on ``returns[:last_obs]`` only; the filtered volatility is still computed on the whole series with
        the fitted parameters (out-of-sample filtering for VaR backtests).
    max_iter : int
        Iteration cap of the SLSQP optimiser.

    Warns
    -----
    ConvergenceWarning
        When the optimiser does not converge, with advice.

    Examples
    --------
    >>> from finance.data import load_prices
    >>> from finance.returns import returns
    >>> fit = fit_garch(returns(load_prices("SPY", offline=True)))
    >>> round(fit.persistence, 3)
    0.987
    """
    from arch import arch_model
    from arch.utility.exceptions import ConvergenceWarning as ArchConvergence
    from arch.utility.exceptions import DataScaleWarning

    m, d = normalise_model(model), normalise_dist(dist)
    r = _check_returns(returns)
    am = arch_model(r * scale, mean="Constant", dist=DISTS[d], rescale=False, **MODELS[m])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = am.fit(disp="off", last_obs=last_obs, options={"maxiter": max_iter})
    troubles = [w for w in caught if issubclass(w.category, ArchConvergence | DataScaleWarning)]
    converged = res.convergence_flag == 0 and not troubles
    if not converged:
        warnings.warn(
            f"{m.upper()}-{d} did not converge cleanly "
            f"({'; '.join(str(w.message)[:80] for w in troubles) or 'flag '}"
            f"{res.convergence_flag}). Try a longer sample, dist='t', a simpler model (garch), or check the "
            "scale of the returns (daily fractions, scaled x100).",
            ConvergenceWarning,
            stacklevel=2,
        )
    params = {k: float(v) for k, v in res.params.items()}
    if last_obs is not None:
        res_full = am.fix(res.params)
        vol, z = res_full.conditional_volatility, res_full.std_resid
    else:
        vol, z = res.conditional_volatility, res.std_resid
    return GarchFit(
        m,
        d,
        params,
        scale,
        float(res.loglikelihood),
        float(res.aic),
        float(res.bic),
        pd.Series(np.asarray(vol) / scale, index=r.index, name="garch_vol"),
        pd.Series(np.asarray(z), index=r.index, name="std_resid"),
        converged,
        res,
    )


def forecast_volatility(
    fit: GarchFit, horizon: int = 10, *, seed: int = 0, simulations: int = 2000
) -> pd.Series:
    """Daily volatility forecasts :math:`\\sigma_{T+h|T}` for h = 1..horizon (daily fractions).

    GARCH and GJR use the analytic recursion
    :math:`\\sigma^2_{T+h} = \\omega + (\\alpha + \\gamma/2 + \\beta)\\sigma^2_{T+h-1}`; EGARCH beyond one
    step
    has no closed form and is simulated (``simulations`` paths, seeded).
    """
    if horizon < 1:
        raise InvalidParameterError(f"horizon must be >= 1 day, got {horizon}.")
    res = fit.result
    if fit.model == "egarch" and horizon > 1:
        dist = type(res.model.distribution)(seed=np.random.default_rng(seed))
        draws = dist.simulate([v for k, v in fit.params.items() if k in ("nu", "eta", "lambda")])
        fc = res.forecast(
            horizon=horizon, method="simulation", simulations=simulations, rng=draws, reindex=False
        )
    else:
        fc = res.forecast(horizon=horizon, reindex=False)
    var = fc.variance.iloc[-1].to_numpy()
    return pd.Series(
        np.sqrt(var) / fit.scale, index=pd.RangeIndex(1, horizon + 1, name="h"), name="vol_forecast"
    )


def ewma_volatility(returns: pd.Series, lam: float = 0.94, *, init_window: int = 30) -> pd.Series:
    """RiskMetrics EWMA volatility, :math:`\\sigma_t` known at the close of t-1 (daily fractions).

    .. math:: \\sigma_t^2 = \\lambda\\sigma_{t-1}^2 + (1-\\lambda) r_{t-1}^2, \\qquad
              \\sigma_0^2 = \\tfrac1{n_0}\\sum_{s<n_0} r_s^2

    Examples
    --------
    >>> ewma_volatility(pd.Series([0.01, -0.02, 0.0]), init_window=3).round(5).tolist()
    [0.01291, 0.01275, 0.0133]
    """
    if not 0.0 < lam < 1.0:
        raise InvalidParameterError(f"lam must be in (0, 1) (RiskMetrics uses 0.94), got {lam}.")
    r = returns.to_numpy(dtype=float)
    r2 = r**2
    var = np.empty_like(r)
    var[0] = r2[: max(1, init_window)].mean()
    for t in range(1, len(r)):
        var[t] = lam * var[t - 1] + (1.0 - lam) * r2[t - 1]
    return pd.Series(np.sqrt(var), index=returns.index, name="ewma_vol")


def select_model(
    returns: pd.Series,
    models: tuple[str, ...] = ("garch", "gjr", "egarch"),
    dists: tuple[str, ...] = ("normal", "t", "skewt"),
    *,
    criterion: Literal["aic", "bic"] = "bic",
) -> pd.DataFrame:
    """Fit every model x distribution and rank by information criterion (lowest first).

    .. math:: AIC = 2k - 2\\ln L, \\qquad BIC = k\\ln T - 2\\ln L
    """
    if criterion not in ("aic", "bic"):
        raise UnknownModelError("criterion", criterion, ("aic", "bic"))
    rows = []
    for m in models:
        for d in dists:
            fit = fit_garch(returns, m, d)
            rows.append(
                {
                    "model": fit.model,
                    "dist": fit.dist,
                    "loglik": fit.loglikelihood,
                    "aic": fit.aic,
                    "bic": fit.bic,
                    "n_params": len(fit.params),
                    "converged": fit.converged,
                }
            )
    return pd.DataFrame(rows).sort_values(criterion, ignore_index=True)
