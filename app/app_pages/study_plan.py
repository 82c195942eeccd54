"""Page: Study plan. A form, the weekly table, the day-by-day detail and downloads (.md, .ics).

With a deadline the plan shows what fits before it, and lists apart what does not, with the hours per week that
would make it all fit."""

from __future__ import annotations

import logging
import math
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from app.i18n import t
from knowledge.config import get_settings
from knowledge.errors import KnowledgeError, PlanError
from knowledge.planner import (
    DEFAULT_PACES,
    Plan,
    build_plan,
    fmt_minutes,
    plan_to_ics,
    plan_to_markdown,
)
from knowledge.planner.model import Entry, Week
from knowledge.roadmap import load_roadmap, open_progress

log = logging.getLogger(__name__)
CUSTOM = "custom"
DEADLINES = ("none", "weeks", "date")


def _pace_label(key: str) -> str:
    if key == CUSTOM:
        return t("plan.custom")
    lo, hi = DEFAULT_PACES[key]
    return t("plan.pace_range", name=t(f"plan.pace_{key}"), lo=f"{lo:g}", hi=f"{hi:g}")


def _form() -> dict[str, object] | None:
    with st.form("plan"):
        pace = st.selectbox(t("plan.pace"), [CUSTOM, *DEFAULT_PACES], key="pace", format_func=_pace_label)
        hours = st.number_input(t("plan.hours"), 0.5, 100.0, 10.0, 0.5, key="hours")
        days = st.number_input(t("plan.days"), 1, 7, 5, key="days")
        start = st.date_input(t("plan.start"), value=date.today(), key="start", format="DD/MM/YYYY")
        mode = st.radio(t("plan.deadline"), DEADLINES, horizontal=True, key="mode",
                        format_func=lambda m: t(f"plan.deadline_{m}"))
        weeks = st.number_input(t("plan.weeks"), 1, 260, 12, key="weeks")
        until = st.date_input(t("plan.until"), value=date.today() + timedelta(weeks=12), key="until",
                              format="DD/MM/YYYY")
        focus = st.text_input(t("plan.focus"), key="focus")
        if not st.form_submit_button(t("plan.submit")):
            return None
    if mode == "date" and until <= start:
        st.error(t("plan.until_before_start", until=f"{until:%d/%m/%Y}", start=f"{start:%d/%m/%Y}"))
        return None
    return {
        "hours_per_week": None if pace != CUSTOM else float(hours),
        "pace": None if pace == CUSTOM else pace,
        "days_per_week": int(days),
        "start": start,
        "weeks": int(weeks) if mode == "weeks" else None,
        "until": until if mode == "date" else None,
        "focus": focus.strip() or None,
    }


def _make_plan(args: dict[str, object]) -> Plan:
    settings = get_settings()
    roadmap = load_roadmap(settings)
    with open_progress(settings, roadmap) as store:
        checked = store.checked()
    return build_plan(roadmap, checked, **args)  # type: ignore[arg-type]


def _weekly_frame(weeks: list[Week], entries: list[Entry]) -> pd.DataFrame:
    kinds = {e.item_id: e.kind for e in entries}
    rows = [{
        t("plan.col_week"): w.number, t("plan.col_from"): f"{w.start:%d/%m/%Y}", t("plan.col_to"): f"{w.end:%d/%m/%Y}",
        t("plan.col_hours"): round(w.minutes / 60, 2), t("plan.col_theory"): round(w.theory_minutes / 60, 2),
        t("plan.col_practice"): round((w.minutes - w.theory_minutes) / 60, 2),
        t("plan.col_chapters"): ", ".join(w.chapters), t("plan.col_items"): ", ".join(i for i in w.items if i in kinds),
    } for w in weeks]
    return pd.DataFrame(rows)


def _summary(plan: Plan, fits: list[Entry], rest: list[Entry]) -> None:
    if plan.deadline is None:
        return
    deadline = f"{plan.deadline:%d/%m/%Y}"
    if not rest:
        st.success(t("plan.deadline_met", deadline=deadline, end=f"{plan.end:%d/%m/%Y}" if plan.end else "—"))
        return
    weeks = max((plan.deadline - plan.start).days + 1, 1) / 7
    needed = math.ceil(plan.total_minutes / 60 / weeks * 2) / 2
    st.warning(t("plan.partial", weeks=f"{weeks:.0f}", hours=f"{plan.hours_per_week:g}", fit=len(fits),
                 total=len(plan.entries), rest_hours=fmt_minutes(sum(e.minutes for e in rest)),
                 needed=f"{needed:g}", end=f"{plan.end:%d/%m/%Y}" if plan.end else "—"))


def _show(plan: Plan) -> None:
    fits, rest = plan.split_at_deadline()
    _summary(plan, fits, rest)
    shown = [w for w in plan.weeks if plan.deadline is None or w.start <= plan.deadline]
    cols = st.columns(4)
    cols[0].metric(t("plan.m_hours"), f"{plan.hours_per_week:g}")
    cols[1].metric(t("plan.m_weeks"), len(shown))
    cols[2].metric(t("plan.m_work"), fmt_minutes(sum(e.minutes for e in fits)))
    last = fits[-1].end if fits else None
    cols[3].metric(t("plan.m_end"), f"{last:%d/%m/%Y}" if last else "—")
    st.dataframe(_weekly_frame(shown, fits), hide_index=True, width="stretch")
    if rest:
        with st.expander(t("plan.does_not_fit", n=len(rest)), key="plan_rest"):
            chapters = sorted({e.chapter for e in rest})
            st.markdown(t("plan.rest_chapters", chapters=", ".join(chapters)))
            st.dataframe(pd.DataFrame([{t("plan.col_item"): e.item_id, t("plan.col_chapter"): e.chapter,
                                        t("plan.col_text"): e.text, t("plan.col_hours"): round(e.minutes / 60, 2)}
                                       for e in rest]), hide_index=True, width="stretch")
    d1, d2 = st.columns(2)
    d1.download_button(t("plan.download_md"), plan_to_markdown(plan).encode("utf-8"), "plan.md", "text/markdown")
    d2.download_button(t("plan.download_ics"), plan_to_ics(plan), "plan.ics", "text/calendar")
    with st.expander(t("plan.day_by_day")):
        st.markdown("\n---\n".join(plan_to_markdown(plan).split("\n---\n")[1:1 + len(shown)]))


def main() -> None:
    st.title(t("plan.title"))
    st.caption(t("plan.intro"))
    args = _form()
    if args is not None:
        try:
            st.session_state["study_plan"] = _make_plan(args)
        except PlanError as exc:
            log.info("plan refused: %s", exc)
            st.error(t("plan.bad_focus", focus=args["focus"]) if args["focus"] else t("plan.error"))
            st.session_state.pop("study_plan", None)
        except KnowledgeError as exc:
            log.warning("plan failed: %s", exc)
            st.error(t("plan.error"))
            st.session_state.pop("study_plan", None)
    plan = st.session_state.get("study_plan")
    if isinstance(plan, Plan):
        _show(plan)
    elif args is None:
        st.info(t("plan.start_hint"))


main()
