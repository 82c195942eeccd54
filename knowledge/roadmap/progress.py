"""The roadmap and the learner's progress together: import, export, summary and "what next?".

Used by the CLI (``quant-tutor roadmap ...``), the Roadmap page and the tutor's tools.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from knowledge.config import Settings, get_settings
from knowledge.roadmap.files import export_markdown, load_roadmap, read_roadmap, roadmap_path
from knowledge.roadmap.model import Item, Roadmap
from knowledge.roadmap.safekeeping import backup_progress, kept_aside, replace_aside
from knowledge.roadmap.store import ProgressStore

log = logging.getLogger(__name__)


def open_progress(settings: Settings | None = None, roadmap: Roadmap | None = None) -> ProgressStore:
    """The learner's :class:`ProgressStore` (``Settings.db_url``), validating ids against the roadmap."""
    s = settings or get_settings()
    return ProgressStore(s.db_url, learner=s.learner, roadmap=roadmap or load_roadmap(s))


@dataclass(frozen=True)
class PhaseProgress:
    number: int
    title: str
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class ProgressSummary:
    """Counts for the Roadmap page and ``roadmap show``: chapter items and criteria, projects."""

    phases: tuple[PhaseProgress, ...]
    done: int
    total: int
    projects_done: int
    projects_total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 0.0


def summarize(roadmap: Roadmap, checked: Collection[str]) -> ProgressSummary:
    """Progress per phase (its chapter items and criteria) and overall, and projects done out of the total."""
    done_ids = set(checked)
    phases = []
    for ph in roadmap.phases:
        ids = [it.id for it in ph.items()]
        phases.append(PhaseProgress(ph.number, ph.title, sum(i in done_ids for i in ids), len(ids)))
    projects_done = sum(p.item_id in done_ids for p in roadmap.projects)
    return ProgressSummary(
        tuple(phases),
        sum(p.done for p in phases),
        sum(p.total for p in phases),
        projects_done,
        roadmap.projects_total,
    )


def next_items(roadmap: Roadmap, checked: Collection[str], n: int = 3) -> list[Item]:
    """The first ``n`` unchecked chapter items in roadmap order."""
    done = set(checked)
    return [it for it in roadmap.chapter_items() if it.id not in done][: max(n, 0)]


def next_steps(settings: Settings | None = None, n: int = 3) -> list[Item]:
    """The tutor's "what next?": the learner's next ``n`` unchecked items in roadmap order."""
    roadmap = load_roadmap(settings)
    with open_progress(settings, roadmap) as store:
        return next_items(roadmap, store.checked(), n)


def tracker_view(roadmap: Roadmap, store: ProgressStore, today: date | None = None) -> dict[str, str]:
    """Tracker fields as shown: stored values, else derived from progress and logged sessions.

    ``projects_done`` is always the number of checked chapter projects (out of ``roadmap.projects_total``).
    """
    stored = store.tracker()
    checked = store.checked()
    view = dict(stored)
    summary = summarize(roadmap, checked)
    view["projects_done"] = str(summary.projects_done)
    if "current_phase" not in stored:
        nxt = next_items(roadmap, checked, 1)
        if nxt and nxt[0].phase is not None:
            ph = roadmap.phase(nxt[0].phase)
            view["current_phase"] = f"Phase {ph.number}: {ph.title}"
    if "hours_this_week" not in stored:
        minutes = store.minutes_in_week(today)
        if minutes:
            view["hours_this_week"] = f"{minutes / 60:.1f}"
    return view


@dataclass(frozen=True)
class ImportReport:
    """What ``roadmap import`` did with the existing progress."""

    path: Path
    items: int
    kept: int
    moved: int
    dropped: int
    from_file: int
    aside: int = 0  #: ticks of changed or vanished items, kept aside ("ticks kept from the previous roadmap")
    reattached: int = 0  #: ticks kept aside by an earlier import, back on their item
    backup: Path | None = None


def merge_checks(
    new: Roadmap, old: Mapping[str, tuple[str, datetime]], now: datetime,
    aside: Mapping[str, tuple[str, datetime]] | None = None,
) -> tuple[dict[str, tuple[str, datetime]], ImportReport]:
    """Carry checks over to a new roadmap: same id and text, else the unique item with the same text.

    Checks stored without a text key match by id alone. Items marked ``[x]`` in the new file are added.
    Checks that match nothing are not dropped: they go to ``report.aside`` (see :func:`merge_with_aside`).
    """
    merged, _, report = merge_with_aside(new, old, now, aside or {})
    return merged, report


