"""``quant-tutor exercises``: ``list [--json]`` and ``show ID [--hint N] [--json]`` (the course's exercises)."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import emit_json, user_errors

app = typer.Typer(help="Exercises judged in the sandbox.", no_args_is_help=True)


@app.command("list")
def list_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False) -> None:
    """List the exercises with their roadmap item."""
    from knowledge.exercise_bank import list_exercises

    with user_errors():
        infos = list_exercises()
    if as_json:
        emit_json([i.to_dict() for i in infos])
        return
    for info in infos:
        typer.echo(f"{info.id:28} {info.roadmap_item:6} {info.topic:15} {info.title}")


@app.command("show")
def show_cmd(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id or alias.")],
    hint_level: Annotated[int | None, typer.Option("--hint", help="Hint level 0-3 (3 = solution).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Print an exercise's statement and starter code."""
    from agents.exercises import hint
    from knowledge.exercise_bank import load_exercise

    with user_errors():
        ex = load_exercise(exercise_id)
        help_text = hint(ex.id, hint_level) if hint_level is not None else None
    if as_json:
        emit_json({**ex.info.to_dict(), "statement": ex.statement, "starter": ex.starter, "hint": help_text})
        return
    typer.echo(ex.statement.rstrip())
    typer.echo(f"\n--- starter.py (roadmap {ex.info.roadmap_item}) ---\n{ex.starter.rstrip()}")
    if help_text:
        typer.echo(f"\n--- aide (niveau {hint_level}) ---\n{help_text}")
    typer.echo(f"\nVérifiez : quant-tutor check {ex.id} mon_fichier.py")
