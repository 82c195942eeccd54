import numpy as np


def historical_var(returns, level=0.99):
    raise NotImplementedError("à compléter")


def expected_shortfall(returns, level=0.99):
    raise NotImplementedError("à compléter")
