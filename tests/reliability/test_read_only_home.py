"""A read-only ``QT_HOME`` (issue 15): `search`, `roadmap show` and the tutor (`ask`) end with the French message
naming QT_HOME and the fix, exit code 2, never a traceback, and nothing in the folder changes.

As root, ``chmod -R a-w`` blocks nothing: the folder is then bound read-only in a mount namespace (bubblewrap, or
``unshare -m`` + ``mount -o ro,bind``); the test is skipped, saying why, where neither is possible.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.home import not_writable_message
from knowledge.ingest import ingest
from knowledge.roadmap.store import ProgressStore

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {"search": ["search", "VaR"], "roadmap_show": ["roadmap", "show"],
            "tutor": ["ask", "Qu'est-ce que la VaR ?"]}
ReadOnlyHome = tuple[Path, list[str], str]


def _read_only_prefix(home: Path) -> list[str] | None:
    """The command prefix that runs a command with ``home`` read-only, when root; None when it is impossible."""
    candidates = [["bwrap", "--dev-bind", "/", "/", "--ro-bind", str(home), str(home), "--"],
                  ["unshare", "-m", "sh", "-c", f'mount --bind "{home}" "{home}" && mount -o remount,ro,bind '
                   f'"{home}" "{home}" && exec "$0" "$@"']]
    for prefix in candidates:
        if shutil.which(prefix[0]) and subprocess.run([*prefix, "touch", str(home / "probe")], capture_output=True,
                                                      check=False).returncode not in (0, 127):
            if not (home / "probe").exists():
                return prefix
        (home / "probe").unlink(missing_ok=True)
    return None


@pytest.fixture(params=["populated", "empty"])
def read_only_home(request: pytest.FixtureRequest, tmp_path: Path, course_dir: Path) -> Iterator[ReadOnlyHome]:
    """(home, command prefix, the reason the system gives): a QT_HOME with the course, progress and a
    conversation, or an empty one, that nothing can write."""
    home = tmp_path / "home"
    home.mkdir()
    if request.param == "populated":
        settings = Settings(home=home)
        ingest([course_dir], settings, progress=False)
        with ProgressStore(settings.db_url) as store:
            store.check("03.8")
        from agents.memory import Memory

        Memory(home / "conversations.db").append("default", "user", "bonjour")
    if os.geteuid() == 0:
        prefix = _read_only_prefix(home)
        if prefix is None:
            pytest.skip("running as root (chmod does not block root) and no read-only bind mount is possible here "
                        "(neither bwrap nor unshare -m can mount): a read-only QT_HOME cannot be made")
        yield home, prefix, os.strerror(errno.EROFS)
        return
    modes = {p: p.stat().st_mode for p in [home, *home.rglob("*")]}
    for p in modes:
        p.chmod(modes[p] & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    yield home, [], os.strerror(errno.EACCES)
    for p, mode in sorted(modes.items(), key=lambda kv: len(kv[0].parts)):
        p.chmod(mode)


def _snapshot(home: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(home)): (p.stat().st_size, p.stat().st_mtime_ns) for p in home.rglob("*")}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_read_only_home_gets_the_french_message(command: str, read_only_home: ReadOnlyHome) -> None:
    home, prefix, reason = read_only_home
    before = _snapshot(home)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_HOME": str(home)}
    done = subprocess.run([*prefix, sys.executable, "-m", "app.cli", *COMMANDS[command]], env=env, capture_output=True,
                          text=True, timeout=180, check=False)
    where = f"{home / 'chroma'} : {reason}" if command == "search" else reason
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"Error: {not_writable_message(home, where)}\n", done.stderr[-3000:]
    assert "QT_HOME" in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(home) == before
