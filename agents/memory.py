"""Conversation memory per learner, persisted in SQLite (``$QT_HOME/conversations.db``) through SQLAlchemy."""

from __future__ import annotations

import fcntl
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, create_engine, event, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from agents.errors import AgentError
from knowledge.home import unwritable


class _Base(DeclarativeBase):
    pass


class Turn(_Base):
    __tablename__ = "qt_turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Memory:
    """Turns of each learner's conversation, and the Socratic hint level reached per exercise."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._engine = create_engine(f"sqlite:///{path}", future=True)

        @event.listens_for(self._engine, "connect")
        def _wal(conn: Any, _: Any) -> None:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=5000")

        try:
            # two tutors starting at once on a fresh QT_HOME both see "no table" then both CREATE TABLE: the
            # second one failed with "table qt_turns already exists". A lock file serialises the creation.
            with open(path.with_name(path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    _Base.metadata.create_all(self._engine)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
        except (DatabaseError, OSError) as exc:
            if (problem := unwritable(path.parent)) is not None:
                raise problem from exc  # a read-only QT_HOME, said with its fix
            if isinstance(exc, OSError):
                raise
            raise AgentError(
                f"{path} is not a conversation database ({exc.orig}); move it away or set QT_HOME"
            ) from exc

    def append(self, learner: str, role: str, content: str, meta: dict[str, Any] | None = None) -> None:
        with Session(self._engine) as s, s.begin():
            s.add(Turn(learner=learner, role=role, content=content, meta=json.loads(json.dumps(meta or {},
                       default=str)), created_at=datetime.now(UTC)))

    def recent(self, learner: str, n: int = 10) -> list[Turn]:
        with Session(self._engine) as s:
            rows = s.scalars(select(Turn).where(Turn.learner == learner).order_by(Turn.id.desc()).limit(n)).all()
            s.expunge_all()
        return list(reversed(rows))

    def last_tool_call(self, learner: str) -> dict[str, Any] | None:
        for turn in reversed(self.recent(learner, 10)):
            calls = (turn.meta or {}).get("tool_calls") or []
            if turn.role == "assistant" and calls:
                return dict(calls[-1])
        return None

    def hint_level(self, learner: str, exercise_id: str) -> int:
        """How many hints this learner already got for this exercise (the next level to give)."""
        with Session(self._engine) as s:
            rows = s.scalars(select(Turn).where(Turn.learner == learner, Turn.role == "assistant")).all()
            return sum(1 for t in rows if (t.meta or {}).get("hint_for") == exercise_id)

    def last_exercise(self, learner: str) -> str | None:
        for turn in reversed(self.recent(learner, 20)):
            ex = (turn.meta or {}).get("exercise_id") or (turn.meta or {}).get("hint_for")
            if ex:
                return str(ex)
        return None

    def clear(self, learner: str) -> int:
        with Session(self._engine) as s, s.begin():
            rows = s.scalars(select(Turn).where(Turn.learner == learner)).all()
            for r in rows:
                s.delete(r)
            return len(rows)
