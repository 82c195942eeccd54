"""Page: chat with the tutor — streamed answers, citations that expand to the passage, tool steps."""

from __future__ import annotations

from typing import Any

import streamlit as st

from agents.llm import backend_label
from app.state import answer_events, clear_conversation, detected_servers, settings

st.title("💬 Tuteur")
cfg = settings()
st.caption(f"Modèle : `{backend_label(cfg)}` (à changer dans la page Modèle) · réponses tirées du cours, avec "
           "citations numérotées.")
found = detected_servers() if cfg.llm_backend == "embedded" else None
if found and any(s.models for s in found):
    st.info("Un serveur de modèles local a été détecté (" + ", ".join(s.name for s in found if s.models) +
            ") : tu peux l'utiliser depuis la page Modèle.")

messages: list[dict[str, Any]] = st.session_state.setdefault("chat_messages", [])
with st.sidebar:
    upload = st.file_uploader("Joindre un fichier Python (exercice, code à exécuter)", type=["py", "txt"],
                              key="chat_upload")
    st.caption("Ex. : « Vérifie mon exercice » avec ton fichier, « Backteste un croisement 20/50 sur le S&P 500 », "
               "« Quelle est la VaR à 99 % du S&P 500 avec un GARCH ? », « Que dois-je étudier ensuite ? »")
    if st.button("Effacer la conversation", help="Oublie aussi la mémoire du tuteur (indices donnés, contexte)."):
        messages.clear()
        clear_conversation()


def show_answer(answer: dict[str, Any], turn: int) -> None:
    if answer.get("backend"):
        st.caption(f"🤖 Réponse de : {answer['backend']}")
    for i, call in enumerate(answer.get("tool_calls", [])):
        args = ", ".join(f"{k}={v!r}" for k, v in call["args"].items() if k != "code")
        with st.expander(f"🔧 {call['name']}({args})"):
            if "code" in call["args"]:
                st.code(call["args"]["code"], language="python")
            st.json(call["result"], expanded=False)
            figure = call.get("figure")
            if figure is not None:
                st.plotly_chart(figure, key=f"fig-{turn}-{i}")
    for c in answer.get("citations", []):
        label = f"[{c['n']}] {c['heading'].split(' > ')[-1]} — {c['source'].rsplit('/', 1)[-1]}"
        with st.expander(label):
            st.caption(f"{c['source']} · {c['heading']}" + (f" · chapitre {c['chapter']}" if c.get("chapter") else ""))
            st.markdown(c.get("text", ""))
    question = answer.get("question", "")
    if question and answer.get("mode") in ("card", "generated", "extractive"):
        if st.button("➕ Faire une fiche de révision", key=f"flash-{turn}"):
            from agents.flashcards import make_flashcard

            _, front = make_flashcard(settings(), question, answer["answer"], answer.get("card"))
            st.toast(f"Fiche ajoutée : « {front} »")
    for flag in answer.get("flags", []):
        if flag != "no-card":  # the answer already says plainly that no card fits
            st.caption(f"ℹ️ {flag}")


for turn, m in enumerate(messages):
    with st.chat_message(m["role"]):
        st.markdown(m["content"])
        if m["role"] == "assistant":
            show_answer(m, turn)

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
            code = upload.getvalue().decode("utf-8", errors="replace") if upload is not None else None
            for event in answer_events(question, code):
                if event["type"] == "token":
                    text += event["text"]
                    box.markdown(text + "▌")
                elif event["type"] == "status":  # a model is writing: say so until the checked text arrives
                    box.markdown(f"_{event['text']}_")
                elif event["type"] == "reset":
                    text = ""
                elif event["type"] == "answer":
                    final = event["answer"]
        except Exception as exc:  # the page must survive any backend failure; the message says the fix
            box.error(f"{exc}")
        if final is not None:
            box.markdown(final["answer"])
            show_answer({**final, "question": question}, len(messages))
            messages.append({"role": "assistant", "content": final["answer"], "question": question, **final})
