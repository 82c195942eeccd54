"""Tool and argument accuracy of the tutor on agents/eval/requests.json, for each mode.

    python bench/agent_eval.py            # router mode (the learned router), always
    QT_LLM_BASE_URL=... QT_LLM_MODEL=... QT_LLM_BACKEND=openai python bench/agent_eval.py --tool-calling
    python bench/agent_eval.py --tool-calling --every 5   # the embedded model forced to choose tools itself
    python bench/agent_eval.py --intents agents/eval/intents/blind.json   # the learned router, with the state
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def table(name: str, scores: dict, seconds: float) -> None:
    print(f"\n### {name} ({seconds:.1f} s)\n")
    print("| slice | n | tool accuracy | argument accuracy |")
    print("|---|---:|---:|---:|")
    for key in ["all", "fr", "en", *sorted(k for k in scores if k not in ("all", "fr", "en"))]:
        if key not in scores:
            continue
        s = scores[key]
        print(f"| {key} | {s.n} | {s.tool_accuracy:.1%} | {s.arg_accuracy:.1%} |")
    for m in scores["all"].misses[:15]:
        print(f"- miss {m['id']}: {m['text'][:70]!r} -> {m['tool']} {m['args']} (expected {m['expected_tool']} "
              f"{m['expected_args']})")


def intent_table(path: Path) -> None:
    """Intent and argument accuracy of the routing mode's decisions (router + conversation state) on ``path``."""
    import json
    import statistics

    from agents.decide import decide, label_of, state_from_previous
    from agents.routing.evaluation import evaluate_intents
    from agents.routing.router import Router
    from knowledge.config import get_settings
    from knowledge.embeddings import get_embedder

    settings = get_settings()  # reads only: the card index of the learner's home (built by `make ingest`)
    router = Router(get_embedder(settings))
    router.route("warm up")
    requests = json.loads(path.read_text(encoding="utf-8"))
    times: list[float] = []

    def predict(req: dict) -> tuple[str | None, dict]:
        state = state_from_previous(req.get("previous"), settings)
        t0 = time.perf_counter()
        route = decide(router, req["text"], req.get("code"), state)
        times.append(time.perf_counter() - t0)
        return label_of(route)

    t = time.perf_counter()
    scores = evaluate_intents(predict, requests)
    print(f"\n### {path.name}: {len(requests)} requests ({time.perf_counter() - t:.1f} s), routing p50 "
          f"{1000 * statistics.median(times):.1f} ms\n")
    print("| slice | n | intent accuracy | argument accuracy |")
    print("|---|---:|---:|---:|")
    order = ["all", "fr", "en", "informal", "formal", "fr-informal", "fr-formal", "en-informal", "en-formal"]
    for key in order + sorted(k for k in scores if k not in order):
        s = scores[key]
        print(f"| {key} | {s.n} | {s.tool_accuracy:.1%} | {s.arg_accuracy:.1%} |")
    for m in scores["all"].misses:
        print(f"- miss {m['id']}: {m['text'][:80]!r} -> {m['tool']} {m['args']} (expected {m['expected_tool']} "
              f"{m['expected_args']})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool-calling", action="store_true", help="also score the configured tool-calling model")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--set", default="requests.json", help="requests.json or heldout.json")
    parser.add_argument("--every", type=int, default=1, help="score every N-th request (a spread sample)")
    parser.add_argument("--intents", type=Path, default=None, help="an intent set (agents/eval/intents/*.json)")
    opts = parser.parse_args()
    if opts.intents is not None:
        intent_table(opts.intents)
        return

    from agents.routing.evaluation import REQUESTS, evaluate, load_requests, router_predictor
    from agents.routing.router import Router
    from knowledge.config import Settings
    from knowledge.embeddings import get_embedder

    requests = load_requests(REQUESTS.parent / opts.set)[:: opts.every][: opts.limit]
    settings = Settings(home=Path(tempfile.mkdtemp(prefix="qt-eval-")))
    t = time.perf_counter()
    full = evaluate(router_predictor(Router(get_embedder(settings))), requests)
    table("learned router (the embedded model's mode)", full, time.perf_counter() - t)
    if opts.tool_calling:
        from agents.tutor import build_tutor

        tutor = build_tutor(Settings(home=settings.home, llm_tool_calling=True))

        def predict(text: str, code: str | None) -> tuple[str | None, dict]:
            try:
                ans = tutor.ask(text, code=code)
            except Exception as exc:  # a model that cannot call tools may fail the turn: no tool call
                print(f"- error on {text[:50]!r}: {exc.__class__.__name__}: {str(exc)[:120]}")
                return None, {}
            return (ans.tool_calls[0].name, ans.tool_calls[0].args) if ans.tool_calls else (None, {})

        t = time.perf_counter()
        table("tool calling", evaluate(predict, requests), time.perf_counter() - t)
    else:
        print("\n(tool-calling mode: pass --tool-calling with an OpenAI-compatible server configured)")


if __name__ == "__main__":
    main()
