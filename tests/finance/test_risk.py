from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from finance import risk
from finance import var_backtest as vb
from finance.errors import InvalidParameterError, UnknownMethodError
from finance.returns import returns

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


@pytest.fixture(scope="module")
def r(spx: pd.DataFrame) -> pd.Series:
    return returns(spx)


def test_historical_is_the_empirical_quantile(r: pd.Series) -> None:
    res = risk.var_historical(r, 0.99)
    x = np.sort(r.to_numpy())
    pos = 0.01 * (len(x) - 1)  # numpy "linear": order statistic interpolation
    lo = int(np.floor(pos))
    q = x[lo] + (pos - lo) * (x[lo + 1] - x[lo])
    assert res.var == pytest.approx(-q, rel=1e-12)
    assert res.es == pytest.approx(-x[x <= q].mean(), rel=1e-12)
    assert res.var == pytest.approx(0.0330594, abs=1e-7)  # golden, S&P 500 1999-2018


def test_historical_multi_day_uses_overlapping_compounded_returns(r: pd.Series) -> None:
    x = r.iloc[:300].to_numpy()
    h = 5
    sums = [np.prod(1 + x[i : i + h]) - 1 for i in range(len(x) - h + 1)]
    res = risk.var_historical(x, 0.95, h)
    assert res.var == pytest.approx(-np.quantile(sums, 0.05))
    assert res.details["n_scenarios"] == 296


def test_normal_formula(r: pd.Series) -> None:
    mu, sd = r.mean(), r.std()
    z = stats.norm.ppf(0.01)
    res = risk.var_normal(r, 0.99, 10)
    assert res.var == pytest.approx(-(10 * mu + np.sqrt(10) * sd * z))
    assert res.es == pytest.approx(-(10 * mu - np.sqrt(10) * sd * stats.norm.pdf(z) / 0.01))


def test_student_t_es_by_integration(r: pd.Series) -> None:
    res = risk.var_student_t(r, 0.975)
    nu, loc, scale = res.details["df"], res.details["loc"], res.details["scale"]
    q = stats.t.ppf(0.025, nu, loc, scale)
    tail = stats.t.expect(lambda x: x, args=(nu,), loc=loc, scale=scale, ub=q, conditional=True)
    assert res.var == pytest.approx(-q)
    assert res.es == pytest.approx(-tail, rel=1e-6)


def test_cornish_fisher(r: pd.Series) -> None:
    s, k = stats.skew(r), stats.kurtosis(r)
    z = stats.norm.ppf(0.01)
    zcf = z + (z * z - 1) * s / 6 + (z**3 - 3 * z) * k / 24 - (2 * z**3 - 5 * z) * s * s / 36
    res = risk.var_cornish_fisher(r, 0.99)
    assert res.var == pytest.approx(-(r.mean() + r.std() * zcf))
    # zero skew and kurtosis: back to the normal VaR
    assert risk.cornish_fisher_z(0.01, 0.0, 0.0) == pytest.approx(z)


def test_monte_carlo_seeded_and_close_to_t(r: pd.Series) -> None:
    a = risk.var_monte_carlo(r, 0.99, n_sims=50_000, seed=3)
    b = risk.var_monte_carlo(r, 0.99, n_sims=50_000, seed=3)
    assert a.var == b.var
    t = risk.var_student_t(r, 0.99)
    nu, loc, scale = t.details["df"], t.details["loc"], t.details["scale"]
    se = np.sqrt(0.01 * 0.99 / 50_000) / stats.t.pdf(-t.var, nu, loc, scale)  # s.e. of a sample quantile
    assert abs(a.var - t.var) < 4 * se


