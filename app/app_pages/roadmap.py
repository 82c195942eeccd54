"""Page: Roadmap. Phases with progress bars, chapters that expand, checkable items, the tracker."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from knowledge.config import get_settings
from knowledge.errors import KnowledgeError
from knowledge.learning.mastery import EvidenceStore, Mastery
from knowledge.roadmap import (
    SHIPPED_ROADMAP,
    Item,
    ProgressStore,
    Roadmap,
    export_markdown,
    import_roadmap,
    read_roadmap,
    roadmap_path,
    summarize,
    tracker_view,
)


def _source() -> tuple[str, float]:
    path = roadmap_path(get_settings())
    path = path if path.is_file() else SHIPPED_ROADMAP
    return str(path), path.stat().st_mtime


@st.cache_resource
def _roadmap(path: str, mtime: float) -> Roadmap:
    return read_roadmap(path)


@st.cache_resource
def _store(url: str, learner: str, path: str, mtime: float) -> ProgressStore:
    return ProgressStore(url, learner=learner, roadmap=_roadmap(path, mtime))


def _toggle(store: ProgressStore, item_id: str) -> None:
    if st.session_state[f"item_{item_id}"]:
        store.check(item_id)
    else:
        store.uncheck(item_id)


def _checkboxes(store: ProgressStore, items: tuple[Item, ...], checked: set[str]) -> None:
    for it in items:
        st.checkbox(
            f"`{it.id}` {it.text}",
            value=it.id in checked,
            key=f"item_{it.id}",
            on_change=_toggle,
            args=(store, it.id),
        )


MASTERY_BADGE = {"maîtrisé": "🟢 maîtrisé", "en cours": "🟡 en cours", "fragile": "🔴 fragile"}


def _mastery(store: ProgressStore, learner: str, roadmap: Roadmap) -> dict[str, Mastery]:
    """Mastery of each chapter from quizzes, exercise checks and reviews (knowledge.learning.mastery)."""
    try:
        return EvidenceStore(store.engine, learner=learner).mastery([c.number for c in roadmap.chapters])
    except KnowledgeError:
        return {}


def _phases(roadmap: Roadmap, store: ProgressStore, checked: set[str], mastery: dict[str, Mastery]) -> None:
    summary = summarize(roadmap, checked)
    for phase, prog in zip(roadmap.phases, summary.phases, strict=True):
        lo, hi = phase.weeks or (0, 0)
        weeks = "" if not phase.weeks else f" · {lo:g} semaines" if lo == hi else f" · {lo:g}-{hi:g} semaines"
        st.subheader(f"Phase {phase.number}: {phase.title}")
        st.progress(prog.fraction, text=f"{prog.done}/{prog.total} ({100 * prog.fraction:.0f} %){weeks}")
        if phase.done is not None:
            _checkboxes(store, (phase.done,), checked)
        for ch in phase.chapters:
            done = sum(it.id in checked for it in ch.items)
            m = mastery.get(ch.number)
            badge = f" · {MASTERY_BADGE[m.level]} {m.score:.0%}" if m is not None and m.level in MASTERY_BADGE else ""
            with st.expander(f"Chapitre {ch.number}: {ch.title} ({done}/{len(ch.items)}){badge}"):
                _checkboxes(store, ch.items, checked)
        if phase.criteria:
            with st.expander(f"Critères de validation de la phase {phase.number}"):
                _checkboxes(store, phase.criteria, checked)
    for group in (*roadmap.capstones, *roadmap.extras):
        with st.expander(f"{group.id} · {group.title}"):
            _checkboxes(store, group.items, checked)


def _tracker(roadmap: Roadmap, store: ProgressStore) -> None:
    view = tracker_view(roadmap, store)
    stored = store.tracker()
    st.subheader("Tracker de progression")
    with st.form("tracker"):
        start = st.date_input("Date de début", value=_as_date(stored.get("start_date")), key="tr_start")
        phase = st.text_input("Phase actuelle", value=view.get("current_phase", ""), key="tr_phase")
        hours = st.number_input(
            "Heures d'étude cette semaine",
            min_value=0.0,
            max_value=168.0,
            step=0.5,
            value=float(view.get("hours_this_week", 0) or 0),
            key="tr_hours",
        )
        target = st.date_input("Objectif de fin", value=_as_date(stored.get("target_date")), key="tr_target")
        if st.form_submit_button("Enregistrer le tracker"):
            store.set_tracker(
                start_date=start, current_phase=phase, hours_this_week=hours or None, target_date=target
            )
            st.success("Tracker enregistré.")
    st.caption(f"Projets complétés : {view['projects_done']} / {roadmap.projects_total}")


def _as_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _import_export(roadmap: Roadmap, store: ProgressStore, checked: set[str]) -> None:
    with st.expander("Importer ou exporter ma roadmap"):
        st.download_button(
            "Exporter (Markdown avec mes [x])",
            export_markdown(roadmap, checked, store.tracker()).encode("utf-8"),
            file_name="roadmap.md",
            mime="text/markdown",
        )
        upload = st.file_uploader("Ma roadmap (.md, .txt, tout encodage)", type=["md", "txt"])
        if upload is not None and st.button("Importer ce fichier"):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "roadmap.md"
                path.write_bytes(upload.getvalue())
                report = import_roadmap(path, get_settings())
            st.success(
                f"{report.items} items importés : {report.kept} coches gardées, {report.moved} déplacées, "
                f"{report.dropped} abandonnées, {report.from_file} cochées dans le fichier."
            )
            st.rerun()


def main() -> None:
    st.title("Roadmap")
    settings = get_settings()
    try:
        path, mtime = _source()
        roadmap = _roadmap(path, mtime)
        store = _store(settings.db_url, settings.learner, path, mtime)
        checked = set(store.checked())
    except KnowledgeError as exc:
        st.error(str(exc))
        st.stop()
        return
    summary = summarize(roadmap, checked)
    st.caption(roadmap.title)
    cols = st.columns(3)
    cols[0].metric("Progression", f"{summary.percent:.0f} %")
    cols[1].metric("Items faits", f"{summary.done}/{summary.total}")
    cols[2].metric("Projets", f"{summary.projects_done}/{summary.projects_total}")
    st.progress(summary.percent / 100)
    _phases(roadmap, store, checked, _mastery(store, settings.learner, roadmap))
    _tracker(roadmap, store)
    _import_export(roadmap, store, checked)


main()
