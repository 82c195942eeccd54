"""Page: exercises — statement, a code editor, Run and Check in the sandbox, verdicts and progressive hints."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import streamlit as st

from agents.errors import AgentError
from agents.exercises import check_exercise, hint
from agents.sandbox import run_python, sandbox_options
from app.editor import Action, code_input
from app.i18n import t
from knowledge.config import get_settings
from knowledge.exercise_bank import Exercise, ExerciseInfo, list_exercises, load_exercise

log = logging.getLogger(__name__)
HINT_KEYS = ("hint", "question", "partial")


@st.cache_data
def _infos() -> list[ExerciseInfo]:
    return list_exercises()


@st.cache_data
def _exercise(exercise_id: str) -> Exercise:
    return load_exercise(exercise_id)


def verdict_table(result: dict[str, Any]) -> pd.DataFrame:
    """One row per test: name, verdict, input, expected, got and the judge's message (a table that wraps)."""
    rows = [{
        t("exercises.col_test"): v["name"], t("exercises.col_result"): "✅" if v["passed"] else "❌",
        t("exercises.col_input"): v["input"] or "", t("exercises.col_expected"): v["expected"] or "",
        t("exercises.col_got"): v["got"] or "", t("exercises.col_message"): v["message"] or v["description"],
    } for v in result["tests"]]
    return pd.DataFrame(rows)


def _show_check(result: dict[str, Any], hint_key: str) -> None:
    (st.success if result["passed"] else st.error)(result["summary"])
    if result["tests"]:
        st.table(verdict_table(result).set_index(t("exercises.col_test")))
    if result["stdout"].strip():
        st.caption(t("exercises.your_prints"))
        st.code(result["stdout"], language="text")
    if result["offer"]:
        st.info(result["offer"])
        item = result["roadmap_item"]
        if st.button(t("exercises.tick", item=item), key=f"tick_{result['exercise_id']}"):
            _tick(item)
    elif result["hint"]:  # the first hint joins the hint ladder below: shown once, in "Aide 1"
        st.session_state[hint_key] = max(st.session_state[hint_key], 1)


def _tick(item_id: str) -> None:
    from knowledge.errors import KnowledgeError
    from knowledge.roadmap import open_progress

    try:
        with open_progress(get_settings()) as store:
            store.check(item_id)
    except KnowledgeError as exc:  # an item the learner's own roadmap does not have, a locked database...
        log.info("tick %s refused: %s", item_id, exc)
        st.error(t("exercises.tick_failed", item=item_id))
    else:
        st.success(t("exercises.ticked", item=item_id))


def _show_run(result: dict[str, Any]) -> None:
    show = st.success if result["reason"] == "ok" else st.warning
    status = t(f"exercises.reason_{result['reason']}")
    show(t("exercises.run_status", status=status, seconds=f"{result['seconds']:.2f}"))
    st.code(result["stdout"] or t("exercises.no_output"), language="text")
    if result["stderr"].strip():
        st.code(result["stderr"], language="text")


def _act(action: Action, ex_id: str, code: str, state_key: str) -> None:
    options = sandbox_options(get_settings())
    try:
        if action == "run":
            st.session_state[state_key] = ("run", run_python(code, **options).to_dict())
        else:
            options["timeout_s"] = max(options["timeout_s"], 20.0)
            st.session_state[state_key] = ("check", check_exercise(ex_id, code, **options).to_dict())
    except AgentError as exc:
        log.warning("sandbox failed: %s", exc)
        st.error(t("exercises.sandbox_error"))


st.title(t("exercises.title"))
infos = _infos()
labels = {f"{i.roadmap_item} · {i.title}": i.id for i in infos}
choice = st.selectbox(t("exercises.pick"), list(labels), key="exercise_choice")
exercise = _exercise(labels[choice])
ex_id = exercise.id
st.caption(t("exercises.where", chapter=exercise.info.chapter, item=exercise.info.roadmap_item))
st.markdown(exercise.statement)

code_key, state_key, hint_key = f"code_{ex_id}", f"result_{ex_id}", f"hint_{ex_id}"
st.session_state.setdefault(hint_key, 0)
entry = code_input(code_key, exercise.starter, label=t("exercises.your_code"))

cols = st.columns(4 if not entry.rich else 2)
action = entry.action
if not entry.rich:
    if cols[0].button(t("editor.run"), key="run", width="stretch", icon="▶️"):
        action = "run"
    if cols[1].button(t("editor.check"), key="check", width="stretch", icon="✅"):
        action = "check"
if cols[-2].button(t("exercises.hint"), key="hint", width="stretch", icon="💡"):
    st.session_state[hint_key] = min(st.session_state[hint_key] + 1, 3)
show_solution = cols[-1].button(t("exercises.solution"), key="solution", width="stretch", icon="📖")
if action is not None:
    with st.spinner(t("exercises.running")):
        _act(action, ex_id, entry.code, state_key)

kind_result = st.session_state.get(state_key)
if kind_result is not None:
    kind, result = kind_result
    if kind == "run":
        _show_run(result)
    else:
        _show_check(result, hint_key)

for level in range(min(st.session_state[hint_key], 3)):
    latest = level == st.session_state[hint_key] - 1
    with st.expander(t("exercises.help", n=level + 1, kind=t(f"exercises.level_{HINT_KEYS[level]}")),
                     expanded=latest):
        st.markdown(hint(ex_id, level))
if show_solution:
    st.warning(t("exercises.solution_warning"))
    st.markdown(hint(ex_id, 3))