def test_garch_var_matches_forecast(r: pd.Series) -> None:
    from finance.volatility import fit_garch, forecast_volatility

    res = risk.var_garch(r, 0.99, 1, dist="normal")
    fit = fit_garch(r, "garch", "normal")
    sig = forecast_volatility(fit, 1).iloc[0]
    assert res.var == pytest.approx(-(fit.params["mu"] / 100 + sig * stats.norm.ppf(0.01)), rel=1e-9)
    assert res.es == pytest.approx(
        fit.params["mu"] * -0.01 + sig * stats.norm.pdf(stats.norm.ppf(0.01)) / 0.01, rel=1e-4
    )


def test_fhs_one_day(r: pd.Series) -> None:
    from finance.volatility import fit_garch, forecast_volatility

    res = risk.var_fhs(r, 0.99)
    fit = fit_garch(r, "garch", "normal")
    z = fit.std_resid.to_numpy()
    sig = forecast_volatility(fit, 1).iloc[0]
    assert res.var == pytest.approx(-(fit.params["mu"] / 100 + sig * np.quantile(z, 0.01)))


def test_fhs_multi_day_is_seeded(r: pd.Series) -> None:
    a = risk.var_fhs(r.iloc[-1500:], 0.99, 5, n_sims=2000, seed=1)
    b = risk.var_fhs(r.iloc[-1500:], 0.99, 5, n_sims=2000, seed=1)
    assert a.var == b.var and a.es > a.var > 0


def test_portfolio_var_normal_and_components(rng: np.random.Generator) -> None:
    cov = np.array([[1.0, 0.3], [0.3, 2.0]]) * 1e-4
    df = pd.DataFrame(rng.multivariate_normal([0, 0], cov, 2000), columns=["a", "b"])
    res = risk.portfolio_var(df, {"a": 0.6, "b": 0.4}, 0.99)
    port = df.to_numpy() @ [0.6, 0.4]
    assert res.var == pytest.approx(risk.var_normal(port, 0.99).var)
    comp = res.details["component_var"]
    w = np.array([0.6, 0.4])
    s = np.cov(df.to_numpy(), rowvar=False)
    assert sum(comp.values()) == pytest.approx(np.sqrt(w @ s @ w) * -stats.norm.ppf(0.01))
    hist = risk.portfolio_var(df, [0.6, 0.4], 0.99, method="historical")
    assert hist.var == pytest.approx(-np.quantile(port, 0.01))


def test_kupiec_formula() -> None:
    n, x, p = 1000, 17, 0.01
    lr = -2 * np.log((1 - p) ** (n - x) * p**x / ((1 - x / n) ** (n - x) * (x / n) ** x))
    got = vb.kupiec_pof(x, n, 0.99)
    assert got["lr"] == pytest.approx(lr)
    assert got["p_value"] == pytest.approx(1 - stats.chi2.cdf(lr, 1))
    assert vb.kupiec_pof(0, 250, 0.99)["lr"] == pytest.approx(-2 * 250 * np.log(0.99))


def test_christoffersen_formula(rng: np.random.Generator) -> None:
    hits = (rng.random(800) < 0.03).astype(int)
    hits[100:104] = 1  # a cluster
    n = {(a, b): 0 for a in (0, 1) for b in (0, 1)}
    for a, b in zip(hits[:-1], hits[1:], strict=True):
        n[(a, b)] += 1
    p01 = n[0, 1] / (n[0, 0] + n[0, 1])
    p11 = n[1, 1] / (n[1, 0] + n[1, 1])
    pi = (n[0, 1] + n[1, 1]) / sum(n.values())
    l0 = (n[0, 0] + n[1, 0]) * np.log(1 - pi) + (n[0, 1] + n[1, 1]) * np.log(pi)
    l1 = n[0, 0] * np.log(1 - p01) + n[0, 1] * np.log(p01) + n[1, 0] * np.log(1 - p11) + n[1, 1] * np.log(p11)
    got = vb.christoffersen(hits, 0.99)
    assert got["lr_ind"] == pytest.approx(-2 * (l0 - l1))
    assert got["p_value_ind"] == pytest.approx(stats.chi2.sf(-2 * (l0 - l1), 1))
    lr_cc = -2 * (l0 - l1) + vb.kupiec_pof(int(hits.sum()), 800, 0.99)["lr"]
    assert got["lr_cc"] == pytest.approx(lr_cc)
    assert got["p_value_cc"] == pytest.approx(stats.chi2.sf(lr_cc, 2))


