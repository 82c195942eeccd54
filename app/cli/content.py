"""``quant-tutor content lint``: the explanation cards' and quizzes' linters and numeric checks, as one report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Check the course content (explanation cards, quizzes).", no_args_is_help=True)


@app.command("lint")
def lint_cmd(
    files: Annotated[list[Path] | None, typer.Argument(help="Card files to lint (default: all cards).")] = None,
    chapter: Annotated[list[str] | None, typer.Option("--chapter", help="Run the checks of these chapters only.")]
    = None,
    quizzes: Annotated[bool, typer.Option("--quizzes/--no-quizzes", help="Lint and check the quizzes too.")] = True,
) -> None:
    """Every problem with its file and line, and every card or quiz check that fails; exit 1 when any."""
    from knowledge.cards.checks import cards_of, run_check
    from knowledge.cards.library import CARDS_DIR
    from knowledge.cards.lint import lint_files
    from knowledge.quizzes.lint import QUIZ_DIR, lint_quiz_files, parse_quiz_file, run_quiz_check

    given = {p.resolve() for p in files or []}
    paths = sorted(given | set(CARDS_DIR.glob("*.yaml")))  # given files are linted against all the others
    issues = lint_files(paths)
    chapters = [c.zfill(2) for c in chapter or []]
    failed = [(card.id, err) for card in cards_of(chapters) if (err := run_check(card))]
    quiz_paths = sorted(QUIZ_DIR.glob("*.yaml")) if quizzes else []
    issues += lint_quiz_files(quiz_paths)
    for path in quiz_paths:
        parsed, _, _ = parse_quiz_file(path)
        failed += [(item.id, err) for item in (parsed.items if parsed else []) if (err := run_quiz_check(item))]
    for issue in issues:
        typer.echo(str(issue))
    for item_id, err in failed:
        typer.echo(f"CHECK FAILED {item_id}:\n{err}")
    typer.echo(f"{len(paths)} card files, {len(quiz_paths)} quiz files: {len(issues)} problems, "
               f"{len(failed)} failed checks")
    if issues or failed:
        raise typer.Exit(1)
