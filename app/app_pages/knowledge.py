"""Page: the knowledge base — what is indexed, ingest with progress, search."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from app.i18n import t
from app.state import settings
from knowledge.errors import KnowledgeError
from knowledge.ingest import ingest
from knowledge.retrieval import relevant_passages, search
from knowledge.store import get_collection

log = logging.getLogger(__name__)
st.title("📚 " + t("knowledge.title"))
cfg = settings()

try:
    metas = get_collection(cfg).get(include=["metadatas"])["metadatas"] or []
except KnowledgeError as exc:
    log.warning("knowledge page: %s", exc)
    st.error(t("knowledge.store_error"))
    st.stop()

if metas:
    df = pd.DataFrame(metas)
    counts = df.groupby("source").size().rename(t("knowledge.col_passages")).reset_index()
    counts = counts.rename(columns={"source": t("knowledge.col_source")}).sort_values(t("knowledge.col_source"))
    st.metric(t("knowledge.indexed"), len(df))
    st.dataframe(counts, hide_index=True, width="stretch")
else:
    st.info(t("knowledge.empty"))

with st.form("ingest"):
    st.subheader(t("knowledge.ingest"))
    path = st.text_input(t("knowledge.path"), key="kb_path", placeholder=t("knowledge.path_placeholder"))
    submitted = st.form_submit_button(t("knowledge.ingest_button"))
target = Path(path.strip()).expanduser() if submitted and path.strip() else None
if submitted and target is not None and not target.exists():
    st.error(t("knowledge.path_missing", path=path.strip()))
elif submitted:
    bar = st.progress(0.0, text=t("knowledge.reading"))

    def on_progress(done: int, total: int, stage: str) -> None:
        bar.progress(done / max(total, 1), text=t("knowledge.progress", done=done, total=total))

    try:
        report = ingest([target] if target is not None else None, cfg, progress=False, on_progress=on_progress)
    except KnowledgeError as exc:
        log.warning("ingest failed: %s", exc)
        st.error(t("knowledge.ingest_failed"))
    else:
        bar.progress(1.0, text=t("knowledge.done"))
        if report.files == 0:
            st.error(t("knowledge.nothing_read"))
        else:
            st.success(t("knowledge.ingested", files=report.files, chunks=report.chunks, added=report.added,
                         updated=report.updated, removed=report.removed, seconds=f"{report.seconds:.1f}"))
        for sk in report.skipped:
            log.info("ingest skipped %s: %s", sk.path, sk.reason)
            st.warning(t("knowledge.skipped", path=sk.path))

st.subheader(t("knowledge.search"))
query = st.text_input(t("knowledge.search_label"), key="kb_query")
if query.strip():
    found = relevant_passages(query, search(query, 5, settings=cfg))
    if not found:
        st.info(t("knowledge.nothing_found", query=query.strip()))
    for i, p in enumerate(found, 1):
        where = t("knowledge.chapter", n=p.chapter) if p.chapter else p.source
        with st.expander(f"[{i}] {p.heading} · {where}"):
            st.caption(p.source)
            st.markdown(p.text)
