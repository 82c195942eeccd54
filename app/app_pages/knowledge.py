"""Page: the knowledge base — what is indexed, ingest with progress, search."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.state import settings
from knowledge.errors import KnowledgeError
from knowledge.ingest import COURSE_DIR, ingest
from knowledge.retrieval import search
from knowledge.store import get_collection

st.title("📚 Knowledge")
cfg = settings()

try:
    metas = get_collection(cfg).get(include=["metadatas"])["metadatas"] or []
except KnowledgeError as exc:
    st.error(str(exc))
    st.stop()

if metas:
    df = pd.DataFrame(metas)
    counts = df.groupby("source").size().rename("chunks").reset_index().sort_values("source")
    st.metric("Chunks indexés", len(df))
    st.dataframe(counts, hide_index=True, width="stretch")
else:
    st.info("Aucun document indexé. Lance l'ingestion du cours ci-dessous.")

with st.form("ingest"):
    st.subheader("Ingestion")
    path = st.text_input("Fichier ou dossier", value=str(COURSE_DIR))
    submitted = st.form_submit_button("Ingérer")
if submitted:
    bar = st.progress(0.0, text="Lecture…")

    def on_progress(done: int, total: int, stage: str) -> None:
        bar.progress(done / max(total, 1), text=f"{stage} {done}/{total}")

    try:
        report = ingest([path], cfg, progress=False, on_progress=on_progress)
    except KnowledgeError as exc:
        st.error(str(exc))
    else:
        bar.progress(1.0, text="Terminé")
        st.success(
            f"{report.files} fichiers, {report.chunks} chunks : {report.added} ajoutés, {report.updated} mis à jour, "
            f"{report.removed} supprimés ({report.seconds:.1f} s)"
        )
        for sk in report.skipped:
            st.warning(f"Ignoré {sk.path} : {sk.reason}")

st.subheader("Recherche")
query = st.text_input("Chercher dans le cours", key="kb_query")
if query:
    results = search(query, 5, settings=cfg)
    if not results:
        st.info("Aucun passage trouvé.")
    for i, p in enumerate(results, 1):
        with st.expander(f"[{i}] {p.heading} — score {p.score:.4f}"):
            st.caption(p.source)
            st.markdown(p.text)
