"""Study plan exports: JSON-ready dict (:class:`~knowledge.planner.model.PlanDict`), Markdown (French, like the
learner's plans) and iCalendar."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event

from knowledge.planner.model import THEORY_SHARE, Entry, EntryDict, Plan, PlanDict, Week, WeekDict

_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
DAY_START = time(18, 0)


def fmt_minutes(minutes: float) -> str:
    """``135`` -> ``"2h15"``, ``45`` -> ``"45min"``, ``120`` -> ``"2h"``."""
    m = int(round(minutes))
    h, r = divmod(m, 60)
    if h == 0:
        return f"{r}min"
    return f"{h}h{r:02d}" if r else f"{h}h"


def fmt_day(d: date) -> str:
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"


def week_to_dict(w: Week) -> WeekDict:
    """One row of the weekly table as plain data (hours rounded to 0.01)."""
    return {
        "week": w.number,
        "start": w.start.isoformat(),
        "end": w.end.isoformat(),
        "hours": round(w.minutes / 60, 2),
        "theory_hours": round(w.theory_minutes / 60, 2),
        "practice_hours": round((w.minutes - w.theory_minutes) / 60, 2),
        "chapters": list(w.chapters),
        "items": list(w.items),
    }


def entry_to_dict(e: Entry) -> EntryDict:
    """One planned item and its sessions as plain data."""
    return {
        "item": e.item_id,
        "chapter": e.chapter,
        "text": e.text,
        "kind": e.kind,
        "minutes": e.minutes,
        "sessions": [{"date": d.isoformat(), "minutes": m} for d, m in e.slices],
    }


def plan_to_dict(plan: Plan) -> PlanDict:
    """Plain data (JSON-serialisable): settings, status, weeks and entries."""
    return {
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat() if plan.end else None,
        "deadline": plan.deadline.isoformat() if plan.deadline else None,
        "hours_per_week": plan.hours_per_week,
        "days_per_week": plan.days_per_week,
        "pace": plan.pace,
        "focus": plan.focus,
        "feasible": plan.feasible,
        "message": plan.message,
        "total_hours": round(plan.total_minutes / 60, 2),
        "weeks": [week_to_dict(w) for w in plan.weeks],
        "entries": [entry_to_dict(e) for e in plan.entries],
    }


def _chapter_label(plan: Plan, number: str) -> str:
    info = plan.chapters.get(number)
    return f"{number} {info.title}" if info else number


def plan_to_markdown(plan: Plan) -> str:
    """The plan as Markdown: summary, weekly table, then each week day by day with theory and practice."""
    end = plan.end.isoformat() if plan.end else "—"
    lines = [
        f"# Plan d'étude : {plan.hours_per_week:g} h/semaine, {len(plan.weeks)} semaines",
        "",
        f"**Début**: {plan.start.isoformat()}  ",
        f"**Fin prévue**: {end}  ",
        f"**Objectif**: {plan.deadline.isoformat() if plan.deadline else 'aucun'}  ",
        f"**Travail restant**: {fmt_minutes(plan.total_minutes)} sur {len(plan.entries)} items  ",
    ]
    if plan.focus:
        lines.append(f"**Focus**: {plan.focus}")
    if plan.message:
        lines += ["", f"> ⚠️ {plan.message}"]
    lines += [
        "",
        "| Semaine | Du | Au | Heures | Théorie | Pratique | Chapitres |",
        "|---|---|---|---|---|---|---|",
    ]
    for w in plan.weeks:
        chapters = ", ".join(_chapter_label(plan, c) for c in w.chapters)
        lines.append(
            f"| {w.number} | {w.start.isoformat()} | {w.end.isoformat()} | {fmt_minutes(w.minutes)} | "
            f"{fmt_minutes(w.theory_minutes)} | {fmt_minutes(w.minutes - w.theory_minutes)} | {chapters} |"
        )
    days = plan.day_minutes()
    for w in plan.weeks:
        lines += ["", "---", "", f"## 📅 Semaine {w.number} ({fmt_day(w.start)} → {fmt_day(w.end)})"]
        for d in sorted(x for x in days if w.start <= x <= w.end):
            work = days[d]
            theory = sum(m for e, m in work if e.kind != "pratique") * THEORY_SHARE
            total = sum(m for _, m in work)
            lines += [
                "",
                f"### {fmt_day(d)} : {fmt_minutes(total)}",
                f"**Théorie ({fmt_minutes(theory)})** · **Pratique ({fmt_minutes(total - theory)})**",
            ]
            lines += [f"- [ ] `{e.item_id}` {e.text} ({fmt_minutes(m)})" for e, m in work]
    return "\n".join(lines) + "\n"


def plan_to_ics(plan: Plan, *, day_start: time = DAY_START) -> bytes:
    """One event per study day at ``day_start`` (floating local time), lasting that day's minutes."""
    cal = Calendar()
    cal.add("prodid", "-//quant-tutor//study plan//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "quant-tutor : plan d'étude")
    stamp = datetime.combine(plan.start, time(0, 0), tzinfo=UTC)
    for d, work in plan.day_minutes().items():
        total = sum(m for _, m in work)
        ids = ", ".join(e.item_id for e, _ in work)
        uid = hashlib.sha1(f"{d.isoformat()}|{ids}".encode()).hexdigest()[:16]
        ev = Event()
        ev.add("uid", f"{uid}@quant-tutor")
        ev.add("dtstamp", stamp)
        ev.add("summary", f"quant-tutor : {ids}")
        ev.add("dtstart", datetime.combine(d, day_start))
        ev.add("dtend", datetime.combine(d, day_start) + timedelta(minutes=total))
        ev.add(
            "description", "\n".join(f"{e.item_id} {e.text} ({fmt_minutes(m)}, {e.kind})" for e, m in work)
        )
        cal.add_component(ev)
    return bytes(cal.to_ical())
