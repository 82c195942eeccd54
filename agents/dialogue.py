"""The conversation around an answer: what was just explained, computed or offered, and the replies that build on it.

The state is read back from the last assistant turn's memo in the persisted memory (card and level, last tool call,
an offer, a quiz question), so it survives a restart. Follow-ups on an explanation move along the card:
"plus simplement" / "je comprends toujours pas" go to the simple level (and its prerequisites), "plus de détails"
to the standard level then to the lesson's section, "un exemple" and "et pourquoi ?" to the related card of that
kind. A doubtful request gets a short clarifying question; small talk a short, friendly redirect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agents.answer_types import Answer
from agents.explain import card_citation, card_title, render_card
from knowledge.cards.library import load_cards, section_text
from knowledge.cards.schema import Card, Lang
from knowledge.textio import fold

MAX_SECTION_WORDS = 180


@dataclass
class State:
    """What the last assistant turn left to build on."""

    card: str | None = None
    level: str | None = None
    tool: dict[str, Any] | None = None  # {"name", "args", "result"} of the last tool call
    offer: dict[str, Any] | None = None  # {"tool", "args", "text"}: what "oui" accepts
    quiz: dict[str, Any] | None = None  # {"id", "order"}: the question waiting for an answer
    clarify: str | None = None  # the request that was unclear
    question: str | None = None  # the learner's last message
    extra: dict[str, Any] = field(default_factory=dict)


def state_of(turns: list[Any]) -> State:
    """The state after ``turns`` (oldest first, as :meth:`agents.memory.Memory.recent` returns them)."""
    state = State()
    last = next((t for t in reversed(turns) if t.role == "assistant"), None)
    user = next((t for t in reversed(turns) if t.role == "user"), None)
    state.question = user.content if user is not None else None
    if last is None:
        return state
    meta = last.meta or {}
    state.card, state.level = meta.get("card") or meta.get("near_card"), meta.get("level")
    calls = meta.get("tool_calls") or []
    state.tool = dict(calls[-1]) if calls and calls[-1].get("name") != "search_course" else None
    state.offer, state.quiz, state.clarify = meta.get("offer"), meta.get("quiz"), meta.get("clarify")
    if meta.get("options"):
        state.extra["options"] = list(meta["options"])
    return state


# -- follow-ups on an explanation ------------------------------------------------------------------------------
_WORDS = {
    "fr": {"prereq": "Pour bien suivre, revois d'abord : {items}.", "related": "Pour aller plus loin : {items}.",
           "lesson": "Dans le cours ({heading}) :", "none": "Je n'ai rien expliqué juste avant : pose-moi ta "
           "question (par ex. « c'est quoi la VaR ? »).", "again": "C'est déjà la version la plus simple que j'ai ; "
           "dis-moi quel mot bloque et je l'explique."},
    "en": {"prereq": "To follow this, first review: {items}.", "related": "To go further: {items}.",
           "lesson": "In the course ({heading}):", "none": "I did not explain anything just before: ask me your "
           "question (e.g. \"what is VaR?\").", "again": "That is already the simplest version I have; tell me "
           "which word is blocking and I will explain it."},
}


def _titles(ids: list[str], lang: Lang) -> str:
    lib = load_cards()
    names = [f"« {card_title(c, lang)} »" if lang == "fr" else f"“{card_title(c, lang)}”"
             for c in (lib.get(i) for i in ids) if c is not None]
    return ", ".join(names[:3])


def _related_of_kind(card: Card, kinds: tuple[str, ...]) -> Card | None:
    lib = load_cards()
    for cid in card.related:
        other = lib.get(cid)
        if other is not None and other.kind in kinds:
            return other
    return None


def _excerpt(card: Card) -> str:
    words = section_text(card.chapter, card.section).split()
    text = " ".join(words[:MAX_SECTION_WORDS])
    return text + (" …" if len(words) > MAX_SECTION_WORDS else "")


def card_follow_up(kind: str, state: State, lang: Lang, backend: str) -> Answer:
    """The answer to "plus simplement", "un exemple", "plus de détails", "et pourquoi ?", "je comprends pas"."""
    words = _WORDS[lang]
    card = load_cards().get(state.card) if state.card else None
    if card is None:
        return Answer(words["none"], backend=backend, mode="card", language=lang, flags=["follow-up:no-context"])
    level, shown = "standard", card
    extra = ""
    if kind in ("simpler", "lost"):
        level = "simple"
        if state.level == "simple":
            extra = words["again"]
        if card.prerequisites or kind == "lost":
            prereq = _titles(card.prerequisites, lang) if card.prerequisites else ""
            extra = " ".join(x for x in (extra, words["prereq"].format(items=prereq) if prereq else "") if x)
    elif kind in ("why", "example"):
        wanted = ("why",) if kind == "why" else ("value", "how")
        shown = _related_of_kind(card, wanted) or card
    elif kind == "more" and state.level == "standard":
        heading = card.section
        lesson = words["lesson"].format(heading=heading)
        body = f"{render_card(card, 'standard', lang)}\n\n{lesson}\n\n> {_excerpt(card)}"
        related = _titles(card.related, lang)
        if related:
            body += "\n\n" + words["related"].format(items=related)
        return _card_reply(body, card, "standard", lang, backend, kind)
    body = render_card(shown, level, lang)  # type: ignore[arg-type]
    if extra:
        body += "\n\n" + extra
    return _card_reply(body, shown, level, lang, backend, kind)


def _card_reply(body: str, card: Card, level: str, lang: Lang, backend: str, kind: str) -> Answer:
    answer = Answer(body, [card_citation(card)], backend=backend, mode="card", language=lang)
    answer.memo.update(card=card.id, level=level, follow_up=kind)
    return answer


# -- doubt, small talk -----------------------------------------------------------------------------------------
_ACTIONS = {
    "fr": {"explain": "que je t'explique la notion", "value_at_risk": "que je calcule une VaR sur un actif",
           "fit_garch": "que j'ajuste un GARCH sur un actif", "backtest_strategy": "que je backteste une stratégie",
           "model_lab": "que j'entraîne un modèle", "study_plan": "que je te fasse un plan d'étude",
           "roadmap_progress": "que je te montre ta progression", "check_exercise": "que je corrige ton exercice",
           "hint": "que je te donne un indice", "quiz": "que je t'interroge", "run_python": "que j'exécute ton code",
           "flashcard": "que j'en fasse une fiche de révision"},
    "en": {"explain": "me to explain the concept", "value_at_risk": "me to compute a VaR on an asset",
           "fit_garch": "me to fit a GARCH on an asset", "backtest_strategy": "me to backtest a strategy",
           "model_lab": "me to train a model", "study_plan": "a study plan", "roadmap_progress": "your progress",
           "check_exercise": "me to grade your exercise", "hint": "a hint", "quiz": "a quiz",
           "run_python": "me to run your code", "flashcard": "a flashcard of it"},
}


def clarify_answer(text: str, options: list[str], lang: Lang, backend: str) -> Answer:
    """"Tu veux que je t'explique la VaR, ou que je la calcule sur un actif ?"""
    acts = [a for a in (_ACTIONS[lang].get(o) for o in options) if a][:2]
    if len(acts) == 2:
        body = (f"Tu veux {acts[0]}, ou {acts[1]} ? Dis-le-moi en une phrase (par ex. « explique » ou « calcule »)."
                if lang == "fr" else f"Do you want {acts[0]}, or {acts[1]}? Tell me in one sentence.")
    else:
        body = ("Je ne suis pas sûr de ce que tu veux : une explication, un calcul, un plan, un exercice ? "
                "Précise en une phrase." if lang == "fr" else
                "I am not sure what you want: an explanation, a computation, a plan, an exercise? Say it in one "
                "sentence.")
    answer = Answer(body, backend=backend, mode="clarify", language=lang)
    answer.memo.update(clarify=text, options=options)
    return answer


