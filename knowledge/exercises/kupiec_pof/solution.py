import math

import numpy as np


def count_exceptions(returns, var):
    return int(np.sum(np.asarray(returns, dtype=float) < -np.asarray(var, dtype=float)))


def _xlogy(x, y):
    return 0.0 if x == 0 else x * math.log(y)


def kupiec_pof(n_obs, n_exceptions, level=0.99):
    """(LR, p_value)."""
    T, x = n_obs, n_exceptions
    if not 0 <= x <= T or T <= 0:
        raise ValueError("il faut 0 <= n_exceptions <= n_obs")
    p, pi = 1 - level, x / T
    lr = -2 * (_xlogy(T - x, 1 - p) + _xlogy(x, p) - _xlogy(T - x, 1 - pi) - _xlogy(x, pi))
    lr = max(lr, 0.0)
    return lr, math.erfc(math.sqrt(lr / 2))
