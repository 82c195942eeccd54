"""Retrieval quality of each embedder and search mode on the evaluation set.

For each embedder (``minilm``, ``use-multilingual``) the shipped course is ingested into a temporary
QT_HOME; then every question of ``knowledge/eval/retrieval_questions.json`` is searched in each mode (dense,
bm25, hybrid) and scored by the chapter of the passages returned:

.. math::

    \\mathrm{hit@5} = \\frac{1}{|Q|} \\sum_q \\mathbb{1}[\\exists\\, i \\le 5 : c_{q,i} \\in C_q], \\qquad
    \\mathrm{MRR@10} = \\frac{1}{|Q|} \\sum_q \\frac{1}{\\min\\{i \\le 10 : c_{q,i} \\in C_q\\}}

(a question with no relevant passage in the top 10 adds 0 to MRR), where :math:`c_{q,i}` is the chapter of
the i-th passage and :math:`C_q` the acceptable chapters. In hybrid mode hit@5 comes from ``search(q, 5)``
(what the tutor asks for: the RRF candidate pool depends on k, so it may differ from the first 5 of
``search(q, 10)``); in dense and bm25 modes, which rank by score alone, both metrics come from one
``search(q, 10)``. Prints a markdown table and writes ``bench/results/embedders.json``.

Run: ``.venv/bin/python bench/embedders.py`` (about 2 minutes on a 2-core laptop).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the packages importable without an install
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from knowledge.config import Settings  # noqa: E402

QUESTIONS = ROOT / "knowledge" / "eval" / "retrieval_questions.json"
RESULTS = ROOT / "bench" / "results"
EMBEDDERS = ("minilm", "use-multilingual")
MODES = ("dense", "bm25", "hybrid")


@dataclass
class Scores:
    """Retrieval scores of one (embedder, mode) over a set of questions."""

    n: int = 0
    hits5: int = 0
    hits1: int = 0
    rr10: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, top5: list[str | None], top10: list[str | None], good: set[str], question: str) -> None:
        self.n += 1
        self.hits5 += any(c in good for c in top5)
        self.hits1 += bool(top10) and top10[0] in good
        rank = next((i for i, c in enumerate(top10, start=1) if c in good), None)
        self.rr10 += 1.0 / rank if rank else 0.0
        if not any(c in good for c in top5):
            self.misses.append(question)

    def summary(self) -> dict[str, Any]:
        n = max(self.n, 1)
        return {
            "n": self.n,
            "hit@1": round(self.hits1 / n, 3),
            "hit@5": round(self.hits5 / n, 3),
            "mrr@10": round(self.rr10 / n, 3),
            "misses@5": self.misses,
        }


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    """The evaluation questions, each with ``good``: the set of acceptable chapters."""
    items = json.loads(path.read_text(encoding="utf-8"))
    for item in items:
        item["good"] = set(item.get("chapters") or [item["chapter"]])
    return items


@contextmanager
def temp_settings(embedder: str) -> Iterator[Settings]:
    """Settings pointing at a fresh temporary QT_HOME (local store, never a team server)."""
    with tempfile.TemporaryDirectory(prefix="qt-bench-", ignore_cleanup_errors=True) as home:
        old = os.environ.get("QT_HOME")
        os.environ["QT_HOME"] = home
        try:
            yield Settings(home=Path(home), embedder=embedder, chroma_url=None)  # type: ignore[arg-type,call-arg]
        finally:
            if old is None:
                os.environ.pop("QT_HOME", None)
            else:
                os.environ["QT_HOME"] = old


def evaluate(settings: Settings, questions: list[dict[str, Any]], mode: str) -> dict[str, Scores]:
    """Scores overall and per language (keys ``all``, ``fr``, ``en``) for one search mode."""
    from knowledge.retrieval import search

    scores = {"all": Scores(), "fr": Scores(), "en": Scores()}
    for item in questions:
        top10 = [p.chapter for p in search(item["q"], 10, settings=settings, mode=mode)]  # type: ignore[arg-type,call-arg]
        top5 = top10[:5]
        if mode == "hybrid":
            top5 = [p.chapter for p in search(item["q"], 5, settings=settings, mode=mode)]  # type: ignore[arg-type,call-arg]
        for key in ("all", item["lang"]):
            scores[key].add(top5, top10, item["good"], item["q"])
    return scores


def run_embedder(name: str, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Ingest the course with one embedder, then score every mode."""
    from knowledge.embeddings import _load
    from knowledge.ingest import ingest

    t0 = time.perf_counter()
    _load(name, None).embed(["warm-up"])
    load_s = time.perf_counter() - t0
    with temp_settings(name) as settings:
        report = ingest(settings=settings, progress=False)
        out: dict[str, Any] = {
            "load_s": round(load_s, 2),
            "ingest_s": report.seconds,
            "chunks": report.chunks,
        }
        for mode in MODES:
            t0 = time.perf_counter()
            scores = evaluate(settings, questions, mode)
            out[mode] = {k: v.summary() for k, v in scores.items()}
            out[mode]["eval_s"] = round(time.perf_counter() - t0, 2)
    return out


def table(results: dict[str, Any]) -> str:
    """Markdown table: one row per (embedder, mode)."""
    lines = [
        "| embedder | mode | hit@5 | MRR@10 | hit@1 | hit@5 FR | hit@5 EN | MRR@10 FR | MRR@10 EN |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, res in results.items():
        for mode in MODES:
            a, fr, en = res[mode]["all"], res[mode]["fr"], res[mode]["en"]
            lines.append(
                f"| {name} | {mode} | {a['hit@5']:.3f} | {a['mrr@10']:.3f} | {a['hit@1']:.3f} | "
                f"{fr['hit@5']:.3f} | {en['hit@5']:.3f} | {fr['mrr@10']:.3f} | {en['mrr@10']:.3f} |"
            )
    return "\n".join(lines)


def recommend(results: dict[str, Any]) -> str:
    """The embedder with the best hybrid hit@5, ties broken by hybrid MRR@10."""
    best = max(results, key=lambda e: (results[e]["hybrid"]["all"]["hit@5"], results[e]["hybrid"]["all"]["mrr@10"]))
    return best


def main() -> None:
    questions = load_questions()
    n_fr = sum(q["lang"] == "fr" for q in questions)
    chapters = {c for q in questions for c in q["good"]}
    results = {name: run_embedder(name, questions) for name in EMBEDDERS}
    print(
        f"\n{len(questions)} questions ({n_fr} FR, {len(questions) - n_fr} EN) "
        f"over {len(chapters)} chapters; "
        f"{results[EMBEDDERS[0]]['chunks']} chunks\n"
    )
    print(table(results))
    print("\n| embedder | model load s | ingest s | chunks/s |\n|---|---|---|---|")
    for name, res in results.items():
        print(f"| {name} | {res['load_s']:.1f} | {res['ingest_s']:.1f} | {res['chunks'] / res['ingest_s']:.1f} |")
    best = recommend(results)
    print(f"\nRecommended default embedder (best hybrid hit@5, then MRR@10): {best}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "questions": len(questions),
        "results": results,
        "recommended": best,
    }
    (RESULTS / "embedders.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"Written {RESULTS / 'embedders.json'}")


if __name__ == "__main__":
    main()
