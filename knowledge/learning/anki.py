"""Export the learner's flashcards to an Anki package (``.apkg``) through ``genanki``.

Note ids are stable (``genanki.guid_for`` of our flashcard id), so exporting again updates the notes Anki already
has instead of duplicating them. Review history is not exported: Anki schedules with its own FSRS from the first
review it sees. Importing Anki's reviews back is not offered: ``.apkg`` files carry Anki's scheduler state, not
the review log our FSRS needs, so it could not be done without loss.
"""

from __future__ import annotations

import html
from pathlib import Path

import genanki

from knowledge.errors import ProgressError
from knowledge.learning.reviews import ReviewStore

MODEL_ID = 1_607_392_319  # fixed: Anki recognises the note type across exports
DECK_ID = 2_059_400_110
MODEL = genanki.Model(
    MODEL_ID, "quant-tutor (question / réponse)",
    fields=[{"name": "Question"}, {"name": "Réponse"}, {"name": "Source"}],
    templates=[{"name": "Carte", "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Réponse}}<br><small>{{Source}}</small>"}],
)


def export_anki(store: ReviewStore, path: Path, *, deck_name: str = "quant-tutor") -> int:
    """Write the live flashcards of ``store`` to ``path`` (.apkg); returns the number of notes written."""
    path = Path(path)
    if path.suffix.lower() != ".apkg":
        raise ProgressError(f"{path.name}: an Anki package must end in .apkg (e.g. quant-tutor.apkg)")
    if not path.parent.exists():
        raise ProgressError(f"the folder {path.parent} does not exist; create it or choose another path")
    deck = genanki.Deck(DECK_ID, deck_name)
    cards = store.cards()
    for card in cards:
        source = f"chapitre {card.chapter}" if card.chapter else ""
        if card.source:
            source += f" · fiche {card.source}"
        deck.add_note(genanki.Note(
            model=MODEL, fields=[html.escape(card.front), html.escape(card.back).replace("\n", "<br>"), source],
            guid=genanki.guid_for(card.id), tags=[f"chapitre_{card.chapter}"] if card.chapter else []))
    try:
        genanki.Package(deck).write_to_file(str(path))
    except OSError as exc:
        raise ProgressError(f"cannot write {path}: {exc.strerror}; choose a writable folder") from exc
    return len(cards)
