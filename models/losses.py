"""Loss functions and weight penalties, written to be numerically stable."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from models.engine import Tensor
from models.errors import ShapeError


def mse(pred: Tensor, target: Tensor | np.ndarray) -> Tensor:
    r"""Mean squared error :math:`\frac1n \sum_i (\hat y_i - y_i)^2`."""
    diff = pred - target
    return (diff * diff).mean()


def binary_cross_entropy_with_logits(logits: Tensor, target: Tensor | np.ndarray) -> Tensor:
    r"""Binary cross-entropy on logits :math:`z`, averaged.

    .. math:: \ell(z, y) = \max(z, 0) - z y + \log(1 + e^{-|z|})

    equals :math:`-y\log\sigma(z) - (1-y)\log(1-\sigma(z))` without overflowing for large :math:`|z|`.
    """
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target, dtype=logits.dtype))
    if logits.shape != target.shape:
        raise ShapeError(f"logits {logits.shape} and targets {target.shape} must have the same shape")
    return (logits.relu() - logits * target + ((-logits.abs()).exp() + 1.0).log()).mean()


def binary_cross_entropy(prob: Tensor, target: Tensor | np.ndarray, eps: float = 1e-12) -> Tensor:
    r"""Binary cross-entropy on probabilities, clipped by ``eps`` away from 0 and 1."""
    t = np.asarray(target.data if isinstance(target, Tensor) else target, dtype=prob.dtype)
    p = prob * (1 - 2 * eps) + eps
    return -(p.log() * t + (1.0 - p).log() * (1.0 - t)).mean()


def cross_entropy(logits: Tensor, target: np.ndarray, *, ignore_index: int | None = None) -> Tensor:
    r"""Multi-class cross-entropy :math:`-\frac1n\sum_i \log \mathrm{softmax}(z_i)_{y_i}` on logits.

    Parameters
    ----------
    logits : Tensor, shape (..., K)
    target : integer array, shape (...)
        Class indices; entries equal to ``ignore_index`` are left out of the mean.
    """
    target = np.asarray(target, dtype=np.int64)
    if logits.shape[:-1] != target.shape:
        raise ShapeError(
            f"logits {logits.shape} need targets of shape {logits.shape[:-1]}, got {target.shape}"
        )
    flat = logits.reshape(-1, logits.shape[-1]).log_softmax(axis=-1)  # (n, K)
    t = target.reshape(-1)
    keep = np.arange(t.size) if ignore_index is None else np.flatnonzero(t != ignore_index)
    return -flat[keep, t[keep]].mean()


def l1_penalty(params: Iterable[Tensor], strength: float) -> Tensor:
    r""":math:`\lambda \sum_j |w_j|` (lasso); its subgradient pushes weights to exactly zero."""
    total = Tensor(0.0)
    for p in params:
        total = total + p.abs().sum()
    return total * strength


def l2_penalty(params: Iterable[Tensor], strength: float) -> Tensor:
    r""":math:`\tfrac{\lambda}{2} \sum_j w_j^2` (ridge); its gradient is :math:`\lambda w`."""
    total = Tensor(0.0)
    for p in params:
        total = total + (p * p).sum()
    return total * (0.5 * strength)
