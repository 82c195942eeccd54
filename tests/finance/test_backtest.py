from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finance import backtest as bt
from finance import strategies as st
from finance.errors import InvalidParameterError, OverfittingWarning, UnknownStrategyError

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def naive_backtest(
    close: list[float], signal: list[float], cost_bps: float, lag: int = 1
) -> tuple[list, int]:
    """Day-by-day loop: the position held on day t is the signal of day t - lag."""
    rets, prev_pos, trades = [], 0.0, 0
    for t in range(1, len(close)):
        pos = signal[t - lag] if t - lag >= 0 else 0.0
        if pos != 0 and np.sign(pos) != np.sign(prev_pos):
            trades += 1
        r = pos * (close[t] / close[t - 1] - 1) - abs(pos - prev_pos) * cost_bps / 1e4
        rets.append(r)
        prev_pos = pos
    return rets, trades


@pytest.mark.parametrize("name", sorted(st.STRATEGIES))
@pytest.mark.parametrize("lag", [1, 2])
def test_vectorised_equals_naive_loop(spx: pd.DataFrame, name: str, lag: int) -> None:
    close = spx["close"].iloc[:1500]
    params = {"allow_short": True} if name not in {"buy-hold"} else {}
    sig = st.make_signal(name, close, params)
    res = bt.backtest(close, sig, cost_bps=7.0, lag=lag)
    rets, trades = naive_backtest(close.tolist(), sig.tolist(), 7.0, lag)
    np.testing.assert_allclose(res.returns.to_numpy(), rets, rtol=0, atol=1e-15)
    assert res.n_trades == trades


def test_no_look_ahead(spx: pd.DataFrame) -> None:
    close = spx["close"].iloc[:800]
    base = bt.backtest(close, st.sma_cross(close, 10, 30))
    shocked = close.copy()
    shocked.iloc[500:] *= 3.0  # change the future after day 499
    res = bt.backtest(shocked, st.sma_cross(shocked, 10, 30))
    # returns through day 499 only depend on prices up to 499
    pd.testing.assert_series_equal(res.returns.iloc[:499], base.returns.iloc[:499])
    pd.testing.assert_series_equal(res.positions.iloc[:500], base.positions.iloc[:500])


def test_costs_and_slippage_add_up() -> None:
    p = pd.Series([100.0, 100, 100, 100], index=pd.bdate_range("2020-01-01", periods=4))
    sig = pd.Series([1.0, -1.0, -1.0, 0.0], index=p.index)
    res = bt.backtest(p, sig, cost_bps=5, slippage_bps=5)
    # positions 1, -1, -1 on days 2..4: traded 1 + 2 + 0 units of notional at 10 bps
    np.testing.assert_allclose(res.costs.to_numpy(), [0.001, 0.002, 0.0])
    assert res.n_trades == 2 and res.stats["total_costs"] == pytest.approx(0.003)


def test_vol_target_sizing(spx: pd.DataFrame) -> None:
    close = spx["close"].iloc[:400]
    res = bt.backtest(
        close,
        st.buy_hold(close),
        sizing="vol-target",
        vol_target=0.10,
        vol_window=20,
        max_leverage=3.0,
        cost_bps=0,
    )
    vol = close.pct_change().rolling(20).std() * np.sqrt(252)
    expected = (0.10 / vol).clip(upper=3.0).fillna(0.0).shift(1).fillna(0.0).iloc[1:]
    np.testing.assert_allclose(res.positions.to_numpy(), expected.to_numpy())
    assert res.n_trades == 1  # resizing is not a new trade


def test_fraction_sizing_scales_returns(spx: pd.DataFrame) -> None:
    close = spx["close"].iloc[:300]
    full = bt.backtest(close, st.buy_hold(close), cost_bps=0)
    half = bt.backtest(close, st.buy_hold(close), cost_bps=0, fraction=0.5)
    np.testing.assert_allclose(half.returns, 0.5 * full.returns)


