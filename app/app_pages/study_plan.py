"""Page: Study plan. A form, the weekly table, the day-by-day detail and downloads (.md, .ics)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from knowledge.config import get_settings
from knowledge.errors import KnowledgeError
from knowledge.planner import (
    DEFAULT_PACES,
    PACE_NAMES,
    Plan,
    build_plan,
    fmt_minutes,
    plan_to_dict,
    plan_to_ics,
    plan_to_markdown,
)
from knowledge.roadmap import load_roadmap, open_progress

CUSTOM = "Personnalisé"
DEADLINES = ("Aucune", "En semaines", "À une date")


def _form() -> dict[str, object] | None:
    with st.form("plan"):
        pace = st.selectbox(
            "Rythme",
            [CUSTOM, *DEFAULT_PACES],
            key="pace",
            format_func=lambda k: (
                k
                if k == CUSTOM
                else f"{PACE_NAMES[k]} ({DEFAULT_PACES[k][0]:g}-{DEFAULT_PACES[k][1]:g} h/semaine)"
            ),
        )
        hours = st.number_input(
            "Heures par semaine (rythme personnalisé)", 0.5, 100.0, 10.0, 0.5, key="hours"
        )
        days = st.number_input("Jours d'étude par semaine", 1, 7, 5, key="days")
        start = st.date_input("Début", value=date.today(), key="start")
        mode = st.radio("Échéance", DEADLINES, horizontal=True, key="mode")
        weeks = st.number_input("Nombre de semaines", 1, 260, 12, key="weeks")
        until = st.date_input("Date d'échéance", value=date.today() + timedelta(weeks=12), key="until")
        focus = st.text_input("Focus (phase « 3 », « chapitre 27 » ou un thème « GARCH »)", key="focus")
        if not st.form_submit_button("Planifier"):
            return None
    return {
        "hours_per_week": None if pace != CUSTOM else float(hours),
        "pace": None if pace == CUSTOM else pace,
        "days_per_week": int(days),
        "start": start,
        "weeks": int(weeks) if mode == DEADLINES[1] else None,
        "until": until if mode == DEADLINES[2] else None,
        "focus": focus.strip() or None,
    }


def _make_plan(args: dict[str, object]) -> Plan:
    settings = get_settings()
    roadmap = load_roadmap(settings)
    with open_progress(settings, roadmap) as store:
        checked = store.checked()
    return build_plan(roadmap, checked, **args)  # type: ignore[arg-type]


def _weekly_frame(plan: Plan) -> pd.DataFrame:
    rows = [
        {
            "Semaine": w["week"],
            "Du": w["start"],
            "Au": w["end"],
            "Heures": w["hours"],
            "Théorie (h)": w["theory_hours"],
            "Pratique (h)": w["practice_hours"],
            "Chapitres": ", ".join(w["chapters"]),
            "Items": ", ".join(w["items"]),
        }
        for w in plan_to_dict(plan)["weeks"]
    ]
    return pd.DataFrame(rows)


def _show(plan: Plan) -> None:
    if plan.message:
        st.warning(plan.message)
    elif plan.deadline is not None:
        st.success(f"Objectif du {plan.deadline.isoformat()} tenu : fin prévue le {plan.end}.")
    cols = st.columns(4)
    cols[0].metric("Heures/semaine", f"{plan.hours_per_week:g}")
    cols[1].metric("Semaines", len(plan.weeks))
    cols[2].metric("Travail restant", fmt_minutes(plan.total_minutes))
    cols[3].metric("Fin prévue", plan.end.isoformat() if plan.end else "—")
    st.dataframe(_weekly_frame(plan), hide_index=True, width="stretch")
    d1, d2 = st.columns(2)
    d1.download_button("Télécharger (.md)", plan_to_markdown(plan).encode("utf-8"), "plan.md", "text/markdown")
    d2.download_button("Télécharger (.ics)", plan_to_ics(plan), "plan.ics", "text/calendar")
    with st.expander("Détail jour par jour"):
        st.markdown(plan_to_markdown(plan).split("\n---\n", 1)[-1])


def main() -> None:
    st.title("Study plan")
    st.caption(
        "Les items non cochés de ta roadmap, dans l'ordre, prérequis respectés, répartis sur tes semaines."
    )
    args = _form()
    if args is not None:
        try:
            st.session_state["study_plan"] = _make_plan(args)
        except KnowledgeError as exc:
            st.error(str(exc))
            st.session_state.pop("study_plan", None)
    plan = st.session_state.get("study_plan")
    if isinstance(plan, Plan):
        _show(plan)
    elif args is None:
        st.info("Choisis un rythme et une échéance, puis « Planifier ».")


main()
