"""The quiz linter (``quant-tutor content lint``): each problem with its file and line."""

from __future__ import annotations

import traceback
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.cards.lint import COURSE_DIR, LintIssue, item_lines, lesson_headings
from knowledge.quizzes.schema import QuizFile, QuizItem
from knowledge.textio import fold

QUIZ_DIR = COURSE_DIR / "quizzes"
MIN_ITEMS = 8


def parse_quiz_file(path: Path) -> tuple[QuizFile | None, list[int], list[LintIssue]]:
    name = str(path)
    try:
        raw = path.read_text("utf-8")
        data = yaml.safe_load(raw)
        lines = item_lines(raw, "items")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [], [LintIssue(name, 1, f"cannot read the file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [], [LintIssue(name, mark.line + 1 if mark else 1, f"invalid YAML: {exc}")]
    try:
        parsed = QuizFile.model_validate(data)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = err["loc"]
            ok = len(loc) > 1 and loc[0] == "items" and isinstance(loc[1], int) and loc[1] < len(lines)
            out.append(LintIssue(name, lines[loc[1]] if ok else 1,  # type: ignore[index]
                                 f"{'.'.join(str(p) for p in loc)}: {err['msg']}"))
        return None, lines, out
    for item in parsed.items:
        item.chapter = parsed.chapter
    return parsed, lines, []


def run_quiz_check(item: QuizItem) -> str | None:
    """None when the item's check passes (``answer`` is defined for it), else the failure's last lines."""
    if not item.check:
        return None
    try:
        exec(compile(item.check, f"<check {item.id}>", "exec"), {"answer": item.answer})  # noqa: S102 - our files
    except Exception:  # noqa: BLE001 - any failure of the check is the item's problem
        return "".join(traceback.format_exc().splitlines(keepends=True)[-4:])
    return None


def lint_quiz_files(paths: list[Path], course_dir: Path = COURSE_DIR) -> list[LintIssue]:
    headings = lesson_headings(course_dir)
    issues: list[LintIssue] = []
    seen: dict[str, str] = {}
    for path in sorted(paths):
        parsed, lines, problems = parse_quiz_file(path)
        issues += problems
        if parsed is None:
            continue
        name = str(path)
        if path.stem != parsed.chapter:
            issues.append(LintIssue(name, 1, f"file {path.name} holds chapter {parsed.chapter}"))
        kinds = {i.kind for i in parsed.items}
        if len(parsed.items) < MIN_ITEMS or kinds != {"mcq", "true_false", "numeric"}:
            issues.append(LintIssue(name, 1, f"chapter {parsed.chapter}: {len(parsed.items)} items of kinds "
                                             f"{sorted(kinds)}; write at least {MIN_ITEMS}, with every kind"))
        for i, item in enumerate(parsed.items):
            line = lines[i] if i < len(lines) else 1
            where = f"{item.id}:"
            if not item.id.startswith(parsed.chapter + "-"):
                issues.append(LintIssue(name, line, f"{where} id must start with '{parsed.chapter}-'"))
            if item.id in seen:
                issues.append(LintIssue(name, line, f"{where} duplicate id (also in {seen[item.id]})"))
            seen.setdefault(item.id, name)
            if fold(item.section) not in headings.get(parsed.chapter, set()):
                issues.append(LintIssue(name, line, f"{where} section {item.section!r} is not a heading of the lesson"))
    return issues
