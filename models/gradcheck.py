"""Finite-difference gradient checking.

The analytic gradient of a scalar function ``f`` is compared with central differences,

.. math:: \\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + h e_i) - f(x - h e_i)}{2h},

whose error is :math:`O(h^2)`; in float64 with :math:`h = 10^{-6}` agreement is near :math:`10^{-8}`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from models.engine import Tensor
from models.errors import GradcheckError


def numerical_grad(f: Callable[[], Tensor], x: Tensor, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to ``x`` (perturbed in place)."""
    grad = np.zeros_like(x.data)
    flat, gflat = x.data.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = f().item()
        flat[i] = old - eps
        minus = f().item()
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def gradcheck(
    f: Callable[[], Tensor],
    inputs: Sequence[Tensor],
    *,
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-4,
) -> None:
    """Raise :class:`GradcheckError` unless ``backward`` agrees with central differences for every input.

    ``f`` takes no argument and reads ``inputs`` (float64 tensors with ``requires_grad=True``).
    """
    for x in inputs:
        x.grad = None
    f().backward()
    for k, x in enumerate(inputs):
        analytic = np.zeros_like(x.data) if x.grad is None else x.grad.copy()
        numeric = numerical_grad(f, x, eps)
        if not np.allclose(analytic, numeric, atol=atol, rtol=rtol):
            worst = float(np.max(np.abs(analytic - numeric)))
            raise GradcheckError(
                f"input {k}: analytic and numerical gradients differ by up to {worst:.3g}; "
                "the op's backward is wrong"
            )
