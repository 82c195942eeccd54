import math

import numpy as np

from _judge import Mismatch, close, function

RNG = np.random.default_rng(27)
Q, K, V = RNG.normal(size=(4, 8)), RNG.normal(size=(4, 8)), RNG.normal(size=(4, 3))


def _reference(q, k, v, causal):
    out, weights = [], []
    for i in range(len(q)):
        visible = range(i + 1) if causal else range(len(k))
        s = [float(q[i] @ k[j]) / math.sqrt(k.shape[1]) for j in visible]
        m = max(s)
        e = [math.exp(x - m) for x in s]
        w = [x / sum(e) for x in e] + [0.0] * (len(k) - len(s))
        weights.append(w)
        out.append(sum(w[j] * v[j] for j in range(len(k))))
    return np.array(out), np.array(weights)


def test_softmax_stable():
    """softmax exacte, sans overflow pour de grandes valeurs."""
    x = np.array([[1000.0, 1001.0, 1002.0], [-1.0, 0.0, 1.0]])
    with np.errstate(over="raise", invalid="raise"):
        try:
            got = function("softmax")(x)
        except FloatingPointError as exc:
            raise Mismatch(f"softmax déborde ({exc}) : soustrayez le maximum", inputs=x.tolist()) from None
    e = np.exp([-2.0, -1.0, 0.0])
    close(got, np.vstack([e / e.sum(), e / e.sum()]), what="softmax", inputs=x.tolist())


def _result(causal):
    got = function("scaled_dot_product_attention")(Q, K, V, causal=causal)
    if not isinstance(got, tuple) or len(got) != 2:
        raise Mismatch("scaled_dot_product_attention doit renvoyer (out, weights)", got=got)
    return got


def test_attention():
    """sortie et poids sans masque."""
    out, weights = _result(False)
    ref_out, ref_w = _reference(Q, K, V, causal=False)
    close(weights, ref_w, what="weights", inputs="Q, K (4×8), V (4×3)")
    close(out, ref_out, what="out", inputs="Q, K (4×8), V (4×3)")


def test_causal_mask():
    """masque causal : aucun poids sur le futur."""
    out, weights = _result(True)
    ref_out, ref_w = _reference(Q, K, V, causal=True)
    close(weights, ref_w, what="weights (causal)", inputs="Q, K (4×8), V (4×3), causal=True")
    close(out, ref_out, what="out (causal)", inputs="Q, K (4×8), V (4×3), causal=True")
