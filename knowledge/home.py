"""``QT_HOME`` must be a folder quant-tutor can write to: one probe, one French message naming the fix.

Stores fail in their own words when the folder is read-only (Chroma: "attempt to write a readonly database",
SQLite: "unable to open database file", which looks like corruption). When one of them fails, the caller asks
:func:`unwritable` whether the folder is the cause, and raises its :class:`~knowledge.errors.HomeNotWritableError`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from knowledge.errors import HomeNotWritableError

__all__ = ["not_writable_message", "unwritable"]


def not_writable_message(folder: Path | str, reason: str, setting: str = "QT_HOME") -> str:
    """What went wrong and what to do, in French (the learner's language)."""
    example = f" (par exemple `export {setting}=~/.quant-tutor`)" if setting == "QT_HOME" else ""
    return (f"{setting} ({folder}) n'est pas accessible en écriture ({reason}) : quant-tutor y garde la base du "
            f"cours, votre progression et vos conversations. Donnez à {setting} un dossier où vous pouvez "
            f"écrire{example}, ou rendez ce dossier accessible en écriture (`chmod -R u+w {folder}`, ou un disque "
            "monté en lecture-écriture).")


def unwritable(folder: Path, home: Path | None = None, setting: str = "QT_HOME") -> HomeNotWritableError | None:
    """The error to raise when ``folder`` (``home`` or a folder in it) cannot be created or written to (a file
    is created, then removed); ``None`` when it can."""
    home = home or folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".qt-write-probe-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return HomeNotWritableError(not_writable_message(home, reason if folder == home else f"{folder} : {reason}",
                                                         setting))
    return None
