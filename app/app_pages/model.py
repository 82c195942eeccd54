"""Page: the tutor's model — the one in use, the local servers found, a picker (embedded, server model, GGUF)."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from agents.errors import LLMError
from agents.model_picker import choose_embedded, choose_gguf, choose_server_model, status
from app.i18n import t
from app.state import detected_servers, rescan, settings

log = logging.getLogger(__name__)


def _on_off(flag: bool | None) -> str:
    return t("model.on") if flag else t("model.off")


def show_current() -> None:
    now = status(settings())
    st.markdown(t("model.current", label=now.label, tools=_on_off(now.tool_calling)))
    if now.env_vars:
        st.warning(t("model.env", vars=", ".join(f"`{v}`" for v in now.env_vars)))
    if now.problem:
        st.error(now.problem)
    elif now.saved is not None and now.saved.backend == "openai":
        st.caption(t("model.saved", label=now.saved.label, tools=_on_off(now.saved.tool_calling)))


def options(servers: list[Any]) -> dict[str, tuple[str, Any, str | None]]:
    """Label shown -> (kind, server, model)."""
    out: dict[str, tuple[str, Any, str | None]] = {t("model.embedded"): ("embedded", None, None)}
    for server in servers:
        for model in server.models:
            out[f"{model} — {server.name} ({server.base_url})"] = ("server", server, model)
    out[t("model.gguf")] = ("gguf", None, None)
    return out


def picker() -> None:
    if st.button(t("model.scan")):
        rescan()
    with st.spinner(t("model.scanning")):
        servers = detected_servers(wait=3.0)
    if servers is None:
        st.info(t("model.scan_running"))
        servers = []
    for server in servers:
        if server.problem:
            st.warning(server.problem)
        elif not server.models:
            st.caption(t("model.no_models", name=server.name, url=server.base_url))
    if not [s for s in servers if s.models]:
        st.caption(t("model.none"))
    choices = options([s for s in servers if not s.problem])
    label = st.radio(t("model.choose"), list(choices), key="model_choice")
    kind, server, model = choices[label]
    path = st.text_input(t("model.gguf_path"), key="model_gguf") if kind == "gguf" else ""
    if not st.button(t("model.use"), type="primary"):
        return
    home = settings().home
    try:
        if kind == "server" and model is not None:
            with st.spinner(t("model.probing")):
                chosen = choose_server_model(home, server.base_url, model, server=server.name)
        elif kind == "gguf":
            chosen = choose_gguf(home, path)
        else:
            chosen = choose_embedded(home)
    except LLMError as exc:
        st.error(str(exc))
        return
    st.session_state["model_notice"] = t("model.chosen", label=chosen.label, tools=_on_off(chosen.tool_calling))
    st.rerun()  # the "Modèle en cours" line above shows the new choice


st.title("🤖 " + t("model.title"))
st.caption(t("model.intro"))
notice = st.session_state.pop("model_notice", None)
if notice:
    st.success(notice)
try:
    show_current()
    picker()
except Exception:  # the page's error boundary: a French message here, the trace in the log
    log.exception("model page failed")
    st.error(t("model.error"))
