"""The router of the embedded model's mode, on the evaluation sets (real embedder for similarity)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.routing import extract as ex
from agents.routing.evaluation import evaluate, load_requests, router_predictor, same
from agents.routing.router import Router

EVAL = Path(__file__).resolve().parents[2] / "agents" / "eval"


@pytest.fixture(scope="module")
def router() -> Router:
    from knowledge.config import Settings
    from knowledge.embeddings import get_embedder

    return Router(get_embedder(Settings()))


@pytest.mark.parametrize("name", ["requests.json", "heldout.json", "heldout2.json"])
def test_router_holds_90_percent_tool_accuracy(router: Router, name: str) -> None:
    if not (EVAL / name).exists():
        pytest.skip(f"{name} not written yet")
    scores = evaluate(router_predictor(router), load_requests(EVAL / name))
    assert scores["all"].n >= 70
    assert scores["all"].tool_accuracy >= 0.90, scores["all"].misses
    assert scores["fr"].tool_accuracy >= 0.85 and scores["en"].tool_accuracy >= 0.85
    assert scores["all"].arg_accuracy >= 0.85, scores["all"].misses


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("Backteste un croisement de moyennes 20/50 sur le S&P 500", "backtest_strategy",
         {"ticker": "SPY", "strategy": "sma-cross", "params": {"fast": 20, "slow": 50}}),
        ("Quelle est la VaR à 99 % du S&P 500 avec un GARCH ?", "value_at_risk",
         {"ticker": "SPY", "level": 0.99, "method": "garch"}),
        ("Qu'est-ce que la VaR ?", "search_course", {}),
        ("Quelle est la VaR de l'indice Nasdaq à 95 % ?", "value_at_risk", {"ticker": "QQQ", "level": 0.95}),
        ("encore un indice", "hint", {}),
    ],
)
def test_issue_examples(router: Router, text: str, tool: str, args: dict) -> None:
    route = router.route(text)
    assert route.tool == tool
    for key, value in args.items():
        assert same(value, route.args.get(key), key) if not isinstance(value, dict) else route.args[key] == value


def test_check_exercise_identified_from_the_code_alone(router: Router) -> None:
    code = "def sharpe_ratio(returns, rf=0.0, periods=252):\n    return 0.0\n"
    route = router.route("Vérifie mon exercice", code)
    assert (route.tool, route.args["exercise_id"], route.args["code"]) == ("check_exercise", "ratio_sharpe", code)


@pytest.mark.parametrize(
    ("fn", "text", "value"),
    [
        (ex.level, "au seuil de 1 %", 0.99),
        (ex.level, "97,5 %", 0.975),
        (ex.level, "at the 95% level", 0.95),
        (ex.ticker, "sur le pétrole", "WTI"),
        (ex.ticker, "la VaR de AAPL", "AAPL"),
        (ex.ticker, "Qu'est-ce que la VaR ?", None),
        (ex.cost_bps, "avec 0,1 % de frais", 10.0),
        (ex.cost_bps, "sans frais", 0.0),
        (ex.weeks, "sur 3 mois", 13),
        (ex.hours_per_week, "2 h par jour, 5 jours par semaine", 10.0),
        (ex.item_id, "coche 5.4", "05.4"),
        (ex.horizon_days, "à 10 jours", 10),
    ],
)
def test_extractors(fn, text: str, value) -> None:
    assert fn(text) == value


def test_date_ranges() -> None:
    assert ex.date_range("entre le 1er janvier 2018 et le 31 décembre 2022") == ("2018-01-01", "2022-12-31")
    assert ex.date_range("depuis 2010") == ("2010-01-01", None)
    assert ex.date_range("from 2005 to 2015") == ("2005-01-01", "2015-12-31")
    assert ex.date_range("until 2012-06-30") == (None, "2012-06-30")
