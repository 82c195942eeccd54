"""The tutor agent: two ways of thinking, one :class:`~agents.answer.Answer`.

(a) **tool calling** for capable models (an OpenAI-compatible server, a user's GGUF that supports it): a
    LangChain 1.x agent (LangGraph) chooses tools, with a max-steps guard;
(b) **routing** for the embedded 135M model, which cannot choose tools: :class:`~agents.routing.router.Router` picks
    the tool and extracts its arguments, the tool runs, and the outcome is phrased from its result.

In both modes, every figure of the final text must come from a tool result (or retrieved passage) of the turn:
:func:`~agents.grounding.unsupported_figures` finds those that do not, and the answer is corrected (router mode)
or flagged (tool-calling mode). Conversation memory is persisted per learner.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from agents import grounding
from agents.answer import ask_stream
from agents.answer_types import Answer, Citation, Event, ToolCall
from agents.llm import backend_label, failure_message, get_chat_model, model_errors, supports_tool_calling
from agents.memory import Memory
from agents.routing import phrasing
from agents.routing.extract import code_block, fold
from agents.routing.extract import strategy as ex_strategy
from agents.routing.router import Route, Router
from agents.tools import TOOL_NAMES, Toolbox
from knowledge.config import Settings

log = logging.getLogger(__name__)
SYSTEM_AGENT = (
    "You are quant-tutor, a patient tutor for deep learning, LLMs and quantitative finance. Answer in the "
    "learner's language (French unless they write English). Use the tools: search_course to explain course "
    "concepts (cite passages as [n]), the finance tools for any figure about a market, check_exercise for "
    "exercises, run_python to run code, model_lab to train models, study_plan and roadmap_progress for planning. "
    "Never invent a figure: every number you give must come from a tool result of this turn."
)
_YES = re.compile(r"^(?:oui|ouais|yes|yep|ok|okay|vas[- ]y|go|d'?accord|volontiers|sure|please|bien sur|"
                  r"coche[- ]le|coche[- ]la|fais[- ]le|do it)\b")
_ASKS_MEANING = re.compile(r"veut dire|signifi|c'?est quoi|qu'?est[- ]ce|pourquoi|\bpk\b|\bpq\b|explique|comprends? "
                           r"pas|difference|\bmeans?\b|\bmeaning\b|what(?:'s| is| are| does)|\bwhy\b|explain|"
                           r"how (?:does|do)|a quoi sert|interpret|impressi|"
                           r"c'?est (?:bon|bien|top|normal|grave|fiable)|"
                           r"is (?:that|it|this) (?:good|bad|normal|ok|okay|reliable|enough)|can i trust|"
                           r"(?:je )?peux m'?y fier|ca suffit|is it enough|worth it")
_COMPUTE_TOOLS = ("backtest_strategy", "fit_garch", "value_at_risk", "model_lab", "run_python")
_FOLLOW_UP = re.compile(r"^(?:et|and|what about|how about|avec|with|maintenant|now|puis|idem|meme chose|same)\b")
# a course passage to cite next to each tool's result
TOPIC_QUERY = {
    "value_at_risk": "Value at Risk VaR Expected Shortfall backtesting Kupiec",
    "fit_garch": "modèle GARCH(1,1) variance conditionnelle",
    "backtest_strategy": "backtesting d'une stratégie sans look-ahead coûts de transaction",
}


class Tutor:
    """Answers a learner's message with tools, citations and memory."""

    def __init__(self, settings: Settings, llm: Any = None, *, toolbox: Toolbox | None = None,
                 memory: Memory | None = None, max_steps: int = 6, tool_calling: bool | None = None) -> None:
        self.settings = settings
        self._llm = llm
        self.toolbox = toolbox or Toolbox(settings)
        self.memory = memory or Memory(settings.home / "conversations.db")
        self.max_steps = max_steps
        self.tool_calling = supports_tool_calling(settings) if tool_calling is None else tool_calling
        self._router: Router | None = None
        self.label = backend_label(settings)

    # -- lazily built parts --------------------------------------------------------------------------------
    @property
    def llm(self) -> Any:
        if self._llm is None:
            self._llm = get_chat_model(self.settings)
        return self._llm

    @property
    def router(self) -> Router:
        if self._router is None:
            from knowledge.embeddings import get_embedder

            descriptions: dict[str, str] = {n: (getattr(Toolbox, n).__doc__ or "").split("\n")[0] for n in TOOL_NAMES}
            self._router = Router(get_embedder(self.settings), descriptions)
        return self._router

    # -- public API ----------------------------------------------------------------------------------------
    def ask(self, message: str, *, code: str | None = None, conversation: int | None = None) -> Answer:
        answer: Answer | None = None
        for event in self.stream(message, code=code, conversation=conversation):
            if event["type"] == "answer":
                answer = event["answer"]
        assert answer is not None
        return answer

    def stream(self, message: str, *, code: str | None = None, conversation: int | None = None) -> Iterator[Event]:
        """Events: ``status``, ``tool`` (a finished tool call) and finally ``answer``. The turn is remembered in
        ``conversation`` (default: the learner's current one), whose turns are all the memory it reads."""
        start = time.perf_counter()
        text, inline = code_block(message)
        code = code if code is not None else inline
        learner = self.settings.learner
        cid = self.memory.current(learner, conversation)
        language = grounding.detect_language(text or message)
        answer: Answer | None = None
        from agents.flashcards import asks_flashcard, flashcard_from_memory

        if asks_flashcard(text or message) and len((text or message).split()) <= 12:
            reply = flashcard_from_memory(self.settings, self.memory.recent(learner, 6, cid), language)
            answer = Answer(reply, backend=self.label, mode="none", language=language)
            self._remember(cid, message, answer)
            yield {"type": "answer", "answer": answer}
            return
        notice = None
        if self.tool_calling:
            try:
                answer = self._agent_turn(message if code is None else f"{text}\n```python\n{code}\n```", language,
                                          cid)
            except model_errors() as exc:  # the chosen model stopped answering: routing answers this turn
                log.warning("model %s failed (%r); routing this turn", self.label, exc)
                notice = failure_message(self.settings, exc)
        if answer is None:
            for event in self._router_turn(text or message, code, language, cid, offline=notice is not None):
                if event["type"] == "answer":
                    answer = event["answer"]
                else:
                    yield event
        assert answer is not None
        if notice is not None and "fallback:model-unreachable" not in answer.flags:
            answer.answer = f"{notice}\n\n{answer.answer}"
            answer.backend = backend_label(self._offline_settings()) + " (repli)"
            answer.flags.append("fallback:model-unreachable")
        answer.seconds = round(time.perf_counter() - start, 3)
        self._remember(cid, message, answer)
        yield {"type": "answer", "answer": answer}

    def _remember(self, cid: int, message: str, answer: Answer) -> None:
        """Store the turn; the answer's meta keeps what the chat shows again on reload (tool calls, citations
        with their passage, flags, model) and what the tutor reads back (exercise, hint level)."""
        learner = self.settings.learner
        self.memory.append(learner, "user", message, conversation=cid)
        meta = {**answer.to_dict(), "citations": [c.to_dict(with_text=True) for c in answer.citations]}
        meta.pop("answer")
        meta.update(answer.memo)
        self.memory.append(learner, "assistant", answer.answer, meta, conversation=cid)

    # -- (b) routing mode ----------------------------------------------------------------------------------
    def _offline_settings(self) -> Settings:
        """These settings with the embedded model (the fallback of a turn whose model stopped answering)."""
        return self.settings.model_copy(update={"llm_backend": "embedded", "llm_tool_calling": False})

    def _router_turn(self, text: str, code: str | None, language: str, cid: int, *,
                     offline: bool = False) -> Iterator[Event]:
        route = self.router.route(text, code)
        route = self._accept_offer(self._follow_up(route, text, cid), text, cid)
        route = self._explain_first(route, text, code)
        log.info("route: %s %s (%s)", route.tool, route.args, route.why)
        if route.tool in ("hint", "solution"):
            yield {"type": "answer", "answer": self._exercise_help(route, language, cid)}
            return
        if route.tool == "search_course":
            settings, llm = (self._offline_settings(), None) if offline else (self.settings, self._llm)
            for event in ask_stream(text, settings=settings, llm=llm):
                if event["type"] == "answer" and event["answer"].mode != "card":
                    ans = event["answer"]
                    ans.tool_calls.insert(0, ToolCall("search_course", {"query": text, "k": 4},
                                                      {"passages": [c.to_dict() for c in ans.citations]}))
                yield event
            return
        if route.tool == "check_exercise" and "exercise_id" not in route.args:
            last = self.memory.last_exercise(self.settings.learner, cid)
            if last and code:
                route.args["exercise_id"] = last
        if route.tool == "check_exercise" and "exercise_id" not in route.args:
            from knowledge.exercise_bank import list_exercises

            ids = ", ".join(i.id for i in list_exercises())
            msg = (f"Quel exercice ? Donne son identifiant ({ids}) et joins ton code." if language == "fr" else
                   f"Which exercise? Give its id ({ids}) and attach your code.")
            yield {"type": "answer", "answer": Answer(msg, backend=self.label, mode="tool", language=language,
                                                       flags=["missing:exercise_id"])}
            return
        result = self.toolbox.call(route.tool, route.args)
        call = ToolCall(route.tool, _public_args(route.args), result)
        yield {"type": "tool", "call": call}
        body = phrasing.phrase(route.tool, result, language)
        citations = self._topic_citations(route.tool, result)
        if citations:
            label = "Pour aller plus loin" if language == "fr" else "Further reading"
            body += f"\n\n{label} : " + " ".join(f"[{c.n}] {c.heading.split(' > ')[-1]}" for c in citations)
        answer = Answer(body, citations, [call], backend=self.label, mode="tool", language=language)
        bad = grounding.unsupported_figures(body, [result, route.args, text, [c.text for c in citations]])
        if bad:  # cannot happen with the templates; kept as the invariant's guard
            answer.flags.append("unsupported-figures:" + ",".join(bad))
        if route.tool == "check_exercise":
            answer.memo["exercise_id"] = result.get("exercise_id")
        yield {"type": "answer", "answer": answer}

    def _explain_first(self, route: Route, text: str, code: str | None) -> Route:
        """A question about a concept is explained, even when it names a tool's subject ("dans mon garch j'ai un
        beta à 0.97, ça veut dire quoi ?", "is a Sharpe of 2.1 after 200 trials impressive?"): a card wins over a
        computing tool when nothing asks to compute, or when the learner asks what something means and the card
        is a sure match."""
        attached = code is not None and ("\n" in code.strip() or len(code) > 120)  # a program, not a snippet
        if route.tool not in _COMPUTE_TOOLS or route.why in ("offer", "follow-up") or attached:
            return route
        from agents.explain import CARD_CONFIDENCE, EXPLAIN_OVER_TOOL, match_card
        from agents.routing.router import asks_to_compute

        low = fold(text)
        computes = asks_to_compute(low)
        meaning = bool(_ASKS_MEANING.search(low))
        if computes and not meaning:
            return route
        if meaning and not computes:  # "what is the difference between TWAP and VWAP?": explain, never compute
            return Route("search_course", {"query": text}, 1.0, "explain")
        match = match_card(text, self.settings)
        needed = EXPLAIN_OVER_TOOL if computes else CARD_CONFIDENCE
        if match is not None and match.confidence >= needed:
            return Route("search_course", {"query": text}, match.confidence, "explain")
        return route

    def _accept_offer(self, route: Route, text: str, cid: int) -> Route:
        """"oui" after a passed exercise check: tick the roadmap item the check offered."""
        if not _YES.match(fold(text).strip()) or len(text.split()) > 6:
            return route
        last = self.memory.last_tool_call(self.settings.learner, cid)
        result = (last or {}).get("result") or {}
        if last and last["name"] == "check_exercise" and result.get("passed") and result.get("roadmap_item"):
            return Route("roadmap_progress", {"action": "check", "item_id": result["roadmap_item"]}, 1.0, "offer")
        return route

    def _follow_up(self, route: Route, text: str, cid: int) -> Route:
        """Short follow-ups reuse the last call: "et à 95 % ?" after a VaR, "et en momentum ?" after a backtest."""
        if len(text.split()) > 10:
            return route
        last = self.memory.last_tool_call(self.settings.learner, cid)
        if not last or last["name"] in ("search_course", "check_exercise", "run_python"):
            return route
        unrouted = route.tool == "search_course" and route.why == "default"
        same_tool = route.tool == last["name"] and bool(_FOLLOW_UP.match(fold(text)))
        if not (unrouted or same_tool):
            return route
        new = Router.arguments(last["name"], text, None)
        if new.get("strategy") and not ex_strategy(text):  # arguments() fills a default strategy
            new.pop("strategy")
        if "strategy" in new and new["strategy"] != last["args"].get("strategy"):
            last = {**last, "args": {k: v for k, v in last["args"].items() if k != "params"}}  # other knobs
        changed = {k: v for k, v in new.items() if v not in (None, {}, "show") and k != "query"}
        if not changed:
            return route
        return Route(last["name"], {**last["args"], **changed}, 0.5, "follow-up")

    def _exercise_help(self, route: Route, language: str, cid: int) -> Answer:
        from agents.exercises import hint

        ex_id = route.args.get("exercise_id") or self.memory.last_exercise(self.settings.learner, cid)
        if not ex_id:
            msg = ("Sur quel exercice veux-tu de l'aide ? (voir `quant-tutor exercises list`)" if language == "fr"
                   else "Which exercise do you need help with? (see `quant-tutor exercises list`)")
            return Answer(msg, backend=self.label, mode="tool", language=language)
        if route.tool == "solution":
            level = 3
        else:
            level = min(self.memory.hint_level(self.settings.learner, ex_id, cid), 2)
        text = hint(ex_id, level)
        names = {0: "Indice", 1: "Question pour te guider", 2: "Solution partielle", 3: "Solution complète"}
        if language == "en":
            names = {0: "Hint", 1: "Guiding question", 2: "Partial solution", 3: "Full solution"}
        body = f"**{names[level]}** ({ex_id}) :\n\n{text}"
        if level < 2:
            body += ("\n\nRéessaie, puis redemande un indice si besoin." if language == "fr"
                     else "\n\nTry again, and ask for another hint if needed.")
        answer = Answer(body, backend=self.label, mode="socratic", language=language)
        answer.memo.update(hint_for=ex_id, hint_level=level)
        return answer

    def _topic_citations(self, tool: str, result: dict[str, Any]) -> list[Citation]:
        query = TOPIC_QUERY.get(tool)
        if tool == "check_exercise" and result.get("exercise_id"):
            query = str(result["exercise_id"]).replace("_", " ")
        if not query or "error" in result:
            return []
        from knowledge.retrieval import search

        try:
            ps = search(query, 1, settings=self.settings)
        except Exception:  # a missing store must not spoil a tool answer
            return []
        return [Citation(i, p.source, p.heading, p.chapter, p.text) for i, p in enumerate(ps, 1)]

    # -- (a) tool-calling mode -----------------------------------------------------------------------------
    def _agent_turn(self, message: str, language: str, cid: int) -> Answer:
        from langchain.agents import create_agent
        from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
        from langgraph.errors import GraphRecursionError

        agent = create_agent(self.llm, self.toolbox.as_langchain_tools(), system_prompt=SYSTEM_AGENT)
        history: list[Any] = []
        for turn in self.memory.recent(self.settings.learner, 6, cid):
            history.append(HumanMessage(turn.content) if turn.role == "user" else AIMessage(turn.content))
        flags: list[str] = []
        state: dict[str, Any] = {}
        try:  # stream the states so that the steps done before the guard trips are kept
            for step in agent.stream({"messages": [*history, HumanMessage(message)]},
                                      config={"recursion_limit": 2 * self.max_steps + 1}, stream_mode="values"):
                state = step
        except GraphRecursionError:
            flags.append(f"max-steps:{self.max_steps}")
        messages = state.get("messages", [])[len(history):]
        calls: list[ToolCall] = []
        pending: dict[str, tuple[str, dict[str, Any]]] = {}
        final = ""
        for m in messages:
            if isinstance(m, AIMessage):
                for tc in m.tool_calls:
                    pending[str(tc["id"])] = (tc["name"], tc["args"])
                if m.content and not m.tool_calls:
                    final = m.content if isinstance(m.content, str) else str(m.content)
            elif isinstance(m, ToolMessage):
                name, args = pending.get(str(m.tool_call_id), (m.name or "?", {}))
                calls.append(ToolCall(name, _public_args(args), _parse_json(m.content)))
        if "max-steps" in " ".join(flags) or not final:
            final = (phrasing.phrase(calls[-1].name, calls[-1].result, language) if calls else
                     ("Je n'ai pas pu terminer ce raisonnement." if language == "fr" else "I could not finish."))
        citations = _citations_from(calls)
        final, cited = grounding.clean_citations(final, len(citations))
        citations = [c for c in citations if c.n in cited] or citations[:0]
        bad = grounding.unsupported_figures(final, [c.result for c in calls] + [message])
        if bad:
            flags.append("unsupported-figures:" + ",".join(bad))
            note = ("⚠️ Chiffres non vérifiés par un outil de ce tour : " if language == "fr"
                    else "⚠️ Figures not backed by a tool result of this turn: ")
            final += "\n\n" + note + ", ".join(bad)
        return Answer(final, citations, calls, backend=self.label, mode="agent", language=language, flags=flags)


def _public_args(args: dict[str, Any]) -> dict[str, Any]:
    """Arguments as shown to the learner (long code shortened)."""
    out = dict(args)
    if isinstance(out.get("code"), str) and len(out["code"]) > 300:
        out["code"] = out["code"][:300] + "…"
    return out


def _parse_json(content: Any) -> Any:
    if isinstance(content, str):
        try:
            return json.loads(content)
        except json.JSONDecodeError:
            return {"text": content}
    return content


def _citations_from(calls: list[ToolCall]) -> list[Citation]:
    out: list[Citation] = []
    for call in calls:
        if call.name == "search_course" and isinstance(call.result, dict):
            for p in call.result.get("passages", []):
                out.append(Citation(len(out) + 1, p["source"], p["heading"], p.get("chapter"), p.get("text", "")))
    return out


def build_tutor(settings: Settings, llm: Any = None, **kwargs: Any) -> Tutor:
    """The tutor for these settings (no side effect until the first message)."""
    return Tutor(settings, llm, **kwargs)
