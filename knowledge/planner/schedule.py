"""Study plans: the unchecked roadmap items laid out over weeks and days.

Items are taken in roadmap order, chapters reordered only where a prerequisite demands it (topological order
with roadmap order as tie-break). Each chapter's hours (course front matter, else the phase's duration, see
:mod:`knowledge.roadmap.course`) are shared by its items: the Exercice/Projet line gets 30 %, the other items
share the rest. Topic items are split 40 % theory / 60 % practice, projects are all practice, like the
learner's four-week plan ("Théorie (45min)", "Pratique (1h15)").

Time is filled like water: each study day holds ``hours_per_week / days_per_week`` (the week's minutes are
split exactly), an item continues on the next day when the day is full, and a week never exceeds the budget.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from knowledge.config import Settings
from knowledge.errors import PlanError
from knowledge.planner.model import (
    DEFAULT_PACES,
    MIN_SLICE,
    PACE_NAMES,
    PROJECT_SHARE,
    THEORY_SHARE,
    Entry,
    PaceKey,
    Plan,
    Week,
)
from knowledge.roadmap.course import ChapterInfo, chapter_infos
from knowledge.roadmap.files import load_roadmap
from knowledge.roadmap.model import Item, Roadmap
from knowledge.roadmap.progress import open_progress
from knowledge.roadmap.store import ProgressStore
from knowledge.textio import fold

REVIEW_MINUTES = 45  # a review session of a fragile chapter: one quiz and its flashcards

def paces(roadmap: Roadmap | None = None) -> dict[str, tuple[float, float]]:
    """Pace presets (hours per week), from the roadmap's "Rythme recommandé" when it has them."""
    found = {p.key: p.hours for p in roadmap.paces} if roadmap is not None else {}
    return {k: found.get(k, v) for k, v in DEFAULT_PACES.items()}


def focus_chapters(roadmap: Roadmap, focus: str) -> list[str]:
    """Chapters selected by ``focus``: a phase (``3``, ``P3``, ``phase 3``), a chapter (``chapitre 27``) or a
    word of a chapter title or item (``GARCH``, ``attention``)."""
    f = focus.strip()
    if m := re.fullmatch(r"(?:p|phase)?\s*(\d+)", f, re.I):
        phase = (
            roadmap.phase(int(m.group(1)))
            if any(p.number == int(m.group(1)) for p in roadmap.phases)
            else None
        )
        if phase is None:
            raise PlanError(
                f"no phase {m.group(1)}: use one of {[p.number for p in roadmap.phases]} for --focus"
            )
        return [ch.number for ch in phase.chapters]
    if m := re.fullmatch(r"(?:ch|chap|chapitre|chapter)\.?\s*(\d+)", f, re.I):
        return [roadmap.chapter(m.group(1)).number]
    word = fold(f)
    hits = [
        ch.number
        for ch in roadmap.chapters
        if word in fold(ch.title) or any(word in fold(it.label) for it in ch.items)
    ]
    if not hits:
        raise PlanError(
            f"nothing matches focus {focus!r}: give a phase number (0-{roadmap.phases[-1].number}), "
            "'chapitre NN' or a word from a chapter title; `quant-tutor roadmap show` lists them"
        )
    return hits


def _closure(targets: list[str], infos: dict[str, ChapterInfo], todo: set[str]) -> set[str]:
    """The targets plus, transitively, their prerequisites that still have unchecked items."""
    seen: set[str] = set()
    stack = [t for t in targets if t in todo]
    while stack:
        ch = stack.pop()
        if ch in seen:
            continue
        seen.add(ch)
        stack.extend(p for p in infos[ch].prerequisites if p in todo and p not in seen)
    return seen


def order_chapters(selected: set[str], infos: dict[str, ChapterInfo]) -> list[str]:
    """Topological order of the selected chapters, roadmap order breaking ties.

    Raises
    ------
    PlanError
        When prerequisites form a cycle.
    """
    rank = {ch: i for i, ch in enumerate(infos)}
    deps = {ch: {p for p in infos[ch].prerequisites if p in selected} for ch in selected}
    users: dict[str, list[str]] = {ch: [] for ch in selected}
    for ch, ps in deps.items():
        for p in ps:
            users[p].append(ch)
    ready = [(rank[ch], ch) for ch, ps in deps.items() if not ps]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        _, ch = heapq.heappop(ready)
        out.append(ch)
        for u in users[ch]:
            deps[u].discard(ch)
            if not deps[u]:
                heapq.heappush(ready, (rank[u], u))
    if len(out) != len(selected):
        stuck = sorted(set(selected) - set(out))
        raise PlanError(f"prerequisites form a cycle among chapters {stuck}; fix their front matter")
    return out


