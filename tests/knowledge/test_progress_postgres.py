"""Team mode: progress in a real PostgreSQL server (QT_DATABASE_URL), started for the test on 127.0.0.1.

The server runs as the ``postgres`` system user from Debian's packages (PostgreSQL refuses to run as root);
the test is skipped where neither is available.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.roadmap import ProgressStore

pytestmark = [pytest.mark.integration, pytest.mark.slow]
PG_BIN = next((p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def _as_postgres(*cmd: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if PG_BIN is None or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL server binaries (Debian package postgresql) are not installed")
    root = Path(tempfile.mkdtemp(prefix="qt-pg-"))  # not under pytest's root-only temp tree
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(_as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
                                "UTF8"), check=True, capture_output=True)
    opts = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l",
                                str(data / "log"), "start"), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_checks_sessions_and_tracker_in_postgres(pg_url: str) -> None:
    store = ProgressStore(pg_url, learner="alice")
    at = store.check("27.3")
    store.log_session(90, chapter="27")
    store.set_tracker(current_phase="Phase 5")
    other = ProgressStore(pg_url, learner="bob")
    other.check("03.8")
    again = ProgressStore(pg_url, learner="alice")  # a second client of the team server
    assert list(again.checked()) == ["27.3"] and abs((again.checked()["27.3"] - at).total_seconds()) < 1
    assert again.sessions()[0].minutes == 90 and again.tracker()["current_phase"] == "Phase 5"
    assert list(ProgressStore(pg_url, learner="bob").checked()) == ["03.8"]
    assert again.uncheck("27.3") and again.checked() == {}
    for s in (store, other, again):
        s.close()


def _writer(url: str, learner: str, n: int) -> None:
    store = ProgressStore(url, learner=learner)
    for i in range(n):
        store.check(f"{i // 9:02d}.{i % 9 + 1}")
    store.close()


def test_two_processes_write_at_once_and_lose_nothing(pg_url: str) -> None:
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(pg_url, f"team-{k}", 40)) for k in range(2)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert all(p.exitcode == 0 for p in procs), time.perf_counter() - start
    for k in range(2):
        assert len(ProgressStore(pg_url, learner=f"team-{k}").checked()) == 40


def test_unreachable_server_names_the_setting() -> None:
    from knowledge.errors import ProgressError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ProgressError, match="QT_DATABASE_URL"):
        ProgressStore(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")


def _review(url: str, learner: str, n: int) -> None:
    from knowledge.learning.reviews import ReviewStore

    store = ReviewStore(url, learner=learner)
    for i in range(n):
        cid = store.add(f"Q{i}", "A", card_id=f"own:{learner}-{i}")
        store.review(cid, "good", key=f"pg-{learner}-{i}")


def test_flashcard_reviews_and_mastery_in_postgres(pg_url: str) -> None:
    """FSRS states, review logs and evidence in PostgreSQL: two processes reviewing at once lose nothing."""
    from datetime import UTC, datetime

    from knowledge.learning.mastery import EvidenceStore
    from knowledge.learning.reviews import ReviewStore, open_engine

    ReviewStore(pg_url, learner="carol")  # creates the tables once
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_review, args=(pg_url, who, 10)) for who in ("carol", "dave")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    for who in ("carol", "dave"):
        store = ReviewStore(pg_url, learner=who)
        assert len(store.logs()) == 10 and len(store.cards()) == 10
        assert store.review(f"own:{who}-0", "good", key=f"pg-{who}-0").duplicate  # a double click, once
    evidence = EvidenceStore(open_engine(pg_url), learner="carol")
    assert evidence.record("27", "quiz", "27-q-a", True, at=datetime(2026, 1, 1, tzinfo=UTC))
    assert [e.item for e in evidence.evidence("27")] == ["27-q-a"]
