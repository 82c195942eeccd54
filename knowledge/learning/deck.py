"""Flashcards made from explanation cards: the card's question on the front, its simple answer on the back."""

from __future__ import annotations

from knowledge.cards.library import CardLibrary, load_cards
from knowledge.cards.schema import Card
from knowledge.learning.reviews import ReviewStore


def flashcard_id(card: Card) -> str:
    return f"card:{card.id}"


def add_card(store: ReviewStore, card: Card, lang: str = "fr") -> str:
    """Add one explanation card to the learner's deck (idempotent)."""
    front = card.questions.en[0] if lang == "en" else card.questions.fr[0]
    back = card.simple.en if lang == "en" else card.simple.fr
    return store.add(front, back, chapter=card.chapter, source=card.id, card_id=flashcard_id(card))


def add_chapter(store: ReviewStore, chapter: str, library: CardLibrary | None = None, lang: str = "fr") -> int:
    """Add every card of a chapter to the deck; returns how many flashcards the chapter has now."""
    library = library if library is not None else load_cards()
    cards = [c for c in library.cards if c.chapter == chapter]
    for card in cards:
        add_card(store, card, lang)
    return len(cards)
