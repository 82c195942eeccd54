"""Flashcards from the chat: the explanation card that answered, or the question and the answer."""

from __future__ import annotations

import pytest

from agents.flashcards import asks_flashcard, make_flashcard
from agents.tutor import build_tutor
from knowledge.config import get_settings
from knowledge.learning.reviews import open_reviews


@pytest.mark.parametrize("text", ["fais-moi une fiche de ça", "fais moi une fiche", "ajoute ça à mes révisions",
                                  "make me a flashcard of this", "add this to my deck"])
def test_flashcard_requests_are_recognised(text: str) -> None:
    assert asks_flashcard(text)


def test_fais_moi_une_fiche_adds_the_card_that_answered() -> None:
    tutor = build_tutor(get_settings())
    first = tutor.ask("pk on divise par racine de d_k dans l'attention ?")
    assert first.memo.get("card") == "27-why-sqrt-dk"
    reply = tutor.ask("fais-moi une fiche de ça")
    assert "Fiche ajoutée" in reply.answer
    (card,) = open_reviews(get_settings()).cards()
    assert card.id == "card:27-why-sqrt-dk" and card.source == "27-why-sqrt-dk" and card.chapter == "27"


def test_without_a_card_the_answer_itself_becomes_the_back() -> None:
    fid, front = make_flashcard(get_settings(), "Que dit mon cours sur X ?", "**X** est *important* [1]. " * 40)
    (card,) = open_reviews(get_settings()).cards()
    assert card.id == fid and front == "Que dit mon cours sur X ?"
    assert "[1]" not in card.back and "*" not in card.back and len(card.back) <= 402


def test_a_flashcard_request_with_no_history_says_what_to_do() -> None:
    assert "Pose d'abord une question" in build_tutor(get_settings()).ask("fais-moi une fiche de ça").answer


def test_what_next_puts_a_fragile_chapter_first() -> None:
    from agents.tools import Toolbox
    from knowledge.learning.mastery import EvidenceStore
    from knowledge.learning.reviews import open_engine

    store = EvidenceStore(open_engine(get_settings().db_url))
    for i in range(4):
        store.record("03", "quiz", f"03-q-{i}", False)
    result = Toolbox(get_settings()).roadmap_progress("next")
    assert "chapitre 03 est fragile" in result["advice"]
