import numpy as np


def historical_var(returns, level=0.99):
    if not 0 < level < 1:
        raise ValueError("level doit être dans ]0, 1[")
    return float(-np.quantile(np.asarray(returns, dtype=float), 1 - level))


def expected_shortfall(returns, level=0.99):
    r = np.asarray(returns, dtype=float)
    var = historical_var(r, level)
    return float(-r[r <= -var].mean())
