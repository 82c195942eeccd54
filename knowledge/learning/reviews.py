"""Flashcards reviewed with FSRS-6 (the ``fsrs`` package), stored in the progress database.

Tables: ``qt_flashcards`` (the learner's deck: cards made from explanation cards, and their own), ``qt_fsrs``
(each flashcard's FSRS state as the package serialises it, and its due date) and ``qt_fsrs_logs`` (every review).

A review is one transaction, committed when :meth:`ReviewStore.review` returns. It is idempotent by its key (a
double click records one review); a clock that goes backwards never schedules before the last review; a flashcard
deleted while due is reported, never a crash.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from fsrs import Card, Rating, Scheduler
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from knowledge.errors import ProgressError

RatingName = Literal["again", "hard", "good", "easy"]
RATINGS: dict[str, Rating] = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}

metadata = MetaData()
flashcards_t = Table(
    "qt_flashcards", metadata,
    Column("learner", String(128), primary_key=True),
    Column("id", String(96), primary_key=True),
    Column("front", Text, nullable=False),
    Column("back", Text, nullable=False),
    Column("chapter", String(8)),
    Column("source", String(128), nullable=False, default=""),  # the explanation card id, or "" for their own
    Column("created_at", DateTime, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
)
fsrs_t = Table(
    "qt_fsrs", metadata,
    Column("learner", String(128), primary_key=True),
    Column("card", String(96), primary_key=True),
    Column("state", Text, nullable=False),  # fsrs.Card.to_json()
    Column("due", DateTime, nullable=False, index=True),
    Column("last_review", DateTime),
)
logs_t = Table(
    "qt_fsrs_logs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(128), nullable=False, index=True),
    Column("card", String(96), nullable=False, index=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", DateTime, nullable=False, index=True),
    Column("duration_ms", Integer),
    Column("retrievability", Float),
)


@dataclass(frozen=True)
class Flashcard:
    id: str
    front: str
    back: str
    chapter: str | None
    source: str
    due: datetime
    retrievability: float | None  # None before the first review
    stability: float | None


@dataclass(frozen=True)
class ReviewResult:
    card: str
    rating: RatingName
    due: datetime  # the next review
    interval_days: float
    duplicate: bool = False  # True when this key was already recorded (nothing changed)


def _naive(dt: datetime) -> datetime:
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def open_engine(url: str) -> Engine:
    """The progress database's engine, opened as the progress store opens it: a file that is not ours is refused
    untouched, a new one gets the schema marker, SQLite runs in WAL mode with immediate transactions."""
    from knowledge.roadmap.store import ProgressStore

    return ProgressStore(url).engine


class ReviewStore:
    """One learner's flashcards and their FSRS schedule (desired retention 0.9 by default)."""

    def __init__(self, url: str, *, learner: str = "default", desired_retention: float = 0.9,
                 engine: Engine | None = None) -> None:
        if not 0.7 <= desired_retention <= 0.99:
            raise ProgressError(f"desired retention {desired_retention} is outside 0.70–0.99; set "
                                "QT_DESIRED_RETENTION to e.g. 0.9")
        self.learner = learner
        self.scheduler = Scheduler(desired_retention=desired_retention, enable_fuzzing=False)
        try:
            self.engine = engine or open_engine(url)
            with self.engine.begin() as conn:
                metadata.create_all(conn, checkfirst=True)
        except ProgressError:
            raise
        except SQLAlchemyError as exc:
            if "already exists" not in str(exc):  # another process created the tables first
                raise ProgressError(f"cannot open the review tables in {url!r}: {exc}; check QT_DATABASE_URL") from exc

    # -- the deck -------------------------------------------------------------------------------------------
    def add(self, front: str, back: str, *, chapter: str | None = None, source: str = "",
            card_id: str | None = None, at: datetime | None = None) -> str:
        """Add a flashcard (idempotent for a given id: an existing, even deleted, card is revived unchanged)."""
        front, back = front.strip(), back.strip()
        if not front or not back:
            raise ProgressError("a flashcard needs a question (front) and an answer (back); fill both")
        cid = card_id or f"own:{uuid.uuid4().hex[:12]}"
        now = _naive(at or datetime.now(UTC))
        state = Card(due=_aware(now))
        with self.engine.begin() as conn:
            exists = conn.execute(select(flashcards_t.c.id).where(
                flashcards_t.c.learner == self.learner, flashcards_t.c.id == cid)).first()
            if exists:
                conn.execute(update(flashcards_t).where(flashcards_t.c.learner == self.learner,
                                                        flashcards_t.c.id == cid).values(deleted=False))
                return cid
            try:
                conn.execute(insert(flashcards_t).values(learner=self.learner, id=cid, front=front, back=back,
                                                         chapter=chapter, source=source, created_at=now))
                conn.execute(insert(fsrs_t).values(learner=self.learner, card=cid, state=state.to_json(),
                                                   due=now, last_review=None))
            except IntegrityError:
                pass  # another process added it at the same moment
        return cid

    def delete(self, card_id: str) -> bool:
        """Hide a flashcard from reviews (its history is kept); True when it existed."""
        with self.engine.begin() as conn:
            res = conn.execute(update(flashcards_t).where(flashcards_t.c.learner == self.learner,
                                                          flashcards_t.c.id == card_id).values(deleted=True))
        return bool(res.rowcount)

    def cards(self, *, due_only: bool = False, now: datetime | None = None, limit: int | None = None
              ) -> list[Flashcard]:
        """The deck (due first), with each card's retrievability now."""
        now_aware = _aware(now or datetime.now(UTC))
        q = (select(flashcards_t, fsrs_t.c.state, fsrs_t.c.due)
             .join(fsrs_t, (fsrs_t.c.learner == flashcards_t.c.learner) & (fsrs_t.c.card == flashcards_t.c.id))
             .where(flashcards_t.c.learner == self.learner, flashcards_t.c.deleted.is_(False))
             .order_by(fsrs_t.c.due))
        if due_only:
            q = q.where(fsrs_t.c.due <= _naive(now_aware))
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [self._flashcard(r, now_aware) for r in rows]

    def due_count(self, now: datetime | None = None) -> int:
        now_naive = _naive(now or datetime.now(UTC))
        q = (select(func.count()).select_from(fsrs_t.join(
            flashcards_t, (fsrs_t.c.learner == flashcards_t.c.learner) & (fsrs_t.c.card == flashcards_t.c.id)))
             .where(fsrs_t.c.learner == self.learner, flashcards_t.c.deleted.is_(False), fsrs_t.c.due <= now_naive))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def _flashcard(self, row: Any, now: datetime) -> Flashcard:
        state = Card.from_json(row["state"])
        retr = self.scheduler.get_card_retrievability(state, now) if state.last_review else None
        return Flashcard(row["id"], row["front"], row["back"], row["chapter"], row["source"], _aware(row["due"]),
                         retr, state.stability)

    # -- reviews --------------------------------------------------------------------------------------------
    def review(self, card_id: str, rating: RatingName, *, at: datetime | None = None, key: str | None = None,
               duration_ms: int | None = None) -> ReviewResult:
        """Record a review and reschedule the card. Durable when it returns; a repeated ``key`` changes nothing."""
        if rating not in RATINGS:
            raise ProgressError(f"unknown rating {rating!r}; use again, hard, good or easy")
        when = _aware(at or datetime.now(UTC))
        key = key or uuid.uuid4().hex
        with self.engine.begin() as conn:
            seen = conn.execute(select(logs_t.c.card).where(logs_t.c.key == key)).first()
            row = conn.execute(select(fsrs_t.c.state, flashcards_t.c.deleted).join(
                flashcards_t, (fsrs_t.c.learner == flashcards_t.c.learner) & (fsrs_t.c.card == flashcards_t.c.id))
                .where(fsrs_t.c.learner == self.learner, fsrs_t.c.card == card_id)).first()
            if row is None or row[1]:
                raise ProgressError(f"flashcard {card_id!r} no longer exists (deleted?); it was not reviewed")
            state = Card.from_json(row[0])
            if seen is not None:
                return ReviewResult(card_id, rating, _aware(state.due), 0.0, duplicate=True)
            last = _aware(state.last_review) if state.last_review else None
            when = max(when, last) if last else when  # a clock that goes backwards never reschedules earlier
            retr = self.scheduler.get_card_retrievability(state, when) if last else None
            new, _log = self.scheduler.review_card(state, RATINGS[rating], review_datetime=when)
            conn.execute(update(fsrs_t).where(fsrs_t.c.learner == self.learner, fsrs_t.c.card == card_id)
                         .values(state=new.to_json(), due=_naive(new.due), last_review=_naive(when)))
            conn.execute(insert(logs_t).values(learner=self.learner, card=card_id, key=key, rating=int(RATINGS[rating]),
                                               reviewed_at=_naive(when), duration_ms=duration_ms,
                                               retrievability=retr))
        return ReviewResult(card_id, rating, _aware(new.due), (new.due - when).total_seconds() / 86400)

    def logs(self, card_id: str | None = None) -> list[dict[str, Any]]:
        q = select(logs_t).where(logs_t.c.learner == self.learner).order_by(logs_t.c.reviewed_at, logs_t.c.id)
        if card_id:
            q = q.where(logs_t.c.card == card_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings().all()]

    def state(self, card_id: str) -> Card:
        with self.engine.connect() as conn:
            row = conn.execute(select(fsrs_t.c.state).where(fsrs_t.c.learner == self.learner,
                                                            fsrs_t.c.card == card_id)).first()
        if row is None:
            raise ProgressError(f"flashcard {card_id!r} does not exist")
        return Card.from_json(row[0])

    def export(self) -> list[dict[str, Any]]:
        """Every live flashcard with its FSRS state, as plain data (for Anki export and backups)."""
        return [{"id": c.id, "front": c.front, "back": c.back, "chapter": c.chapter, "source": c.source,
                 "due": c.due.isoformat(), "state": json.loads(self.state(c.id).to_json())} for c in self.cards()]


def open_reviews(settings: Any) -> ReviewStore:
    """The review store of the configured learner and database (``Settings.db_url``, ``desired_retention``)."""
    return ReviewStore(settings.db_url, learner=settings.learner,
                       desired_retention=getattr(settings, "desired_retention", 0.9))
