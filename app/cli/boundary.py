"""The CLI's last error boundary: problems of the environment (settings, QT_HOME, database URL) end with a
message naming what to fix, never a traceback. Bugs keep their traceback."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from app.cli.common import mask_url_password
from knowledge.home import not_writable_message

_WRITE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT}


def setting_message(exc: Exception) -> str:
    """One line per invalid ``QT_*`` setting, with what is expected (passwords masked)."""
    lines = []
    for err in getattr(exc, "errors", lambda: [])():
        name = "QT_" + "_".join(str(p) for p in err.get("loc", ())).upper()
        got = mask_url_password(str(err.get("input", "")))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        lines.append(f"invalid setting {name}={got!r}: {msg}. Fix it in the environment or in quant-tutor.toml")
    return "\n".join(lines) or f"invalid settings: {exc}"


def home_message(exc: OSError) -> str:
    """The French message of :mod:`knowledge.home` for a write that failed under ``QT_HOME``."""
    home = os.environ.get("QT_HOME", "~/.quant-tutor")
    where = f"{exc.filename} : " if exc.filename else ""
    return not_writable_message(home, f"{where}{exc.strerror or exc}")


@contextmanager
def environment_errors() -> Iterator[None]:
    from pydantic import ValidationError

    try:
        yield
    except ValidationError as exc:
        _fail(setting_message(exc))
    except OSError as exc:
        if exc.errno not in _WRITE_ERRNOS:
            raise
        _fail(home_message(exc))
    except Exception as exc:
        text = str(exc)
        if type(exc).__name__ == "OperationalError" and ("readonly" in text or "unable to open" in text):
            _fail(home_message(OSError(errno.EROFS, text)))
        raise


def _fail(message: str) -> None:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    raise SystemExit(2)
