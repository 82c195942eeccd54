"""Read course documents (Markdown, text, notebooks, PDF) into Markdown text plus metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.chunking import split_front_matter
from knowledge.errors import IngestError
from knowledge.textio import decode_bytes

SUPPORTED = {".md", ".markdown", ".txt", ".ipynb", ".pdf"}
MAX_PDF_PAGES = 2000
MAX_PDF_STREAM_BYTES = 32 << 20  # decompressed bytes of one PDF stream (pypdf's own default is 75 MB)
_CHAPTER_FILE = re.compile(r"^(\d{2})[-_ ]")

# chapter ranges of the roadmap's phases (phase -> first, last chapter)
PHASES: dict[str, tuple[int, int]] = {
    "0": (0, 2), "1": (3, 8), "2": (9, 12), "3": (13, 18),
    "4": (19, 24), "5": (25, 30), "6": (31, 36), "7": (37, 44),
}


def phase_of_chapter(chapter: str) -> str:
    n = int(chapter)
    for phase, (lo, hi) in PHASES.items():
        if lo <= n <= hi:
            return phase
    return ""


@dataclass
class LoadedDoc:
    text: str  # Markdown
    meta: dict[str, str] = field(default_factory=dict)


def load_file(path: Path, *, max_bytes: int, course: bool = False) -> LoadedDoc:
    """Load one file as Markdown text.

    Raises
    ------
    IngestError
        Unsupported type, too large, binary, empty, invalid notebook, or PDF without text.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"unsupported file type {suffix or '(none)'}; use .md, .txt, .ipynb or .pdf")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"file too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB); split it or raise QT_MAX_FILE_MB"
        )
    if size == 0:
        raise IngestError("empty file")
    data = path.read_bytes()
    if suffix == ".pdf":
        text = _pdf_text(path, max_chars=4 * max_bytes)
    else:
        text = decode_bytes(data, name=path.name)
        if suffix == ".ipynb":
            text = _notebook_markdown(text)
    meta, body = split_front_matter(text)
    if not body.strip():
        raise IngestError("empty file (no text after decoding)")
    if course or "chapter" in meta:
        m = _CHAPTER_FILE.match(path.name)
        chapter = meta.get("chapter") or (m.group(1) if m else "")
        if chapter and chapter.isdigit():
            meta["chapter"] = f"{int(chapter):02d}"
            meta.setdefault("phase", phase_of_chapter(meta["chapter"]))
    return LoadedDoc(text=body, meta=meta)


def _notebook_markdown(raw: str) -> str:
    try:
        nb = json.loads(raw)
        cells = nb["cells"]
    except (json.JSONDecodeError, KeyError, TypeError, RecursionError) as exc:
        raise IngestError(f"invalid notebook JSON ({exc}); open and re-save it in Jupyter") from exc
    if not isinstance(cells, list):
        raise IngestError("invalid notebook: `cells` is not a list; open and re-save it in Jupyter")
    meta: dict[str, Any] = nb["metadata"] if isinstance(nb.get("metadata"), dict) else {}
    spec: dict[str, Any] = meta["kernelspec"] if isinstance(meta.get("kernelspec"), dict) else {}
    lang = spec.get("language") if isinstance(spec.get("language"), str) else "python"
    parts: list[str] = []
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        src = cell.get("source", "")
        src = "".join(str(x) for x in src) if isinstance(src, list) else ("" if src is None else str(src))
        if not src.strip():
            continue
        if cell.get("cell_type") == "code":
            parts.append(f"```{lang}\n{src.rstrip()}\n```")
        elif cell.get("cell_type") == "markdown":
            parts.append(src.strip())
    return "\n\n".join(parts)


def _pdf_text(path: Path, *, max_chars: int) -> str:
    """Text of each page, refusing bombs: too many pages, a stream that inflates too much, too much text."""
    import contextlib
    import dataclasses

    import pypdf
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    config = getattr(pypdf, "Configuration", None)
    fields = {f.name for f in dataclasses.fields(config)} if config else set()
    limits: dict[str, int] = {name: MAX_PDF_STREAM_BYTES for name in (
        "maximum_declared_stream_length", "array_based_stream_maximum_output_length", "lzw_maximum_output_length",
        "run_length_maximum_output_length", "zlib_maximum_output_length", "brotli_maximum_output_length",
        "jbig2_maximum_output_length", "image_maximum_buffer_size") if name in fields}
    if "stream_decoding_work_maximum_length" in fields:
        limits["stream_decoding_work_maximum_length"] = 4 * MAX_PDF_STREAM_BYTES
    pages: list[tuple[int, str]] = []
    total = 0
    try:
        configure = getattr(pypdf, "apply_configuration", None)  # pypdf >= 7; older ones keep their defaults
        with configure(**limits) if configure else contextlib.nullcontext():
            reader = PdfReader(str(path))
            if len(reader.pages) > MAX_PDF_PAGES:
                raise IngestError(f"PDF has {len(reader.pages)} pages (limit {MAX_PDF_PAGES}); split it")
            for i, page in enumerate(reader.pages):
                text = (page.extract_text() or "").strip()
                total += len(text)
                if total > max_chars:
                    raise IngestError(f"PDF text exceeds {max_chars} characters (decompression bomb?); split it")
                pages.append((i + 1, text))
    except LimitReachedError as exc:
        raise IngestError(f"PDF stream inflates beyond {MAX_PDF_STREAM_BYTES >> 20} MiB (decompression bomb?); "
                          "re-export it") from exc
    except (PyPdfError, ValueError, OSError, KeyError, TypeError, RecursionError) as exc:
        raise IngestError(f"unreadable PDF ({exc}); re-export it") from exc
    pages = [(n, t) for n, t in pages if t]
    if not pages:
        raise IngestError("PDF has no extractable text (scanned?); run OCR first")
    return "\n\n".join(f"## Page {n}\n\n{t}" for n, t in pages)
