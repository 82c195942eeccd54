import numpy as np


def mlp_gradients(X, y, W1, b1, W2, b2):
    """Perte et gradients d'un pas de rétropropagation."""
    raise NotImplementedError("à compléter")
