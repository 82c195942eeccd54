"""Progress is never lost: ticks kept aside across imports, and a backup before any import.

* ``qt_checks_aside``: ticks whose item changed wording or vanished in a new roadmap are kept here (with the
  text they were ticked under) instead of being dropped; a later import re-attaches them when the item
  comes back (same id and text, or the unique item with that text).
* :func:`backup_progress` copies an SQLite progress database (SQLite's online backup: consistent even while
  the app writes) and the learner's ``roadmap.md`` to ``$QT_HOME/backups/`` before an import;
  :func:`restore_progress` (``quant-tutor roadmap restore``) puts one back, saving the current state first.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, DateTime, String, Table, delete, insert, select

from knowledge.config import Settings
from knowledge.errors import ProgressError
from knowledge.roadmap.store import ProgressStore, _sqlite_file, metadata

log = logging.getLogger(__name__)

KEEP_BACKUPS = 20

aside_t = Table(
    "qt_checks_aside",
    metadata,
    Column("learner", String(64), primary_key=True),
    Column("item_id", String(64), primary_key=True),
    Column("text_key", String(512), nullable=False, default=""),
    Column("checked_at", DateTime, nullable=False),
)

Checks = dict[str, tuple[str, datetime]]


def kept_aside(store: ProgressStore) -> Checks:
    """Ticks kept from previous roadmaps (id -> (text key, time)), waiting for their item to come back."""
    with store.engine.begin() as conn:
        aside_t.create(conn, checkfirst=True)
        rows = conn.execute(select(aside_t.c.item_id, aside_t.c.text_key, aside_t.c.checked_at)
                            .where(aside_t.c.learner == store.learner)).all()
    return {r[0]: (r[1], r[2].replace(tzinfo=UTC)) for r in rows}


def replace_aside(store: ProgressStore, checks: Checks) -> None:
    """Atomically replace the ticks kept aside for this learner."""
    rows = [{"learner": store.learner, "item_id": i, "text_key": k,
             "checked_at": t.astimezone(UTC).replace(tzinfo=None)} for i, (k, t) in checks.items()]
    with store.engine.begin() as conn:
        aside_t.create(conn, checkfirst=True)
        conn.execute(delete(aside_t).where(aside_t.c.learner == store.learner))
        if rows:
            conn.execute(insert(aside_t), rows)


# -- backups ---------------------------------------------------------------------------------------------


def backup_dir(settings: Settings) -> Path:
    return settings.home / "backups"


def backup_progress(settings: Settings, *, reason: str = "import") -> Path | None:
    """Copy the SQLite progress database (and roadmap.md) to ``backups/``; ``None`` when there is none to copy.

    Raises
    ------
    ProgressError
        The database cannot be copied (the import must then not go on).
    """
    db = _sqlite_file(settings.db_url)
    if db is None:
        log.info("progress database is not SQLite: back it up with your server's tools before an import")
        return None
    if not db.is_file() or db.stat().st_size == 0:
        return None
    folder = backup_dir(settings)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"progress-{stamp}-{reason}.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        roadmap = settings.home / "roadmap.md"
        if roadmap.is_file():
            shutil.copy2(roadmap, target.with_suffix(".md"))
    except (OSError, sqlite3.Error) as exc:
        raise ProgressError(f"cannot back up {db} to {folder} ({exc}); free some space or check that "
                            "QT_HOME is writable; nothing was changed") from exc
    for old in list_backups(settings)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".md").unlink(missing_ok=True)
    log.info("progress backed up to %s", target)
    return target


def list_backups(settings: Settings) -> list[Path]:
    """Backups of the progress database, newest first."""
    return sorted(backup_dir(settings).glob("progress-*.db"), reverse=True)


def restore_progress(settings: Settings, name: str | None = None) -> Path:
    """Put back a backup (the newest, or the one named ``name``); the current state is backed up first.

    Raises
    ------
    ProgressError
        No backup, an unknown name, or a database that is not SQLite.
    """
    db = _sqlite_file(settings.db_url)
    if db is None:
        raise ProgressError("QT_DATABASE_URL is not SQLite: restore it with your database server's tools")
    backups = list_backups(settings)
    if not backups:
        raise ProgressError(f"no backup in {backup_dir(settings)}; one is made before every `roadmap import`")
    chosen = backups[0] if name is None else next((b for b in backups if b.name == name or b.stem == name), None)
    if chosen is None:
        raise ProgressError(f"no backup named {name!r}; choose one of: {', '.join(b.name for b in backups[:5])}")
    if db.is_file() and db.stat().st_size > 0:
        try:
            backup_progress(settings, reason="before-restore")
        except ProgressError as exc:
            log.warning("current progress could not be saved before restoring: %s", exc)
    src = sqlite3.connect(f"{chosen.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(db)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    md = chosen.with_suffix(".md")
    if md.is_file():
        shutil.copy2(md, settings.home / "roadmap.md")
    return chosen
