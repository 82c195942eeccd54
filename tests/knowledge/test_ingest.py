"""Ingest with the real embedder and a real Chroma store under a temp QT_HOME."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from knowledge.config import get_settings
from knowledge.ingest import ingest
from knowledge.store import get_collection

pytestmark = pytest.mark.integration


def _all(field: str = "metadatas") -> list:
    return get_collection(get_settings()).get(include=[field])[field]


def test_ingest_is_idempotent_and_tracks_changes(course_dir: Path) -> None:
    first = ingest([course_dir], progress=False)
    assert (first.files, first.added, first.updated, first.removed) == (3, first.chunks, 0, 0)
    assert first.chunks == 4  # 2 + 1 + 1 sections with text

    again = ingest([course_dir], progress=False)
    assert (again.added, again.updated, again.removed, again.chunks) == (0, 0, 0, first.chunks)

    lesson = course_dir / "27-transformer.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("several attention heads", "h heads"), "utf-8")
    changed = ingest([course_dir], progress=False)
    assert (changed.added, changed.updated, changed.removed) == (0, 1, 1)

    (course_dir / "19-reseaux.md").unlink()
    deleted = ingest([course_dir], progress=False)
    assert (deleted.removed, deleted.files) == (1, 2)
    assert {m["source"].rsplit("/", 1)[-1] for m in _all()} == {"37-finance.md", "27-transformer.md"}


def test_metadata_carries_phase_chapter_heading(ingested: Path) -> None:
    metas = {m["heading"]: m for m in _all()}
    var = metas["Chapitre 37 — Finance quantitative > Value at Risk (VaR)"]
    assert (var["phase"], var["chapter"], var["title"]) == ("7", "37", "Finance quantitative")
    assert metas["Chapitre 19 — Réseaux de neurones > Rétropropagation (backpropagation)"]["chapter"] == "19"


def test_bad_files_are_reported_and_skipped(tmp_path: Path, course_dir: Path) -> None:
    (course_dir / "empty.md").write_text("", encoding="utf-8")
    (course_dir / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (course_dir / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (course_dir / "broken.ipynb").write_text("{not json", encoding="utf-8")
    (course_dir / "fake.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    big = course_dir / "huge.txt"
    big.write_text("x" * 2_100_000, encoding="utf-8")
    missing = tmp_path / "nope.md"
    import os

    os.environ["QT_MAX_FILE_MB"] = "2"
    get_settings.cache_clear()
    try:
        report = ingest([course_dir, missing], progress=False)
    finally:
        del os.environ["QT_MAX_FILE_MB"]
        get_settings.cache_clear()
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert report.files == 3
    assert set(reasons) == {"empty.md", "blank.txt", "image.md", "broken.ipynb", "fake.pdf", "huge.txt", "nope.md"}
    assert "empty" in reasons["empty.md"] and "empty" in reasons["blank.txt"]
    assert "binary" in reasons["image.md"]
    assert "notebook" in reasons["broken.ipynb"]
    assert "PDF" in reasons["fake.pdf"]
    assert "too large" in reasons["huge.txt"] and "QT_MAX_FILE_MB" in reasons["huge.txt"]
    assert "not found" in reasons["nope.md"]


def test_mojibake_secrets_notebooks_and_unclosed_fences(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    clean = "# Plan d'étude 📅\n\n## Mathématiques → Modèles\n\nLe théorème de Bayes relie les probabilités.\n"
    (d / "macroman.md").write_text(clean.encode("utf-8").decode("mac_roman"), encoding="utf-8")
    (d / "secrets.md").write_text(
        "# Notes\n\nMa clé Kaggle KGAT_0123456789abcdefABCD et OpenAI sk-abcdefghijklmnopqrstuvwxyz123456.\n",
        encoding="utf-8",
    )
    (d / "fence.md").write_text("# Code\n\nIntro.\n\n```python\nx = 1\n\n\ny = 2\n", encoding="utf-8")
    nb = {"cells": [{"cell_type": "markdown", "source": ["# Carnet\n", "La descente de gradient."]},
                    {"cell_type": "code", "source": ["w = w - lr * grad\n"]}], "metadata": {}}
    (d / "carnet.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    report = ingest([d], progress=False)
    assert report.skipped == [] and report.files == 4 and report.redacted == 2
    docs = "\n".join(_all("documents"))
    metas = _all()
    assert "Le théorème de Bayes relie les probabilités." in docs
    assert any(m["heading"] == "Plan d'étude 📅 > Mathématiques → Modèles" for m in metas)
    assert "KGAT_" not in docs and "sk-abc" not in docs and "[REDACTED:kaggle]" in docs
    assert "```python\nw = w - lr * grad\n```" in docs
    assert "```python\nx = 1\n\n\ny = 2" in docs


def test_ingest_learner_seeds(seeds_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "seeds"
    shutil.copytree(seeds_dir, copy)
    report = ingest([copy], progress=False)
    assert report.files == 3 and not report.skipped
    headings = {m["heading"] for m in _all()}
    assert any("Phase 7: Applications Avancées" in h for h in headings)
    assert not any("√©" in h or "Ã©" in h for h in headings)


def test_a_huge_folder_is_refused_with_advice(tmp_path: Path, monkeypatch) -> None:
    import knowledge.ingest as ingest_module

    monkeypatch.setattr(ingest_module, "MAX_FILES", 3)
    big = tmp_path / "home"
    (big / "node_modules" / "pkg").mkdir(parents=True)
    (big / "node_modules" / "pkg" / "README.md").write_text("# not course\n\ntext", encoding="utf-8")
    for i in range(5):
        (big / f"note{i}.md").write_text(f"# Note {i}\n\ncontenu {i}", encoding="utf-8")
    report = ingest([big], progress=False)
    assert report.files == 0 and "point at the folder" in report.skipped[0].reason
    monkeypatch.setattr(ingest_module, "MAX_FILES", 10)
    report = ingest([big], progress=False)
    assert report.files == 5  # node_modules is not walked
