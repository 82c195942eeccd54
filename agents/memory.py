"""Conversation memory per learner, persisted in SQLite (``$QT_HOME/conversations.db``) through SQLAlchemy.

A learner has conversations (``qt_conversations``: title, created, updated); each turn (``qt_turns``) belongs to
one and keeps in its ``meta`` what the chat shows again on reload (tool calls, citations, flags) and what the
tutor remembers (exercise, hint level). The tutor reads the current conversation only: follow-ups and hint levels
do not leak from one conversation into another.

    memory = Memory(home / "conversations.db")
    cid = memory.new_conversation("alice")
    memory.append("alice", "user", "Qu'est-ce que la VaR ?", conversation=cid)   # titles the conversation
    memory.conversations("alice")            # [ConversationInfo(id, title, created_at, updated_at, turns)]
    memory.turns("alice", cid)               # every turn, oldest first

A database written before conversations existed is migrated when opened: its turns go into one conversation per
learner, titled by the first question. Schema creation and migration run in one ``BEGIN IMMEDIATE`` transaction
under a lock file, so processes opening a fresh (or old) database at once neither fail nor migrate twice.
"""

from __future__ import annotations

import fcntl
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from agents.errors import AgentError
from knowledge.home import unwritable

TITLE_CHARS = 60


class _Base(DeclarativeBase):
    pass


class Conversation(_Base):
    __tablename__ = "qt_conversations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Turn(_Base):
    __tablename__ = "qt_turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner: Mapped[str] = mapped_column(String(64), index=True)
    conversation_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class ConversationInfo:
    """One conversation as the chat's sidebar lists it."""

    id: int
    title: str
    created_at: datetime
    updated_at: datetime
    turns: int


