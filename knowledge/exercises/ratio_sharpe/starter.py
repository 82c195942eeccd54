import numpy as np


def sharpe_ratio(returns, rf=0.0, periods_per_year=252):
    raise NotImplementedError("à compléter")
