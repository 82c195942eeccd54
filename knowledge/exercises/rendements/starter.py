import numpy as np


def simple_returns(prices):
    raise NotImplementedError("à compléter")


def log_returns(prices):
    raise NotImplementedError("à compléter")


def cumulative_return(simple):
    raise NotImplementedError("à compléter")
