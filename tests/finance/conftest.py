"""Finance tests never touch the network: the socket check says offline and yfinance is unplugged."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import yfinance

    import finance.data

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a test tried to reach the network")

    monkeypatch.setattr(finance.data, "network_available", lambda *a, **k: False)
    monkeypatch.setattr(yfinance, "download", refuse)


@pytest.fixture(scope="session")
def spx() -> pd.DataFrame:
    """The offline S&P 500 snapshot (1999-2018)."""
    from finance.data import load_snapshot

    return load_snapshot("sp500")
