"""The Exercises page: statement, editor, Run, Check (verdicts), Hint, Solution — driven with AppTest.

AppTest cannot type into a custom component: most tests use the text-area fallback (the component made
unimportable), and one drives the code editor through a stand-in that answers like the component does."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from knowledge.exercise_bank import load_exercise

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "app_pages" / "exercises.py")
pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


@pytest.fixture
def plain_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code-editor component cannot be imported: the page falls back to a text area."""
    monkeypatch.setitem(sys.modules, "code_editor", None)


def _open(exercise_id: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    title = load_exercise(exercise_id).info.title
    label = next(o for o in at.selectbox(key="exercise_choice").options if title in o)
    at.selectbox(key="exercise_choice").set_value(label).run()
    assert not at.exception
    return at


def test_statement_and_starter_are_shown(plain_editor: None) -> None:
    at = _open("ratio_sharpe")
    assert at.title[0].value == "Exercices"
    assert any("Ratio de Sharpe" in m.value for m in at.markdown)
    assert at.text_area(key="code_ratio_sharpe").value == load_exercise("ratio_sharpe").starter
    assert not any("ratio_sharpe" in c.value for c in at.caption)  # no internal id shown


def test_the_code_editor_component_is_used_and_ctrl_enter_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import code_editor

    calls: list[dict] = []
    replies = iter([{"id": "", "type": "", "text": ""},  # first render: nothing sent yet
                    {"id": "a1", "type": "submit", "text": "print(6 * 7)\n"},  # Ctrl+Enter
                    {"id": "a1", "type": "submit", "text": "print(6 * 7)\n"}])  # same event on a rerun: once

    def fake(code: str, **kwargs: object) -> dict:
        calls.append({"code": code, **kwargs})
        return next(replies, {"id": "a1", "type": "submit", "text": "print(6 * 7)\n"})

    monkeypatch.setattr(code_editor, "code_editor", fake)
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.text_area
    assert calls[0]["lang"] == "python" and calls[0]["props"] == {"theme": "textmate"}
    assert [b["commands"] for b in calls[0]["buttons"]] == [["submit"], [["response", "check"]]]
    at.run()
    assert not at.exception
    assert at.success[0].value.startswith("Exécution : terminé") and at.code[0].value.strip() == "42"
    at.run()
    assert len(at.success) == 1  # the result stays, the code is not run again


def test_checking_a_correct_solution_shows_all_passed(plain_editor: None) -> None:
    at = _open("ratio_sharpe")
    at.text_area(key="code_ratio_sharpe").set_value(load_exercise("ratio_sharpe").solution).run()
    at.button(key="check").click().run()
    assert not at.exception
    assert at.success[0].value == "3/3 tests réussis."
    table = at.table[0].value
    assert list(table.columns) == ["Résultat", "Entrée", "Attendu", "Obtenu", "Message"]
    assert list(table["Résultat"]) == ["✅"] * 3
    assert "37.5" in at.info[0].value  # offers to check the roadmap item


def test_checking_a_wrong_solution_shows_the_failing_test(plain_editor: None) -> None:
    at = _open("ratio_sharpe")
    wrong = "def sharpe_ratio(returns, rf=0.0, periods_per_year=252):\n    return 1.5\n"
    at.text_area(key="code_ratio_sharpe").set_value(wrong).run()
    at.button(key="check").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("0/3 tests réussis ; premier échec : test_daily")
    table = at.table[0].value
    first = table.iloc[0]
    assert (first.name, first["Résultat"], first["Obtenu"]) == ("test_daily", "❌", "1.5")
    assert [e.label for e in at.expander] == ["Aide 1 : indice"]  # the first hint, shown once
    assert not at.info
    at.button(key="hint").click().run()
    assert [e.label for e in at.expander] == ["Aide 1 : indice", "Aide 2 : question"]


def test_run_shows_stdout_and_errors(plain_editor: None) -> None:
    at = _open("rendements")
    at.text_area(key="code_rendements").set_value("print(6 * 7)\n").run()
    at.button(key="run").click().run()
    assert at.success[0].value.startswith("Exécution : terminé")
    assert at.code[0].value.strip() == "42"
    at.text_area(key="code_rendements").set_value("1 / 0\n").run()
    at.button(key="run").click().run()
    assert at.warning[0].value.startswith("Exécution : erreur")
    assert "ZeroDivisionError" in at.code[1].value


def test_hints_are_progressive_and_solution_on_request(plain_editor: None) -> None:
    at = _open("kupiec_pof")
    ex = load_exercise("kupiec_pof")
    at.button(key="hint").click().run()
    assert [e.label for e in at.expander] == ["Aide 1 : indice"]
    at.button(key="hint").click().run()
    at.button(key="hint").click().run()
    labels = ["Aide 1 : indice", "Aide 2 : question", "Aide 3 : solution partielle"]
    assert [e.label for e in at.expander] == labels
    assert not any(ex.solution.strip() in m.value for m in at.markdown)
    at.button(key="solution").click().run()
    assert any(ex.solution.strip() in m.value for m in at.markdown)


def test_the_real_component_renders_without_error() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.text_area
    assert any("Ctrl+Entrée exécute" in c.value for c in at.caption)
    assert [b.key for b in at.button] == ["hint", "solution"]  # Run and Check live in the editor
