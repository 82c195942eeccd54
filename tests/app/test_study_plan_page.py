"""AppTest of the Study plan page: 10 h/week over 12 weeks shows what fits in 12 weeks and, apart, what does not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from knowledge.config import get_settings
from knowledge.planner import build_plan
from knowledge.roadmap import load_roadmap, open_progress

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "app_pages" / "study_plan.py")
START = date(2025, 1, 6)


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    return at


def test_plan_for_10_hours_over_12_weeks() -> None:
    with open_progress(get_settings()) as store:
        store.check("00.1")
    at = _page()
    assert at.title[0].value == "Plan d'étude"
    assert "Planifier" in at.info[0].value
    at.number_input(key="hours").set_value(10.0)
    at.date_input(key="start").set_value(START)
    at.radio(key="mode").set_value("weeks")
    at.number_input(key="weeks").set_value(12)
    at.button[0].click().run()
    assert not at.exception
    expected = build_plan(load_roadmap(), {"00.1"}, 10, weeks=12, start=START)
    fits, rest = expected.split_at_deadline()
    assert fits and rest
    frame = at.dataframe[0].value
    assert len(frame) == 12  # the 12 weeks asked for, not the whole roadmap
    assert list(frame["Heures"]) == [round(w.minutes / 60, 2) for w in expected.weeks[:12]]
    assert frame["Éléments"][0].startswith("00.2, 00.3")
    assert max(frame["Heures"]) <= 10
    warning = at.warning[0].value
    assert warning.startswith(f"En 12 semaines à 10 h/semaine, tu fais {len(fits)} des {len(expected.entries)} ")
    assert "--" not in warning and "impossible" not in warning
    assert [m.value for m in at.metric][:2] == ["10", "12"]
    assert at.expander[0].label == f"Ce qui ne tient pas dans l'échéance ({len(rest)} éléments)"
    assert len(at.dataframe[1].value) == len(rest)


def test_deadline_before_the_start_is_refused() -> None:
    at = _page()
    at.date_input(key="start").set_value(START)
    at.radio(key="mode").set_value("date")
    at.date_input(key="until").set_value(date(2024, 12, 1))
    at.button[0].click().run()
    assert not at.exception and not at.dataframe
    assert at.error[0].value.startswith("La date d'échéance (01/12/2024) doit être après le début (06/01/2025)")


def test_pace_and_focus_feasible_plan() -> None:
    at = _page()
    at.selectbox(key="pace").set_value("intensive")
    at.date_input(key="start").set_value(START)
    at.radio(key="mode").set_value("date")
    at.date_input(key="until").set_value(date(2025, 12, 31))
    at.text_input(key="focus").input("0")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Objectif du 31/12/2025 tenu")
    assert at.metric[0].value == "27.5"
    assert set(", ".join(at.dataframe[0].value["Chapitres"]).split(", ")) == {"00", "01", "02"}
    assert not at.expander or not at.expander[0].label.startswith("Ce qui ne tient pas")


def test_bad_focus_shows_the_error() -> None:
    at = _page()
    at.text_input(key="focus").input("astrologie")
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Rien dans ta feuille de route ne correspond à « astrologie »")


def test_the_paces_are_named_in_the_learners_language() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["ui_language"] = "en"
    at.run()
    assert not at.exception
    assert at.selectbox(key="pace").options == ["Custom", "Beginner (10-15 h/week)", "Intermediate (15-20 h/week)",
                                                "Intensive (25-30 h/week)"]
    assert _page().selectbox(key="pace").options[1] == "Débutant (10-15 h/semaine)"
