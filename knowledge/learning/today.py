"""The "Aujourd'hui" summary: reviews due, this week's plan, one thing to practise, time studied, the streak.

Mastery steers the suggestion: a chapter already started whose mastery is fragile comes first (a review quiz);
otherwise the chapter of the next roadmap item whose prerequisites are not fragile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from knowledge.config import Settings
from knowledge.learning.mastery import EvidenceStore, Mastery
from knowledge.learning.reviews import ReviewStore
from knowledge.roadmap import chapter_infos, load_roadmap, next_items, open_progress


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "quiz" (a chapter quiz) or "review" (a fragile chapter to consolidate)
    chapter: str
    reason: str  # in French, for the learner


@dataclass
class Today:
    reviews_due: int
    next_items: list[str]  # "27.3 — Implémenter …" (the next unchecked roadmap items)
    suggestion: Suggestion | None
    minutes_this_week: int
    streak_days: int
    mastery: dict[str, Mastery] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "reviews_due": self.reviews_due, "next_items": self.next_items,
            "suggestion": None if self.suggestion is None else vars(self.suggestion),
            "minutes_this_week": self.minutes_this_week, "streak_days": self.streak_days,
            "mastery": {c: {"score": m.score, "level": m.level} for c, m in self.mastery.items()},
        }


def streak(days: set[date], today: date) -> int:
    """Consecutive days with study ending today (or yesterday, when today has nothing yet)."""
    day = today if today in days else today - timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= timedelta(days=1)
    return n


def suggest(mastery: dict[str, Mastery], next_chapter: str | None, prerequisites: dict[str, list[str]]
            ) -> Suggestion | None:
    """A fragile chapter first (a review), else the next chapter whose prerequisites hold, else None."""
    fragile = [m for m in mastery.values() if m.level == "fragile" and m.evidence > 0]
    if fragile:
        weakest = min(fragile, key=lambda m: m.score)
        return Suggestion("review", weakest.chapter,
                          f"Le chapitre {weakest.chapter} est fragile ({weakest.score:.0%}) : un quiz de révision "
                          "le consolide avant d'avancer.")
    if next_chapter is None:
        return None
    weak = [p for p in prerequisites.get(next_chapter, []) if p in mastery and mastery[p].level == "fragile"]
    if weak:
        return Suggestion("review", weak[0], f"Avant le chapitre {next_chapter}, consolide son prérequis {weak[0]}.")
    return Suggestion("quiz", next_chapter, f"Le chapitre {next_chapter} est le prochain de ta feuille de route.")


def today_summary(settings: Settings, now: datetime | None = None) -> Today:
    """Everything the home page shows, read from the progress database."""
    now = now or datetime.now(UTC)
    roadmap = load_roadmap(settings)
    with open_progress(settings, roadmap) as store:
        checked = store.checked()
        minutes = store.minutes_in_week(now.date())
        days = {s.day for s in store.sessions(since=now.date() - timedelta(days=400))}
        engine = store.engine
        reviews = ReviewStore(settings.db_url, learner=settings.learner, engine=engine)
        evidence = EvidenceStore(engine, learner=settings.learner)
        due = reviews.due_count(now)
        days |= {log["reviewed_at"].date() for log in reviews.logs()}
        items = next_items(roadmap, checked, 3)
        chapters = [c.number for c in roadmap.chapters]
        mastery = evidence.mastery(chapters, now)
    infos = chapter_infos(roadmap)
    prereqs = {n: list(i.prerequisites) for n, i in infos.items()}
    next_chapter = items[0].id.split(".")[0].zfill(2) if items else None
    started = {c: m for c, m in mastery.items() if m.evidence > 0}
    return Today(due, [f"{it.id} — {it.text}" for it in items], suggest(started, next_chapter, prereqs), minutes,
                 streak(days, now.date()), started)
