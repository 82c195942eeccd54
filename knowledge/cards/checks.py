"""Run the ``check`` code of explanation cards: each card's numbers recomputed independently.

``python -m knowledge.cards.checks [CHAPTER ...]`` runs the checks of these chapters (all when none is given) and
prints the cards whose check fails; the test suite runs every check.
"""

from __future__ import annotations

import sys
import traceback

from knowledge.cards.lint import CARDS_DIR, parse_file
from knowledge.cards.schema import Card


def run_check(card: Card) -> str | None:
    """None when the card's check passes (or it has none), else the failure's last lines."""
    if not card.check:
        return None
    try:
        exec(compile(card.check, f"<check {card.id}>", "exec"), {"__name__": f"check_{card.id}"})  # noqa: S102 - our own files
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


def main(argv: list[str] | None = None) -> int:
    chapters = [c.zfill(2) for c in (sys.argv[1:] if argv is None else argv)]
    failures = 0
    cards = cards_of(chapters)
    for card in cards:
        error = run_check(card)
        if error:
            failures += 1
            print(f"FAIL {card.id}:\n{error}")  # noqa: T201 - a command-line report
    print(f"{sum(1 for c in cards if c.check)} checks, {failures} failed")  # noqa: T201
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
