"""What learners say about time and comparisons, read exactly (each value computed here by hand)."""

from __future__ import annotations

from datetime import date

import pytest

from agents.routing import schedule as sc


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("organise moi les 2 prochains mois, 1h le soir en semaine et 3h le week-end", 5 * 1 + 2 * 3),
        ("en semaine 2h, le we 4h", 5 * 2 + 2 * 4),
        ("Je dispose de deux heures le soir en semaine et de quatre heures le samedi", 5 * 2 + 4),
        ("3h le samedi et 1h30 le mardi et le jeudi", 3 + 2 * 1.5),
        ("i got 45 min every weekday + 2h on sat", 5 * 0.75 + 2),
        ("I can study one hour every weekday evening and three hours on weekends", 5 * 1 + 2 * 3),
    ],
)
def test_weekly_hours_from_a_schedule(text: str, hours: float) -> None:
    assert sc.weekly_hours(text) == pytest.approx(hours)


def test_no_schedule_means_no_hours() -> None:
    assert sc.weekly_hours("6h par semaine") is None  # a plain weekly figure: the other extractor's job
    assert sc.weekly_hours("c'est quoi la VaR ?") is None


@pytest.mark.parametrize(
    ("text", "month"),
    [("je veux finir la phase 5 avant mars", 3), ("d'ici l'été", 6), ("pour la rentrée", 9), ("by March", 3),
     ("avant noël", 12), ("un entretien en avril", 4), ("depuis mars 2015", None), ("fais un plan", None)],
)
def test_deadline_month(text: str, month: int | None) -> None:
    assert sc.deadline_month(text) == month


def test_until_date_is_the_next_such_month() -> None:
    assert sc.until_date(3, date(2026, 11, 29)) == date(2027, 3, 1)
    assert sc.until_date(12, date(2026, 11, 29)) == date(2026, 12, 1)
    assert sc.until_date(11, date(2026, 11, 29)) == date(2027, 11, 1)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("compare un garch et un gjr", "garch", ["gjr", "garch"]),
        ("garch vs egarch sur le nasdaq", "garch", ["egarch", "garch"]),
        ("fit un gjr garch sur le sp", "garch", None),  # one model: no comparison
        ("compare historique et GARCH pour la VaR", "var", ["historical", "garch"]),
        ("compare the filtered historical simulation VaR with the GARCH VaR", "var", ["fhs", "garch"]),
    ],
)
def test_compared_models_and_methods(text: str, kind: str, found: list[str] | None) -> None:
    assert sc.compared(text, kind) == found


def test_periods_and_number_words() -> None:
    assert sc.last_years("sur les 5 dernières années") == 5
    assert sc.last_years("les cinq dernières année") == 5
    assert sc.last_years("for the last 3 yrs") == 3
    assert sc.last_years("de 2010 à 2018") is None
    assert sc.digits("deux heures et six-week plan") == "2 heures et 6 week plan"
    assert sc.phase("la phase 5 d'abord") == 5 and sc.phase("p3") == 3 and sc.phase("le chapitre 5") is None


@pytest.mark.parametrize(
    ("text", "topic"),
    [("je veux finir les transformers avant l'été, 5h par semaine", "transformers"),
     ("planning pour me concentrer sur la partie garch", "garch"), ("I want to master attention by june", "attention"),
     ("fais moi un plan pour finir la phase 5", None), ("plan de 8 semaines à 6h", None)],
)
def test_focus_topic(text: str, topic: str | None) -> None:
    assert sc.focus(text) == topic


def test_a_topic_focus_reaches_the_planner() -> None:
    from agents.tools import Toolbox
    from knowledge.config import get_settings
    from knowledge.planner import focus_chapters
    from knowledge.roadmap import load_roadmap

    settings = get_settings()
    result = Toolbox(settings).study_plan(6, focus="transformers")
    assert result["focus"] == "transformers"
    wanted = set(focus_chapters(load_roadmap(settings), "transformers"))
    planned = {e["chapter"] for e in result["entries"]}
    everything = {e["chapter"] for e in Toolbox(settings).study_plan(6)["entries"]}
    assert wanted <= planned < everything  # the focus and its prerequisites, not the whole roadmap
