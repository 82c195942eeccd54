"""agents: the tutor. A learner's message goes normalise → understand → act (explanation card, tool, retrieval)
→ compose → check → remember.

Public API::

    agents.ask(question, *, code=None, learner=None) -> Answer     # one turn with the default tutor
    agents.Tutor / agents.build_tutor(settings, llm=None)           # a tutor you keep (memory, router, tools)
    agents.Answer, agents.Citation, agents.ToolCall                 # what a turn returns

and the tools by name: ``from agents.tools import run_python`` (see :mod:`agents.tools`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agents.answer_types import Answer, Citation, ToolCall

if TYPE_CHECKING:
    from agents.tutor import Tutor

__all__ = ["Answer", "Citation", "ToolCall", "Tutor", "ask", "build_tutor"]
_TUTORS: dict[tuple[str, str, str], Any] = {}


def ask(question: str, *, code: str | None = None, learner: str | None = None) -> Answer:
    """Ask the tutor configured by the environment and ``quant-tutor.toml`` (one tutor kept per learner)."""
    from agents.tutor import build_tutor
    from knowledge.config import get_settings

    settings = get_settings()
    if learner is not None:
        settings = settings.model_copy(update={"learner": learner})
    key = (str(settings.home), settings.learner, settings.llm_backend)
    if key not in _TUTORS:
        _TUTORS[key] = build_tutor(settings)
    answer: Answer = _TUTORS[key].ask(question, code=code)
    return answer


def __getattr__(name: str) -> Any:
    if name in ("Tutor", "build_tutor"):
        from agents import tutor

        return getattr(tutor, name)
    raise AttributeError(name)