def test_golden_sma_cross_on_sp500(spx: pd.DataFrame) -> None:
    res = bt.backtest(spx, st.make_signal("sma-cross", spx["close"], {"fast": 20, "slow": 50}), cost_bps=5)
    s = res.stats
    assert res.n_trades == 58
    assert s["sharpe"] == pytest.approx(0.174991, abs=1e-6)
    assert s["cagr"] == pytest.approx(0.0133901, abs=1e-7)
    assert s["max_drawdown"] == pytest.approx(0.3719051, abs=1e-7)
    assert s["max_drawdown_days"] == 3514
    assert s["exposure"] == pytest.approx(0.6115308, abs=1e-7)
    assert s["total_costs"] == pytest.approx(0.058)  # 58 round trips of 2 x 5 bps


def test_golden_buy_hold_on_sp500(spx: pd.DataFrame) -> None:
    res = bt.backtest(spx, st.buy_hold(spx["close"]), cost_bps=0)
    close = spx["close"]
    assert res.stats["total_return"] == pytest.approx(close.iloc[-1] / close.iloc[0] - 1)
    assert res.stats["max_drawdown"] == pytest.approx(0.5677539, abs=1e-7)  # 2007-10 -> 2009-03
    assert res.stats["sharpe"] == pytest.approx(0.2827392, abs=1e-7)
    assert res.stats["annual_volatility"] == pytest.approx(0.1909821, abs=1e-7)


def test_sweep_matches_single_backtests(spx: pd.DataFrame) -> None:
    close = spx["close"].iloc[:2000]
    sw = bt.sma_sweep(close, [5, 10, 20, 60], [20, 50, 60, 100], cost_bps=5)
    assert len(sw.table) == 4 * 4 - 4  # pairs with fast >= slow dropped: (20,20),(60,20),(60,50),(60,60)
    for j, row in sw.table.iterrows():
        res = bt.backtest(close, st.sma_cross(close, int(row.fast), int(row.slow)), cost_bps=5)
        np.testing.assert_allclose(sw.returns[:, j], res.returns.to_numpy(), atol=1e-15)
        assert row.n_trades == res.n_trades
        assert row.sharpe == pytest.approx(res.stats["sharpe"])
        assert row.max_drawdown == pytest.approx(res.stats["max_drawdown"])


def test_sma_matrix_equals_rolling_mean(spx: pd.DataFrame) -> None:
    close = spx["close"].iloc[:300]
    got = st.sma_matrix(close.to_numpy(), np.array([1, 7, 50]))
    for j, w in enumerate([1, 7, 50]):
        np.testing.assert_allclose(got[:, j], close.rolling(w).mean().to_numpy(), rtol=1e-12)


def test_deflated_sharpe_formula(rng: np.random.Generator) -> None:
    from scipy import stats

    r = rng.normal(0.001, 0.01, 1000)
    trials = rng.normal(0.0, 0.02, 50)
    sr = r.mean() / r.std(ddof=1)
    v = trials.var(ddof=1)
    g = 0.5772156649015329
    sr0 = np.sqrt(v) * ((1 - g) * stats.norm.ppf(1 - 1 / 50) + g * stats.norm.ppf(1 - 1 / (50 * np.e)))
    num = (sr - sr0) * np.sqrt(999)
    den = np.sqrt(1 - stats.skew(r) * sr + (stats.kurtosis(r, fisher=False) - 1) / 4 * sr**2)
    assert bt.deflated_sharpe_ratio(r, trials) == pytest.approx(stats.norm.cdf(num / den))


