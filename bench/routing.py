"""Routing time of one request: normalise, embed, classify, extract arguments (the routing mode's decision).

    python bench/routing.py          # p50 / p95 over the blind set's 260 requests, one at a time

The sentence embedding of the request is the largest part; it is reported apart. Target (issue 11): p50 ≤ 30 ms
on 2 cores.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    from agents.decide import decide
    from agents.dialogue import State
    from agents.routing.intent import DATA_DIR
    from agents.routing.router import Router
    from knowledge.config import Settings
    from knowledge.embeddings import get_embedder

    embedder = get_embedder(Settings())
    router = Router(embedder)
    router.route("warm up")
    requests = json.loads((DATA_DIR / "blind.json").read_text(encoding="utf-8"))
    total, embed = [], []
    for req in requests:
        t = time.perf_counter()
        embedder.embed([req["text"] + " "])  # a text not memoised by the router
        embed.append(time.perf_counter() - t)
        t = time.perf_counter()
        decide(router, req["text"], req.get("code"), State())
        total.append(time.perf_counter() - t)

    def ms(xs: list[float], q: float) -> str:
        return f"{1000 * statistics.quantiles(xs, n=100)[int(q) - 1]:.1f}"

    print("| part | p50 (ms) | p95 (ms) |\n|---|---:|---:|")
    print(f"| whole decision (normalise, embed, classify, extract) | {ms(total, 50)} | {ms(total, 95)} |")
    print(f"| of which the sentence embedding | {ms(embed, 50)} | {ms(embed, 95)} |")
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
