"""The conversation in the routing mode, with the real tutor: card follow-ups, quizzes, comparisons, plans."""

from __future__ import annotations

import pytest

from agents.tutor import build_tutor
from knowledge.cards.library import load_cards
from knowledge.config import get_settings

pytestmark = pytest.mark.integration


@pytest.fixture
def tutor(ingested):
    return build_tutor(get_settings())


def test_simpler_then_why_move_along_the_card(tutor) -> None:
    first = tutor.ask("pk on divise par racine de d_k dans l'attention ?")
    card = load_cards().get(first.memo["card"])
    assert card is not None and first.memo["level"] == "standard"
    simpler = tutor.ask("plus simplement stp")
    assert simpler.memo == {**simpler.memo, "card": card.id, "level": "simple", "follow_up": "simpler"}
    assert card.simple.fr in simpler.answer and card.standard.fr not in simpler.answer
    lost = tutor.ask("je comprends toujours pas")
    assert "C'est déjà la version la plus simple" in lost.answer


def test_follow_up_without_context_says_so(tutor) -> None:
    answer = tutor.ask("plus de détails stp")
    assert answer.tool_calls == [] and "Je n'ai rien expliqué juste avant" in answer.answer


def test_quiz_in_the_chat_is_graded_and_counted(tutor) -> None:
    from knowledge.learning.mastery import EvidenceStore
    from knowledge.learning.reviews import open_engine
    from knowledge.quizzes.bank import LETTERS, load_quizzes

    question = tutor.ask("interroge-moi sur la VaR")
    pending = question.memo["quiz"]
    item = {i.id: i for i in load_quizzes()[pending["chapter"]]}[pending["id"]]
    if item.kind == "mcq":
        right = next(pos for pos, i in enumerate(pending["order"]) if item.options[i].correct)
        reply = LETTERS[right].lower()
    elif item.kind == "true_false":
        reply = "vrai" if item.answer else "faux"
    else:
        reply = f"{item.answer}".replace(".", ",")
    graded = tutor.ask(reply)
    assert graded.answer.startswith("✔ Juste") and graded.memo["correct"] is True
    settings = get_settings()
    store = EvidenceStore(open_engine(settings.db_url), learner=settings.learner)
    assert [(e.item, e.success) for e in store.evidence(pending["chapter"])] == [(item.id, True)]


def test_garch_comparison_fits_both_on_the_same_data(tutor) -> None:
    answer = tutor.ask("compare un garch et un gjr sur le S&P 500")
    call = answer.tool_calls[0]
    assert (call.name, sorted(call.args["models"])) == ("fit_garch", ["garch", "gjr"])
    runs = {r["model"]: r for r in call.result["comparison"]}
    assert runs["garch"]["n_days"] == runs["gjr"]["n_days"] and runs["garch"]["start"] == runs["gjr"]["start"]
    best = min(runs.values(), key=lambda r: r["bic"])["model"]
    assert f"celui du **{best}**" in answer.answer and f"{runs['gjr']['bic']:.1f}" in answer.answer
    assert "Pour lire ces chiffres" in answer.answer and not answer.flags


def test_infeasible_plan_says_what_fits(tutor) -> None:
    answer = tutor.ask("j'ai 6h par semaine, je veux finir la phase 5 avant mars")
    call = answer.tool_calls[0]
    assert call.args == {"hours_per_week": 6.0, "deadline_month": 3, "phase": 5}
    result = call.result
    assert result["feasible"] is False and result["left_out"]
    assert set(result["fits"]).isdisjoint(result["left_out"])
    assert "il faudra laisser pour après" in answer.answer and "--pace" not in answer.answer


def test_small_talk_and_doubt(tutor) -> None:
    assert tutor.ask("merci !").answer.startswith("Avec plaisir")
    doubt = tutor.ask("garch ?")
    assert doubt.mode == "clarify" and "?" in doubt.answer


def test_hint_after_a_failed_check_starts_from_the_first_failing_test(tutor) -> None:
    code = ("import numpy as np\n\ndef historical_var(returns, level=0.99):\n"
            "    return np.quantile(returns, 1 - level)\n\ndef expected_shortfall(returns, level=0.99):\n"
            "    return 0.0\n")
    checked = tutor.ask("mon code pour la VaR historique passe pas les tests, c'est quoi le pb ?", code=code)
    result = checked.tool_calls[0].result
    first = next(t for t in result["tests"] if not t["passed"])
    assert checked.tool_calls[0].name == "check_exercise" and result["exercise_id"] == "var_historique"
    assert f"`{first['name']}`" in checked.answer and f"obtenu : `{first['got']}`" in checked.answer
    helped = tutor.ask("un indice stp")
    assert helped.answer.index("Premier test qui échoue") < helped.answer.index(result["hint"].split(":")[0])
    assert f"attendu : `{first['expected']}`" in helped.answer


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("la var a 150% du sp500", "Le niveau de confiance doit être entre 50 % et 99,9 %"),
        ("garch sur le sp500 de 2018 a 2010",
         "La date de début (2018-01-01) doit précéder la date de fin (2010-12-31)"),
        ("backtest sma 20/50 sur le sp500 depuis 2030", "Les données disponibles vont du 1999-01-04 au 2018-12-31"),
        ("fit un garch sur ZZZZ", "Je n'ai pas de données hors ligne pour **ZZZZ**"),
        ("var du cac 40 a 99", "Je n'ai pas de données hors ligne pour **CAC40**"),
    ],
)
def test_bad_requests_get_one_french_sentence(tutor, message: str, said: str) -> None:
    answer = tutor.ask(message)
    assert said in answer.answer and "Error" not in answer.answer and answer.tool_calls[0].result.get("error")