def item_minutes(items: tuple[Item, ...], hours: float) -> dict[str, int]:
    """Minutes of each item of a chapter (rounded to 5, at least 15): projects 30 %, topics share the rest."""
    projects = [it for it in items if it.is_project]
    topics = [it for it in items if not it.is_project]
    total = hours * 60
    if projects and topics:
        shares = {it.id: total * PROJECT_SHARE / len(projects) for it in projects}
        shares |= {it.id: total * (1 - PROJECT_SHARE) / len(topics) for it in topics}
    else:
        shares = {it.id: total / len(items) for it in items}
    return {k: max(MIN_SLICE, 5 * round(v / 5)) for k, v in shares.items()}


def _study_days(start: date, minutes_per_week: int, days_per_week: int) -> Iterator[tuple[date, int]]:
    base, extra = divmod(minutes_per_week, days_per_week)
    week = 0
    while True:
        for d in range(days_per_week):
            yield start + timedelta(days=7 * week + d), base + (1 if d < extra else 0)
        week += 1


def _fill(
    queue: list[tuple[Item, int]], start: date, minutes_per_week: int, days_per_week: int
) -> list[Entry]:
    days = _study_days(start, minutes_per_week, days_per_week)
    day, left = next(days)
    cap = left
    entries = []
    for item, need in queue:
        slices: list[tuple[date, int]] = []
        while need > 0:
            if left <= 0 or (left < min(MIN_SLICE, cap) and need > left and not slices):
                day, left = next(days)
                cap = left
                continue
            take = min(need, left)
            slices.append((day, take))
            need -= take
            left -= take
        kind: Literal["théorie+pratique", "pratique"] = "pratique" if item.is_project else "théorie+pratique"
        total = sum(m for _, m in slices)
        entries.append(Entry(item.id, item.chapter or "", item.label, kind, total, tuple(slices)))
    return entries


