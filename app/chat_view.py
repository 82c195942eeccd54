"""How the chat shows an answer: tool steps as a small French table (raw JSON one click away), citations that
expand to their passage, flags as plain notes, and a stream buffer that never withdraws text already shown."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from app.i18n import current_language, strings, t

log = logging.getLogger(__name__)

#: the results worth a row in a tool step's table, per tool (others: the result's short top-level values)
MAIN_RESULTS: dict[str, tuple[str, ...]] = {
    "backtest_strategy": ("start", "end", "n_trades", "sharpe", "cagr_pct", "max_drawdown_pct"),
    "value_at_risk": ("as_of", "var_pct", "es_pct", "window", "n_days"),
    "fit_garch": ("persistence", "half_life_days", "last_volatility_annual_pct", "converged", "n_days"),
    "roadmap_progress": ("done", "total", "percent"),
    "search_course": ("passages",),
    "check_exercise": ("exercise_id", "passed"),
}
MAX_ROWS = 8


@dataclass
class StreamBuffer:
    """What the answer box shows while a turn streams. Shown text only ever grows: after a ``reset`` (a draft
    the tutor withdraws) the next tokens are held back, not written over what the learner is reading."""

    shown: str = ""
    held: str = ""
    holding: bool = False

    def feed(self, event: dict[str, Any]) -> bool:
        """Take one event; True when ``shown`` changed."""
        if event["type"] == "token":
            if self.holding:
                self.held += event["text"]
                return False
            self.shown += event["text"]
            return True
        if event["type"] == "reset":
            self.holding, self.held = True, ""
        return False


def flag_notes(flags: list[str]) -> list[str]:
    """The learner's plain notes for an answer's flags; flags meant for developers go to the log."""
    notes: list[str] = []
    for flag in flags:
        kind, _, detail = flag.partition(":")
        if flag == "fallback:model-language":
            notes.append(t("chat.note_model_language"))
        elif flag == "fallback:ungrounded":
            notes.append(t("chat.note_ungrounded"))
        elif flag == "fallback:model-unreachable":
            notes.append(t("chat.note_model_unreachable"))
        elif kind == "fallback":
            notes.append(t("chat.note_model_text"))
        elif kind == "max-steps":
            notes.append(t("chat.note_max_steps", n=detail))
        elif kind == "unsupported-figures":
            notes.append(t("chat.note_unsupported"))
        else:  # no-card, missing:exercise_id, ...: the answer already says it in words
            log.info("answer flag not shown: %s", flag)
    return list(dict.fromkeys(notes))


def _label(section: str, key: str) -> str:
    name = f"chat.{section}.{key}"
    return t(name) if name in strings("fr") else key.replace("_", " ")


def tool_label(name: str) -> str:
    """A tool's name for the learner ("Backtest d'une stratégie", not backtest_strategy)."""
    return _label("tools", name)


def _value(value: Any) -> str | None:
    """A value as a table cell (None: not worth a row)."""
    french = current_language() == "fr"
    if isinstance(value, bool):
        return t("chat.yes") if value else t("chat.no")
    if isinstance(value, float):
        text = f"{value:.4g}"
        return text.replace(".", ",") if french else text
    if isinstance(value, str) and f"chat.values.{value}" in strings("fr"):  # an option's name: in words
        return t(f"chat.values.{value}")
    if isinstance(value, int | str):
        text = str(value)
        return text if len(text) <= 80 else text[:79] + "…"
    if isinstance(value, dict) and value and all(isinstance(v, int | float | str) for v in value.values()):
        return ", ".join(f"{k} = {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return t("chat.items", n=len(value)) if value else None
    return None


def _rows(section: str, pairs: list[tuple[str, Any]]) -> pd.DataFrame | None:
    rows = [(_label(section, k), cell) for k, v in pairs if (cell := _value(v)) is not None][:MAX_ROWS]
    if not rows:
        return None
    return pd.DataFrame({t("chat.step_value"): [r[1] for r in rows]}, index=[r[0] for r in rows])


def step_tables(name: str, args: dict[str, Any], result: Any) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The parameters and the main results of a tool call, as two one-column tables with French labels."""
    params = _rows("fields", [(k, v) for k, v in args.items() if k != "code"])
    if not isinstance(result, dict):
        return params, _rows("fields", [("result", result)])
    if "error" in result:
        return params, _rows("fields", [("error", result["error"])])
    keys = MAIN_RESULTS.get(name) or tuple(result)
    return params, _rows("fields", [(k, result[k]) for k in keys if k in result])


def show_tool_step(call: dict[str, Any], key: str) -> None:
    """One tool call: its French name, a table of parameters and results, its plot, the raw JSON in an expander."""
    from app.figures import figure_for

    with st.container(border=True):
        st.markdown(f"**🔧 {tool_label(call['name'])}**")
        params, results = step_tables(call["name"], call.get("args") or {}, call.get("result"))
        left, right = st.columns(2)
        if params is not None:
            left.caption(t("chat.step_params"))
            left.table(params)
        if results is not None:
            right.caption(t("chat.step_results"))
            right.table(results)
        figure = figure_for(call["name"], call.get("args") or {}, call.get("result"))
        if figure is not None:
            st.plotly_chart(figure, key=f"fig-{key}")
        with st.expander(t("chat.step_raw")):
            if "code" in (call.get("args") or {}):
                st.caption(t("chat.step_code"))
                st.code(call["args"]["code"], language="python")
            st.json(json.loads(json.dumps({"args": call.get("args"), "result": call.get("result")}, default=str)),
                    expanded=False)


def show_answer(answer: dict[str, Any], turn: int) -> None:
    """Everything under an answer's text: model, tool steps, citations, flashcard button, notes."""
    if answer.get("backend"):
        st.caption(t("chat.answered_by", model=answer["backend"]))
    for i, call in enumerate(answer.get("tool_calls") or []):
        show_tool_step(call, f"{turn}-{i}")
    for c in answer.get("citations") or []:
        label = f"[{c['n']}] {c['heading'].split(' > ')[-1]} — {c['source'].rsplit('/', 1)[-1]}"
        with st.expander(label):
            where = f"{c['source']} · {c['heading']}"
            st.caption(where + (" · " + t("chat.chapter", chapter=c["chapter"]) if c.get("chapter") else ""))
            st.markdown(c.get("text", ""))
    question = answer.get("question", "")
    if question and answer.get("mode") in ("card", "generated", "extractive"):
        if st.button(t("chat.flashcard"), key=f"flash-{turn}"):
            from agents.flashcards import make_flashcard
            from knowledge.config import get_settings

            _, front = make_flashcard(get_settings(), question, answer["content"], answer.get("card"))
            st.toast(t("chat.flashcard_added", front=front))
    for note in flag_notes(answer.get("flags") or []):
        st.caption(f"ℹ️ {note}")
