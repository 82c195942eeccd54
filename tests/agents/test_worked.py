"""Worked figures with the learner's own numbers, checked against an independent computation."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from agents.answer import ask
from agents.worked import backtest_numbers, persistence_of, worked_figures


@pytest.mark.parametrize(
    ("text", "persistence"),
    [("mon alpha + beta garch = 0.999 c ok ?", 0.999),
     ("Comment interpréter α = 0,02 et β = 0,5 pour un GARCH(1,1) ?", 0.52),
     ("my garch alpha is 0.08 and beta 0.93, is that ok?", 1.01),
     ("persistance de 0,98 dans mon garch, normal ?", 0.98),
     ("mon beta garch vaut 0.97 c grave ?", None)],  # beta alone: the card explains, nothing to compute
)
def test_the_persistence_is_read_from_the_question(text: str, persistence: float | None) -> None:
    got = persistence_of(text)
    assert got == pytest.approx(persistence) if persistence is not None else got is None


def test_the_half_life_of_the_learners_persistence() -> None:
    text = worked_figures("37-garch-stationarity", "mon alpha + beta garch = 0.999 c ok ?", "fr")
    half_life = math.log(0.5) / math.log(0.999)  # 692.8 days
    assert text is not None and text.startswith("**Avec tes chiffres :**")
    assert f"≈ {half_life:.0f} jours" in text and "IGARCH" in text
    fast = worked_figures("37-garch-beta-097", "alpha = 0.02 et beta = 0.5", "fr")
    assert fast is not None and f"≈ {math.log(0.5) / math.log(0.52):.3g}".replace(".", ",") in fast
    assert "faible" in fast
    explosive = worked_figures("37-garch-stationarity", "my alpha is 0.08 and beta 0.93", "en")
    assert explosive is not None and "not stationary" in explosive


def _kupiec_p(x: int, n: int, level: float) -> float:
    """Kupiec's POF p-value written out independently of finance.var_backtest."""
    p, pi = 1 - level, x / n
    ll0 = (n - x) * math.log(1 - p) + (x * math.log(p) if x else 0.0)
    ll1 = ((n - x) * math.log(1 - pi) if x < n else 0.0) + (x * math.log(pi) if x else 0.0)
    return float(stats.chi2.sf(-2 * (ll0 - ll1), 1))


@pytest.mark.parametrize(
    ("text", "numbers", "lang", "words"),
    [("got 0 VaR breaches in 250 days at 99%, thats good right??", (0, 250, 0.99), "en", "too few exceptions"),
     ("j'ai 8 exceptions sur 250 jours avec ma var 99% c grave ?", (8, 250, 0.99), "fr", "trop d'exceptions"),
     ("taux d'exceptions de 2,4 % pour une VaR à 99 % sur 500 jours", (12, 500, 0.99), "fr", "sous-estime"),
     ("3 exceptions en 250 jours pour une VaR 99 %", (3, 250, 0.99), "fr", "rien ne permet de rejeter")],
)
def test_the_kupiec_test_of_the_learners_backtest(text: str, numbers: tuple[int, int, float], lang: str,
                                                  words: str) -> None:
    assert backtest_numbers(text) == (numbers[0], numbers[1], pytest.approx(numbers[2]))
    out = worked_figures("37-kupiec-pof-test", text, lang)
    p = _kupiec_p(*numbers)
    assert out is not None and words in out
    assert f"p = {p:.2g}".replace(".", "," if lang == "fr" else ".") in out


def test_nothing_is_added_without_clear_numbers_or_under_another_card() -> None:
    assert worked_figures("37-kupiec-pof-test", "c quoi le test de kupiec ?", "fr") is None
    assert worked_figures("27-why-sqrt-dk", "alpha = 0.5 et beta = 0.4", "fr") is None
    assert worked_figures("37-kupiec-pof-test", "12 exceptions en 10 jours à 99 %", "fr") is None  # impossible


def test_the_tutor_works_the_learners_numbers_under_the_card() -> None:
    answer = ask("mon alpha + beta garch = 0.999 c ok ?")
    assert answer.mode == "card" and answer.memo["card"].startswith("37-"), answer.memo
    assert answer.memo.get("worked") is True and "693 jours" in answer.answer


@pytest.mark.parametrize(
    ("card", "text", "lang", "value", "periods", "unit"),
    [("38-sharpe-ratio", "my daily sharpe is 0.1, is that any good?", "en", 0.1, 252, ""),
     ("38-sharpe-3-too-good", "mon sharpe mensuel vaut 0,5 c bien ?", "fr", 0.5, 12, ""),
     ("37-why-sqrt-252", "ma vol journaliere est de 1,2 % ca fait combien par an ?", "fr", 1.2, 252, " %"),
     ("11-annualize-monthly-vol-sqrt12", "monthly vol of 4% what is it annualized", "en", 4.0, 12, " %")],
)
def test_a_figure_at_another_frequency_is_annualised(card: str, text: str, lang: str, value: float, periods: int,
                                                      unit: str) -> None:
    out = worked_figures(card, text, lang)
    yearly = f"{value * math.sqrt(periods):.3g}"
    assert out is not None and f"√{periods} ≈ {yearly.replace('.', ',') if lang == 'fr' else yearly}{unit}" in out


@pytest.mark.parametrize("text", ["mon sharpe est de 3 sur mon backtest, c trop beau ?",  # no frequency: annual
                                  "sharpe journalier ou mensuel de 0,2 ?",  # two frequencies: which one?
                                  # the data's frequency, not the figure's: 3.2 x sqrt(252) = 50.8 is no Sharpe
                                  "mon sharpe est de 3,2 sur 10 ans de donnees journalieres, c louche ?"])
def test_no_annualisation_without_one_frequency(text: str) -> None:
    assert worked_figures("38-sharpe-ratio", text, "fr") is None
