"""Run the ``check`` code of explanation cards: each card's numbers recomputed independently.

``quant-tutor content lint [--chapter NN]`` runs them (with the linters); the test suite runs every check.
"""

from __future__ import annotations

import contextlib
import io
import traceback

from knowledge.cards.library import CARDS_DIR
from knowledge.cards.lint import parse_file
from knowledge.cards.schema import Card


def run_check(card: Card) -> str | None:
    """None when the card's check passes (or it has none), else the failure's last lines. What the check prints
    is kept out of the linter's report (a check may show a value on purpose: "print(x) is not return x")."""
    if not card.check:
        return None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(card.check, f"<check {card.id}>", "exec"), {"__name__": f"check_{card.id}"})  # noqa: S102
    except Exception:  # noqa: BLE001 - any failure of the check is the card's problem, reported with its trace
        return "".join(traceback.format_exc().splitlines(keepends=True)[-4:])
    return None


def cards_of(chapters: list[str]) -> list[Card]:
    paths = sorted(CARDS_DIR.glob("*.yaml"))
    if chapters:
        paths = [p for p in paths if p.stem in chapters]
    cards: list[Card] = []
    for path in paths:
        parsed, _, _ = parse_file(path)
        if parsed is not None:
            cards += parsed.cards
    return cards
