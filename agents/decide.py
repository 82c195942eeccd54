"""From a message and the conversation so far to one decision (a :class:`~agents.routing.router.Route`).

The router says what the message wants on its own; the state of the conversation (:class:`agents.dialogue.State`)
then completes it: an answer to a pending quiz question is graded, a reply to a clarifying question is read with the
question it answers, "et à 95 % ?" changes one argument of the last computation, "oui" accepts the last offer, and
an explanation that could also be computed offers the computation.
"""

from __future__ import annotations

import re
from typing import Any

from agents.dialogue import State
from agents.routing.extract import fold
from agents.routing.extract import strategy as ex_strategy
from agents.routing.extract import strategy_params as ex_params
from agents.routing.router import Route, Router

COMPUTE_TOOLS = ("backtest_strategy", "fit_garch", "value_at_risk", "model_lab")
CHANGEABLE = ("backtest_strategy", "fit_garch", "value_at_risk", "model_lab", "study_plan")
NEW_QUESTION_WORDS = 4  # words of letters: "gradient et derivee c pareil ?" asks something; "et à 95 % ?" does not
OFFER_ABOVE = 0.15  # the runner-up compute tool's probability above which an explanation offers the computation
_FOLLOW_UP = re.compile(r"^(?:et|and|what about|how about|avec|with|maintenant|now|puis|idem|meme chose|same|sur|on|"
                        r"en|a|at|pour|for)\b")
_YES = re.compile(r"^(?:oui|ouais|ouaip|yes|yep|yeah|ok|okay|vas[- ]y|go|d'?accord|dac|volontiers|sure|please|"
                  r"bien sur|carrement|coche[- ]le|coche[- ]la|fais[- ]le|do it|let'?s go)\b")
_ANSWER = re.compile(r"^(?:(?:c'?est |je dis |je pense |reponse |answer |it'?s |la |le |option )*)"
                     r"(?:[a-e]|vrai|faux|true|false|-?\d+(?:[.,]\d+)?\s*%?)[.)!]?$")


def looks_like_answer(text: str) -> bool:
    """"B", "c'est la c", "vrai", "0,05": a reply to a quiz question rather than a new request."""
    return bool(_ANSWER.match(fold(text).strip(" ?!.")))


def decide(router: Router, text: str, code: str | None, state: State) -> Route:
    """The decision for ``text`` (with ``code`` attached) after the conversation ``state``."""
    if state.quiz and code is None and looks_like_answer(text):
        return Route("quiz_answer", {"response": text.strip()}, 1.0, "quiz", "follow_up")
    route = router.route(text, code)
    if state.clarify and code is None and len(text.split()) <= 8 and route.tool not in COMPUTE_TOOLS:
        answered = _answer_to_clarify(router, text, state)
        if answered is not None:
            return answered
    route = _change(route, text, state)
    if route.tool == "follow_up":
        return _follow_up(route, text, state)
    if route.intent == "explain" and route.runner_up[0] in COMPUTE_TOOLS and route.runner_up[1] >= OFFER_ABOVE:
        tool = route.runner_up[0]
        route.args["offer"] = {"tool": tool, "args": Router.arguments(tool, text, code)}
    return route


_COMPUTE_WORDS = re.compile(r"\b(?:calcul\w*|compute|run|lance|fais[- ]le|estime|ajuste|fit|backteste?|le calcul|"
                            r"la 2e|la deuxieme|the second|2nd|deux|second)\b")
_EXPLAIN_WORDS = re.compile(r"\b(?:expli\w*|explain|comprendre|understand|la 1re|la premiere|the first|1st|"
                            r"premier|first|c'?est quoi|what is)\b")


def _answer_to_clarify(router: Router, text: str, state: State) -> Route | None:
    """"calcule" / "explique" after "Tu veux que je t'explique la VaR, ou que je la calcule ?"."""
    assert state.clarify is not None
    low = fold(text)
    options = list(state.extra.get("options") or [i for i, _ in router.predict(state.clarify).ranked[:4]])
    if _COMPUTE_WORDS.search(low):
        tool = next((o for o in options if o in COMPUTE_TOOLS), None)
        if tool is not None:
            return Route(tool, Router.arguments(tool, f"{state.clarify} {text}", None), 1.0, "clarified", tool)
    if _EXPLAIN_WORDS.search(low):
        return Route("search_course", {"query": state.clarify}, 1.0, "clarified", "explain")
    combined = router.route(f"{text} {state.clarify}", None)
    if combined.tool in ("clarify", "follow_up", "chitchat"):
        return None
    combined.why = "clarified"
    return combined


