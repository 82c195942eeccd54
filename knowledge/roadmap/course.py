"""Chapter hours and prerequisites for the planner, from the course's front matter or the roadmap.

A lesson ``knowledge/course/NN-slug.md`` starts with YAML front matter (``phase``, ``chapter``, ``title``,
``prerequisites: ["03", "05"]``, ``hours``). Where a lesson or a field is missing, hours come from the phase
(mean weeks x mean hours per week / chapters of the phase) and the prerequisite is the previous chapter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from knowledge.roadmap.model import Phase, Roadmap

log = logging.getLogger(__name__)

COURSE_DIR = Path(__file__).resolve().parents[1] / "course"
DEFAULT_HOURS = 10.0


@dataclass(frozen=True)
class ChapterInfo:
    """What the planner needs about a chapter."""

    number: str
    title: str
    phase: int
    hours: float
    prerequisites: tuple[str, ...]
    source: Literal["course", "roadmap"]


def _chapter_key(value: Any) -> str | None:
    text = str(value).strip()
    return f"{int(text):02d}" if text.isdigit() else None


def read_front_matter(path: Path) -> dict[str, Any]:
    """The YAML between the leading ``---`` lines of a Markdown file ({} when absent or invalid)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return {}
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        data = yaml.safe_load(text[3:end])
    except yaml.YAMLError as exc:
        log.warning("invalid front matter in %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def course_front_matter(course_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """Front matter of every lesson ``NN-*.md``, keyed by two-digit chapter number."""
    folder = course_dir or COURSE_DIR
    found: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("[0-9][0-9]-*.md")):
        meta = read_front_matter(path)
        key = _chapter_key(meta.get("chapter", path.name[:2]))
        if key is not None:
            found[key] = meta
    return found


def phase_chapter_hours(phase: Phase) -> float:
    """Mean weeks x mean hours/week of the phase, shared equally by its chapters."""
    if not phase.chapters or phase.weeks is None or phase.hours_per_week is None:
        return DEFAULT_HOURS
    weeks = sum(phase.weeks) / 2
    hours = sum(phase.hours_per_week) / 2
    return weeks * hours / len(phase.chapters)


def _hours(meta: dict[str, Any], fallback: float) -> tuple[float, bool]:
    try:
        h = float(meta["hours"])
    except (KeyError, TypeError, ValueError):
        return fallback, False
    return (h, True) if h > 0 else (fallback, False)


def chapter_infos(roadmap: Roadmap, course_dir: Path | None = None) -> dict[str, ChapterInfo]:
    """Hours and prerequisites of every chapter of the roadmap, in roadmap order."""
    meta = course_front_matter(course_dir)
    known = {ch.number for ch in roadmap.chapters}
    infos: dict[str, ChapterInfo] = {}
    previous: str | None = None
    for phase in roadmap.phases:
        fallback = phase_chapter_hours(phase)
        for ch in phase.chapters:
            m = meta.get(ch.number, {})
            hours, from_course = _hours(m, fallback)
            raw = m.get("prerequisites")
            if isinstance(raw, list):
                prereqs = tuple(k for k in (_chapter_key(v) for v in raw) if k in known and k != ch.number)
            else:
                prereqs = (previous,) if previous else ()
            infos[ch.number] = ChapterInfo(
                ch.number, ch.title, ch.phase, hours, prereqs, "course" if from_course else "roadmap"
            )
            previous = ch.number
    return infos
