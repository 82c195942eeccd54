"""quant-tutor Streamlit app: the router. Pages live in app/app_pages/; each runs inside one error boundary."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.guard import run_guarded
from app.i18n import LANGUAGES, t
from app.state import detected_servers, settings

PAGES = Path(__file__).parent / "app_pages"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

st.set_page_config(page_title="quant-tutor", page_icon="🎓", layout="wide")
st.session_state.setdefault("ui_language", settings().ui_language)


def _keep_language() -> None:
    """The chosen language is saved in ``$QT_HOME/quant-tutor.toml``: a reload or a new session keeps it."""
    from knowledge.config import get_settings
    from knowledge.model_choice import save_ui_language

    try:
        save_ui_language(settings().home, st.session_state["ui_language"])
        get_settings.cache_clear()
    except OSError:  # a read-only home: the choice lasts for this session
        pass


st.sidebar.selectbox(t("nav.language"), LANGUAGES, key="ui_language", format_func=LANGUAGE_NAMES.__getitem__,
                     on_change=_keep_language)

pages = {
    t("nav.tutor"): [
        st.Page(PAGES / "today.py", title=t("nav.today"), icon="☀️", default=True),
        st.Page(PAGES / "chat.py", title=t("nav.chat"), icon="💬"),
        st.Page(PAGES / "knowledge.py", title=t("nav.knowledge"), icon="📚"),
        st.Page(PAGES / "model.py", title=t("nav.model"), icon="🤖"),
    ],
    t("nav.path"): [
        st.Page(PAGES / "roadmap.py", title=t("nav.roadmap"), icon="🗺️"),
        st.Page(PAGES / "study_plan.py", title=t("nav.study_plan"), icon="📅"),
        st.Page(PAGES / "exercises.py", title=t("nav.exercises"), icon="✏️"),
    ],
    t("nav.labs"): [
        st.Page(PAGES / "model_lab.py", title=t("nav.model_lab"), icon="🧠"),
        st.Page(PAGES / "finance_lab.py", title=t("nav.finance_lab"), icon="📈"),
    ],
}
detected_servers()  # starts the loopback scan in the background; pages read it when it is done
run_guarded(st.navigation(pages).run)