_THANKS = re.compile(r"\b(?:merci|thanks?|thx|cool|super|parfait|top|genial|great|nice)\b")
_HELLO = re.compile(r"\b(?:bonjour|salut|hello|hi|hey|coucou|bonsoir|yo)\b")


def chitchat_answer(text: str, lang: Lang, backend: str) -> Answer:
    """A short reply to small talk, and what the tutor can do."""
    low = fold(text)
    if lang == "fr":
        can = ("Je peux t'expliquer une notion du cours, calculer une VaR, ajuster un GARCH, backtester une "
               "stratégie, corriger un exercice, t'interroger ou organiser ton planning.")
        head = "Avec plaisir !" if _THANKS.search(low) else "Salut !" if _HELLO.search(low) else \
            "Je suis ton tuteur pour le deep learning, les LLM et la finance quantitative : ça, je ne sais pas faire."
    else:
        can = ("I can explain a course concept, compute a VaR, fit a GARCH, backtest a strategy, grade an exercise, "
               "quiz you or plan your study time.")
        head = "You're welcome!" if _THANKS.search(low) else "Hi!" if _HELLO.search(low) else \
            "I am your tutor for deep learning, LLMs and quantitative finance: that one is outside what I do."
    return Answer(f"{head} {can}", backend=backend, mode="none", language=lang)


# What the tutor offers to compute after an explanation (decide.COMPUTE_TOOLS), as an infinitive phrase.
_OFFERS = {
    "fr": {"value_at_risk": "calculer une VaR sur un actif", "fit_garch": "ajuster un GARCH sur un actif",
           "backtest_strategy": "backtester une stratégie", "model_lab": "entraîner un modèle"},
    "en": {"value_at_risk": "compute a VaR on an asset", "fit_garch": "fit a GARCH on an asset",
           "backtest_strategy": "backtest a strategy", "model_lab": "train a model"},
}


def offer_sentence(offer: dict[str, Any], lang: Lang) -> str:
    """"Je peux aussi calculer une VaR sur un actif : tu veux ?" (a "oui" then runs it)."""
    default = "faire ce calcul" if lang == "fr" else "do that computation"
    act = _OFFERS[lang].get(str(offer.get("tool")), default)
    if lang == "en":
        return f"_I can also do that for you ({act}): want me to? (answer “yes”)_"
    return f"_Je peux aussi {act} : tu veux ? (réponds « oui »)_"
