"""Shared, cached resources of the Streamlit pages (never mutated by the pages)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import streamlit as st

from knowledge.config import Settings, get_settings


def settings() -> Settings:
    return get_settings()


@st.cache_resource(show_spinner="Chargement du tuteur…")
def _tutor(home: str, backend: str) -> Any:
    try:
        from agents.tutor import build_tutor
    except ImportError:
        return None
    return build_tutor(get_settings())


def clear_conversation() -> int:
    """Forget this learner's persisted conversation (hint levels, follow-ups); returns the turns removed."""
    cfg = get_settings()
    tutor = _tutor(str(cfg.home), cfg.llm_backend)
    return tutor.memory.clear(cfg.learner) if tutor is not None else 0


def answer_events(question: str, code: str | None = None) -> Iterator[dict[str, Any]]:
    """Stream the tutor's events; the final answer comes as a plain dict (with passage texts and figures)."""
    from app.figures import figure_for

    cfg = get_settings()
    tutor = _tutor(str(cfg.home), cfg.llm_backend)
    if tutor is not None:
        events = tutor.stream(question, code=code)
    else:
        from agents.answer import ask_stream

        events = ask_stream(question, settings=cfg)
    for event in events:
        if event["type"] == "answer":
            answer = event["answer"]
            d = answer.to_dict()
            d["citations"] = [c.to_dict(with_text=True) for c in answer.citations]
            for call in d["tool_calls"]:
                call["figure"] = figure_for(call["name"], call["args"], call["result"])
            yield {"type": "answer", "answer": d}
        else:
            yield event
