"""The authored quiz items: loaded per chapter (a malformed file skipped with a warning) and graded.

Grading never raises on a learner's answer except :class:`~knowledge.errors.QuizInputError`, whose message (in
the learner's language) says what to type.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.errors import QuizInputError
from knowledge.quizzes.schema import QuizItem

log = logging.getLogger(__name__)
QUIZ_DIR = Path(__file__).resolve().parent.parent / "course" / "quizzes"
LETTERS = "ABCDE"
_TRUE = {"vrai", "v", "true", "t", "oui", "yes", "1"}
_FALSE = {"faux", "f", "false", "non", "no", "0"}
MESSAGES = {
    "fr": {"empty": "Donne une réponse avant de valider.",
           "mcq": "Réponds par la lettre d'une option ({letters}).",
           "tf": "Réponds par « vrai » ou « faux ».",
           "num": "Réponds par un nombre (par ex. 0,05 ou 2.5) ; « {got} » n'en est pas un.",
           "right": "Juste !", "wrong": "Pas tout à fait.", "expected": "Réponse attendue"},
    "en": {"empty": "Give an answer before submitting.",
           "mcq": "Answer with the letter of an option ({letters}).",
           "tf": "Answer “true” or “false”.",
           "num": "Answer with a number (e.g. 0.05 or 2.5); “{got}” is not one.",
           "right": "Correct!", "wrong": "Not quite.", "expected": "Expected answer"},
}


@dataclass(frozen=True)
class Graded:
    item: str
    correct: bool
    expected: str
    feedback: str  # why: the chosen option's reason, or the explanation


@lru_cache(maxsize=4)
def load_quizzes(folder: Path = QUIZ_DIR) -> dict[str, tuple[QuizItem, ...]]:
    """Chapter -> its items; a file or an item that does not validate is skipped with a logged warning."""
    out: dict[str, tuple[QuizItem, ...]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
            raw_items = data["items"]
            chapter = str(data["chapter"])
        except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError) as exc:
            log.warning("quiz file %s skipped: %s (run `quant-tutor content lint`)", path, exc)
            continue
        items = []
        for raw in raw_items:
            try:
                item = QuizItem.model_validate(raw)
            except ValidationError as exc:
                log.warning("a quiz item of %s skipped: %s", path, exc.errors()[0]["msg"])
                continue
            item.chapter = chapter
            items.append(item)
        out[chapter] = tuple(items)
    return out


def parse_number(text: str, lang: str = "fr") -> float:
    """A learner's number: "0,05", "2.5", "5 %" (-> 5), "1e-3", "−0.2"."""
    raw = (text or "").strip()
    if not raw:
        raise QuizInputError(MESSAGES[lang]["empty"])
    cleaned = raw.replace("\u2212", "-").replace("\u202f", "").replace(" ", "").rstrip("%").replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?", cleaned, re.I):
        raise QuizInputError(MESSAGES[lang]["num"].format(got=raw))
    return float(cleaned)


def option_order(item: QuizItem, seed: int = 0) -> list[int]:
    """The order in which a multiple-choice item's options are shown (shuffled per item and seed, so the right
    answer is not always where the author wrote it)."""
    n = len(item.options or [])
    digest = hashlib.sha256(f"{item.id}:{seed}".encode()).digest()
    return sorted(range(n), key=lambda i: digest[i % len(digest)] * 64 + i)


def grade(item: QuizItem, response: str | int | bool, lang: str = "fr", *, order: list[int] | None = None) -> Graded:
    """Grade one answer: an option letter or index as shown in ``order`` (mcq), vrai/faux (true_false), a number
    (numeric)."""
    msg = MESSAGES["en" if lang == "en" else "fr"]
    if item.kind == "mcq":
        assert item.options is not None
        order = order or list(range(len(item.options)))
        shown = _option_index(response, len(item.options), msg)
        chosen = item.options[order[shown]]
        right = next(pos for pos, i in enumerate(order) if item.options[i].correct)
        expected = f"{LETTERS[right]}. {item.options[order[right]].text.get(lang)}"
        return Graded(item.id, chosen.correct, expected, chosen.why.get(lang))
    assert item.explanation is not None
    if item.kind == "true_false":
        value = _truth(response, msg)
        expected = ("vrai" if item.answer else "faux") if lang != "en" else ("true" if item.answer else "false")
        return Graded(item.id, value is item.answer, expected, item.explanation.get(lang))
    number = parse_number(str(response), "en" if lang == "en" else "fr")
    assert isinstance(item.answer, float | int) and item.tolerance is not None
    ok = abs(number - float(item.answer)) <= item.tolerance + 1e-12
    return Graded(item.id, ok, f"{item.answer:g}", item.explanation.get(lang))


def _option_index(response: str | int | bool, n: int, msg: dict[str, str]) -> int:
    letters = ", ".join(LETTERS[:n])
    if isinstance(response, bool):
        raise QuizInputError(msg["mcq"].format(letters=letters))
    if isinstance(response, int):
        if 0 <= response < n:
            return response
        raise QuizInputError(msg["mcq"].format(letters=letters))
    text = response.strip().upper().rstrip(").")
    if not text:
        raise QuizInputError(msg["empty"])
    if len(text) == 1 and text in LETTERS[:n]:
        return LETTERS.index(text)
    if text.isdigit() and 1 <= int(text) <= n:
        return int(text) - 1
    raise QuizInputError(msg["mcq"].format(letters=letters))


def _truth(response: str | int | bool, msg: dict[str, str]) -> bool:
    if isinstance(response, bool):
        return response
    text = str(response).strip().lower()
    if not text:
        raise QuizInputError(msg["empty"])
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise QuizInputError(msg["tf"])
