"""Shared, cached resources of the Streamlit pages (never mutated by the pages)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import streamlit as st

from knowledge.config import Settings, get_settings


def settings() -> Settings:
    return get_settings()


@st.cache_resource(show_spinner=False, ttl=120)
def _scan() -> Future[Any]:
    """A loopback scan for model servers, started once in the background (never blocks a page)."""
    from agents.servers import detect

    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="qt-scan").submit(detect)


def detected_servers(*, wait: float = 0.0) -> list[Any] | None:
    """The servers found by the background scan, or ``None`` while it runs (waits at most ``wait`` s)."""
    future = _scan()
    try:
        return list(future.result(timeout=wait)) if wait or future.done() else None
    except TimeoutError:
        return None


def rescan() -> None:
    _scan.clear()


def _model_key() -> tuple[str, bool]:
    from agents.llm import backend_label, supports_tool_calling

    cfg = get_settings()
    return backend_label(cfg), supports_tool_calling(cfg)


@st.cache_resource(show_spinner="Chargement du tuteur…")
def _tutor(home: str, model: str, tool_calling: bool) -> Any:
    try:
        from agents.tutor import build_tutor
    except ImportError:
        return None
    return build_tutor(get_settings())


def clear_conversation() -> int:
    """Forget this learner's persisted conversation (hint levels, follow-ups); returns the turns removed."""
    cfg = get_settings()
    tutor = _tutor(str(cfg.home), *_model_key())
    return tutor.memory.clear(cfg.learner) if tutor is not None else 0


def answer_events(question: str, code: str | None = None) -> Iterator[dict[str, Any]]:
    """Stream the tutor's events; the final answer comes as a plain dict (with passage texts and figures)."""
    from app.figures import figure_for

    cfg = get_settings()
    tutor = _tutor(str(cfg.home), *_model_key())  # a new model choice builds a new tutor: no restart
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
