"""The ``quant-tutor`` command line (Typer); the entry point is :func:`main` (``app.cli:main``).

One module per command group, each a module-level Typer app mounted here: ``core`` (config, ingest, search,
ask, app), ``roadmap`` (the ``roadmap`` group), ``plan``, ``models`` (train), ``llm`` (the ``models`` group: the
tutor's language model), ``finance`` (backtest, garch, var), ``exercises`` (the ``exercises`` group), ``check``
and ``learn`` (review, quiz, export anki, today). They share ``common``: one ``fail()``, one ``emit_json()`` and
one handler that turns our packages' typed errors into ``Error: ...`` and exit code 2.
"""

from __future__ import annotations

import typer

from app.cli import check, content, core, exercises, finance, learn, llm, models, plan, roadmap

__all__ = ["app", "main"]

app = typer.Typer(
    name="quant-tutor",
    help="Local-first tutor for deep learning, LLMs and quantitative finance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(core.app)
app.add_typer(roadmap.app, name="roadmap")
app.add_typer(plan.app)
app.add_typer(models.app)
app.add_typer(llm.app, name="models")
app.add_typer(finance.app)
app.add_typer(exercises.app, name="exercises")
app.add_typer(check.app)
app.add_typer(learn.app)
app.add_typer(content.app, name="content")
app.add_typer(learn.export_app, name="export")


def main() -> None:
    """The ``quant-tutor`` entry point: settings and environment problems end with a message, not a trace."""
    from app.cli.boundary import environment_errors

    with environment_errors():
        app()
