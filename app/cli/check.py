"""``quant-tutor check ID FILE [--json]``: judge a solution in the sandbox (exit 0 when every test passes, 1 when
one fails, 2 on bad input)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli.common import emit_json, fail, user_errors

app = typer.Typer()


@app.command("check")
def check_cmd(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id or alias.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Your Python file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Check your solution FILE for exercise ID in the sandbox (exit 0 pass, 1 fail, 2 bad input)."""
    from agents.exercises import check_exercise
    from agents.sandbox import sandbox_options
    from knowledge.config import get_settings

    if not file.is_file():
        fail(f"{file} is not a file; give the path of your .py solution")
    try:
        code = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file} ({exc}); save it as UTF-8 text")
    options = sandbox_options(get_settings())
    options["timeout_s"] = max(options["timeout_s"], 20.0)
    with user_errors():
        result = check_exercise(exercise_id, code, **options)
    if as_json:
        emit_json(result.to_dict())
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