def short_title(message: str, limit: int = TITLE_CHARS) -> str:
    """A conversation's default title: the first question on one line, cut at a word and ended by "…"."""
    head = message.split("```", 1)[0]
    body = head if head.strip() else message
    one_line = re.sub(r"\s+", " ", body.replace("```", " ")).strip()
    if len(one_line) <= limit:
        return one_line
    cut = one_line[: limit - 1].rsplit(" ", 1)[0] if " " in one_line[: limit - 1] else one_line[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def _now() -> datetime:
    return datetime.now(UTC)


class Memory:
    """Each learner's conversations, their turns, and the Socratic hint level reached per exercise."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._engine = create_engine(f"sqlite:///{path}", future=True)

        @event.listens_for(self._engine, "connect")
        def _connect(conn: Any, _: Any) -> None:
            conn.isolation_level = None  # transactions are begun by the "begin" hook below, as BEGIN IMMEDIATE
            conn.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL waits for other processes too
            conn.execute("PRAGMA journal_mode=WAL")

        @event.listens_for(self._engine, "begin")
        def _begin(conn: Connection) -> None:
            # take the write lock at the start of every transaction: two processes reading "no table" (or "no
            # conversation yet") and then both writing cannot happen
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        try:
            # a lock file serialises the creation as well (it also covers the switch to WAL of a fresh file)
            with open(path.with_name(path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    with self._engine.begin() as conn:
                        _Base.metadata.create_all(conn)
                        _migrate(conn)
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

    # -- conversations -------------------------------------------------------------------------------------
    def conversations(self, learner: str) -> list[ConversationInfo]:
        """The learner's conversations, the most recently used first."""
        counts = (select(Turn.conversation_id, func.count(Turn.id).label("n"))
                  .where(Turn.learner == learner).group_by(Turn.conversation_id).subquery())
        query = (select(Conversation, func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.conversation_id == Conversation.id)
                 .where(Conversation.learner == learner)
                 .order_by(Conversation.updated_at.desc(), Conversation.id.desc()))
        with Session(self._engine) as s:
            return [ConversationInfo(c.id, c.title, c.created_at, c.updated_at, int(n)) for c, n in s.execute(query)]

    def new_conversation(self, learner: str, title: str = "") -> int:
        """A new conversation (or the learner's empty untitled one, so repeated clicks do not pile them up)."""
        with Session(self._engine) as s, s.begin():
            if not title:
                empty = s.scalar(select(Conversation.id).where(
                    Conversation.learner == learner, Conversation.title == "",
                    ~select(Turn.id).where(Turn.conversation_id == Conversation.id).exists()))
                if empty is not None:
                    return int(empty)
            conv = Conversation(learner=learner, title=title.strip()[:200], created_at=_now(), updated_at=_now())
            s.add(conv)
            s.flush()
            return conv.id

    def current(self, learner: str, conversation: int | None = None) -> int:
        """``conversation`` if it is one of the learner's, else the one used last (created when there is none)."""
        with Session(self._engine) as s, s.begin():
            if conversation is not None and s.scalar(select(Conversation.id).where(
                    Conversation.id == conversation, Conversation.learner == learner)) is not None:
                return conversation
            last = s.scalar(select(Conversation.id).where(Conversation.learner == learner)
                            .order_by(Conversation.updated_at.desc(), Conversation.id.desc()).limit(1))
            if last is not None:
                return int(last)
            conv = Conversation(learner=learner, title="", created_at=_now(), updated_at=_now())
            s.add(conv)
            s.flush()
            return conv.id

    def rename_conversation(self, learner: str, conversation: int, title: str) -> bool:
        """Give a conversation a new title (blank titles are refused); False if it is not the learner's."""
        title = re.sub(r"\s+", " ", title).strip()[:200]
        if not title:
            return False
        with Session(self._engine) as s, s.begin():
            done = s.execute(update(Conversation).where(Conversation.id == conversation,
                                                        Conversation.learner == learner).values(title=title))
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def delete_conversation(self, learner: str, conversation: int) -> int:
        """Delete a conversation and its turns; returns the number of turns removed."""
        with Session(self._engine) as s, s.begin():
            gone = s.execute(delete(Turn).where(Turn.learner == learner, Turn.conversation_id == conversation))
            s.execute(delete(Conversation).where(Conversation.id == conversation, Conversation.learner == learner))
            return int(gone.rowcount)  # type: ignore[attr-defined]

    # -- turns ---------------------------------------------------------------------------------------------
    def append(self, learner: str, role: str, content: str, meta: dict[str, Any] | None = None, *,
               conversation: int | None = None) -> int:
        """Store one turn in ``conversation`` (default: the learner's current one); returns the conversation.
        The first question of an untitled conversation becomes its title."""
        cid = self.current(learner, conversation)
        with Session(self._engine) as s, s.begin():
            now = _now()
            s.add(Turn(learner=learner, conversation_id=cid, role=role, content=content,
                       meta=json.loads(json.dumps(meta or {}, default=str)), created_at=now))
            values: dict[str, Any] = {"updated_at": now}
            conv = s.get(Conversation, cid)
            if role == "user" and conv is not None and not conv.title and content.strip():
                values["title"] = short_title(content)
            s.execute(update(Conversation).where(Conversation.id == cid).values(**values))
        return cid

    def turns(self, learner: str, conversation: int) -> list[Turn]:
        """Every turn of one conversation, oldest first."""
        with Session(self._engine) as s:
            rows = s.scalars(select(Turn).where(Turn.learner == learner, Turn.conversation_id == conversation)
                             .order_by(Turn.id)).all()
            s.expunge_all()
        return list(rows)

    def recent(self, learner: str, n: int = 10, conversation: int | None = None) -> list[Turn]:
        """The last ``n`` turns, oldest first: of one conversation, or of all the learner's when it is None."""
        query = select(Turn).where(Turn.learner == learner)
        if conversation is not None:
            query = query.where(Turn.conversation_id == conversation)
        with Session(self._engine) as s:
            rows = s.scalars(query.order_by(Turn.id.desc()).limit(n)).all()
            s.expunge_all()
        return list(reversed(rows))

    def last_tool_call(self, learner: str, conversation: int | None = None) -> dict[str, Any] | None:
        for turn in reversed(self.recent(learner, 10, conversation)):
            calls = (turn.meta or {}).get("tool_calls") or []
            if turn.role == "assistant" and calls:
                return dict(calls[-1])
        return None

    def hint_level(self, learner: str, exercise_id: str, conversation: int | None = None) -> int:
        """How many hints this learner already got for this exercise (the next level to give)."""
        query = select(Turn).where(Turn.learner == learner, Turn.role == "assistant")
        if conversation is not None:
            query = query.where(Turn.conversation_id == conversation)
        with Session(self._engine) as s:
            return sum(1 for t in s.scalars(query).all() if (t.meta or {}).get("hint_for") == exercise_id)

    def last_exercise(self, learner: str, conversation: int | None = None) -> str | None:
        for turn in reversed(self.recent(learner, 20, conversation)):
            ex = (turn.meta or {}).get("exercise_id") or (turn.meta or {}).get("hint_for")
            if ex:
                return str(ex)
        return None

    def clear(self, learner: str) -> int:
        """Forget all the learner's conversations; returns the number of turns removed."""
        with Session(self._engine) as s, s.begin():
            gone = s.execute(delete(Turn).where(Turn.learner == learner))
            s.execute(delete(Conversation).where(Conversation.learner == learner))
            return int(gone.rowcount)  # type: ignore[attr-defined]


def _migrate(conn: Connection) -> None:
    """Bring a database of an older version up to date (inside the caller's transaction): turns without a
    conversation go into one conversation per learner, titled by the learner's first question."""
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(qt_turns)")}
    if "conversation_id" not in columns:
        conn.exec_driver_sql("ALTER TABLE qt_turns ADD COLUMN conversation_id INTEGER")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_qt_turns_conversation_id ON qt_turns (conversation_id)")
    orphans = conn.execute(text(
        "SELECT learner, MIN(created_at), MAX(created_at) FROM qt_turns WHERE conversation_id IS NULL "
        "GROUP BY learner")).all()
    for learner, first, last in orphans:
        question = conn.execute(text(
            "SELECT content FROM qt_turns WHERE conversation_id IS NULL AND learner = :l AND role = 'user' "
            "ORDER BY id LIMIT 1"), {"l": learner}).scalar()
        cid = conn.execute(insert(Conversation).values(
            learner=learner, title=short_title(question or ""), created_at=_parse(first), updated_at=_parse(last),
        )).inserted_primary_key[0]  # type: ignore[index]
        conn.execute(text("UPDATE qt_turns SET conversation_id = :c WHERE conversation_id IS NULL AND learner = :l"),
                     {"c": cid, "l": learner})


def _parse(stamp: Any) -> datetime:
    """A timestamp read with raw SQL (SQLite returns text)."""
    if isinstance(stamp, datetime):
        return stamp
    try:
        return datetime.fromisoformat(str(stamp))
    except ValueError:
        return _now()
