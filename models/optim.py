"""Optimisers, learning-rate schedules and gradient clipping.

Backward only computes gradients; an optimiser's :meth:`step` is the one place weights change.
SGD with momentum (Polyak, 1964), Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), with the
exact update rules of ``torch.optim`` so that the two can be compared step by step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from models.engine import Tensor


class Optimizer:
    """Base class: holds the parameters and the learning rate ``lr`` (a schedule may change it)."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimiser got no parameters; pass model.parameters()")
        if lr <= 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        self.lr = lr
        self.t = 0

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        self.t += 1
        for i, p in enumerate(self.params):
            if p.grad is not None:
                self._update(i, p, p.grad)

    def _update(self, i: int, p: Tensor, g: np.ndarray) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent with momentum and (L2) weight decay.

    .. math:: g \leftarrow g + \lambda w,\quad v \leftarrow \mu v + g,\quad w \leftarrow w - \eta v
    """

    def __init__(
        self, params: Iterable[Tensor], lr: float = 0.01, *, momentum: float = 0.0, weight_decay: float = 0.0
    ) -> None:
        super().__init__(params, lr)
        self.momentum, self.weight_decay = momentum, weight_decay
        self.velocity: list[np.ndarray | None] = [None] * len(self.params)

    def _update(self, i: int, p: Tensor, g: np.ndarray) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p.data
        if self.momentum:
            v = self.velocity[i]
            v = g.copy() if v is None else self.momentum * v + g
            self.velocity[i] = v
            g = v
        p.data = p.data - self.lr * g


class Adam(Optimizer):
    r"""Adam: bias-corrected moving averages of the gradient and of its square.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g,\quad v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
        w \leftarrow w - \eta\, \frac{m / (1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \epsilon}

    ``weight_decay`` adds :math:`\lambda w` to the gradient (L2, as ``torch.optim.Adam``).
    """

    decoupled = False

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        *,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.betas, self.eps, self.weight_decay = betas, eps, weight_decay
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    def _update(self, i: int, p: Tensor, g: np.ndarray) -> None:
        b1, b2 = self.betas
        if self.weight_decay and self.decoupled:
            p.data = p.data * (1.0 - self.lr * self.weight_decay)
        elif self.weight_decay:
            g = g + self.weight_decay * p.data
        self.m[i] = b1 * self.m[i] + (1 - b1) * g
        self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
        m_hat = self.m[i] / (1 - b1**self.t)
        v_hat = self.v[i] / (1 - b2**self.t)
        p.data = p.data - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    r"""Adam with decoupled weight decay: :math:`w \leftarrow w (1 - \eta\lambda)` before the Adam step."""

    decoupled = True

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        *,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
    ) -> None:
        super().__init__(params, lr, betas=betas, eps=eps, weight_decay=weight_decay)


def step_lr(step: int, base_lr: float, *, step_size: int, gamma: float = 0.1) -> float:
    r"""Step decay :math:`\eta_t = \eta_0 \gamma^{\lfloor t / s \rfloor}`."""
    return base_lr * gamma ** (step // step_size)


def cosine_lr(step: int, base_lr: float, *, total: int, min_lr: float = 0.0) -> float:
    r"""Cosine annealing :math:`\eta_t = \eta_{min} + \tfrac12(\eta_0-\eta_{min})(1+\cos(\pi t/T))`."""
    t = min(step, total)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * t / total))


def warmup_cosine_lr(step: int, base_lr: float, *, warmup: int, total: int, min_lr: float = 0.0) -> float:
    """Linear warm-up over ``warmup`` steps, then cosine decay to ``min_lr`` at ``total`` (nanoGPT's
    schedule)."""
    if step < warmup:
        return base_lr * (step + 1) / warmup
    return cosine_lr(step - warmup, base_lr, total=max(total - warmup, 1), min_lr=min_lr)


def clip_grad_norm(params: Iterable[Tensor], max_norm: float) -> float:
    r"""Rescale all gradients so their global L2 norm is at most ``max_norm``; returns the norm before."""
    grads = [(p, p.grad) for p in params if p.grad is not None]
    total = math.sqrt(math.fsum(float((g * g).sum()) for _, g in grads))
    if total > max_norm:
        scale = max_norm / (total + 1e-6)
        for p, g in grads:
            p.grad = g * scale
    return total
