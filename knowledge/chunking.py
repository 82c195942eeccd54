"""Markdown-aware chunking: along headings, code fences kept whole up to a hard cap.

A section is the text under one heading path ("Chapitre 37 > Value at Risk > Historique"). Sections longer
than the target size are split at blank lines outside code fences. A paragraph longer than the target is split
at line ends, then at spaces, then anywhere; a code fence stays whole (even unclosed at the end of the file)
up to :func:`hard_cap` characters, beyond which it is split at line ends into fences of its language. No chunk
exceeds the hard cap, so no text sent to the embedder is unbounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MAX_HEADING_LINE = 500  # a longer "# ..." line is text: keeps the heading regex linear and paths short
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)


@dataclass
class Chunk:
    text: str
    heading: str  # "A > B > C"
    meta: dict[str, str] = field(default_factory=dict)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (front matter as flat str dict, body). A tiny YAML subset: ``key: value`` and ``key: [a, b]``."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" not in line or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            items = [v.strip().strip("\"'") for v in value[1:-1].split(",") if v.strip()]
            value = ",".join(items)
        meta[key.strip()] = value.strip("\"'")
    return meta, text[m.end():]


def _blocks(lines: list[str]) -> list[tuple[str, int, str]]:
    """Group lines into blocks: ("heading", level, title) or ("text", 0, text); fences stay in one block."""
    out: list[tuple[str, int, str]] = []
    buf: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if buf and any(x.strip() for x in buf):
            out.append(("text", 0, "\n".join(buf).strip("\n")))
        buf.clear()

    for line in lines:
        fm = _FENCE.match(line)
        if fence is not None:
            buf.append(line)
            if fm and fm.group(1)[0] == fence[0] and len(fm.group(1)) >= len(fence) and line.strip() == fm.group(1):
                fence = None
                flush()
            continue
        if fm:
            flush()
            fence = fm.group(1)
            buf.append(line)
            continue
        hm = _HEADING.match(line) if len(line) <= _MAX_HEADING_LINE else None
        if hm:
            flush()
            out.append(("heading", len(hm.group(1)), hm.group(2).strip()))
            continue
        if not line.strip():
            flush()
            continue
        buf.append(line)
    flush()  # an unclosed fence ends with the file and stays whole
    return out


def hard_cap(size: int) -> int:
    """The most characters any chunk may have for a target ``size``."""
    return max(4 * size, 2000)


def _cut(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at line ends, else at spaces, else anywhere."""
    out: list[str] = []
    cur = ""
    for line in text.split("\n"):
        while len(line) > limit:
            at = line.rfind(" ", limit // 2, limit)
            at = at if at > 0 else limit
            if cur:
                out.append(cur)
                cur = ""
            out.append(line[:at])
            line = line[at:].lstrip(" ")
        if cur and len(cur) + 1 + len(line) > limit:
            out.append(cur)
            cur = line
        else:
            cur = f"{cur}\n{line}" if cur else line
    if cur.strip():
        out.append(cur)
    return [p for p in out if p.strip()]


def _split_long(block: str, size: int) -> list[str]:
    """A block as pieces within bounds: paragraphs at ``size``, code fences at the hard cap."""
    fm = _FENCE.match(block)
    if fm is None:
        return [block] if len(block) <= size else _cut(block, size)
    cap = hard_cap(size)
    if len(block) <= cap:
        return [block]
    lines = block.split("\n")
    opener = lines[0].strip()
    fence = fm.group(1)
    body = "\n".join(lines[1:-1] if lines[-1].strip() == fence else lines[1:])
    room = cap - len(opener) - len(fence) - 2
    return [f"{opener}\n{piece}\n{fence}" for piece in _cut(body, room)]


def _pack(paragraphs: list[str], size: int, overlap: int) -> list[str]:
    """Greedily pack paragraphs into pieces of about ``size`` characters."""
    pieces: list[str] = []
    cur: list[str] = []
    cur_len = 0
    for p in paragraphs:
        if cur and cur_len + len(p) + 2 > size:
            pieces.append("\n\n".join(cur))
            tail = cur[-1] if overlap and len(cur[-1]) <= overlap and not _FENCE.match(cur[-1]) else None
            cur, cur_len = ([tail], len(tail)) if tail else ([], 0)
        cur.append(p)
        cur_len += len(p) + 2
    if cur:
        pieces.append("\n\n".join(cur))
    return pieces


def chunk_markdown(text: str, *, size: int = 1200, overlap: int = 150, title: str | None = None) -> list[Chunk]:
    """Split Markdown into chunks along headings.

    Parameters
    ----------
    text : str
        Markdown body (front matter already removed).
    size : int
        Target chunk size in characters; a code fence may exceed it (never cut).
    overlap : int
        A short trailing paragraph (at most this many characters) is repeated at the start of the next piece.
    title : str, optional
        Root of the heading path when the text has no level-1 heading.
    """
    path: list[tuple[int, str]] = []
    sections: list[tuple[str, list[str]]] = []
    for kind, level, value in _blocks(text.splitlines()):
        if kind == "heading":
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, value))
            sections.append((" > ".join(t[:200] for _, t in path), []))
        else:
            if not sections:
                sections.append((title or "", []))
            sections[-1][1].append(value)
    chunks: list[Chunk] = []
    for heading, paras in sections:
        if not paras:
            continue
        bounded = [piece for p in paras for piece in _split_long(p, size)]
        for piece in _pack(bounded, size, overlap):
            chunks.append(Chunk(text=piece, heading=heading or (title or "")))
    return chunks
