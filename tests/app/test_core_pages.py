"""The real Streamlit pages through AppTest, on a real Chroma store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.integration
PAGES = Path(__file__).resolve().parents[2] / "app" / "app_pages"


def test_router_runs_and_opens_on_today() -> None:
    at = AppTest.from_file(str(PAGES.parent / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "☀️ Aujourd'hui"


def test_chat_answers_with_citations_that_expand(ingested, monkeypatch) -> None:
    import agents.explain

    monkeypatch.setattr(agents.explain, "match_card", lambda *_: None)  # the passage path: no card fits
    at = AppTest.from_file(str(PAGES / "chat.py"), default_timeout=180).run()
    assert not at.exception
    at.chat_input[0].set_value("Qu'est-ce que la VaR ?").run()
    assert not at.exception
    answer = at.chat_message[1].markdown[0].value
    assert "Value at Risk (VaR) au niveau 99 %" in answer and "[1]" in answer
    assert any(md.value == "**🔧 Recherche dans le cours**" for md in at.chat_message[1].markdown)
    cited = [e for e in at.expander if e.label.startswith("[1] ")]
    assert cited[0].label.startswith("[1] Value at Risk (VaR)")
    assert "perte qui n'est dépassée" in cited[0].markdown[0].value
    at.run()  # a rerun keeps the conversation
    assert len(at.chat_message) == 2


def test_chat_answers_from_a_card_with_its_lesson_section() -> None:
    at = AppTest.from_file(str(PAGES / "chat.py"), default_timeout=180).run()
    at.chat_input[0].set_value("pk on divise par racine de d_k dans l'attention ?").run()
    assert not at.exception
    answer = at.chat_message[1].markdown[0].value
    assert answer.startswith("**Pourquoi divise-t-on") and "_En bref :_" in answer and "[1]" in answer
    cited = [e for e in at.expander if e.label.startswith("[1] ")]
    assert cited[0].label.startswith("[1] Self-attention") and "softmax" in cited[0].markdown[0].value
    assert not any(e.label.startswith("🔧") for e in at.expander)  # a card is not a tool step


def test_knowledge_page_ingests_counts_and_searches(course_dir: Path) -> None:
    at = AppTest.from_file(str(PAGES / "knowledge.py"), default_timeout=180).run()
    assert not at.exception
    assert at.title[0].value == "📚 Bibliothèque"
    assert "Aucun document indexé" in at.info[0].value
    at.text_input(key="kb_path").set_value(str(course_dir / "missing"))
    at.button[0].click().run()
    assert not at.exception and not at.success
    assert at.error[0].value.startswith(f"« {course_dir / 'missing'} » n'existe pas")
    at.text_input(key="kb_path").set_value(str(course_dir))
    at.button[0].click().run()
    assert not at.exception
    assert "3 fichiers, 4 passages : 4 ajoutés" in at.success[0].value
    at.run()
    assert at.metric[0].value == "4"
    at.text_input(key="kb_query").set_value("self-attention").run()
    assert not at.exception
    assert at.expander[0].label.startswith("[1] ") and "chapitre 27" in at.expander[0].label
    assert "score" not in at.expander[0].label
    at.text_input(key="kb_query").set_value("recette de la tarte aux pommes").run()
    assert not at.exception and not at.expander
    assert at.info[0].value.startswith("Rien de pertinent dans le cours pour « recette de la tarte aux pommes »")


def test_chat_shows_tool_steps_with_their_plot(ingested) -> None:
    at = AppTest.from_file(str(PAGES / "chat.py"), default_timeout=180).run()
    at.chat_input[0].set_value("Backteste un croisement de moyennes 20/50 sur le S&P 500").run()
    assert not at.exception
    answer = at.chat_message[1].markdown[0].value
    assert "**58** transactions" in answer
    assert "**🔧 Backtest d'une stratégie**" in [md.value for md in at.chat_message[1].markdown]
    params = at.chat_message[1].table[0].value
    assert params.loc["Actif"].iloc[0] == "SPY" and params.loc["Stratégie"].iloc[0] == "sma-cross"
    charts = at.chat_message[1].get("plotly_chart")
    assert len(charts) == 1


def test_deleting_the_conversation_also_clears_the_tutor_memory(ingested, qt_home) -> None:
    from agents.memory import Memory

    at = AppTest.from_file(str(PAGES / "chat.py"), default_timeout=180).run()
    at.chat_input[0].set_value("où en suis-je ?").run()
    memory = Memory(qt_home / "conversations.db")
    assert len(memory.recent("default")) == 2
    at.sidebar.button(key="chat_delete").click().run()
    at.sidebar.button(key="chat_delete_yes").click().run()
    assert not at.exception and len(at.chat_message) == 0
    assert memory.recent("default") == []
