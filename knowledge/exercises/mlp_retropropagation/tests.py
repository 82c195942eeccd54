import numpy as np

from _judge import Mismatch, close, function

RNG = np.random.default_rng(19)
N, D, H, C = 6, 4, 5, 3
X = RNG.normal(size=(N, D))
Y = RNG.integers(0, C, size=N)
PARAMS = {"W1": RNG.normal(size=(D, H)) * 0.5, "b1": RNG.normal(size=H) * 0.1,
          "W2": RNG.normal(size=(H, C)) * 0.5, "b2": RNG.normal(size=C) * 0.1}


def _loss(p):
    hidden = np.maximum(X @ p["W1"] + p["b1"], 0)
    logits = hidden @ p["W2"] + p["b2"]
    logz = np.log(np.sum(np.exp(logits - logits.max(1, keepdims=True)), 1)) + logits.max(1)
    return float(np.mean(logz - logits[np.arange(N), Y]))


def _numeric(name, h=1e-6):
    grad = np.zeros_like(PARAMS[name])
    for idx in np.ndindex(grad.shape):
        plus = {k: v.copy() for k, v in PARAMS.items()}
        minus = {k: v.copy() for k, v in PARAMS.items()}
        plus[name][idx] += h
        minus[name][idx] -= h
        grad[idx] = (_loss(plus) - _loss(minus)) / (2 * h)
    return grad


def _result():
    got = function("mlp_gradients")(X, Y, *(PARAMS[k].copy() for k in ("W1", "b1", "W2", "b2")))
    missing = {"loss", "W1", "b1", "W2", "b2"} - set(got if isinstance(got, dict) else {})
    if missing:
        raise Mismatch(f"mlp_gradients doit renvoyer un dict ; clés manquantes : {sorted(missing)}", got=got)
    return got


def test_loss():
    """perte = entropie croisée moyenne du softmax."""
    close(_result()["loss"], _loss(PARAMS), what="loss", inputs="X (6×4), y, W1 (4×5), W2 (5×3)")


def test_output_layer_gradients():
    """dL/dW2 et dL/db2 = gradients numériques."""
    got = _result()
    for name in ("W2", "b2"):
        close(got[name], _numeric(name), what=f"dL/d{name}", inputs="X (6×4), y", rtol=1e-5, atol=1e-7)


def test_hidden_layer_gradients():
    """dL/dW1 et dL/db1 = gradients numériques (ReLU comprise)."""
    got = _result()
    for name in ("W1", "b1"):
        close(got[name], _numeric(name), what=f"dL/d{name}", inputs="X (6×4), y", rtol=1e-5, atol=1e-7)
