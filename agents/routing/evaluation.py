"""Scoring the tutor's tool choice and argument extraction on ``agents/eval/requests.json``.

The rules are those of ``agents/eval/README.md``: tool accuracy over all requests; argument accuracy micro-averaged
over the requests whose tool is right, one argument per ``params`` key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.textio import fold

REQUESTS = Path(__file__).resolve().parents[1] / "eval" / "requests.json"
Predictor = Callable[[str, str | None], tuple[str | None, dict[str, Any]]]


def load_requests(path: Path = REQUESTS) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def _norm(s: str) -> str:
    return re.sub(r"[\s_]+", "-", fold(s).strip())


def _item(s: str) -> str:
    m = re.fullmatch(r"0*(\d+)\.(\d+)", s.strip())
    return f"{int(m.group(1))}.{int(m.group(2))}" if m else _norm(s)


def same(expected: Any, got: Any, key: str = "") -> bool:
    if key == "code":
        return isinstance(got, str) and got.strip() == str(expected).strip()
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, (int, float)):
        try:
            return abs(float(got) - float(expected)) <= 1e-9
        except (TypeError, ValueError):
            return False
    if isinstance(expected, str) and got is not None:
        if key == "item_id":
            return _item(expected) == _item(str(got))
        return _norm(expected) == _norm(str(got))
    return bool(expected == got)


def _flat(args: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in args.items():
        if isinstance(v, dict):
            out.update({f"{k}.{kk}": vv for kk, vv in v.items()})
        else:
            out[k] = v
    return out


@dataclass
class Score:
    n: int = 0
    tool_ok: int = 0
    args_total: int = 0
    args_ok: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tool_accuracy(self) -> float:
        return self.tool_ok / self.n if self.n else 0.0

    @property
    def arg_accuracy(self) -> float:
        return self.args_ok / self.args_total if self.args_total else 1.0


def _count(scores: dict[str, Score], keys: tuple[str, ...], right: bool, n_args: int, args_ok: int) -> None:
    """Add one request to each slice of ``keys``; its arguments count only when the tool or intent is right."""
    for key in keys:
        s = scores.setdefault(key, Score())
        s.n += 1
        s.tool_ok += right
        if right:
            s.args_total += n_args
            s.args_ok += args_ok


def evaluate(predict: Predictor, requests: list[dict[str, Any]] | None = None) -> dict[str, Score]:
    """Score ``predict(text, code) -> (tool, args)``; keys: "all", "fr", "en" and each tool name."""
    scores: dict[str, Score] = {}
    for req in requests if requests is not None else load_requests():
        tool, args = predict(req["text"], req.get("code"))
        expected = _flat(req.get("args", {}))
        got = _flat(args or {})
        ok_tool = tool == req["tool"]
        ok_args = sum(same(v, got.get(k), k.split(".")[-1]) for k, v in expected.items()) if ok_tool else 0
        _count(scores, ("all", req["lang"], req["tool"]), ok_tool, len(expected), ok_args)
        if not ok_tool or ok_args < len(expected):
            scores["all"].misses.append({"id": req["id"], "text": req["text"], "tool": tool,
                                         "expected_tool": req["tool"], "args": args, "expected_args": req["args"]})
    return scores


def router_predictor(router: Any) -> Predictor:
    """The router mode's first tool call (exercise help counts as no tool call)."""

    def predict(text: str, code: str | None) -> tuple[str | None, dict[str, Any]]:
        route = router.route(text, code)
        return (None, {}) if route.tool in ("hint", "solution") else (route.tool, route.args)

    return predict


# -- intents (agents/eval/intents/: the learned router's sets) ----------------------------------------------------
IntentPredictor = Callable[[dict[str, Any]], tuple[str | None, dict[str, Any]]]


def _args_match(expected: dict[str, Any], got: dict[str, Any]) -> int:
    """How many expected arguments ``got`` has right; lists (``models``, ``methods``) compare as sets."""
    ok = 0
    for key, value in _flat(expected).items():
        have = _flat(got).get(key)
        if isinstance(value, list):
            ok += isinstance(have, list) and sorted(map(_norm, map(str, value))) == sorted(map(_norm, map(str, have)))
        else:
            ok += same(value, have, key.split(".")[-1])
    return ok


def evaluate_intents(predict: IntentPredictor, requests: list[dict[str, Any]]) -> dict[str, Score]:
    """Intent accuracy (``Score.tool_accuracy``) and argument accuracy over the requests whose intent is right;
    keys: ``all``, the language, the style, ``lang-style`` and each intent."""
    scores: dict[str, Score] = {}
    for req in requests:
        intent, args = predict(req)
        expected = _flat(req.get("args", {}))
        ok_intent = intent == req["intent"]
        ok_args = _args_match(req.get("args", {}), args or {}) if ok_intent else 0
        style = req.get("style", "formal")
        _count(scores, ("all", req["lang"], style, f"{req['lang']}-{style}", req["intent"]), ok_intent,
               len(expected), ok_args)
        if not ok_intent or ok_args < len(expected):
            scores["all"].misses.append({"id": req["id"], "text": req["text"], "tool": intent,
                                         "expected_tool": req["intent"], "args": args,
                                         "expected_args": req.get("args", {})})
    return scores
