"""The shipped course: 45 lessons, well-formed, with runnable examples, indexed with their chapters."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.chunking import split_front_matter
from knowledge.ingest import COURSE_DIR
from knowledge.loaders import phase_of_chapter

LESSONS = sorted(COURSE_DIR.glob("[0-9][0-9]-*.md"))
CHAPTERS = [f"{i:02d}" for i in range(45)]


def test_one_lesson_per_chapter() -> None:
    assert [p.name[:2] for p in LESSONS] == CHAPTERS


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_lesson_is_well_formed(path: Path) -> None:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    chapter = path.name[:2]
    assert meta["chapter"] == chapter and meta["phase"] == phase_of_chapter(chapter)
    assert meta["title"] and float(meta["hours"]) > 0
    prereqs = [p for p in meta.get("prerequisites", "").split(",") if p]
    assert all(p < chapter for p in prereqs)
    headings = re.findall(r"^## (.+)$", body, re.M)
    for section in ("Objectifs", "Erreurs fréquentes", "Exercice"):
        assert any(h.startswith(section) for h in headings), section
    assert any(h.startswith("Exemple") for h in headings)
    assert "```python" in body
    words = len(re.sub(r"```.*?```", " ", body, flags=re.S).split())
    assert 350 <= words <= 1400, words


def test_lessons_carry_their_formulas() -> None:
    with_latex = [p.name for p in LESSONS if re.search(r"\$[^$\n]+\$", p.read_text(encoding="utf-8"))]
    assert len(with_latex) >= 42, sorted(set(p.name for p in LESSONS) - set(with_latex))


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_lesson_examples_run(path: Path, tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    assert blocks
    for i, code in enumerate(blocks):
        script = tmp_path / f"block{i}.py"
        script.write_text(code, encoding="utf-8")
        run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                             cwd=tmp_path)
        assert run.returncode == 0, f"{path.name} block {i}:\n{run.stderr[-1500:]}"
        assert run.stdout.strip(), f"{path.name} block {i} prints nothing"


@pytest.mark.slow
@pytest.mark.integration
def test_ingest_indexes_all_45_lessons_with_their_chapters() -> None:
    from knowledge.config import get_settings
    from knowledge.ingest import ingest
    from knowledge.store import get_collection

    report = ingest(progress=False)
    assert report.files == 45 and not report.skipped
    metas = get_collection(get_settings()).get(include=["metadatas"])["metadatas"]
    assert sorted({m["chapter"] for m in metas}) == CHAPTERS
    assert all(m["phase"] == phase_of_chapter(m["chapter"]) for m in metas)
