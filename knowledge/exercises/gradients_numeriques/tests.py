import math

import numpy as np

from _judge import close, function


def test_derivative_sin():
    """derivative(sin, x) ≈ cos(x)."""
    derivative = function("derivative")
    for x in [0.0, 0.5, 1.3, -2.0]:
        close(derivative(math.sin, x), math.cos(x), what="derivative(sin)", inputs=x, rtol=1e-6, atol=1e-7)


def test_derivative_polynomial_and_exp():
    """dérivées de x³ − 2x et de exp."""
    derivative = function("derivative")
    for x in [-1.5, 0.0, 2.0]:
        close(derivative(lambda t: t**3 - 2 * t, x), 3 * x**2 - 2, what="derivative(x³−2x)", inputs=x, atol=1e-6)
        close(derivative(math.exp, x), math.exp(x), what="derivative(exp)", inputs=x, rtol=1e-6)


def test_gradient_two_variables():
    """gradient de f(x, y) = x²·y + sin(y)."""
    gradient = function("gradient")

    def f(v):
        return v[0] ** 2 * v[1] + math.sin(v[1])

    for x, y in [(1.0, 2.0), (-0.5, 0.3), (2.0, -1.0)]:
        close(gradient(f, [x, y]), [2 * x * y, x**2 + math.cos(y)], what="gradient", inputs=[x, y], atol=1e-6)


def test_gradient_quadratic_form():
    """gradient de ½·xᵀAx (A symétrique) = A·x en dimension 4."""
    gradient = function("gradient")
    rng = np.random.default_rng(5)
    M = rng.normal(size=(4, 4))
    A = M + M.T
    x = rng.normal(size=4)
    close(gradient(lambda v: 0.5 * v @ A @ v, x), A @ x, what="gradient", inputs=x.round(3).tolist(), atol=1e-6)
