"""CLI commands for exercises (registered by app/cli.py).

``quant-tutor exercises list [--json]``, ``quant-tutor exercises show ID [--hint N] [--json]`` and
``quant-tutor check ID FILE [--json]`` (exit 0 when every test passes, 1 when one fails, 2 on bad input).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

exercises_app = typer.Typer(help="Exercises judged in the sandbox.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


def _emit(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


@exercises_app.command("list")
def list_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False) -> None:
    """List the exercises with their roadmap item."""
    from knowledge.errors import ExerciseError
    from knowledge.exercise_bank import list_exercises

    try:
        infos = list_exercises()
    except ExerciseError as exc:
        _fail(str(exc))
    if as_json:
        _emit([i.to_dict() for i in infos])
        return
    for info in infos:
        typer.echo(f"{info.id:28} {info.roadmap_item:6} {info.topic:15} {info.title}")


@exercises_app.command("show")
def show_cmd(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id or alias.")],
    hint_level: Annotated[int | None, typer.Option("--hint", help="Hint level 0-3 (3 = solution).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Print an exercise's statement and starter code."""
    from agents.errors import ExerciseCheckError
    from agents.exercises import hint
    from knowledge.errors import ExerciseError
    from knowledge.exercise_bank import load_exercise

    try:
        ex = load_exercise(exercise_id)
        help_text = hint(ex.id, hint_level) if hint_level is not None else None
    except (ExerciseError, ExerciseCheckError) as exc:
        _fail(str(exc))
    if as_json:
        _emit({**ex.info.to_dict(), "statement": ex.statement, "starter": ex.starter, "hint": help_text})
        return
    typer.echo(ex.statement.rstrip())
    typer.echo(f"\n--- starter.py (roadmap {ex.info.roadmap_item}) ---\n{ex.starter.rstrip()}")
    if help_text:
        typer.echo(f"\n--- aide (niveau {hint_level}) ---\n{help_text}")
    typer.echo(f"\nVérifiez : quant-tutor check {ex.id} mon_fichier.py")


def check_cmd(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id or alias.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Your Python file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Check your solution FILE for exercise ID in the sandbox (exit 0 pass, 1 fail, 2 bad input)."""
    from agents.errors import ExerciseCheckError, SandboxUnavailable
    from agents.exercises import check_exercise
    from agents.sandbox import sandbox_options
    from knowledge.config import get_settings

    if not file.is_file():
        _fail(f"{file} is not a file; give the path of your .py solution")
    try:
        code = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {file} ({exc}); save it as UTF-8 text")
    options = sandbox_options(get_settings())
    options["timeout_s"] = max(options["timeout_s"], 20.0)
    try:
        result = check_exercise(exercise_id, code, **options)
    except (ExerciseCheckError, SandboxUnavailable) as exc:
        _fail(str(exc))
    if as_json:
        _emit(result.to_dict())
    else:
        _print_result(result)
    raise typer.Exit(0 if result.passed else 1)


def _print_result(result: Any) -> None:
    for t in result.tests:
        mark = typer.style("✔", fg=typer.colors.GREEN) if t.passed else typer.style("✘", fg=typer.colors.RED)
        typer.echo(f"{mark} {t.name}: {t.description or ''} {'' if t.passed else '— ' + t.message}")
        if not t.passed and t.expected not in (None, "None"):
            typer.echo(f"    entrée  : {t.input}\n    attendu : {t.expected}\n    obtenu  : {t.got}")
    typer.echo(result.summary)
    if result.stdout.strip():
        typer.echo(f"--- vos print ---\n{result.stdout.rstrip()}")
    if result.offer:
        typer.echo(result.offer)
    elif result.hint:
        typer.echo(result.hint)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main Typer app."""
    app.add_typer(exercises_app, name="exercises")
    app.command("check")(check_cmd)
