"""Grounded answers: retrieve, build a compact prompt, generate, check, fall back to extracts.

The embedded 135M model writes fluent English but loops in French; every generated answer is checked
(empty, repetitive, wrong language, not grounded in the passages) and replaced by an extractive answer built
from the best passages when it fails, so the learner always gets a correct, cited answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from agents import grounding, prompts
from agents.answer_types import Answer, Citation, Event
from agents.errors import LLMError
from agents.llm import backend_label, failure_message, get_chat_model, model_errors
from knowledge.config import Settings, get_settings
from knowledge.retrieval import Passage, search

log = logging.getLogger(__name__)
CHARS_PER_TOKEN = 3.5
MIN_GROUNDING = 0.55


def build_context(passages: list[Passage], budget_tokens: int) -> str:
    """Numbered passages, trimmed to about ``budget_tokens`` tokens in all."""
    budget = int(budget_tokens * CHARS_PER_TOKEN)
    parts: list[str] = []
    for n, p in enumerate(passages, start=1):
        head = f"[{n}] {p.title} — {p.heading.split(' > ')[-1]}\n"
        room = budget - sum(len(x) for x in parts) - len(head)
        if room < 120:
            break
        body = p.text if len(p.text) <= room else p.text[:room].rsplit(" ", 1)[0] + " …"
        parts.append(head + body)
    return "\n\n".join(parts)


def build_messages(question: str, passages: list[Passage], language: str, budget_tokens: int, *,
                   card: bool = False) -> list[tuple[str, str]]:
    """System and user messages; with ``card``, excerpt [1] is the explanation card the answer must build on."""
    system = prompts.SYSTEM_FR if language == "fr" else prompts.SYSTEM_EN
    if card:
        system += " " + prompts.CARD_RULE[language]
    context = build_context(passages, budget_tokens)
    user = f"{prompts.CONTEXT_HEADER[language]}\n{context}\n\n{prompts.QUESTION_HEADER[language]} {question}"
    return [("system", system), ("user", user)]


def _citations(passages: list[Passage], numbers: list[int]) -> list[Citation]:
    return [
        Citation(n, passages[n - 1].source, passages[n - 1].heading, passages[n - 1].chapter, passages[n - 1].text)
        for n in sorted(numbers)
    ]


def _generate(llm: Any, messages: list[tuple[str, str]], language: str) -> str:
    """The whole generated text (buffered: nothing is shown that the checks could withdraw), stopped early once
    it is clearly degenerate."""
    buf = ""
    for i, chunk in enumerate(llm.stream(messages)):
        buf += chunk.content if isinstance(chunk.content, str) else ""
        if i % 16 == 15 and grounding.is_degenerate(buf, language) in ("repetition", "wrong-language"):
            break
    return buf


def ask_stream(
    question: str,
    *,
    settings: Settings | None = None,
    llm: Any = None,
    k: int = 4,
    phase: str | None = None,
    chapter: str | None = None,
) -> Iterator[Event]:
    """Answer a concept question: a status event while a model writes, then ``{"type": "answer", "answer"}``.

    The language and the path are decided before anything is generated: a confident card answers at once (a
    capable model, when configured, writes from the card and the passages, and the card stands in if its text
    fails the checks); otherwise the passages answer. The embedded model never writes a concept answer (its
    French loops and its English fails the grounding checks), so the learner never waits for a rejected text.
    """
    from agents import explain

    settings = settings or get_settings()
    start = time.perf_counter()
    language = grounding.detect_language(question)
    label = backend_label(settings)
    problem = explain.question_problem(question, language)
    if problem:
        yield {"type": "answer", "answer": Answer(problem, backend=label, mode="none", language=language)}
        return
    writes = llm is not None or language in model_languages(settings)
    match = explain.match_card(question, settings) if phase is None and chapter is None else None
    card = match if match is not None and match.confidence >= explain.CARD_CONFIDENCE else None
    if card is not None and not writes:
        second = explain.second_card(card, settings)
        answer = explain.card_answer(card, question, language, label, second)  # type: ignore[arg-type]
        answer.seconds = _since(start)
        yield {"type": "answer", "answer": answer}
        return
    passages = search(question, k, settings=settings, phase=phase, chapter=chapter)
    if card is not None:
        passages = [explain.card_passage(card.card, language), *passages[: k - 1]]  # type: ignore[arg-type]
    if not passages:
        yield {"type": "answer", "answer": Answer(prompts.NO_CONTEXT[language], backend=label, mode="none",
                                                   language=language, seconds=_since(start))}
        return
    if not writes:
        answer = explain.passage_answer(question, passages, match, language, label, settings)  # type: ignore[arg-type]
        answer.seconds = _since(start)
        yield {"type": "answer", "answer": answer}
        return
    yield {"type": "status", "text": prompts.WRITING[language]}
    messages = build_messages(question, passages, language, settings.context_tokens, card=card is not None)
    try:
        text = _generate(llm if llm is not None else get_chat_model(settings), messages, language)
    except model_errors() as exc:  # the chosen model stopped answering: the cards answer this turn
        log.warning("model %s failed (%r); falling back to the cards", label, exc)
        yield {"type": "answer", "answer": _fallback(question, card, match, passages, language, settings, exc, start)}
        return
    except Exception as exc:  # other errors of remote backends
        raise LLMError(_explain(exc, settings)) from exc
    answer = finalize(question, text, passages, language, label)
    if card is not None:
        answer.memo["card"] = card.card.id
        if answer.mode == "extractive":  # the model's text failed the checks: the card answers
            flags = answer.flags
            answer = explain.card_answer(card, question, language, label)  # type: ignore[arg-type]
            answer.flags = flags
    elif answer.mode == "extractive":  # the model's text failed the checks: the passages explain
        flags = answer.flags
        answer = explain.passage_answer(question, passages, match, language, label, settings)  # type: ignore[arg-type]
        answer.flags = flags
    answer.seconds = _since(start)
    yield {"type": "answer", "answer": answer}


def model_languages(settings: Settings) -> tuple[str, ...]:
    """Languages in which the configured model writes concept answers. The embedded SmolLM2-135M writes none:
    it loops in French, and its English answers over French passages fail the grounding check (measured)."""
    return () if settings.llm_backend == "embedded" else ("fr", "en")


def finalize(
    question: str, text: str, passages: list[Passage], language: str, backend: str, *, reason: str | None = None
) -> Answer:
    """Check a generated text; keep it with valid citations, or replace it by an extractive answer."""
    text, cited = grounding.clean_citations(text, len(passages))
    problem = reason or grounding.is_degenerate(text, language)
    if problem is None and grounding.grounding_ratio(text, passages) < MIN_GROUNDING:
        problem = "ungrounded"
    if problem is None:
        if not cited:  # the model used the excerpts without numbering them: say which ones it was given
            cited = list(range(1, min(len(passages), 2) + 1))
            text += " " + "".join(f"[{n}]" for n in cited)
        return Answer(text, _citations(passages, cited), backend=backend, mode="generated", language=language)
    log.info("generated answer discarded (%s); using extracts", problem)
    extract, cited = grounding.extractive_answer(question, passages)
    body = f"{prompts.EXTRACTIVE_INTRO[language]} {extract}"
    return Answer(body, _citations(passages, cited), backend=backend, mode="extractive", language=language,
                  flags=[f"fallback:{problem}"])


def ask(question: str, **kwargs: Any) -> Answer:
    """Answer ``question`` from the course, with citations (see :func:`ask_stream`)."""
    answer: Answer | None = None
    for event in ask_stream(question, **kwargs):
        if event["type"] == "answer":
            answer = event["answer"]
    assert answer is not None
    return answer


def _fallback(question: str, card: Any, match: Any, passages: list[Passage], language: str, settings: Settings,
              exc: BaseException, start: float) -> Answer:
    """The answer of the cards and the embedded path, prefixed by the notice naming the failed model."""
    from agents import explain

    label = backend_label(settings.model_copy(update={"llm_backend": "embedded"})) + " (repli)"
    if card is not None:
        answer = explain.card_answer(card, question, language, label)  # type: ignore[arg-type]
    else:
        answer = explain.passage_answer(question, passages, match, language, label, settings)  # type: ignore[arg-type]
    answer.answer = f"{failure_message(settings, exc)}\n\n{answer.answer}"
    answer.flags.append("fallback:model-unreachable")
    answer.seconds = _since(start)
    return answer


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _explain(exc: Exception, settings: Settings) -> str:
    if settings.llm_backend == "openai":
        return (f"The model server at QT_LLM_BASE_URL={settings.llm_base_url} failed ({exc.__class__.__name__}: "
                f"{exc}); check the server is running and QT_LLM_MODEL={settings.llm_model} exists there")
    return f"The {settings.llm_backend} model failed ({exc}); check QT_LLM_BACKEND / QT_LLM_MODEL_PATH"
