import numpy as np


def garch11_variance(returns, omega, alpha, beta):
    if omega <= 0 or alpha < 0 or beta < 0 or alpha + beta >= 1:
        raise ValueError("il faut omega > 0, alpha, beta >= 0 et alpha + beta < 1")
    r = np.asarray(returns, dtype=float)
    sigma2 = np.empty_like(r)
    sigma2[0] = r.var()
    for t in range(1, len(r)):
        sigma2[t] = omega + alpha * r[t - 1] ** 2 + beta * sigma2[t - 1]
    return sigma2


def garch11_loglik(returns, omega, alpha, beta):
    r = np.asarray(returns, dtype=float)
    s2 = garch11_variance(r, omega, alpha, beta)
    return float(-0.5 * np.sum(np.log(2 * np.pi) + np.log(s2) + r**2 / s2))
