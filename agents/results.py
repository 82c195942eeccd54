"""Typed contracts of the tutor's tool results that are not :mod:`finance`'s own (:mod:`finance.results`).

The tools return JSON-ready dicts (a turn sends them to the model and to :mod:`agents.routing.phrasing`); these
TypedDicts name their keys so that the tools that build them and the phrasing that reads them agree.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from knowledge.planner import PlanDict, WeekDict


class StudyPlanResult(PlanDict):
    """``study_plan``: the plan's plain data; ``weeks`` cut to the first 8 with ``weeks_truncated`` set."""

    weeks_truncated: NotRequired[int]
    fits: NotRequired[list[str]]  # chapters finished by the deadline (when it cannot be met)
    left_out: NotRequired[list[str]]  # and those that are not


class ThisWeek(WeekDict):
    """The first week of the learner's plan, at the weekly hours of their tracker."""

    hours_per_week: float


class PhaseRow(TypedDict):
    phase: int
    title: str
    done: int
    total: int


class NextItem(TypedDict):
    id: str
    text: str
    chapter: str | None


class ItemRow(TypedDict):
    id: str
    text: str
    checked: bool


class RoadmapProgressResult(TypedDict):
    """``roadmap_progress``: the progress summary, the next items, the item changed and this week's plan."""

    action: str
    done: int
    total: int
    percent: float
    projects_done: int
    projects_total: int
    phases: list[PhaseRow]
    next: list[NextItem]
    item: NotRequired[ItemRow]
    this_week: NotRequired[ThisWeek | None]
    advice: NotRequired[str | None]  # mastery's word on "what next?" (a fragile chapter or prerequisite first)
