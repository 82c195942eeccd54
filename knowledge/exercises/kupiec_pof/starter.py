import math

import numpy as np


def count_exceptions(returns, var):
    raise NotImplementedError("à compléter")


def kupiec_pof(n_obs, n_exceptions, level=0.99):
    """(LR, p_value)."""
    raise NotImplementedError("à compléter")
