"""``quant-tutor roadmap``: import, show, check, uncheck, export, tracker, log, next."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from app.cli.common import emit_json, parse_date, user_errors
from knowledge.config import get_settings
from knowledge.roadmap import Roadmap

app = typer.Typer(
    help="Your roadmap: import it, see it, check items, export it with your marks.", no_args_is_help=True
)


def roadmap_dict(roadmap: Roadmap, checked: dict[str, Any], tracker: dict[str, str]) -> dict[str, Any]:
    """The roadmap with marks, as plain data (``roadmap show --json``)."""
    from knowledge.roadmap import summarize

    summary = summarize(roadmap, checked)

    def items(its: Any) -> list[dict[str, Any]]:
        return [{"id": i.id, "text": i.label, "kind": i.kind, "checked": i.id in checked} for i in its]

    phases = []
    for ph, prog in zip(roadmap.phases, summary.phases, strict=True):
        phases.append(
            {
                "number": ph.number,
                "title": ph.title,
                "weeks": ph.weeks,
                "hours_per_week": ph.hours_per_week,
                "done": prog.done,
                "total": prog.total,
                "objectives": list(ph.objectives),
                "chapters": [
                    {
                        "number": c.number,
                        "title": c.title,
                        "items": items(c.items),
                        "project": c.project.title if c.project else None,
                    }
                    for c in ph.chapters
                ],
                "criteria": items(ph.criteria),
            }
        )
    return {
        "title": roadmap.title,
        "percent": round(summary.percent, 1),
        "done": summary.done,
        "total": summary.total,
        "projects_done": summary.projects_done,
        "projects_total": summary.projects_total,
        "phases": phases,
        "groups": [
            {"id": g.id, "title": g.title, "items": items(g.items)}
            for g in (*roadmap.capstones, *roadmap.extras)
        ],
        "paces": [{"key": p.key, "name": p.name, "hours": p.hours} for p in roadmap.paces],
        "tracker": tracker,
    }


def _show_text(data: dict[str, Any]) -> None:
    typer.echo(
        f"{data['title']}: {data['percent']}% ({data['done']}/{data['total']}), "
        f"projects {data['projects_done']}/{data['projects_total']}"
    )
    for ph in data["phases"]:
        typer.echo(f"\nPhase {ph['number']}: {ph['title']}  [{ph['done']}/{ph['total']}]")
        for ch in ph["chapters"]:
            typer.echo(f"  Chapitre {ch['number']}: {ch['title']}")
            for it in ch["items"]:
                typer.echo(f"    [{'x' if it['checked'] else ' '}] {it['id']:<6} {it['text']}")
        for it in ph["criteria"]:
            typer.echo(f"  [{'x' if it['checked'] else ' '}] {it['id']:<6} {it['text']}")
    for g in data["groups"]:
        typer.echo(f"\n{g['id']}: {g['title']}")
        for it in g["items"]:
            typer.echo(f"  [{'x' if it['checked'] else ' '}] {it['id']:<6} {it['text']}")


@app.command("import")
def import_cmd(file: Annotated[Path, typer.Argument(help="Your roadmap Markdown (any encoding).")]) -> None:
    """Make FILE your roadmap; progress is kept for items that still match."""
    from knowledge.roadmap import import_roadmap

    with user_errors():
        r = import_roadmap(file, get_settings())
    typer.echo(
        f"Imported {r.items} items into {r.path}: {r.kept} checks kept, {r.moved} moved, "
        f"{r.reattached} re-attached, {r.from_file} marked [x] in the file."
    )
    if r.aside:
        typer.echo(f"{r.aside} ticks kept from the previous roadmap (their items changed or vanished); "
                   "they come back when an import brings those items back.")
    if r.backup is not None:
        typer.echo(f"Backup of the previous progress: {r.backup} (undo with `quant-tutor roadmap restore`).")


@app.command("restore")
def restore_cmd(
    name: Annotated[str | None, typer.Argument(help="Backup file name (default: the newest).")] = None,
    list_only: Annotated[bool, typer.Option("--list", help="List the backups, newest first.")] = False,
) -> None:
    """Put back the progress database (and roadmap) saved before an import."""
    from knowledge.roadmap import list_backups, restore_progress

    s = get_settings()
    if list_only:
        for b in list_backups(s):
            typer.echo(b.name)
        return
    with user_errors():
        chosen = restore_progress(s, name)
    typer.echo(f"Progress restored from {chosen} (the state before it was backed up too).")


@app.command("show")
def show_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON only.")) -> None:
    """Phases, chapters and items with their ids and marks."""
    from knowledge.roadmap import load_roadmap, open_progress, tracker_view

    with user_errors():
        settings = get_settings()
        roadmap = load_roadmap(settings)
        with open_progress(settings, roadmap) as store:
            data = roadmap_dict(roadmap, store.checked(), tracker_view(roadmap, store))
    emit_json(data) if as_json else _show_text(data)


def _mark(ids: list[str], action: Literal["check", "uncheck"]) -> None:
    from knowledge.roadmap import open_progress

    with user_errors(), open_progress(get_settings()) as store:
        for item_id in ids:
            store.roadmap.item(item_id)  # type: ignore[union-attr]  # validate all before writing any
        for item_id in ids:
            if action == "check":
                store.check(item_id)
            else:
                store.uncheck(item_id)
            item = store.roadmap.item(item_id)  # type: ignore[union-attr]
            typer.echo(f"[{'x' if action == 'check' else ' '}] {item.id} {item.label}")


@app.command("check")
def check_cmd(ids: Annotated[list[str], typer.Argument(help="Item ids such as 03.8 or P1.V2.")]) -> None:
    """Mark items done (saved when the command returns)."""
    _mark(ids, "check")


@app.command("uncheck")
def uncheck_cmd(ids: Annotated[list[str], typer.Argument(help="Item ids such as 03.8 or P1.V2.")]) -> None:
    """Clear items."""
    _mark(ids, "uncheck")


@app.command("export")
def export_cmd(file: Annotated[Path, typer.Argument(help="Markdown file to write.")]) -> None:
    """Write your roadmap with [x] marks and the tracker filled in."""
    from knowledge.roadmap import export_roadmap

    with user_errors():
        out = export_roadmap(file, get_settings())
    typer.echo(f"Exported to {out}")


@app.command("tracker")
def tracker_cmd(
    start_date: str | None = typer.Option(None, help="YYYY-MM-DD"),
    current_phase: str | None = typer.Option(None),
    hours_this_week: float | None = typer.Option(None),
    target_date: str | None = typer.Option(None, help="YYYY-MM-DD"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """Show the tracker, or set its fields."""
    from knowledge.roadmap import load_roadmap, open_progress, tracker_view

    updates: dict[str, Any] = {
        k: v
        for k, v in {
            "start_date": parse_date(start_date, "--start-date"),
            "current_phase": current_phase,
            "hours_this_week": hours_this_week,
            "target_date": parse_date(target_date, "--target-date"),
        }.items()
        if v is not None
    }
    with user_errors():
        roadmap = load_roadmap(get_settings())
        with open_progress(get_settings(), roadmap) as store:
            if updates:
                store.set_tracker(**updates)
            view = tracker_view(roadmap, store)
    view["projects_done"] = f"{view['projects_done']} / {roadmap.projects_total}"
    if as_json:
        emit_json(view)
        return
    for key in ("start_date", "current_phase", "hours_this_week", "projects_done", "target_date"):
        typer.echo(f"{key}: {view.get(key, '___')}")


@app.command("log")
def log_cmd(
    minutes: int = typer.Argument(..., help="Minutes studied."),
    chapter: str | None = typer.Option(None, help="Chapter number, e.g. 03."),
    day: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default today)."),
    note: str = typer.Option(""),
) -> None:
    """Log a study session."""
    from knowledge.roadmap import open_progress

    when = parse_date(day, "--date")
    with user_errors(), open_progress(get_settings()) as store:
        if chapter is not None:
            store.roadmap.chapter(chapter)  # type: ignore[union-attr]
        s = store.log_session(minutes, day=when, chapter=chapter, note=note)
    typer.echo(
        f"Logged {s.minutes} min on {s.day.isoformat()}" + (f" (chapter {s.chapter})" if s.chapter else "")
    )


@app.command("next")
def next_cmd(
    n: int = typer.Option(3, "-n", min=1, help="How many items."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """The next unchecked items in roadmap order."""
    from knowledge.roadmap import next_steps

    with user_errors():
        items = next_steps(get_settings(), n)
    if as_json:
        emit_json([{"id": i.id, "chapter": i.chapter, "text": i.label} for i in items])
    else:
        for i in items:
            typer.echo(f"{i.id:<6} {i.label}")
