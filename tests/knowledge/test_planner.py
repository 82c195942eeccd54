"""Study planner: invariants on the shipped roadmap, exact minutes on a small one, deadlines, exports."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from knowledge.errors import PlanError
from knowledge.planner import Plan, build_plan, plan_to_dict, plan_to_ics, plan_to_markdown
from knowledge.roadmap import SHIPPED_ROADMAP, Roadmap, chapter_infos, read_roadmap

MINI = Path(__file__).parent / "fixtures" / "roadmap" / "mini.md"
START = date(2025, 1, 6)  # a Monday


def _course(tmp_path: Path, **prereqs: list[str]) -> Path:
    """A course folder: chapter 01 (3 h) and 02 (4 h, after 00); chapter 00 has no lesson."""
    folder = tmp_path / "course"
    folder.mkdir()
    specs = {"01": ("3", prereqs.get("c01")), "02": ("4", prereqs.get("c02", ["00"]))}
    for ch, (hours, pre) in specs.items():
        pre_line = f"prerequisites: {json.dumps(pre)}\n" if pre is not None else ""
        (folder / f"{ch}-x.md").write_text(
            f'---\nphase: "0"\nchapter: "{ch}"\ntitle: "T"\n{pre_line}hours: {hours}\n---\n# T\n',
            encoding="utf-8",
        )
    return folder


def _check_invariants(plan: Plan, roadmap: Roadmap, checked: set[str]) -> None:
    ids = [e.item_id for e in plan.entries]
    expected = {it.id for it in roadmap.chapter_items()} - checked
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))  # every unchecked item exactly once
    position = {e.item_id: k for k, e in enumerate(plan.entries)}
    end_of = {e.item_id: e.end for e in plan.entries}
    for e in plan.entries:
        assert sum(m for _, m in e.slices) == e.minutes
        info = plan.chapters[e.chapter]
        for pre in info.prerequisites:  # no item before its prerequisites
            for it in roadmap.chapter(pre).items:
                if it.id in position:
                    assert position[it.id] < position[e.item_id] and end_of[it.id] <= e.start
    per_week: dict[int, int] = defaultdict(int)
    per_day: dict[date, int] = defaultdict(int)
    for e in plan.entries:
        for d, m in e.slices:
            per_week[(d - plan.start).days // 7] += m
            per_day[d] += m
            assert (d - plan.start).days % 7 < plan.days_per_week
    assert max(per_week.values()) <= plan.hours_per_week * 60  # weekly hours within budget
    assert max(per_day.values()) <= -(-plan.hours_per_week * 60 // plan.days_per_week)
    assert [w.minutes for w in plan.weeks] == [per_week[k] for k in sorted(per_week)]


@pytest.mark.parametrize("hours", [3, 10, 27.5])
def test_invariants_on_shipped_roadmap(hours: float) -> None:
    roadmap = read_roadmap(SHIPPED_ROADMAP)
    checked = {"00.1", "00.7", "03.2", "03.3", "19.1"}
    plan = build_plan(roadmap, checked, hours, start=START)
    _check_invariants(plan, roadmap, checked)
    assert plan.feasible and plan.message == ""


def test_exact_minutes_from_front_matter_and_phase(tmp_path: Path) -> None:
    roadmap = read_roadmap(MINI)
    infos = chapter_infos(roadmap, _course(tmp_path))
    # 00: no lesson -> phase 0: 2 weeks x 12.5 h / 2 chapters = 12.5 h; 01: 3 h; 02: 4 h (course).
    assert [(c.number, c.hours, c.prerequisites, c.source) for c in infos.values()] == [
        ("00", 12.5, (), "roadmap"),
        ("01", 3.0, ("00",), "course"),
        ("02", 4.0, ("00",), "course"),
    ]
    plan = build_plan(roadmap, {"00.1", "01.2"}, 5, start=START, course_dir=tmp_path / "course")
    # 750 min: project 30 % = 225, topics 175; 180 min: 54 -> 55, 63 -> 65; 240 min: 72 -> 70, 56 -> 55.
    assert [(e.item_id, e.minutes) for e in plan.entries] == [
        ("00.2", 175),
        ("00.3", 175),
        ("00.4", 225),
        ("01.1", 65),
        ("01.3", 55),
        ("02.1", 55),
        ("02.2", 55),
        ("02.3", 55),
        ("02.4", 70),
    ]
    assert plan.total_minutes == 930
    # 5 h over 5 days = 60 min a day; 00.2 fills days 1-2 and 55 min of day 3.
    assert plan.entries[0].slices == ((START, 60), (START + timedelta(1), 60), (START + timedelta(2), 55))
    assert plan.entries[2].kind == "pratique" and plan.entries[0].theory_minutes == 70
    _check_invariants(plan, roadmap, {"00.1", "01.2"})


def test_prerequisites_reorder_chapters(tmp_path: Path) -> None:
    roadmap = read_roadmap(MINI)
    course = _course(tmp_path, c01=["02"])
    plan = build_plan(roadmap, set(), 8, start=START, course_dir=course)
    assert [e.chapter for e in plan.entries] == ["00"] * 4 + ["02"] * 4 + ["01"] * 3
    _check_invariants(plan, roadmap, set())


def test_cycle_is_an_error(tmp_path: Path) -> None:
    course = _course(tmp_path, c01=["02"], c02=["01"])
    with pytest.raises(PlanError, match=r"cycle among chapters \['01', '02'\]"):
        build_plan(read_roadmap(MINI), set(), 8, start=START, course_dir=course)


@pytest.mark.parametrize(
    ("weeks", "needed", "pace"),
    [
        (2, "8", "Débutant (beginner, 10-15 h/semaine) le permet à 10"),
        (1, "15.5", "Intermédiaire (intermediate, 15-20 h/semaine) le permet à 15.5"),
    ],
)
def test_deadline_infeasible_names_the_pace(tmp_path: Path, weeks: int, needed: str, pace: str) -> None:
    plan = build_plan(
        read_roadmap(MINI), {"00.1", "01.2"}, 5, weeks=weeks, start=START, course_dir=_course(tmp_path)
    )
    assert not plan.feasible
    assert f"au moins {needed} h/semaine" in plan.message and pace in plan.message
    assert plan.deadline == START + timedelta(days=7 * weeks - 1)


def test_deadline_beyond_every_pace(tmp_path: Path) -> None:
    plan = build_plan(read_roadmap(SHIPPED_ROADMAP), set(), 10, until=START + timedelta(days=30), start=START)
    assert not plan.feasible and "Même le rythme Intensif (30 h/semaine) ne suffit pas" in plan.message
    later = START + timedelta(days=math.ceil(plan.total_minutes / 60 / 30 * 7))
    assert f"repousse l'objectif au {later.isoformat()}" in plan.message


def test_feasible_deadline_and_sizes(tmp_path: Path) -> None:
    roadmap, course = read_roadmap(MINI), _course(tmp_path)
    plan = build_plan(roadmap, set(), None, weeks=4, start=START, course_dir=course)
    # 1170 min / 4 weeks = 4.875 h -> 5 h, then +0.5 h until whole-day slices fit before the deadline.
    assert plan.feasible and plan.hours_per_week == 5.5 and plan.total_minutes == 1170
    assert build_plan(roadmap, set(), pace="intensive", start=START, course_dir=course).hours_per_week == 27.5
    with pytest.raises(PlanError, match="either weeks or until"):
        build_plan(roadmap, set(), 5, weeks=2, until=START, start=START)
    with pytest.raises(PlanError, match="hours_per_week must be between"):
        build_plan(roadmap, set(), 0, start=START)


def test_focus_phase_topic_and_unknown(tmp_path: Path) -> None:
    roadmap, no_course = (
        read_roadmap(SHIPPED_ROADMAP),
        tmp_path,
    )  # no lessons: prerequisite = previous chapter
    done = {it.id for ch in roadmap.chapters[:37] for it in ch.items}
    plan = build_plan(roadmap, done, 10, focus="GARCH", start=START, course_dir=no_course)
    assert {e.chapter for e in plan.entries} == {"37"}
    plan = build_plan(roadmap, done - {"36.2"}, 10, focus="phase 7", start=START, course_dir=no_course)
    assert plan.entries[0].item_id == "36.2"
    assert [e.chapter for e in plan.entries[1:]] == [it.chapter for it in roadmap.chapter_items()][
        -sum(len(ch.items) for ch in roadmap.phase(7).chapters) :
    ]
    plan = build_plan(roadmap, set(), 10, focus="chapitre 3", start=START, course_dir=no_course)
    assert [e.chapter for e in plan.entries][-1] == "03" and {e.chapter for e in plan.entries} == {
        "00",
        "01",
        "02",
        "03",
    }
    with pytest.raises(PlanError, match="nothing matches focus 'astrologie'"):
        build_plan(roadmap, set(), 10, focus="astrologie", start=START)
    with pytest.raises(PlanError, match="no phase 9"):
        build_plan(roadmap, set(), 10, focus="9", start=START)


def test_exports(tmp_path: Path) -> None:
    plan = build_plan(
        read_roadmap(MINI), {"00.1", "01.2"}, 5, weeks=8, start=START, course_dir=_course(tmp_path)
    )
    data = json.loads(json.dumps(plan_to_dict(plan)))
    assert data["total_hours"] == 15.5 and data["feasible"] is True and len(data["entries"]) == 9
    assert [w["hours"] for w in data["weeks"]] == [round(w.minutes / 60, 2) for w in plan.weeks]
    md = plan_to_markdown(plan)
    assert md.startswith("# Plan d'étude : 5 h/semaine, 4 semaines")
    assert md.count("\n| ") == 1 + 4  # header and one row per week
    assert "- [ ] `00.2` Cellules Code vs *Markdown* (1h)" in md
    cal = Calendar.from_ical(plan_to_ics(plan))
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(plan.day_minutes())
    total = sum((e.decoded("dtend") - e.decoded("dtstart")).total_seconds() / 60 for e in events)
    assert total == plan.total_minutes == 930
    assert plan_to_ics(plan) == plan_to_ics(plan)  # deterministic


def test_knowledge_plan_uses_the_learners_progress() -> None:
    import knowledge
    from knowledge.roadmap import open_progress

    with open_progress() as store:
        store.check("00.1")
    plan = knowledge.plan(hours_per_week=10, weeks=12, start=START)
    assert plan.entries[0].item_id == "00.2" and len(plan.weeks) >= 12


def test_a_fragile_chapter_gets_a_review_session_first() -> None:
    from knowledge.config import get_settings
    from knowledge.learning.mastery import EvidenceStore
    from knowledge.learning.reviews import open_engine
    from knowledge.planner import plan

    store = EvidenceStore(open_engine(get_settings().db_url))
    for i in range(4):
        store.record("05", "quiz", f"05-q-{i}", False)
    store.record("07", "quiz", "07-q-0", True)
    p = plan(get_settings(), hours_per_week=10, weeks=4)
    first = p.entries[0]
    assert (first.item_id, first.chapter, first.minutes) == ("R05", "05", 45)
    assert "Révision du chapitre 05" in first.text
    assert not any(e.item_id == "R07" for e in p.entries)


def test_split_at_deadline_is_what_fits_and_what_does_not() -> None:
    from datetime import date

    from knowledge.planner import build_plan
    from knowledge.roadmap import load_roadmap

    plan = build_plan(load_roadmap(), set(), 10, weeks=4, start=date(2025, 1, 6))
    fits, rest = plan.split_at_deadline()
    assert fits and rest and fits + rest == plan.entries
    assert plan.deadline is not None and all(e.end <= plan.deadline < r.end for e in fits for r in rest[:1])
    assert build_plan(load_roadmap(), set(), 10, start=date(2025, 1, 6)).split_at_deadline()[1] == []
