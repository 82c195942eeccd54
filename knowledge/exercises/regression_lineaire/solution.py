import numpy as np


def mse_gradient(X, y, w, b):
    """(dw, db) de la perte MSE."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    err = X @ w + b - y  # (n,)
    n = len(y)
    return 2 / n * X.T @ err, 2 / n * err.sum()


def fit_linear_gd(X, y, lr=0.1, epochs=2000):
    """Descente de gradient depuis w = 0, b = 0 ; renvoie (w, b)."""
    X = np.asarray(X, float)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        dw, db = mse_gradient(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
    return w, b
