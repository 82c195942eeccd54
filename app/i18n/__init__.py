"""Every string the learner sees, in one file per language (``fr.toml``, ``en.toml``); French first.

    from app.i18n import t
    st.title(t("chat.title"))
    st.error(t("finance.bad_dates", start=start, end=end))

Keys are ``section.name``; a key missing from English falls back to French, and a key missing from both is a bug
that ``tests/app/test_i18n.py`` catches (every ``t("...")`` literal in ``app/`` must exist in ``fr.toml``).
"""

from __future__ import annotations

import logging
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)
Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
_DIR = Path(__file__).parent


@cache
def strings(language: Language) -> dict[str, str]:
    """The flat ``section.key -> text`` table of one language."""
    raw = tomllib.loads((_DIR / f"{language}.toml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
            else:
                out[name] = str(value)

    walk("", raw)
    return out


def current_language() -> Language:
    """The learner's language: the session's choice, else the ``ui_language`` setting, else French."""
    try:
        import streamlit as st

        chosen = st.session_state.get("ui_language")
        if chosen in LANGUAGES:
            return chosen  # type: ignore[no-any-return]
    except Exception:  # outside a Streamlit run
        pass
    from knowledge.config import get_settings

    value = getattr(get_settings(), "ui_language", "fr")
    return value if value in LANGUAGES else "fr"


def t(key: str, language: Language | None = None, **values: Any) -> str:
    """The text of ``key`` in the learner's language, with ``{name}`` fields filled from ``values``."""
    lang = language or current_language()
    text = strings(lang).get(key) or strings("fr").get(key)
    if text is None:
        log.error("missing UI string %r", key)
        return key
    return text.format(**values) if values else text
