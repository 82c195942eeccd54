"""AppTest of the Finance lab page on the offline S&P 500 snapshot (network unplugged)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")
PAGE = str(Path(__file__).resolve().parents[2] / "app" / "app_pages" / "finance_lab.py")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import yfinance

    import finance.data

    monkeypatch.setattr(finance.data, "network_available", lambda *a, **k: False)
    monkeypatch.setattr(
        yfinance, "download", lambda *a, **k: (_ for _ in ()).throw(AssertionError("network"))
    )


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    return at


def _charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def test_page_loads_with_three_tabs() -> None:
    at = _page()
    assert [t.label for t in at.tabs] == ["Backtest", "GARCH", "VaR"]
    assert at.title[0].value == "Finance lab"
    assert _charts(at) == []


def test_backtest_tab_plots_and_sweeps() -> None:
    at = _page()
    at.number_input(key="bt_sma-cross_fast").set_value(20)
    at.number_input(key="bt_sma-cross_slow").set_value(50)
    at.checkbox(key="bt_sweep").check()
    at.button[0].click().run()
    assert not at.exception
    assert [m.label for m in at.metric][:4] == ["CAGR", "Sharpe", "Max drawdown", "Trades"]
    assert at.metric[3].value == "58"
    assert "S&P 500" in at.caption[1].value
    assert len(_charts(at)) == 2  # equity/drawdown and the sweep heatmap
    assert any("deflated Sharpe ratio" in m.value for m in at.markdown)


def test_backtest_tab_other_strategy_and_error() -> None:
    at = _page()
    at.selectbox(key="bt_strategy").set_value("momentum").run()
    at.button[0].click().run()
    assert not at.exception and len(_charts(at)) == 1
    at.text_input(key="bt_ticker").set_value("NOPE")
    at.button[0].click().run()
    assert "bundled snapshots" in at.error[0].value


def test_garch_tab_plots() -> None:
    at = _page()
    at.selectbox(key="g_model").set_value("gjr")
    at.selectbox(key="g_dist").set_value("t")
    at.button[1].click().run()
    assert not at.exception
    assert at.metric[0].label == "Volatility now"
    chart = _charts(at)
    assert len(chart) == 1


def test_var_tab_plots_exceedances() -> None:
    at = _page()
    at.selectbox(key="v_method").set_value("historical")
    at.button[2].click().run()
    assert not at.exception
    assert at.metric[2].label == "Basel zone" and at.metric[2].value in {"green", "yellow", "red"}
    assert len(_charts(at)) == 1
    assert any("exceedances for" in m.value for m in at.markdown)
