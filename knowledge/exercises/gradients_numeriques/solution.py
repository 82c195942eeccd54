import numpy as np


def derivative(f, x, h=1e-5):
    """f'(x) par différences centrées."""
    return (f(x + h) - f(x - h)) / (2 * h)


def gradient(f, x, h=1e-5):
    """Gradient de f en x (une dérivée partielle par coordonnée)."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
