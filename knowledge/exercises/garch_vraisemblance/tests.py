import math

import numpy as np

from _judge import Mismatch, close, function

RNG = np.random.default_rng(373)


def _simulate(n, omega, alpha, beta):
    r, s2 = np.empty(n), omega / (1 - alpha - beta)
    for t in range(n):
        r[t] = math.sqrt(s2) * RNG.normal()
        s2 = omega + alpha * r[t] ** 2 + beta * s2
    return r


R = _simulate(300, 1e-6, 0.08, 0.9)
PARAMS = [(1e-6, 0.08, 0.9), (2e-6, 0.05, 0.93), (5e-6, 0.15, 0.7)]


def _reference(r, omega, alpha, beta):
    s2 = [sum(x * x for x in r) / len(r) - (sum(r) / len(r)) ** 2]
    for t in range(1, len(r)):
        s2.append(omega + alpha * r[t - 1] ** 2 + beta * s2[-1])
    ll = -0.5 * sum(math.log(2 * math.pi) + math.log(v) + x * x / v for x, v in zip(r, s2))
    return np.array(s2), ll


def test_variance_recursion():
    """σ²_t suit la récursion GARCH(1,1) depuis la variance empirique."""
    for p in PARAMS:
        close(function("garch11_variance")(R, *p), _reference(R, *p)[0], what=f"garch11_variance{p}",
              inputs="300 rendements simulés", rtol=1e-9)


def test_loglik():
    """log-vraisemblance gaussienne pour trois jeux de paramètres."""
    for p in PARAMS:
        close(function("garch11_loglik")(R, *p), _reference(R, *p)[1], what=f"garch11_loglik{p}",
              inputs="300 rendements simulés", rtol=1e-9)


def test_loglik_prefers_true_parameters():
    """la vraisemblance est plus grande aux vrais paramètres qu'à des paramètres absurdes."""
    ll = function("garch11_loglik")
    good, bad = ll(R, 1e-6, 0.08, 0.9), ll(R, 1e-4, 0.01, 0.01)
    if not good > bad:
        raise Mismatch("ℓ(vrais paramètres) devrait dépasser ℓ(ω=1e-4, α=β=0.01)", expected="good > bad",
                       got=(good, bad))


def test_invalid_parameters():
    """α + β ≥ 1 ou ω ≤ 0 lève ValueError."""
    for p in [(1e-6, 0.5, 0.5), (0.0, 0.1, 0.8), (1e-6, -0.1, 0.8)]:
        try:
            got = function("garch11_loglik")(R, *p)
        except ValueError:
            continue
        raise Mismatch("paramètres invalides : ValueError attendue", inputs=p, expected="ValueError", got=got)
