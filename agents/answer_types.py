"""The tutor's typed contracts: what an answer holds, the tool calls of a turn, the events a turn streams."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypedDict

AnswerMode = Literal["card", "generated", "extractive", "tool", "socratic", "agent", "none"]
#: the tutor's tools, by name (``agents.tools.Toolbox`` has one method per name)
ToolName = Literal[
    "search_course", "run_python", "check_exercise", "model_lab", "fit_garch", "value_at_risk",
    "backtest_strategy", "study_plan", "roadmap_progress",
]


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
    mode: str = "generated"  # one of AnswerMode
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
            "card": self.memo.get("card"),  # the explanation card that answered, if any
        }


class TokenEvent(TypedDict):
    type: Literal["token"]
    text: str


class StatusEvent(TypedDict):
    """A model is writing: shown until the checked answer arrives (nothing streamed is ever withdrawn)."""

    type: Literal["status"]
    text: str


class ResetEvent(TypedDict):
    type: Literal["reset"]


class ToolEvent(TypedDict):
    type: Literal["tool"]
    call: ToolCall


class AnswerEvent(TypedDict):
    type: Literal["answer"]
    answer: Answer


#: what a turn streams: ``ask_stream`` and ``Tutor.stream`` yield these, the answer last
Event = TokenEvent | StatusEvent | ResetEvent | ToolEvent | AnswerEvent
