"""Bad CLI inputs are answered with a message naming the fix, and `quant-tutor app` leaves no child (issue 15)."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.cli.boundary import home_message

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

# name -> (extra environment, arguments, text the message must contain)
BAD_INPUTS: dict[str, tuple[dict[str, str], list[str], str]] = {
    "database_url_not_a_url": ({"QT_DATABASE_URL": "notaurl"}, ["roadmap", "show"], "QT_DATABASE_URL"),
    "database_url_mysql": ({"QT_DATABASE_URL": "mysql://u:pw@localhost/db"}, ["roadmap", "show"], "QT_DATABASE_URL"),
    "sandbox_mode_foo": ({"QT_SANDBOX_MODE": "foo"}, ["roadmap", "show"], "QT_SANDBOX_MODE"),
    "llm_unreachable": ({"QT_LLM_BACKEND": "openai", "QT_LLM_BASE_URL": "http://127.0.0.1:9/v1", "QT_LLM_MODEL": "m"},
                        ["ask", "Qu'est-ce que la VaR ?"], "QT_LLM_BASE_URL"),
    "plan_ics_bad_path": ({}, ["plan", "--hours-per-week", "5", "--ics", "/nonexistent/dir/plan.ics"], "--ics"),
    "plan_start_feb_30": ({}, ["plan", "--hours-per-week", "5", "--start", "2015-02-30"], "--start"),
    "empty_progress_db": ({"QT_TEST_EMPTY_DB": "1"}, ["roadmap", "show"], "roadmap restore"),
}


def _run(env: dict[str, str], args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), "QT_HOME": str(home), **env}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=full, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_get_a_message_naming_the_fix(name: str, tmp_path: Path) -> None:
    env, args, needle = BAD_INPUTS[name]
    if env.pop("QT_TEST_EMPTY_DB", None):
        db = tmp_path / "progress.db"
        db.write_bytes(b"")
        os.utime(db, (time.time() - 3600, time.time() - 3600))
    started = time.monotonic()
    done = _run(dict(env), args, tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert needle in done.stderr
    assert "pw@" not in done.stderr  # passwords masked
    assert time.monotonic() - started < 60


def test_config_masks_passwords_in_urls(tmp_path: Path) -> None:
    done = _run({"QT_DATABASE_URL": "postgresql://admin:S3cretPw@db.example/qt"}, ["config"], tmp_path)
    assert done.returncode == 0 and "S3cretPw" not in done.stdout and "admin:***@" in done.stdout


def test_a_read_only_home_is_named_in_the_message() -> None:
    msg = home_message(OSError(errno.EROFS, "Read-only file system", "/ro/home/chroma"))
    assert "QT_HOME" in msg and "/ro/home/chroma" in msg


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}
    except OSError:
        return False


@pytest.mark.slow
def test_sigterm_to_the_app_command_stops_the_streamlit_child(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "app", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not answer within 60 s")
        children = _children(proc.pid)
        assert children
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        end = time.monotonic() + 15
        while any(_alive(c) for c in children) and time.monotonic() < end:
            time.sleep(0.1)
        assert not any(_alive(c) for c in children)
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0  # nobody holds the port any more
    finally:
        if proc.poll() is None:
            proc.kill()


def test_var_on_too_little_data_says_how_many_returns_it_has(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd

    from finance.api import var_summary
    from finance.errors import FinanceError

    days = pd.bdate_range("2024-01-01", periods=40)
    prices = 100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.01, 40)))
    path = tmp_path / "p40.csv"
    pd.DataFrame({"date": days, "close": prices}).to_csv(path, index=False)
    with pytest.raises(FinanceError, match="only 39 daily returns"):
        var_summary(str(path), 0.99)
    with pytest.raises(FinanceError, match="longer than the 39 daily returns"):
        var_summary(str(path), 0.99, window=250)
