"""Explanations: a matched card rendered at the learner's level, or a short explanation from the passages.

A card is the answer when the matcher is confident; the level follows the request ("en gros", "simplement" ->
simple; otherwise standard). Without a card, :func:`passage_explanation` picks the sentences of the best passage's
section that mean most what was asked (the multilingual embedder), keeps their order and formulas whole, and
stays under ~120 words with the section's heading as its title.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np

from agents.answer_types import Answer, Citation
from agents.worked import worked_figures
from knowledge.cards.library import lesson_of, section_text
from knowledge.cards.match import CONFIDENT, CardMatch
from knowledge.cards.schema import Card, Lang, Level
from knowledge.retrieval import Passage
from knowledge.textio import fold

log = logging.getLogger(__name__)
CARD_CONFIDENCE = CONFIDENT  # at or above: the card answers; below: the passages do, and say so
EXPLAIN_OVER_TOOL = 0.6  # a question about meaning that also names a tool's subject
SUGGEST_CONFIDENCE = 0.12  # at or above (and below CARD_CONFIDENCE): the card is offered as "tu voulais dire ?"
# at or above (below CARD_CONFIDENCE): the nearest card answers, introduced as such, unless the best passage is
# from the learner's own documents. On the judged sets (v3-v5), 22 passage answers were on topic 3 times; the
# nearest card was right 6 times in the 9 cases at or above 0.12, 2 times in the 13 below.
NEAREST_CONFIDENCE = 0.12
SECOND_CARD = 0.3  # a runner-up card this likely too is added as "see also" (questions that ask two things)
# else a related card whose phrasing is this close to the question (on v10, related cards at 0.6+ were mostly the
# mechanism or neighbouring idea the question also needed; the median of the best related card was 0.54)
RELATED_SIMILARITY = 0.6
SAME_ANSWER = 0.7  # ... unless its simple answer says the same as the first card's (one idea in two chapters)
SAME_QUESTION = 0.95  # ... or one of its phrasings nearly repeats one of the first card's
MAX_WORDS = 120
# Asking for the gist. A bare "simple", "simply" or "rapidement" is not enough: "rendement simple", "why not
# simply average", "converge rapidement" name the subject, not the level wanted.
_SIMPLE = re.compile(r"\b(?:en gros|plus simple(?:ment)?|en bref|bref|vite fait|en resume|en une phrase|en deux mots|"
                     r"more simply|simplement,? (?:stp|svp|pls|please)|simply,? (?:pls|please)|"
                     r"pour les nuls|pour un debutant|eli5|in short|simple terms|simple words|briefly|simpler|"
                     r"tl;?dr|in a nutshell|for a beginner|like i'?m (?:five|5)|basically|grosso modo|vulgarise\w*|"
                     r"(?:en )?(?:termes|mots) simples|sans (?:formule|maths?|jargon)|no (?:maths?|formulas?|jargon)|"
                     r"in plain (?:english|words)|(?:explain|expliqu\w*|dis|say|tell)(?:[- ](?:moi|me|le|la|les|it|"
                     r"this|that|ca))? (?:simply|simplement|rapidement|quickly|vite|in short)|"
                     r"(?:simply|simplement|rapidement|quickly)\W*$)\b|simplement\s*(?:stp|svp|pls|please)?\W*$")
TEXT = {
    "fr": {"gist": "En bref", "trap": "Piège classique", "facts": "À retenir aussi", "source": "Source",
           "also": "À lire aussi",
           "no_card": "Je n'ai pas de fiche d'explication pour cette question ; voici ce que dit le cours.",
           "nearest": "Je n'ai pas de fiche pour exactement cette question ; voici la plus proche.",
           "maybe": "Tu cherchais peut-être : « {q} » (redemande-le ainsi)."},
    "en": {"gist": "In short", "trap": "Common trap", "facts": "Also worth knowing", "source": "Source",
           "also": "See also",
           "no_card": "I have no explanation card for this question; here is what the course says (in French).",
           "maybe": "Perhaps you meant: “{q}” (ask it that way).",
           "nearest": "I have no explanation card for exactly this question; here is the nearest one."},
}


def choose_level(text: str) -> Level:
    """``simple`` when the learner asks for the gist ("en gros", "simplement", "in short"), else ``standard``."""
    return "simple" if _SIMPLE.search(fold(text)) else "standard"


def card_title(card: Card, lang: Lang) -> str:
    return card.questions.en[0] if lang == "en" else card.questions.fr[0]


def card_citation(card: Card) -> Citation:
    lesson = lesson_of(card.chapter)
    source = lesson.source if lesson else f"knowledge/course/{card.chapter}"
    title = lesson.title if lesson else f"Chapitre {card.chapter}"
    return Citation(1, source, f"{title} > {card.section}", card.chapter, section_text(card.chapter, card.section))


def render_card(card: Card, level: Level, lang: Lang) -> str:
    """The card as the learner reads it: title, the gist (and at the standard level the full explanation and the
    facts a teacher adds), the classic trap, the source as [1]."""
    trap = card.misconception.get(lang)
    words = TEXT[lang]
    body = f"{card.simple.get(lang)} [1]"
    if level == "standard":
        body = f"_{words['gist']} :_ {card.simple.get(lang)}\n\n{card.standard.get(lang)} [1]"
        if card.facts_in(lang):
            body += f"\n\n_{words['facts']} :_\n" + "\n".join(f"- {f}" for f in card.facts_in(lang))
    return f"**{card_title(card, lang)}**\n\n{body}\n\n_{words['trap']} :_ {trap.claim} → {trap.correction}"


def card_answer(match: CardMatch, text: str, lang: Lang, backend: str, second: Card | None = None) -> Answer:
    """The matched card at the requested level; ``second`` (see :func:`second_card`) follows as "see also" [2]."""
    level = choose_level(text)
    body = render_card(match.card, level, lang)
    worked = worked_figures(match.card.id, text, lang)
    if worked:
        body += f"\n\n{worked}"
    citations = [card_citation(match.card)]
    if second is not None:
        body += f"\n\n**{TEXT[lang]['also']} : {card_title(second, lang)}**\n\n{second.simple.get(lang)} [2]"
        cite = card_citation(second)
        citations.append(Citation(2, cite.source, cite.heading, cite.chapter, cite.text))
    answer = Answer(body, citations, backend=backend, mode="card", language=lang)
    answer.memo.update(card=match.card.id, level=level, confidence=round(match.confidence, 3))
    if second is not None:
        answer.memo["also"] = second.id
    if worked:
        answer.memo["worked"] = True
    return answer


def second_card(match: CardMatch, settings: Any) -> Card | None:
    """The card that follows as "see also": the runner-up when it is likely too (a question asking two things),
    else the related card closest to the question (``RELATED_SIMILARITY``: the mechanism, the neighbouring idea
    the learner needs next); never one that repeats the first card's explanation. None otherwise."""
    try:
        index = _index(settings)
        return _runner_up(match, index) or _closest_related(match, index)
    except Exception as exc:  # noqa: BLE001 - the first card answers alone
        log.warning("second card skipped (%s)", exc)
        return None


