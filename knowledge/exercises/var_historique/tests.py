import numpy as np

from _judge import Mismatch, close, function

RNG = np.random.default_rng(374)
R = RNG.standard_t(4, size=500) * 0.01


def _quantile(x, a):
    s = np.sort(x)
    pos = a * (len(s) - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


def test_var_levels():
    """VaR = −quantile linéaire à 1 − level, pour 95 % et 99 %."""
    for level in (0.95, 0.99):
        close(function("historical_var")(R, level), -_quantile(R, 1 - level), what=f"historical_var({level})",
              inputs="500 rendements t(4)")


def test_var_small_sample():
    """petit échantillon lisible."""
    r = [-0.05, 0.01, -0.02, 0.03, 0.0, -0.01, 0.02, -0.04, 0.015, 0.005]
    close(function("historical_var")(r, 0.9), -_quantile(np.array(r), 0.1), what="historical_var(0.9)", inputs=r)


def test_expected_shortfall():
    """ES = −moyenne des rendements au-delà de la VaR."""
    for level in (0.95, 0.99):
        var = -_quantile(R, 1 - level)
        close(function("expected_shortfall")(R, level), -R[R <= -var].mean(), what=f"expected_shortfall({level})",
              inputs="500 rendements t(4)")


def test_bad_level():
    """level hors de ]0, 1[ lève ValueError."""
    for level in (0.0, 1.0, 99):
        try:
            got = function("historical_var")(R, level)
        except ValueError:
            continue
        raise Mismatch("historical_var doit lever ValueError", inputs=level, expected="ValueError", got=got)
