"""The card linter: every rule a card file must pass, each problem reported with its file and line.

Run it with ``quant-tutor content lint`` (the shipped cards, or given files); the test suite runs it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz

from knowledge.cards.library import CARDS_DIR
from knowledge.cards.schema import (
    FACT_WORDS,
    FACTS,
    SIMPLE_SENTENCES,
    STANDARD_WORDS,
    Card,
    CardFile,
    count_sentences,
    count_words,
    has_formula,
)
from knowledge.textio import fold

COURSE_DIR = CARDS_DIR.parent
COLLISION_RATIO = 95.0
_NUMERIC_EXAMPLE = re.compile(r"[=≈]\s*-?\d+[.,]\d+")


@dataclass(frozen=True)
class LintIssue:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def lesson_headings(course_dir: Path = COURSE_DIR) -> dict[str, set[str]]:
    """Chapter -> folded ``##``/``###`` headings of its lesson."""
    out: dict[str, set[str]] = {}
    for path in sorted(course_dir.glob("[0-9][0-9]-*.md")):
        heads = {fold(m.group(1)) for m in re.finditer(r"^#{2,4}\s+(.+?)\s*$", path.read_text("utf-8"), re.M)}
        out[path.name[:2]] = heads
    return out


def item_lines(raw: str, key_name: str = "cards") -> list[int]:
    """Line (1-based) of each mapping of the file's ``key_name`` list, in order."""
    node = yaml.compose(raw)
    if node is None or not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == key_name and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def parse_file(path: Path) -> tuple[CardFile | None, list[int], list[LintIssue]]:
    """Parse one card file: the model (or None), the line of each card, and the parse problems."""
    name = str(path)
    try:
        raw = path.read_text("utf-8")
        data = yaml.safe_load(raw)
        lines = item_lines(raw)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [], [LintIssue(name, 1, f"cannot read the file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [], [LintIssue(name, line, f"invalid YAML: {getattr(exc, 'problem', exc)}")]
    try:
        parsed = CardFile.model_validate(data)
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            loc = err["loc"]
            in_card = len(loc) > 1 and loc[0] == "cards" and isinstance(loc[1], int) and loc[1] < len(lines)
            line = lines[loc[1]] if in_card else 1  # type: ignore[index]
            where = ".".join(str(p) for p in loc)
            issues.append(LintIssue(name, line, f"{where}: {err['msg']}"))
        return None, lines, issues
    for card in parsed.cards:
        card.chapter = parsed.chapter
    return parsed, lines, []


def _card_rules(card: Card, headings: dict[str, set[str]]) -> list[str]:
    problems = []
    if not card.id.startswith(card.chapter + "-"):
        problems.append(f"id {card.id!r} must start with its chapter '{card.chapter}-'")
    if card.chapter not in headings:
        problems.append(f"unknown chapter {card.chapter!r}: no lesson {card.chapter}-*.md")
    elif fold(card.section) not in headings[card.chapter]:
        problems.append(f"section {card.section!r} is not a heading of lesson {card.chapter}")
    lo, hi = SIMPLE_SENTENCES
    wlo, whi = STANDARD_WORDS
    for lang in ("fr", "en"):
        simple = card.simple.get(lang)  # type: ignore[arg-type]
        n = count_sentences(simple)
        if not lo <= n <= hi:
            problems.append(f"simple.{lang} has {n} sentences; write {lo}-{hi}")
        if has_formula(simple):
            problems.append(f"simple.{lang} contains a formula; the simple level has none")
        words = count_words(card.standard.get(lang))  # type: ignore[arg-type]
        if not wlo <= words <= whi:
            problems.append(f"standard.{lang} has {words} words; write {wlo}-{whi}")
        prose = re.sub(r"`[^`]*`", " ", card.standard.get(lang))  # type: ignore[arg-type]  # code is not an example
        if _NUMERIC_EXAMPLE.search(prose) and not card.check:
            problems.append(f"standard.{lang} has a numeric example; add a `check` that computes it")
    if len(card.questions.all()) < 5:
        problems.append("write at least 5 question phrasings")
    return problems + _fact_rules(card)


def _fact_rules(card: Card) -> list[str]:
    if card.facts is None:
        return []
    problems = []
    flo, fhi = FACTS
    if len(card.facts.fr) != len(card.facts.en):
        problems.append(f"facts: {len(card.facts.fr)} in French, {len(card.facts.en)} in English; "
                        "write the same facts in both languages")
    for lang in ("fr", "en"):
        facts = card.facts.get(lang)  # type: ignore[arg-type]
        if not flo <= len(facts) <= fhi:
            problems.append(f"facts.{lang} has {len(facts)} facts; write {flo}-{fhi}")
        for k, fact in enumerate(facts, 1):
            if count_words(fact) > FACT_WORDS:
                problems.append(f"facts.{lang} #{k} has {count_words(fact)} words; at most {FACT_WORDS}")
            if count_sentences(fact) > 2:
                problems.append(f"facts.{lang} #{k} has {count_sentences(fact)} sentences; one fact, one sentence")
    return problems


def lint_files(paths: list[Path], course_dir: Path = COURSE_DIR) -> list[LintIssue]:
    """Every problem in these card files, taken together (ids, related ids and collisions are global)."""
    headings = lesson_headings(course_dir)
    issues: list[LintIssue] = []
    located: list[tuple[Card, str, int]] = []
    for path in sorted(paths):
        parsed, lines, problems = parse_file(path)
        issues += problems
        if parsed is None:
            continue
        if path.stem != parsed.chapter:
            issues.append(LintIssue(str(path), 1,
                                    f"file {path.name} holds chapter {parsed.chapter}; name it {parsed.chapter}.yaml"))
        for i, card in enumerate(parsed.cards):
            line = lines[i] if i < len(lines) else 1
            located.append((card, str(path), line))
            issues += [LintIssue(str(path), line, f"{card.id}: {p}") for p in _card_rules(card, headings)]
    issues += _global_rules(located)
    return issues


def _global_rules(located: list[tuple[Card, str, int]]) -> list[LintIssue]:
    issues = []
    seen: dict[str, tuple[str, int]] = {}
    for card, file, line in located:
        if card.id in seen:
            first = f"{seen[card.id][0]}:{seen[card.id][1]}"
            issues.append(LintIssue(file, line, f"duplicate id {card.id!r} (also {first})"))
        seen.setdefault(card.id, (file, line))
    for card, file, line in located:
        for rel in card.related:
            if rel not in seen:
                issues.append(LintIssue(file, line, f"{card.id}: related id {rel!r} does not exist"))
    variants = [(fold(q), card.id, file, line) for card, file, line in located for _, q in card.questions.all()]
    by_text: dict[str, str] = {}
    for text, cid, file, line in variants:
        other = by_text.get(text)
        if other is not None and other != cid:
            issues.append(LintIssue(file, line, f"{cid}: question {text!r} is also a question of {other}"))
        by_text.setdefault(text, cid)
    issues += _near_collisions(variants)
    return issues


def _near_collisions(variants: list[tuple[str, str, str, int]]) -> list[LintIssue]:
    from rapidfuzz import process

    texts = [v[0] for v in variants]
    issues = []
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=COLLISION_RATIO, workers=1)
    for i, j in zip(*scores.nonzero(), strict=True):
        if i < j and variants[i][1] != variants[j][1] and texts[i] != texts[j]:
            text, cid, file, line = variants[i]
            issues.append(LintIssue(file, line, f"{cid}: question {text!r} nearly repeats one of {variants[j][1]}"))
    return issues
