"""Learner progress in SQL (SQLite WAL by default, any SQLAlchemy URL such as PostgreSQL for a team).

Tables (all prefixed ``qt_``): ``qt_meta`` (schema marker), ``qt_checks`` (learner, item id, text key, checked
at), ``qt_sessions`` (study sessions: day, minutes, chapter), ``qt_tracker`` (the roadmap tracker's fields).

Durability: every write is its own transaction, committed before the call returns; SQLite runs in WAL mode
with ``synchronous=FULL``, ``busy_timeout`` and ``BEGIN IMMEDIATE`` so that concurrent processes queue instead
of failing or losing writes. A file that is not an SQLite database, a corrupt one, or an SQLite database of
another application raises :class:`~knowledge.errors.ProgressError` and is never written to.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from knowledge.errors import ProgressError
from knowledge.home import unwritable
from knowledge.roadmap.model import Roadmap

log = logging.getLogger(__name__)

SCHEMA = "quant-tutor-progress"
SCHEMA_VERSION = "1"
TRACKER_KEYS = ("start_date", "current_phase", "hours_this_week", "projects_done", "target_date")
_DATE_KEYS = ("start_date", "target_date")
_SQLITE_MAGIC = b"SQLite format 3\x00"

metadata = MetaData()
meta_t = Table("qt_meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))
checks_t = Table(
    "qt_checks",
    metadata,
    Column("learner", String(128), primary_key=True),
    Column("item_id", String(32), primary_key=True),
    Column("text_key", Text, nullable=False, default=""),
    Column("checked_at", DateTime, nullable=False),
)
sessions_t = Table(
    "qt_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(128), nullable=False, index=True),
    Column("day", Date, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("chapter", String(8)),
    Column("note", Text, nullable=False, default=""),
)
tracker_t = Table(
    "qt_tracker",
    metadata,
    Column("learner", String(128), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


@dataclass(frozen=True)
class StudySession:
    """A logged study session."""

    day: date
    minutes: int
    chapter: str | None = None
    note: str = ""


_FRESH_S = 10.0  # a 0-byte database younger than this is being created by another process


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return None
    return Path(u.database)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not our SQLite database, reading it only (read-only connection).

    Raises
    ------
    ProgressError
        Not SQLite, corrupt, or SQLite of another application. The file is left untouched.
    """
    if not path.exists():
        return
    fix = "move it away, or point QT_HOME or QT_DATABASE_URL elsewhere; it was left untouched"
    if path.is_file() and path.stat().st_size == 0:
        if time.time() - path.stat().st_mtime < _FRESH_S:  # another process is creating it right now
            return
        raise ProgressError(f"{path} is empty (0 bytes): the progress it held is lost, not silently replaced. "
                            "Restore the last backup with `quant-tutor roadmap restore`, or delete the file to "
                            "start afresh")
    if not os.access(path, os.R_OK):
        raise ProgressError(f"{path} cannot be read (permissions); fix them with `chmod u+rw {path}`; {fix}")
    if not path.is_file():
        raise ProgressError(f"{path} is not a file; {fix}")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head != _SQLITE_MAGIC:
        raise ProgressError(f"{path} is not an SQLite database (progress.db expected); {fix}")
    con = None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "qt_meta" not in tables:
            raise ProgressError(
                f"{path} is an SQLite database of another application "
                f"(tables: {', '.join(sorted(tables))}); {fix}"
            )
        if tables:
            row = con.execute("SELECT value FROM qt_meta WHERE key='schema'").fetchone()
            if row is None or row[0] != SCHEMA:
                raise ProgressError(f"{path} has a qt_meta table but no quant-tutor schema marker; {fix}")
            status = con.execute("PRAGMA quick_check").fetchone()
            if status is None or status[0] != "ok":
                raise ProgressError(f"{path} is corrupt ({status}); restore a backup or {fix}")
    except sqlite3.DatabaseError as exc:
        raise ProgressError(
            f"{path} is a corrupt SQLite database ({exc}); restore a backup or {fix}"
        ) from exc
    finally:
        if con is not None:
            con.close()


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class ProgressStore:
    """Item checks, study sessions and tracker fields of one learner.

    Parameters
    ----------
    url
        SQLAlchemy URL, e.g. ``Settings.db_url`` (``sqlite:///$QT_HOME/progress.db``).
    learner
        Learner id (``Settings.learner``); several learners can share one database.
    roadmap
        When given, ids are validated against it (unknown ids raise ``RoadmapError``) and each check stores
        the item's text key so that progress survives a re-import of an edited roadmap.

    Raises
    ------
    ProgressError
        When the database cannot be opened or is not ours (the file is then left untouched).
    """

    def __init__(self, url: str, *, learner: str = "default", roadmap: Roadmap | None = None) -> None:
        self.url = url
        self.learner = learner
        self.roadmap = roadmap
        path = _sqlite_file(url)
        try:
            if path is not None:
                check_sqlite_file(path)
                path.parent.mkdir(parents=True, exist_ok=True)
                self.engine = _sqlite_engine(url)
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
            with self.engine.begin() as conn:
                metadata.create_all(conn)
                if conn.execute(select(meta_t.c.value).where(meta_t.c.key == "schema")).first() is None:
                    conn.execute(
                        insert(meta_t),
                        [{"key": "schema", "value": SCHEMA}, {"key": "version", "value": SCHEMA_VERSION}],
                    )
        except (ProgressError, SQLAlchemyError, OSError) as exc:
            if path is not None and (problem := unwritable(path.parent)) is not None:
                raise problem from exc  # read-only, not corrupt
            if isinstance(exc, ProgressError):
                raise
            shown = make_url(url).render_as_string(hide_password=True)
            raise ProgressError(
                f"cannot open the progress database {shown!r}: {exc}; check QT_DATABASE_URL "
                "and that QT_HOME is writable"
            ) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checks ----------------------------------------------------------------------------------------------
    def _key(self, item_id: str) -> str:
        return self.roadmap.item(item_id).key if self.roadmap is not None else ""

    def check(self, item_id: str, *, at: datetime | None = None) -> datetime:
        """Mark an item done (idempotent: the first time is kept). Committed when this returns."""
        item_id = item_id.strip()
        key = self._key(item_id)
        when = (at or _utcnow()).astimezone(UTC).replace(tzinfo=None)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(checks_t).values(
                        learner=self.learner, item_id=item_id, text_key=key, checked_at=when
                    )
                )
        except IntegrityError:
            pass  # already checked
        except SQLAlchemyError as exc:
            raise ProgressError(f"cannot save the check of {item_id}: {exc}") from exc
        return self.checked()[item_id]

    def uncheck(self, item_id: str) -> bool:
        """Clear an item; True when it was checked."""
        item_id = item_id.strip()
        self._key(item_id)
        with self._tx() as conn:
            res = conn.execute(
                delete(checks_t).where(checks_t.c.learner == self.learner, checks_t.c.item_id == item_id)
            )
        return bool(res.rowcount)

    def checked(self) -> dict[str, datetime]:
        """Checked item ids with their (UTC) timestamps."""
        with self._tx() as conn:
            rows = conn.execute(
                select(checks_t.c.item_id, checks_t.c.checked_at).where(checks_t.c.learner == self.learner)
            ).all()
        return {r[0]: r[1].replace(tzinfo=UTC) for r in rows}

    def check_keys(self) -> dict[str, tuple[str, datetime]]:
        """Checked ids with the text key they were checked under (used by roadmap import)."""
        with self._tx() as conn:
            rows = conn.execute(
                select(checks_t.c.item_id, checks_t.c.text_key, checks_t.c.checked_at).where(
                    checks_t.c.learner == self.learner
                )
            ).all()
        return {r[0]: (r[1], r[2].replace(tzinfo=UTC)) for r in rows}

    def replace_checks(self, checks: dict[str, tuple[str, datetime]]) -> None:
        """Atomically replace all checks of this learner (id -> (text key, time))."""
        rows = [
            {
                "learner": self.learner,
                "item_id": i,
                "text_key": k,
                "checked_at": t.astimezone(UTC).replace(tzinfo=None),
            }
            for i, (k, t) in checks.items()
        ]
        with self._tx() as conn:
            conn.execute(delete(checks_t).where(checks_t.c.learner == self.learner))
            if rows:
                conn.execute(insert(checks_t), rows)

    # -- study sessions --------------------------------------------------------------------------------------
    def log_session(
        self, minutes: int, *, day: date | None = None, chapter: str | None = None, note: str = ""
    ) -> StudySession:
        """Record a study session of ``minutes`` (> 0) on ``day`` (default today)."""
        if minutes <= 0 or minutes > 24 * 60:
            raise ProgressError(f"minutes must be between 1 and 1440, got {minutes}")
        if chapter is not None and chapter.strip().isdigit():
            chapter = f"{int(chapter):02d}"
        session = StudySession(day or date.today(), int(minutes), chapter, note)
        with self._tx() as conn:
            conn.execute(
                insert(sessions_t).values(
                    learner=self.learner, day=session.day, minutes=session.minutes, chapter=chapter, note=note
                )
            )
        return session

    def sessions(self, since: date | None = None, until: date | None = None) -> list[StudySession]:
        """Sessions between two days (inclusive), oldest first."""
        q = select(sessions_t.c.day, sessions_t.c.minutes, sessions_t.c.chapter, sessions_t.c.note).where(
            sessions_t.c.learner == self.learner
        )
        if since is not None:
            q = q.where(sessions_t.c.day >= since)
        if until is not None:
            q = q.where(sessions_t.c.day <= until)
        with self._tx() as conn:
            rows = conn.execute(q.order_by(sessions_t.c.day, sessions_t.c.id)).all()
        return [StudySession(r[0], r[1], r[2], r[3]) for r in rows]

    def minutes_in_week(self, day: date | None = None) -> int:
        """Minutes logged in the Monday-to-Sunday week containing ``day`` (default today)."""
        d = day or date.today()
        monday = d - timedelta(days=d.weekday())
        q = select(func.coalesce(func.sum(sessions_t.c.minutes), 0)).where(
            sessions_t.c.learner == self.learner,
            sessions_t.c.day >= monday,
            sessions_t.c.day <= monday + timedelta(days=6),
        )
        with self._tx() as conn:
            return int(conn.execute(q).scalar_one())

    # -- tracker ---------------------------------------------------------------------------------------------
    def tracker(self) -> dict[str, str]:
        """Stored tracker fields (only those set)."""
        with self._tx() as conn:
            rows = conn.execute(
                select(tracker_t.c.key, tracker_t.c.value).where(tracker_t.c.learner == self.learner)
            ).all()
        return {r[0]: r[1] for r in rows}

    def set_tracker(self, **fields: str | date | float | None) -> dict[str, str]:
        """Set tracker fields (``start_date``, ``current_phase``, ``hours_this_week``, ``target_date``...).

        ``None`` or ``""`` clears a field. Dates must be ISO ``YYYY-MM-DD``.
        """
        clean: dict[str, str | None] = {}
        for key, value in fields.items():
            if key not in TRACKER_KEYS:
                raise ProgressError(f"unknown tracker field {key!r}; use one of {', '.join(TRACKER_KEYS)}")
            text = (
                "" if value is None else value.isoformat() if isinstance(value, date) else str(value).strip()
            )
            if text and key in _DATE_KEYS:
                try:
                    date.fromisoformat(text)
                except ValueError as exc:
                    raise ProgressError(f"{key} must be a date like 2025-01-06, got {text!r}") from exc
            clean[key] = text or None
        with self._tx() as conn:
            for key, new in clean.items():
                conn.execute(
                    delete(tracker_t).where(tracker_t.c.learner == self.learner, tracker_t.c.key == key)
                )
                if new is not None:
                    conn.execute(insert(tracker_t).values(learner=self.learner, key=key, value=new))
        return self.tracker()

    # -- plumbing --------------------------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """One committed transaction; database errors become ProgressError."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise ProgressError(f"progress database {self.url!r}: {exc}; check that it is reachable") from exc

