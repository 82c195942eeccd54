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
import time
from collections.abc import Iterator
from typing import Any

from agents import grounding
from agents.answer import ask_stream
from agents.answer_types import Answer, Citation, Event, ToolCall
from agents.dialogue import offer_sentence
from agents.llm import backend_label, failure_message, get_chat_model, model_errors, supports_tool_calling
from agents.memory import Memory
from agents.routing import phrasing
from agents.routing.extract import code_block
from agents.routing.router import Route, Router
from agents.tools import Toolbox
from knowledge.config import Settings

log = logging.getLogger(__name__)
SYSTEM_AGENT = (
    "You are quant-tutor, a patient tutor for deep learning, LLMs and quantitative finance. Answer in the "
    "learner's language (French unless they write English). Use the tools: search_course to explain course "
    "concepts (cite passages as [n]), the finance tools for any figure about a market, check_exercise for "
    "exercises, run_python to run code, model_lab to train models, study_plan and roadmap_progress for planning. "
    "Never invent a figure: every number you give must come from a tool result of this turn."
)
DIALOGUE = ("clarify", "chitchat", "flashcard", "quiz", "quiz_answer", "follow_up")
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

            self._router = Router(get_embedder(self.settings))
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

    def decide(self, text: str, code: str | None = None, conversation: int | None = None) -> Route:
        """What the routing mode will do with this message, given the conversation so far (nothing runs)."""
        from agents.decide import decide
        from agents.dialogue import state_of

        cid = self.memory.current(self.settings.learner, conversation)
        return decide(self.router, text, code, state_of(self.memory.recent(self.settings.learner, 4, cid)))

    def _router_turn(self, text: str, code: str | None, language: str, cid: int, *,
                     offline: bool = False) -> Iterator[Event]:
        route = self.decide(text, code, cid)
        log.info("route: %s %s (%s, %.2f)", route.tool, route.args, route.why, route.score)
        lang: Any = "en" if language == "en" else "fr"
        if route.tool in ("hint", "solution"):
            yield {"type": "answer", "answer": self._exercise_help(route, language, cid)}
            return
        if route.tool in DIALOGUE:
            yield {"type": "answer", "answer": self._dialogue(route, text, lang, cid)}
            return
        if route.tool == "search_course":
            settings, llm = (self._offline_settings(), None) if offline else (self.settings, self._llm)
            offer = route.args.get("offer")
            for event in ask_stream(route.args.get("query") or text, settings=settings, llm=llm):
                if event["type"] == "answer":
                    ans = event["answer"]
                    if ans.mode != "card":
                        ans.tool_calls.insert(0, ToolCall("search_course", {"query": text, "k": 4},
                                                          {"passages": [c.to_dict() for c in ans.citations]}))
                    if offer:
                        ans.answer += "\n\n" + offer_sentence(offer, lang)
                        ans.memo["offer"] = offer
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
        teaching = _teaching(route.tool, result, language)  # authored sentences and card titles
        body += teaching
        citations = self._topic_citations(route.tool, result)
        if citations:
            label = "Pour aller plus loin" if language == "fr" else "Further reading"
            body += f"\n\n{label} : " + " ".join(f"[{c.n}] {c.heading.split(' > ')[-1]}" for c in citations)
        answer = Answer(body, citations, [call], backend=self.label, mode="tool", language=language)
        bad = grounding.unsupported_figures(body, [result, route.args, text, [c.text for c in citations], teaching])
        if bad:  # cannot happen with the templates; kept as the invariant's guard
            answer.flags.append("unsupported-figures:" + ",".join(bad))
        if route.tool == "check_exercise":
            answer.memo["exercise_id"] = result.get("exercise_id")
        yield {"type": "answer", "answer": answer}

    def _dialogue(self, route: Route, text: str, lang: Any, cid: int) -> Answer:
        """Answers that need no tool: doubt, small talk, flashcards, quizzes, follow-ups on an explanation."""
        from agents import dialogue, quiz_chat
        from agents.flashcards import flashcard_from_memory

        turns = self.memory.recent(self.settings.learner, 4, cid)
        state = dialogue.state_of(turns)
        match route.tool:
            case "clarify":
                return dialogue.clarify_answer(text, list(route.args.get("options") or []), lang, self.label)
            case "chitchat":
                return dialogue.chitchat_answer(text, lang, self.label)
            case "flashcard":
                reply = flashcard_from_memory(self.settings, turns, lang)
                return Answer(reply, backend=self.label, mode="none", language=lang)
            case "quiz":
                asked = {t.meta.get("quiz_done") for t in self.memory.recent(self.settings.learner, 40, cid)
                         if t.role == "assistant" and t.meta}
                previous = next((t.meta.get("quiz_chapter") or (t.meta.get("quiz") or {}).get("chapter")
                                 for t in reversed(turns) if t.meta and (t.meta.get("quiz_chapter") or
                                                                         t.meta.get("quiz"))), None)
                return quiz_chat.quiz_question(route.args.get("topic") or text, self.settings, lang, self.label,
                                               asked={a for a in asked if a}, chapter=previous)
            case "quiz_answer":
                return quiz_chat.quiz_reply(route.args["response"], state.quiz or {}, self.settings, lang,
                                            self.label)
        kind = str(route.args.get("kind", "more"))
        if kind == "decline":
            msg = "D'accord. Dis-moi ce que tu veux faire ensuite." if lang == "fr" else "OK. What next?"
            return Answer(msg, backend=self.label, mode="none", language=lang)
        if kind in ("accept", "change") and state.card is None:
            msg = ("Je n'ai rien proposé juste avant : dis-moi ce que tu veux (une explication, un calcul, un plan…)."
                   if lang == "fr" else "I did not offer anything just before: tell me what you want.")
            return Answer(msg, backend=self.label, mode="none", language=lang, flags=["follow-up:no-context"])
        return dialogue.card_follow_up(kind, state, lang, self.label)

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
        last = self.memory.last_tool_call(self.settings.learner, cid)
        result = (last or {}).get("result") or {}
        if (level == 0 and (last or {}).get("name") == "check_exercise" and result.get("exercise_id") == ex_id
                and not result.get("passed")):  # start from what failed, then the hint
            text = f"{phrasing.first_failure(result, language)}\n\n{text}"
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


def _teaching(tool: str, result: dict[str, Any], language: str) -> str:
    """The plain sentences that help read the figures of a result, each with the card to ask about."""
    from agents.explain import card_title
    from agents.routing.teaching import notes_for, render_notes
    from knowledge.cards.library import load_cards

    runs = result.get("comparison") or [result]
    notes = list(dict.fromkeys(n for run in runs for n in notes_for(tool, run, language)))
    lib = load_cards()
    lang: Any = "en" if language == "en" else "fr"
    titles = {cid: card_title(c, lang) for cid, _ in notes if (c := lib.get(cid)) is not None}
    text = render_notes(notes, language, titles)
    return f"\n\n{text}" if text else ""


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
