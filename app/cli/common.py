"""What every command of the CLI shares: one way to fail, one JSON printer, one handler of user errors.

A user error (a typed error of one of our packages, whose message says the fix) becomes ``Error: ...`` on
stderr and exit code 2, never a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer

from agents.errors import AgentError
from finance.errors import FinanceError
from knowledge.config import Settings, get_settings
from knowledge.dates import parse_learner_date
from knowledge.errors import DateError, KnowledgeError
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


_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)([^@\s/]+)(@)", re.I)


def mask_url_password(text: str) -> str:
    """``postgresql://admin:***@db/qt`` for ``postgresql://admin:secret@db/qt`` (any URL scheme)."""
    return _URL_PASSWORD.sub(r"\1***\3", text)


def run_forwarding_signals(cmd: list[str], *, env: Mapping[str, str], grace_s: float = 10.0) -> int:
    """Run ``cmd`` as a child; SIGTERM, SIGINT and SIGHUP are passed on to it and it is waited for.

    A supervisor stopping us (``terminate()``, ``systemctl stop``) stops the child too: no server is left
    orphaned holding its port. After ``grace_s`` seconds the child is killed.
    """
    child = subprocess.Popen(cmd, env=dict(env))
    received: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    deadline: float | None = None
    try:
        while True:
            try:
                code = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if received:
                    deadline = deadline or time.monotonic() + grace_s
                    if time.monotonic() > deadline:
                        child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 + received[0] if received and code < 0 else code


def parse_date(value: str | None, option: str) -> date | None:
    """The date the learner wrote for ``option`` (``YYYY-MM-DD``, or French ``JJ/MM/AAAA`` read day first and
    said on stderr), or a clear French error (:mod:`knowledge.dates`)."""
    if value is None:
        return None
    try:
        read = parse_learner_date(value)
    except DateError as exc:
        fail(f"{option} : {exc}")
    if note := read.note(option):
        typer.secho(f"Note : {note}", err=True, fg=typer.colors.YELLOW)
    return read.value


def parse_iso(value: str | None, option: str) -> str | None:
    """:func:`parse_date` as ``YYYY-MM-DD`` text, for the finance functions (``pandas`` would read ``03/04/2015``
    month first)."""
    read = parse_date(value, option)
    return read.isoformat() if read else None
