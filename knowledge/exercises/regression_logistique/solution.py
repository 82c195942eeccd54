import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def logistic_loss_grad(X, y, w, b):
    """(loss, dw, db) de l'entropie croisée binaire moyenne."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z)  # = −[y log p + (1−y) log(1−p)]
    err = sigmoid(z) - y
    return loss, X.T @ err / len(y), err.mean()


def predict(X, w, b):
    return (sigmoid(np.asarray(X, float) @ w + b) >= 0.5).astype(int)
