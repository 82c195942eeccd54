"""Page: Roadmap. A progress overview, one phase at a time with its chapters and checkable items, the tracker.

A tick is written to the store by the checkbox's ``on_change`` callback, before the rerun: two quick clicks are
two writes. The checkbox state lives in ``st.session_state`` (seeded from the store, never passed as ``value``),
and chapters are keyed expanders, so a tick keeps its chapter open even though the chapter's count changes."""

from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from app.i18n import t
from knowledge.config import get_settings
from knowledge.errors import KnowledgeError, RoadmapError
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

log = logging.getLogger(__name__)
EXTRAS = -1  # the phase selector's entry for capstones and extra lists


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


def _toggle(store: ProgressStore, item_id: str, chapter: str) -> None:
    """on_change: write the tick now (a quick second click is a second write) and keep its chapter open."""
    st.session_state["rm_open"] = chapter
    try:
        if st.session_state[f"item_{item_id}"]:
            store.check(item_id)
        else:
            store.uncheck(item_id)
    except KnowledgeError as exc:
        log.warning("tick of %s not saved: %s", item_id, exc)
        st.session_state["rm_error"] = t("roadmap.tick_failed", item=item_id)


def _checkboxes(store: ProgressStore, items: tuple[Item, ...], checked: set[str], chapter: str = "") -> None:
    for it in items:
        key = f"item_{it.id}"
        if key not in st.session_state:
            st.session_state[key] = it.id in checked
        st.checkbox(f"`{it.id}` {it.text}", key=key, on_change=_toggle, args=(store, it.id, chapter))


MASTERY_LEVELS = {"maîtrisé": ("🟢", "mastered"), "en cours": ("🟡", "in_progress"), "fragile": ("🔴", "fragile")}


def _mastery(store: ProgressStore, learner: str, roadmap: Roadmap) -> dict[str, Mastery]:
    """Mastery of each chapter from quizzes, exercise checks and reviews (knowledge.learning.mastery)."""
    try:
        return EvidenceStore(store.engine, learner=learner).mastery([c.number for c in roadmap.chapters])
    except KnowledgeError:
        return {}


