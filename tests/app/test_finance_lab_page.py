"""AppTest of the Finance lab page on the offline S&P 500 snapshot (network unplugged)."""

from __future__ import annotations

from datetime import date
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
    assert at.title[0].value == "Labo finance"
    assert _charts(at) == []


def test_backtest_tab_plots_and_sweeps() -> None:
    at = _page()
    at.number_input(key="bt_sma-cross_fast").set_value(20)
    at.number_input(key="bt_sma-cross_slow").set_value(50)
    at.checkbox(key="bt_sweep").check()
    at.button[0].click().run()
    assert not at.exception
    assert [m.label for m in at.metric][:4] == ["Rendement annuel (CAGR)", "Sharpe", "Perte maximale (drawdown)",
                                                "Transactions"]
    assert at.metric[3].value == "58"
    assert "Période réellement utilisée : du 04/01/1999" in at.caption[1].value
    charts = _charts(at)
    assert len(charts) == 2  # equity/drawdown and the sweep heatmap
    assert '"valeur de 1 investi"' in charts[0].proto.spec and '"achat-conservation"' in charts[0].proto.spec
    assert any("Sharpe dégonflé" in m.value for m in at.markdown)


def test_backtest_tab_other_strategy_and_error() -> None:
    at = _page()
    at.selectbox(key="bt_strategy").set_value("momentum").run()
    at.button[0].click().run()
    assert not at.exception and len(_charts(at)) == 1
    at.text_input(key="bt_ticker").set_value("NOPE")
    at.button[0].click().run()
    assert "Pas de données pour « NOPE » hors ligne" in at.error[0].value
    at.text_input(key="bt_ticker").set_value("/nulle/part/prix.csv")
    at.button[0].click().run()
    assert not at.exception and at.error[0].value.startswith("Le fichier « /nulle/part/prix.csv » n'existe pas")
    at.text_input(key="bt_ticker").set_value("  ")
    at.button[0].click().run()
    assert not at.exception and at.error[0].value.startswith("Indique un ticker")


def test_garch_tab_plots() -> None:
    at = _page()
    at.selectbox(key="g_model").set_value("gjr")
    at.selectbox(key="g_dist").set_value("t")
    at.button[1].click().run()
    assert not at.exception
    assert at.metric[0].label == "Volatilité actuelle"
    chart = _charts(at)
    assert len(chart) == 1


def test_var_tab_plots_exceedances() -> None:
    at = _page()
    at.selectbox(key="v_method").set_value("historical")
    at.button[2].click().run()
    assert not at.exception
    assert at.metric[2].label == "Zone de Bâle" and at.metric[2].value in {"verte", "jaune", "rouge"}
    assert len(_charts(at)) == 1
    assert any("dépassements pour" in m.value for m in at.markdown)


def test_dates_end_before_start_is_refused_in_french() -> None:
    at = _page()
    at.date_input(key="bt_start").set_value(date(2010, 6, 1))
    at.date_input(key="bt_end").set_value(date(2010, 1, 1))
    at.button[0].click().run()
    assert not at.exception and _charts(at) == []
    assert at.error[0].value.startswith("La date de fin (01/01/2010) doit être après la date de début (01/06/2010)")


def test_dates_outside_the_offline_data_say_the_range() -> None:
    at = _page()
    at.date_input(key="g_start").set_value(date(2020, 1, 1))
    at.button[1].click().run()
    assert not at.exception and _charts(at) == []
    assert "vont du 04/01/1999 au" in at.error[0].value and "2018" in at.error[0].value


def test_dates_inside_the_range_are_the_period_used() -> None:
    at = _page()
    at.date_input(key="v_start").set_value(date(2010, 1, 1))
    at.date_input(key="v_end").set_value(date(2012, 12, 31))
    at.selectbox(key="v_method").set_value("historical")
    at.button[2].click().run()
    assert not at.exception
    assert "du 04/01/2010 au 31/12/2012" in at.caption[1].value