def _change(route: Route, text: str, state: State) -> Route:
    """"et à 95 % ?" after a VaR, "et en momentum ?" after a backtest: the last call with one argument changed."""
    last = state.tool
    if not last or last.get("name") not in CHANGEABLE or len(text.split()) > 12:
        return route
    follow = route.tool == "follow_up" and route.args.get("kind") in ("change", "more", "example", "why")
    same_tool = route.tool == last["name"] and bool(_FOLLOW_UP.match(fold(text)))
    doubt = route.tool in ("clarify", "chitchat") and len(text.split()) <= 6
    if not (follow or same_tool or doubt):
        return route
    new = Router.arguments(last["name"], text, None)
    if new.get("strategy") and not ex_strategy(text):  # arguments() fills a default strategy: keep the last one
        new.pop("strategy")
        name = (last.get("args") or {}).get("strategy")
        if name:
            new.pop("params", None)
            params = ex_params(text, str(name))
            if params:
                new["params"] = params
    previous = dict(last.get("args") or {})
    if "strategy" in new and new["strategy"] != previous.get("strategy"):
        previous.pop("params", None)  # another strategy: its own knobs
    changed = {k: v for k, v in new.items() if v not in (None, {}, "show") and k != "query" and previous.get(k) != v}
    if not changed:
        return route
    out = Route(last["name"], {**previous, **changed}, 0.5, "follow-up", "follow_up")
    out.args.pop("offer", None)
    out.follow = {"kind": "change", **changed}
    return out


def _follow_up(route: Route, text: str, state: State) -> Route:
    kind = str(route.args.get("kind", "more"))
    route.follow = {"kind": kind}
    if kind == "accept" or (_YES.match(fold(text).strip()) and len(text.split()) <= 6):
        offered = _offer(state)
        if offered is not None:
            tool, args = offered
            out = Route(tool, args, 1.0, "offer", "follow_up")
            out.follow = {"kind": "accept"}
            return out
    if kind == "decline":
        return route
    if kind == "change" and state.tool is None and (state.card is not None or _words(text) >= NEW_QUESTION_WORDS):
        # "change" changes an argument of the last computation; with none, the message asks something new ("is zero
        # correlation the same thing as independence?", "et pour le GRU ?" after the LSTM): explained on its own
        return Route("search_course", {"query": text.strip()}, route.score, "new question", "explain")
    if state.card is None and state.tool is not None and kind in ("why", "more", "example", "simpler", "lost"):
        # a question about a computation's result: explained from the course, with the previous request as context
        out = Route("search_course", {"query": f"{state.question or ''} {text}".strip()}, route.score, "follow-up",
                    "follow_up")
        out.follow = {"kind": kind}
        return out
    return route


def _words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]{2,}", text))


def _offer(state: State) -> tuple[str, dict[str, Any]] | None:
    """What "oui" accepts: the last answer's offer, or ticking the item of an exercise that passed."""
    if state.offer and state.offer.get("tool"):
        return str(state.offer["tool"]), dict(state.offer.get("args") or {})
    result = (state.tool or {}).get("result") or {}
    if (state.tool or {}).get("name") == "check_exercise" and result.get("passed") and result.get("roadmap_item"):
        return "roadmap_progress", {"action": "check", "item_id": result["roadmap_item"]}
    return None


# -- what the evaluation scores ---------------------------------------------------------------------------------
def label_of(route: Route) -> tuple[str, dict[str, Any]]:
    """The decision as an intent and its key arguments, in the conventions of ``agents/eval/intents/README.md``."""
    intent = "clarify" if route.tool == "clarify" else route.intent or route.tool
    if intent == "follow_up":
        return intent, dict(route.follow or {"kind": route.args.get("kind")})
    if route.tool in ("hint", "solution"):
        return "hint", {k: v for k, v in route.args.items() if k in ("exercise_id", "solution")}
    if intent == "explain":
        return intent, {"level": "simple"} if route.args.get("level") == "simple" else {}
    if intent == "quiz":
        topic = quiz_topic(str(route.args.get("topic", "")))
        return intent, {"topic": topic} if topic else {}
    return intent, {k: v for k, v in route.args.items() if k not in ("offer", "query", "code", "options")}


_QUIZ_LEAD = re.compile(r"^.*?\b(?:sur|on|about|de|of|concernant|autour de|regarding)\s+(?:(?:la|le|les|the|un|une|"
                        r"des|du)\s+|l')?")


def quiz_topic(text: str) -> str | None:
    """"interroge-moi sur la VaR stp" -> "var"."""
    low = fold(text)
    m = _QUIZ_LEAD.match(low)
    if not m:
        return None
    rest = re.sub(r"\b(?:stp|svp|please|pls|merci|thanks|avant|before|pour|for|en \d+ questions?|stuff|trucs?)\b"
                  r".*$", "",
                  low[m.end():])
    topic = re.sub(r"[^\w' -]", " ", rest).strip(" '-")
    return re.sub(r"\s+", " ", topic) or None


def state_from_previous(previous: dict[str, Any] | None, settings: Any = None) -> State:
    """The state a described previous turn leaves (the evaluation's ``previous`` field)."""
    state = State()
    if not previous:
        return state
    intent = previous.get("intent")
    state.question = previous.get("text")
    if intent == "explain" or previous.get("topic"):
        from agents.explain import match_card

        match = match_card(previous.get("topic") or previous.get("text", ""), settings) if settings else None
        state.card = match.card.id if match is not None else "unknown"
        state.level = "standard"
    elif intent in CHANGEABLE or intent in ("check_exercise", "roadmap_progress", "run_python"):
        state.tool = {"name": intent, "args": dict(previous.get("args") or {}), "result": {}}
    if intent == "clarify":
        state.clarify = previous.get("text")
    if previous.get("offer"):
        state.offer = {"text": previous["offer"]}
    return state
