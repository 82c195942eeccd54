import numpy as np


def _prices(prices):
    p = np.asarray(prices, dtype=float)
    if np.any(p <= 0):
        raise ValueError("les prix doivent être strictement positifs")
    return p


def simple_returns(prices):
    p = _prices(prices)
    return p[1:] / p[:-1] - 1.0


def log_returns(prices):
    p = _prices(prices)
    return np.diff(np.log(p))


def cumulative_return(simple):
    return float(np.prod(1.0 + np.asarray(simple, dtype=float)) - 1.0)
