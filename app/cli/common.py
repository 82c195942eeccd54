"""What every command of the CLI shares: one way to fail, one JSON printer, one handler of user errors.

A user error (a typed error of one of our packages, whose message says the fix) becomes ``Error: ...`` on
stderr and exit code 2, never a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer

from agents.errors import AgentError
from finance.errors import FinanceError
from knowledge.config import Settings, get_settings
from knowledge.errors import KnowledgeError
from models.errors import ModelsError

#: the typed errors of our packages: their message is for the user
USER_ERRORS: tuple[type[Exception], ...] = (KnowledgeError, FinanceError, AgentError, ModelsError)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``Error: message`` on stderr and exit with ``code`` (no traceback)."""
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout (UTF-8 text, dates as strings, NaN refused)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str, allow_nan=False))


@contextmanager
def user_errors() -> Iterator[None]:
    """Our typed errors become one line on stderr and exit code 2, never a traceback."""
    try:
        yield
    except USER_ERRORS as exc:
        fail(str(exc))


def settings_or_fail() -> Settings:
    """The settings, or a clear error naming the invalid ``QT_*`` setting."""
    from pydantic import ValidationError

    try:
        return get_settings()
    except ValidationError as exc:
        fail(f"invalid setting: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']} (check your QT_* variables)")


def parse_date(value: str | None, option: str) -> date | None:
    """``YYYY-MM-DD`` given for ``option``, or a clear error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date like 2025-01-06, got {value!r}")
