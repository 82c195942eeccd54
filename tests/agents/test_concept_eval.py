"""The blind concept set: the tutor on the embedded default, every answer scored as bench/concepts.py does.

The set (``knowledge/eval/concept_questions.json``) was written by an author who saw the lessons but neither the
cards nor the matcher. README.md gives the figures measured before and after tuning. The floors below are the
figures measured after tuning minus a small margin: chapter hit@1 meets the target (0.90) in every style; the
key-point recall target (0.85) is met in formal French only, and is held here where it stands so that it can only
go up (informal French 0.833, English 0.765 measured).
"""

from __future__ import annotations

import pytest

from agents.concept_eval import load_questions, score
from agents.tutor import build_tutor
from knowledge.config import get_settings
from knowledge.ingest import ingest

QUESTIONS = load_questions()


def test_the_blind_set_is_balanced() -> None:
    styles = [q["style"] for q in QUESTIONS]
    assert len(QUESTIONS) >= 150
    assert {s: styles.count(s) for s in set(styles)} == {"fr_informal": 59, "fr_formal": 59, "en": 59}
    assert {q["chapter"] for q in QUESTIONS} == {f"{n:02d}" for n in range(45)}
    assert all(2 <= len(q["key_points"]) <= 3 for q in QUESTIONS)


@pytest.mark.slow
def test_blind_concept_questions_reach_the_targets() -> None:
    ingest(progress=False)
    tutor = build_tutor(get_settings())
    scores = score(QUESTIONS, tutor.ask)
    floors = {"fr_informal": 0.80, "fr_formal": 0.85, "en": 0.73}
    for style, kp_floor in floors.items():
        s = scores[style]
        assert s.chapter_hit1 >= 0.90, (style, s.chapter_hit1, scores["all"].misses[:10])
        assert s.key_point_recall >= kp_floor, (style, s.key_point_recall, scores["all"].misses[:10])
        assert s.language_match >= 0.96, style
