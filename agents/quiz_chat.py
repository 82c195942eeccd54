"""Quizzes in the chat: "interroge-moi sur la VaR" asks one question of the course's quiz bank on that topic; the
next reply ("b", "vrai", "0,05") is graded, explained and counted towards the chapter's mastery."""

from __future__ import annotations

import logging
import re
from typing import Any

from agents.answer_types import Answer
from knowledge.cards.schema import Lang
from knowledge.errors import QuizInputError
from knowledge.quizzes.bank import LETTERS, grade, load_quizzes, option_order
from knowledge.quizzes.schema import QuizItem

log = logging.getLogger(__name__)
_TEXT = {
    "fr": {"mcq": "Réponds par la lettre de ton choix.", "tf": "Vrai ou faux ?", "num": "Réponds par un nombre.",
           "head": "Question (chapitre {chapter})", "right": "✔ Juste !", "wrong": "✘ Pas tout à fait : la réponse "
           "attendue est {expected}.", "next": "Redemande « une autre question » pour continuer.",
           "none": "Je n'ai pas de question de quiz sur ce sujet ; essaie un chapitre du cours (par ex. « interroge-"
           "moi sur la VaR »)."},
    "en": {"mcq": "Answer with the letter of your choice.", "tf": "True or false?", "num": "Answer with a number.",
           "head": "Question (chapter {chapter})", "right": "✔ Correct!", "wrong": "✘ Not quite: the expected "
           "answer is {expected}.", "next": "Ask for “another question” to go on.",
           "none": "I have no quiz question on that topic; try a course chapter (e.g. “quiz me on VaR”)."},
}


def _chapter_of(topic: str, settings: Any, previous: str | None) -> tuple[str | None, str | None]:
    """The chapter and lesson section of the topic's best card (else the previous quiz's chapter)."""
    from agents.explain import SUGGEST_CONFIDENCE, match_card
    from knowledge.textio import fold

    if previous and re.search(r"\b(?:autre|another|encore|more|suivante|next|again|continue)\b", fold(topic)):
        return previous, None
    match = match_card(topic, settings)
    if match is not None and match.confidence >= SUGGEST_CONFIDENCE:
        return match.card.chapter, match.card.section
    return previous, None


def _pick(items: tuple[QuizItem, ...], asked: set[str], topic: str, section: str | None) -> QuizItem:
    """A question not asked yet: on the card's section first, then one whose prompt names the topic's terms."""
    from knowledge.cards.normalize import terms_of

    fresh = [i for i in items if i.id not in asked] or list(items)
    terms = {t for t in terms_of(topic) if len(t) > 2} - {"quiz", "question", "questions", "interroge", "teste"}

    def rank(item: QuizItem) -> tuple[int, int]:
        words = set(terms_of(f"{item.prompt.fr} {item.prompt.en} {item.section}"))
        return (item.section != section, -len(terms & words))

    return min(fresh, key=rank)


def quiz_question(topic: str, settings: Any, lang: Lang, backend: str, *, asked: set[str] | None = None,
                  chapter: str | None = None) -> Answer:
    """One question of the bank on ``topic`` (the chapter its best card belongs to, else ``chapter``)."""
    words = _TEXT[lang]
    key, section = _chapter_of(topic, settings, chapter)
    items = load_quizzes().get(key or "")
    if not items:
        return Answer(words["none"], backend=backend, mode="quiz", language=lang)
    item = _pick(items, asked or set(), topic, section)
    order = option_order(item, len(asked or ()))
    lines = [f"**{words['head'].format(chapter=item.chapter)}** : {item.prompt.get(lang)}"]
    if item.kind == "mcq" and item.options:
        lines += [f"- **{LETTERS[pos]}.** {item.options[idx].text.get(lang)}" for pos, idx in enumerate(order)]
        lines.append(f"_{words['mcq']}_")
    else:
        lines.append(f"_{words['tf'] if item.kind == 'true_false' else words['num']}_")
    answer = Answer("\n".join(lines), backend=backend, mode="quiz", language=lang)
    answer.memo["quiz"] = {"id": item.id, "order": order, "chapter": item.chapter}
    return answer


def quiz_reply(response: str, pending: dict[str, Any], settings: Any, lang: Lang, backend: str) -> Answer:
    """Grade the reply to the pending question; an unreadable reply asks again (the question stays pending)."""
    words = _TEXT[lang]
    items = {i.id: i for i in load_quizzes().get(str(pending.get("chapter")), ())}
    item = items.get(str(pending.get("id")))
    if item is None:
        return Answer(words["none"], backend=backend, mode="quiz", language=lang)
    try:
        graded = grade(item, response, lang, order=list(pending.get("order") or []) or None)
    except QuizInputError as exc:
        answer = Answer(str(exc), backend=backend, mode="quiz", language=lang)
        answer.memo["quiz"] = pending
        return answer
    _record(settings, item, graded.correct)
    verdict = words["right"] if graded.correct else words["wrong"].format(expected=graded.expected)
    answer = Answer(f"{verdict} {graded.feedback}\n\n_{words['next']}_", backend=backend, mode="quiz", language=lang)
    answer.memo.update(quiz_done=item.id, quiz_chapter=item.chapter, correct=graded.correct)
    return answer


def _record(settings: Any, item: QuizItem, correct: bool) -> None:
    from knowledge.learning.mastery import EvidenceStore
    from knowledge.learning.reviews import open_engine

    try:
        EvidenceStore(open_engine(settings.db_url), learner=settings.learner).record(item.chapter, "quiz", item.id,
                                                                                      correct)
    except Exception as exc:  # noqa: BLE001 - the verdict is given even when the progress store is unavailable
        log.warning("quiz result not recorded: %s", exc)
