"""Progress database: durability, concurrency, refusal of foreign files, import with kept progress."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from knowledge.config import get_settings
from knowledge.errors import ProgressError, RoadmapError
from knowledge.roadmap import (
    SHIPPED_ROADMAP,
    ProgressStore,
    export_roadmap,
    import_roadmap,
    load_roadmap,
    next_steps,
    open_progress,
    read_roadmap,
    summarize,
    tracker_view,
)

REPO = Path(__file__).resolve().parents[2]
MINI = Path(__file__).parent / "fixtures" / "roadmap" / "mini.md"
MINI_CHECKED = {"P0", "00.1", "01.2", "P0.V2", "S1.2"}


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'p.db'}"


def test_check_is_durable_and_idempotent(tmp_path: Path) -> None:
    roadmap = read_roadmap(MINI)
    store = ProgressStore(_url(tmp_path), roadmap=roadmap)
    first = store.check("00.2", at=datetime(2025, 1, 6, 9, 30, tzinfo=UTC))
    assert store.check("00.2") == first == datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
    store.check("P1.V1")
    # A fresh engine (as after a restart) sees both checks.
    again = ProgressStore(_url(tmp_path))
    assert set(again.checked()) == {"00.2", "P1.V1"}
    assert again.uncheck("00.2") is True and again.uncheck("00.2") is False
    assert set(store.checked()) == {"P1.V1"}
    with sqlite3.connect(tmp_path / "p.db") as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT item_id, text_key FROM qt_checks").fetchall() == [
            ("P1.V1", "gradient verifie numeriquement")
        ]
    with pytest.raises(RoadmapError, match="roadmap show"):
        store.check("09.9")


def test_other_learner_is_separate(tmp_path: Path) -> None:
    ProgressStore(_url(tmp_path), learner="alice").check("00.1")
    assert ProgressStore(_url(tmp_path), learner="bob").checked() == {}


_WRITER = """
import sys, time
from pathlib import Path
from knowledge.roadmap import ProgressStore
url, tag, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
store = ProgressStore(url)
while not go.exists():
    time.sleep(0.01)
for i in range(40):
    store.check(f"{tag}.{i}")
    store.log_session(5, chapter=tag)
