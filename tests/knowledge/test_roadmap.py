"""Roadmap parser: a fixture of our own in three encodings, the shipped roadmap and the learner's file."""

from __future__ import annotations

import re
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest

from knowledge.errors import RoadmapError
from knowledge.roadmap import SHIPPED_ROADMAP, export_markdown, load_roadmap, parse_roadmap, read_roadmap

FIX = Path(__file__).parent / "fixtures" / "roadmap"
MINI = FIX / "mini.md"
SEED = "003_82f3ddd96d8b1539.txt"

MINI_IDS = [
    "P0",
    "P1",
    "00.1",
    "00.2",
    "00.3",
    "00.4",
    "01.1",
    "01.2",
    "01.3",
    "P0.V1",
    "P0.V2",
    "02.1",
    "02.2",
    "02.3",
    "02.4",
    "P1.V1",
    "C1.1",
    "C1.2",
    "C2.1",
    "S1.1",
    "S1.2",
]
MINI_CHECKED = {"P0", "00.1", "01.2", "P0.V2", "S1.2"}


def _mojibake_mac(text: str) -> bytes:
    return text.encode("utf-8").decode("mac_roman").encode("utf-8")


def _mojibake_cp1252(text: str) -> bytes:
    return text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")


def _count_per_chapter(raw: str) -> dict[str, int]:
    """Independent count: checkbox lines per '#### Chapitre NN' block."""
    counts: dict[str, int] = {}
    current = None
    for line in raw.split("\n"):
        if line.startswith("#"):
            m = re.match(r"#### Chapitre (\d\d)", line)
            current = m.group(1) if m else None
        elif current and re.match(r"- \[ \]", line):
            counts[current] = counts.get(current, 0) + 1
    return counts


def test_mini_structure() -> None:
    r = read_roadmap(MINI)
    assert r.title == "Mini roadmap : de Zéro à l'Attention"
    assert [p.number for p in r.phases] == [0, 1]
    assert [(c.number, c.title, c.phase) for c in r.chapters] == [
        ("00", "Jupyter Notebooks", 0),
        ("01", "Python Fundamentals", 0),
        ("02", "Calcul Différentiel", 1),
    ]
    assert [it.id for it in r.items()] == MINI_IDS
    assert {it.id for it in r.items() if it.checked} == MINI_CHECKED
    p0, p1 = r.phases
    assert (p0.weeks, p0.hours_per_week, p1.weeks, p1.hours_per_week) == ((2, 2), (10, 15), (3, 5), (12, 15))
    assert p0.objectives == ("Maîtriser l'environnement Jupyter", "Écrire du Python simple")
    assert r.item("00.3").depth == 1 and r.item("00.3").text == "Sous-point : raccourcis clavier"
    assert r.item("01.2").text == "Boucles → for / while"
    assert r.item("02.3").label == "Gradient ∇f et softmax(QKᵀ/√d)"
    assert r.item("00.2").label == "Cellules Code vs *Markdown*"
    proj = r.chapter("00").project
    assert proj is not None and (proj.item_id, proj.kind, proj.title, proj.path) == (
        "00.4",
        "Exercice",
        "Créer ton premier notebook",
        "envs/phase_0_foundations/",
    )
    assert r.chapter(1).project.title == "Calculatrice d'intérêts composés"  # type: ignore[union-attr]
    assert [(g.id, g.title, len(g.items)) for g in r.capstones] == [
        ("C1", "Assistant IA 🤖", 2),
        ("C2", "Agent de trading", 1),
    ]
    assert [(g.id, g.title) for g in r.extras] == [("S1", "Portfolio minimum")]
    assert [(p.key, p.hours, p.duration) for p in r.paces] == [
        ("beginner", (10, 15), "18 mois"),
        ("intensive", (25, 30), "10-12 mois"),
    ]
    assert [(f.key, f.value, f.total) for f in r.tracker] == [
        ("start_date", "2025-01-06", None),
        ("current_phase", None, None),
        ("projects_done", None, 3),
        ("target_date", None, None),
    ]
    assert r.projects_total == 3
    assert dict(r.meta)["Durée estimée totale"] == "5-7 semaines"


