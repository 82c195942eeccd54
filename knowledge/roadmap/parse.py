"""Line parser for the learner's roadmap format (see :mod:`knowledge.roadmap` for the format and ids).

Tolerant by design: emoji and symbols before headings, ``**bold**`` labels, arrows, nested lists, code fences
(skipped) and unknown sections are accepted; only what would make ids ambiguous is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.errors import RoadmapError
from knowledge.roadmap.model import (
    Chapter,
    Criterion,
    Group,
    Item,
    ItemKind,
    Pace,
    Phase,
    Project,
    Range,
    Roadmap,
    TrackerField,
)
from knowledge.textio import fold, repair_mojibake

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CHECKBOX = re.compile(r"^(\s*)[-*+]\s+\[([ xX✓✔])\]\s*(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_PHASE = re.compile(r"^Phase\s+(\d+)\s*[:\-–—]\s*(.+?)\s*(?:\(([^()]*)\))?\s*$", re.I)
_CHAPTER = re.compile(r"^(?:Chapitre|Chapter|Chap\.?)\s+(\d{1,2})\s*[:\-–—]\s*(.+?)\s*$", re.I)
_OPTION = re.compile(r"^Option\s+(\d+)\s*[:\-–—]?\s*(.*)$", re.I)
_PHASE_MARK = re.compile(r"^(?:\*\*)?\s*Phase\s+(\d+)", re.I)
_BOLD_KV = re.compile(r"^\s*(?:[-*+]\s+)?\*\*(.+?)\*\*\s*:?\s*(.*)$")
_PROJECT = re.compile(r"^\*\*(Exercices?|Projets?|Project|Exercise|Mini-projet)\*\*\s*:?\s*(.*)$", re.I)
_PATH = re.compile(r"\s*(?:→|->|=>)\s*`([^`]+)`\s*$")
_NUM = r"(\d+(?:[.,]\d+)?)"
_WEEKS = re.compile(rf"{_NUM}(?:\s*[-–à]\s*{_NUM})?\s*semaines?|{_NUM}(?:\s*[-–]\s*{_NUM})?\s*weeks?", re.I)
_HOURS = re.compile(rf"{_NUM}(?:\s*[-–à]\s*{_NUM})?\s*h(?:eures?|ours?)?\s*/\s*(?:semaine|week)", re.I)
_LEAD = re.compile(r"^[^\w(]+")
_TRACKER_KEYS = (
    ("date de debut", "start_date"),
    ("start", "start_date"),
    ("phase", "current_phase"),
    ("heure", "hours_this_week"),
    ("hour", "hours_this_week"),
    ("projet", "projects_done"),
    ("project", "projects_done"),
    ("objectif", "target_date"),
    ("target", "target_date"),
)
_PACE_KEYS = (
    ("debut", "beginner"),
    ("begin", "beginner"),
    ("interm", "intermediate"),
    ("intens", "intensive"),
)


def _num(s: str | None) -> float | None:
    return None if s is None else float(s.replace(",", "."))


def parse_range(text: str, pattern: re.Pattern[str]) -> Range | None:
    """``"6-8 semaines"`` -> ``(6.0, 8.0)``; ``"2 semaines"`` -> ``(2.0, 2.0)``; None when absent."""
    m = pattern.search(text)
    if not m:
        return None
    groups = [g for g in m.groups()]
    lo, hi = (groups[0], groups[1]) if groups[0] is not None else (groups[2], groups[3])
    a = _num(lo)
    assert a is not None
    b = _num(hi)
    return (a, b if b is not None else a)


@dataclass
class _PhaseAcc:
    number: int
    title: str
    heading_duration: str
    line: int
    objectives: list[str] = field(default_factory=list)
    duration_text: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)


@dataclass
class _ChapterAcc:
    number: str
    title: str
    phase: int
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass
class _GroupAcc:
    id: str
    title: str
    section: str
    items: list[Item] = field(default_factory=list)


class _Parser:
    def __init__(self, text: str, name: str) -> None:
        self.lines = text.split("\n")
        self.name = name
        self.title = ""
        self.meta: list[tuple[str, str]] = []
        self.phases: list[_PhaseAcc] = []
        self.phase_marks: dict[int, Item] = {}
        self.capstones: list[_GroupAcc] = []
        self.extras: list[_GroupAcc] = []
        self.paces: list[Pace] = []
        self.tracker: list[TrackerField] = []
        self.section = ""  # level-2 heading text
        self.sub = ""  # level-3 heading text
        self.context = "none"
        self.phase: _PhaseAcc | None = None
        self.chapter: _ChapterAcc | None = None
        self.group: _GroupAcc | None = None
        self.seen_chapters: dict[str, int] = {}

    # -- driver ----------------------------------------------------------------------------------------------
    def run(self) -> Roadmap:
        in_fence = False
        for i, line in enumerate(self.lines):
            if _FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence or not line.strip():
                continue
            if m := _HEADING.match(line):
                self._heading(len(m.group(1)), _LEAD.sub("", m.group(2)).strip(), i)
            elif m := _CHECKBOX.match(line):
                indent = len(m.group(1).expandtabs(4))
                self._checkbox(m.group(3).strip(), m.group(2) != " ", indent // 2, i)
            else:
                self._text(line, i)
        self._close_chapter()
        return self._build()

    # -- headings --------------------------------------------------------------------------------------------
    def _heading(self, level: int, text: str, i: int) -> None:
        self._close_chapter()
        self.group = None
        if level == 1:
            self.title = self.title or text
            return
        if m := _CHAPTER.match(text):
            self._open_chapter(m.group(1), m.group(2), i)
            return
        if level == 2:
            self.section, self.sub = text, ""
            m = _PHASE.match(text)
            self.phase = self._open_phase(m, i) if m else None
            folded = fold(text)
            self.context = "tracker" if "tracker" in folded else "phase" if m else "section"
            return
        self.sub = text
        folded = fold(text)
        if self.phase is not None and level == 3:
            self.context = next(
                (
                    ctx
                    for word, ctx in (
                        ("objectif", "objectives"),
                        ("duree", "duration"),
                        ("duration", "duration"),
                        ("validation", "criteria"),
                        ("capstone", "capstone"),
                    )
                    if word in folded
                ),
                "phase",
            )
        elif level >= 4 and self.context in ("capstone", "option") and (m := _OPTION.match(text)):
            self.context = "option"
            self.group = _GroupAcc(f"C{int(m.group(1))}", m.group(2).strip() or text, self.sub)
            self.capstones.append(self.group)
        elif "rythme" in folded or "pace" in folded:
            self.context = "paces"
        elif self.context != "tracker" or level == 2:
            self.context = "phase" if self.phase is not None else "section"

    def _open_phase(self, m: re.Match[str], i: int) -> _PhaseAcc:
        number = int(m.group(1))
        if any(p.number == number for p in self.phases):
            raise RoadmapError(f"{self.name}:{i + 1}: phase {number} appears twice; renumber one of them")
        acc = _PhaseAcc(number, m.group(2).strip(), m.group(3) or "", i)
        self.phases.append(acc)
        return acc

    def _open_chapter(self, num: str, title: str, i: int) -> None:
        number = f"{int(num):02d}"
        if self.phase is None:
            raise RoadmapError(
                f"{self.name}:{i + 1}: chapter {number} is outside any phase; put it under a "
                "'## Phase N: Title (duration)' heading"
            )
        if number in self.seen_chapters:
            raise RoadmapError(
                f"{self.name}:{i + 1}: chapter {number} already appears at line "
                f"{self.seen_chapters[number]}; "
                "renumber one of them"
            )
        self.seen_chapters[number] = i + 1
        self.chapter = _ChapterAcc(number, title.strip(), self.phase.number, i)
        self.context = "chapter"

    def _close_chapter(self) -> None:
        acc, self.chapter = self.chapter, None
        if acc is None or self.phase is None:
            return
        project = None
        for it in acc.items:
            if it.kind == "project" and (m := _PROJECT.match(it.text)):
                rest = m.group(2)
                path = _PATH.search(rest)
                title = _PATH.sub("", rest).strip() if path else rest.strip()
                project = Project(it.id, m.group(1).capitalize(), title, path.group(1) if path else None)
        self.phase.chapters.append(Chapter(acc.number, acc.title, acc.phase, tuple(acc.items), project))

    # -- checkboxes ------------------------------------------------------------------------------------------
    def _checkbox(self, text: str, checked: bool, depth: int, i: int) -> None:
        if self.chapter is not None:
            ch = self.chapter
            kind: ItemKind = "project" if _PROJECT.match(text) and depth == 0 else "topic"
            ch.items.append(
                Item(f"{ch.number}.{len(ch.items) + 1}", text, kind, ch.phase, ch.number, depth, checked, i)
            )
        elif self.context == "criteria" and self.phase is not None:
            ph = self.phase
            ph.criteria.append(
                Criterion(
                    f"P{ph.number}.V{len(ph.criteria) + 1}",
                    text,
                    "criterion",
                    ph.number,
                    None,
                    depth,
                    checked,
                    i,
                )
            )
        elif self.context == "option" and self.group is not None:
            g = self.group
            g.items.append(
                Item(f"{g.id}.{len(g.items) + 1}", text, "capstone", None, None, depth, checked, i)
            )
        elif (
            self.phase is None and (m := _PHASE_MARK.match(text)) and int(m.group(1)) not in self.phase_marks
        ):
            self.phase_marks[int(m.group(1))] = Item(
                f"P{int(m.group(1))}", text, "phase", int(m.group(1)), None, depth, checked, i
            )
        else:
            if self.group is None:
                self.group = _GroupAcc(f"S{len(self.extras) + 1}", self.sub or self.section, self.section)
                self.extras.append(self.group)
            g = self.group
            phase = self.phase.number if self.phase else None
            g.items.append(Item(f"{g.id}.{len(g.items) + 1}", text, "extra", phase, None, depth, checked, i))

    # -- other lines -----------------------------------------------------------------------------------------
    def _text(self, line: str, i: int) -> None:
        if self.context == "objectives" and self.phase is not None and (m := _BULLET.match(line)):
            self.phase.objectives.append(m.group(1).strip())
        elif self.context == "duration" and self.phase is not None and not self.phase.duration_text:
            self.phase.duration_text = line.strip()
        elif self.context == "paces" and (m := _BOLD_KV.match(line)):
            self._pace(m.group(1), m.group(2))
        elif self.context == "tracker" and (m := _BOLD_KV.match(line)):
            self._tracker(m.group(1).strip().rstrip(":"), m.group(2).strip(), i)
        elif not self.phases and self.context == "section" and (m := _BOLD_KV.match(line)):
            self.meta.append((m.group(1).strip().rstrip(":"), m.group(2).strip()))

    def _pace(self, name: str, rest: str) -> None:
        hours = parse_range(rest, _HOURS) or parse_range(rest.replace("h/", " h/"), _HOURS)
        if hours is None:
            return
        folded = fold(name)
        key = next((k for word, k in _PACE_KEYS if folded.startswith(word)), re.sub(r"\W+", "-", folded))
        dur = re.search(r"\(([^()]*)\)", rest)
        self.paces.append(Pace(key, name.strip(), hours, dur.group(1) if dur else ""))

    def _tracker(self, label: str, rest: str, i: int) -> None:
        folded = fold(label)
        key = next((k for word, k in _TRACKER_KEYS if word in folded), re.sub(r"\W+", "_", folded).strip("_"))
        total = None
        if m := re.match(r"^([\w\s]*?)\s*/\s*(\d+)\s*$", rest):
            rest, total = m.group(1), int(m.group(2))
        value = None if re.fullmatch(r"[_\s.…-]*", rest) else rest.strip()
        self.tracker.append(TrackerField(key, label, value, total, i))

    # -- result ----------------------------------------------------------------------------------------------
    def _build(self) -> Roadmap:
        if not self.seen_chapters:
            raise RoadmapError(
                f"{self.name}: no chapter found; chapters are headings like '#### Chapitre 03: Algèbre "
                "linéaire' under '## Phase 1: Mathématiques (6-8 semaines)'"
            )
        phases = []
        for acc in self.phases:
            duration = f"{acc.heading_duration} {acc.duration_text}"
            phases.append(
                Phase(
                    acc.number,
                    acc.title,
                    parse_range(duration, _WEEKS),
                    parse_range(acc.duration_text, _HOURS),
                    tuple(acc.objectives),
                    tuple(acc.chapters),
                    tuple(acc.criteria),
                    self.phase_marks.get(acc.number),
                )
            )
        groups = [Group(g.id, g.title, g.section, tuple(g.items)) for g in (*self.capstones, *self.extras)]
        ncap = len(self.capstones)
        return Roadmap(
            title=self.title,
            meta=tuple(self.meta),
            phases=tuple(phases),
            capstones=tuple(groups[:ncap]),
            extras=tuple(groups[ncap:]),
            paces=tuple(self.paces),
            tracker=tuple(self.tracker),
            source="\n".join(self.lines),
        )


def parse_roadmap(text: str, *, name: str = "<roadmap>") -> Roadmap:
    """Parse roadmap Markdown (mojibake is repaired first).

    Raises
    ------
    RoadmapError
        When no chapter is found, a chapter or phase number repeats, or a chapter sits outside a phase.
    """
    return _Parser(repair_mojibake(text), name).run()
