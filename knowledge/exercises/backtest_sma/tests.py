import numpy as np
import pandas as pd

from _judge import close, equal, function

RNG = np.random.default_rng(376)
PRICES = 100 * np.exp(np.cumsum(RNG.normal(0.0005, 0.012, size=120)))


def _positions(prices, fast, slow):
    s = pd.Series(prices)
    f, sl = s.rolling(fast).mean(), s.rolling(slow).mean()
    signal = ((f > sl) & f.notna() & sl.notna()).astype(int)
    return signal.shift(1).fillna(0).astype(int).to_numpy()


def test_sma():
    """sma = pandas rolling(window).mean()."""
    for w in (1, 5, 20):
        close(function("sma")(PRICES, w), pd.Series(PRICES).rolling(w).mean(), what=f"sma({w})",
              inputs="120 prix")


def test_positions():
    """positions décalées d'un jour (5/20 et 10/50)."""
    for fast, slow in ((5, 20), (10, 50)):
        got = np.asarray(function("crossover_positions")(PRICES, fast, slow))
        equal(got.astype(int), _positions(PRICES, fast, slow), what=f"crossover_positions({fast}, {slow})",
              inputs="120 prix")


def test_no_look_ahead():
    """changer le dernier prix ne change aucune position."""
    fn = function("crossover_positions")
    shocked = PRICES.copy()
    shocked[-1] *= 1.5
    equal(np.asarray(fn(shocked, 5, 20)).astype(int), _positions(PRICES, 5, 20),
          what="positions après choc sur le dernier prix (regard vers l'avenir ?)", inputs="dernier prix × 1,5")


def test_strategy_returns():
    """pos_t · R_t avec R_0 = 0."""
    pos = _positions(PRICES, 5, 20)
    expected = pos * pd.Series(PRICES).pct_change().fillna(0).to_numpy()
    close(function("strategy_returns")(PRICES, pos), expected, what="strategy_returns", inputs="120 prix, pos 5/20")
