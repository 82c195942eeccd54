"""Ingest course documents into Chroma: load, repair, redact, chunk, embed what changed.

Chunk ids are content hashes (source, heading, text): re-ingesting unchanged files embeds nothing; a changed
file gets its new chunks added and its stale ones removed; chunks of files deleted under an ingested folder are
removed. A bad file is reported in ``skipped`` and never aborts the run; its old chunks are kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from knowledge.chunking import chunk_markdown, hard_cap
from knowledge.config import Settings, get_settings
from knowledge.embeddings import get_embedder
from knowledge.errors import IngestError
from knowledge.loaders import SUPPORTED, load_file
from knowledge.redact import redact
from knowledge.store import get_collection

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE_DIR = Path(__file__).resolve().parent / "course"
_BATCH = 64
MAX_FILES = 5000  # per ingest: a folder with more is almost surely not a course (a home or root directory)
_SKIP_DIRS = {"node_modules", "site-packages", "dist-packages", "venv", "env", "build", "dist"}


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class IngestReport:
    """What an ingest did. ``added``: chunks of files new to the store; ``updated``: new chunks of changed
    files; ``removed``: stale chunks deleted."""

    files: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    redacted: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Record:
    id: str
    text: str
    embed_text: str
    meta: dict[str, Any]


def printable(path: Path | str) -> str:
    """A path as valid UTF-8 text (a file name in another encoding shows its bad bytes as U+FFFD)."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def source_name(path: Path) -> str:
    """Stable source id: relative to the repo for shipped files, absolute otherwise (always valid UTF-8)."""
    p = Path(os.path.abspath(path))
    try:
        return printable(p.relative_to(REPO_ROOT).as_posix())
    except ValueError:
        return printable(p.as_posix())


