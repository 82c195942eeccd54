"""The whole team at once (issue 15): 8 learners' real tutors × 25 requests, 4 sandbox runs and the app server.

No answer has an error, every tick and untick is in the progress database at the end, every turn is in the
conversation database, the app answers its health check all along, and the memory of the whole (the sum of the
RSS of every process started) stays under :data:`MEMORY_LIMIT_MB`. Time and peak memory: ``bench/load.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reliability.load_scenario import (
    LEARNERS,
    SANDBOX_MEMORY_MB,
    SANDBOX_RUNS,
    expected_ticks,
    prepare_home,
    run_load,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: the budget of each kind of process (MiB): a tutor ~735 measured (the embedder, and the card index: 1,649 cards,
#: 23,000 entries, 44 MiB of vectors; ~640 with 1,348 cards), a sandbox run its own limit, the app server
TUTOR_MB, APP_MB = 800, 300
MEMORY_LIMIT_MB = LEARNERS * TUTOR_MB + SANDBOX_RUNS * SANDBOX_MEMORY_MB + APP_MB  # 8,748 MiB

def test_eight_tutors_four_sandbox_runs_and_the_app_at_once(course_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    prepare_home(home, course_dir)
    report = run_load(home, sandbox_runs=SANDBOX_RUNS if shutil.which("bwrap") else 0)

    assert report.failures == []
    assert len(report.learners) == LEARNERS
    for learner in report.learners:
        records = learner["records"]
        assert len(records) == 25
        for r in records:
            assert "exception" not in r, r
            assert r["errors"] == [], r
            assert r["tools"] == ([r["expected"]] if r["expected"] else []), r
            assert r["flags"] == (["no-card"] if r["expected"] == "search_course" else []), r
        assert report.checked[learner["learner"]] == expected_ticks(learner["items"])
    assert sum(len(items) for items in report.checked.values()) == 6 * LEARNERS  # distinct items, none lost
    assert report.turns == {f"l{n}": 50 for n in range(LEARNERS)}
    assert report.sandbox_stdout == ["ok"] * len(report.sandbox_stdout)
    assert report.health_failed == [] and report.health_ok >= 5
    peak = report.peak_by_kind_mb
    assert peak["tutor"] < LEARNERS * TUTOR_MB and peak["app"] < APP_MB, peak
    assert peak["sandbox"] < SANDBOX_RUNS * SANDBOX_MEMORY_MB, peak
    assert report.peak_rss_mb < MEMORY_LIMIT_MB, peak
