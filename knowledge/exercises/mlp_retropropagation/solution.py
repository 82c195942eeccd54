import numpy as np


def mlp_gradients(X, y, W1, b1, W2, b2):
    """Perte et gradients d'un pas de rétropropagation."""
    n = X.shape[0]
    A = X @ W1 + b1  # (n, h)
    H = np.maximum(A, 0.0)
    Z = H @ W2 + b2  # (n, c)
    Z = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(n), y]))
    dZ = P.copy()
    dZ[np.arange(n), y] -= 1.0
    dZ /= n
    dH = dZ @ W2.T
    dA = dH * (A > 0)
    return {"loss": loss, "W1": X.T @ dA, "b1": dA.sum(axis=0), "W2": H.T @ dZ, "b2": dZ.sum(axis=0)}
