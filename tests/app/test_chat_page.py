"""The chat page through AppTest on real SQLite: conversations that persist, are listed, renamed and deleted; the
stream shown without rewriting; no developer flag or raw signature on the page."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agents.memory import Memory
from app.chat_view import StreamBuffer, flag_notes, step_tables

pytestmark = pytest.mark.integration
CHAT = Path(__file__).resolve().parents[2] / "app" / "app_pages" / "chat.py"
QUESTION = "où en suis-je ?"  # answered by the roadmap tool: no card index to build, no model
NEXT = "Qu'est-ce que je dois étudier ensuite ?"


def _chat() -> AppTest:
    at = AppTest.from_file(str(CHAT), default_timeout=180).run()
    assert not at.exception
    return at


def _ask(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception
    return at


def test_a_conversation_is_stored_listed_and_restored_on_reload(qt_home: Path) -> None:
    at = _ask(_chat(), QUESTION)
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    step = at.chat_message[1]
    assert "Progression dans la roadmap" in step.markdown[1].value  # the tool's French name, not roadmap_progress(
    assert not any("roadmap_progress(" in md.value for md in at.markdown)
    assert [e.label for e in at.expander if e.label.startswith("Détails")] == ["Détails techniques (JSON)"]
    assert at.sidebar.radio[0].options == ["où en suis-je ?"]  # the title is the first question
    [conv] = Memory(qt_home / "conversations.db").conversations("default")
    assert conv.title == QUESTION and conv.turns == 2
    answer = at.chat_message[1].markdown[0].value

    reloaded = _chat()  # a new session (a browser reload): the conversation is read back from the database
    assert reloaded.sidebar.radio[0].options == ["où en suis-je ?"]
    assert [m.markdown[0].value for m in reloaded.chat_message] == [QUESTION, answer]
    tables = reloaded.chat_message[1].table
    assert tables and "Faits" in tables[-1].value.index  # the tool step's table comes back with the turn


def test_new_rename_and_delete_with_confirmation(qt_home: Path) -> None:
    at = _ask(_chat(), QUESTION)
    first = at.sidebar.radio[0].value
    at.sidebar.button(key="chat_new").click().run()
    assert len(at.chat_message) == 0 and at.sidebar.radio[0].value != first
    at.sidebar.button(key="chat_new").click().run()  # a second click reuses the empty conversation
    assert len(at.sidebar.radio[0].options) == 2
    _ask(at, NEXT)
    assert at.sidebar.radio[0].options == [NEXT, QUESTION]

    at.sidebar.text_input[0].set_value("Mon suivi").run()
    at.sidebar.button(key="chat_rename").click().run()
    assert not at.exception and at.sidebar.radio[0].options[0] == "Mon suivi"
    at.sidebar.text_input[0].set_value("   ").run()
    at.sidebar.button(key="chat_rename").click().run()
    assert "titre est vide" in at.sidebar.warning[0].value and at.sidebar.radio[0].options[0] == "Mon suivi"

    at.sidebar.button(key="chat_delete").click().run()
    assert "Supprimer « Mon suivi »" in at.sidebar.warning[0].value
    at.sidebar.button(key="chat_delete_no").click().run()
    assert len(at.sidebar.radio[0].options) == 2 and not at.sidebar.warning
    at.sidebar.button(key="chat_delete").click().run()
    at.sidebar.button(key="chat_delete_yes").click().run()
    assert not at.exception and at.sidebar.radio[0].options == ["où en suis-je ?"]
    assert [m.markdown[0].value for m in at.chat_message][0] == QUESTION  # the remaining one is shown
    assert [c.title for c in Memory(qt_home / "conversations.db").conversations("default")] == [QUESTION]


def test_each_conversation_has_its_own_tutor_memory(qt_home: Path) -> None:
    """Hint levels and follow-ups read the current conversation only."""
    at = _ask(_chat(), "Je bloque sur l'exercice var_historique, un indice ?")
    _ask(at, "encore un indice")
    assert at.chat_message[3].markdown[0].value.startswith("**Question pour te guider**")
    first = at.sidebar.radio[0].value
    at.sidebar.button(key="chat_new").click().run()
    _ask(at, "encore un indice")  # a new conversation knows no exercise yet
    assert "Sur quel exercice" in at.chat_message[1].markdown[0].value
    _ask(at, "Je bloque sur l'exercice var_historique, un indice ?")
    assert at.chat_message[3].markdown[0].value.startswith("**Indice**")  # the ladder starts again here
    at.sidebar.radio[0].set_value(first).run()
    _ask(at, "encore un indice")
    assert at.chat_message[5].markdown[0].value.startswith("**Solution partielle**")  # and goes on there
    assert Memory(qt_home / "conversations.db").hint_level("default", "var_historique", first) == 3


def test_a_whitespace_message_is_not_sent(qt_home: Path) -> None:
    at = _ask(_chat(), "   \n ")
    assert len(at.chat_message) == 0 and "message est vide" in at.info[0].value
    assert Memory(qt_home / "conversations.db").conversations("default") == []


def test_a_reset_never_wipes_the_text_shown() -> None:
    buffer = StreamBuffer()
    assert buffer.feed({"type": "token", "text": "La VaR "}) and buffer.shown == "La VaR "
    assert not buffer.feed({"type": "reset"}) and buffer.shown == "La VaR "
    assert not buffer.feed({"type": "token", "text": "Autre"}) and buffer.shown == "La VaR "


def test_flags_become_plain_notes_or_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.chat_view")
    notes = flag_notes(["fallback:model-language", "no-card", "missing:exercise_id", "max-steps:6"])
    assert notes == ["Réponse tirée du cours, sans modèle de langue.",
                     "Le raisonnement a été arrêté après 6 étapes : la réponse reprend le dernier résultat."]
    assert "missing:exercise_id" in caplog.text


def test_tool_steps_are_tables_with_french_labels() -> None:
    params, results = step_tables(
        "backtest_strategy", {"ticker": "SPY", "strategy": "sma-cross", "params": {"fast": 20, "slow": 50}},
        {"n_trades": 58, "sharpe": 0.61234, "passed": True, "metrics": {"a": [1]}, "start": "2005-01-03"})
    assert params is not None and results is not None
    assert list(params.index) == ["Actif", "Stratégie", "Réglages"] and params.iloc[2, 0] == "fast = 20, slow = 50"
    assert list(results.index) == ["Début", "Transactions", "Ratio de Sharpe"]
    assert results.iloc[2, 0] == "0,6123"
    params, _ = step_tables("value_at_risk", {"method": "historical", "level": 0.99}, {})
    assert params is not None and list(params.iloc[:, 0]) == ["historique", "0,99"]
    _, error = step_tables("value_at_risk", {}, {"error": "unknown ticker ZZZZ"})
    assert error is not None and list(error.index) == ["Erreur"]


def test_a_failing_tutor_leaves_a_french_message_and_the_trace_in_the_log(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import app.state

    def broken(*_: object, **__: object) -> object:
        raise RuntimeError("backend exploded")
        yield

    monkeypatch.setattr(app.state, "answer_events", broken)
    at = _ask(_chat(), QUESTION)
    assert "Je n'ai pas pu répondre" in at.chat_message[1].error[0].value
    assert "backend exploded" in caplog.text and "Traceback" not in at.chat_message[1].error[0].value
