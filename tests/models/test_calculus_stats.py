"""Numerical calculus against closed forms; statistics against numpy and scipy.stats."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from models.errors import DataError
from models.maths import calculus, stats
from models.maths.distributions import (
    Bernoulli,
    Binomial,
    Normal,
    Poisson,
    chi2_test,
    confidence_interval,
    linear_regression,
    monte_carlo,
    ttest_1samp,
    ttest_ind,
)


def f2(p: np.ndarray) -> float:
    return float(p[0] ** 2 * p[1] + math.sin(p[1]))


def test_derivatives_match_closed_forms() -> None:
    assert calculus.derivative(math.exp, 1.0) == pytest.approx(math.e, rel=1e-9)
    assert calculus.second_derivative(math.sin, 0.5) == pytest.approx(-math.sin(0.5), rel=1e-6)
    p = np.array([1.5, -0.7])
    np.testing.assert_allclose(
        calculus.gradient(f2, p), [2 * p[0] * p[1], p[0] ** 2 + math.cos(p[1])], rtol=1e-8
    )
    np.testing.assert_allclose(
        calculus.hessian(f2, p), [[2 * p[1], 2 * p[0]], [2 * p[0], -math.sin(p[1])]], atol=1e-6
    )
    jac = calculus.jacobian(lambda v: np.array([v[0] * v[1], v[0] + v[1] ** 2, math.exp(v[0])]), p)
    np.testing.assert_allclose(jac, [[p[1], p[0]], [1, 2 * p[1]], [math.exp(p[0]), 0]], rtol=1e-8)


def test_gradient_descent_path_reaches_the_minimum() -> None:
    path = calculus.gradient_descent(
        lambda q: (q[0] - 1) ** 2 + 10 * (q[1] + 2) ** 2, [0.0, 0.0], lr=0.04, steps=300
    )
    assert path.shape == (301, 2)
    np.testing.assert_allclose(path[0], [0, 0])
    np.testing.assert_allclose(path[-1], [1, -2], atol=1e-6)
    # exact first step: x1 = x0 - lr * grad = (0.08, -1.6)
    np.testing.assert_allclose(path[1], [0.08, -1.6], atol=1e-8)


def test_descriptive_statistics_match_numpy_and_scipy(rng: np.random.Generator) -> None:
    x = rng.gamma(2.0, size=101)
    assert stats.mean(x) == pytest.approx(np.mean(x))
    assert stats.variance(x) == pytest.approx(np.var(x, ddof=1))
    assert stats.std(x, ddof=0) == pytest.approx(np.std(x))
    for q in (0.0, 0.1, 0.25, 0.5, 0.9, 1.0):
        assert stats.quantile(x, q) == pytest.approx(np.quantile(x, q))
    assert stats.median(x[:10]) == pytest.approx(np.median(x[:10]))
    assert stats.skewness(x) == pytest.approx(sps.skew(x))
    assert stats.kurtosis(x) == pytest.approx(sps.kurtosis(x))
    m = rng.standard_normal((40, 3))
    np.testing.assert_allclose(stats.covariance(m), np.cov(m.T), atol=1e-12)
    np.testing.assert_allclose(stats.correlation(m), np.corrcoef(m.T), atol=1e-12)
    assert stats.describe(x)["q3"] == pytest.approx(np.quantile(x, 0.75))
    with pytest.raises(DataError, match="at least 2"):
        stats.variance([1.0])


@pytest.mark.parametrize("df", [1, 3.5, 10, 40])
def test_t_and_chi2_functions_match_scipy(df: float) -> None:
    for v in (-3.0, -0.4, 0.0, 1.2, 5.0):
        assert stats.t_cdf(v, df) == pytest.approx(sps.t.cdf(v, df), abs=1e-12)
    for v in (0.1, 1.0, df, 3 * df):
        assert stats.chi2_cdf(v, df) == pytest.approx(sps.chi2.cdf(v, df), abs=1e-12)
    for q in (0.025, 0.5, 0.95):
        assert stats.t_ppf(q, df) == pytest.approx(sps.t.ppf(q, df), abs=1e-8)
        assert stats.chi2_ppf(q, df) == pytest.approx(sps.chi2.ppf(q, df), abs=1e-8)


def test_distributions_match_scipy(rng: np.random.Generator) -> None:
    n = Normal(1.0, 2.0)
    for x in (-3.0, 0.0, 1.0, 4.5):
        assert n.pdf(x) == pytest.approx(sps.norm.pdf(x, 1, 2))
        assert n.cdf(x) == pytest.approx(sps.norm.cdf(x, 1, 2))
    for q in (0.001, 0.3, 0.975):
        assert n.ppf(q) == pytest.approx(sps.norm.ppf(q, 1, 2), abs=1e-9)
    b, p, be = Binomial(12, 0.3), Poisson(3.5), Bernoulli(0.2)
    for k in range(13):
        assert b.pmf(k) == pytest.approx(sps.binom.pmf(k, 12, 0.3))
        assert b.cdf(k) == pytest.approx(sps.binom.cdf(k, 12, 0.3))
        assert p.pmf(k) == pytest.approx(sps.poisson.pmf(k, 3.5))
        assert p.cdf(k) == pytest.approx(sps.poisson.cdf(k, 3.5))
    for q in (0.05, 0.5, 0.95):
        assert b.ppf(q) == sps.binom.ppf(q, 12, 0.3)
        assert p.ppf(q) == sps.poisson.ppf(q, 3.5)
    assert be.pmf(1) == 0.2 and be.cdf(0) == pytest.approx(0.8)
    draws = {
        "normal": (n.sample(20000, rng), 1.0, 2.0),
        "binom": (b.sample(20000, rng), 3.6, math.sqrt(2.52)),
        "poisson": (p.sample(20000, rng), 3.5, math.sqrt(3.5)),
    }
    for name, (d, mu, sd) in draws.items():
        assert abs(d.mean() - mu) < 4 * sd / math.sqrt(d.size), name
        assert abs(d.std() - sd) < 0.05 * sd, name
    assert sps.kstest(n.sample(5000, rng), "norm", args=(1, 2)).pvalue > 0.001


def test_tests_intervals_and_regression_match_scipy(rng: np.random.Generator) -> None:
    x, y = rng.normal(0.3, 1, 30), rng.normal(0.0, 2, 25)
    for ours, ref in [
        (ttest_1samp(x, 0.0), sps.ttest_1samp(x, 0.0)),
        (ttest_ind(x, y), sps.ttest_ind(x, y, equal_var=False)),
        (ttest_ind(x, y, equal_var=True), sps.ttest_ind(x, y)),
    ]:
        assert ours.statistic == pytest.approx(ref.statistic)
        assert ours.pvalue == pytest.approx(ref.pvalue, abs=1e-10)
    obs = [18, 22, 30, 30]
    assert chi2_test(obs).statistic == pytest.approx(sps.chisquare(obs).statistic)
    assert chi2_test(obs).pvalue == pytest.approx(sps.chisquare(obs).pvalue)
    table = np.array([[10, 20, 30], [25, 15, 12]])
    ref = sps.chi2_contingency(table, correction=False)
    assert chi2_test(table).statistic == pytest.approx(ref.statistic)
    assert chi2_test(table).pvalue == pytest.approx(ref.pvalue)
    lo, hi = confidence_interval(x, 0.95)
    ref_lo, ref_hi = sps.t.interval(0.95, len(x) - 1, loc=np.mean(x), scale=sps.sem(x))
    assert (lo, hi) == pytest.approx((ref_lo, ref_hi))
    u = rng.standard_normal(40)
    v = 2 * u + 1 + rng.standard_normal(40)
    fit, ref = linear_regression(u, v), sps.linregress(u, v)
    assert (fit.slope, fit.intercept, fit.r, fit.stderr) == pytest.approx(
        (ref.slope, ref.intercept, ref.rvalue, ref.stderr)
    )
    assert fit.pvalue == pytest.approx(ref.pvalue, abs=1e-12)


def test_monte_carlo_estimates_pi_within_its_standard_error(rng: np.random.Generator) -> None:
    est, se = monte_carlo(
        lambda u: 4.0 * (u[:, 0] ** 2 + u[:, 1] ** 2 <= 1), lambda k, r: r.random((k, 2)), 200_000, rng
    )
    assert abs(est - math.pi) < 4 * se
    assert se == pytest.approx(math.sqrt(math.pi * (4 - math.pi) / 200_000), rel=0.01)
