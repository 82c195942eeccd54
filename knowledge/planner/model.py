"""The study plan's types: :class:`Entry` (an item and its day slices), :class:`Week` (a row of the weekly
table), :class:`Plan`, the pace presets and the plain-data shapes of a plan's export (:class:`PlanDict`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypedDict

from knowledge.roadmap.course import ChapterInfo

PaceKey = Literal["beginner", "intermediate", "intensive"]
DEFAULT_PACES: dict[str, tuple[float, float]] = {
    "beginner": (10.0, 15.0),
    "intermediate": (15.0, 20.0),
    "intensive": (25.0, 30.0),
}
PACE_NAMES = {"beginner": "Débutant", "intermediate": "Intermédiaire", "intensive": "Intensif"}
PROJECT_SHARE = 0.3
THEORY_SHARE = 0.4
MIN_SLICE = 15  # minutes: do not start an item in the last few minutes of a day


@dataclass(frozen=True)
class Entry:
    """One item in the plan, with the (day, minutes) slices it occupies."""

    item_id: str
    chapter: str
    text: str
    kind: Literal["théorie+pratique", "pratique"]
    minutes: int
    slices: tuple[tuple[date, int], ...]

    @property
    def start(self) -> date:
        return self.slices[0][0]

    @property
    def end(self) -> date:
        return self.slices[-1][0]

    @property
    def theory_minutes(self) -> int:
        return 0 if self.kind == "pratique" else round(self.minutes * THEORY_SHARE)


@dataclass(frozen=True)
class Week:
    """A row of the weekly table."""

    number: int
    start: date
    end: date
    minutes: int
    theory_minutes: int
    chapters: tuple[str, ...]
    items: tuple[str, ...]


@dataclass
class Plan:
    """A study plan; ``feasible`` is False when a deadline was given and cannot be met (see ``message``)."""

    start: date
    hours_per_week: float
    days_per_week: int
    entries: list[Entry]
    chapters: dict[str, ChapterInfo]
    deadline: date | None = None
    focus: str | None = None
    feasible: bool = True
    message: str = ""
    pace: str | None = None
    weeks: list[Week] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(e.minutes for e in self.entries)

    @property
    def end(self) -> date | None:
        return self.entries[-1].end if self.entries else None

    def split_at_deadline(self) -> tuple[list[Entry], list[Entry]]:
        """The entries finished by the deadline and those that do not fit before it (all fit without one)."""
        if self.deadline is None:
            return list(self.entries), []
        deadline = self.deadline
        return [e for e in self.entries if e.end <= deadline], [e for e in self.entries if e.end > deadline]

    def day_minutes(self) -> dict[date, list[tuple[Entry, int]]]:
        """Each study day with the entries worked on and their minutes that day."""
        days: dict[date, list[tuple[Entry, int]]] = {}
        for e in self.entries:
            for d, m in e.slices:
                days.setdefault(d, []).append((e, m))
        return dict(sorted(days.items()))


class SessionDict(TypedDict):
    date: str
    minutes: int


class EntryDict(TypedDict):
    """One planned item in :class:`PlanDict`."""

    item: str
    chapter: str
    text: str
    kind: Literal["théorie+pratique", "pratique"]
    minutes: int
    sessions: list[SessionDict]


class WeekDict(TypedDict):
    """One row of the weekly table in :class:`PlanDict` (hours rounded to 0.01)."""

    week: int
    start: str
    end: str
    hours: float
    theory_hours: float
    practice_hours: float
    chapters: list[str]
    items: list[str]


class PlanDict(TypedDict):
    """A plan as plain JSON-ready data (:func:`knowledge.planner.plan_to_dict`); dates are ISO strings."""

    start: str
    end: str | None
    deadline: str | None
    hours_per_week: float
    days_per_week: int
    pace: str | None
    focus: str | None
    feasible: bool
    message: str
    total_hours: float
    weeks: list[WeekDict]
    entries: list[EntryDict]
