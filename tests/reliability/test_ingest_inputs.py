"""Bad and hostile inputs never take ingest down (issue 15): skipped with a reason, or bounded."""

from __future__ import annotations

import json
import os
import time
import zlib
from pathlib import Path

import pytest

from knowledge.chunking import chunk_markdown, hard_cap
from knowledge.config import get_settings
from knowledge.errors import IngestError
from knowledge.ingest import ingest
from knowledge.loaders import load_file

pytestmark = pytest.mark.integration

GOOD = "# Bon\n\nLa volatilité mesure la dispersion des rendements.\n"


def _pdf_bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes (zeros compress ~1000:1)."""
    stream = zlib.compress(b"0 " * (inflated // 2), 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _notebook(cells: object, metadata: object = None) -> str:
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


# name -> (file name as bytes, content as bytes or None for a special file); all must be skipped or ingested
BAD_FILES: dict[str, tuple[bytes, bytes]] = {
    "notebook_metadata_null": (b"meta.ipynb", _notebook([{"cell_type": "markdown", "source": "# T\n\nok"}]).encode()),
    "notebook_int_sources": (b"ints.ipynb", _notebook([{"cell_type": "code", "source": [1, 2, 3]}, 7]).encode()),
    "notebook_cells_not_list": (b"cells.ipynb", _notebook({"a": 1}, 3).encode()),
    "notebook_deeply_nested": (b"deep.ipynb", b"[" * 100_000 + b"]" * 100_000),
    "invalid_utf8_name": (b"caf\xe9-notes.md", b"# Caf\xc3\xa9\n\nun texte\n"),
    "latin1_content": (b"latin.md", "# Théorème\n\nénoncé".encode("latin-1")),
    "pdf_bomb": (b"bomb.pdf", _pdf_bomb(200 << 20)),
    "fake_pdf": (b"fake.pdf", b"%PDF-1.7\n" + os.urandom(2000)),
    "nul_bytes": (b"nul.md", b"\x00" * 5000),
    "nested_markdown": (b"nested.md", (b"> " * 20_000 + b"- " * 20_000 + b"text\n") * 5),
    "huge_heading": (b"heading.md", b"# " + b"a " * 500_000 + b"\n\ntext\n"),
}
SYMLINKS = {"symlink_loop": "loop.md", "symlink_outside": "/etc/shadow", "symlink_dangling": "/nonexistent/x.md"}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_skipped_or_ingested_and_never_aborts(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    fname, data = BAD_FILES[name]
    with open(os.path.join(os.fsencode(folder), fname), "wb") as f:
        f.write(data)
    report = ingest([folder], progress=False)
    assert report.files >= 1  # the good file went in
    for s in report.skipped:
        assert s.reason and s.path.encode("utf-8")  # a readable reason and a printable path
    if name == "pdf_bomb":
        assert any("PDF" in s.reason for s in report.skipped)


@pytest.mark.parametrize("name", sorted(SYMLINKS))
def test_symlinks_are_skipped_with_a_reason(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    target = SYMLINKS[name]
    os.symlink(folder / target if name == "symlink_loop" else target, folder / ("loop.md" if name == "symlink_loop"
                                                                               else f"{name}.md"))
    report = ingest([folder], progress=False)
    assert report.files == 1
    assert len(report.skipped) == 1 and "link" in report.skipped[0].reason


def test_a_link_outside_is_read_only_when_asked(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# Ailleurs\n\nun texte lié\n", encoding="utf-8")
    folder = tmp_path / "course"
    folder.mkdir()
    os.symlink(outside, folder / "lien.md")
    assert ingest([folder], progress=False).files == 0
    assert ingest([folder], progress=False, follow_symlinks=True).files == 1


LONG_INPUTS = {
    "paragraph_1mb_no_blank_line": "\n".join("mot " * 20 for _ in range(12_000)),
    "single_line_5mb": "x" * (5 << 20),
    "single_line_of_words": "mot " * 1_000_000,
    "code_block_1mb": "```python\n" + "\n".join(f"x{i} = {i}" for i in range(100_000)) + "\n```\n",
    "unclosed_code_block": "```\n" + "y = 1\n" * 200_000,
}


@pytest.mark.parametrize("name", sorted(LONG_INPUTS))
def test_long_paragraphs_lines_and_code_are_split_under_the_hard_cap(name: str, tmp_path: Path) -> None:
    size = get_settings().chunk_size
    path = tmp_path / f"{name}.md"
    path.write_text(LONG_INPUTS[name], encoding="utf-8")
    start = time.perf_counter()
    doc = load_file(path, max_bytes=20_000_000)
    chunks = chunk_markdown(doc.text, size=size, overlap=150, title="t")
    assert time.perf_counter() - start < 30
    assert chunks and max(len(c.text) for c in chunks) <= hard_cap(size) + 150


def test_a_pdf_bomb_alone_is_refused_clearly_in_bounded_memory(tmp_path: Path) -> None:
    import resource

    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_bomb(400 << 20))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(IngestError, match="PDF"):
        load_file(path, max_bytes=20_000_000)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 1_500_000  # KiB: under 1.5 GB more
