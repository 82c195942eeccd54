"""Intent routing for models that cannot choose tools (the embedded 135M model: 0 of 5 right, measured).

The learned intent model (:mod:`agents.routing.intent`) says what the learner wants, with a calibrated
confidence; a doubtful request becomes a clarifying question instead of a wrong tool. Arguments are then extracted
with :mod:`agents.routing.extract`; the model only phrases the outcome.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from agents.routing import extract as ex
from agents.routing import schedule as sc
from agents.routing.extract import fold
from agents.routing.intent import IntentModel, Prediction, load_intent_model

Intent = str  # a tool name, or "hint" / "solution" / "follow_up" / "quiz" / "flashcard" / "chitchat" / "clarify"
CLARIFY_BELOW = 0.4  # a calibrated confidence under this asks the learner instead of guessing
TOOL_INTENTS = ("fit_garch", "value_at_risk", "backtest_strategy", "model_lab", "run_python", "check_exercise",
                "study_plan", "roadmap_progress")
_SOLUTION = re.compile(r"(?:montre|donne|show|give)\W+(?:\w+\W+){0,3}(?:solution|correction|corrige|soluce)"
                       r"|\bsoluce\b|\banswer key\b|\bfull answer\b"
                       r"|solution complete|full solution|la reponse complete")


@dataclass
class Route:
    """Where a request goes: a tool with arguments, or ``hint`` / ``solution`` for exercise help."""

    tool: Intent
    args: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0
    why: str = "rules"
    intent: str = ""  # the intent it came from (the evaluation's label)
    runner_up: tuple[str, float] = ("", 0.0)
    follow: dict[str, Any] = field(default_factory=dict)  # a follow-up's kind and changed arguments


class Router:
    """The learned intent model, then the arguments of the chosen tool."""

    def __init__(self, embedder: Any = None, *, cache_dir: Path | None = None) -> None:
        if embedder is None:
            from knowledge.config import Settings
            from knowledge.embeddings import get_embedder

            embedder = get_embedder(Settings())
        self._embedder = embedder
        self._cache_dir = cache_dir or Path(tempfile.gettempdir()) / "quant-tutor-models"
        self._model: IntentModel | None = None
        self._last: tuple[str, np.ndarray] | None = None

    @property
    def model(self) -> IntentModel:
        if self._model is None:
            self._model = load_intent_model(self._embedder, self._cache_dir)
        return self._model

    def _vector(self, text: str) -> np.ndarray:
        if self._last is None or self._last[0] != text:
            self._last = (text, np.asarray(self._embedder.embed([text])[0], dtype=np.float32))
        return self._last[1]

    def predict(self, text: str, code: str | None = None) -> Prediction:
        """The intent of a request (code attached or not), with its calibrated confidence."""
        return self.model.predict(text, code, self._vector(text))

    def follow_up_kind(self, text: str) -> str:
        return self.model.follow_up_kind(text, self._vector(text))

    def route(self, text: str, code: str | None = None) -> Route:
        if code is None:
            text, code = ex.code_block(text)
        pred = self.predict(text, code)
        intent = pred.intent
        if pred.confidence < CLARIFY_BELOW and intent not in ("follow_up", "chitchat", "clarify"):
            return Route("clarify", {"options": [intent, pred.runner_up[0]]}, pred.confidence, "doubt", "clarify")
        low = fold(text)
        match intent:
            case "explain":
                from agents.explain import choose_level

                args: dict[str, Any] = {"query": text.strip()}
                if choose_level(text) == "simple":
                    args["level"] = "simple"
                return Route("search_course", args, pred.confidence, "intent", intent, pred.runner_up)
            case "hint":
                tool = "solution" if _SOLUTION.search(low) else "hint"
                hint_args: dict[str, Any] = {"exercise_id": _exercise(text, code)}
                if tool == "solution":
                    hint_args["solution"] = True
                return Route(tool, {k: v for k, v in hint_args.items() if v is not None}, pred.confidence,
                             "intent", intent)
            case "follow_up":
                return Route("follow_up", {"kind": self.follow_up_kind(text)}, pred.confidence, "intent", intent)
            case "quiz":
                return Route("quiz", {"topic": text.strip()}, pred.confidence, "intent", intent)
            case "flashcard" | "chitchat" | "clarify":
                options = [pred.runner_up[0]] if intent == "clarify" else []
                return Route(intent, {"options": options} if options else {}, pred.confidence, "intent", intent)
        if intent == "run_python" and code is None:  # nothing to run: the learner wants it explained
            return Route("search_course", {"query": text.strip()}, pred.confidence, "intent", "explain")
        return Route(intent, self.arguments(intent, text, code), pred.confidence, "intent", intent, pred.runner_up)

    @staticmethod
    def arguments(tool: str, text: str, code: str | None) -> dict[str, Any]:
        """Extract the key arguments of ``tool`` from the request (defaults are the tool's own)."""
        args: dict[str, Any] = {}

        def put(key: str, value: Any) -> None:
            if value is not None and value != {}:
                args[key] = value

        match tool:
            case "backtest_strategy":
                name = ex.strategy(text) or "sma-cross"
                put("ticker", ex.ticker(text))
                args["strategy"] = name
                put("params", ex.strategy_params(text, name))
                put("cost_bps", ex.cost_bps(text))
                args.update(_period(text))
            case "value_at_risk":
                put("ticker", ex.ticker(text))
                put("level", ex.level(text) or ex.bare_level(text))
                methods = sc.compared(text, "var")
                put("methods", methods)
                put("method", None if methods else ex.var_method(text))
                put("horizon_days", ex.horizon_days(text))
                args.update(_period(text))
            case "fit_garch":
                put("ticker", ex.ticker(text))
                models = sc.compared(text, "garch")
                put("models", models)
                put("model", None if models else ex.garch_model(text))
                put("dist", ex.garch_dist(text))
                args.update(_period(text))
            case "model_lab":
                put("model", ex.model_name(text))
                put("dataset", ex.dataset(text))
                put("epochs", ex.epochs(text))
            case "study_plan":
                spelled = sc.digits(fold(text))
                put("hours_per_week", sc.weekly_hours(text) or ex.hours_per_week(spelled))
                put("weeks", ex.weeks(spelled))
                put("deadline_month", sc.deadline_month(text))
                put("phase", sc.phase(text))
                put("focus", None if "phase" in args else sc.focus(text))
            case "roadmap_progress":
                low = fold(text)
                item = ex.item_id(text)
                if re.search(r"decoche|uncheck|unmark|untick|retire|redo|refaire|pas encore fini|not (?:yet )?(?:done|"
                             r"finished|complete)|pas (?:encore )?(?:fait|fini|termine)|undone|non fait", low):
                    action = "uncheck"
                elif item:
                    action = "check"
                elif re.search(r"next|ensuite|prochaine|que dois|je dois|dois-je|par quoi|suivant|apres|maintenant"
                               r"|\bnow\b|attaquer|tackle|\bmtn\b|\bla suite\b|je fais quoi|what do i do|"
                               r"what should i|prochain|devrais|should i", low):
                    action = "next"
                elif re.search(r"\bcoche|mark .*(done|complete)|check (?:off )?item|termine|j'?ai fini", low):
                    action = "check"
                else:
                    action = "show"
                args["action"] = action
                put("item_id", item)
            case "check_exercise":
                put("exercise_id", _exercise(text, code))
                put("code", code)
            case "run_python":
                put("code", code)
                put("timeout_s", ex.timeout_s(text))
            case "search_course":
                args["query"] = text.strip()
        return args


def _period(text: str) -> dict[str, Any]:
    """``start`` / ``end`` (ISO dates) or ``last_years`` as the request states them."""
    years = sc.last_years(text)
    if years:
        return {"last_years": years}
    start, end = ex.date_range(text)
    return {k: v for k, v in (("start", start), ("end", end)) if v}


def _exercise(text: str, code: str | None) -> str | None:
    """Exercise named in the text, else the one whose expected functions the code defines."""
    from knowledge.exercise_bank import find_exercise_in_text, list_exercises

    if code:  # the functions the code defines are the strongest evidence
        defined = set(re.findall(r"^\s*def\s+(\w+)", code, re.M))
        best: tuple[int, str] | None = None
        for info in list_exercises():
            hits = len(defined & set(info.functions))
            if hits and (best is None or hits > best[0]):
                best = (hits, info.id)
        if best:
            return best[1]
    return find_exercise_in_text(text)
