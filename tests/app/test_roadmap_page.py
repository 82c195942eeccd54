"""AppTest of the Roadmap page: a tick is in SQLite at once (callback), survives a rerun and a restart; one phase at
a time with an overview; bad imports and dates are refused in French."""

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
    return next(e.label for e in at.expander if e.label.startswith(f"Chapitre {number} :"))


def _db_checked() -> set[str]:
    s = get_settings()
    return set(ProgressStore(s.db_url, learner=s.learner).checked())


def test_page_shows_one_phase_and_the_overview() -> None:
    at = _page()
    assert at.title[0].value == "Feuille de route"
    assert [m.value for m in at.metric] == ["0 %", "0/356", "0/45"]
    assert at.selectbox(key="rm_phase").value == 0
    assert at.subheader[0].value == "Phase 0 : Fondations"
    overview = at.dataframe[0].value
    assert len(overview) == 8 and overview.iloc[3, 0] == "3 · Machine Learning Classique"
    at.selectbox(key="rm_phase").set_value(1).run()
    assert not at.exception
    assert at.subheader[0].value == "Phase 1 : Mathématiques pour ML"
    assert _chapter_label(at, "03") == "Chapitre 03 : Algèbre Linéaire Fondamentale (0/8)"
    assert len(at.checkbox) < 100  # one phase, not the 390 boxes of the whole roadmap


def test_ticking_writes_at_once_and_keeps_the_chapter_open() -> None:
    at = _page()
    at.selectbox(key="rm_phase").set_value(1).run()
    at.checkbox(key="item_03.8").check().run()
    assert not at.exception
    assert _db_checked() == {"03.8"}
    label = _chapter_label(at, "03")
    assert label == "Chapitre 03 : Algèbre Linéaire Fondamentale (1/8)"
    assert next(e for e in at.expander if e.label == label).proto.expanded  # the chapter stays open
    at.checkbox(key="item_03.7").check()  # two quick clicks, one rerun: both are written
    at.checkbox(key="item_03.6").check().run()
    assert _db_checked() == {"03.8", "03.7", "03.6"}
    at.run()  # a plain rerun keeps them
    assert at.checkbox(key="item_03.8").value is True
    assert [m.value for m in at.metric][1] == "3/356"
    fresh = _page()  # a new session (restart) reads them back from SQLite
    fresh.selectbox(key="rm_phase").set_value(1).run()
    assert fresh.checkbox(key="item_03.8").value is True
    assert _chapter_label(fresh, "03").endswith("(3/8)")
    fresh.checkbox(key="item_03.8").uncheck().run()
    assert _db_checked() == {"03.7", "03.6"}


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


def test_target_before_start_is_refused() -> None:
    at = _page()
    at.date_input(key="tr_start").set_value(date(2025, 6, 1))
    at.date_input(key="tr_target").set_value(date(2025, 1, 1))
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value.startswith("L'objectif de fin (01/01/2025) doit être après la date de début")
    s = get_settings()
    assert "target_date" not in ProgressStore(s.db_url, learner=s.learner).tracker()


def test_importing_a_file_that_is_not_a_roadmap_says_so_in_french() -> None:
    at = _page()
    at.file_uploader(key="rm_upload").upload("courses.txt", b"pain\nlait\n", "text/plain")
    at.run()
    at.button(key="rm_import").click().run()
    assert not at.exception
    assert "n'est pas une feuille de route" in at.error[0].value
    assert [m.value for m in at.metric] == ["0 %", "0/356", "0/45"]  # the current roadmap is unchanged


def test_importing_a_roadmap_file_reports_what_was_kept(seeds_dir: Path) -> None:
    seed = seeds_dir / "003_82f3ddd96d8b1539.txt"  # the roadmap file the README imports
    at = _page()
    at.file_uploader(key="rm_upload").upload(seed.name, seed.read_bytes(), "text/plain")
    at.run()
    at.button(key="rm_import").click().run()
    assert not at.exception and not at.error
    assert "éléments importés" in at.info[0].value
