"""The app served for a real browser: `quant-tutor app` on a free local port, with its own QT_HOME holding the
tiny test course, and Debian's chromium driven by Playwright (nothing downloaded).

Screenshots go to ``$QT_ARTIFACTS`` (default ``build/screenshots/``, git-ignored). Without chromium the tests
skip and say how to install it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import COURSE_FIXTURE, REPO

CHROMIUM = ("chromium", "chromium-browser")
START_S = 120  # a cold start loads Streamlit, the pages' imports and the embedder on a 2-core machine


def chromium_path() -> str | None:
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at the system chromium."""
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed: `apt-get install chromium fonts-dejavu-core` (make system-deps)")
    return {**browser_type_launch_args, "executable_path": path}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "fr-FR"}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("QT_ARTIFACTS") or REPO / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (its own process group)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """The URL of the app, served for the whole session from a temporary QT_HOME with the tiny course ingested."""
    if chromium_path() is None:
        pytest.skip("chromium is not installed: `apt-get install chromium fonts-dejavu-core` (make system-deps)")
    home = tmp_path_factory.mktemp("browser_home")
    course = tmp_path_factory.mktemp("browser_course")
    for name, text in COURSE_FIXTURE.items():
        (course / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(QT_HOME=str(home), PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False")
    cli = [sys.executable, "-m", "app.cli"]
    subprocess.run([*cli, "ingest", str(course)], env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
    port = _free_port()
    log = (artifacts / "server.log").open("wb")
    proc = subprocess.Popen([*cli, "app", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=REPO,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"the app stopped at start (exit {proc.returncode}); see {artifacts / 'server.log'}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(f"the app did not answer within {START_S} s; see {artifacts / 'server.log'}")
        yield url
    finally:
        _stop(proc)
        log.close()