@pytest.mark.parametrize("encode", [_mojibake_mac, _mojibake_cp1252], ids=["mac_roman", "cp1252"])
def test_mojibake_copies_parse_equal(encode, tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_bytes(encode(text))
    assert "Zéro" not in bad.read_bytes().decode("utf-8")  # really mangled
    good, fixed = read_roadmap(MINI), read_roadmap(bad)
    assert fixed == good
    assert [(i.id, i.text, i.checked) for i in fixed.items()] == [
        (i.id, i.text, i.checked) for i in good.items()
    ]


def test_legacy_cp1252_file(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").encode("cp1252", errors="ignore").decode("cp1252")
    legacy = tmp_path / "legacy.md"
    legacy.write_bytes(text.encode("cp1252"))
    assert read_roadmap(legacy) == parse_roadmap(text)
    assert read_roadmap(legacy).chapter("02").title == "Calcul Différentiel"


def test_unknown_id_says_how_to_list() -> None:
    r = read_roadmap(MINI)
    with pytest.raises(RoadmapError, match=r"quant-tutor roadmap show"):
        r.item("99.1")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "# t\n## Phase 0: A\n#### Chapitre 00: X\n- [ ] a\n#### Chapitre 0: Y\n",
            "already appears at line 3",
        ),
        ("# t\n#### Chapitre 00: X\n- [ ] a\n", "outside any phase"),
        ("# t\n## Phase 0: A\n- [ ] a\n", "no chapter found"),
        ("# t\n## Phase 0: A\n#### Chapitre 00: X\n## Phase 0: B\n", "phase 0 appears twice"),
    ],
)
def test_malformed_roadmaps(text: str, match: str) -> None:
    with pytest.raises(RoadmapError, match=match):
        parse_roadmap(text)


def test_export_round_trip_keeps_marks_and_text(tmp_path: Path) -> None:
    r = read_roadmap(MINI)
    marks = {"00.3", "02.4", "P1.V1", "C2.1"}
    out = export_markdown(r, marks, {"current_phase": "Phase 1"})
    again = parse_roadmap(out)
    assert again == r
    assert {i.id for i in again.items() if i.checked} == marks
    assert {f.key: f.value for f in again.tracker}["current_phase"] == "Phase 1"
    assert {f.key: f.value for f in again.tracker}["projects_done"] == "1"
    # Only mark and tracker lines change.
    changed = [(a, b) for a, b in zip(r.source.split("\n"), out.split("\n"), strict=True) if a != b]
    assert len(changed) == 4 + 5 + 2  # 4 new marks, 5 cleared ones, 2 tracker values


def test_shipped_roadmap() -> None:
    r = read_roadmap(SHIPPED_ROADMAP)
    assert load_roadmap() == r  # no imported roadmap in the fresh QT_HOME
    assert [c.number for c in r.chapters] == [f"{n:02d}" for n in range(45)]
    assert len(r.phases) == 8 and all(p.weeks and p.hours_per_week and p.criteria for p in r.phases)
    assert all(c.project is not None for c in r.chapters)
    assert [p.key for p in r.paces] == ["beginner", "intermediate", "intensive"]
    assert not any(i.checked for i in r.items())
    per_chapter = _count_per_chapter(SHIPPED_ROADMAP.read_text(encoding="utf-8"))
    assert {c.number: len(c.items) for c in r.chapters} == per_chapter


def test_learner_seed_exact_counts(seeds_dir: Path) -> None:
    path = seeds_dir / SEED
    raw = path.read_bytes().decode("utf-8")
    assert "Math√©matiques" in raw  # the file really is mojibake
    per_chapter = _count_per_chapter(raw)  # counted on the raw mangled text
    all_boxes = len(re.findall(r"^- \[ \]", raw, flags=re.M))
    r = read_roadmap(path)
    assert len(r.phases) == 8 and len(r.chapters) == 45 == len(per_chapter)
    assert {c.number: len(c.items) for c in r.chapters} == per_chapter
    assert sum(per_chapter.values()) == 324 and all_boxes == 394
    assert len(list(r.items())) == all_boxes
    assert sum(len(p.criteria) for p in r.phases) == 32
    assert [(g.id, len(g.items)) for g in r.capstones] == [("C1", 6), ("C2", 6), ("C3", 6)]
    assert [(g.title, len(g.items)) for g in r.extras] == [
        ("Certifications recommandées", 3),
        ("Portfolio minimum", 5),
        ("Compétences démontrées", 4),
    ]
    assert r.chapter("00").title == "Jupyter Notebooks" and r.chapter("44").title == "Production Systems"
    assert r.item("03.8").text == "**Exercice**: Implémentation de matrices sans NumPy → `envs/phase_1_math/`"
    assert r.item("27.3").text == "Positional encoding"
    assert r.item("P1.V2").text == "Calcul de gradients analytiques"
    assert r.item("C1.3").text == "Génération de recommandations"
    assert [(p.number, p.weeks) for p in r.phases][1] == (1, (6, 8))
    assert r.phase(6).hours_per_week == (20, 25)
    assert [(p.key, p.hours) for p in r.paces] == [
        ("beginner", (10, 15)),
        ("intermediate", (15, 20)),
        ("intensive", (25, 30)),
    ]
    assert r.projects_total == 44 and len(r.projects) == 45
    assert [c.title for c in r.chapters] == [c.title for c in read_roadmap(SHIPPED_ROADMAP).chapters]
