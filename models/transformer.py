"""Pre-LN Transformer blocks and an encoder-decoder Transformer.

Vaswani et al. (2017) with the normalisation moved before each sub-layer (Xiong et al., 2020, "On Layer
Normalization in the Transformer Architecture"), as GPT-2 does: :math:`x \\leftarrow x +
\\mathrm{Attn}(\\mathrm{LN}(x))`,
:math:`x \\leftarrow x + \\mathrm{FFN}(\\mathrm{LN}(x))`. Layer names match
``torch.nn.TransformerEncoderLayer``.
"""

from __future__ import annotations

import numpy as np

from models import losses
from models.attention import MultiHeadAttention, sinusoidal_positions
from models.engine import Tensor, no_grad
from models.functional import dropout
from models.nn import Embedding, LayerNorm, Linear, Module


class FeedForward(Module):
    r"""Position-wise :math:`\mathrm{GELU}(x W_1 + b_1) W_2 + b_2` with hidden size ``4 d``."""

    def __init__(
        self, d_model: int, *, hidden: int | None = None, dropout_p: float = 0.0, rng: np.random.Generator
    ) -> None:
        hidden = hidden or 4 * d_model
        self.linear1, self.linear2 = Linear(d_model, hidden, rng=rng), Linear(hidden, d_model, rng=rng)
        self.dropout_p, self.rng = dropout_p, rng

    def forward(self, x: Tensor) -> Tensor:
        h = self.linear2(self.linear1(x).gelu())  # (B, T, C)
        return dropout(h, self.dropout_p, self.rng, training=self.training)


class Block(Module):
    """Pre-LN encoder block (``causal=True`` for a decoder-only model like GPT)."""

    def __init__(
        self,
        d_model: int,
        n_head: int,
        *,
        causal: bool = False,
        dropout_p: float = 0.0,
        rng: np.random.Generator,
    ) -> None:
        self.norm1, self.norm2 = LayerNorm(d_model), LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_head, causal=causal, dropout_p=dropout_p, rng=rng)
        self.ff = FeedForward(d_model, dropout_p=dropout_p, rng=rng)

    def forward(self, x: Tensor, mask: np.ndarray | None = None) -> Tensor:
        x = x + self.self_attn(self.norm1(x), mask=mask)  # (B, T, C)
        return x + self.ff(self.norm2(x))


class DecoderBlock(Module):
    """Pre-LN decoder block: causal self-attention, cross-attention on the encoder output, feed-forward."""

    def __init__(
        self, d_model: int, n_head: int, *, dropout_p: float = 0.0, rng: np.random.Generator
    ) -> None:
        self.norm1, self.norm2, self.norm3 = LayerNorm(d_model), LayerNorm(d_model), LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_head, causal=True, dropout_p=dropout_p, rng=rng)
        self.cross_attn = MultiHeadAttention(d_model, n_head, dropout_p=dropout_p, rng=rng)
        self.ff = FeedForward(d_model, dropout_p=dropout_p, rng=rng)

    def forward(self, x: Tensor, memory: Tensor) -> Tensor:
        x = x + self.self_attn(self.norm1(x))  # (B, T, C)
        x = x + self.cross_attn(self.norm2(x), context=memory)
        return x + self.ff(self.norm3(x))


class Transformer(Module):
    """Encoder-decoder Transformer for sequence-to-sequence tasks (shared vocabulary, sinusoidal
    positions)."""

    def __init__(
        self,
        vocab_size: int,
        *,
        d_model: int = 32,
        n_head: int = 4,
        n_layers: int = 2,
        max_len: int = 64,
        rng: np.random.Generator,
    ) -> None:
        self.embed = Embedding(vocab_size, d_model, rng=rng, scale=0.1)
        self.positions = sinusoidal_positions(max_len, d_model)
        self.encoder = [Block(d_model, n_head, rng=rng) for _ in range(n_layers)]
        self.decoder = [DecoderBlock(d_model, n_head, rng=rng) for _ in range(n_layers)]
        self.norm_enc, self.norm_dec = LayerNorm(d_model), LayerNorm(d_model)
        self.head = Linear(d_model, vocab_size, rng=rng)

    def _embed(self, ids: np.ndarray) -> Tensor:
        return self.embed(ids) + self.positions[: ids.shape[1]]  # (B, T, C)

    def encode(self, src: np.ndarray) -> Tensor:
        h = self._embed(src)
        for block in self.encoder:
            h = block(h)
        return self.norm_enc(h)

    def decode(self, tgt: np.ndarray, memory: Tensor) -> Tensor:
        h = self._embed(tgt)
        for block in self.decoder:
            h = block(h, memory)
        return self.head(self.norm_dec(h))  # (B, T, V)

    def forward(
        self, src: np.ndarray, tgt_in: np.ndarray, tgt_out: np.ndarray | None = None
    ) -> tuple[Tensor, Tensor | None]:
        """Teacher forcing: ``tgt_in`` is the target shifted right (starts with BOS)."""
        logits = self.decode(tgt_in, self.encode(src))
        return logits, None if tgt_out is None else losses.cross_entropy(logits, tgt_out)

    def greedy_decode(self, src: np.ndarray, bos: int, length: int) -> np.ndarray:
        self.eval()
        with no_grad():
            memory = self.encode(src)
            out = np.full((src.shape[0], 1), bos)
            for _ in range(length):
                nxt = self.decode(out, memory).data[:, -1].argmax(-1)
                out = np.concatenate([out, nxt[:, None]], axis=1)
        return out[:, 1:]
