"""Team mode: a real `chroma run` server on 127.0.0.1, ingest and search through QT_CHROMA_URL."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.config import get_settings
from knowledge.errors import StoreError
from knowledge.ingest import ingest
from knowledge.retrieval import search

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "chroma")
    port = _free_port()
    proc = subprocess.Popen(
        [str(exe), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("chroma run did not start within 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ingest_and_search_through_a_chroma_server(chroma_server: str, course_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("QT_CHROMA_URL", chroma_server)
    get_settings.cache_clear()
    report = ingest([course_dir], progress=False)
    assert (report.files, report.added) == (3, 4)
    assert not (get_settings().home / "chroma").exists()  # nothing was stored locally
    top = search("Qu'est-ce que la VaR ?", 3)
    assert top[0].chapter == "37"
    assert ingest([course_dir], progress=False).added == 0


def test_unreachable_server_says_how_to_fix(monkeypatch) -> None:
    monkeypatch.setenv("QT_CHROMA_URL", f"http://127.0.0.1:{_free_port()}")
    get_settings.cache_clear()
    with pytest.raises(StoreError, match="chroma run"):
        search("VaR", 3)
