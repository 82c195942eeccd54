"""Every secret of the corpus is redacted before the store (issue 15): searched for in the store afterwards."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from knowledge.config import get_settings
from knowledge.ingest import ingest
from knowledge.redact import redact
from knowledge.store import get_collection

sys.path.insert(0, str(Path(__file__).parent))
from secret_corpus import SECRETS  # noqa: E402

pytestmark = pytest.mark.integration


def test_the_corpus_has_at_least_50_formats() -> None:
    assert len({kind for kind, _, _ in SECRETS}) >= 50


@pytest.mark.parametrize(("kind", "line", "secret"), SECRETS, ids=[k for k, _, _ in SECRETS])
def test_each_format_is_redacted(kind: str, line: str, secret: str) -> None:
    out, n = redact(f"Notes du cours.\n\n{line}\n\nFin.")
    assert secret not in out and n >= 1


def _write_corpus(folder: Path) -> None:
    """The secrets spread over Markdown prose, Markdown code, a notebook (code and markdown cells) and text."""
    md, code, txt, cells = [], [], [], []
    for i, (kind, line, _) in enumerate(SECRETS):
        match i % 4:
            case 0:
                md.append(f"## {kind}\n\nPour se connecter, on utilise {line} dans la configuration.\n")
            case 1:
                code.append(f"```python\n# {kind}\n{line}\n```\n")
            case 2:
                cells.append({"cell_type": "code" if i % 8 == 2 else "markdown", "metadata": {},
                              "source": [f"# {kind}\n", line]})
            case _:
                txt.append(f"{kind} : {line}\n")
    (folder / "notes.md").write_text("# Notes\n\n" + "\n".join(md), encoding="utf-8")
    (folder / "code.md").write_text("# Code\n\n" + "\n".join(code), encoding="utf-8")
    (folder / "prose.txt").write_text("\n\n".join(txt), encoding="utf-8")
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "carnet.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def test_no_secret_reaches_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    folder.mkdir()
    _write_corpus(folder)
    report = ingest([folder], progress=False)
    assert report.files == 4 and not report.skipped
    docs = get_collection(get_settings()).get(include=["documents", "metadatas"])
    stored = "\n".join(docs["documents"] or []) + json.dumps(docs["metadatas"])
    assert "REDACTED" in stored
    leaked = [kind for kind, _, secret in SECRETS if secret in stored]
    assert leaked == []
