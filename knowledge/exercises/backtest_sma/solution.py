import numpy as np


def sma(prices, window):
    p = np.asarray(prices, dtype=float)
    out = np.full(len(p), np.nan)
    c = np.cumsum(np.insert(p, 0, 0.0))
    out[window - 1:] = (c[window:] - c[:-window]) / window
    return out


def crossover_positions(prices, fast, slow):
    f, s = sma(prices, fast), sma(prices, slow)
    signal = np.where(np.isnan(f) | np.isnan(s), 0, (f > s).astype(int))
    pos = np.zeros(len(signal), dtype=int)
    pos[1:] = signal[:-1]  # décidé la veille
    return pos


def strategy_returns(prices, positions):
    p = np.asarray(prices, dtype=float)
    r = np.zeros(len(p))
    r[1:] = p[1:] / p[:-1] - 1.0
    return np.asarray(positions) * r
