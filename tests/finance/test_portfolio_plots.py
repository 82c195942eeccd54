from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finance import plots, portfolio
from finance.backtest import backtest, sma_sweep
from finance.errors import InvalidParameterError
from finance.returns import returns
from finance.strategies import buy_hold, sma_cross
from finance.var_backtest import var_backtest

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

MU = pd.Series([0.08, 0.12, 0.10], index=["a", "b", "c"])
COV = pd.DataFrame(
    [[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.0625]], index=MU.index, columns=MU.index
)


def test_min_variance_closed_form() -> None:
    inv = np.linalg.inv(COV.to_numpy())
    w = inv @ np.ones(3) / (np.ones(3) @ inv @ np.ones(3))  # interior: all positive here
    assert (w > 0).all()
    got = portfolio.min_variance(MU, COV)
    np.testing.assert_allclose(got.weights.to_numpy(), w, atol=1e-6)
    assert got.volatility == pytest.approx(np.sqrt(w @ COV.to_numpy() @ w), rel=1e-6)


def test_max_sharpe_closed_form() -> None:
    rf = 0.02
    w = np.linalg.solve(COV.to_numpy(), MU.to_numpy() - rf)
    w /= w.sum()
    got = portfolio.max_sharpe(MU, COV, rf)
    np.testing.assert_allclose(got.weights.to_numpy(), w, atol=1e-5)
    assert got.sharpe == pytest.approx((w @ MU - rf) / np.sqrt(w @ COV.to_numpy() @ w), rel=1e-6)


def test_frontier_is_increasing_and_long_only() -> None:
    f = portfolio.efficient_frontier(MU, COV, 8)
    assert f["return"].is_monotonic_increasing and f["volatility"].is_monotonic_increasing
    w = f[["a", "b", "c"]].to_numpy()
    assert (w >= -1e-9).all() and np.allclose(w.sum(axis=1), 1)
    assert f["volatility"].iloc[0] == pytest.approx(portfolio.min_variance(MU, COV).volatility, rel=1e-5)


def test_capm_matches_least_squares(rng: np.random.Generator) -> None:
    m = pd.Series(rng.normal(0.0004, 0.01, 1000))
    a = 0.0002 + 1.3 * m + rng.normal(0, 0.005, 1000)
    beta, alpha = np.polyfit(m, a, 1)
    got = portfolio.capm(a, m)
    assert got["beta"] == pytest.approx(beta) and got["alpha_annual"] == pytest.approx(252 * alpha)


def test_portfolio_validation() -> None:
    with pytest.raises(InvalidParameterError, match="No asset beats the risk-free rate"):
        portfolio.max_sharpe(MU, COV, rf=0.5)
    with pytest.raises(InvalidParameterError, match="at least 2 assets"):
        portfolio.annualised_moments(pd.DataFrame({"a": [0.01, 0.02]}))
    with pytest.raises(InvalidParameterError, match="n_points must be >= 2"):
        portfolio.efficient_frontier(MU, COV, 1)


def test_figures(spx: pd.DataFrame) -> None:
    close = spx["close"].iloc[:1500]
    res, bench = backtest(close, sma_cross(close, 20, 50)), backtest(close, buy_hold(close))
    fig = plots.equity_drawdown_figure(res, bench)
    assert [t.name for t in fig.data] == ["strategy", "buy and hold", "drawdown %"]
    r = returns(close)
    assert len(plots.volatility_figure(r, r.abs(), r.abs()).data) == 3
    bt = var_backtest(r, 0.99, "historical", window=500)
    vf = plots.var_figure(bt)
    assert vf.data[2].name == f"exceedances ({int(bt.exceedances.sum())})"
    np.testing.assert_allclose(vf.data[1].y, -100 * bt.var.to_numpy())
    sw = sma_sweep(close, [5, 10], [20, 50, 100])
    hm = plots.sweep_heatmap(sw.table)
    assert np.asarray(hm.data[0].z).shape == (2, 3)
    ff = plots.frontier_figure(portfolio.efficient_frontier(MU, COV, 5), special={"min var": (0.15, 0.09)})
    assert len(ff.data) == 2
