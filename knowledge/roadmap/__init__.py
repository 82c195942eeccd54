"""The learner's roadmap and their progress through it.

``model`` holds the typed roadmap (:class:`Roadmap` -> :class:`Phase` -> :class:`Chapter` -> :class:`Item`),
``parse`` reads the Markdown format into it, ``files`` finds, reads and exports the roadmap file, ``course``
reads chapter hours and prerequisites from the course's front matter, ``store`` keeps checks, study sessions
and the tracker in SQL, and ``progress`` ties the roadmap and the store together (import with kept marks,
summary, "what next?"). Imports only :mod:`knowledge` modules (config, errors, textio).
"""

from __future__ import annotations

from knowledge.roadmap.course import ChapterInfo, chapter_infos
from knowledge.roadmap.files import SHIPPED_ROADMAP, export_markdown, load_roadmap, read_roadmap, roadmap_path
from knowledge.roadmap.model import (
    Chapter,
    Criterion,
    Group,
    Item,
    Pace,
    Phase,
    Project,
    Roadmap,
    TrackerField,
    plain,
    text_key,
)
from knowledge.roadmap.parse import parse_roadmap
from knowledge.roadmap.progress import (
    ImportReport,
    PhaseProgress,
    ProgressSummary,
    export_roadmap,
    import_roadmap,
    merge_checks,
    next_items,
    next_steps,
    open_progress,
    summarize,
    tracker_view,
)
from knowledge.roadmap.safekeeping import backup_progress, list_backups, restore_progress
from knowledge.roadmap.store import ProgressStore, StudySession

__all__ = [
    "backup_progress",
    "list_backups",
    "restore_progress",
    "SHIPPED_ROADMAP",
    "Chapter",
    "ChapterInfo",
    "Criterion",
    "Group",
    "ImportReport",
    "Item",
    "Pace",
    "Phase",
    "PhaseProgress",
    "ProgressStore",
    "ProgressSummary",
    "Project",
    "Roadmap",
    "StudySession",
    "TrackerField",
    "chapter_infos",
    "export_markdown",
    "export_roadmap",
    "import_roadmap",
    "load_roadmap",
    "merge_checks",
    "next_items",
    "next_steps",
    "open_progress",
    "parse_roadmap",
    "plain",
    "read_roadmap",
    "roadmap_path",
    "summarize",
    "text_key",
    "tracker_view",
]
