import numpy as np


def garch11_variance(returns, omega, alpha, beta):
    raise NotImplementedError("à compléter")


def garch11_loglik(returns, omega, alpha, beta):
    raise NotImplementedError("à compléter")
