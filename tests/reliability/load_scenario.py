"""The whole-team load of issue 15, shared by ``test_load_tutors.py`` (asserts) and ``bench/load.py`` (figures).

Eight learners' tutors (the real :class:`agents.tutor.Tutor`, one process each, learners ``l0``..``l7``) answer
25 requests each at once on one fresh ``QT_HOME`` holding the course store, while four sandbox runs go on in
parallel and ``quant-tutor app`` serves the Streamlit app on a free port, polled for health all along. The memory
of the whole is the sum of the resident sets (``VmRSS`` in ``/proc``) of every process started here.

    python -m tests.reliability.load_scenario worker NAME HOME GO_FILE   # one learner (used by run_load)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LEARNERS, SANDBOX_RUNS = 8, 4
CHECKS_PER_LEARNER = 8
UNCHECKED = (2, 5)  # the learner's 3rd and 6th items are checked, then unchecked
SANDBOX_CODE = "b = bytearray(200 << 20)\nfor i in range(0, len(b), 4096):\n    b[i] = 1\nprint('ok')"
SANDBOX_MEMORY_MB = 512


def requests(items: list[str]) -> list[tuple[str, str | None]]:
    """The 25 (message, expected tool) of one learner; ``None``: answered by an explanation card;
    ``search_course``: by passages of the course store (a chapter named, so no card)."""
    concepts = ["Qu'est-ce que la VaR ?", "Explique la rétropropagation", "Qu'est-ce que le ratio de Sharpe ?"]
    computations: list[tuple[str, str | None]] = [
        ("Que dit le chapitre 27 sur l'attention ?", "search_course"),  # a chapter named: the passages answer
        ("Quelle est la VaR à 99 % du S&P 500 ?", "value_at_risk"),
        ("Ajuste un GARCH sur le S&P 500", "fit_garch"),
        ("Backteste un croisement de moyennes 20/50 sur le S&P 500", "backtest_strategy"),
        ("Quelle est la VaR à 95 % du Nasdaq avec une loi normale ?", "value_at_risk"),
        ("Ajuste un GJR-GARCH sur le Nasdaq", "fit_garch"),
        ("Backteste un momentum sur le Nasdaq", "backtest_strategy"),
        ("Quelle est la VaR à 99 % du S&P 500 en Cornish-Fisher ?", "value_at_risk"),
        ("Backteste un RSI sur le S&P 500", "backtest_strategy"),
        ("Fais-moi un plan d'étude à 5 h par semaine", "study_plan"),
        ("Fais-moi un plan d'étude à 8 h par semaine", "study_plan"),
        ("Ajuste un GARCH avec des erreurs de Student sur le S&P 500", "fit_garch"),
    ]
    ticks = [(f"coche l'item {i}", "roadmap_progress") for i in items]
    unticks = [(f"décoche l'item {items[k]}", "roadmap_progress") for k in UNCHECKED]
    # interleaved: a tick, two other requests, and so on; each untick after its tick
    others: list[tuple[str, str | None]] = [(c, None) for c in concepts] + computations
    out: list[tuple[str, str | None]] = []
    for k, tick in enumerate(ticks):
        out += [tick, *others[2 * k:2 * k + 2]]
        if k == max(UNCHECKED):
            out += unticks
    assert len(out) == 25
    return out


def learner_items(all_items: list[str], n: int) -> list[str]:
    """Learner ``n``'s own items: nobody else ticks them."""
    return all_items[n * CHECKS_PER_LEARNER:(n + 1) * CHECKS_PER_LEARNER]


def expected_ticks(items: list[str]) -> set[str]:
    return {item for k, item in enumerate(items) if k not in UNCHECKED}


