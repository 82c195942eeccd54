from __future__ import annotations

import json

import numpy as np
import pytest

from finance import api
from finance.errors import (
    FinanceError,
    InvalidParameterError,
    UnknownMethodError,
    UnknownModelError,
    UnknownStrategyError,
)

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _roundtrip(d: dict) -> dict:
    return json.loads(json.dumps(d, allow_nan=False))


def test_backtest_summary_is_json_and_golden() -> None:
    s = _roundtrip(api.backtest_summary("SPY", "sma_cross", {"fast": 20, "slow": 50}))
    assert s["source"] == "snapshot:sp500" and "index" in s["note"]
    assert (s["start"], s["end"], s["n_days"]) == ("1999-01-04", "2018-12-31", 5031)
    assert s["strategy"] == "sma-cross" and s["params"] == {"fast": 20, "slow": 50, "allow_short": False}
    assert s["n_trades"] == 58
    assert s["sharpe"] == pytest.approx(0.174991, abs=1e-6)
    assert s["max_drawdown_pct"] == pytest.approx(37.190507, abs=1e-5)
    assert s["buy_hold"]["sharpe"] == pytest.approx(0.2827, abs=1e-4)


def test_backtest_summary_dates_and_costs() -> None:
    a = api.backtest_summary("^GSPC", "buy-hold", start="2010-01-01", end="2012-12-31", cost_bps=0)
    assert (a["start"], a["end"]) == ("2010-01-04", "2012-12-31")
    b = api.backtest_summary("^GSPC", "buy-hold", start="2010-01-01", end="2012-12-31", cost_bps=10)
    from finance.data import load_prices

    close = load_prices("^GSPC", "2010-01-01", "2012-12-31", offline=True)["close"]
    r1 = close.iloc[1] / close.iloc[0] - 1  # the entry cost is paid on the first day held
    assert a["total_return"] - b["total_return"] == pytest.approx((1 + a["total_return"]) / (1 + r1) * 0.001)


@pytest.mark.parametrize(
    "strategy", ["buy-hold", "sma-cross", "momentum", "mean-reversion", "bollinger", "rsi"]
)
def test_every_strategy_runs(strategy: str) -> None:
    s = _roundtrip(api.backtest_summary("SPY", strategy, start="2005-01-01", end="2010-12-31"))
    assert s["n_trades"] >= 1 and -1 < s["total_return"]


def test_garch_summary() -> None:
    s = _roundtrip(api.garch_summary("SPY", "garch", "normal"))
    p = s["params"]
    assert s["persistence"] == pytest.approx(p["alpha[1]"] + p["beta[1]"])
    assert s["half_life_days"] == pytest.approx(np.log(0.5) / np.log(s["persistence"]))
    uncond = np.sqrt(p["omega"] / (1 - s["persistence"])) / 100 * np.sqrt(252) * 100
    assert s["unconditional_volatility_annual_pct"] == pytest.approx(uncond)
    assert len(s["forecast_annual_pct"]) == 10
    assert s["forecast_annual_pct"][-1] < s["forecast_annual_pct"][0]  # high vol at end-2018 decays
    assert s["last_volatility_annual_pct"] == pytest.approx(31.6319, abs=1e-3)


def test_var_summary_garch() -> None:
    s = _roundtrip(api.var_summary("SPY", 0.99, "garch"))
    assert s["var_pct"] == pytest.approx(100 * s["var"]) and s["es"] > s["var"] > 0
    assert s["as_of"] == "2018-12-31" and s["window"] == 1000
    bt = s["backtest"]
    assert bt["n"] == 4030 and bt["refit_every"] == 63 and bt["basel_zone"] in {"green", "yellow", "red"}
    assert 0 <= bt["kupiec_p"] <= 1 and 0 <= bt["christoffersen_cc_p"] <= 1


def test_var_summary_historical_golden() -> None:
    s = api.var_summary("SPY", 0.99, "historical", window=1000)
    from finance.data import load_prices
    from finance.returns import returns

    r = returns(load_prices("SPY", offline=True))
    assert s["var"] == pytest.approx(-np.quantile(r.iloc[-1000:], 0.01))
    assert s["backtest"]["n_exceed"] == 65


def test_var_summary_short_range_skips_backtest() -> None:
    s = api.var_summary("SPY", 0.95, "normal", 10, start="2018-01-01")
    assert "backtest" not in s and s["horizon_days"] == 10 and s["window"] == 250


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda: api.backtest_summary("SPY", "turtle"),
            UnknownStrategyError,
            "'buy-hold', 'sma-cross', 'momentum'",
        ),
        (
            lambda: api.backtest_summary("SPY", "sma-cross", {"fast": 60, "slow": 50}),
            InvalidParameterError,
            "shorter",
        ),
        (lambda: api.garch_summary("SPY", "arch"), UnknownModelError, "'garch', 'gjr', 'egarch'"),
        (lambda: api.garch_summary("SPY", dist="laplace"), UnknownModelError, "'normal', 't', 'skewt'"),
        (
            lambda: api.var_summary("SPY", method="delta"),
            UnknownMethodError,
            "'cornish-fisher', 'monte-carlo'",
        ),
        (lambda: api.var_summary("SPY", level=99), InvalidParameterError, "e.g. 0.99"),
        (lambda: api.var_summary("SPY", window=50), InvalidParameterError, "window must be >= 100"),
        (lambda: api.var_summary("TSLA"), FinanceError, "bundled snapshots"),
    ],
)
def test_errors_are_typed_value_errors(call, exc, match) -> None:
    with pytest.raises(exc, match=match) as info:
        call()
    assert isinstance(info.value, ValueError)


def test_jsonable() -> None:
    assert api.jsonable({"a": np.float64(np.nan), "b": [np.int64(2), np.bool_(True)]}) == {
        "a": None,
        "b": [2, True],
    }
