"""Mastery per chapter from the evidence the learner leaves: quiz answers, exercise checks and flashcard reviews.

Each piece of evidence is a success or a failure at a moment; older evidence weighs less (half-life
``HALF_LIFE_DAYS``). Mastery is the posterior mean of a Beta prior that starts sceptical:

.. math:: m = \\frac{a_0 + \\sum_i w_i s_i}{a_0 + b_0 + \\sum_i w_i}, \\qquad w_i = 2^{-\\text{age}_i / h}

with :math:`a_0 = 1, b_0 = 2`: three lucky answers give 0.67, not mastery (0.8 needs about eight recent
successes in a row, or many more with a few mistakes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Boolean, Column, DateTime, Engine, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from knowledge.errors import ProgressError

PRIOR_SUCCESS, PRIOR_FAILURE = 1.0, 2.0
HALF_LIFE_DAYS = 45.0
MASTERED, FRAGILE = 0.8, 0.45
MIN_EVIDENCE_FRAGILE = 2.0  # one wrong answer is not yet a fragile chapter
Source = Literal["quiz", "exercise", "review"]
Level = Literal["non commencé", "fragile", "en cours", "maîtrisé"]

metadata = MetaData()
evidence_t = Table(
    "qt_evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(128), nullable=False, index=True),
    Column("chapter", String(8), nullable=False, index=True),
    Column("source", String(16), nullable=False),
    Column("item", String(128), nullable=False),
    Column("success", Boolean, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("key", String(64), nullable=False, unique=True),
)


@dataclass(frozen=True)
class Evidence:
    chapter: str
    source: str
    item: str
    success: bool
    at: datetime


@dataclass(frozen=True)
class Mastery:
    chapter: str
    score: float  # posterior mean, 0..1
    evidence: float  # weighted amount of evidence
    level: Level


def mastery_of(evidence: list[Evidence], chapter: str, now: datetime) -> Mastery:
    """Mastery of one chapter from its evidence, seen at ``now``."""
    a, b = PRIOR_SUCCESS, PRIOR_FAILURE
    weight = 0.0
    for e in evidence:
        if e.chapter != chapter:
            continue
        age = max((now - e.at).total_seconds() / 86400, 0.0)
        w = 0.5 ** (age / HALF_LIFE_DAYS)
        weight += w
        a, b = (a + w, b) if e.success else (a, b + w)
    score = a / (a + b)
    if weight == 0:
        level: Level = "non commencé"
    elif score >= MASTERED:
        level = "maîtrisé"
    elif score < FRAGILE and weight >= MIN_EVIDENCE_FRAGILE:
        level = "fragile"
    else:
        level = "en cours"
    return Mastery(chapter, round(score, 4), round(weight, 3), level)


class EvidenceStore:
    """Append-only evidence of one learner, in the progress database; a repeated key is recorded once."""

    def __init__(self, engine: Engine, *, learner: str = "default") -> None:
        self.engine, self.learner = engine, learner
        try:
            with engine.begin() as conn:
                metadata.create_all(conn, checkfirst=True)
        except SQLAlchemyError as exc:
            if "already exists" not in str(exc):
                raise ProgressError(f"cannot open the evidence table: {exc}; check QT_DATABASE_URL") from exc

    def record(self, chapter: str, source: Source, item: str, success: bool, *, at: datetime | None = None,
               key: str | None = None) -> bool:
        """Record one success or failure; False when this key was already recorded (a double click)."""
        when = (at or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(evidence_t).values(learner=self.learner, chapter=chapter, source=source,
                                                       item=item, success=success, at=when,
                                                       key=key or uuid.uuid4().hex))
        except IntegrityError:
            return False
        return True

    def evidence(self, chapter: str | None = None) -> list[Evidence]:
        q = select(evidence_t).where(evidence_t.c.learner == self.learner).order_by(evidence_t.c.at)
        if chapter:
            q = q.where(evidence_t.c.chapter == chapter)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [Evidence(r["chapter"], r["source"], r["item"], bool(r["success"]), r["at"].replace(tzinfo=UTC))
                for r in rows]

    def mastery(self, chapters: list[str], now: datetime | None = None) -> dict[str, Mastery]:
        ev = self.evidence()
        when = now or datetime.now(UTC)
        return {c: mastery_of(ev, c, when) for c in chapters}
