import numpy as np
from scipy import stats

from _judge import Mismatch, close, equal, function

RNG = np.random.default_rng(3741)
R = RNG.normal(0, 0.01, size=250)


def _lr(T, x, level):
    p = 1 - level
    ll0 = stats.binom.logpmf(x, T, p)
    ll1 = stats.binom.logpmf(x, T, x / T)
    return -2 * (ll0 - ll1)  # les coefficients binomiaux se simplifient


def test_count_exceptions():
    """compte r_t < −VaR_t (VaR constante ou par jour)."""
    fn = function("count_exceptions")
    equal(int(fn(R, 0.02)), int(np.sum(R < -0.02)), what="count_exceptions(VaR=0.02)", inputs="250 rendements")
    var = np.linspace(0.01, 0.03, 250)
    equal(int(fn(R, var)), int(np.sum(R < -var)), what="count_exceptions(VaR par jour)", inputs="250 rendements")


def test_kupiec_statistic_and_p_value():
    """LR et p-value comparés à scipy (binomiale, χ² à 1 degré)."""
    fn = function("kupiec_pof")
    for T, x, level in [(250, 2, 0.99), (250, 8, 0.99), (500, 30, 0.95), (250, 1, 0.99)]:
        got = fn(T, x, level)
        if not isinstance(got, tuple) or len(got) != 2:
            raise Mismatch("kupiec_pof doit renvoyer (LR, p_value)", inputs=(T, x, level), got=got)
        lr = _lr(T, x, level)
        close(got[0], lr, what="LR", inputs=(T, x, level), rtol=1e-7)
        close(got[1], stats.chi2.sf(lr, df=1), what="p_value", inputs=(T, x, level), rtol=1e-6)


def test_zero_exceptions():
    """x = 0 : LR = −2T·ln(1 − p) (convention 0·ln 0 = 0)."""
    lr, pv = function("kupiec_pof")(250, 0, 0.99)
    close(lr, -2 * 250 * np.log(0.99), what="LR(x=0)", inputs=(250, 0, 0.99))
    close(pv, stats.chi2.sf(-2 * 250 * np.log(0.99), df=1), what="p_value(x=0)", inputs=(250, 0, 0.99))


def test_bad_counts():
    """n_exceptions > n_obs lève ValueError."""
    try:
        got = function("kupiec_pof")(10, 11)
    except ValueError:
        return
    raise Mismatch("kupiec_pof(10, 11) doit lever ValueError", inputs=(10, 11), expected="ValueError", got=got)
