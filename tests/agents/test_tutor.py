"""The tutor in both modes: real tools and sandbox, a scripted model for tool calling."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage

from agents.memory import Memory
from agents.tutor import build_tutor
from knowledge.config import get_settings

pytestmark = pytest.mark.integration


@pytest.fixture
def tutor(ingested):
    return build_tutor(get_settings())


def test_backtest_request_runs_the_tool_and_quotes_its_figures(tutor) -> None:
    answer = tutor.ask("Backteste un croisement de moyennes 20/50 sur le S&P 500")
    call = answer.tool_calls[0]
    assert (call.name, call.args["params"]) == ("backtest_strategy", {"fast": 20, "slow": 50})
    r = call.result
    assert r["n_trades"] == 58 and r["source"] == "snapshot:sp500"
    assert f"**{r['sharpe']:.2f}**" in answer.answer and f"**{r['n_trades']}** transactions" in answer.answer
    assert answer.mode == "tool" and answer.language == "fr" and not answer.flags


def test_garch_var_request_and_follow_up(tutor) -> None:
    answer = tutor.ask("Quelle est la VaR à 99 % du S&P 500 avec un GARCH ?")
    r = answer.tool_calls[0].result
    assert (r["method"], r["level"]) == ("garch", 0.99)
    assert f"**{r['var_pct']:.2f} %**" in answer.answer
    assert answer.citations and answer.citations[0].chapter == "37"
    follow = tutor.ask("et à 95 % ?")
    assert follow.tool_calls[0].args == {"ticker": "SPY", "level": 0.95, "method": "garch"}
    assert follow.tool_calls[0].result["var"] < r["var"]


def test_follow_ups_keep_the_previous_arguments(tutor) -> None:
    tutor.ask("Backteste un croisement de moyennes 20/50 sur le Nasdaq")
    assert tutor.ask("et avec 10/100 ?").tool_calls[0].args == {
        "ticker": "QQQ", "strategy": "sma-cross", "params": {"fast": 10, "slow": 100}}
    assert tutor.ask("et en momentum ?").tool_calls[0].args == {"ticker": "QQQ", "strategy": "momentum"}
    fresh = tutor.ask("Backteste un RSI sur Apple")  # a full request is not a follow-up
    assert fresh.tool_calls[0].args == {"ticker": "AAPL", "strategy": "rsi"}


def test_check_exercise_with_a_file_correct_then_wrong(tutor) -> None:
    from knowledge.exercise_bank import load_exercise

    good = load_exercise("var_historique").solution
    answer = tutor.ask("Vérifie mon exercice", code=good)
    result = answer.tool_calls[0].result
    assert result["passed"] and result["roadmap_item"] == "37.4"
    assert "37.4" in answer.answer
    bad = tutor.ask("Vérifie mon exercice", code="def historical_var(returns, level):\n    return 0.0\n")
    res = bad.tool_calls[0].result
    assert not res["passed"] and "❌ `test_var_levels`" in bad.answer and res["hint"] in bad.answer


def test_yes_after_a_passed_check_ticks_the_offered_item(tutor) -> None:
    from knowledge.exercise_bank import load_exercise
    from knowledge.roadmap import open_progress

    passed = tutor.ask("Vérifie mon exercice", code=load_exercise("ratio_sharpe").solution)
    item = passed.tool_calls[0].result["roadmap_item"]
    assert item in passed.answer
    answer = tutor.ask("oui, vas-y")
    assert answer.tool_calls[0].args == {"action": "check", "item_id": item}
    with open_progress(get_settings()) as store:
        assert item in store.checked()
    again = tutor.ask("oui")  # nothing more to accept: no repeat, and it says so
    assert again.tool_calls == [] and "rien proposé" in again.answer


def test_socratic_hints_escalate_and_solution_only_on_request(tutor) -> None:
    first = tutor.ask("Je bloque sur l'exercice var_historique, un indice ?")
    second = tutor.ask("encore un indice")
    third = tutor.ask("encore un indice")
    assert [a.mode for a in (first, second, third)] == ["socratic"] * 3
    assert first.answer.startswith("**Indice**") and second.answer.startswith("**Question pour te guider**")
    assert third.answer.startswith("**Solution partielle**")
    assert "def historical_var" not in first.answer + second.answer
    full = tutor.ask("montre-moi la solution complète")
    assert full.answer.startswith("**Solution complète**") and "def historical_var" in full.answer


def test_sandbox_attacks_are_contained_and_the_tutor_still_answers(tutor) -> None:
    looped = tutor.ask("Exécute ce code", code="while True:\n    pass\n")
    assert looped.tool_calls[0].result["reason"] == "timeout"
    net = tutor.ask("Exécute ce code", code="import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n")
    assert net.tool_calls[0].result["reason"] == "error"
    after = tutor.ask("Backteste un croisement de moyennes 20/50 sur le S&P 500")
    assert after.tool_calls[0].result["n_trades"] == 58


def test_bad_arguments_give_an_error_result_not_an_exception(tutor) -> None:
    answer = tutor.ask("Backteste une stratégie momentum sur ZZZZ")
    assert "error" in answer.tool_calls[0].result and "ZZZZ" in answer.answer


def test_what_next_uses_progress(tutor) -> None:
    tutor.ask("coche l'item 00.1")
    answer = tutor.ask("Qu'est-ce que je dois étudier ensuite ?")
    result = answer.tool_calls[0].result
    nxt = result["next"]
    assert nxt[0]["id"] == "00.2" and "00.2" in answer.answer
    week = result["this_week"]
    assert week["hours_per_week"] == 10.0 and 0 < week["hours"] <= 10.0 and week["chapters"][0] == "00"
    assert f"Cette semaine à 10 h : {week['hours']:.1f} h" in answer.answer


def test_memory_is_persisted_per_learner(tutor) -> None:
    tutor.ask("où en suis-je ?")
    memory = Memory(get_settings().home / "conversations.db")
    turns = memory.recent("default")
    assert [t.role for t in turns[-2:]] == ["user", "assistant"]
    assert turns[-1].meta["tool_calls"][0]["name"] == "roadmap_progress"
    assert memory.recent("someone-else") == []


def test_explanations_are_grounded_answers_with_citations(tutor) -> None:
    answer = tutor.ask("Qu'est-ce que la VaR ?")
    # the explanation card answers (a card is not a tool step); without one, the course search does
    assert answer.mode == "card" or answer.tool_calls[0].name == "search_course"
    assert answer.citations[0].chapter == "37" and "[1]" in answer.answer


# -- tool-calling mode with a scripted model ------------------------------------------------------------------

def _call(name: str, args: dict, call_id: str = "c1") -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}])


def test_tool_calling_mode_runs_the_chosen_tool_and_keeps_grounded_figures(scripted_llm, ingested) -> None:
    scripted_llm.enqueue(_call("value_at_risk", {"ticker": "SPY", "level": 0.99, "method": "historical"}))
    tutor = build_tutor(get_settings(), scripted_llm, tool_calling=True)
    # the final text is written after seeing the tool result: quote its real figure
    from agents.tools import Toolbox

    var = Toolbox(get_settings()).value_at_risk("SPY", 0.99, "historical")["var_pct"]
    scripted_llm.enqueue(f"La VaR historique à 99 % vaut {var:.2f} %.")
    answer = tutor.ask("Quelle est la VaR historique à 99 % du S&P 500 ?")
    assert answer.mode == "agent" and answer.tool_calls[0].name == "value_at_risk"
    assert answer.tool_calls[0].result["var_pct"] == pytest.approx(var)
    assert not answer.flags
    assert len(scripted_llm.history) == 2 and scripted_llm.history[1][-1].type == "tool"


def test_tool_calling_mode_flags_invented_figures(scripted_llm, ingested) -> None:
    scripted_llm.enqueue(_call("fit_garch", {"ticker": "SPY"}), "La persistance vaut 0.7312 et la volatilité 44.4 %.")
    answer = build_tutor(get_settings(), scripted_llm, tool_calling=True).ask("Fit a GARCH on the S&P 500")
    assert answer.flags == ["unsupported-figures:0.7312,44.4"]
    assert "⚠️" in answer.answer


def test_tool_calling_max_steps_guard(scripted_llm, ingested) -> None:
    for i in range(10):
        scripted_llm.enqueue(_call("roadmap_progress", {"action": "show"}, f"c{i}"))
    tutor = build_tutor(get_settings(), scripted_llm, tool_calling=True, max_steps=3)
    answer = tutor.ask("Où en suis-je ?")
    assert answer.flags == ["max-steps:3"]
    assert len(scripted_llm.history) <= 4
    assert "Progression" in answer.answer


def test_tool_calling_bad_tool_arguments_do_not_kill_the_turn(scripted_llm, ingested) -> None:
    scripted_llm.enqueue(_call("backtest_strategy", {"ticker": "SPY", "strategy": "astrology"}), "Désolé.")
    answer = build_tutor(get_settings(), scripted_llm, tool_calling=True).ask("Backteste l'astrologie")
    assert "error" in answer.tool_calls[0].result
    assert json.dumps(answer.to_dict())