store.set_tracker(current_phase=tag)
"""


def test_two_processes_lose_nothing(tmp_path: Path) -> None:
    url, go = _url(tmp_path), tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, url, tag, str(go)], cwd=REPO, stderr=subprocess.PIPE)
        for tag in ("01", "02")
    ]
    time.sleep(0.5)
    go.touch()
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    store = ProgressStore(url)
    assert set(store.checked()) == {f"{t}.{i}" for t in ("01", "02") for i in range(40)}
    sessions = store.sessions()
    assert len(sessions) == 80 and sum(s.minutes for s in sessions) == 400
    assert {s.chapter for s in sessions} == {"01", "02"}
    assert store.tracker()["current_phase"] in {"01", "02"}


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO users VALUES (1, 'ada')")
    con.close()


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda p: p.write_text("mes notes, pas une base\n", encoding="utf-8"), "not an SQLite database"),
        (_foreign_sqlite, "another application .tables: users"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16), "corrupt"),
    ],
    ids=["text", "foreign", "corrupt"],
)
def test_foreign_or_corrupt_file_is_refused_untouched(make, match: str, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    make(db)
    before = db.read_bytes()
    with pytest.raises(ProgressError, match=match) as info:
        ProgressStore(_url(tmp_path))
    assert "left untouched" in str(info.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]


def test_sessions_and_week_minutes(tmp_path: Path) -> None:
    store = ProgressStore(_url(tmp_path))
    monday = date(2025, 3, 3)
    store.log_session(50, day=monday, chapter="3")
    store.log_session(70, day=monday + timedelta(days=6), chapter="04", note="SVD")
    store.log_session(30, day=monday + timedelta(days=7))
    assert store.minutes_in_week(monday + timedelta(days=2)) == 120
    assert store.minutes_in_week(monday + timedelta(days=8)) == 30
    assert [
        (s.chapter, s.minutes) for s in store.sessions(since=monday, until=monday + timedelta(days=6))
    ] == [("03", 50), ("04", 70)]
    with pytest.raises(ProgressError, match="between 1 and 1440"):
        store.log_session(0)


def test_tracker_fields(tmp_path: Path) -> None:
    store = ProgressStore(_url(tmp_path))
    assert store.set_tracker(start_date=date(2025, 1, 6), current_phase="Phase 1") == {
        "start_date": "2025-01-06",
        "current_phase": "Phase 1",
    }
    assert store.set_tracker(current_phase=None) == {"start_date": "2025-01-06"}
    with pytest.raises(ProgressError, match="must be a date like"):
        store.set_tracker(target_date="bientôt")
    with pytest.raises(ProgressError, match="unknown tracker field"):
        store.set_tracker(mood="ok")


def test_summary_and_tracker_view(tmp_path: Path) -> None:
    roadmap = read_roadmap(MINI)
    store = ProgressStore(_url(tmp_path), roadmap=roadmap)
    for i in ("00.1", "00.4", "01.3", "P0.V1", "02.1"):
        store.check(i)
    s = summarize(roadmap, store.checked())
    assert [(p.number, p.done, p.total) for p in s.phases] == [(0, 4, 9), (1, 1, 5)]
    assert (s.done, s.total, s.projects_done, s.projects_total) == (5, 14, 2, 3)
    assert s.percent == pytest.approx(100 * 5 / 14)
    store.log_session(90, day=date(2025, 3, 4))
    view = tracker_view(roadmap, store, today=date(2025, 3, 5))
    assert view == {"projects_done": "2", "current_phase": "Phase 0: Fondations", "hours_this_week": "1.5"}


def _edited_mini(tmp_path: Path) -> Path:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("+ [X] Boucles → for / while", "+ [ ] Boucles et compréhensions")
    text = text.replace(
        "#### Chapitre 2: Calcul Différentiel\n", "#### Chapitre 2: Calcul Différentiel\n- [ ] Limites\n"
    )
    out = tmp_path / "edited.md"
    out.write_text(text, encoding="utf-8")
    return out


def test_import_keeps_matching_progress(tmp_path: Path) -> None:
    settings = get_settings()
    first = import_roadmap(MINI, settings)
    assert (first.kept, first.moved, first.dropped, first.from_file) == (0, 0, 0, 5)
    assert load_roadmap(settings) == read_roadmap(MINI)
    with open_progress(settings) as store:
        assert set(store.checked()) == MINI_CHECKED
        assert store.tracker() == {"start_date": "2025-01-06"}
        store.check("02.1")
    report = import_roadmap(_edited_mini(tmp_path), settings)
    assert (report.kept, report.moved, report.aside, report.from_file) == (4, 1, 1, 0)
    assert report.dropped == 0 and report.backup is not None and report.backup.is_file()
    with open_progress(settings) as store:
        assert set(store.checked()) == {"P0", "00.1", "P0.V2", "S1.2", "02.2"}
    assert load_roadmap(settings).item("02.2").text == "Dérivées partielles ∂f/∂x"


def test_ticks_of_changed_items_come_back_when_the_original_returns(tmp_path: Path) -> None:
    settings = get_settings()
    import_roadmap(MINI, settings)
    with open_progress(settings) as store:
        store.check("02.1")
        before = set(store.checked())
    import_roadmap(_edited_mini(tmp_path), settings)
    back = import_roadmap(MINI, settings)
    assert back.reattached >= 1 and back.aside == 0
    with open_progress(settings) as store:
        assert set(store.checked()) == before


def test_restore_puts_back_the_progress_before_an_import(tmp_path: Path) -> None:
    from knowledge.roadmap import list_backups, restore_progress

    settings = get_settings()
    import_roadmap(MINI, settings)
    with open_progress(settings) as store:
        store.check("02.1")
        before = set(store.checked())
    import_roadmap(_edited_mini(tmp_path), settings)
    with open_progress(settings) as store:
        store.uncheck("00.1")
    assert list_backups(settings)
    restore_progress(settings)
    with open_progress(settings) as store:
        assert set(store.checked()) == before


def test_an_empty_or_unreadable_database_is_reported_not_replaced() -> None:
    import os
    import time

    settings = get_settings()
    db = settings.home / "progress.db"
    settings.home.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"")
    old = time.time() - 3600
    os.utime(db, (old, old))
    with pytest.raises(ProgressError, match="empty.*roadmap restore"):
        open_progress(settings)
    assert db.stat().st_size == 0  # left as it was


def test_import_export_import_round_trip(tmp_path: Path, seeds_dir: Path) -> None:
    settings = get_settings()
    import_roadmap(seeds_dir / "003_82f3ddd96d8b1539.txt", settings)
    with open_progress(settings) as store:
        for i in ("00.1", "03.8", "27.3", "P1.V2", "C1.3", "S2.1"):
            store.check(i)
        store.set_tracker(start_date="2025-01-06", target_date="2026-06-30")
        marks = set(store.checked())
    model = load_roadmap(settings)
    out = export_roadmap(tmp_path / "export.md", settings)
    assert "- [x] **Exercice**: Implémentation de matrices sans NumPy" in out.read_text(encoding="utf-8")
    assert "**Projets complétés**: 1 / 44" in out.read_text(encoding="utf-8")
    (settings.home / "progress.db").unlink()  # a fresh machine: only the exported file remains
    for suffix in ("-wal", "-shm"):
        (settings.home / f"progress.db{suffix}").unlink(missing_ok=True)
    import_roadmap(out, settings)
    assert load_roadmap(settings) == model
    with open_progress(settings) as store:
        assert set(store.checked()) == marks
        assert store.tracker() == {"start_date": "2025-01-06", "target_date": "2026-06-30"}


def test_next_steps_follow_roadmap_order() -> None:
    settings = get_settings()
    assert [i.id for i in next_steps(settings, 3)] == ["00.1", "00.2", "00.3"]
    with open_progress(settings) as store:
        store.check("00.1")
        store.check("00.3")
    assert [i.id for i in next_steps(settings, 2)] == ["00.2", "00.4"]
    assert load_roadmap(settings) == read_roadmap(SHIPPED_ROADMAP)


def test_next_steps_shortcut_in_roadmap_package() -> None:
    from knowledge.roadmap import next_steps as shortcut

    assert [i.id for i in shortcut(None, 1)] == ["00.1"]
