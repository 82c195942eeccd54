import numpy as np


def mse_gradient(X, y, w, b):
    """(dw, db) de la perte MSE."""
    raise NotImplementedError("à compléter")


def fit_linear_gd(X, y, lr=0.1, epochs=2000):
    """Descente de gradient depuis w = 0, b = 0 ; renvoie (w, b)."""
    raise NotImplementedError("à compléter")
