import math
import statistics

import numpy as np

from _judge import Mismatch, close, function

RNG = np.random.default_rng(375)
R = RNG.normal(0.0004, 0.01, size=252)


def _ref(r, rf, n):
    ex = [x - rf / n for x in r]
    return math.sqrt(n) * statistics.fmean(ex) / statistics.stdev(ex)


def test_daily():
    """Sharpe quotidien annualisé, rf = 0."""
    close(function("sharpe_ratio")(R), _ref(R, 0.0, 252), what="sharpe_ratio", inputs="252 rendements quotidiens")


def test_risk_free_and_frequency():
    """rf = 3 % annuel ; rendements mensuels (12 par an)."""
    close(function("sharpe_ratio")(R, rf=0.03), _ref(R, 0.03, 252), what="sharpe_ratio(rf=0.03)",
          inputs="252 rendements quotidiens")
    monthly = [0.02, -0.01, 0.015, 0.03, -0.02, 0.01]
    close(function("sharpe_ratio")(monthly, rf=0.02, periods_per_year=12), _ref(monthly, 0.02, 12),
          what="sharpe_ratio(mensuel)", inputs=monthly)


def test_degenerate_inputs():
    """un seul rendement ou un écart-type nul lève ValueError."""
    for r in ([0.01], [0.01, 0.01, 0.01]):
        try:
            got = function("sharpe_ratio")(r)
        except ValueError:
            continue
        raise Mismatch("sharpe_ratio doit lever ValueError", inputs=r, expected="ValueError", got=got)