@dataclass
class _WeekAcc:
    minutes: int = 0
    theory: float = 0.0
    chapters: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def weekly_table(start: date, entries: list[Entry]) -> list[Week]:
    """Rows of the weekly table: minutes, theory, chapters and items per 7-day block from ``start``."""
    rows: dict[int, _WeekAcc] = {}
    for e in entries:
        for d, m in e.slices:
            row = rows.setdefault((d - start).days // 7, _WeekAcc())
            row.minutes += m
            row.theory += 0 if e.kind == "pratique" else m * THEORY_SHARE
            if e.chapter not in row.chapters:
                row.chapters.append(e.chapter)
            if e.item_id not in row.items:
                row.items.append(e.item_id)
    weeks = []
    for w, r in sorted(rows.items()):
        ws = start + timedelta(days=7 * w)
        weeks.append(
            Week(
                w + 1,
                ws,
                ws + timedelta(days=6),
                r.minutes,
                round(r.theory),
                tuple(r.chapters),
                tuple(r.items),
            )
        )
    return weeks


def _hours_text(h: float) -> str:
    return f"{h:g}"


def infeasible_message(
    total_minutes: int, start: date, deadline: date, hours_per_week: float, roadmap: Roadmap | None = None
) -> str:
    """Say that the deadline cannot be met and which pace (or hours per week) would meet it."""
    weeks = max((deadline - start).days + 1, 1) / 7
    needed = math.ceil(total_minutes / 60 / weeks * 2) / 2  # rounded up to half an hour
    text = (
        f"Objectif du {deadline.isoformat()} impossible à {_hours_text(hours_per_week)} h/semaine : "
        f"il reste {total_minutes / 60:.1f} h de travail, soit au moins {_hours_text(needed)} h/semaine."
    )
    for key, (lo, hi) in paces(roadmap).items():
        if hi >= needed:
            return text + (
                f" Le rythme {PACE_NAMES[key]} ({key}, {_hours_text(lo)}-{_hours_text(hi)} h/semaine) "
                f"le permet à {_hours_text(max(lo, needed))} h/semaine (--pace {key} --hours-per-week "
                f"{_hours_text(max(lo, needed))})."
            )
    top = max(hi for _, hi in paces(roadmap).values())
    later = start + timedelta(days=math.ceil(total_minutes / 60 / top * 7))
    return text + (
        f" Même le rythme Intensif ({_hours_text(top)} h/semaine) ne suffit pas : repousse l'objectif "
        f"au {later.isoformat()} ou réduis le périmètre avec --focus."
    )


def build_plan(
    roadmap: Roadmap,
    checked: Collection[str],
    hours_per_week: float | None = None,
    weeks: int | None = None,
    until: date | None = None,
    focus: str | None = None,
    start: date | None = None,
    *,
    pace: PaceKey | None = None,
    days_per_week: int = 5,
    course_dir: Path | None = None,
    review: Collection[str] = (),
) -> Plan:
    """Schedule the unchecked chapter items (after a review session of each chapter in ``review``).

    Parameters
    ----------
    roadmap, checked
        The roadmap and the ids already done (skipped).
    hours_per_week
        Weekly budget in hours (0.5 to 100). Default: the mean of ``pace``; with neither, the hours needed to
        meet the deadline.
    weeks, until
        Optional deadline: ``weeks`` from ``start``, or a date (inclusive). Not both.
    focus
        Only a phase (``"3"``), a chapter (``"chapitre 27"``) or a topic (``"GARCH"``), plus its unchecked
        prerequisites.
    start
        First study day (default today).
    pace
        ``beginner`` (10-15 h), ``intermediate`` (15-20 h) or ``intensive`` (25-30 h), from the roadmap.
    days_per_week
        Study days in each 7-day block (1 to 7).
    review
        Chapters whose mastery is fragile: each gets a review session (quiz and flashcards,
        ``REVIEW_MINUTES``) at the start of the plan, before new material.

    Raises
    ------
    PlanError
        On inconsistent arguments, an unknown focus or cyclic prerequisites.
    """
    start = start or date.today()
    deadline = _deadline(start, weeks, until)
    if not 1 <= days_per_week <= 7:
        raise PlanError(f"days_per_week must be between 1 and 7, got {days_per_week}")
    infos = chapter_infos(roadmap, course_dir)
    done = set(checked)
    todo_items = {ch.number: tuple(it for it in ch.items if it.id not in done) for ch in roadmap.chapters}
    todo = {ch for ch, items in todo_items.items() if items}
    targets = focus_chapters(roadmap, focus) if focus else list(infos)
    order = order_chapters(_closure(targets, infos, todo), infos)
    queue: list[tuple[Item, int]] = [
        (Item(f"R{ch}", f"Révision du chapitre {ch} : quiz et fiches (maîtrise fragile)", "extra", chapter=ch),
         REVIEW_MINUTES) for ch in sorted(review) if ch in infos
    ]
    for ch in order:
        minutes = item_minutes(roadmap.chapter(ch).items, infos[ch].hours)
        queue.extend((it, minutes[it.id]) for it in todo_items[ch])
    total = sum(m for _, m in queue)
    hours = _budget(hours_per_week, pace, roadmap, total, start, deadline)
    entries = _fill(queue, start, round(hours * 60), days_per_week)
    auto = hours_per_week is None and pace is None
    while auto and deadline is not None and entries and entries[-1].end > deadline and hours < 100:
        hours += 0.5  # sized from the deadline: grow until the day-by-day layout fits
        entries = _fill(queue, start, round(hours * 60), days_per_week)
    plan = Plan(start, hours, days_per_week, entries, infos, deadline, focus, pace=pace)
    plan.weeks = weekly_table(start, entries)
    if deadline is not None and plan.end is not None and plan.end > deadline:
        plan.feasible = False
        plan.message = infeasible_message(total, start, deadline, hours, roadmap)
    return plan


def _deadline(start: date, weeks: int | None, until: date | None) -> date | None:
    if weeks is not None and until is not None:
        raise PlanError("give either weeks or until, not both")
    if weeks is not None:
        if weeks < 1:
            raise PlanError(f"weeks must be at least 1, got {weeks}")
        return start + timedelta(days=7 * weeks - 1)
    if until is not None and until < start:
        raise PlanError(f"until ({until}) is before the start ({start}); give a later date")
    return until


def _budget(
    hours: float | None, pace: str | None, roadmap: Roadmap, total: int, start: date, deadline: date | None
) -> float:
    if hours is None and pace is not None:
        if pace not in DEFAULT_PACES:
            raise PlanError(f"unknown pace {pace!r}: choose beginner, intermediate or intensive")
        lo, hi = paces(roadmap)[pace]
        hours = (lo + hi) / 2
    if hours is None:
        if deadline is None:
            raise PlanError("give hours_per_week, a pace, or a deadline (weeks/until) to size the plan")
        weeks = ((deadline - start).days + 1) / 7
        hours = max(1.0, math.ceil(total / 60 / weeks * 2) / 2)
    if not 0.5 <= hours <= 100:
        raise PlanError(f"hours_per_week must be between 0.5 and 100, got {hours}")
    return float(hours)


def plan(
    settings: Settings | None = None,
    *,
    hours_per_week: float | None = None,
    weeks: int | None = None,
    until: date | None = None,
    focus: str | None = None,
    start: date | None = None,
    pace: PaceKey | None = None,
    days_per_week: int = 5,
) -> Plan:
    """The learner's plan: their roadmap (:func:`~knowledge.roadmap.load_roadmap`) minus their checked items.

    Same arguments as :func:`build_plan`; ``knowledge.plan(...)`` is this function.
    """
    roadmap = load_roadmap(settings)
    with open_progress(settings, roadmap) as store:
        checked = store.checked()
        review = fragile_chapters(store, store.learner)
    return build_plan(
        roadmap, checked, hours_per_week, weeks, until, focus, start, pace=pace, days_per_week=days_per_week,
        review=review,
    )


def fragile_chapters(store: ProgressStore, learner: str) -> list[str]:
    """Chapters the learner has worked on whose mastery is fragile (quizzes, exercises, reviews)."""
    from knowledge.learning.mastery import EvidenceStore

    evidence = EvidenceStore(store.engine, learner=learner)
    chapters = sorted({e.chapter for e in evidence.evidence()})
    return [c for c, m in evidence.mastery(chapters).items() if m.level == "fragile"]
