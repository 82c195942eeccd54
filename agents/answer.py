"""Grounded answers: retrieve, build a compact prompt, generate, check, fall back to extracts.

The embedded 135M model writes fluent English but loops in French; every generated answer is checked
(empty, repetitive, wrong language, not grounded in the passages) and replaced by an extractive answer built
from the best passages when it fails, so the learner always gets a correct, cited answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from agents import grounding, prompts
from agents.errors import LLMError
from agents.llm import backend_label, get_chat_model
from knowledge.config import Settings, get_settings
from knowledge.retrieval import Passage, search

log = logging.getLogger(__name__)
CHARS_PER_TOKEN = 3.5
MIN_GROUNDING = 0.55


@dataclass
class Citation:
    n: int
    source: str
    heading: str
    chapter: str | None
    text: str = ""

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        d = asdict(self)
        if not with_text:
            d.pop("text")
        return d


@dataclass
class ToolCall:
    name: str
    args: dict[str, Any]
    result: Any

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args, "result": self.result}


@dataclass
class Answer:
    """What the tutor says, with where it comes from."""

    answer: str
    citations: list[Citation] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    backend: str = ""
    seconds: float = 0.0
    mode: str = "generated"  # generated | extractive | tool | none
    language: str = "fr"
    flags: list[str] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)  # what the tutor remembers of this turn (not shown)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "tool_calls": [t.to_dict() for t in self.tool_calls],
            "backend": self.backend,
            "seconds": self.seconds,
            "mode": self.mode,
            "language": self.language,
            "flags": self.flags,
        }


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


def build_messages(question: str, passages: list[Passage], language: str, budget_tokens: int) -> list[tuple[str, str]]:
    system = prompts.SYSTEM_FR if language == "fr" else prompts.SYSTEM_EN
    context = build_context(passages, budget_tokens)
    user = f"{prompts.CONTEXT_HEADER[language]}\n{context}\n\n{prompts.QUESTION_HEADER[language]} {question}"
    return [("system", system), ("user", user)]


def _citations(passages: list[Passage], numbers: list[int]) -> list[Citation]:
    return [
        Citation(n, passages[n - 1].source, passages[n - 1].heading, passages[n - 1].chapter, passages[n - 1].text)
        for n in sorted(numbers)
    ]


def _generate(llm: Any, messages: list[tuple[str, str]], language: str) -> Iterator[str]:
    """Stream tokens, stopping early once the text is clearly degenerate."""
    buf = ""
    for i, chunk in enumerate(llm.stream(messages)):
        text = chunk.content if isinstance(chunk.content, str) else ""
        buf += text
        yield text
        if i % 16 == 15 and grounding.is_degenerate(buf, language) in ("repetition", "wrong-language"):
            return


def ask_stream(
    question: str,
    *,
    settings: Settings | None = None,
    llm: Any = None,
    k: int = 4,
    phase: str | None = None,
    chapter: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield ``{"type": "token", "text"}`` events while generating, ``{"type": "reset"}`` when the generated
    text is discarded for the extractive fallback, and finally ``{"type": "answer", "answer": Answer}``."""
    settings = settings or get_settings()
    start = time.perf_counter()
    language = grounding.detect_language(question)
    passages = search(question, k, settings=settings, phase=phase, chapter=chapter)
    label = backend_label(settings)
    if not passages:
        yield {"type": "answer", "answer": Answer(prompts.NO_CONTEXT[language], backend=label, mode="none",
                                                   language=language, seconds=_since(start))}
        return
    if llm is None and language not in model_languages(settings):
        answer = finalize(question, "", passages, language, label, reason="model-language")
        answer.seconds = _since(start)
        yield {"type": "answer", "answer": answer}
        return
    llm = llm if llm is not None else get_chat_model(settings)
    messages = build_messages(question, passages, language, settings.context_tokens)
    text = ""
    try:
        for token in _generate(llm, messages, language):
            text += token
            yield {"type": "token", "text": token}
    except LLMError:
        raise
    except Exception as exc:  # network/server errors of remote backends
        raise LLMError(_explain(exc, settings)) from exc
    answer = finalize(question, text, passages, language, label)
    if answer.mode == "extractive" and text:
        yield {"type": "reset"}
    answer.seconds = _since(start)
    yield {"type": "answer", "answer": answer}


def model_languages(settings: Settings) -> tuple[str, ...]:
    """Languages the configured model writes reliably. Measured: the embedded SmolLM2-135M loops in French."""
    return ("en",) if settings.llm_backend == "embedded" else ("fr", "en")


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


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _explain(exc: Exception, settings: Settings) -> str:
    if settings.llm_backend == "openai":
        return (f"The model server at QT_LLM_BASE_URL={settings.llm_base_url} failed ({exc.__class__.__name__}: "
                f"{exc}); check the server is running and QT_LLM_MODEL={settings.llm_model} exists there")
    return f"The {settings.llm_backend} model failed ({exc}); check QT_LLM_BACKEND / QT_LLM_MODEL_PATH"
