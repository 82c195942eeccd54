"""Exercise references of the finance chapters against ``finance/`` (see test_exercise_references.py)."""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from finance import metrics
from finance.backtest import backtest
from finance.returns import returns
from finance.risk import var_historical
from finance.strategies import sma_cross, sma_matrix
from finance.var_backtest import VaRBacktest, kupiec_pof, var_backtest
from finance.volatility import fit_garch
from tests.helpers.exercise_reference import check, close


def _prices(seed: int, n: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=n)
    return pd.Series(100 * np.exp(np.cumsum(rng.normal(0.0004, 0.012, size=n))), index=index, name="close")


@check("rendements")
def _returns(sol: ModuleType) -> None:
    prices = _prices(201, 80)
    simple = sol.simple_returns(prices.to_numpy())
    np.testing.assert_array_equal(simple, returns(prices, "simple").to_numpy())  # P_t / P_{t-1} - 1, both
    # log: the exercise takes diff(log P), finance log(P_t / P_{t-1}): equal up to rounding
    close(sol.log_returns(prices.to_numpy()), returns(prices, "log").to_numpy(), rtol=1e-10, atol=1e-16)
    total = sol.cumulative_return(simple)
    close(total, metrics.equity_curve(pd.Series(simple)).iloc[-1] - 1.0, rtol=1e-12)
    # the total return is the CAGR with one "year" = the whole sample
    close(total, metrics.cagr(pd.Series(simple), periods_per_year=len(simple)), rtol=1e-12)


@check("var_historique")
def _historical_var(sol: ModuleType) -> None:
    rng = np.random.default_rng(202)
    for n in (100, 500):
        r = rng.standard_t(4, size=n) * 0.01
        for level in (0.9, 0.95, 0.975, 0.99):
            # both: numpy's linear quantile (type 7) at 1 - level, VaR and ES as positive loss fractions
            res = var_historical(r, level)
            assert sol.historical_var(r, level) == res.var
            assert sol.expected_shortfall(r, level) == res.es
    # h-day VaR: finance compounds overlapping h-day returns; the exercise, fed that sample, gives the same
    h = 10
    r_h = pd.Series(1 + r).rolling(h).apply(np.prod, raw=True).dropna().to_numpy() - 1
    res = var_historical(r, 0.99, horizon=h)
    assert sol.historical_var(r_h, 0.99) == pytest.approx(res.var, rel=1e-10)
    assert sol.expected_shortfall(r_h, 0.99) == pytest.approx(res.es, rel=1e-10)


def _simulate_garch(n: int, omega: float, alpha: float, beta: float, seed: int) -> np.ndarray:
    rng, r, s2 = np.random.default_rng(seed), np.empty(n), omega / (1 - alpha - beta)
    for t in range(n):
        r[t] = math.sqrt(s2) * rng.normal()
        s2 = omega + alpha * r[t] ** 2 + beta * s2
    return r


@check("garch_vraisemblance")
def _garch(sol: ModuleType) -> None:
    r = 0.0003 + _simulate_garch(1500, 2e-6, 0.08, 0.9, seed=203)
    fit = fit_garch(pd.Series(r, index=pd.bdate_range("2015-01-01", periods=len(r))), "garch", "normal")
    assert fit.converged
    # finance fits arch on 100 x returns with a constant mean; the exercise has no mean, in fractions
    s = fit.scale
    eps, omega = r - fit.params["mu"] / s, fit.params["omega"] / s**2
    alpha, beta = fit.params["alpha[1]"], fit.params["beta[1]"]
    s2_ex = sol.garch11_variance(eps, omega, alpha, beta)
    s2_fin = fit.conditional_volatility.to_numpy() ** 2
    # Start of the recursion: the exercise sets sigma2_0 = var(eps) (population), arch sets
    # sigma2_0 = omega + (alpha + beta) * backcast, backcast = 0.94^j-weighted mean of the first 75 squared
    # residuals about the sample mean (arch's starting values), not about the fitted mu.
    wts, start = 0.94 ** np.arange(75), (r - r.mean())[:75]
    close(s2_fin[0], omega + (alpha + beta) * np.sum(start**2 * wts / wts.sum()), rtol=1e-9)
    close(s2_ex[0], eps.var(), rtol=1e-12)
    # the same recursion afterwards: the gap is the initial gap times beta^t
    close(s2_ex - s2_fin, (s2_ex[0] - s2_fin[0]) * beta ** np.arange(len(r)), rtol=0, atol=1e-9 * s2_fin.mean())
    # Log-likelihood: arch's is the density of the scaled returns, ll(r) = ll(100 r) + n ln 100; the exercise's
    # differs from it only through the first variances, by exactly this amount:
    ll_fin = fit.loglikelihood + len(r) * math.log(s)
    start_gap = -0.5 * np.sum(np.log(s2_ex / s2_fin) + eps**2 * (1 / s2_ex - 1 / s2_fin))
    ll_ex = sol.garch11_loglik(eps, omega, alpha, beta)
    assert ll_ex == pytest.approx(ll_fin + start_gap, rel=1e-9)
    # and finance's maximum-likelihood estimate is a maximum of the exercise's likelihood too
    for i in range(3):
        for factor in (0.9, 1.1):
            theta = [omega, alpha, beta]
            theta[i] *= factor
            if theta[1] + theta[2] < 1:
                assert sol.garch11_loglik(eps, *theta) < ll_ex


