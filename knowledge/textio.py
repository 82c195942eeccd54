"""Reading learners' text files: decoding and mojibake repair.

Real files arrive as UTF-8 that was decoded as Mac Roman or cp1252 and saved again ("Math√©matiques",
"MathÃ©matiques"). ``ftfy.fix_encoding`` on the whole text undoes that, emoji and arrows included
(``ftfy.fix_text`` would leave some of them broken).
"""

from __future__ import annotations

import unicodedata

import ftfy

from knowledge.errors import IngestError

_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode bytes to text and repair mojibake.

    Raises
    ------
    IngestError
        When the data looks binary (NUL bytes) and is not text.
    """
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name}: binary file (NUL bytes); convert it to text, Markdown or PDF first")
    for enc in _ENCODINGS:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - latin-1 decodes any byte string
        raise IngestError(f"{name}: cannot decode; save it as UTF-8")
    return repair_mojibake(text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Mac Roman / cp1252 (``Math√©matiques`` -> ``Mathématiques``)."""
    return ftfy.fix_encoding(text).replace("\r\n", "\n")


def read_text(path: str | object) -> str:
    """Read a text file from disk, decoded and repaired."""
    from pathlib import Path

    p = Path(str(path))
    return decode_bytes(p.read_bytes(), name=str(p))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text ("Vérifie l’Été" -> "verifie l'ete").

    The one folding of the product: matching, routing and parsing all compare folded text.
    """
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold().replace("’", "'")
