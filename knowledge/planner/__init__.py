"""Study plans: the learner's unchecked roadmap items laid out over weeks and days, and their exports.

``model`` holds the plan's types (:class:`Plan`, :class:`Entry`, :class:`Week`, the pace presets and the
:class:`PlanDict` shape of its plain data), ``schedule`` builds a plan (prerequisite order, hours per item,
day-by-day filling, deadlines) and ``export`` turns it into plain data, Markdown or iCalendar. Imports only
:mod:`knowledge` (the roadmap, its progress store, config, errors, textio).
"""

from __future__ import annotations

from knowledge.planner.export import fmt_day, fmt_minutes, plan_to_dict, plan_to_ics, plan_to_markdown
from knowledge.planner.model import (
    DEFAULT_PACES,
    PACE_NAMES,
    Entry,
    EntryDict,
    PaceKey,
    Plan,
    PlanDict,
    Week,
    WeekDict,
)
from knowledge.planner.schedule import build_plan, focus_chapters, infeasible_message, paces, plan

__all__ = [
    "DEFAULT_PACES",
    "PACE_NAMES",
    "Entry",
    "EntryDict",
    "PaceKey",
    "Plan",
    "PlanDict",
    "Week",
    "WeekDict",
    "build_plan",
    "fmt_day",
    "fmt_minutes",
    "focus_chapters",
    "infeasible_message",
    "paces",
    "plan",
    "plan_to_dict",
    "plan_to_ics",
    "plan_to_markdown",
]
