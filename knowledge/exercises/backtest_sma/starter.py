import numpy as np


def sma(prices, window):
    raise NotImplementedError("à compléter")


def crossover_positions(prices, fast, slow):
    raise NotImplementedError("à compléter")


def strategy_returns(prices, positions):
    raise NotImplementedError("à compléter")