# -- one learner's process ---------------------------------------------------------------------------------
def worker(name: str, go: Path) -> None:
    """Build the tutor (router and card index loaded), say ``ready``, wait for ``go``, answer, print JSON."""
    from agents.tutor import Tutor
    from knowledge.cards.index import load_default_index
    from knowledge.config import get_settings
    from knowledge.roadmap import load_roadmap

    settings = get_settings()
    assert settings.learner == name
    n = int(name.removeprefix("l"))
    items = learner_items([it.id for it in load_roadmap(settings).chapter_items()], n)
    tutor = Tutor(settings)
    _ = tutor.router
    load_default_index(settings)  # the card index, opened once per process
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.01)
    records = []
    for message, expected in requests(items):
        started = time.perf_counter()
        try:
            answer = tutor.ask(message)
            errors = [c.result["error"] for c in answer.tool_calls if "error" in c.result]
            record = {"message": message, "expected": expected, "mode": answer.mode, "flags": answer.flags,
                      "tools": [c.name for c in answer.tool_calls], "errors": errors,
                      "args": [c.args for c in answer.tool_calls]}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
            record = {"message": message, "expected": expected, "exception": repr(exc)}
        record["seconds"] = round(time.perf_counter() - started, 3)
        records.append(record)
    print(json.dumps({"learner": name, "items": items, "records": records}), flush=True)


# -- the whole run -----------------------------------------------------------------------------------------
@dataclass
class LoadReport:
    seconds_total: float = 0.0
    seconds_answering: float = 0.0  # from "go" to the last answer
    peak_rss_mb: float = 0.0
    peak_processes: int = 0
    peak_by_kind_mb: dict[str, float] = field(default_factory=dict)
    health_ok: int = 0
    health_failed: list[str] = field(default_factory=list)
    learners: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # a learner process that died: its stderr
    sandbox_stdout: list[str] = field(default_factory=list)
    checked: dict[str, set[str]] = field(default_factory=dict)  # the progress DB at the end, per learner
    turns: dict[str, int] = field(default_factory=dict)  # conversation turns stored, per learner

    def slowest_request_s(self) -> float:
        return max((r["seconds"] for lr in self.learners for r in lr["records"]), default=0.0)


