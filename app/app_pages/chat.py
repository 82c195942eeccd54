"""Page: chat with the tutor — conversations kept per learner (sidebar: new, rename, delete), answers streamed
behind a "thinking" indicator, tool steps as readable tables, citations that expand to the passage."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from agents.llm import backend_label
from app import state
from app.chat_view import StreamBuffer, show_answer, tool_label
from app.i18n import t

log = logging.getLogger(__name__)

st.title(t("chat.title"))
cfg = state.settings()
st.caption(t("chat.caption", model=backend_label(cfg)))
found = state.detected_servers() if cfg.llm_backend == "embedded" else None
if found and any(s.models for s in found):
    st.info(t("chat.server_found", names=", ".join(s.name for s in found if s.models)))


def _select(conversation: int | None) -> None:
    """Show ``conversation`` (None: the most recent one). Called before the list is drawn, or from a callback."""
    if conversation is None:
        st.session_state.pop("chat_conversation", None)
    else:
        st.session_state["chat_conversation"] = conversation
    st.session_state.pop("chat_confirm_delete", None)


def _delete(conversation: int) -> None:
    state.delete_conversation(conversation)
    _select(None)
    st.toast(t("chat.deleted"))


def _sidebar() -> int | None:
    """The conversations list (new, rename, delete with confirmation); returns the selected conversation."""
    with st.sidebar:
        st.subheader(t("chat.conversations"))
        st.button(t("chat.new"), key="chat_new", width="stretch", on_click=lambda: _select(state.new_conversation()))
        convs = state.conversations()
        ids = [c.id for c in convs]
        titles = {c.id: c.title or t("chat.untitled") for c in convs}
        if st.session_state.get("chat_conversation") not in ids:  # first visit, reload, or deleted elsewhere
            _select(ids[0] if ids else None)
        if not ids:
            st.caption(t("chat.no_conversation"))
            selected = None
        else:
            selected = st.radio(t("chat.conversations"), ids, format_func=titles.__getitem__,
                                key="chat_conversation", label_visibility="collapsed")
        if selected is not None:
            _manage(selected, titles[selected])
        st.divider()
        st.file_uploader(t("chat.upload"), type=["py", "txt"], key="chat_upload")
        st.caption(t("chat.examples"))
    return selected


def _manage(conversation: int, title: str) -> None:
    with st.expander(t("chat.manage")):
        new_title = st.text_input(t("chat.rename_label"), value=title, key=f"chat_title_{conversation}")
        if st.button(t("chat.rename"), key="chat_rename"):
            if state.rename_conversation(conversation, new_title):
                st.toast(t("chat.renamed"))
                st.rerun()
            else:
                st.warning(t("chat.rename_empty"))
        if st.button(t("chat.delete"), key="chat_delete"):
            st.session_state["chat_confirm_delete"] = conversation
        if st.session_state.get("chat_confirm_delete") == conversation:
            st.warning(t("chat.delete_confirm", title=title))
            yes, no = st.columns(2)
            yes.button(t("chat.delete_yes"), key="chat_delete_yes", type="primary", on_click=_delete,
                       args=(conversation,))
            no.button(t("chat.delete_no"), key="chat_delete_no",
                      on_click=lambda: st.session_state.pop("chat_confirm_delete", None))


def _answer(question: str, code: str | None, conversation: int, turn: int) -> bool:
    """Stream one answer: a "thinking" indicator until the first text; text shown is never taken back. False
    when the tutor failed (the French message stays on the page)."""
    box = st.empty()
    box.status(t("chat.thinking"), state="running")
    buffer = StreamBuffer()
    final: dict[str, Any] | None = None
    try:
        for event in state.answer_events(question, code, conversation):
            if event["type"] == "answer":
                final = event["answer"]
            elif event["type"] == "status" and not buffer.shown:  # a model is writing: say so
                box.status(event["text"], state="running")
            elif event["type"] == "tool" and not buffer.shown:  # a tool has run: the answer is being written
                box.status(t("chat.tool_done", tool=tool_label(event["call"].name)), state="running")
            elif buffer.feed(event):
                box.markdown(buffer.shown + "▌")
    except Exception:  # the page must survive any backend failure: a French message, the trace in the log
        log.exception("chat answer failed")
        box.error(t("chat.error"))
        return False
    if final is None:
        return False
    box.markdown(final["answer"])
    show_answer({**final, "content": final["answer"], "question": question}, turn)
    return True


conversation = _sidebar()
messages = state.conversation_messages(conversation) if conversation is not None else []
for turn, m in enumerate(messages):
    with st.chat_message(m["role"]):
        st.markdown(m["content"])
        if m["role"] == "assistant":
            show_answer(m, turn)

question = st.chat_input(t("chat.input"))
if question is not None and not question.strip():
    st.info(t("chat.empty_message"))
elif question:
    if conversation is None:
        conversation = state.new_conversation()
        _select(conversation)
    upload = st.session_state.get("chat_upload")
    code = upload.getvalue().decode("utf-8", errors="replace") if upload is not None else None
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        answered = _answer(question, code, conversation, len(messages) + 1)
    if answered:
        st.rerun()  # the sidebar lists the conversation under its new title, the turn is read back from the database
