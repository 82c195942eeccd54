"""``quant-tutor plan``: your unchecked roadmap items planned into weeks and days (JSON, Markdown, iCalendar)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import emit_json, fail, parse_date, user_errors
from knowledge.config import get_settings

app = typer.Typer()


@app.command("plan")
def plan_cmd(
    hours_per_week: float | None = typer.Option(None, "--hours-per-week", help="Weekly budget in hours."),
    until: str | None = typer.Option(None, help="Deadline YYYY-MM-DD."),
    weeks: int | None = typer.Option(None, help="Deadline in weeks from the start."),
    focus: str | None = typer.Option(None, help="Phase (3), 'chapitre 27' or a topic (GARCH)."),
    pace: str | None = typer.Option(None, help="beginner | intermediate | intensive."),
    start: str | None = typer.Option(None, help="First study day YYYY-MM-DD (default today)."),
    days_per_week: int = typer.Option(5, min=1, max=7, help="Study days per week."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
    md: Annotated[Path | None, typer.Option("--md", help="Write the plan as Markdown.")] = None,
    ics: Annotated[Path | None, typer.Option("--ics", help="Write the plan as iCalendar (.ics).")] = None,
) -> None:
    """Plan your unchecked items into weeks and days."""
    from knowledge.planner import plan, plan_to_dict, plan_to_ics, plan_to_markdown

    if pace is not None and pace not in ("beginner", "intermediate", "intensive"):
        fail(f"--pace must be beginner, intermediate or intensive, got {pace!r}")
    if hours_per_week is None and pace is None and until is None and weeks is None:
        fail("give --hours-per-week H, --pace, or a deadline (--until / --weeks)")
    with user_errors():
        p = plan(
            get_settings(),
            hours_per_week=hours_per_week,
            weeks=weeks,
            until=parse_date(until, "--until"),
            focus=focus,
            start=parse_date(start, "--start"),
            pace=pace,  # type: ignore[arg-type]
            days_per_week=days_per_week,
        )
    for target, option, write in ((md, "--md", lambda f: f.write_text(plan_to_markdown(p), encoding="utf-8")),
                                  (ics, "--ics", lambda f: f.write_bytes(plan_to_ics(p)))):
        if target is None:
            continue
        try:
            write(target)
        except OSError as exc:
            fail(f"cannot write {option} {target}: {exc.strerror or exc}; give a file in a folder that exists "
                 "and that you can write to")
    if as_json:
        emit_json(plan_to_dict(p))
        return
    if p.message:
        typer.echo(p.message, err=True)
    typer.echo(plan_to_markdown(p).split("\n---\n")[0])
