"""AppTest of the Roadmap page: a check in the UI is in SQLite, survives a rerun and a restart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from knowledge.config import get_settings
from knowledge.roadmap import ProgressStore

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "app_pages" / "roadmap.py")


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    return at


def _chapter_label(at: AppTest, number: str) -> str:
    return next(e.label for e in at.expander if e.label.startswith(f"Chapitre {number}:"))


def _db_checked() -> set[str]:
    s = get_settings()
    return set(ProgressStore(s.db_url, learner=s.learner).checked())


def test_page_shows_phases_and_metrics() -> None:
    at = _page()
    assert at.title[0].value == "Roadmap"
    assert [m.value for m in at.metric] == ["0 %", "0/356", "0/45"]
    assert [h.value for h in at.subheader][:8] == [
        "Phase 0: Fondations",
        "Phase 1: Mathématiques pour ML",
        "Phase 2: Python Data Science",
        "Phase 3: Machine Learning Classique",
        "Phase 4: Deep Learning",
        "Phase 5: NLP et Transformers",
        "Phase 6: LLM Development",
        "Phase 7: Applications Avancées",
    ]
    assert _chapter_label(at, "03") == "Chapitre 03: Algèbre Linéaire Fondamentale (0/8)"
    assert len(at.checkbox) == 8 + 356 + 3 * 6 + 2 * 4  # phase marks, chapters+criteria, capstones, extras


def test_checking_an_item_is_in_sqlite_after_rerun_and_restart() -> None:
    at = _page()
    at.checkbox(key="item_03.8").check().run()
    assert not at.exception
    assert _db_checked() == {"03.8"}
    at.run()  # a plain rerun keeps it
    assert at.checkbox(key="item_03.8").value is True
    assert [m.value for m in at.metric] == ["0 %", "1/356", "1/45"]
    fresh = _page()  # a new session (restart) reads it back from SQLite
    assert fresh.checkbox(key="item_03.8").value is True
    assert _chapter_label(fresh, "03").endswith("(1/8)")
    fresh.checkbox(key="item_03.8").uncheck().run()
    assert _db_checked() == set()


def test_tracker_form_saves() -> None:
    at = _page()
    at.date_input(key="tr_start").set_value(date(2025, 1, 6))
    at.text_input(key="tr_phase").input("Phase 1")
    at.date_input(key="tr_target").set_value(date(2026, 6, 30))
    at.button[0].click().run()
    assert not at.exception
    s = get_settings()
    assert ProgressStore(s.db_url, learner=s.learner).tracker() == {
        "start_date": "2025-01-06",
        "current_phase": "Phase 1",
        "target_date": "2026-06-30",
    }