def _descendants(root: int) -> dict[int, int]:
    """``pid -> parent pid`` of every living descendant of ``root`` (read from ``/proc``)."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    out: dict[int, int] = {}
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        for child, ppid in parent.items():
            if ppid == pid and child not in out:
                out[child] = ppid
                frontier.append(child)
    return out


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Sampler(threading.Thread):
    """Every ``period`` seconds, the sum of the RSS of our descendants, by kind (tutor, app, sandbox)."""

    def __init__(self, kinds: dict[int, str], period: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.kinds, self.period, self.stop = kinds, period, threading.Event()
        # processes already there and not ours (another test's app server or browser, in a full `make test`)
        tree = _descendants(os.getpid())
        self.before: set[int] = set()
        self.before = {pid for pid in tree if self.kind(pid, tree) == "sandbox"}
        self.peak, self.peak_processes, self.peak_by_kind = 0.0, 0, dict.fromkeys(("tutor", "app", "sandbox"), 0.0)

    def kind(self, pid: int, tree: dict[int, int]) -> str:
        """The kind of the nearest ancestor we started (a tutor, the app); else a sandbox run's process; ``other``
        for processes that were there before the run (and their children)."""
        while pid in tree and pid not in self.kinds:
            if pid in self.before:
                return "other"
            pid = tree[pid]
        return self.kinds.get(pid, "other" if pid in self.before else "sandbox")

    def run(self) -> None:
        while not self.stop.wait(self.period):
            tree = _descendants(os.getpid())
            by_kind = dict.fromkeys(self.peak_by_kind, 0.0)
            for pid in tree:
                kind = self.kind(pid, tree)
                if kind != "other":
                    by_kind[kind] += _rss_mb(pid)
            total = sum(by_kind.values())
            if total > self.peak:
                self.peak, self.peak_processes = total, len(tree)
            for k, v in by_kind.items():
                self.peak_by_kind[k] = max(self.peak_by_kind[k], v)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _poll_health(port: int, stop: threading.Event, report: LoadReport) -> None:
    import httpx

    while not stop.wait(0.5):
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
            if r.status_code == 200 and r.text == "ok":
                report.health_ok += 1
            else:
                report.health_failed.append(f"{r.status_code} {r.text[:80]}")
        except httpx.HTTPError as exc:
            report.health_failed.append(repr(exc))


def prepare_home(home: Path, course_dir: Path) -> None:
    """The course store in a fresh ``home``: the course ingested and the explanation cards indexed.

    The card index this process already holds (other tests built it) is stored as it is; built otherwise."""
    from knowledge.cards import index as card_index
    from knowledge.config import Settings
    from knowledge.ingest import ingest
    from knowledge.store import get_client

    settings = Settings(home=home)
    ingest([course_dir], settings, progress=False)
    cards = card_index.load_default_index(settings)  # once per process: built and stored, or held
    client = get_client(settings)
    name = card_index.collection_name(settings, cards.embedder, cards.library)
    if name not in {getattr(c, "name", c) for c in client.list_collections()}:
        card_index._store(client, name, cards, cards.embedder)


def _env(home: Path, learner: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_HOME": str(home), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    for var in ("QT_CHROMA_URL", "QT_DATABASE_URL", "QT_LLM_BACKEND", "QT_EMBEDDER", "QT_LEARNER"):
        env.pop(var, None)
    if learner:
        env["QT_LEARNER"] = learner
    return env


def _start_app(home: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "app.cli", "app", "--port", str(port)], env=_env(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_healthy(port: int, timeout_s: float = 120) -> None:
    import httpx

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"quant-tutor app did not answer on port {port} within {timeout_s:.0f} s")


def run_load(home: Path, *, learners: int = LEARNERS, sandbox_runs: int = SANDBOX_RUNS) -> LoadReport:
    """Run the scenario on ``home`` (prepared by :func:`prepare_home`) and report what happened."""
    from agents.memory import Memory
    from agents.sandbox import run_python
    from knowledge.roadmap.store import ProgressStore

    report, started = LoadReport(), time.perf_counter()
    go = home / "go"
    port = _free_port()
    app = _start_app(home, port)
    logs = home.parent / f"{home.name}-logs"  # stderr of each learner (a pipe could fill up and block it)
    logs.mkdir(exist_ok=True)
    errs = [(logs / f"l{n}.err").open("w") for n in range(learners)]
    procs = {f"l{n}": subprocess.Popen([sys.executable, "-m", "tests.reliability.load_scenario", "worker", f"l{n}",
                                        str(go)], env=_env(home, f"l{n}"), cwd=ROOT, stdout=subprocess.PIPE,
                                       stderr=errs[n], text=True) for n in range(learners)}
    sampler = _Sampler({p.pid: "tutor" for p in procs.values()} | {app.pid: "app"})
    sampler.start()
    stop_polling = threading.Event()
    try:
        _wait_healthy(port)
        poller = threading.Thread(target=_poll_health, args=(port, stop_polling, report), daemon=True)
        poller.start()
        for name, proc in procs.items():
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != "ready":
                report.failures.append(f"{name}: {line}{(logs / f'{name}.err').read_text()[-2000:]}")
        go.touch()
        go_time = time.perf_counter()
        with ThreadPoolExecutor(sandbox_runs) as pool:
            runs = list(pool.map(lambda _: run_python(SANDBOX_CODE, memory_mb=SANDBOX_MEMORY_MB, timeout_s=120),
                                 range(sandbox_runs)))
        report.sandbox_stdout = [r.stdout.strip() or f"{r.reason}: {r.stderr[-300:]}" for r in runs]
        for name, proc in procs.items():
            out, _ = proc.communicate(timeout=600)
            if proc.returncode != 0 or not out.strip():
                report.failures.append(f"{name} exited {proc.returncode}: {(logs / f'{name}.err').read_text()[-2000:]}")
                continue
            report.learners.append(json.loads(out.strip().splitlines()[-1]))
        report.seconds_answering = round(time.perf_counter() - go_time, 1)
        time.sleep(1.0)  # one more health poll after the last answer
    finally:
        stop_polling.set()
        sampler.stop.set()
        for proc in [*procs.values(), app]:
            if proc.poll() is None:
                proc.terminate()
        app.wait(timeout=30)
        for f in errs:
            f.close()
    sampler.join()
    report.peak_rss_mb, report.peak_processes = round(sampler.peak), sampler.peak_processes
    report.peak_by_kind_mb = {k: round(v) for k, v in sampler.peak_by_kind.items()}
    memory = Memory(home / "conversations.db")
    for n in range(learners):
        with ProgressStore(f"sqlite:///{home / 'progress.db'}", learner=f"l{n}") as store:
            report.checked[f"l{n}"] = set(store.checked())
        report.turns[f"l{n}"] = len(memory.recent(f"l{n}", 1000))
    report.seconds_total = round(time.perf_counter() - started, 1)
    return report


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    worker(sys.argv[2], Path(sys.argv[3]))
