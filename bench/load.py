"""The whole-team load of issue 15, timed: 8 learners' tutors × 25 requests at once, 4 sandbox runs in parallel
and the app server up, on a fresh temporary ``QT_HOME`` holding the test course (``tests/conftest.py``).

    python bench/load.py                 # prints a markdown table, writes bench/results/load.json
    python bench/load.py --learners 4    # a smaller team

Figures: preparing the store (ingest + card index), the whole run (wall and CPU seconds of the processes it
started), from "go" to the last answer, requests per second, the slowest request, and the peak of the sum of the
RSS of every process (tutors, app server, sandbox runs) with its split by kind.
``tests/reliability/test_load_tutors.py`` asserts the behaviour and a memory limit; timings are only reported here.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import COURSE_FIXTURE  # noqa: E402
from tests.reliability.load_scenario import LEARNERS, SANDBOX_RUNS, prepare_home, run_load  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=LEARNERS)
    ap.add_argument("--sandbox-runs", type=int, default=SANDBOX_RUNS)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="qt-bench-load-") as tmp:
        course, home = Path(tmp) / "course", Path(tmp) / "home"
        course.mkdir()
        home.mkdir()
        for name, text in COURSE_FIXTURE.items():
            (course / name).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        prepare_home(home, course)
        prepare_s = round(time.perf_counter() - started, 1)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        report = run_load(home, learners=args.learners, sandbox_runs=args.sandbox_runs)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)
    n = sum(len(lr["records"]) for lr in report.learners)
    errors = sum(1 for lr in report.learners for r in lr["records"] if r.get("errors") or "exception" in r)
    row = {
        "learners": args.learners, "requests": n, "sandbox_runs": args.sandbox_runs, "errors": errors,
        "dead_learners": len(report.failures), "prepare_s": prepare_s, "run_s": report.seconds_total,
        "run_cpu_s": cpu_s,        "answering_s": report.seconds_answering,
        "requests_per_s": round(n / report.seconds_answering, 1) if report.seconds_answering else None,
        "slowest_request_s": report.slowest_request_s(), "peak_rss_mb": report.peak_rss_mb,
        "peak_by_kind_mb": report.peak_by_kind_mb, "processes_at_peak": report.peak_processes,
        "health_ok": report.health_ok, "health_failed": len(report.health_failed),
    }
    print("| " + " | ".join(row) + " |")
    print("|" + "---|" * len(row))
    print("| " + " | ".join(str(v) for v in row.values()) + " |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(row, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
