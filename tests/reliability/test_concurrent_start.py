"""Learners starting at once on a fresh QT_HOME: no process dies creating a database (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

N = 8

CODE = """
import sys, time
from pathlib import Path
start, what, path = float(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
while time.time() < start:
    time.sleep(0.001)
if what == "memory":
    from agents.memory import Memory
    m = Memory(path)
    m.append("l", "user", "bonjour")
else:
    from knowledge.roadmap.store import ProgressStore
    with ProgressStore(f"sqlite:///{path}") as store:
        store.log_session(5)
print("ok")
"""


@pytest.mark.parametrize("what", ["memory", "progress"])
def test_n_processes_create_the_same_database_at_once(what: str, tmp_path: Path) -> None:
    path = tmp_path / f"{what}.db"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    start = time.time() + 3.0
    procs = [subprocess.Popen([sys.executable, "-c", CODE, str(start), what, str(path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(N)]
    results = [p.communicate(timeout=120) for p in procs]
    failures = [err[-500:] for p, (_, err) in zip(procs, results, strict=True) if p.returncode != 0]
    assert failures == []
