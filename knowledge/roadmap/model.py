"""Typed model of a roadmap: :class:`Roadmap` -> :class:`Phase` -> :class:`Chapter` -> :class:`Item`.

Built by :mod:`knowledge.roadmap.parse`; see :mod:`knowledge.roadmap` for the id scheme. Equality compares the
structure (ids, texts, titles, durations) and ignores what the learner fills in (``[x]`` marks, tracker
values, line numbers, source text), so ``import -> export -> import`` gives an equal model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from knowledge.errors import RoadmapError
from knowledge.textio import fold

ItemKind = Literal["topic", "project", "criterion", "capstone", "phase", "extra"]
Range = tuple[float, float]

_MARKUP = re.compile(r"\*\*|__|`")
_SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """Markdown inline text without bold markers and backticks, spaces collapsed."""
    return _SPACES.sub(" ", _MARKUP.sub("", text)).strip()


def text_key(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key used to match an item across two roadmaps."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(plain(text))))


@dataclass(frozen=True)
class Item:
    """One checkbox line: ``text`` is the Markdown after ``[ ]``, ``checked`` the mark read from the file."""

    id: str
    text: str
    kind: ItemKind
    phase: int | None = None
    chapter: str | None = None
    depth: int = 0
    checked: bool = field(default=False, compare=False)
    line: int = field(default=-1, compare=False, repr=False)

    @property
    def label(self) -> str:
        """The text without Markdown markers."""
        return plain(self.text)

    @property
    def key(self) -> str:
        """Normalised text used to keep progress when a roadmap is re-imported."""
        return text_key(self.text)

    @property
    def is_project(self) -> bool:
        return self.kind == "project"


@dataclass(frozen=True)
class Criterion(Item):
    """A validation criterion of a phase (id ``P<phase>.V<k>``)."""


@dataclass(frozen=True)
class Project:
    """The ``**Exercice**`` / ``**Projet**`` line of a chapter."""

    item_id: str
    kind: str
    title: str
    path: str | None = None


@dataclass(frozen=True)
class Chapter:
    """``#### Chapitre NN: Title`` with its checkbox items (the project line included)."""

    number: str
    title: str
    phase: int
    items: tuple[Item, ...]
    project: Project | None = None

    @property
    def id(self) -> str:
        return self.number


@dataclass(frozen=True)
class Phase:
    """``## Phase N: Title (duration)`` with objectives, chapters and validation criteria."""

    number: int
    title: str
    weeks: Range | None
    hours_per_week: Range | None
    objectives: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    criteria: tuple[Criterion, ...]
    done: Item | None = None

    @property
    def id(self) -> str:
        return f"P{self.number}"

    def items(self) -> Iterator[Item]:
        """Chapter items then criteria, in file order."""
        for chapter in self.chapters:
            yield from chapter.items
        yield from self.criteria


@dataclass(frozen=True)
class Group:
    """A titled checkbox list outside chapters: a capstone option (``C<k>``) or another list (``S<k>``)."""

    id: str
    title: str
    section: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Pace:
    """A recommended rhythm, e.g. ``**Débutant**: 10-15h/semaine (18 mois)``."""

    key: str
    name: str
    hours: Range
    duration: str = ""

    @property
    def mean_hours(self) -> float:
        return (self.hours[0] + self.hours[1]) / 2


@dataclass(frozen=True)
class TrackerField:
    """A ``**Label**: ___`` line of the tracker; ``value`` is None while blank."""

    key: str
    label: str
    value: str | None = field(default=None, compare=False)
    total: int | None = None
    line: int = field(default=-1, compare=False, repr=False)


@dataclass(frozen=True)
class Roadmap:
    """A parsed roadmap. ``source`` keeps the text so that export rewrites only marks and tracker values."""

    title: str
    meta: tuple[tuple[str, str], ...]
    phases: tuple[Phase, ...]
    capstones: tuple[Group, ...] = ()
    extras: tuple[Group, ...] = ()
    paces: tuple[Pace, ...] = ()
    tracker: tuple[TrackerField, ...] = ()
    source: str = field(default="", compare=False, repr=False)

    @cached_property
    def _index(self) -> dict[str, Item]:
        return {it.id: it for it in self.items()}

    def items(self) -> Iterator[Item]:
        """Every checkable item: phase marks, then chapters and criteria, capstones, extras."""
        for phase in self.phases:
            if phase.done is not None:
                yield phase.done
        for phase in self.phases:
            yield from phase.items()
        for group in (*self.capstones, *self.extras):
            yield from group.items

    def item(self, item_id: str) -> Item:
        """The item with this id.

        Raises
        ------
        RoadmapError
            When the id is unknown; the message says how to list the valid ids.
        """
        found = self._index.get(item_id.strip())
        if found is None:
            raise RoadmapError(
                f"unknown item id {item_id!r}: ids look like '03.8' (chapter.item), 'P1.V2' (criterion), "
                "'C1.3' (capstone); run `quant-tutor roadmap show` to list them all"
            )
        return found

    def has_item(self, item_id: str) -> bool:
        return item_id.strip() in self._index

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return tuple(ch for phase in self.phases for ch in phase.chapters)

    def chapter(self, number: str | int) -> Chapter:
        """The chapter ``NN`` (``3``, ``"3"`` and ``"03"`` all work)."""
        key = f"{int(number):02d}" if str(number).strip().isdigit() else str(number)
        for ch in self.chapters:
            if ch.number == key:
                return ch
        raise RoadmapError(f"unknown chapter {number!r}: run `quant-tutor roadmap show` to list the chapters")

    def phase(self, number: int) -> Phase:
        for ph in self.phases:
            if ph.number == number:
                return ph
        raise RoadmapError(f"unknown phase {number!r}: valid phases are {[p.number for p in self.phases]}")

    def chapter_items(self) -> Iterator[Item]:
        """Items of the chapters only (what a study plan schedules), in roadmap order."""
        for ch in self.chapters:
            yield from ch.items

    @property
    def projects(self) -> tuple[Project, ...]:
        return tuple(ch.project for ch in self.chapters if ch.project is not None)

    @property
    def projects_total(self) -> int:
        """Denominator shown for projects: the tracker's ``___ / N`` if any, else the number of projects."""
        for f in self.tracker:
            if f.key == "projects_done" and f.total:
                return f.total
        return len(self.projects)

    def pace(self, key: str) -> Pace:
        for p in self.paces:
            if p.key == key:
                return p
        raise RoadmapError(f"unknown pace {key!r}: choose one of {[p.key for p in self.paces]}")
