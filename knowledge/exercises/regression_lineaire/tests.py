import numpy as np

from _judge import Mismatch, close, function

RNG = np.random.default_rng(14)
X = RNG.normal(size=(40, 3))
Y = X @ np.array([1.5, -2.0, 0.5]) + 0.7 + 0.1 * RNG.normal(size=40)


def _loss(w, b):
    return np.mean((X @ w + b - Y) ** 2)


def test_gradient_matches_finite_differences():
    """mse_gradient = gradient numérique de la MSE."""
    w, b, h = np.array([0.3, -0.1, 0.2]), 0.05, 1e-6
    got = function("mse_gradient")(X, Y, w, b)
    if not isinstance(got, tuple) or len(got) != 2:
        raise Mismatch("mse_gradient doit renvoyer un tuple (dw, db)", expected="(dw, db)", got=got)
    eye = np.eye(3)
    dw = [(_loss(w + h * e, b) - _loss(w - h * e, b)) / (2 * h) for e in eye]
    db = (_loss(w, b + h) - _loss(w, b - h)) / (2 * h)
    close(got[0], dw, what="dw", inputs={"w": w.tolist(), "b": b}, rtol=1e-5, atol=1e-6)
    close(got[1], db, what="db", inputs={"w": w.tolist(), "b": b}, rtol=1e-5, atol=1e-6)


def test_fit_reaches_least_squares():
    """fit_linear_gd converge vers la solution des moindres carrés."""
    w, b = function("fit_linear_gd")(X, Y, lr=0.1, epochs=2000)
    A = np.hstack([X, np.ones((len(X), 1))])
    coef = np.linalg.lstsq(A, Y, rcond=None)[0]
    close(w, coef[:3], what="w", inputs="X (40×3), y", rtol=1e-4, atol=1e-4)
    close(b, coef[3], what="b", inputs="X (40×3), y", rtol=1e-4, atol=1e-4)


def test_fit_follows_the_update_rule():
    """après 1 pas depuis 0 : w = −lr·dw(0), b = −lr·db(0)."""
    w, b = function("fit_linear_gd")(X, Y, lr=0.05, epochs=1)
    n = len(Y)
    close(w, 0.05 * 2 / n * X.T @ Y, what="w après 1 pas", inputs="lr=0.05, epochs=1")
    close(b, 0.05 * 2 / n * Y.sum(), what="b après 1 pas", inputs="lr=0.05, epochs=1")
