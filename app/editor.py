"""A real code editor for the pages: Ace through ``streamlit-code-editor`` (pip name; import ``code_editor``), whose
JavaScript ships inside the wheel, so it works offline. Monospace, Python highlighting, Tab indents, Ctrl+Enter
runs; the editor's own buttons send the code with the action (run, check). If the component cannot be imported,
a plain ``st.text_area`` stands in and the page shows its own buttons.

The editor's theme is Ace's ``textmate`` (set through ``props``): the component's default themes import a web
font from Google's servers, which an offline machine cannot reach.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from app.i18n import t

log = logging.getLogger(__name__)
Action = Literal["run", "check"]
ACTIONS: dict[str, Action] = {"submit": "run", "check": "check"}  # the component's response type -> action


@dataclass(frozen=True)
class EditorInput:
    """The code in the editor and what the learner asked for with it (``None``: just editing)."""

    code: str
    action: Action | None
    rich: bool  # the component is shown (False: the text-area fallback, the page shows Run/Check buttons)


def load_component() -> Callable[..., Any] | None:
    """``code_editor.code_editor``, or ``None`` when the component is not installed or does not import."""
    try:
        from code_editor import code_editor
    except Exception as exc:  # ImportError, or a broken install: the text area stands in
        log.warning("code editor component unavailable (%s); using a text area", exc)
        return None
    return code_editor  # type: ignore[no-any-return]


def _buttons(check: bool) -> list[dict[str, Any]]:
    run = {"name": t("editor.run"), "feather": "Play", "primary": True, "hasText": True, "alwaysOn": True,
           "showWithIcon": True, "commands": ["submit"], "style": {"bottom": "0.44rem", "right": "0.4rem"}}
    buttons = [run]
    if check:
        buttons.append({"name": t("editor.check"), "feather": "CheckCircle", "hasText": True, "alwaysOn": True,
                        "showWithIcon": True, "commands": [["response", "check"]],
                        "style": {"bottom": "0.44rem", "right": "8.2rem"}})
    return buttons


def code_input(key: str, initial: str, *, label: str, check: bool = True, height: int = 320) -> EditorInput:
    """Show the editor for ``st.session_state[key]`` (seeded with ``initial``) and return its code and action."""
    st.session_state.setdefault(key, initial)
    editor = load_component()
    if editor is None:
        return EditorInput(st.text_area(label, key=key, height=height), None, False)
    st.caption(label + " · " + t("editor.keys"))
    mounted = st.session_state.setdefault(f"{key}__mounted", st.session_state[key])  # stable: no remount
    response = editor(
        mounted, lang="python", key=f"{key}__editor", height=[14, 32], buttons=_buttons(check),
        response_mode="blur", shortcuts="vscode", allow_reset=False,
        options={"tabSize": 4, "useSoftTabs": True, "showPrintMargin": False, "fontSize": 14},
        props={"theme": "textmate"},
    )
    action: Action | None = None
    if isinstance(response, dict) and response.get("id") and response["id"] != st.session_state.get(f"{key}__seen"):
        st.session_state[f"{key}__seen"] = response["id"]
        st.session_state[key] = str(response.get("text", ""))
        action = ACTIONS.get(str(response.get("type")))
    return EditorInput(st.session_state[key], action, True)
