r"""Numerical differentiation by central differences, and gradient descent on 2-D functions.

Central differences :math:`f'(x) \approx \frac{f(x+h) - f(x-h)}{2h}` have error :math:`O(h^2)`
(Nocedal & Wright, *Numerical Optimization*, §8.1); the second derivative uses
:math:`\frac{f(x+h) - 2f(x) + f(x-h)}{h^2}`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

ScalarFn = Callable[[np.ndarray], float]


def derivative(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    """First derivative of a scalar function at ``x``."""
    return (f(x + h) - f(x - h)) / (2 * h)


def second_derivative(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    return (f(x + h) - 2 * f(x) + f(x - h)) / (h * h)


def gradient(f: ScalarFn, x: Sequence[float] | np.ndarray, h: float = 1e-5) -> np.ndarray:
    r""":math:`\nabla f(x)_i \approx (f(x + h e_i) - f(x - h e_i)) / 2h`."""
    x = np.asarray(x, dtype=float)
    grad = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        grad.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def jacobian(
    f: Callable[[np.ndarray], np.ndarray], x: Sequence[float] | np.ndarray, h: float = 1e-5
) -> np.ndarray:
    r"""Jacobian :math:`J_{ij} = \partial f_i / \partial x_j` of a vector function, shape (m, n)."""
    x = np.asarray(x, dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        cols.append((np.asarray(f(x + e), float) - np.asarray(f(x - e), float)) / (2 * h))
    return np.stack(cols, axis=-1)


def hessian(f: ScalarFn, x: Sequence[float] | np.ndarray, h: float = 1e-4) -> np.ndarray:
    r"""Hessian :math:`H_{ij} = \partial^2 f / \partial x_i \partial x_j` by central differences
    (symmetric)."""
    x = np.asarray(x, dtype=float)
    n = x.size
    hess = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.zeros(n), np.zeros(n)
            ei[i], ej[j] = h, h
            value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h * h)
            hess[i, j] = hess[j, i] = value
    return hess


def gradient_descent(
    f: ScalarFn,
    x0: Sequence[float],
    *,
    lr: float = 0.1,
    steps: int = 100,
    grad: Callable[[np.ndarray], np.ndarray] | None = None,
    momentum: float = 0.0,
    tol: float = 0.0,
) -> np.ndarray:
    r"""Minimise ``f`` from ``x0`` by :math:`v \leftarrow \mu v - \eta \nabla f(x)`, :math:`x \leftarrow
    x + v`.

    Returns the path, shape (steps + 1, d), for plotting over a contour map. The gradient is numerical
    unless ``grad`` is given; iteration stops early when the step is shorter than ``tol``.

    Examples
    --------
    >>> path = gradient_descent(lambda p: (p[0] - 1) ** 2 + 2 * p[1] ** 2, [0.0, 1.0], lr=0.1, steps=200)
    >>> [round(float(v), 6) for v in path[-1]]
    [1.0, 0.0]
    """
    x = np.asarray(x0, dtype=float)
    velocity = np.zeros_like(x)
    path = [x.copy()]
    for _ in range(steps):
        g = grad(x) if grad is not None else gradient(f, x)
        velocity = momentum * velocity - lr * g
        x = x + velocity
        path.append(x.copy())
        if tol and np.linalg.norm(velocity) < tol:
            break
    return np.array(path)
