import math

import numpy as np

from _judge import Mismatch, close, equal, function

RNG = np.random.default_rng(15)
X = RNG.normal(size=(30, 2))
Y = (X[:, 0] - 0.5 * X[:, 1] + 0.3 * RNG.normal(size=30) > 0).astype(float)


def _ref_loss(w, b):
    total = 0.0
    for xi, yi in zip(X, Y):
        p = 1 / (1 + math.exp(-(xi @ w + b)))
        total -= yi * math.log(p) + (1 - yi) * math.log(1 - p)
    return total / len(Y)


def test_sigmoid_values_and_stability():
    """sigmoid exacte et sans overflow pour ±1000."""
    z = np.array([-1000.0, -3.0, 0.0, 2.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):
        try:
            got = function("sigmoid")(z)
        except FloatingPointError as exc:
            raise Mismatch(f"sigmoid déborde ({exc}) : utilisez une forme stable", inputs=z.tolist()) from None
    close(got, [0.0, 1 / (1 + math.e**3), 0.5, 1 / (1 + math.e**-2), 1.0], what="sigmoid", inputs=z.tolist())


def test_loss_and_gradient():
    """loss exacte ; dw, db = gradient numérique de la loss."""
    w, b, h = np.array([0.4, -0.7]), 0.1, 1e-6
    got = function("logistic_loss_grad")(X, Y, w, b)
    if not isinstance(got, tuple) or len(got) != 3:
        raise Mismatch("logistic_loss_grad doit renvoyer (loss, dw, db)", expected="(loss, dw, db)", got=got)
    loss, dw, db = got
    close(loss, _ref_loss(w, b), what="loss", inputs={"w": w.tolist(), "b": b})
    num_dw = [(_ref_loss(w + h * e, b) - _ref_loss(w - h * e, b)) / (2 * h) for e in np.eye(2)]
    close(dw, num_dw, what="dw", inputs={"w": w.tolist(), "b": b}, rtol=1e-5, atol=1e-7)
    close(db, (_ref_loss(w, b + h) - _ref_loss(w, b - h)) / (2 * h), what="db", inputs={"w": w.tolist(), "b": b},
          rtol=1e-5, atol=1e-7)


def test_predict():
    """predict renvoie 1 si p ≥ 0,5."""
    w, b = np.array([1.0, -0.5]), 0.0
    expected = (X @ w + b >= 0).astype(int)
    equal(np.asarray(function("predict")(X, w, b)).astype(int), expected, what="predict", inputs="X (30×2)")
