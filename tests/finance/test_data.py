from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from finance import data
from finance.errors import PriceDataError, UnknownTickerError
from finance.returns import annualise_volatility, returns

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


@pytest.mark.parametrize(
    ("ticker", "name"),
    [
        ("^GSPC", "sp500"),
        ("SPY", "sp500"),
        ("SP500", "sp500"),
        ("S&P 500", "sp500"),
        ("spy", "sp500"),
        ("^IXIC", "nasdaq"),
        ("QQQ", "nasdaq"),
        ("NASDAQ", "nasdaq"),
        ("GOOG", "goog"),
        ("CL=F", "wti"),
        ("WTI", "wti"),
        ("^VIX", "vix"),
    ],
)
def test_aliases_map_to_snapshots(ticker: str, name: str) -> None:
    df = data.load_prices(ticker, offline=True)
    assert df.attrs["source"] == f"snapshot:{name}"
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert (df["close"] > 0).all() and not df["close"].isna().any()


def test_sp500_snapshot_is_the_index_with_a_note() -> None:
    df = data.load_prices("SPY", offline=True)
    assert "index" in df.attrs["note"] and "SPY" in df.attrs["note"]
    assert len(df) == 5031
    assert df.index[0] == pd.Timestamp("1999-01-04") and df.index[-1] == pd.Timestamp("2018-12-31")
    assert df["close"].iloc[-1] == pytest.approx(2506.850098)
    assert list(df.columns) == ["close", "open", "high", "low", "volume"]


def test_wti_missing_days_dropped() -> None:
    from arch.data import wti

    raw = wti.load()
    df = data.load_prices("WTI", offline=True)
    assert len(df) == raw["DCOILWTICO"].notna().sum()


def test_start_end_inclusive() -> None:
    df = data.load_prices("^GSPC", "2010-01-04", "2010-12-31", offline=True)
    assert df.index[0] == pd.Timestamp("2010-01-04") and df.index[-1] == pd.Timestamp("2010-12-31")
    assert len(df) == 252


def test_range_outside_snapshot() -> None:
    with pytest.raises(PriceDataError, match="choose start/end inside that range"):
        data.load_prices("SPY", "2021-01-01", offline=True)


def test_unknown_ticker_offline_lists_snapshots() -> None:
    with pytest.raises(UnknownTickerError, match="No offline data for ticker 'AAPL'.*'sp500'"):
        data.load_prices("AAPL", offline=True)


def test_empty_download_falls_back(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import yfinance

    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pd.DataFrame())
    with caplog.at_level(logging.WARNING, logger="finance.data"):
        df = data.load_prices("SPY", "2018-01-01", offline=False)
    assert df.attrs["source"] == "snapshot:sp500"
    assert "yfinance returned no data" in caplog.text


def test_auto_offline_detection_uses_snapshot() -> None:
    assert data.load_prices("SPY").attrs["source"] == "snapshot:sp500"


def test_download_is_cached_and_served_offline(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import yfinance

    idx = pd.bdate_range("2024-01-01", periods=5)
    fake = pd.DataFrame(
        {"Open": 1.0, "High": 2.0, "Low": 0.5, "Close": [10.0, 11, 12, 13, 14], "Volume": 7}, index=idx
    )
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: fake)
    online = data.load_prices("AAPL", cache_dir=tmp_path, offline=False)
    assert online.attrs["source"] == "yfinance" and online["close"].tolist() == [10, 11, 12, 13, 14]
    cached = data.load_prices("AAPL", cache_dir=tmp_path, offline=True)
    assert cached.attrs["source"] == "cache"
    pd.testing.assert_series_equal(cached["close"], online["close"], check_freq=False)


def _frame(closes: list[float], dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"Date": dates, "Close": closes})


def test_user_csv_unsorted_is_sorted(tmp_path) -> None:
    p = tmp_path / "mine.csv"
    _frame([3.0, 1.0, 2.0], ["2020-01-03", "2020-01-01", "2020-01-02"]).to_csv(p, index=False)
    df = data.load_prices(str(p))
    assert df["close"].tolist() == [1.0, 2.0, 3.0]
    assert df.attrs["source"] == "file" and "sorted" in df.attrs["note"]


def test_user_parquet(tmp_path) -> None:
    p = tmp_path / "mine.parquet"
    df = pd.DataFrame({"close": [1.0, 2.0, 4.0]}, index=pd.date_range("2020-01-01", periods=3))
    df.to_parquet(p)
    assert data.load_prices(str(p))["close"].tolist() == [1.0, 2.0, 4.0]


@pytest.mark.parametrize(
    ("closes", "dates", "match"),
    [
        (
            [1.0, 2.0, 3.0],
            ["2020-01-01", "2020-01-01", "2020-01-02"],
            r"duplicated dates.*duplicated\(keep='last'\)",
        ),
        ([1.0, None, 3.0], ["2020-01-01", "2020-01-02", "2020-01-03"], r"missing prices.*dropna"),
        (
            [1.0, 0.0, 3.0],
            ["2020-01-01", "2020-01-02", "2020-01-03"],
            r"non-positive prices.*df\['close'\] > 0",
        ),
        ([1.0, -2.0, 3.0], ["2020-01-01", "2020-01-02", "2020-01-03"], r"1 non-positive"),
        ([1.0, 2.0], ["2020-01-01", "2020-01-02"], "at least 3 rows"),
        ([1.0, 2.0, 3.0], ["x", "y", "z"], "does not parse as dates"),
    ],
)
def test_user_file_validation(tmp_path, closes, dates, match) -> None:
    p = tmp_path / "bad.csv"
    _frame(closes, dates).to_csv(p, index=False)
    with pytest.raises(PriceDataError, match=match):
        data.load_prices(str(p))


def test_missing_column_and_file(tmp_path) -> None:
    p = tmp_path / "nocol.csv"
    pd.DataFrame({"Date": ["2020-01-01", "2020-01-02", "2020-01-03"], "foo": [1, 2, 3]}).to_csv(
        p, index=False
    )
    with pytest.raises(PriceDataError, match="name the column 'close'"):
        data.read_price_file(p)
    with pytest.raises(PriceDataError, match="File not found"):
        data.read_price_file(tmp_path / "nope.csv")
    with pytest.raises(PriceDataError, match="use .csv or .parquet"):
        (tmp_path / "x.xlsx").write_text("")
        data.read_price_file(tmp_path / "x.xlsx")


def test_returns_simple_and_log() -> None:
    p = pd.Series([100.0, 110.0, 99.0, 99.0])
    np.testing.assert_allclose(returns(p), [0.1, -0.1, 0.0])
    np.testing.assert_allclose(returns(p, "log"), np.log([1.1, 0.9, 1.0]))
    with pytest.raises(ValueError, match="Valid choices: 'simple', 'log'"):
        returns(p, "pct")  # type: ignore[arg-type]
    assert annualise_volatility(0.01) == pytest.approx(0.01 * np.sqrt(252))
