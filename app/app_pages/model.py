"""Page: the tutor's model — the one in use, the local servers found, a picker (embedded, server model, GGUF)."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from agents.errors import LLMError
from agents.model_picker import choose_embedded, choose_gguf, choose_server_model, status
from app.state import detected_servers, rescan, settings

log = logging.getLogger(__name__)
EMBEDDED = "Modèle intégré (SmolLM2-135M, hors ligne)"
GGUF = "Un fichier GGUF sur le disque"
TEXT = {
    "title": "🤖 Modèle",
    "intro": "Le tuteur répond avec le modèle intégré, ou avec un modèle plus capable que tu fais déjà tourner "
             "(Ollama, LM Studio, serveur llama.cpp, vLLM). Seuls les ports locaux (127.0.0.1) sont sondés, et rien "
             "de tes messages n'est envoyé avant que tu choisisses.",
    "env": "Les variables d'environnement {vars} fixent le modèle : elles priment sur le choix fait ici. "
           "Retire-les pour que ce choix s'applique.",
    "none": "Aucun serveur de modèles local trouvé (ports 11434, 1234, 8080, 8000).",
    "scan": "Rechercher à nouveau",
    "use": "Utiliser ce modèle",
    "probing": "Vérification du modèle (appel d'outils)…",
    "error": "La page Modèle a rencontré un problème ; le modèle en place est inchangé. Détail dans le journal.",
}


def _on_off(flag: bool | None) -> str:
    return "activé" if flag else "désactivé"


def show_current() -> None:
    now = status(settings())
    st.markdown(f"**Modèle en cours** : {now.label} · appel d'outils : {_on_off(now.tool_calling)}")
    if now.env_vars:
        st.warning(TEXT["env"].format(vars=", ".join(f"`{v}`" for v in now.env_vars)))
    if now.problem:
        st.error(now.problem)
    elif now.saved is not None and now.saved.backend == "openai":
        st.caption(f"Choix enregistré : {now.saved.label} · appel d'outils testé : {_on_off(now.saved.tool_calling)}")


def options(servers: list[Any]) -> dict[str, tuple[str, Any, str | None]]:
    """Label shown -> (kind, server, model)."""
    out: dict[str, tuple[str, Any, str | None]] = {EMBEDDED: ("embedded", None, None)}
    for server in servers:
        for model in server.models:
            out[f"{model} — {server.name} ({server.base_url})"] = ("server", server, model)
    out[GGUF] = ("gguf", None, None)
    return out


def picker() -> None:
    if st.button(TEXT["scan"]):
        rescan()
    with st.spinner("Recherche des serveurs locaux…"):
        servers = detected_servers(wait=3.0)
    if servers is None:
        st.info("Recherche en cours ; recharge la page dans un instant.")
        servers = []
    for server in servers:
        if server.problem:
            st.warning(server.problem)
        elif not server.models:
            st.caption(f"{server.name} ({server.base_url}) répond mais ne sert aucun modèle.")
    if not [s for s in servers if s.models]:
        st.caption(TEXT["none"])
    choices = options([s for s in servers if not s.problem])
    label = st.radio("Choisir le modèle", list(choices), key="model_choice")
    kind, server, model = choices[label]
    path = st.text_input("Chemin du fichier .gguf", key="model_gguf") if kind == "gguf" else ""
    if not st.button(TEXT["use"], type="primary"):
        return
    home = settings().home
    try:
        if kind == "server" and model is not None:
            with st.spinner(TEXT["probing"]):
                chosen = choose_server_model(home, server.base_url, model, server=server.name)
        elif kind == "gguf":
            chosen = choose_gguf(home, path)
        else:
            chosen = choose_embedded(home)
    except LLMError as exc:
        st.error(str(exc))
        return
    st.session_state["model_notice"] = (f"Modèle choisi : {chosen.label} · appel d'outils : "
                                        f"{_on_off(chosen.tool_calling)}. La prochaine réponse du chat l'utilisera.")
    st.rerun()  # the "Modèle en cours" line above shows the new choice


st.title(TEXT["title"])
st.caption(TEXT["intro"])
notice = st.session_state.pop("model_notice", None)
if notice:
    st.success(notice)
try:
    show_current()
    picker()
except Exception:  # the page's error boundary: a French message here, the trace in the log
    log.exception("model page failed")
    st.error(TEXT["error"])
