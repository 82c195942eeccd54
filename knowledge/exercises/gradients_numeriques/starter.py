import numpy as np


def derivative(f, x, h=1e-5):
    """f'(x) par différences centrées."""
    raise NotImplementedError("à compléter")


def gradient(f, x, h=1e-5):
    """Gradient de f en x (une dérivée partielle par coordonnée)."""
    raise NotImplementedError("à compléter")
