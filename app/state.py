"""Shared, cached resources of the Streamlit pages (never mutated by the pages)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import streamlit as st

from agents.memory import ConversationInfo, Memory
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


@st.cache_resource(show_spinner=False)
def _memory(home: str) -> Memory:
    """The conversations database, opened once per QT_HOME (the tutor writes turns through the same object)."""
    return Memory(Path(home) / "conversations.db")


def memory() -> Memory:
    return _memory(str(get_settings().home))


@st.cache_resource(show_spinner="Chargement du tuteur…")
def _tutor(home: str, model: str, tool_calling: bool) -> Any:
    try:
        from agents.tutor import build_tutor
    except ImportError:
        return None
    return build_tutor(get_settings(), memory=_memory(home))


# -- the learner's conversations (listed in the chat's sidebar) -----------------------------------------------
def conversations() -> list[ConversationInfo]:
    return memory().conversations(get_settings().learner)


def new_conversation() -> int:
    return memory().new_conversation(get_settings().learner)


def rename_conversation(conversation: int, title: str) -> bool:
    return memory().rename_conversation(get_settings().learner, conversation, title)


def delete_conversation(conversation: int) -> int:
    """Delete a conversation and its turns (the tutor forgets its follow-ups and hint levels with it)."""
    return memory().delete_conversation(get_settings().learner, conversation)


def conversation_messages(conversation: int) -> list[dict[str, Any]]:
    """The stored turns as the chat shows them: ``role``, ``content`` and, for answers, the turn's meta (tool
    calls, citations with their passage, flags, model) and the question it answered."""
    out: list[dict[str, Any]] = []
    question = ""
    for turn in memory().turns(get_settings().learner, conversation):
        if turn.role == "user":
            question = turn.content
            out.append({"role": "user", "content": turn.content})
        else:
            out.append({**(turn.meta or {}), "role": "assistant", "content": turn.content, "question": question})
    return out


def answer_events(question: str, code: str | None = None, conversation: int | None = None
                  ) -> Iterator[dict[str, Any]]:
    """Stream the tutor's events; the turn is stored in ``conversation``. The final answer comes as a plain dict
    (with the passages' texts)."""
    cfg = get_settings()
    tutor = _tutor(str(cfg.home), *_model_key())  # a new model choice builds a new tutor: no restart
    if tutor is not None:
        events = tutor.stream(question, code=code, conversation=conversation)
    else:
        from agents.answer import ask_stream

        events = ask_stream(question, settings=cfg)
    for event in events:
        if event["type"] == "answer":
            answer = event["answer"]
            d = answer.to_dict()
            d["citations"] = [c.to_dict(with_text=True) for c in answer.citations]
            if tutor is None:  # the tutor remembers its turns; without it, the page's history is kept here
                cid = memory().append(cfg.learner, "user", question, conversation=conversation)
                memory().append(cfg.learner, "assistant", answer.answer, d, conversation=cid)
            yield {"type": "answer", "answer": d}
        else:
            yield event
