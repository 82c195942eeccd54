from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from finance import volatility as vol
from finance.errors import ConvergenceWarning, InvalidParameterError, UnknownModelError
from finance.returns import returns

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


@pytest.fixture(scope="module")
def r(spx: pd.DataFrame) -> pd.Series:
    return returns(spx)


@pytest.fixture(scope="module")
def garch_fit(r: pd.Series) -> vol.GarchFit:
    return vol.fit_garch(r, "garch", "normal")


def test_garch_recursion_recomputed(r: pd.Series, garch_fit: vol.GarchFit) -> None:
    p = garch_fit.params
    eps = r.to_numpy() * 100 - p["mu"]
    sig2 = np.empty_like(eps)
    sig2[0] = (garch_fit.conditional_volatility.iloc[0] * 100) ** 2  # arch's backcast
    for t in range(1, len(eps)):
        sig2[t] = p["omega"] + p["alpha[1]"] * eps[t - 1] ** 2 + p["beta[1]"] * sig2[t - 1]
    np.testing.assert_allclose(np.sqrt(sig2) / 100, garch_fit.conditional_volatility.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(garch_fit.std_resid.to_numpy(), eps / np.sqrt(sig2), rtol=1e-10)


def test_gjr_recursion_recomputed(r: pd.Series) -> None:
    fit = vol.fit_garch(r, "gjr", "t")
    p = fit.params
    eps = r.to_numpy() * 100 - p["mu"]
    sig2 = (fit.conditional_volatility.iloc[0] * 100) ** 2
    for t in range(1, 300):
        sig2 = (
            p["omega"]
            + (p["alpha[1]"] + p["gamma[1]"] * (eps[t - 1] < 0)) * eps[t - 1] ** 2
            + p["beta[1]"] * sig2
        )
        assert np.sqrt(sig2) / 100 == pytest.approx(fit.conditional_volatility.iloc[t], rel=1e-10)
    assert p["gamma[1]"] > 0.1  # leverage effect on the S&P 500
    assert 4 < p["nu"] < 12


def test_golden_garch_on_sp500(garch_fit: vol.GarchFit) -> None:
    p = garch_fit.params
    assert garch_fit.converged
    assert p["omega"] == pytest.approx(0.0175068, rel=1e-3)
    assert p["alpha[1]"] == pytest.approx(0.1021500, rel=1e-3)
    assert p["beta[1]"] == pytest.approx(0.8852056, rel=1e-3)
    assert garch_fit.persistence == pytest.approx(0.9873556, rel=1e-4)
    assert garch_fit.loglikelihood == pytest.approx(-6936.7185, abs=1e-2)


def test_forecast_analytic(garch_fit: vol.GarchFit) -> None:
    p = garch_fit.params
    fc = vol.forecast_volatility(garch_fit, 5)
    eps_T = garch_fit.std_resid.iloc[-1] * garch_fit.conditional_volatility.iloc[-1] * 100
    s2 = (
        p["omega"]
        + p["alpha[1]"] * eps_T**2
        + p["beta[1]"] * (garch_fit.conditional_volatility.iloc[-1] * 100) ** 2
    )
    expected = [s2]
    for _ in range(4):
        expected.append(p["omega"] + (p["alpha[1]"] + p["beta[1]"]) * expected[-1])
    np.testing.assert_allclose(fc.to_numpy(), np.sqrt(expected) / 100, rtol=1e-8)
    assert list(fc.index) == [1, 2, 3, 4, 5]


def test_egarch_simulated_forecast_is_seeded(r: pd.Series) -> None:
    fit = vol.fit_garch(r.iloc[-1500:], "egarch", "skewt")
    a = vol.forecast_volatility(fit, 3, seed=1, simulations=500)
    b = vol.forecast_volatility(fit, 3, seed=1, simulations=500)
    pd.testing.assert_series_equal(a, b)
    assert 0.005 < a.iloc[0] < 0.05


def test_ewma_naive(r: pd.Series) -> None:
    x = r.iloc[:200]
    got = vol.ewma_volatility(x, 0.94, init_window=30)
    var = float(np.mean(x.iloc[:30] ** 2))
    out = [var]
    for t in range(1, 200):
        var = 0.94 * var + 0.06 * x.iloc[t - 1] ** 2
        out.append(var)
    np.testing.assert_allclose(got.to_numpy(), np.sqrt(out))


def test_select_model_ranks_by_bic(r: pd.Series) -> None:
    table = vol.select_model(r.iloc[-2000:], models=("garch", "gjr"), dists=("normal", "t"))
    assert list(table["bic"]) == sorted(table["bic"])
    k, n = table["n_params"], 2000
    np.testing.assert_allclose(table["bic"], k * np.log(n) - 2 * table["loglik"])
    np.testing.assert_allclose(table["aic"], 2 * k - 2 * table["loglik"])
    assert (table.iloc[0]["model"], table.iloc[0]["dist"]) == ("gjr", "t")


def test_convergence_warning_has_advice(r: pd.Series) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = vol.fit_garch(r.iloc[:500], "egarch", "skewt", max_iter=2)
    msgs = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert msgs and "Try a longer sample" in msgs[0]
    assert not fit.converged


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda r: vol.fit_garch(r, "figarch"),
            UnknownModelError,
            r"Valid choices: 'garch', 'gjr', 'egarch'",
        ),
        (lambda r: vol.fit_garch(r, "garch", "cauchy"), UnknownModelError, r"'normal', 't', 'skewt'"),
        (lambda r: vol.fit_garch(r.iloc[:50]), InvalidParameterError, "at least 100 daily returns"),
        (lambda r: vol.ewma_volatility(r, 1.2), InvalidParameterError, "RiskMetrics uses 0.94"),
        (lambda r: vol.select_model(r, criterion="hqic"), UnknownModelError, "'aic', 'bic'"),
    ],
)
def test_validation(r: pd.Series, call, exc, match) -> None:
    with pytest.raises(exc, match=match):
        call(r)


def test_aliases() -> None:
    assert vol.normalise_model("GJR-GARCH") == "gjr" and vol.normalise_dist("student-t") == "t"
    assert vol.normalise_dist("skew_t") == "skewt"
