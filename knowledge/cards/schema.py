"""The explanation card format: pydantic models and the rules a card file must follow.

One YAML file per chapter in ``knowledge/course/cards/NN.yaml``::

    chapter: "27"
    cards:
      - id: "27-why-sqrt-dk"
        section: "Self-attention : scaled dot-product attention"   # a heading of lesson 27
        kind: why
        questions:
          fr: ["Pourquoi divise-t-on par la racine de d_k dans l'attention ?", ...]
          fr_informal: ["pk on divise par racine de dk", ...]
          en: ["Why scale attention scores by sqrt(d_k)?", ...]
        simple: {fr: "...", en: "..."}          # 2-4 sentences, no formula
        standard: {fr: "...", en: "..."}        # 80-200 words: intuition, formula ($...$), example
        facts: {fr: ["...", "..."], en: [...]}  # optional: 1-4 facts a teacher adds, one sentence each
        related: ["27-softmax-saturation"]
        prerequisites: ["produit scalaire", "softmax"]
        misconception:
          fr: {claim: "...", correction: "..."}
          en: {claim: "...", correction: "..."}
        check: |                                 # optional: Python that asserts the card's numbers
          import numpy as np
          assert ...
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CardKind = Literal["what", "why", "how", "diff", "when", "value", "confusion"]
Level = Literal["simple", "standard"]
Lang = Literal["fr", "en"]

ID_RE = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
SIMPLE_SENTENCES = (2, 4)
STANDARD_WORDS = (80, 200)
MIN_QUESTIONS = {"fr": 1, "fr_informal": 2, "en": 1}
MIN_QUESTIONS_TOTAL = 5
FACTS = (1, 4)  # facts per language, when a card has them
FACT_WORDS = 40  # at most, per fact


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Questions(_Strict):
    fr: list[str] = Field(min_length=MIN_QUESTIONS["fr"])
    fr_informal: list[str] = Field(min_length=MIN_QUESTIONS["fr_informal"])
    en: list[str] = Field(min_length=MIN_QUESTIONS["en"])

    def all(self) -> list[tuple[str, str]]:
        """Every phrasing with its style: ``("fr" | "fr_informal" | "en", text)``."""
        return [(style, q) for style in ("fr", "fr_informal", "en") for q in getattr(self, style)]


class Bilingual(_Strict):
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: Lang) -> str:
        return self.fr if lang == "fr" else self.en


class Facts(_Strict):
    """What a teacher adds to the standard answer: the caveat, the remedy, the default, the neighbouring idea."""

    fr: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def get(self, lang: Lang) -> list[str]:
        return self.fr if lang == "fr" else self.en


class Claim(_Strict):
    claim: str = Field(min_length=1)
    correction: str = Field(min_length=1)


class Misconception(_Strict):
    fr: Claim
    en: Claim

    def get(self, lang: Lang) -> Claim:
        return self.fr if lang == "fr" else self.en


class Card(_Strict):
    id: str
    chapter: str = ""  # filled from the file's chapter
    section: str
    kind: CardKind
    questions: Questions
    simple: Bilingual
    standard: Bilingual
    facts: Facts | None = None
    related: list[str] = []
    prerequisites: list[str] = []
    misconception: Misconception
    check: str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(f"card id {v!r} must look like '27-why-sqrt-dk' (chapter, dash, lowercase words)")
        return v

    def answer(self, level: Level, lang: Lang) -> str:
        return getattr(self, level).get(lang)

    def facts_in(self, lang: Lang) -> list[str]:
        """The facts a teacher adds, in ``lang`` (none when the card has no ``facts``)."""
        return self.facts.get(lang) if self.facts is not None else []


class CardFile(_Strict):
    chapter: str
    cards: list[Card]

    @field_validator("chapter")
    @classmethod
    def _chapter_shape(cls, v: str) -> str:
        if not re.fullmatch(r"\d{2}", v):
            raise ValueError(f"chapter {v!r} must be two digits, e.g. '07'")
        return v


def count_sentences(text: str) -> int:
    """Sentences in a short French or English text (ends of sentence outside numbers, "et al.", "e.g.", "i.e.")."""
    parts = re.split(r"(?<=[.!?…])(?<!\bal\.)(?<!\be\.g\.)(?<!\bi\.e\.)\s+(?=[A-ZÀ-ÖØ-Þ«\"(0-9])", text.strip())
    return len([p for p in parts if p.strip()])


def count_words(text: str) -> int:
    """Words of prose, a LaTeX formula counting as the words of its source split on spaces."""
    return len(text.split())


def has_formula(text: str) -> bool:
    return "$" in text or "\\frac" in text or "\\sqrt" in text