def test_overfitting_warning_on_a_random_walk(rng: np.random.Generator) -> None:
    close = pd.Series(
        100 * np.exp(np.cumsum(rng.normal(0, 0.01, 1500))), index=pd.bdate_range("2000-01-03", periods=1500)
    )
    sw = bt.sma_sweep(close, list(range(2, 40, 2)), list(range(50, 250, 10)))
    with pytest.warns(OverfittingWarning, match="likely luck"):
        rep = bt.overfitting_report(sw)
    assert rep["n_trials"] == len(sw.table) and rep["deflated_sharpe"] < 0.95


def test_walk_forward(spx: pd.DataFrame) -> None:
    splits = bt.walk_forward_splits(10, train=4, test=3)
    assert [(a.start, a.stop, b.start, b.stop) for a, b in splits] == [(0, 4, 4, 7), (3, 7, 7, 10)]
    oos, folds = bt.walk_forward_sma(spx, [10, 20], [50, 100], train=756, test=252)
    assert oos.index.is_unique and oos.index[0] == spx.index[757]
    assert len(oos) == len(spx) - 1 - 756 and len(folds) == 17


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda c: st.make_signal("macd", c),
            UnknownStrategyError,
            r"Valid choices: 'buy-hold', 'sma-cross'",
        ),
        (
            lambda c: st.make_signal("sma-cross", c, {"fast": 50, "slow": 20}),
            InvalidParameterError,
            "shorter than slow",
        ),
        (
            lambda c: st.make_signal("sma-cross", c, {"window": 5}),
            InvalidParameterError,
            r"Valid parameters: \['allow_short', 'fast', 'slow'\]",
        ),
        (lambda c: st.make_signal("momentum", c, {"lookback": 0}), InvalidParameterError, "integer >= 1"),
        (
            lambda c: st.make_signal("mean-reversion", c, {"entry": 1, "exit": 2}),
            InvalidParameterError,
            "exit < entry",
        ),
        (lambda c: st.make_signal("bollinger", c, {"n_std": -1}), InvalidParameterError, "n_std must be > 0"),
        (lambda c: st.make_signal("rsi", c, {"lower": 80}), InvalidParameterError, "lower < upper"),
        (lambda c: bt.backtest(c, st.buy_hold(c), lag=0), InvalidParameterError, "lag must be >= 1"),
        (lambda c: bt.backtest(c, st.buy_hold(c), cost_bps=-1), InvalidParameterError, "must be >= 0"),
        (lambda c: bt.backtest(c, st.buy_hold(c), sizing="kelly"), ValueError, "'fixed', 'vol-target'"),
        (lambda c: bt.backtest(c, st.buy_hold(c), fraction=5), InvalidParameterError, "fraction must be in"),
        (lambda c: bt.sma_sweep(c, [50], [20]), InvalidParameterError, "No pair with fast < slow"),
        (lambda c: bt.walk_forward_splits(5, 10, 2), InvalidParameterError, "shorter than train"),
    ],
)
def test_validation(spx: pd.DataFrame, call, exc, match) -> None:
    with pytest.raises(exc, match=match):
        call(spx["close"].iloc[:300])


def test_strategy_names_accept_underscores() -> None:
    assert st.normalise_strategy("sma_cross") == "sma-cross"
    assert st.normalise_strategy("Mean_Reversion") == "mean-reversion"
    assert st.strategy_params("sma-cross") == {"fast": 20, "slow": 50, "allow_short": False}


def test_rsi_formula() -> None:
    p = pd.Series([1.0, 2, 1, 2, 3, 2, 3, 4, 5, 4])
    got = st.rsi(p, 3)
    gain = loss = None
    out = []
    d = p.diff().tolist()
    for t in range(1, len(p)):
        g, l_ = max(d[t], 0.0), max(-d[t], 0.0)
        gain = g if gain is None else gain + (g - gain) / 3
        loss = l_ if loss is None else loss + (l_ - loss) / 3
        out.append(100 - 100 / (1 + gain / loss) if loss > 0 else 100.0)
    np.testing.assert_allclose(got.iloc[3:], out[2:])
    assert got.iloc[:3].isna().all()
