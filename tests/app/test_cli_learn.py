"""``quant-tutor review / quiz / export anki / today`` through Typer's runner, on a real progress database."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app
from knowledge.config import get_settings
from knowledge.learning.reviews import open_reviews

runner = CliRunner()


def test_review_adds_a_chapter_and_records_ratings() -> None:
    res = runner.invoke(app, ["review", "--add-chapter", "27", "--limit", "2"], input="\n3\n\n1\n")
    assert res.exit_code == 0, res.output
    assert "fiches du chapitre 27" in res.output and "Séance terminée : 2 cartes revues" in res.output
    ratings = [log["rating"] for log in open_reviews(get_settings()).logs()]
    assert ratings == [3, 1]


def test_review_of_an_unknown_chapter_says_what_to_do() -> None:
    res = runner.invoke(app, ["review", "--add-chapter", "99"])
    assert res.exit_code == 2 and "de 00 à 44" in res.output


def test_quiz_json_and_interactive() -> None:
    res = runner.invoke(app, ["quiz", "27", "--json", "--n", "3"])
    items = json.loads(res.output)
    assert len(items) == 3 and all("check" not in i for i in items)
    res = runner.invoke(app, ["quiz", "27", "--n", "1"], input="peut-être\nA\n")
    assert res.exit_code == 0 and "Score : " in res.output
    assert runner.invoke(app, ["quiz", "zz"]).exit_code == 2


def test_export_anki_writes_a_package(tmp_path: Path) -> None:
    runner.invoke(app, ["review", "--add-chapter", "05", "--limit", "1"], input="\n3\n")
    out = tmp_path / "deck.apkg"
    res = runner.invoke(app, ["export", "anki", str(out)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out) as z:
        z.extract("collection.anki2", tmp_path)
    n = sqlite3.connect(tmp_path / "collection.anki2").execute("select count(*) from notes").fetchone()[0]
    assert n == len(open_reviews(get_settings()).cards()) and f"{n} cartes" in res.output
    bad = runner.invoke(app, ["export", "anki", str(tmp_path / "deck.txt")])
    assert bad.exit_code == 2 and ".apkg" in bad.output


def test_today_json() -> None:
    data = json.loads(runner.invoke(app, ["today", "--json"]).output)
    assert set(data) == {"reviews_due", "next_items", "suggestion", "minutes_this_week", "streak_days", "mastery"}
    assert data["suggestion"]["kind"] == "quiz" and len(data["next_items"]) == 3
