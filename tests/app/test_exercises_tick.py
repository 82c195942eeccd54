"""A passed check on the Exercises page offers to tick the roadmap item; the tick lands in SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from knowledge.config import get_settings
from knowledge.exercise_bank import load_exercise

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "app_pages" / "exercises.py")
pytestmark = pytest.mark.integration


def test_passed_check_ticks_the_roadmap_item(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "code_editor", None)  # the text-area fallback: AppTest can type into it
    from knowledge.roadmap import open_progress

    exercise = load_exercise("ratio_sharpe")
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    label = next(o for o in at.selectbox(key="exercise_choice").options if exercise.info.title in o)
    at.selectbox(key="exercise_choice").set_value(label).run()
    at.text_area(key="code_ratio_sharpe").set_value(exercise.solution).run()
    at.button(key="check").click().run()
    item = exercise.info.roadmap_item
    at.button(key="tick_ratio_sharpe").click().run()
    assert not at.exception
    assert any(f"Élément {item} coché" in s.value for s in at.success)
    with open_progress(get_settings()) as store:
        assert item in store.checked()
