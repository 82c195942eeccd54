"""What matching a question returns (:class:`CardMatch`), and questions that ask two things.

A learner often asks two things at once ("c quoi le kv cache et pk ca bouffe autant de memoire ?"): the index
matches the whole question and each of its parts (:func:`question_parts`), and :func:`combine_parts` keeps the
whole question's card unless a part finds a confident one where the whole found none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from knowledge.cards.schema import Card


@dataclass(frozen=True)
class CardMatch:
    """The best card for a question and the probability that it is the right one (``vector``: the question's
    embedding, for finding the related card closest to it)."""

    card: Card
    confidence: float
    runner_up: Card | None = None
    runner_up_confidence: float = 0.0
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


# -- questions asking two things ------------------------------------------------------------------------------
CONFIDENT = 0.3  # a card this probable answers (agents.explain.CARD_CONFIDENCE is this value)
PART_CONFIDENCE = 0.45  # a part of the question matching another card this well brings it as the runner-up
PART_MIN_WORDS = 3
MAX_PARTS = 4  # a long message is not matched sentence by sentence
# sentence ends, and a conjunction opening a second question ("... et pk ...", "... and why ...")
_PART_SPLIT = re.compile(
    r"(?<=[?!;])\s+|(?<=[^.\d][.])\s+|\s*,?\s+(?=(?:et|mais|puis|and|but|also)\s+"
    r"(?:pk|pq|pourquoi|comment|quand|c'?est quoi|c quoi|qu'?est[- ]ce|est[- ]ce|why|how|what|when|which|should|"
    r"is it|do i|does)\b)", re.IGNORECASE)


def question_parts(text: str) -> list[str]:
    """The parts of a question that asks several things (sentences, "... et pk ..."), each of at least
    ``PART_MIN_WORDS`` words, at most ``MAX_PARTS``; an empty list when it asks one thing."""
    parts = [p.strip(" ,") for p in _PART_SPLIT.split(text or "") if p and p.strip(" ,")]
    parts = [p for p in parts if len(p.split()) >= PART_MIN_WORDS]
    return parts[:MAX_PARTS] if len(parts) > 1 else []


def combine_parts(whole: CardMatch | None, parts: list[CardMatch]) -> CardMatch | None:
    """The whole question's match, corrected by its parts' matches.

    When the whole question finds no confident card, the best confident part answers (the whole's card stays as
    the runner-up when it is likelier than the others). A part confidently matching another card
    (``PART_CONFIDENCE``) replaces a less likely runner-up: the question asked for it too.
    """
    if whole is None:
        return None
    best = max(parts, key=lambda m: m.confidence, default=None)
    main, main_conf = whole.card, whole.confidence
    runner, runner_conf = whole.runner_up, whole.runner_up_confidence
    if best is not None and main_conf < CONFIDENT <= best.confidence and best.confidence > main_conf:
        runner, runner_conf = main, main_conf
        main, main_conf = best.card, best.confidence
    for m in sorted(parts, key=lambda m: -m.confidence):
        if m.card.id != main.id and m.confidence >= PART_CONFIDENCE and m.confidence > runner_conf:
            runner, runner_conf = m.card, m.confidence
            break
    return CardMatch(main, main_conf, runner, runner_conf)
