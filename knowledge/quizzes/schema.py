"""The quiz item format: one YAML file per chapter in ``knowledge/course/quizzes/NN.yaml``.

    chapter: "27"
    items:
      - id: "27-q-sqrt-dk-variance"
        kind: mcq                       # mcq | true_false | numeric
        section: "Self-attention : scaled dot-product attention"   # a heading of lesson 27
        prompt: {fr: "...", en: "..."}
        options:                        # mcq: 3-5 options, exactly one correct, a reason for EVERY option
          - {text: {fr: "...", en: "..."}, correct: true, why: {fr: "...", en: "..."}}
          - {text: {fr: "...", en: "..."}, correct: false, why: {fr: "...", en: "..."}}
      - id: "27-q-prenorm-tf"
        kind: true_false
        section: "..."
        prompt: {fr: "...", en: "..."}
        answer: false                   # true_false: the truth value
        explanation: {fr: "...", en: "..."}   # the justification
      - id: "27-q-heads-dk"
        kind: numeric
        section: "..."
        prompt: {fr: "...", en: "..."}
        answer: 64.0                    # numeric: the value, with an absolute tolerance
        tolerance: 0.5
        explanation: {fr: "...", en: "..."}   # the computation step by step
        check: |                        # numeric: REQUIRED, recomputes `answer` independently
          assert 512 / 8 == 64
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

QuizKind = Literal["mcq", "true_false", "numeric"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Text(_Strict):
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


class Option(_Strict):
    text: Text
    correct: bool = False
    why: Text


class QuizItem(_Strict):
    id: str
    chapter: str = ""
    kind: QuizKind
    section: str
    prompt: Text
    options: list[Option] | None = None
    answer: bool | float | None = None
    tolerance: float | None = None
    explanation: Text | None = None
    check: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> QuizItem:
        if not re.fullmatch(r"\d{2}-q-[a-z0-9]+(?:-[a-z0-9]+)*", self.id):
            raise ValueError(f"quiz id {self.id!r} must look like '27-q-sqrt-dk-variance'")
        if self.kind == "mcq":
            if not self.options or not 3 <= len(self.options) <= 5:
                raise ValueError("a multiple-choice item needs 3 to 5 options")
            if sum(o.correct for o in self.options) != 1:
                raise ValueError("a multiple-choice item needs exactly one correct option")
        elif self.kind == "true_false":
            if not isinstance(self.answer, bool) or self.explanation is None:
                raise ValueError("a true/false item needs `answer: true|false` and an `explanation`")
        else:
            if isinstance(self.answer, bool) or self.answer is None or self.tolerance is None:
                raise ValueError("a numeric item needs a numeric `answer` and a `tolerance`")
            if self.tolerance < 0 or self.explanation is None or not self.check:
                raise ValueError("a numeric item needs a non-negative tolerance, an `explanation` and a `check`")
        return self


class QuizFile(_Strict):
    chapter: str
    items: list[QuizItem]
