"""Scaled dot-product and multi-head attention, causal masks and sinusoidal positions.

Vaswani et al., "Attention Is All You Need" (2017): :math:`\\mathrm{Attn}(Q,K,V) =
\\mathrm{softmax}(QK^\\top /
\\sqrt{d_k} + M) V`, where the mask :math:`M` holds :math:`-\\infty` where a query may not look.
"""

from __future__ import annotations

import math

import numpy as np

from models.engine import Tensor
from models.errors import ShapeError
from models.functional import dropout
from models.nn import Linear, Module


def causal_mask(t: int, t_k: int | None = None) -> np.ndarray:
    """Additive mask (t, t_k): 0 on and below the diagonal, -inf above (position i sees j <= i)."""
    t_k = t if t_k is None else t_k
    return np.triu(np.full((t, t_k), -np.inf), k=1 + t_k - t)


def sinusoidal_positions(t: int, d: int) -> np.ndarray:
    r""":math:`PE_{p, 2i} = \sin(p / 10000^{2i/d})`, :math:`PE_{p, 2i+1} = \cos(p / 10000^{2i/d})`, shape
    (t, d)."""
    pos = np.arange(t)[:, None]
    freq = np.exp(-math.log(10000.0) * np.arange(0, d, 2) / d)  # (d/2,)
    pe = np.zeros((t, d))
    pe[:, 0::2] = np.sin(pos * freq)
    pe[:, 1::2] = np.cos(pos * freq[: d // 2])
    return pe


def scaled_dot_product_attention(
    q: Tensor, k: Tensor, v: Tensor, mask: np.ndarray | None = None
) -> tuple[Tensor, Tensor]:
    """q (..., Tq, d), k (..., Tk, d), v (..., Tk, dv) -> output (..., Tq, dv) and weights (..., Tq, Tk)."""
    scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]))  # (..., Tq, Tk)
    if mask is not None:
        scores = scores + mask
    weights = scores.softmax(-1)
    return weights @ v, weights


class MultiHeadAttention(Module):
    """``n_head`` attentions of size ``d_model / n_head`` in parallel, concatenated and projected.

    Self-attention when ``context`` is None, cross-attention (queries from ``x``, keys and values from
    ``context``) otherwise. ``causal=True`` adds the causal mask to self-attention.
    """

    def __init__(
        self,
        d_model: int,
        n_head: int,
        *,
        causal: bool = False,
        dropout_p: float = 0.0,
        rng: np.random.Generator,
    ) -> None:
        if d_model % n_head:
            raise ShapeError(f"d_model={d_model} must be divisible by n_head={n_head}")
        self.n_head, self.causal, self.dropout_p, self.rng = n_head, causal, dropout_p, rng
        self.q_proj, self.k_proj = Linear(d_model, d_model, rng=rng), Linear(d_model, d_model, rng=rng)
        self.v_proj, self.out_proj = Linear(d_model, d_model, rng=rng), Linear(d_model, d_model, rng=rng)
        self.last_weights: np.ndarray | None = None

    def _heads(self, x: Tensor) -> Tensor:
        b, t, c = x.shape
        return x.reshape(b, t, self.n_head, c // self.n_head).transpose(1, 2)  # (B, nh, T, hs)

    def forward(self, x: Tensor, context: Tensor | None = None, mask: np.ndarray | None = None) -> Tensor:
        b, t, c = x.shape
        src = x if context is None else context
        q, k, v = self._heads(self.q_proj(x)), self._heads(self.k_proj(src)), self._heads(self.v_proj(src))
        if self.causal and context is None:
            mask = causal_mask(t) if mask is None else mask + causal_mask(t)
        y, weights = scaled_dot_product_attention(q, k, v, mask)  # (B, nh, T, hs)
        self.last_weights = weights.data
        y = y.transpose(1, 2).reshape(b, t, c)  # (B, T, C): heads side by side
        return dropout(self.out_proj(y), self.dropout_p, self.rng, training=self.training)
