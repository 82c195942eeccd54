"""Time to first token and tokens/s of the tutor's answer path against the raw llama.cpp call.

Both sides run the embedded SmolLM2-135M on the SAME messages (``agents.answer.build_messages`` over the same
retrieved passages) with the same sampling options and thread count (``--threads``, default all cores but one:
with every core in use, llama.cpp's threads stall each other whenever another process takes a core, and decode
drops from ~100 to ~1 tokens/s on a shared 2-core machine):

- ``ask``: ``agents.answer.ask_stream(question)``, i.e. retrieval + prompt + LangChain ``ChatLlamaCpp``
  streaming + degeneracy checks; time to first token counts from the call, retrieval included.
- ``raw``: ``llama_cpp.Llama(model_path=embedded_model_path(), n_ctx=2048, n_batch=512)`` and
  ``create_chat_completion(messages, stream=True)``; the messages are built before the clock starts.

Tokens/s is the decode rate, :math:`(n - 1) / (t_{last} - t_{first})` over the streamed pieces. English
questions only: French ones skip generation by design (the embedded model loops in French). The first
question warms both models up and is not counted; then each question is asked ``--repeats`` times (never the
same prompt twice in a row, so no full KV-cache hit) while ``--budget-s`` lasts, generation capped at
``--max-tokens`` on both sides. Ratios are ask / raw of the medians over all calls, measured in the same run,
the two sides alternating first.

Run: ``.venv/bin/python bench/llm.py`` (about 2 minutes on 2 cores).
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

from bench.embedders import RESULTS, temp_settings  # noqa: E402  (sets the offline env)
from knowledge.config import Settings  # noqa: E402

CALL_CAP_S = 20.0  # a call starved by other processes stops streaming here (its rates still count)
WARMUP = "What is a tensor in PyTorch?"
QUESTIONS = (
    "How does the KV cache speed up text generation?",
    "What does the Sharpe ratio measure?",
    "Why do we divide by the square root of d_k in attention?",
)


def _rates(t0: float, stamps: list[float]) -> dict[str, float]:
    if not stamps:
        return {"ttft_s": float("nan"), "tok_per_s": float("nan"), "tokens": 0, "total_s": float("nan")}
    decode = stamps[-1] - stamps[0]
    return {
        "ttft_s": stamps[0] - t0,
        "tokens": len(stamps),
        "total_s": stamps[-1] - t0,
        "tok_per_s": (len(stamps) - 1) / decode if decode > 0 else float("nan"),
    }


def time_ask(question: str, settings: Settings) -> dict[str, Any]:
    """Stream the tutor's answer; stamp each non-empty token event."""
    from agents.answer import ask_stream

    stamps: list[float] = []
    mode = "?"
    t0 = time.perf_counter()
    for event in ask_stream(question, settings=settings):
        if event["type"] == "token" and event["text"]:
            stamps.append(time.perf_counter())
            if stamps[-1] - t0 > CALL_CAP_S:
                mode = "cut"
                break
        elif event["type"] == "answer":
            answer = event["answer"]
            mode = answer.mode + "".join(f" ({f})" for f in answer.flags)
    return {**_rates(t0, stamps), "answer_mode": mode}


def raw_messages(question: str, settings: Settings) -> list[dict[str, str]]:
    """The exact messages ``ask_stream`` sends (same k, language and context budget)."""
    from agents import grounding
    from agents.answer import build_messages
    from knowledge.retrieval import search

    language = grounding.detect_language(question)
    passages = search(question, 4, settings=settings)
    return [{"role": r, "content": c} for r, c in build_messages(question, passages, language, settings.context_tokens)]


def time_raw(llama: Any, messages: list[dict[str, str]], params: dict[str, Any]) -> dict[str, Any]:
    """Stream the raw llama.cpp chat completion; stamp each non-empty content delta."""
    stamps: list[float] = []
    t0 = time.perf_counter()
    for chunk in llama.create_chat_completion(messages=messages, stream=True, **params):
        if chunk["choices"] and chunk["choices"][0]["delta"].get("content"):
            stamps.append(time.perf_counter())
            if stamps[-1] - t0 > CALL_CAP_S:
                break
    return _rates(t0, stamps)