def merge_with_aside(
    new: Roadmap, old: Mapping[str, tuple[str, datetime]], now: datetime, aside: Mapping[str, tuple[str, datetime]],
) -> tuple[dict[str, tuple[str, datetime]], dict[str, tuple[str, datetime]], ImportReport]:
    """``merge_checks`` plus the ticks kept aside: (checks, ticks still aside, report)."""
    by_key: dict[str, list[str]] = {}
    for it in new.items():
        by_key.setdefault(it.key, []).append(it.id)
    merged: dict[str, tuple[str, datetime]] = {}
    still_aside: dict[str, tuple[str, datetime]] = {}
    kept = moved = reattached = 0

    def place(item_id: str, key: str, at: datetime) -> str:
        if new.has_item(item_id) and (not key or new.item(item_id).key == key) and item_id not in merged:
            merged[item_id] = (new.item(item_id).key, at)
            return "kept"
        if key and len(by_key.get(key, [])) == 1 and by_key[key][0] not in merged:
            merged[by_key[key][0]] = (key, at)
            return "moved"
        return "aside"

    for item_id, (key, at) in old.items():
        how = place(item_id, key, at)
        kept += how == "kept"
        moved += how == "moved"
        if how == "aside":
            still_aside[item_id] = (key, at)
    for item_id, (key, at) in aside.items():
        if place(item_id, key, at) == "aside":
            still_aside.setdefault(item_id, (key, at))
        else:
            reattached += 1
    dropped = 0
    from_file = 0
    for it in new.items():
        if it.checked and it.id not in merged:
            merged[it.id] = (it.key, now)
            from_file += 1
    report = ImportReport(Path(), len(list(new.items())), kept, moved, dropped, from_file,
                          aside=len(still_aside), reattached=reattached)
    return merged, still_aside, report


def import_roadmap(path: str | Path, settings: Settings | None = None) -> ImportReport:
    """Make ``path`` the learner's roadmap, keeping progress for items that still match.

    The repaired UTF-8 text is written to ``$QT_HOME/roadmap.md``; ``[x]`` marks and filled tracker fields
    of the file are added to the progress database.

    Raises
    ------
    RoadmapError
        The file cannot be parsed (nothing is changed).
    ProgressError
        The progress database cannot be opened or backed up (nothing is changed).

    Before anything changes, the SQLite progress database and ``roadmap.md`` are copied to
    ``$QT_HOME/backups/`` (``quant-tutor roadmap restore`` puts them back). Ticks of items whose wording
    changed or that vanished are kept aside and re-attached when a later import brings the item back.
    """
    s = settings or get_settings()
    new = read_roadmap(path)
    with ProgressStore(s.db_url, learner=s.learner, roadmap=new) as store:
        backup = backup_progress(s, reason="import")
        merged, aside, report = merge_with_aside(new, store.check_keys(), datetime.now().astimezone(),
                                                 kept_aside(store))
        store.replace_checks(merged)
        replace_aside(store, aside)
        fields = {f.key: f.value for f in new.tracker if f.value and f.key != "projects_done"}
        for key, value in fields.items():
            try:
                store.set_tracker(**{key: value})
            except Exception as exc:  # a free-text date in the file must not block the import
                log.warning("tracker field %s=%r not imported: %s", key, value, exc)
    target = roadmap_path(s)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".md.tmp")
    tmp.write_text(new.source, encoding="utf-8")
    os.replace(tmp, target)
    log.info("roadmap imported from %s: %s", path, report)
    return ImportReport(target, report.items, report.kept, report.moved, report.dropped, report.from_file,
                        aside=report.aside, reattached=report.reattached, backup=backup)


def export_roadmap(path: str | Path, settings: Settings | None = None) -> Path:
    """Write the learner's roadmap with ``[x]`` marks and the tracker filled in (UTF-8 Markdown)."""
    roadmap = load_roadmap(settings)
    with open_progress(settings, roadmap) as store:
        text = export_markdown(roadmap, store.checked(), store.tracker())
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