def _overview(roadmap: Roadmap, checked: set[str]) -> None:
    summary = summarize(roadmap, checked)
    rows = [{t("roadmap.col_phase"): f"{phase.number} · {phase.title}", t("roadmap.col_done"): f"{p.done}/{p.total}",
             t("roadmap.col_progress"): p.fraction} for phase, p in zip(roadmap.phases, summary.phases, strict=True)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
        t("roadmap.col_progress"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent")})


def _phase_choice(roadmap: Roadmap, checked: set[str]) -> int:
    numbers = [p.number for p in roadmap.phases]
    first_open = next((p.number for p in roadmap.phases
                       if any(it.id not in checked for ch in p.chapters for it in ch.items)), numbers[0])
    st.session_state.setdefault("rm_phase", first_open)
    if st.session_state["rm_phase"] not in [*numbers, EXTRAS]:
        st.session_state["rm_phase"] = first_open
    titles = {p.number: f"{t('roadmap.phase', n=p.number)} · {p.title}" for p in roadmap.phases}
    titles[EXTRAS] = t("roadmap.extras")
    extras = [EXTRAS] if roadmap.capstones or roadmap.extras else []
    return int(st.selectbox(t("roadmap.pick_phase"), [*numbers, *extras], key="rm_phase",
                            format_func=titles.__getitem__))


def _phase(roadmap: Roadmap, number: int, store: ProgressStore, checked: set[str],
           mastery: dict[str, Mastery]) -> None:
    if number == EXTRAS:
        for group in (*roadmap.capstones, *roadmap.extras):
            with st.expander(f"{group.id} · {group.title}", key=f"rm_group_{group.id}",
                             expanded=st.session_state.get("rm_open") == group.id):
                _checkboxes(store, group.items, checked, group.id)
        return
    phase = next(p for p in roadmap.phases if p.number == number)
    prog = summarize(roadmap, checked).phases[roadmap.phases.index(phase)]
    lo, hi = phase.weeks or (0, 0)
    weeks = "" if not phase.weeks else t("roadmap.weeks", n=f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}")
    st.subheader(f"{t('roadmap.phase', n=phase.number)} : {phase.title}")
    st.progress(prog.fraction, text=f"{prog.done}/{prog.total} ({100 * prog.fraction:.0f} %){weeks}")
    if phase.done is not None:
        _checkboxes(store, (phase.done,), checked)
    for ch in phase.chapters:
        done = sum(it.id in checked for it in ch.items)
        m = mastery.get(ch.number)
        badge = ""
        if m is not None and m.level in MASTERY_LEVELS:
            icon, level = MASTERY_LEVELS[m.level]
            badge = f" · {icon} {t('roadmap.mastery_' + level)} {m.score:.0%}"
        label = t("roadmap.chapter", n=ch.number, title=ch.title, done=done, total=len(ch.items)) + badge
        with st.expander(label, key=f"rm_ch_{ch.number}", expanded=st.session_state.get("rm_open") == ch.number):
            _checkboxes(store, ch.items, checked, ch.number)
    if phase.criteria:
        crit = f"criteria_{phase.number}"
        with st.expander(t("roadmap.criteria", n=phase.number), key=f"rm_{crit}",
                         expanded=st.session_state.get("rm_open") == crit):
            _checkboxes(store, phase.criteria, checked, crit)


def _tracker(roadmap: Roadmap, store: ProgressStore) -> None:
    view = tracker_view(roadmap, store)
    stored = store.tracker()
    st.subheader(t("roadmap.tracker"))
    with st.form("tracker"):
        start = st.date_input(t("roadmap.start"), value=_as_date(stored.get("start_date")), key="tr_start",
                              format="DD/MM/YYYY")
        phase = st.text_input(t("roadmap.current_phase"), value=view.get("current_phase", ""), key="tr_phase")
        hours = st.number_input(t("roadmap.hours"), min_value=0.0, max_value=168.0, step=0.5,
                                value=float(view.get("hours_this_week", 0) or 0), key="tr_hours")
        target = st.date_input(t("roadmap.target"), value=_as_date(stored.get("target_date")), key="tr_target",
                               format="DD/MM/YYYY")
        if st.form_submit_button(t("roadmap.save_tracker")):
            if start is not None and target is not None and target <= start:
                st.error(t("roadmap.target_before_start", start=f"{start:%d/%m/%Y}", target=f"{target:%d/%m/%Y}"))
            else:
                store.set_tracker(start_date=start, current_phase=phase, hours_this_week=hours or None,
                                  target_date=target)
                st.success(t("roadmap.tracker_saved"))
    st.caption(t("roadmap.projects_done", done=view["projects_done"], total=roadmap.projects_total))


def _as_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _import(upload: object) -> None:
    data = upload.getvalue()  # type: ignore[attr-defined]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "roadmap.md"
            path.write_bytes(data)
            report = import_roadmap(path, get_settings())
    except RoadmapError as exc:
        log.info("roadmap import refused: %s", exc)
        st.error(t("roadmap.import_not_roadmap", name=getattr(upload, "name", "")))
        return
    except KnowledgeError as exc:
        log.warning("roadmap import failed: %s", exc)
        st.error(t("roadmap.import_failed"))
        return
    for key in [k for k in st.session_state if str(k).startswith("item_")]:
        del st.session_state[key]  # the new roadmap's ticks are read from the store
    st.session_state["rm_notice"] = t("roadmap.imported", items=report.items, kept=report.kept, moved=report.moved,
                                      dropped=report.dropped, from_file=report.from_file)
    st.rerun()


def _import_export(roadmap: Roadmap, store: ProgressStore, checked: set[str]) -> None:
    with st.expander(t("roadmap.import_export"), key="rm_import_export"):
        st.download_button(t("roadmap.export"), export_markdown(roadmap, checked, store.tracker()).encode("utf-8"),
                           file_name="roadmap.md", mime="text/markdown")
        upload = st.file_uploader(t("roadmap.upload"), type=["md", "txt"], key="rm_upload")
        if upload is not None and st.button(t("roadmap.import"), key="rm_import"):
            _import(upload)


def main() -> None:
    st.title(t("roadmap.title"))
    settings = get_settings()
    try:
        path, mtime = _source()
        roadmap = _roadmap(path, mtime)
        store = _store(settings.db_url, settings.learner, path, mtime)
        checked = set(store.checked())
    except KnowledgeError as exc:
        log.warning("roadmap page: %s", exc)
        st.error(t("roadmap.unreadable"))
        st.stop()
        return
    if notice := st.session_state.pop("rm_notice", None):
        st.info(notice)
    if problem := st.session_state.pop("rm_error", None):
        st.error(problem)
    summary = summarize(roadmap, checked)
    st.caption(roadmap.title)
    cols = st.columns(3)
    cols[0].metric(t("roadmap.progress"), f"{summary.percent:.0f} %")
    cols[1].metric(t("roadmap.items_done"), f"{summary.done}/{summary.total}")
    cols[2].metric(t("roadmap.projects"), f"{summary.projects_done}/{summary.projects_total}")
    with st.expander(t("roadmap.overview"), key="rm_overview"):
        _overview(roadmap, checked)
    number = _phase_choice(roadmap, checked)
    _phase(roadmap, number, store, checked, _mastery(store, settings.learner, roadmap))
    _tracker(roadmap, store)
    _import_export(roadmap, store, checked)


main()
