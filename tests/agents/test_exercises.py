"""check_exercise judges real code in the sandbox: references pass, starters and planted bugs fail."""

from __future__ import annotations

import json
import shutil

import pytest

from agents.errors import ExerciseCheckError
from agents.exercises import check_exercise, hint
from knowledge.exercise_bank import list_exercises, load_exercise

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed"),
]
IDS = [info.id for info in list_exercises()]


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_passes_and_starter_fails(exercise_id: str) -> None:
    ex = load_exercise(exercise_id)
    good = check_exercise(exercise_id, ex.solution)
    assert good.passed, [t for t in good.tests if not t.passed]
    assert good.n_passed == good.n_tests >= 2 and good.reason == "ok"
    assert good.offer is not None and ex.info.roadmap_item in good.offer and good.hint is None
    bad = check_exercise(exercise_id, ex.starter)
    assert not bad.passed and bad.n_passed < bad.n_tests
    assert bad.hint == ex.hints[0] and bad.offer is None
    assert any("NotImplementedError" in t.message for t in bad.failing)


# Planted bugs: each must be caught by the named judge test, with input / expected / got in the verdict.
PLANTED = [
    ("backtest_sma", "pos[1:] = signal[:-1]  # décidé la veille", "pos[:] = signal", "test_no_look_ahead"),
    ("ratio_sharpe", "excess.std(ddof=1)", "excess.std(ddof=0)", "test_daily"),
    ("var_historique", "1 - level))", "level))", "test_var_levels"),
    ("attention", "/ np.sqrt(K.shape[-1])", "", "test_attention"),
    ("mlp_retropropagation", "dA = dH * (A > 0)", "dA = dH", "test_hidden_layer_gradients"),
    ("garch_vraisemblance", "sigma2[0] = r.var()", "sigma2[0] = omega", "test_variance_recursion"),
]


@pytest.mark.parametrize(("exercise_id", "old", "new", "failing"), PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_bug_is_caught(exercise_id: str, old: str, new: str, failing: str) -> None:
    solution = load_exercise(exercise_id).solution
    assert old in solution
    result = check_exercise(exercise_id, solution.replace(old, new))
    assert not result.passed
    verdict = next(t for t in result.tests if t.name == failing)
    assert not verdict.passed and verdict.expected and verdict.got and verdict.input
    assert result.summary.startswith(f"{result.n_passed}/{result.n_tests} tests réussis ; premier échec")


def test_wrong_answer_verdict_shows_expected_and_got() -> None:
    code = "def sharpe_ratio(returns, rf=0.0, periods_per_year=252):\n    return 1.5\n"
    result = check_exercise("sharpe", code)
    daily = result.tests[0]
    assert (daily.name, daily.passed) == ("test_daily", False)
    assert daily.got == "1.5" and daily.message.startswith("sharpe_ratio : valeur incorrecte")
    assert daily.description == "Sharpe quotidien annualisé, rf = 0."
    assert json.loads(json.dumps(result.to_dict()))["tests"][0]["got"] == "1.5"


def test_syntax_error_is_a_verdict() -> None:
    result = check_exercise("rendements", "def simple_returns(prices):\n    return (prices\n")
    assert not result.passed and result.n_tests == 1
    assert result.tests[0].name == "import" and result.tests[0].line == 2
    assert "SyntaxError" in result.summary and "ligne 2" in result.summary


def test_infinite_loop_and_crash_are_verdicts() -> None:
    looping = "def sharpe_ratio(r, rf=0.0, periods_per_year=252):\n    while True:\n        pass\n"
    loop = check_exercise("ratio_sharpe", looping, timeout_s=2)
    assert loop.reason == "timeout" and not loop.passed
    assert all("temps dépassé" in t.message for t in loop.tests)
    crash = check_exercise("ratio_sharpe",
                           "def sharpe_ratio(r, rf=0.0, periods_per_year=252):\n    return 1 / 0\n")
    first = crash.tests[0]
    assert "ZeroDivisionError" in first.message and first.line == 2


def test_missing_function_and_learner_prints() -> None:
    result = check_exercise("ratio_sharpe", "print('bonjour')\n")
    assert "la fonction `sharpe_ratio` est introuvable" in result.tests[0].message
    assert result.stdout == "bonjour\n"


def test_unknown_exercise_raises_with_valid_ids() -> None:
    with pytest.raises(ExerciseCheckError, match="Valid ids: "):
        check_exercise("no_such_thing_at_all", "x = 1")


def test_hint_levels() -> None:
    ex = load_exercise("kupiec_pof")
    assert hint("kupiec_pof", 0) == ex.hints[0] and hint("kupiec", 1) == ex.hints[1]
    assert hint("kupiec_pof", 2).startswith("Solution partielle")
    full = hint("kupiec_pof", 3)
    assert ex.solution.strip() in full and full.startswith("Solution de référence")
    with pytest.raises(ExerciseCheckError, match="hint level must be 0"):
        hint("kupiec_pof", 4)
