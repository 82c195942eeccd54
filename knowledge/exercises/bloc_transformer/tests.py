import math

import numpy as np

from _judge import close, function

RNG = np.random.default_rng(28)
T, C = 5, 4
X = RNG.normal(size=(T, C))
P = {"ln1_g": 1 + 0.1 * RNG.normal(size=C), "ln1_b": 0.1 * RNG.normal(size=C),
     "Wq": RNG.normal(size=(C, C)) * 0.4, "Wk": RNG.normal(size=(C, C)) * 0.4, "Wv": RNG.normal(size=(C, C)) * 0.4,
     "Wo": RNG.normal(size=(C, C)) * 0.4, "ln2_g": 1 + 0.1 * RNG.normal(size=C), "ln2_b": 0.1 * RNG.normal(size=C),
     "W1": RNG.normal(size=(C, 4 * C)) * 0.4, "b1": 0.1 * RNG.normal(size=4 * C),
     "W2": RNG.normal(size=(4 * C, C)) * 0.4, "b2": 0.1 * RNG.normal(size=C)}


def _ln(row, g, b, eps=1e-5):
    mu = sum(row) / len(row)
    var = sum((r - mu) ** 2 for r in row) / len(row)
    return np.array([(r - mu) / math.sqrt(var + eps) for r in row]) * g + b


def _block(x):
    a = np.array([_ln(r, P["ln1_g"], P["ln1_b"]) for r in x])
    q, k, v = a @ P["Wq"], a @ P["Wk"], a @ P["Wv"]
    att = []
    for i in range(T):
        s = np.array([q[i] @ k[j] / math.sqrt(C) for j in range(i + 1)])
        w = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
        att.append(sum(w[j] * v[j] for j in range(i + 1)))
    x = x + np.array(att) @ P["Wo"]
    m = np.array([_ln(r, P["ln2_g"], P["ln2_b"]) for r in x])
    return x + np.maximum(m @ P["W1"] + P["b1"], 0) @ P["W2"] + P["b2"]


def test_layer_norm():
    """layer_norm sur la dernière dimension, variance biaisée."""
    got = function("layer_norm")(X, P["ln1_g"], P["ln1_b"])
    close(got, [_ln(r, P["ln1_g"], P["ln1_b"]) for r in X], what="layer_norm", inputs="x (5×4)")


def test_block_forward():
    """transformer_block = référence (pre-LN, causal, FFN ReLU)."""
    got = function("transformer_block")(X.copy(), {k: v.copy() for k, v in P.items()})
    close(got, _block(X), what="transformer_block", inputs="x (5×4), p", rtol=1e-6, atol=1e-8)


def test_block_is_causal():
    """modifier le dernier jeton ne change pas les sorties précédentes."""
    block = function("transformer_block")
    x2 = X.copy()
    x2[-1] += 3.0
    close(block(x2, P)[:-1], _block(X)[:-1], what="sorties 0..T−2 après modification du dernier jeton",
          inputs="x avec x[-1] += 3", rtol=1e-6, atol=1e-8)