@pytest.mark.parametrize(
    ("x", "zone"), [(0, "green"), (4, "green"), (5, "yellow"), (9, "yellow"), (10, "red")]
)
def test_basel_traffic_light(x: int, zone: str) -> None:
    assert vb.traffic_light(x, 250, 0.99) == zone


def test_rolling_backtest_is_out_of_sample(r: pd.Series) -> None:
    bt = vb.var_backtest(r.iloc[:1600], 0.99, "historical", window=500, refit_every=50)
    # the VaR for day i uses the 500 returns before i, refitted every 50 days
    for i in (500, 549, 550, 1599):
        start = 500 + (i - 500) // 50 * 50
        assert bt.var.iloc[i - 500] == pytest.approx(-np.quantile(r.iloc[start - 500 : start], 0.01))
    hits = bt.exceedances.to_numpy()
    assert bt.tests["n_exceed"] == hits.sum() and bt.tests["n"] == 1100
    assert bt.tests["kupiec"] == vb.kupiec_pof(int(hits.sum()), 1100, 0.99)


def test_golden_garch_backtest_on_sp500(r: pd.Series) -> None:
    bt = vb.var_backtest(r, 0.99, "garch", window=1000, refit_every=250)
    t = bt.tests
    assert t["n"] == 4030
    assert t["n_exceed"] == 56  # 40.3 expected: the t-GARCH under-covers slightly at 99 %
    assert t["zone"] == "yellow" and t["last_250_exceed"] == 7
    assert t["kupiec"]["p_value"] == pytest.approx(0.01891, abs=1e-4)
    assert t["christoffersen"]["p_value_ind"] == pytest.approx(0.2390, abs=1e-3)
    assert t["christoffersen"]["n11"] == 2


def test_garch_backtest_block_uses_only_past(r: pd.Series) -> None:
    a = vb.var_backtest(r.iloc[:1300], 0.99, "fhs", window=1000, refit_every=300)
    shocked = r.iloc[:1300].copy()
    shocked.iloc[1200:] *= 5
    b = vb.var_backtest(shocked, 0.99, "fhs", window=1000, refit_every=300)
    np.testing.assert_allclose(a.var.iloc[:201], b.var.iloc[:201])  # day 1200's VaR uses returns up to 1199


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda r: risk.value_at_risk(r, 0.99, "delta-gamma"),
            UnknownMethodError,
            r"'historical', 'normal'.*'fhs'",
        ),
        (lambda r: risk.value_at_risk(r, 1.5), InvalidParameterError, r"level must be in \(0.5, 1\)"),
        (
            lambda r: risk.value_at_risk(r, 0.99, horizon=0),
            InvalidParameterError,
            "horizon must be an integer",
        ),
        (lambda r: risk.var_historical(r.iloc[:10]), InvalidParameterError, "at least 30 returns"),
        (lambda r: risk.var_monte_carlo(r, n_sims=10), InvalidParameterError, "n_sims must be >= 1000"),
        (
            lambda r: risk.portfolio_var(pd.DataFrame({"a": r}), [0.5, 0.5]),
            InvalidParameterError,
            "one weight",
        ),
        (lambda r: vb.var_backtest(r.iloc[:500], window=1000), InvalidParameterError, "smaller window"),
        (lambda r: vb.var_backtest(r, window=50), InvalidParameterError, "window must be >= 100"),
    ],
)
def test_validation(r: pd.Series, call, exc, match) -> None:
    with pytest.raises(exc, match=match):
        call(r)


def test_method_aliases() -> None:
    assert (
        risk.normalise_method("student_t") == "student-t" and risk.normalise_method("CF") == "cornish-fisher"
    )
