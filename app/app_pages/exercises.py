"""Page: exercises — statement, an editor, Run and Check in the sandbox, verdicts and progressive hints."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from agents.errors import AgentError
from agents.exercises import HINT_LEVELS, check_exercise, hint
from agents.sandbox import run_python, sandbox_options
from knowledge.config import get_settings
from knowledge.exercise_bank import Exercise, ExerciseInfo, list_exercises, load_exercise


@st.cache_data
def _infos() -> list[ExerciseInfo]:
    return list_exercises()


@st.cache_data
def _exercise(exercise_id: str) -> Exercise:
    return load_exercise(exercise_id)


def _verdict_table(result: dict) -> pd.DataFrame:
    rows = [{
        "test": t["name"], "résultat": "✅" if t["passed"] else "❌", "description": t["description"],
        "message": t["message"], "entrée": t["input"] or "", "attendu": t["expected"] or "",
        "obtenu": t["got"] or "",
    } for t in result["tests"]]
    return pd.DataFrame(rows)


def _show_check(result: dict) -> None:
    (st.success if result["passed"] else st.error)(result["summary"])
    st.dataframe(_verdict_table(result), hide_index=True, width="stretch")
    if result["stdout"].strip():
        st.caption("Vos `print` :")
        st.code(result["stdout"], language="text")
    if result["offer"]:
        st.info(result["offer"])
        item = result["roadmap_item"]
        if st.button(f"☑️ Cocher l'élément {item}", key=f"tick_{result['exercise_id']}"):
            _tick(item)
    elif result["hint"]:
        st.info(result["hint"])


def _tick(item_id: str) -> None:
    from knowledge.errors import KnowledgeError
    from knowledge.roadmap import open_progress

    try:
        with open_progress(get_settings()) as store:
            store.check(item_id)
    except KnowledgeError as exc:  # an item the learner's own roadmap does not have, a locked database...
        st.error(str(exc))
    else:
        st.success(f"Élément {item_id} coché dans ta feuille de route.")


def _show_run(result: dict) -> None:
    label = {"ok": "terminé", "error": "erreur", "timeout": "temps dépassé", "memory": "mémoire épuisée",
             "killed": "processus tué", "output_limit": "trop d'affichage"}[result["reason"]]
    show = st.success if result["reason"] == "ok" else st.warning
    show(f"Exécution : {label} ({result['seconds']:.2f} s)")
    st.code(result["stdout"] or "(aucune sortie)", language="text")
    if result["stderr"].strip():
        st.code(result["stderr"], language="text")


st.title("Exercices")
infos = _infos()
labels = {f"{i.roadmap_item} · {i.title}": i.id for i in infos}
choice = st.selectbox("Exercice", list(labels), key="exercise_choice")
exercise = _exercise(labels[choice])
ex_id = exercise.id
st.caption(f"`{ex_id}` · chapitre {exercise.info.chapter} · élément {exercise.info.roadmap_item} "
           "de la feuille de route")
st.markdown(exercise.statement)

code_key, state_key, hint_key = f"code_{ex_id}", f"result_{ex_id}", f"hint_{ex_id}"
st.session_state.setdefault(code_key, exercise.starter)
st.session_state.setdefault(hint_key, 0)
code = st.text_area("Votre code", key=code_key, height=320)

options = sandbox_options(get_settings())
run_col, check_col, hint_col, sol_col = st.columns(4)
try:
    if run_col.button("▶️ Exécuter", key="run", width="stretch"):
        st.session_state[state_key] = ("run", run_python(code, **options).to_dict())
    if check_col.button("✅ Vérifier", key="check", width="stretch"):
        options["timeout_s"] = max(options["timeout_s"], 20.0)
        st.session_state[state_key] = ("check", check_exercise(ex_id, code, **options).to_dict())
except AgentError as exc:
    st.error(str(exc))

if hint_col.button("💡 Indice", key="hint", width="stretch"):
    st.session_state[hint_key] = min(st.session_state[hint_key] + 1, 3)
show_solution = sol_col.button("📖 Solution", key="solution", width="stretch")

kind_result = st.session_state.get(state_key)
if kind_result is not None:
    kind, result = kind_result
    if kind == "run":
        _show_run(result)
    else:
        _show_check(result)

for level in range(min(st.session_state[hint_key], 3)):
    latest = level == st.session_state[hint_key] - 1
    with st.expander(f"Aide {level + 1} : {HINT_LEVELS[level]}", expanded=latest):
        st.markdown(hint(ex_id, level))
if show_solution:
    st.warning("Solution complète demandée : essayez d'abord les indices !")
    st.markdown(hint(ex_id, 3))
