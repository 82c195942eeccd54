"""quant-tutor Streamlit app: the router. Pages live in app/app_pages/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.state import detected_servers

PAGES = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="quant-tutor", page_icon="🎓", layout="wide")

pages = {
    "Tuteur": [
        st.Page(PAGES / "today.py", title="Aujourd'hui", icon="☀️", default=True),
        st.Page(PAGES / "chat.py", title="Chat", icon="💬"),
        st.Page(PAGES / "knowledge.py", title="Knowledge", icon="📚"),
        st.Page(PAGES / "model.py", title="Modèle", icon="🤖"),
    ],
    "Parcours": [
        st.Page(PAGES / "roadmap.py", title="Roadmap", icon="🗺️"),
        st.Page(PAGES / "study_plan.py", title="Study plan", icon="📅"),
        st.Page(PAGES / "exercises.py", title="Exercises", icon="✏️"),
    ],
    "Labs": [
        st.Page(PAGES / "model_lab.py", title="Model lab", icon="🧠"),
        st.Page(PAGES / "finance_lab.py", title="Finance lab", icon="📈"),
    ],
}
detected_servers()  # starts the loopback scan in the background; pages read it when it is done
st.navigation(pages).run()
