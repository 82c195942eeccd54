"""Page: chat with the tutor — streamed answers, citations that expand to the passage, tool steps."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.state import answer_events, settings
from knowledge.errors import KnowledgeError

st.title("💬 Tuteur")
cfg = settings()
st.caption(f"Modèle : `{cfg.llm_backend}` · réponses tirées du cours, avec citations numérotées.")

messages: list[dict[str, Any]] = st.session_state.setdefault("chat_messages", [])


def show_answer(answer: dict[str, Any]) -> None:
    for call in answer.get("tool_calls", []):
        with st.expander(f"🔧 {call['name']}({', '.join(f'{k}={v!r}' for k, v in call['args'].items())})"):
            st.json(call["result"], expanded=False)
            figure = call.get("figure")
            if figure is not None:
                st.plotly_chart(figure, key=f"fig-{id(call)}")
    for c in answer.get("citations", []):
        label = f"[{c['n']}] {c['heading'].split(' > ')[-1]} — {c['source'].rsplit('/', 1)[-1]}"
        with st.expander(label):
            st.caption(f"{c['source']} · {c['heading']}" + (f" · chapitre {c['chapter']}" if c.get("chapter") else ""))
            st.markdown(c.get("text", ""))
    for flag in answer.get("flags", []):
        st.caption(f"ℹ️ {flag}")


for m in messages:
    with st.chat_message(m["role"]):
        st.markdown(m["content"])
        if m["role"] == "assistant":
            show_answer(m)

question = st.chat_input("Pose ta question (français ou anglais)…")
if question:
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        box = st.empty()
        text = ""
        final: dict[str, Any] | None = None
        try:
            for event in answer_events(question):
                if event["type"] == "token":
                    text += event["text"]
                    box.markdown(text + "▌")
                elif event["type"] == "reset":
                    text = ""
                elif event["type"] == "answer":
                    final = event["answer"]
        except (KnowledgeError, Exception) as exc:  # the page must survive any backend failure
            box.error(f"{exc}")
        if final is not None:
            box.markdown(final["answer"])
            show_answer(final)
            messages.append({"role": "assistant", "content": final["answer"], **final})