@check("backtest_sma")
def _backtest_sma(sol: ModuleType) -> None:
    prices = _prices(204, 300)
    p = prices.to_numpy()
    for w in (1, 5, 20, 50):  # both from one cumulative sum: bit for bit, NaN during the warm-up
        np.testing.assert_array_equal(sol.sma(p, w), sma_matrix(p, np.array([w]))[:, 0])
    for fast, slow in ((5, 20), (10, 50), (20, 60)):
        pos = sol.crossover_positions(p, fast, slow)
        strat = sol.strategy_returns(p, pos)
        # finance: signal at the close of t, held from t + 1 (lag=1); its series start at the second price.
        # The exercise has no costs; finance's default is 5 bps, so cost_bps=0 first.
        res = backtest(prices, sma_cross(prices, fast, slow), cost_bps=0.0)
        assert pos[0] == 0
        np.testing.assert_array_equal(pos[1:], res.positions.to_numpy())
        np.testing.assert_array_equal(strat[1:], res.returns.to_numpy())
        # with costs: finance charges cost_bps / 1e4 x |change of position| on the day the position starts
        costly = backtest(prices, sma_cross(prices, fast, slow), cost_bps=10.0)
        charged = 10.0 / 1e4 * np.abs(np.diff(pos))
        close(costly.returns.to_numpy(), strat[1:] - charged, rtol=0, atol=1e-16)


@check("ratio_sharpe")
def _sharpe(sol: ModuleType) -> None:
    rng = np.random.default_rng(205)
    for n in (12, 60, 252):
        r = rng.normal(0.0004, 0.01, size=n)
        for rf, periods in ((0.0, 252), (0.03, 252), (0.02, 12)):
            # both: annual rf converted as rf / periods, sample std (ddof=1), sqrt(periods) annualisation
            expected = metrics.sharpe_ratio(pd.Series(r), rf=rf, periods_per_year=periods)
            assert sol.sharpe_ratio(r, rf=rf, periods_per_year=periods) == pytest.approx(expected, rel=1e-12)
    # Degenerate series: the exercise raises ValueError, finance reports 0.0 (a summary must not fail)
    for r in ([0.01], [0.01, 0.01, 0.01]):
        with pytest.raises(ValueError):
            sol.sharpe_ratio(r)
        assert metrics.sharpe_ratio(pd.Series(r)) == 0.0


@check("kupiec_pof")
def _kupiec(sol: ModuleType) -> None:
    rng = np.random.default_rng(206)
    cases = [(250, 0), (250, 2), (250, 12), (250, 250), (1000, 10)] + [
        (int(n), int(rng.integers(0, n + 1))) for n in rng.integers(20, 2000, size=10)]
    for n, x in cases:
        for level in (0.95, 0.99):
            # argument order differs: exercise kupiec_pof(n_obs, n_exceptions), finance (n_exceed, n);
            # p-value: erfc(sqrt(LR / 2)) in the exercise, chi2(1).sf(LR) in finance
            lr, p_value = sol.kupiec_pof(n, x, level)
            expected = kupiec_pof(x, n, level)
            assert lr == pytest.approx(expected["lr"], rel=1e-12, abs=1e-12)
            assert p_value == pytest.approx(expected["p_value"], rel=1e-10, abs=1e-300)
    # the whole chain on a rolling historical-VaR backtest: exceptions R_t < -VaR_t (strict) and the test
    r = pd.Series(rng.standard_t(4, size=900) * 0.01, index=pd.bdate_range("2018-01-01", periods=900))
    bt = var_backtest(r, 0.99, "historical", window=250, refit_every=21)
    x = sol.count_exceptions(bt.returns.to_numpy(), bt.var.to_numpy())
    assert x == bt.tests["n_exceed"] == int(bt.exceedances.sum()) > 0
    lr, p_value = sol.kupiec_pof(bt.tests["n"], x, 0.99)
    # a loss exactly equal to the VaR is not an exception, on both sides
    tie = VaRBacktest(pd.Series([0.02, 0.02, 0.02]), pd.Series([-0.02, -0.03, 0.01]), 0.99, "historical")
    assert sol.count_exceptions(tie.returns, tie.var) == int(tie.exceedances.sum()) == 1
    assert (lr, p_value) == pytest.approx((bt.tests["kupiec"]["lr"], bt.tests["kupiec"]["p_value"]), rel=1e-10)
