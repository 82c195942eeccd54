"""Scoring the tutor's concept answers on the blind sets ``knowledge/eval/concept_questions*.json``.

For each question the answer is scored on: a card answered it (card hit), its first citation is the expected
chapter (chapter hit@1), each key point is present (every keyword group has one of its alternatives in the
answer, case- and accent-insensitive), the answer is written in the question's language, and its latency.
Key points written as plain sentences (the second and third sets) cannot be matched by keywords: they are left
to a judge (``bench/concepts.py --dump`` writes the answers to grade) and counted here as not scored.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from agents.answer_types import Answer
from agents.grounding import detect_language
from knowledge.loaders import phase_of_chapter
from knowledge.textio import fold

QUESTIONS = Path(__file__).resolve().parents[1] / "knowledge" / "eval" / "concept_questions.json"


@dataclass
class ConceptScore:
    n: int = 0
    card_hits: int = 0
    chapter_hits: int = 0
    key_points: int = 0
    key_points_found: int = 0
    language_ok: int = 0
    seconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def card_rate(self) -> float:
        return self.card_hits / max(self.n, 1)

    @property
    def chapter_hit1(self) -> float:
        return self.chapter_hits / max(self.n, 1)

    @property
    def key_point_recall(self) -> float:
        return self.key_points_found / max(self.key_points, 1)

    @property
    def language_match(self) -> float:
        return self.language_ok / max(self.n, 1)

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.seconds, q)) if self.seconds else 0.0


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    questions = list(data["questions"] if isinstance(data, dict) else data)
    for q in questions:  # the second and third sets say "informal" / "formal", in English too
        q["style"] = "en" if q["lang"] == "en" else {"informal": "fr_informal", "formal": "fr_formal"}.get(
            q["style"], q["style"])
    return questions


def key_point_present(text: str, key_point: dict[str, Any] | str) -> bool | None:
    """Whether every keyword group of the key point occurs in ``text``; None for a plain-sentence key point."""
    if not isinstance(key_point, dict):
        return None
    folded = fold(text)
    return all(any(fold(alt) in folded for alt in group) for group in key_point["keywords"])


def answer_language(answer: Answer) -> str:
    body = re.sub(r"\$[^$]*\$|\*\*[^*]*\*\*|\[\d+\]", " ", answer.answer)
    return detect_language(body)


def score(questions: list[dict[str, Any]], answer_fn: Callable[[str], Answer],
          record: list[dict[str, Any]] | None = None) -> dict[str, ConceptScore]:
    """Scores overall (``all``), per style (``fr_informal``, ``fr_formal``, ``en``) and per phase (``phase N``);
    every answer is appended to ``record`` when given (for a judge)."""
    out: dict[str, ConceptScore] = {}
    for q in questions:
        start = time.perf_counter()
        answer = answer_fn(q["question"])
        seconds = time.perf_counter() - start
        chapter = answer.citations[0].chapter if answer.citations else None
        present = [key_point_present(answer.answer, kp) for kp in q["key_points"]]
        scored = [p for p in present if p is not None]
        found = sum(scored)
        expected = q.get("chapter")  # the second set names a topic, not a chapter: no chapter hit there
        phase = q.get("phase") or (phase_of_chapter(expected) if expected else "?")
        if record is not None:
            record.append({"id": q["id"], "lang": q["lang"], "style": q["style"], "question": q["question"],
                           "key_points": q["key_points"], "answer": answer.answer, "mode": answer.mode,
                           "card": answer.memo.get("card") or answer.memo.get("near_card"),
                           "also": answer.memo.get("also"), "chapter": chapter, "seconds": round(seconds, 3)})
        for key in ("all", q["style"], f"phase {phase}"):
            s = out.setdefault(key, ConceptScore())
            s.n += 1
            s.card_hits += answer.mode == "card" or "card" in answer.memo
            s.chapter_hits += expected is not None and chapter == expected
            s.key_points += len(scored)
            s.key_points_found += found
            s.language_ok += answer_language(answer) == q["lang"]
            s.seconds.append(seconds)
            if key == "all" and (chapter != expected or found < len(scored)):
                s.misses.append(f"{q['id']} [{expected}→{chapter}, {found}/{len(scored)}] "
                                f"{q['question']} ⇒ {answer.memo.get('card') or answer.memo.get('near_card')}")
    return out
