import math

import numpy as np

from _judge import Mismatch, close, equal, function

LOGITS = np.array([1.0, 3.0, -2.0, 3.0, 0.5, 2.0])


def _softmax(z):
    m = max(z)
    e = [math.exp(x - m) if x != -math.inf else 0.0 for x in z]
    return [x / sum(e) for x in e]


def test_greedy():
    """greedy = indice du maximum (le premier en cas d'égalité)."""
    equal(function("greedy")(LOGITS), 1, what="greedy", inputs=LOGITS.tolist())
    equal(function("greedy")(np.array([-5.0, -1.0, -3.0])), 1, what="greedy", inputs=[-5.0, -1.0, -3.0])


def test_softmax_temperature():
    """température 1, 0,5 et 2 ; ValueError pour 0."""
    fn = function("softmax_temperature")
    for t in (1.0, 0.5, 2.0):
        close(fn(LOGITS, t), _softmax([x / t for x in LOGITS]), what=f"softmax_temperature(T={t})",
              inputs=LOGITS.tolist())
    try:
        got = fn(LOGITS, 0.0)
    except ValueError:
        return
    raise Mismatch("temperature = 0 doit lever ValueError", inputs=0.0, expected="ValueError", got=got)


def test_top_k_filter():
    """top-k garde les k plus grands logits (égalités comprises)."""
    fn = function("top_k_filter")
    inf = -np.inf
    close(fn(LOGITS, 3), [inf, 3.0, inf, 3.0, inf, 2.0], what="top_k_filter(k=3)", inputs=LOGITS.tolist())
    close(fn(LOGITS, 2), [inf, 3.0, inf, 3.0, inf, inf], what="top_k_filter(k=2)", inputs=LOGITS.tolist())
    close(fn(LOGITS, 6), LOGITS, what="top_k_filter(k=6)", inputs=LOGITS.tolist())


def test_sample_top_k_inverse_cdf():
    """sample_top_k inverse la fonction de répartition pour plusieurs u."""
    fn = function("sample_top_k")
    p = _softmax([x / 0.7 if x >= 2.0 else -math.inf for x in LOGITS])
    cdf = np.cumsum(p)
    for u in (0.0, 0.2, 0.45, 0.9, 0.999):
        expected = int(next(i for i, c in enumerate(cdf) if c > u))
        equal(fn(LOGITS, 3, 0.7, u), expected, what=f"sample_top_k(k=3, T=0.7, u={u})", inputs=LOGITS.tolist())
