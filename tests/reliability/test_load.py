"""Eight learners writing progress and conversation turns at once, with four sandbox runs beside them:
no error, no lost write (issue 15). The storage alone, in seconds; the whole team with real tutors and the app
server is ``test_load_tutors.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from agents.memory import Memory
from agents.sandbox import run_python
from knowledge.roadmap.store import ProgressStore

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LEARNERS, REQUESTS = 8, 25

LEARNER = """
import sys, time
from pathlib import Path
start, name, home = float(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
while time.time() < start:
    time.sleep(0.001)
from agents.memory import Memory
from knowledge.roadmap.store import ProgressStore
memory = Memory(home / "conversations.db")
with ProgressStore(f"sqlite:///{home / 'progress.db'}", learner=name) as store:
    for i in range(int(sys.argv[4])):
        memory.append(name, "user", f"question {i}")
        store.check(f"{i:02d}.1")
        memory.append(name, "assistant", f"réponse {i}")
print("ok")
"""


def test_learners_and_sandbox_runs_at_once_lose_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    start = time.time() + 4.0
    procs = [subprocess.Popen([sys.executable, "-c", LEARNER, str(start), f"l{n}", str(tmp_path), str(REQUESTS)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(LEARNERS)]
    runs = []
    if shutil.which("bwrap"):
        code = "b = bytearray(200 << 20)\nfor i in range(0, len(b), 4096):\n    b[i] = 1\nprint('ok')"
        with ThreadPoolExecutor(4) as pool:
            runs = list(pool.map(lambda _: run_python(code, memory_mb=512, timeout_s=60), range(4)))
    outs = [p.communicate(timeout=300) for p in procs]
    assert [err[-400:] for p, (_, err) in zip(procs, outs, strict=True) if p.returncode] == []
    assert all(r.stdout.strip() == "ok" for r in runs)
    memory = Memory(tmp_path / "conversations.db")
    for n in range(LEARNERS):
        with ProgressStore(f"sqlite:///{tmp_path / 'progress.db'}", learner=f"l{n}") as store:
            assert len(store.checked()) == REQUESTS
        assert len(memory.recent(f"l{n}", 1000)) == 2 * REQUESTS