def _runner_up(match: CardMatch, index: Any) -> Card | None:
    runner = match.runner_up
    if runner is None or match.runner_up_confidence < SECOND_CARD or runner.id == match.card.id:
        return None
    return None if _repeats(match.card, runner, index) else runner


def _closest_related(match: CardMatch, index: Any) -> Card | None:
    if match.vector is None:
        return None
    found = index.closest_related(match.card, match.vector)
    if found is None or found[1] < RELATED_SIMILARITY or _repeats(match.card, found[0], index):
        return None
    return found[0]  # type: ignore[no-any-return]


def _repeats(first: Card, other: Card, index: Any) -> bool:
    """Whether ``other`` says what ``first`` says (one idea in two chapters, or the same question)."""
    return bool(index.similarity(first, other, "a") >= SAME_ANSWER
                or index.similarity(first, other, "q") >= SAME_QUESTION)


# -- the passage answer -------------------------------------------------------------------------------------
_DISPLAY = re.compile(r"\$\$.+?\$\$", re.S)
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«(])")


def sentences_of(text: str) -> list[str]:
    """Whole sentences of a passage: code dropped, display formulas kept inside their sentence, list items alone."""
    text = re.sub(r"```.*?(?:```|\Z)", " ", text, flags=re.S)
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln for ln in para.splitlines() if not ln.lstrip().startswith(("|", "#"))]
        items = [ln for ln in lines if re.match(r"^\s*(?:[-*+]|\d+[.)])\s+", ln)]
        prose = " ".join(ln.strip() for ln in lines if ln not in items)
        out += [re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", ln).strip() for ln in items]
        out += _split_prose(prose)
    return [s.replace("**", "") for s in out if len(re.findall(r"\w+", s)) >= 5 and _balanced(s)]


def _split_prose(prose: str) -> list[str]:
    """Split at sentence ends that are not inside a ``$...$`` or ``$$...$$`` formula."""
    masked = _DISPLAY.sub(lambda m: "\0" * len(m.group(0)), prose)
    masked = re.sub(r"\$[^$]+\$", lambda m: "\0" * len(m.group(0)), masked)
    cuts = [m.end() for m in _SENT_END.finditer(masked)]
    bounds = [0, *cuts, len(prose)]
    return [prose[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if prose[a:b].strip()]


def _balanced(sentence: str) -> bool:
    return sentence.count("$") % 2 == 0 and sentence.count("(") == sentence.count(")")


def passage_explanation(question: str, passages: list[Passage], embedder: Any, lang: Lang) -> tuple[str, list[int]]:
    """An explanation of at most ~120 words from the best passage's section, sentences chosen by meaning."""
    best = passages[0]
    section = [p for p in passages if p.source == best.source and p.heading == best.heading][:3]
    sents = [s for p in section for s in sentences_of(p.text)]
    if not sents:
        return best.text[:600].rsplit(" ", 1)[0] + " …", [1]
    vecs = embedder.embed([question, *sents])
    sims = vecs[1:] @ vecs[0]
    order = list(np.argsort(-sims))
    chosen: list[int] = []
    words = 0
    for i in order:
        n = len(sents[i].split())
        if chosen and words + n > MAX_WORDS:
            continue
        chosen.append(int(i))
        words += n
        if words >= MAX_WORDS * 0.8:
            break
    body = " ".join(sents[i] for i in sorted(chosen))
    title = best.heading.split(" > ")[-1]
    return f"**{title}**\n\n{body} [1]", [1]


# -- the path of a concept question -------------------------------------------------------------------------
MAX_QUESTION_CHARS = 2000
PROBLEMS = {
    "fr": {
        "empty": "Écris ta question en quelques mots, par exemple : « Pourquoi divise-t-on par √d_k dans "
                 "l'attention ? » ou « Quelle différence entre VaR et Expected Shortfall ? »",
        "long": "Ta question fait {n} caractères : résume-la en une ou deux phrases (au plus {max} caractères), "
                "et joins le code ou le texte long comme fichier.",
    },
    "en": {
        "empty": "Type your question in a few words, for example: “Why do we divide by √d_k in attention?” or "
                 "“What is the difference between VaR and Expected Shortfall?”",
        "long": "Your question is {n} characters long: sum it up in one or two sentences (at most {max} "
                "characters) and attach long code or text as a file.",
    },
}


def question_problem(question: str, language: str) -> str | None:
    """What to fix in a question that cannot be answered as it is (empty, no words, far too long), or None."""
    words = PROBLEMS["en" if language == "en" else "fr"]
    if not re.search(r"\w", question or "") or not re.search(r"[^\W\d_]{2,}", question):
        return words["empty"]
    if len(question) > MAX_QUESTION_CHARS:
        return words["long"].format(n=len(question), max=MAX_QUESTION_CHARS)
    return None


def match_card(question: str, settings: Any) -> CardMatch | None:
    """The best card for the question, or None when no card index can be opened (logged, never raised).

    The last result is kept: routing ("explain before computing") and answering ask about the same message.
    """
    global _LAST
    try:
        index = _index(settings)
        if _LAST is not None and _LAST[0] == question and _LAST[1] is index:
            return _LAST[2]
        match = index.match(question)
    except Exception as exc:  # noqa: BLE001 - cards are an accelerator: the passages still answer
        log.warning("card matching unavailable (%s: %s); answering from the passages", type(exc).__name__, exc)
        return None
    _LAST = (question, index, match)
    return match


_LAST: tuple[str, Any, CardMatch | None] | None = None


def _index(settings: Any) -> Any:
    from knowledge.cards.index import load_default_index

    return load_default_index(settings)


def card_passage(card: Card, lang: Lang) -> Passage:
    """The card as excerpt [1] of a capable model's context (its ground truth)."""
    cite = card_citation(card)
    trap = card.misconception.get(lang)
    text = f"{' '.join([card.answer('standard', lang), *card.facts_in(lang)])}\n{trap.claim} → {trap.correction}"
    title = cite.heading.split(" > ")[0]
    return Passage(f"card:{card.id}", text, cite.source, cite.heading, None, card.chapter, 1.0, title)


def passage_answer(question: str, passages: list[Passage], match: CardMatch | None, lang: Lang, backend: str,
                   settings: Any) -> Answer:
    """The passages' explanation, saying plainly that no card fits (and offering the nearest card if any).

    A plausible nearest card (``NEAREST_CONFIDENCE``) answers instead, introduced as the nearest one: on blind
    questions it was on topic far more often than the passages. Not when the best passage comes from the
    learner's own documents (no chapter): a question about one's notes is answered from the notes.
    """
    from knowledge.embeddings import get_embedder

    own_notes = bool(passages) and passages[0].chapter is None
    if match is not None and match.confidence >= NEAREST_CONFIDENCE and not own_notes:
        near = card_answer(match, question, lang, backend)
        near.answer = f"{TEXT[lang]['nearest']}\n\n{near.answer}"
        near.flags = ["nearest-card"]
        return near
    body, cited = passage_explanation(question, passages, get_embedder(settings), lang)
    words = TEXT[lang]
    text = f"{words['no_card']}\n\n{body}"
    if match is not None and match.confidence >= SUGGEST_CONFIDENCE:
        text += "\n\n" + words["maybe"].format(q=card_title(match.card, lang))
    p = passages[0]
    citation = Citation(1, p.source, p.heading, p.chapter, p.text)
    answer = Answer(text, [citation], backend=backend, mode="extractive", language=lang, flags=["no-card"])
    if match is not None:
        answer.memo.update(near_card=match.card.id, confidence=round(match.confidence, 3))
    return answer
