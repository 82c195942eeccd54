from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from finance import metrics as m

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


@pytest.fixture
def rets(rng: np.random.Generator) -> pd.Series:
    return pd.Series(rng.normal(0.0004, 0.01, 500), index=pd.bdate_range("2020-01-01", periods=500))


def test_cagr_and_vol_naive(rets: pd.Series) -> None:
    eq = 1.0
    for r in rets:
        eq *= 1 + r
    assert m.cagr(rets) == pytest.approx(eq ** (252 / 500) - 1)
    mean = sum(rets) / len(rets)
    sd = math.sqrt(sum((r - mean) ** 2 for r in rets) / (len(rets) - 1))
    assert m.annual_volatility(rets) == pytest.approx(sd * math.sqrt(252))
    assert m.sharpe_ratio(rets) == pytest.approx(mean / sd * math.sqrt(252))
    assert m.sharpe_ratio(rets, rf=0.02) == pytest.approx((mean - 0.02 / 252) / sd * math.sqrt(252))
    down = math.sqrt(sum(min(r, 0) ** 2 for r in rets) / len(rets))
    assert m.sortino_ratio(rets) == pytest.approx(mean / down * math.sqrt(252))


def test_drawdown_naive(rets: pd.Series) -> None:
    eq, peak, mdd, run, longest = 1.0, 1.0, 0.0, 0, 0
    for r in rets:
        eq *= 1 + r
        peak = max(peak, eq)
        mdd = max(mdd, 1 - eq / peak)
        run = run + 1 if eq < peak else 0
        longest = max(longest, run)
    assert m.max_drawdown(rets) == pytest.approx(mdd)
    assert m.max_drawdown_duration(rets) == longest
    assert m.calmar_ratio(rets) == pytest.approx(m.cagr(rets) / mdd)


def test_known_drawdown() -> None:
    r = pd.Series([0.10, -0.50, 0.20, 1.0])
    # equity 1.1, 0.55, 0.66, 1.32: trough 0.55 from peak 1.1, underwater 2 days
    assert m.max_drawdown(r) == pytest.approx(0.5)
    assert m.max_drawdown_duration(r) == 2


def test_positions_metrics() -> None:
    pos = pd.Series([0.0, 1, 1, 0, -1, -1])
    r = pd.Series([0.01, 0.02, -0.01, 0.03, 0.01, -0.02])
    assert m.exposure(pos) == pytest.approx(4 / 6)
    assert m.turnover(pos) == pytest.approx(252 * (0 + 1 + 0 + 1 + 1 + 0) / 6)
    assert m.hit_rate(r, pos) == pytest.approx(2 / 4)
    assert m.hit_rate(r) == pytest.approx(4 / 6)


def test_degenerate_inputs_do_not_warn() -> None:
    flat = pd.Series([0.0, 0.0, 0.0])
    assert m.sharpe_ratio(flat) == 0.0 and m.sortino_ratio(flat) == 0.0 and m.calmar_ratio(flat) == 0.0
    assert m.cagr(pd.Series([], dtype=float)) == 0.0
    s = m.performance_summary(flat, flat)
    assert s["max_drawdown"] == 0.0 and s["exposure"] == 0.0
