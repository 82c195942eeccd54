"""Concept answers on the blind set: card hit rate, chapter hit@1, key-point recall, language match, latency.

    python bench/concepts.py                 # the tutor (router mode, embedded default) on every question
    python bench/concepts.py --path ask      # agents.answer.ask only (no routing)
    python bench/concepts.py --questions knowledge/eval/concept_questions_v3.json --dump answers.json
                                             # a judged set: the answers to grade, key points and all

Runs in a temporary QT_HOME with the whole course ingested; prints markdown tables per style and phase and
writes bench/results/concepts.json. The card path alone (normalise, match, render) is timed separately.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", choices=["tutor", "ask"], default="tutor")
    parser.add_argument("--questions", type=Path, default=None)
    parser.add_argument("--misses", type=int, default=25)
    parser.add_argument("--dump", type=Path, default=None, help="write every answer (with its key points) here")
    args = parser.parse_args()
    os.environ["QT_HOME"] = tempfile.mkdtemp(prefix="qt-bench-concepts-")
    from agents.answer import ask
    from agents.concept_eval import QUESTIONS, load_questions, score
    from agents.explain import card_answer, match_card, second_card
    from agents.tutor import build_tutor
    from knowledge.config import get_settings
    from knowledge.ingest import ingest

    settings = get_settings()
    ingest(progress=False)
    questions = load_questions(args.questions or QUESTIONS)
    t0 = time.perf_counter()
    match_card("warm up", settings)  # builds the card index once
    build = time.perf_counter() - t0
    if args.path == "tutor":
        tutor = build_tutor(settings)
        tutor.ask("bonjour")  # loads the router
        answer_fn = tutor.ask
    else:
        answer_fn = ask
    record: list[dict] = []
    scores = score(questions, answer_fn, record)
    if args.dump:
        args.dump.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    card_times = []
    for q in questions:
        t = time.perf_counter()
        m = match_card(q["question"], settings)
        if m is not None:
            card_answer(m, q["question"], q["lang"], "bench", second_card(m, settings))
        card_times.append(time.perf_counter() - t)
    import numpy as np

    print(f"\n### Concept answers ({args.path}, {len(questions)} blind questions; card index built in {build:.1f} s)\n")
    print("| slice | n | card hit | chapter hit@1 | key-point recall (keyword sets only) | language match | p50 s | "
          "p95 s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    order = ["all", "fr_informal", "fr_formal", "en", *sorted(k for k in scores if k.startswith("phase"))]
    for key in order:
        if key in scores:
            s = scores[key]
            print(f"| {key} | {s.n} | {s.card_rate:.3f} | {s.chapter_hit1:.3f} | {s.key_point_recall:.3f} | "
                  f"{s.language_match:.3f} | {s.percentile(50):.3f} | {s.percentile(95):.3f} |")
    p50, p95 = (float(np.percentile(card_times, q)) * 1000 for q in (50, 95))
    print(f"\nCard path (normalise, match, render): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print("\nMisses (expected→cited chapter, key points found):")
    for m in scores["all"].misses[: args.misses]:
        print(" -", m)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "concepts.json").write_text(json.dumps({
        k: {"n": s.n, "card_rate": s.card_rate, "chapter_hit1": s.chapter_hit1, "key_point_recall": s.key_point_recall,
            "language_match": s.language_match, "p50": s.percentile(50), "p95": s.percentile(95)}
        for k, s in scores.items()} | {"card_path_ms": {"p50": p50, "p95": p95}}, indent=2))


if __name__ == "__main__":
    main()
