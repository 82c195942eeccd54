import math

import numpy as np
import pandas as pd

from _judge import Mismatch, close, function

RNG = np.random.default_rng(37)
PRICES = (100 * np.exp(np.cumsum(RNG.normal(0, 0.01, size=30)))).round(4)


def test_simple_returns():
    """R_t = P_t / P_{t−1} − 1 (comparé à pandas pct_change)."""
    expected = pd.Series(PRICES).pct_change().dropna().to_numpy()
    close(function("simple_returns")(PRICES.tolist()), expected, what="simple_returns", inputs="30 prix")


def test_log_returns():
    """r_t = ln(P_t / P_{t−1})."""
    expected = [math.log(b / a) for a, b in zip(PRICES[:-1], PRICES[1:])]
    close(function("log_returns")(PRICES), expected, what="log_returns", inputs="30 prix")


def test_cumulative_return():
    """rendement cumulé = P_n / P_0 − 1."""
    simple = PRICES[1:] / PRICES[:-1] - 1
    close(function("cumulative_return")(simple), PRICES[-1] / PRICES[0] - 1, what="cumulative_return",
          inputs="rendements simples des 30 prix")
    close(function("cumulative_return")([0.1, -0.1]), -0.01, what="cumulative_return", inputs=[0.1, -0.1])


def test_bad_prices():
    """un prix nul ou négatif lève ValueError."""
    for name in ("simple_returns", "log_returns"):
        try:
            got = function(name)([100.0, 0.0, 101.0])
        except ValueError:
            continue
        raise Mismatch(f"{name} doit lever ValueError pour un prix nul", inputs=[100.0, 0.0, 101.0],
                       expected="ValueError", got=got)
