"""Load the shipped explanation cards: every valid card, a malformed file or card skipped with a warning."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.cards.schema import Card

log = logging.getLogger(__name__)
CARDS_DIR = Path(__file__).resolve().parent.parent / "course" / "cards"


@dataclass
class CardLibrary:
    """The cards by id, in file order, with a fingerprint of their content."""

    cards: list[Card]
    fingerprint: str
    skipped: list[str] = field(default_factory=list)  # "file: reason", for the logs and the linter test

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.cards}

    def __len__(self) -> int:
        return len(self.cards)

    def get(self, card_id: str) -> Card | None:
        return self.by_id.get(card_id)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


def _load_file(path: Path, skipped: list[str]) -> list[Card]:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        skipped.append(f"{path}: {exc}")
        log.warning("card file %s skipped: %s (run `quant-tutor content lint`)", path, exc)
        return []
    if not isinstance(data, dict) or not isinstance(data.get("cards"), list):
        skipped.append(f"{path}: no `cards:` list")
        log.warning("card file %s skipped: it has no `cards:` list", path)
        return []
    chapter = str(data.get("chapter", path.stem))
    cards = []
    for i, raw in enumerate(data["cards"]):
        try:
            card = Card.model_validate(raw)
        except ValidationError as exc:
            skipped.append(f"{path}: card {i + 1}: {exc.errors()[0]['msg']}")
            log.warning("card %d of %s skipped: %s", i + 1, path, exc.errors()[0]["msg"])
            continue
        card.chapter = chapter
        cards.append(card)
    return cards


def load_cards(folder: Path = CARDS_DIR) -> CardLibrary:
    """Every valid card of ``folder/*.yaml``; a later duplicate id is skipped with a warning.

    Read once per process and again only when a file changes (name, size or modification time).
    """
    stamp = tuple((p.name, st.st_size, st.st_mtime_ns) for p in sorted(folder.glob("*.yaml"))
                  for st in [p.stat()])
    cached = _CACHE.get(str(folder))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    library = _read_cards(folder)
    _CACHE[str(folder)] = (stamp, library)
    return library


_CACHE: dict[str, tuple[tuple[tuple[str, int, int], ...], CardLibrary]] = {}


def _read_cards(folder: Path) -> CardLibrary:
    skipped: list[str] = []
    cards: list[Card] = []
    seen: set[str] = set()
    digest = hashlib.sha1()
    for path in sorted(folder.glob("*.yaml")):
        try:
            digest.update(path.name.encode() + path.read_bytes())
        except OSError:
            pass
        for card in _load_file(path, skipped):
            if card.id in seen:
                skipped.append(f"{path}: duplicate id {card.id}")
                log.warning("card %s in %s skipped: duplicate id", card.id, path)
                continue
            seen.add(card.id)
            cards.append(card)
    return CardLibrary(cards, digest.hexdigest()[:16], skipped)


@dataclass(frozen=True)
class Lesson:
    source: str  # as the ingest names it: knowledge/course/NN-slug.md
    title: str  # the lesson's first heading: "Chapitre 27 — Transformer Architecture"


@lru_cache(maxsize=64)
def lesson_of(chapter: str) -> Lesson | None:
    """The lesson file of a chapter, named as the course store names it."""
    course = CARDS_DIR.parent
    found = sorted(course.glob(f"{chapter}-*.md"))
    if not found:
        return None
    title = next((line[2:].strip() for line in found[0].read_text("utf-8").splitlines() if line.startswith("# ")),
                 found[0].stem)
    return Lesson(f"knowledge/course/{found[0].name}", title)


@lru_cache(maxsize=1024)
def section_text(chapter: str, section: str) -> str:
    """The text of a lesson section (its heading line to the next heading of the same or a higher level)."""
    course = CARDS_DIR.parent
    found = sorted(course.glob(f"{chapter}-*.md"))
    if not found:
        return ""
    lines = found[0].read_text("utf-8").splitlines()
    out: list[str] = []
    level = 0
    for line in lines:
        hashes = len(line) - len(line.lstrip("#"))
        is_heading = 0 < hashes <= 4 and line[hashes:hashes + 1] == " "
        if level and is_heading and hashes <= level:
            break
        if not level and is_heading and line[hashes:].strip() == section.strip():
            level = hashes
            continue
        if level:
            out.append(line)
    return "\n".join(out).strip()
