"""AppTest of the Study plan page: a plan renders for 10 h/week over 12 weeks."""

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
    assert "Planifier" in at.info[0].value
    at.number_input(key="hours").set_value(10.0)
    at.date_input(key="start").set_value(START)
    at.radio(key="mode").set_value("En semaines")
    at.number_input(key="weeks").set_value(12)
    at.button[0].click().run()
    assert not at.exception
    expected = build_plan(load_roadmap(), {"00.1"}, 10, weeks=12, start=START)
    frame = at.dataframe[0].value
    assert len(frame) == len(expected.weeks)
    assert list(frame["Heures"]) == [round(w.minutes / 60, 2) for w in expected.weeks]
    assert frame["Items"][0].startswith("00.2, 00.3")
    assert max(frame["Heures"]) <= 10
    assert at.warning[0].value == expected.message and "impossible à 10 h/semaine" in expected.message
    assert [m.value for m in at.metric][:2] == ["10", str(len(expected.weeks))]


def test_pace_and_focus_feasible_plan() -> None:
    at = _page()
    at.selectbox(key="pace").set_value("intensive")
    at.date_input(key="start").set_value(START)
    at.radio(key="mode").set_value("À une date")
    at.date_input(key="until").set_value(date(2025, 12, 31))
    at.text_input(key="focus").input("0")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Objectif du 2025-12-31 tenu")
    assert at.metric[0].value == "27.5"
    assert set(", ".join(at.dataframe[0].value["Chapitres"]).split(", ")) == {"00", "01", "02"}


def test_bad_focus_shows_the_error() -> None:
    at = _page()
    at.text_input(key="focus").input("astrologie")
    at.button[0].click().run()
    assert not at.exception and "nothing matches focus" in at.error[0].value