def _outside(path: Path, root: Path) -> str:
    """Why a file found under ``root`` must not be read unless asked ('' when it is fine)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return f"broken or looping symbolic link ({exc.__class__.__name__}); fix or remove it"
    base = root.resolve()
    if real != base and base not in real.parents:
        return (f"symbolic link to {printable(real)}, outside {printable(base)}; not ingested "
                "(use --follow-symlinks to include it)")
    return ""


def _walk(paths: Iterable[Path], report: IngestReport, *,
          follow_symlinks: bool = False) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    roots: list[str] = []
    for path in paths:
        if path.is_dir():
            found = _course_files(path)
            if len(found) > MAX_FILES:
                report.skipped.append(Skipped(printable(path), f"more than {MAX_FILES} documents; point at the "
                                              "folder of your course notes, not a whole disk or home directory"))
                continue
            roots.append(source_name(path).rstrip("/") + "/")
            for f in found:
                why = _outside(f, path) if not follow_symlinks or not f.exists() else ""
                if why:
                    report.skipped.append(Skipped(printable(f), why))
                else:
                    files.append(f)
        elif path.is_file():
            files.append(path)
        else:
            report.skipped.append(Skipped(printable(path), "not found; check the path"))
    return files, roots


def _course_files(folder: Path) -> list[Path]:
    """Supported files below ``folder``, skipping hidden folders and environments; stops past MAX_FILES."""
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")) and d not in _SKIP_DIRS)
        for name in sorted(filenames):
            if Path(name).suffix.lower() in SUPPORTED and not name.startswith("."):
                out.append(Path(dirpath) / name)
        if len(out) > MAX_FILES:
            break
    return out


def _records(path: Path, settings: Settings, report: IngestReport) -> list[_Record]:
    course = COURSE_DIR in path.resolve().parents
    doc = load_file(path, max_bytes=int(settings.max_file_mb * 1e6), course=course)
    text, n = redact(doc.text)
    report.redacted += n
    title = doc.meta.get("title") or printable(path.stem)
    source = source_name(path)
    out: list[_Record] = []
    seen: set[str] = set()
    cap = hard_cap(settings.chunk_size) + 600
    for i, ch in enumerate(chunk_markdown(text, size=settings.chunk_size, overlap=settings.chunk_overlap, title=title)):
        heading = ch.heading or title
        digest = hashlib.sha256(f"{source}\x00{heading}\x00{ch.text}".encode()).hexdigest()[:32]
        if digest in seen:  # the same paragraph twice under one heading: index it once
            continue
        seen.add(digest)
        meta: dict[str, Any] = {"source": source, "heading": heading, "title": title, "position": i}
        for key in ("phase", "chapter"):
            if doc.meta.get(key):
                meta[key] = doc.meta[key]
        embed = f"{title[:200]} — {heading[:300]}\n{ch.text}"[:cap]
        out.append(_Record(digest, ch.text, embed, meta))
    if not out:
        raise IngestError("no text to index after chunking")
    return out


def ingest(
    paths: Iterable[str | Path] | None = None,
    settings: Settings | None = None,
    *,
    progress: bool = True,
    on_progress: Callable[[int, int, str], None] | None = None,
    follow_symlinks: bool = False,
) -> IngestReport:
    """Ingest files and folders (default: the shipped course) into the vector store.

    Parameters
    ----------
    paths : iterable of paths, optional
        Files or folders; folders are walked for .md, .txt, .ipynb and .pdf files.
    on_progress : callable, optional
        Called as ``on_progress(done, total, stage)`` (the app's progress bar).
    follow_symlinks : bool
        Also read files of a folder that are symbolic links to somewhere outside it (skipped by default:
        a link to ``/etc/shadow`` must not end up in a shared store).
    """
    from tqdm.auto import tqdm

    settings = settings or get_settings()
    start = time.perf_counter()
    report = IngestReport()
    targets = [Path(p).expanduser() for p in paths] if paths else [COURSE_DIR]
    files, roots = _walk(targets, report, follow_symlinks=follow_symlinks)

    records: dict[str, list[_Record]] = {}
    for i, f in enumerate(tqdm(files, desc="Reading", unit="file", disable=not progress)):
        try:
            records[source_name(f)] = _records(f, settings, report)
        except (IngestError, OSError) as exc:
            report.skipped.append(Skipped(printable(f), str(exc)))
            log.warning("skipped %s: %s", printable(f), exc)
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - one bad file never aborts a run
            report.skipped.append(Skipped(printable(f), f"could not be read ({type(exc).__name__}: {exc})"[:500]))
            log.exception("skipped %s after an unexpected error", printable(f))
        if on_progress:
            on_progress(i + 1, len(files), "reading")
    report.files = len(records)
    report.chunks = sum(len(v) for v in records.values())

    embedder = get_embedder(settings)
    col = get_collection(settings, embedder)
    existing = col.get(include=["metadatas"])
    by_source: dict[str, set[str]] = {}
    for cid, meta in zip(existing["ids"], existing["metadatas"] or [], strict=False):
        by_source.setdefault(str((meta or {}).get("source", "")), set()).add(cid)
    present = {cid for ids in by_source.values() for cid in ids}

    new: list[_Record] = []
    stale: list[str] = []
    for source, recs in records.items():
        ids = {r.id for r in recs}
        old = by_source.get(source, set())
        fresh = [r for r in recs if r.id not in present]
        if old:
            report.updated += len(fresh)
        else:
            report.added += len(fresh)
        new.extend(fresh)
        stale.extend(sorted(old - ids))
    skipped_sources = {source_name(Path(s.path)) for s in report.skipped}
    for source, ids in by_source.items():
        if source not in records and source not in skipped_sources and any(source.startswith(r) for r in roots):
            stale.extend(sorted(ids))

    bar = tqdm(total=len(new), desc="Embedding", unit="chunk", disable=not progress or not new)
    for b in range(0, len(new), _BATCH):
        batch = new[b : b + _BATCH]
        vectors = embedder.embed([r.embed_text for r in batch])
        col.upsert(
            ids=[r.id for r in batch],
            documents=[r.text for r in batch],
            metadatas=[r.meta for r in batch],
            embeddings=vectors,
        )
        bar.update(len(batch))
        if on_progress:
            on_progress(min(b + _BATCH, len(new)), len(new), "embedding")
    bar.close()
    if stale:
        col.delete(ids=stale)
    report.removed = len(stale)
    report.seconds = round(time.perf_counter() - start, 3)
    log.info("ingest: %s", report)
    return report
