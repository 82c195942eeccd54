"""Flashcards from the conversation: "fais-moi une fiche de ça" (or the button under an answer) adds the last
explanation to the learner's review deck: its explanation card when one answered, else the question and the
answer's first lines."""

from __future__ import annotations

import re
from typing import Any

from knowledge.cards.library import load_cards
from knowledge.learning.deck import add_card
from knowledge.learning.reviews import open_reviews
from knowledge.textio import fold

ASKS_FLASHCARD = re.compile(
    r"(?:fais|fait|cree|crée|ajoute|mets?)[- ]?(?:moi|en)? (?:une |en )?(?:fiche|flashcard|carte)|"
    r"(?:une |en )?fiche de (?:ca|ça|cela)|"
    r"ajoute (?:ca|ça|cela) (?:a|à) mes (?:fiches|revisions|révisions)|"
    r"make (?:me )?a flashcard|add (?:this|that|it) to my (?:flashcards|deck|reviews)|"
    r"flashcard (?:of|from) (?:this|that)"
)
BACK_CHARS = 400


def asks_flashcard(text: str) -> bool:
    return bool(ASKS_FLASHCARD.search(fold(text)))


def _plain(text: str) -> str:
    text = re.sub(r"\[\d+\]", "", text)
    text = re.sub(r"[*_`>#]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def make_flashcard(settings: Any, question: str, answer: str, card_id: str | None = None,
                   lang: str = "fr") -> tuple[str, str]:
    """Add a flashcard for this exchange; returns (flashcard id, its front). A card answer adds the card itself."""
    store = open_reviews(settings)
    card = load_cards().get(card_id) if card_id else None
    if card is not None:
        fid = add_card(store, card, lang)
        return fid, card.questions.en[0] if lang == "en" else card.questions.fr[0]
    back = _plain(answer)
    if len(back) > BACK_CHARS:
        back = back[:BACK_CHARS].rsplit(" ", 1)[0] + " …"
    front = _plain(question)
    return store.add(front, back), front


def flashcard_from_memory(settings: Any, turns: list[Any], lang: str) -> str:
    """The reply to "fais-moi une fiche de ça": the last exchange of ``turns`` becomes a flashcard."""
    last_answer = next((t for t in reversed(turns)  # an answer, not a reply like "flashcard added"
                        if t.role == "assistant" and (t.meta or {}).get("mode") != "none"), None)
    last_question = None
    if last_answer is not None:
        idx = turns.index(last_answer)
        last_question = next((t for t in reversed(turns[:idx]) if t.role == "user"), None)
    if last_answer is None or last_question is None:
        return ("Pose d'abord une question : je ferai une fiche de ma réponse." if lang == "fr" else
                "Ask a question first: I will make a flashcard of my answer.")
    _, front = make_flashcard(settings, last_question.content, last_answer.content,
                              (last_answer.meta or {}).get("card"), lang)
    return (f"Fiche ajoutée à tes révisions : « {front} ». Tu la reverras dans la page Aujourd'hui "
            "(ou avec `quant-tutor review`)." if lang == "fr" else
            f"Flashcard added to your reviews: “{front}”. Review it on the Today page.")
