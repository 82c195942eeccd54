"""Ingest throughput and search latency, measured in one run against a dense-search baseline.

1. Fresh ingest of the shipped course into a temporary QT_HOME: chunks per second (the embedder is loaded
   beforehand, so this is reading + chunking + embedding + storing).
2. Re-ingest of the unchanged course: must embed nothing (content-hash ids); chunks per second of the check.
3. Search latency, p50 and p95 in ms, of ``knowledge.retrieval.search(q, 5, mode=...)`` for hybrid, dense and
   bm25 over the evaluation questions, the modes interleaved per question (rotating order) so that machine
   noise hits them alike; printed as ratios against dense measured in the same run.

Run: ``.venv/bin/python bench/retrieval.py [--embedder NAME] [--repeats N]`` (about a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the packages importable without an install
    sys.path.insert(0, str(ROOT))

from bench.embedders import RESULTS, load_questions, temp_settings  # noqa: E402  (sets the offline env)
from knowledge.config import Settings  # noqa: E402
from knowledge.retrieval import Mode  # noqa: E402

MODES: tuple[Mode, ...] = ("dense", "hybrid", "bm25")


def ingest_throughput(settings: Settings) -> dict[str, Any]:
    """Fresh ingest then re-ingest; chunks per second of each and what the second one embedded."""
    from knowledge.ingest import ingest

    fresh = ingest(settings=settings, progress=False)
    again = ingest(settings=settings, progress=False)
    return {
        "chunks": fresh.chunks,
        "fresh_s": fresh.seconds,
        "fresh_chunks_per_s": round(fresh.chunks / fresh.seconds, 1),
        "fresh_embedded": fresh.added + fresh.updated,
        "reingest_s": again.seconds,
        "reingest_chunks_per_s": round(again.chunks / again.seconds, 1),
        "reingest_embedded": again.added + again.updated,
        "reingest_removed": again.removed,
    }


def search_latency(settings: Settings, questions: list[str], repeats: int) -> dict[str, list[float]]:
    """Milliseconds per ``search(q, 5)`` call for each mode, interleaved per question."""
    from knowledge.retrieval import search

    for mode in MODES:  # warm-up: query encoder, BM25 index build, Chroma caches
        search(questions[0], 5, settings=settings, mode=mode)
    times: dict[str, list[float]] = {m: [] for m in MODES}
    i = 0
    for _ in range(repeats):
        for q in questions:
            order = MODES[i % 3 :] + MODES[: i % 3]
            i += 1
            for mode in order:
                t0 = time.perf_counter()
                search(q, 5, settings=settings, mode=mode)
                times[mode].append((time.perf_counter() - t0) * 1e3)
    return times


def summarise(times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    base = np.percentile(times["dense"], [50, 95])
    out = {}
    for mode, ms in times.items():
        p50, p95 = np.percentile(ms, [50, 95])
        out[mode] = {
            "n": len(ms),
            "p50_ms": round(float(p50), 2),
            "p95_ms": round(float(p95), 2),
            "p50_vs_dense": round(float(p50 / base[0]), 2),
            "p95_vs_dense": round(float(p95 / base[1]), 2),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--embedder",
        default=Settings.model_fields["embedder"].default,
        choices=["minilm", "use-multilingual"],
        help="default: the Settings default",
    )
    parser.add_argument("--repeats", type=int, default=3, help="passes over the questions per mode")
    args = parser.parse_args()
    from knowledge.embeddings import _load

    t0 = time.perf_counter()
    _load(args.embedder, None).embed(["warm-up"])
    load_s = time.perf_counter() - t0
    questions = [q["q"] for q in load_questions()]
    with temp_settings(args.embedder) as settings:
        ing = ingest_throughput(settings)
        lat = summarise(search_latency(settings, questions, args.repeats))

    print(f"\nembedder {args.embedder} (model load {load_s:.1f} s), {ing['chunks']} chunks, {os.cpu_count()} CPUs\n")
    print("| ingest | seconds | chunks/s | chunks embedded |\n|---|---|---|---|")
    print(f"| fresh | {ing['fresh_s']:.1f} | {ing['fresh_chunks_per_s']:.1f} | {ing['fresh_embedded']} |")
    print(
        f"| re-ingest (unchanged) | {ing['reingest_s']:.2f} | {ing['reingest_chunks_per_s']:.0f} | "
        f"{ing['reingest_embedded']} |"
    )
    print(f"\nsearch(q, k=5) over {len(questions)} questions x {args.repeats}\n")
    print("| mode | p50 ms | p95 ms | p50 / dense | p95 / dense |\n|---|---|---|---|---|")
    for mode in MODES:
        r = lat[mode]
        print(f"| {mode} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p50_vs_dense']:.2f} | {r['p95_vs_dense']:.2f} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "embedder": args.embedder,
        "load_s": round(load_s, 2),
        "ingest": ing,
        "search": lat,
    }
    (RESULTS / f"retrieval-{args.embedder}.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    print(f"\nWritten {RESULTS / f'retrieval-{args.embedder}.json'}")


if __name__ == "__main__":
    main()
