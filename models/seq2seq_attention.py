r"""Attention for recurrent encoder–decoders: additive (Bahdanau) and multiplicative (Luong) scores.

Bahdanau, Cho & Bengio, "Neural Machine Translation by Jointly Learning to Align and Translate" (ICLR 2015);
Luong, Pham & Manning, "Effective Approaches to Attention-based Neural Machine Translation" (EMNLP 2015).
With a query :math:`s` (decoder state) and encoder outputs :math:`h_1 \dots h_S`:

.. math::
    e_j = \mathrm{score}(s, h_j),\qquad a = \mathrm{softmax}(e),\qquad c = \sum_j a_j h_j

.. math::
    \mathrm{score}(s, h) = \begin{cases}
        v^\top \tanh(W_s s + W_h h) & \text{bahdanau} \\
        s^\top h & \text{dot} \\
        s^\top W h & \text{general} \\
        v^\top \tanh(W [s; h]) & \text{concat}
    \end{cases}

Used by :mod:`models.seq2seq`.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from models.engine import Tensor
from models.errors import ShapeError
from models.nn import Linear, Module

AttentionName = Literal["bahdanau", "dot", "general", "concat"]
ATTENTIONS = ("bahdanau", "dot", "general", "concat")


def _param(rng: np.random.Generator, fan_in: int, *shape: int) -> Tensor:
    bound = 1.0 / math.sqrt(fan_in)
    return Tensor(rng.uniform(-bound, bound, shape), requires_grad=True)


class Attention(Module):
    """Base class: ``project_keys`` once per source, ``score`` at every step, then softmax and context."""

    def project_keys(self, keys: Tensor) -> Tensor:
        """What the score needs from the keys (B, S, Hk), computed once per source sequence."""
        return keys

    def score(self, query: Tensor, projected: Tensor) -> Tensor:
        """Scores (B, S) of a query (B, Hq) against the projected keys."""
        raise NotImplementedError

    def forward(
        self,
        query: Tensor,
        keys: Tensor,
        mask: np.ndarray | None = None,
        projected: Tensor | None = None,
    ) -> tuple[Tensor, Tensor]:
        """Context vector (B, Hk) and attention weights (B, S).

        ``mask`` (B, S) is True where a source position may be attended (False for padding).
        """
        projected = self.project_keys(keys) if projected is None else projected
        scores = self.score(query, projected)  # (B, S)
        if mask is not None:
            scores = scores + np.where(mask, 0.0, -np.inf)
        weights = scores.softmax(-1)  # (B, S)
        b, s = weights.shape
        context = (weights.reshape(b, 1, s) @ keys).reshape(b, keys.shape[-1])  # (B, Hk)
        return context, weights


class BahdanauAttention(Attention):
    r"""Additive attention :math:`v^\top \tanh(W_s s + W_h h)` (Bahdanau et al., 2015, eq. 6)."""

    def __init__(self, query_size: int, key_size: int, attn_size: int, *, rng: np.random.Generator) -> None:
        self.w_s = Linear(query_size, attn_size, bias=False, rng=rng)
        self.w_h = Linear(key_size, attn_size, bias=False, rng=rng)
        self.v = _param(rng, attn_size, attn_size)

    def project_keys(self, keys: Tensor) -> Tensor:
        return self.w_h(keys)  # (B, S, A)

    def score(self, query: Tensor, projected: Tensor) -> Tensor:
        b, a = query.shape[0], projected.shape[-1]
        return (self.w_s(query).reshape(b, 1, a) + projected).tanh() @ self.v  # (B, S)


class DotAttention(Attention):
    r"""Luong's dot score :math:`s^\top h`; query and keys must have the same size."""

    def score(self, query: Tensor, projected: Tensor) -> Tensor:
        b, s, h = projected.shape
        if query.shape != (b, h):
            raise ShapeError(f"dot attention needs queries (B, {h}) like the keys; got {query.shape}")
        return (projected @ query.reshape(b, h, 1)).reshape(b, s)  # (B, S)


class GeneralAttention(DotAttention):
    r"""Luong's bilinear score :math:`s^\top W h`, computed as :math:`s \cdot (h W^\top)`."""

    def __init__(self, query_size: int, key_size: int, *, rng: np.random.Generator) -> None:
        self.weight = _param(rng, key_size, query_size, key_size)  # (Hq, Hk)

    def project_keys(self, keys: Tensor) -> Tensor:
        return keys @ self.weight.T  # (B, S, Hq)


class ConcatAttention(Attention):
    r"""Luong's concat score :math:`v^\top \tanh(W [s; h])`.

    ``W`` (Hq + Hk, A) is split as :math:`W [s; h] = s W_{:H_q} + h W_{H_q:}` so the key half is computed once
    per source: the same function as Bahdanau's score, with one matrix.
    """

    def __init__(self, query_size: int, key_size: int, attn_size: int, *, rng: np.random.Generator) -> None:
        self.query_size = query_size
        self.w = Linear(query_size + key_size, attn_size, bias=False, rng=rng)
        self.v = _param(rng, attn_size, attn_size)

    def project_keys(self, keys: Tensor) -> Tensor:
        return keys @ self.w.weight[self.query_size :]  # (B, S, A)

    def score(self, query: Tensor, projected: Tensor) -> Tensor:
        b, a = query.shape[0], projected.shape[-1]
        q = query @ self.w.weight[: self.query_size]  # (B, A)
        return (q.reshape(b, 1, a) + projected).tanh() @ self.v  # (B, S)


def make_attention(
    name: str, query_size: int, key_size: int, attn_size: int, *, rng: np.random.Generator
) -> Attention:
    """Build the attention named ``name`` (one of ``ATTENTIONS``)."""
    match name:
        case "bahdanau":
            return BahdanauAttention(query_size, key_size, attn_size, rng=rng)
        case "dot":
            return DotAttention()
        case "general":
            return GeneralAttention(query_size, key_size, rng=rng)
        case "concat":
            return ConcatAttention(query_size, key_size, attn_size, rng=rng)
        case _:
            raise ValueError(f"unknown attention {name!r}; use one of {', '.join(ATTENTIONS)}")
