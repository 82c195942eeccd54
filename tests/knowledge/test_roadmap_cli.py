"""``quant-tutor roadmap ...`` and ``quant-tutor plan`` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from app.cli import app
from knowledge.config import get_settings
from knowledge.roadmap import open_progress, read_roadmap

MINI = Path(__file__).parent / "fixtures" / "roadmap" / "mini.md"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def test_check_show_uncheck_on_shipped_roadmap() -> None:
    code, out, _ = _run("roadmap", "check", "03.8", "P1.V2")
    assert code == 0 and "[x] 03.8 Exercice: Une petite classe Matrix sans NumPy" in out
    with open_progress(get_settings()) as store:
        assert set(store.checked()) == {"03.8", "P1.V2"}
    code, out, _ = _run("roadmap", "show", "--json")
    data = json.loads(out)
    assert code == 0 and (data["done"], data["projects_done"], data["projects_total"]) == (2, 1, 45)
    ch03 = data["phases"][1]["chapters"][0]
    assert [i["id"] for i in ch03["items"] if i["checked"]] == ["03.8"]
    code, out, _ = _run("roadmap", "show")
    assert "    [x] 03.8   Exercice:" in out and "Phase 7: Applications Avancées" in out
    assert _run("roadmap", "uncheck", "03.8")[0] == 0
    with open_progress(get_settings()) as store:
        assert set(store.checked()) == {"P1.V2"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["roadmap", "check", "03.8", "99.1"], "unknown item id '99.1'"),
        (["roadmap", "import", "nope.md"], "no such file"),
        (["roadmap", "tracker", "--start-date", "demain"], "--start-date : date illisible « demain »"),
        (["plan"], "give --hours-per-week"),
        (["plan", "--hours-per-week", "10", "--pace", "lent"], "--pace must be"),
        (["plan", "--hours-per-week", "10", "--focus", "astrologie"], "nothing matches focus"),
        (
            ["plan", "--hours-per-week", "10", "--weeks", "2", "--until", "2030-01-01"],
            "either weeks or until",
        ),
    ],
)
def test_bad_input_exit_2_without_traceback(args: list[str], message: str) -> None:
    code, out, err = _run(*args)
    assert code == 2 and message in err and "Traceback" not in err + out
    with open_progress(get_settings()) as store:
        assert store.checked() == {}  # nothing written when one id is wrong


def test_import_tracker_log_export(tmp_path: Path) -> None:
    code, out, _ = _run("roadmap", "import", str(MINI))
    assert code == 0 and "Imported 21 items" in out and "5 marked [x] in the file" in out
    assert _run("roadmap", "log", "45", "--chapter", "2", "--date", "2025-03-04")[0] == 0
    code, out, _ = _run("roadmap", "tracker", "--target-date", "2025-12-31", "--json")
    assert json.loads(out) == {
        "start_date": "2025-01-06",
        "target_date": "2025-12-31",
        "projects_done": "0 / 3",
        "current_phase": "Phase 0: Fondations",
    }
    code, out, _ = _run("roadmap", "next", "-n", "2", "--json")
    assert [i["id"] for i in json.loads(out)] == ["00.2", "00.3"]
    out_file = tmp_path / "mine.md"
    assert _run("roadmap", "export", str(out_file))[0] == 0
    exported = read_roadmap(out_file)
    assert exported == read_roadmap(MINI)
    assert {i.id for i in exported.items() if i.checked} == {"P0", "00.1", "01.2", "P0.V2", "S1.2"}
    assert "**Objectif de fin**: 2025-12-31" in out_file.read_text(encoding="utf-8")


def test_plan_command_writes_json_md_ics(tmp_path: Path) -> None:
    md, ics = tmp_path / "plan.md", tmp_path / "plan.ics"
    code, out, _ = _run(
        "plan",
        "--hours-per-week",
        "10",
        "--weeks",
        "12",
        "--start",
        "2025-01-06",
        "--json",
        "--md",
        str(md),
        "--ics",
        str(ics),
    )
    data = json.loads(out)
    assert code == 0 and data["hours_per_week"] == 10 and data["feasible"] is False
    assert "Même le rythme Intensif" in data["message"]
    assert data["entries"][0]["item"] == "00.1" and data["weeks"][0]["start"] == "2025-01-06"
    assert md.read_text(encoding="utf-8").startswith("# Plan d'étude : 10 h/semaine")
    assert len(Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == sum(
        len({s["date"] for e in data["entries"] for s in e["sessions"]}) for _ in [0]
    )
    code, out, err = _run("plan", "--pace", "beginner", "--focus", "0", "--start", "2025-01-06")
    assert code == 0 and out.startswith("# Plan d'étude : 12.5 h/semaine") and err == ""