def load_both(settings: Settings) -> tuple[Any, dict[str, Any], float]:
    """The tutor's chat model (cached by agents.llm) and a raw Llama with the same threads and sampling."""
    from llama_cpp import Llama

    from agents.llm import embedded_model_path, get_chat_model

    chat = get_chat_model(settings)
    t0 = time.perf_counter()
    llama = Llama(
        model_path=str(embedded_model_path()),
        n_ctx=2048,
        n_batch=512,
        n_threads=chat.n_threads,
        seed=chat.seed,
        verbose=False,
    )
    load_s = time.perf_counter() - t0
    params = {
        "max_tokens": chat.max_tokens,
        "temperature": chat.temperature,
        "top_p": chat.top_p,
        "top_k": chat.top_k,
        "repeat_penalty": chat.repeat_penalty,
    }
    return llama, params, load_s


def run(settings: Settings, repeats: int, budget_s: float) -> dict[str, Any]:
    from knowledge.ingest import ingest

    ingest_s = ingest(settings=settings, progress=False).seconds
    llama, params, load_s = load_both(settings)
    messages = {q: raw_messages(q, settings) for q in (WARMUP, *QUESTIONS)}
    time_raw(llama, messages[WARMUP], params)
    time_ask(WARMUP, settings)
    rows: list[dict[str, Any]] = []
    start = time.perf_counter()
    for i in range(repeats * len(QUESTIONS)):
        if i >= len(QUESTIONS) and time.perf_counter() - start > budget_s:
            break  # one full pass always; more while the time budget lasts
        question = QUESTIONS[i % len(QUESTIONS)]  # never the same prompt twice in a row: no full KV-cache hit
        if i % 2 == 0:
            raw, ask = time_raw(llama, messages[question], params), time_ask(question, settings)
        else:
            ask, raw = time_ask(question, settings), time_raw(llama, messages[question], params)
        rows.append({"question": question, "ask": ask, "raw": raw})
    return {
        "ingest_s": ingest_s,
        "raw_load_s": round(load_s, 2),
        "threads": llama.n_threads,
        "params": params,
        "repeats": repeats,
        "rows": rows,
    }


def report(res: dict[str, Any]) -> None:
    rows = res["rows"]
    print(
        f"\nSmolLM2-135M Q4_1 via llama.cpp, {os.cpu_count()} CPUs, sampling {res['params']}, "
        f"{res['threads']} threads, {len(rows)} calls per side (course ingest {res['ingest_s']:.0f} s)\n"
    )
    print("| question | side | TTFT s | tok/s | tokens | answer |\n|---|---|---|---|---|---|")
    for r in rows:
        for side in ("raw", "ask"):
            m = r[side]
            print(
                f"| {r['question']} | {side} | {m['ttft_s']:.2f} | {m['tok_per_s']:.1f} | {m['tokens']} | "
                f"{m.get('answer_mode', '-')} |"
            )
    med = {
        side: {k: float(np.nanmedian([r[side][k] for r in rows])) for k in ("ttft_s", "tok_per_s")}
        for side in ("raw", "ask")
    }
    print("\n| median over questions | raw llama.cpp | ask_stream | ask / raw |\n|---|---|---|---|")
    for key, label in (("ttft_s", "time to first token (s)"), ("tok_per_s", "tokens/s")):
        print(f"| {label} | {med['raw'][key]:.2f} | {med['ask'][key]:.2f} | {med['ask'][key] / med['raw'][key]:.2f} |")
    res["median"] = med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="at most this many passes over the questions")
    parser.add_argument(
        "--threads",
        type=int,
        default=max(1, (os.cpu_count() or 2) - 1),
        help="llama.cpp threads for both sides (default: all cores but one, so other processes do not stall it)",
    )
    parser.add_argument("--budget-s", type=float, default=90.0, help="no new pass after this many seconds")
    parser.add_argument("--max-tokens", type=int, default=64, help="generation cap for both sides")
    args = parser.parse_args()
    with temp_settings(Settings.model_fields["embedder"].default) as settings:
        settings = settings.model_copy(
            update={"llm_backend": "embedded", "llm_max_tokens": args.max_tokens, "llm_threads": args.threads}
        )
        res = run(settings, args.repeats, args.budget_s)
    report(res)
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        **res,
    }
    (RESULTS / "llm.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    print(f"\nWritten {RESULTS / 'llm.json'}")


if __name__ == "__main__":
    main()
